//! The purge: deletes every record whose retention window has passed, for
//! every purpose of the register that stores records, and records each run
//! in `purge_runs`.
//!
//! It deletes in small batches, each its own short transaction, so that a
//! purge of millions of rows never holds the database long enough to slow
//! the site. Two instances purging at once are safe: each batch deletes rows
//! chosen by id, and a row deleted by one is simply not found by the other.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::{ProcessingActivity, Purpose, Register, StoredIn};
use crate::db::{millis, on_pool, Db, DbError};
use crate::metrics::Metrics;

/// A short pause between two batches lets the visitor-log writer and page
/// requests take the (SQLite) write lock in between.
const PAUSE_BETWEEN_BATCHES: Duration = Duration::from_millis(5);

/// What one purpose's purge did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeOutcome {
    pub purpose: Purpose,
    pub rows: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgeMode {
    Delete,
    /// Count what would go; change nothing.
    DryRun,
}

/// One purge over every purpose that stores records, as of `now`.
pub async fn purge(
    db: &Db,
    register: &Register,
    now: DateTime<Utc>,
    batch_size: u32,
    mode: PurgeMode,
    metrics: &Metrics,
) -> Result<Vec<PurgeOutcome>, DbError> {
    let (_never, stop) = watch::channel(false);
    Ok(
        purge_until_stopped(db, register, now, batch_size, mode, metrics, &stop)
            .await?
            .outcomes,
    )
}

/// Tables whose rows exist or not depending on whether an anonymous form
/// found an account: a reset link only for an account, a sign-up only for
/// an unknown address. Their deletions are recorded in `purge_runs` (staff
/// read them at `/admin/registre`) but left out of `/metrics`, where they
/// would tell, when the window ends, whether an address has an account.
const UNMETERED_TABLES: &[&str] = &["password_resets", "registrations"];

/// What a purge did, and whether a stop cut it short.
pub(crate) struct PurgeRunOutcome {
    pub(crate) outcomes: Vec<PurgeOutcome>,
    pub(crate) interrupted: bool,
}

/// As [`purge`], but stops before its next batch once `stop` holds `true`;
/// the purpose in progress is then recorded with the rows deleted so far,
/// so that `purge_runs` accounts for every deletion of a stopped run too.
pub(crate) async fn purge_until_stopped(
    db: &Db,
    register: &Register,
    now: DateTime<Utc>,
    batch_size: u32,
    mode: PurgeMode,
    metrics: &Metrics,
    stop: &watch::Receiver<bool>,
) -> Result<PurgeRunOutcome, DbError> {
    let mut outcomes = Vec::new();
    let mut interrupted = false;
    for activity in register.activities() {
        if activity.stored_in.is_empty() {
            continue;
        }
        let started_at = Utc::now();
        let mut rows = 0;
        let mut metered = 0;
        for stored in activity.stored_in {
            match mode {
                PurgeMode::DryRun => rows += count_expired(db, stored, activity, now).await?,
                PurgeMode::Delete => {
                    let deleted = delete_expired(db, stored, activity, now, batch_size, stop).await;
                    rows += deleted.rows;
                    if !UNMETERED_TABLES.contains(&stored.table) {
                        metered += deleted.rows;
                    }
                    interrupted = deleted.interrupted;
                    if let Some(error) = deleted.failed {
                        // What was deleted before the error is gone: record
                        // it (if the database still answers), then fail.
                        metrics.rows_purged(activity.purpose, metered);
                        if let Err(record_error) =
                            record_run(db, activity.purpose, rows, started_at, Utc::now()).await
                        {
                            tracing::error!(%record_error, purpose = activity.purpose.key(), rows,
                                "purge failed and its deleted rows could not be recorded");
                        }
                        return Err(error);
                    }
                }
            }
            if interrupted {
                break;
            }
        }
        if mode == PurgeMode::Delete {
            record_run(db, activity.purpose, rows, started_at, Utc::now()).await?;
            metrics.rows_purged(activity.purpose, metered);
        }
        outcomes.push(PurgeOutcome {
            purpose: activity.purpose,
            rows,
        });
        if interrupted {
            break;
        }
    }
    Ok(PurgeRunOutcome {
        outcomes,
        interrupted,
    })
}

/// A value bound to a purge statement.
enum Bind {
    Text(&'static str),
    Millis(i64),
}

/// The `WHERE` clause selecting a purpose's expired rows in a table, and the
/// values of its `$N` parameters. Table and column names come from the
/// register (code), never from input.
struct ExpiredRows {
    clause: String,
    binds: Vec<Bind>,
}

impl ExpiredRows {
    fn new(stored: &StoredIn, activity: &ProcessingActivity, now: DateTime<Utc>) -> Self {
        let mut conditions = Vec::new();
        let mut binds = Vec::new();
        if stored.shared_by_purpose {
            binds.push(Bind::Text(activity.purpose.key()));
            conditions.push(format!("purpose = ${}", binds.len()));
        }
        binds.push(Bind::Millis(millis(now)));
        let mut expired = format!("expires_at <= ${}", binds.len());
        let window = activity.retention;
        if let Some(column) = stored.window_starts_at {
            binds.push(Bind::Millis(millis(window.period.before(now))));
            expired = format!("({expired} OR {column} <= ${})", binds.len());
        }
        conditions.push(expired);
        Self {
            clause: conditions.join(" AND "),
            binds,
        }
    }

