//! Which report is due: after Monday 07:00 (Paris), the past ISO week;
//! after the 1st of the month 07:00, the past month. Only the latest period
//! is ever due, so a site down at 07:00 sends it when it comes back, once.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, Utc};

use super::Frequency;
use crate::analytics::period::Period;
use crate::analytics::rollup::day_of_date;
use crate::paris;

/// The hour (Paris) a report is due.
const SEND_HOUR: u32 = 7;

/// The latest report of `frequency` due at `now`, and the moment it became
/// due (a subscription started after it waits for the next one).
pub fn due(frequency: Frequency, now: DateTime<Utc>) -> (Period, DateTime<Utc>) {
    let today = paris::date(now);
    let (start, previous_start) = match frequency {
        Frequency::Weekly => {
            let monday = today - Duration::days(today.weekday().num_days_from_monday().into());
            let due_on = if now < due_at(monday) {
                monday - Duration::weeks(1)
            } else {
                monday
            };
            (due_on, due_on - Duration::weeks(1))
        }
        Frequency::Monthly => {
            let first = today.with_day(1).unwrap_or(today);
            let due_on = if now < due_at(first) {
                month_before(first)
            } else {
                first
            };
            (due_on, month_before(due_on))
        }
    };
    let period = Period::chosen(day_of_date(previous_start), day_of_date(start) - 1);
    (period, due_at(start))
}

/// The period just before a report's, of the same frequency (the previous
/// week, the previous calendar month), which its figures are compared to.
pub fn previous(frequency: Frequency, period: &Period) -> Period {
    match frequency {
        Frequency::Weekly => Period::chosen(period.first - 7, period.first - 1),
        Frequency::Monthly => Period::chosen(
            day_of_date(month_before(period.first_date())),
            period.first - 1,
        ),
    }
}

fn month_before(first: NaiveDate) -> NaiveDate {
    first.checked_sub_months(Months::new(1)).unwrap_or(first)
}

/// 07:00 in Paris on `date`.
fn due_at(date: NaiveDate) -> DateTime<Utc> {
    let at = date.and_time(NaiveTime::from_hms_opt(SEND_HOUR, 0, 0).unwrap_or_default());
    paris::instant(at).unwrap_or_else(|| paris::day_start(date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Paris
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_past_week_is_due_after_monday_seven() {
        let (week, due_at) = due(Frequency::Weekly, at(2026, 3, 9, 7, 0));
        assert_eq!(week.in_french(), "du 02/03/2026 au 08/03/2026");
        assert_eq!(due_at, at(2026, 3, 9, 7, 0));
        let (before, _) = due(Frequency::Weekly, at(2026, 3, 9, 6, 59));
        assert_eq!(before.in_french(), "du 23/02/2026 au 01/03/2026");
        let (sunday, _) = due(Frequency::Weekly, at(2026, 3, 15, 23, 0));
        assert_eq!(sunday, week);
        assert_eq!(
            previous(Frequency::Weekly, &week).in_french(),
            "du 23/02/2026 au 01/03/2026"
        );
    }

    #[test]
    fn the_past_month_is_due_after_the_first_at_seven() {
        let (march, _) = due(Frequency::Monthly, at(2026, 4, 1, 7, 0));
        assert_eq!(march.in_french(), "du 01/03/2026 au 31/03/2026");
        let (february, _) = due(Frequency::Monthly, at(2026, 4, 1, 6, 59));
        assert_eq!(february.in_french(), "du 01/02/2026 au 28/02/2026");
        assert_eq!(previous(Frequency::Monthly, &march), february);
        let (december, _) = due(Frequency::Monthly, at(2026, 1, 20, 12, 0));
        assert_eq!(december.in_french(), "du 01/12/2025 au 31/12/2025");
    }
}
