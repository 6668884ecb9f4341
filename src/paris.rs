//! French time. Every date a person reads or types on the site is a Paris
//! date; this is the one place that converts between Paris and UTC, and the
//! one that writes dates and hours the French way.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::{Europe::Paris, Tz};

/// An instant, read on a Paris clock.
pub fn local(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&Paris)
}

/// The Paris date an instant falls on.
pub fn date(at: DateTime<Utc>) -> NaiveDate {
    local(at).date_naive()
}

/// A Paris wall-clock time as an instant. An hour that happens twice (end
/// of summer time): the first one. An hour that does not exist (start of
/// summer time): read with the offset before the change.
pub fn instant(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    Paris
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            Paris
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|at| at.with_timezone(&Utc))
}

/// How many times the Paris hour `hour` (0 to 23) happens on `date`: 0
/// for 2 h on the day summer time begins, 2 for 2 h on the day it ends,
/// 1 otherwise.
pub fn hour_happens(date: NaiveDate, hour: u32) -> usize {
    let Some(at) = date.and_hms_opt(hour, 0, 0) else {
        return 0;
    };
    match Paris.from_local_datetime(&at) {
        chrono::LocalResult::None => 0,
        chrono::LocalResult::Single(_) => 1,
        chrono::LocalResult::Ambiguous(_, _) => 2,
    }
}

/// When a Paris day begins. Midnight exists every day in Paris (clocks
/// change at 2 and 3 a.m.); a date chrono cannot place reads as UTC.
pub fn day_start(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    instant(midnight).unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// « 26/11/2026 à 16 h 05 »; « — » for a time stamp out of range.
pub fn date_time_text(ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(at) => local(at).format("%d/%m/%Y à %H h %M").to_string(),
        None => String::from("—"),
    }
}

/// « 26/11/2026 »; « — » for a time stamp out of range.
pub fn date_text(ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(at) => local(at).format("%d/%m/%Y").to_string(),
        None => String::from("—"),
    }
}

/// « 16 h 05 ».
pub fn time_text(at: DateTime<Utc>) -> String {
    local(at).format("%H h %M").to_string()
}

/// The months' names, January first.
pub const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// « 4 décembre 2026 à 17 h 25 », as a contract dates its signature (no-break
/// spaces keep the hour on one line); « — » for a time stamp out of range.
pub fn long_date_time_text(ms: i64) -> String {
    let Some(at) = DateTime::<Utc>::from_timestamp_millis(ms) else {
        return String::from("—");
    };
    let at = local(at);
    let day = match at.day() {
        1 => "1er".to_owned(),
        day => day.to_string(),
    };
    format!(
        "{day} {} {} à {}\u{a0}h\u{a0}{:02}",
        MONTHS[at.month0() as usize],
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// « 2026-11-26 », the value of an `<input type="date">`.
pub fn input_value(at: DateTime<Utc>) -> String {
    local(at).format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_dated_in_words_on_the_paris_clock() {
        let winter = utc("2026-12-04T16:25:00Z").timestamp_millis();
        assert_eq!(
            long_date_time_text(winter),
            "4 décembre 2026 à 17\u{a0}h\u{a0}25"
        );
        let summer = utc("2026-07-01T07:05:00Z").timestamp_millis();
        assert_eq!(
            long_date_time_text(summer),
            "1er juillet 2026 à 9\u{a0}h\u{a0}05"
        );
        assert_eq!(long_date_time_text(i64::MAX), "—");
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn summer_and_winter_days_start_at_paris_midnight() {
        let winter = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        let summer = NaiveDate::from_ymd_opt(2026, 7, 15).unwrap();
        assert_eq!(day_start(winter), utc("2026-01-14T23:00:00Z"));
        assert_eq!(day_start(summer), utc("2026-07-14T22:00:00Z"));
    }

    #[test]
    fn a_missing_hour_reads_with_the_offset_before_the_change() {
        // 29 March 2026: 2 a.m. becomes 3 a.m.
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(instant(gap), Some(utc("2026-03-29T01:30:00Z")));
    }

    #[test]
    fn late_evening_utc_is_the_next_paris_day() {
        let at = utc("2026-11-26T23:30:00Z");
        assert_eq!(date(at), NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(time_text(at), "00 h 30");
        assert_eq!(date_text(at.timestamp_millis()), "27/11/2026");
    }
}
