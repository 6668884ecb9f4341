//! The purge: deletes every record whose retention window has passed, for
//! every purpose of the register that stores records, and records each run
//! in `purge_runs`.
//!
//! It deletes in small batches, each its own short transaction, so that a
//! purge of millions of rows never holds the database long enough to slow
//! the site (`expired_rows`); on PostgreSQL the visitor log's fully expired
//! months are dropped whole instead (`partition_purge`). Two instances
//! purging at once are safe: each batch deletes rows chosen by id, and a row
//! deleted by one is simply not found by the other.

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::expired_rows::count_expired;
use super::partition_purge;
use super::{Purpose, Register};
use crate::db::{millis, on_pool, Db, DbError};
use crate::metrics::Metrics;

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
                    let deleted =
                        partition_purge::delete(db, stored, activity, now, batch_size, stop).await;
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
