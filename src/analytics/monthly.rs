//! Monthly sums of the daily aggregates (`audience_monthly`, purpose
//! `audience_aggregates`): a 12-month view adds up a dozen months instead
//! of 365 days of rows. A period's visitors are the sum of its days'
//! visitors (`rollup`), so a month's sum is exact, not an estimate.
//!
//! The roll-up sums again every month whose days it counted. Each month
//! row carries the number of days it sums: a view uses a month only when
//! that is the number of days stored for it now, and reads its days
//! otherwise (a day counted since, a month whose first days have expired).

use std::collections::{BTreeSet, HashSet};

use chrono::Datelike;

use super::days::{date_of_day, day_of_date, day_start, Day};
use crate::db::{millis, on_pool, BeginWrite, Db, DbError};
use crate::privacy::{Purpose, Register};

/// The first and last days of the month `day` falls in.
pub fn month_of(day: Day) -> (Day, Day) {
    let date = date_of_day(day);
    let first = date.with_day(1).unwrap_or(date);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (day_of_date(first), day_of_date(next) - 1)
}

/// The PostgreSQL advisory lock keys of the monthly sums: this plus the
/// month's first day (the roll-up's days use another range).
const MONTH_LOCK: i64 = 0x5745_4d4d_0000_0000;

/// Sums again the months of `days` from their stored days.
pub async fn sum_months(db: &Db, register: &Register, days: &[Day]) -> Result<(), DbError> {
    let months: BTreeSet<(Day, Day)> = days.iter().map(|&day| month_of(day)).collect();
    for (first, last) in months {
        sum_month(db, register, (first, last)).await?;
    }
    Ok(())
}

async fn sum_month(db: &Db, register: &Register, (first, last): (Day, Day)) -> Result<(), DbError> {
    let start = day_start(first);
    let expires_at = millis(
        register
            .retention(Purpose::AudienceAggregates)
            .period
            .after(start),
    );
    let postgres = matches!(db, Db::Postgres(_));
    on_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        if postgres {
            // Two instances summing the same month take turns: otherwise
            // both delete, then the second one's insert hits the first
            // one's rows (unique index). SQLite's write lock does this.
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(MONTH_LOCK + first)
                .execute(&mut *tx)
                .await?;
        }
        let days: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audience_daily WHERE filter_key = '' AND filter_value = '' \
             AND dimension = 'total' AND day >= $1 AND day <= $2",
        )
        .bind(first)
        .bind(last)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM audience_monthly WHERE first_day = $1")
            .bind(first)
            .execute(&mut *tx)
            .await?;
        // Hours are left out: an hourly chart covers one day.
        sqlx::query(
            "INSERT INTO audience_monthly (first_day, month_start, filter_key, filter_value, \
               dimension, value, views, visitors, visits, bounces, duration_s, days, expires_at) \
             SELECT $1, $2, filter_key, filter_value, dimension, value, SUM(views), \
               SUM(visitors), SUM(visits), SUM(bounces), SUM(duration_s), $3, $4 \
             FROM audience_daily WHERE day >= $1 AND day <= $5 AND dimension <> 'hour' \
             GROUP BY filter_key, filter_value, dimension, value",
        )
        .bind(first)
        .bind(millis(start))
        .bind(days)
        .bind(expires_at)
        .bind(last)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })?;
    Ok(())
}

/// How a span of stored days is read: the months wholly inside it whose
/// sums cover every day stored for them, then the remaining days as
/// ranges, each `(first, last)`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ReadPlan {
    pub months: Vec<(Day, Day)>,
    pub days: Vec<(Day, Day)>,
}

/// Plans the reading of `(first, last)`, whose stored days are `stored`.
pub async fn plan(
    db: &Db,
    (first, last): (Day, Day),
    stored: &HashSet<Day>,
) -> Result<ReadPlan, DbError> {
    let mut plan = ReadPlan::default();
    if first > last {
        return Ok(plan);
    }
    let sums: Vec<(i64, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT first_day, days FROM audience_monthly WHERE filter_key = '' \
         AND filter_value = '' AND dimension = 'total' AND first_day >= $1 AND first_day <= $2"
    )
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await)?;
    let covered = |(month_first, month_last): (Day, Day)| {
        let inside = month_first >= first && month_last <= last;
        let stored_days = (month_first..=month_last)
            .filter(|d| stored.contains(d))
            .count() as i64;
        let summed = sums.iter().find(|(f, _)| *f == month_first).map(|s| s.1);
        inside && stored_days > 0 && summed == Some(stored_days)
    };
    let mut day = first;
    let mut run_start: Option<Day> = None;
    while day <= last {
        let month = month_of(day);
        if covered(month) {
            if let Some(start) = run_start.take() {
                plan.days.push((start, day - 1));
            }
            plan.months.push(month);
            day = month.1 + 1;
        } else {
            run_start.get_or_insert(day);
            day += 1;
        }
    }
    if let Some(start) = run_start {
        plan.days.push((start, last));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(date: &str) -> Day {
        day_of_date(date.parse::<NaiveDate>().unwrap())
    }

    #[test]
    fn months_begin_on_the_first_and_end_on_their_last_day() {
        assert_eq!(
            month_of(day("2026-02-14")),
            (day("2026-02-01"), day("2026-02-28"))
        );
        assert_eq!(
            month_of(day("2024-02-29")),
            (day("2024-02-01"), day("2024-02-29"))
        );
        assert_eq!(
            month_of(day("2026-12-31")),
            (day("2026-12-01"), day("2026-12-31"))
        );
        assert_eq!(
            month_of(day("2026-03-01")),
            (day("2026-03-01"), day("2026-03-31"))
        );
    }
}
