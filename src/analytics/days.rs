//! Paris days, the unit the statistics count in: days since 1970-01-01 in
//! Paris time, and when each begins.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::paris;

/// A Paris day as days since 1970-01-01.
pub type Day = i64;

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");

pub fn day_of_date(date: NaiveDate) -> Day {
    (date - EPOCH).num_days()
}

pub fn date_of_day(day: Day) -> NaiveDate {
    EPOCH + Duration::days(day)
}

/// The Paris day an instant falls in.
pub fn paris_day(at: DateTime<Utc>) -> Day {
    day_of_date(paris::date(at))
}

/// When a Paris day begins, in UTC. Midnight exists every day in Paris
/// (clocks change at 2 and 3 a.m.).
pub fn day_start(day: Day) -> DateTime<Utc> {
    paris::day_start(date_of_day(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_days_start_at_paris_midnight() {
        let winter: DateTime<Utc> = "2026-01-15T23:30:00Z".parse().unwrap();
        assert_eq!(date_of_day(paris_day(winter)).to_string(), "2026-01-16");
        let start = day_start(paris_day(winter));
        assert_eq!(start.to_rfc3339(), "2026-01-15T23:00:00+00:00");
        let summer: DateTime<Utc> = "2026-07-01T21:59:00Z".parse().unwrap();
        assert_eq!(date_of_day(paris_day(summer)).to_string(), "2026-07-01");
        assert_eq!(
            day_start(paris_day(summer)).to_rfc3339(),
            "2026-06-30T22:00:00+00:00"
        );
    }
}
