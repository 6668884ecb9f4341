//! When the traffic comes: Paris hours, weekdays, public holidays and
//! seasons, each a relative factor of one slot's share of the events.

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};

use super::random::{mix, SplitMix64};

/// The relative traffic of the hour around `middle`: its day (weekday,
/// holiday, season, the day's wobble) times the share of its Paris hour.
pub(super) fn slot_weight(middle: DateTime<Utc>, seed: u64) -> f64 {
    let local = crate::paris::local(middle);
    let date = local.date_naive();
    let (month, day) = (date.month(), date.day());
    let holiday = is_fixed_holiday(month, day);
    let (day_factor, hours) = match local.weekday() {
        _ if holiday => (weekday_factor(Weekday::Sun), &RESTDAY_HOURS),
        day @ (Weekday::Sat | Weekday::Sun) => (weekday_factor(day), &RESTDAY_HOURS),
        day => (weekday_factor(day), &WORKDAY_HOURS),
    };
    let hour_share = hours[local.hour() as usize] / hours.iter().sum::<f64>();
    let wobble = {
        let mut rng = SplitMix64(mix(seed ^ 0x6461_7973) ^ date.num_days_from_ce() as u64);
        0.85 + 0.3 * rng.unit()
    };
    day_factor * season_factor(month, day) * wobble * hour_share
}

/// Paris hours, 0 to 23, on a working day: relative traffic.
const WORKDAY_HOURS: [f64; 24] = [
    0.8, 0.4, 0.25, 0.2, 0.2, 0.4, 1.2, 3.0, 6.5, 9.5, 10.0, 9.5, 6.5, 7.0, 9.5, 9.5, 9.0, 7.5,
    5.0, 3.5, 3.0, 2.6, 2.0, 1.3,
];

/// Paris hours on a weekend or a public holiday: later, flatter.
const RESTDAY_HOURS: [f64; 24] = [
    1.2, 0.7, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 3.0, 5.0, 6.5, 7.0, 6.0, 5.5, 6.0, 6.5, 6.5, 6.0, 5.5,
    5.0, 5.0, 4.5, 3.5, 2.2,
];

/// A day's traffic relative to a Monday.
fn weekday_factor(day: Weekday) -> f64 {
    match day {
        Weekday::Mon => 1.0,
        Weekday::Tue => 1.04,
        Weekday::Wed => 1.0,
        Weekday::Thu => 0.98,
        Weekday::Fri => 0.85,
        Weekday::Sat => 0.42,
        Weekday::Sun => 0.36,
    }
}

/// The French public holidays that fall on a fixed date.
fn is_fixed_holiday(month: u32, day: u32) -> bool {
    matches!(
        (month, day),
        (1, 1) | (5, 1) | (5, 8) | (7, 14) | (8, 15) | (11, 1) | (11, 11) | (12, 25)
    )
}

/// Summer and Christmas holidays are quiet; the back-to-work months busy.
fn season_factor(month: u32, day: u32) -> f64 {
    match (month, day) {
        (12, 24..=31) => 0.6,
        (1, 1..=2) => 0.7,
        (7, _) => 0.85,
        (8, _) => 0.55,
        (9, _) => 1.1,
        (10, _) | (3, _) => 1.05,
        (5, _) => 0.95,
        (12, _) => 0.9,
        _ => 1.0,
    }
}
