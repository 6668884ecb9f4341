//! The month partitions of the visitor log on PostgreSQL.
//!
//! `visitor_log` is partitioned by purpose (`visitor_log_audience`,
//! `visitor_log_security`), each by calendar month of `occurred_at`, UTC
//! (`visitor_log_audience_202612`), with a DEFAULT partition per purpose
//! that takes any row no month holds, so that an insert never fails. The
//! purge drops a month whose rows have all expired
//! (`privacy::partition_purge`). SQLite keeps one table: everything here is
//! a no-op there.
//!
//! Months are created ahead of the rows ([`MONTHS_AHEAD`]), at start and by
//! each housekeeping run. Creating one is safe with several instances: it
//! runs under [`PARTITIONS_LOCK`], checks again that the month is missing,
//! and moves into it the rows the DEFAULT partition already holds for that
//! month (a clock far off, a seeded past) before attaching it, since
//! PostgreSQL refuses a partition whose rows sit in the DEFAULT one.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sqlx::PgPool;

use crate::db::{Db, DbError};
use crate::privacy::Purpose;

/// Months created after the current one, so that the writer never meets a
/// month that does not exist yet, even if housekeeping stops for weeks.
pub const MONTHS_AHEAD: u32 = 2;

/// The transaction-level advisory lock taken to create or drop a month
/// partition, so that two instances never do it at once. An arbitrary
/// constant, unique to this use in the database.
pub const PARTITIONS_LOCK: i64 = 0x7769_7369_745f_6c6f; // "wisit_lo"

/// The purposes that keep rows in the visitor log, each with its partitions.
pub const PARTITIONED_PURPOSES: [Purpose; 2] = [Purpose::Audience, Purpose::Security];

/// `visitor_log_audience`: the table partitioned by month for a purpose.
pub fn purpose_table(purpose: Purpose) -> String {
    format!("visitor_log_{}", purpose.key())
}

/// `visitor_log_audience_default`: where rows no month holds go.
pub fn default_partition(purpose: Purpose) -> String {
    format!("{}_default", purpose_table(purpose))
}

/// A calendar month, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month(NaiveDate);

impl Month {
    /// The month `at` falls in.
    pub fn of(at: DateTime<Utc>) -> Self {
        Month(
            at.date_naive()
                .with_day(1)
                .expect("every month has a first day"),
        )
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        self.0
    }

    /// The next month, or `None` past chrono's calendar.
    fn next(self) -> Option<Self> {
        self.0.checked_add_months(Months::new(1)).map(Month)
    }

    /// Its first millisecond and the first of the next month (exclusive);
    /// `None` for a year of other than four digits, which gets no month of
    /// its own (its rows stay in the DEFAULT partition).
    fn bounds(self) -> Option<(i64, i64)> {
        if !(1000..=9998).contains(&self.0.year()) {
            return None;
        }
        let start = self.0.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis();
        let end = self
            .next()?
            .0
            .and_hms_opt(0, 0, 0)?
            .and_utc()
            .timestamp_millis();
        Some((start, end))
    }

    /// `visitor_log_audience_202612`.
    pub fn partition(self, purpose: Purpose) -> String {
        format!(
            "{}_{:04}{:02}",
            purpose_table(purpose),
            self.0.year(),
            self.0.month()
        )
    }
}

/// The current month and the [`MONTHS_AHEAD`] next ones, for both purposes.
pub async fn ensure_coming_months(db: &Db, now: DateTime<Utc>) -> Result<u32, DbError> {
    ensure_months(
        db,
        now,
        now.checked_add_months(Months::new(MONTHS_AHEAD))
            .unwrap_or(now),
    )
    .await
}

/// Creates every missing month from the one of `from` to the one of
/// `until`, for both purposes; the number created. Nothing on SQLite.
pub async fn ensure_months(
    db: &Db,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<u32, DbError> {
    let Db::Postgres(pool) = db else {
        return Ok(0);
    };
    let (mut month, last) = (Month::of(from), Month::of(until));
    let mut created = 0;
    while month <= last {
        for purpose in PARTITIONED_PURPOSES {
            if ensure_month(pool, purpose, month).await? {
                created += 1;
            }
        }
        let Some(next) = month.next() else { break };
        month = next;
    }
    if created > 0 {
        tracing::info!(created, "visitor log: month partitions created");
    }
    Ok(created)
}

/// Whether a table of that name exists.
pub async fn table_exists(
    executor: impl sqlx::PgExecutor<'_>,
    name: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
        .bind(name)
        .fetch_one(executor)
        .await
}

/// Creates one month of one purpose unless it exists; whether it did.
async fn ensure_month(pool: &PgPool, purpose: Purpose, month: Month) -> Result<bool, DbError> {
    let Some((start, end)) = month.bounds() else {
        return Ok(false);
    };
    let name = month.partition(purpose);
    // The common case, without a lock: the month is already there.
    if table_exists(pool, &name).await? {
        return Ok(false);
    }
    let parent = purpose_table(purpose);
    let default = default_partition(purpose);
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(PARTITIONS_LOCK)
        .execute(&mut *tx)
        .await?;
    // Read pg_class itself, not `to_regclass`: name lookups go through a
    // catalog cache that an advisory lock does not refresh, so a month the
    // other instance created just before could still look missing (seen in
    // CI: « relation … already exists »).
    let created_meanwhile: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = $1)")
            .bind(&name)
            .fetch_one(&mut *tx)
            .await?;
    if created_meanwhile {
        return Ok(false);
    }
    // Names and bounds come from code and the clock, never from input.
    let statements = [
        format!("CREATE TABLE {name} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"),
        format!(
            "WITH moved AS (DELETE FROM {default} \
             WHERE occurred_at >= {start} AND occurred_at < {end} RETURNING *) \
             INSERT INTO {name} SELECT * FROM moved"
        ),
        format!(
            "ALTER TABLE {parent} ATTACH PARTITION {name} FOR VALUES FROM ({start}) TO ({end})"
        ),
    ];
    for sql in &statements {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_named_and_bounded_in_utc() {
        let at = DateTime::parse_from_rfc3339("2026-12-31T23:59:59.999Z")
            .unwrap()
            .with_timezone(&Utc);
        let month = Month::of(at);
        assert_eq!(
            month.partition(Purpose::Audience),
            "visitor_log_audience_202612"
        );
        let (start, end) = month.bounds().unwrap();
        assert_eq!(start, 1_796_083_200_000);
        assert_eq!(end, 1_798_761_600_000);
        assert_eq!(end - 1, at.timestamp_millis());
        assert_eq!(
            month.next().unwrap().partition(Purpose::Security),
            "visitor_log_security_202701"
        );
    }
}