    /// The number of the next free `$N` parameter.
    fn next_parameter_number(&self) -> usize {
        self.binds.len() + 1
    }
}

/// Binds the values of an [`ExpiredRows`] to a query, in order.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                Bind::Text(text) => query.bind(*text),
                Bind::Millis(ms) => query.bind(*ms),
            };
        }
        query
    }};
}

async fn count_expired(
    db: &Db,
    stored: &StoredIn,
    activity: &ProcessingActivity,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let expired = ExpiredRows::new(stored, activity, now);
    let sql = format!(
        "SELECT COUNT(*) FROM {} WHERE {}",
        stored.table, expired.clause
    );
    let count: i64 = on_pool!(db, |pool| bind_all!(
        sqlx::query_scalar(&sql),
        &expired.binds
    )
    .fetch_one(pool)
    .await)?;
    Ok(count.max(0) as u64)
}

/// Rows deleted from one table, whether a stop cut the deletion short, and
/// the error that ended it, if one did: the batches committed before an
/// error are deleted all the same and must be recorded.
struct Deleted {
    rows: u64,
    interrupted: bool,
    failed: Option<DbError>,
}

async fn delete_expired(
    db: &Db,
    stored: &StoredIn,
    activity: &ProcessingActivity,
    now: DateTime<Utc>,
    batch_size: u32,
    stop: &watch::Receiver<bool>,
) -> Deleted {
    let expired = ExpiredRows::new(stored, activity, now);
    let sql = format!(
        "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {clause} LIMIT ${limit})",
        table = stored.table,
        clause = expired.clause,
        limit = expired.next_parameter_number(),
    );
    let any_left = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {clause} LIMIT 1) AS expired",
        table = stored.table,
        clause = expired.clause,
    );
    let mut rows = 0;
    let failed = |rows, error: sqlx::Error| Deleted {
        rows,
        interrupted: false,
        failed: Some(DbError::Query(error)),
    };
    loop {
        if *stop.borrow() {
            return Deleted {
                rows,
                interrupted: true,
                failed: None,
            };
        }
        let turn = db.write_turn().await;
        let deleted = on_pool!(db, |pool| bind_all!(sqlx::query(&sql), &expired.binds)
            .bind(i64::from(batch_size))
            .execute(pool)
            .await
            .map(|done| done.rows_affected()));
        drop(turn);
        let deleted = match deleted {
            Ok(deleted) => deleted,
            Err(error) => return failed(rows, error),
        };
        rows += deleted;
        // A batch can delete nothing while expired rows remain: another
        // instance's purge picked the same ids and deleted them first, and
        // the rest lay beyond this batch's LIMIT. Stop only when none is left.
        let left: i64 = if deleted == 0 {
            match on_pool!(db, |pool| bind_all!(
                sqlx::query_scalar(&any_left),
                &expired.binds
            )
            .fetch_one(pool)
            .await)
            {
                Ok(left) => left,
                Err(error) => return failed(rows, error),
            }
        } else {
            1
        };
        if left == 0 {
            return Deleted {
                rows,
                interrupted: false,
                failed: None,
            };
        }
        tokio::time::sleep(PAUSE_BETWEEN_BATCHES).await;
    }
}

async fn record_run(
    db: &Db,
    purpose: Purpose,
    rows: u64,
    started_at: DateTime<Utc>,
    finished_at: DateTime<Utc>,
) -> Result<(), DbError> {
    on_pool!(db, |pool| sqlx::query(
        "INSERT INTO purge_runs (purpose, rows_deleted, started_at, finished_at) \
         VALUES ($1, $2, $3, $4)"
    )
    .bind(purpose.key())
    .bind(i64::try_from(rows).unwrap_or(i64::MAX))
    .bind(millis(started_at))
    .bind(millis(finished_at))
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// A recorded purge run, as `purge_runs` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeRun {
    pub purpose: String,
    pub rows_deleted: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
}

/// The most recent runs, newest first.
pub async fn recent_runs(db: &Db, limit: u32) -> Result<Vec<PurgeRun>, DbError> {
    let rows: Vec<(String, i64, i64, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT purpose, rows_deleted, started_at, finished_at FROM purge_runs \
         ORDER BY started_at DESC, id DESC LIMIT $1"
    )
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(purpose, rows_deleted, started, finished)| PurgeRun {
            purpose,
            rows_deleted,
            started_at: crate::db::from_millis(started),
            finished_at: crate::db::from_millis(finished),
        })
        .collect())
}
