//! The purge of the visitor log on PostgreSQL, where it is partitioned by
//! purpose and month (`analytics::partitions`): a month whose rows have all
//! expired is detached, counted and dropped in one short transaction, which
//! costs the same for ten rows or ten million; a month only partly expired,
//! and the DEFAULT partition, are purged row by row as every other table.
//!
//! "All expired" is read from the rows (`MAX(expires_at)`, and
//! `MAX(occurred_at)` against the current retention window, which a setting
//! may have shortened), never from the calendar alone, and checked again
//! once the month is detached, so that a row written meanwhile is never
//! dropped unexpired and the count recorded in `purge_runs` is exact.
//!
//! Two instances: each takes a session advisory lock per purpose before
//! touching the months; the one that does not get it leaves the visitor log
//! of that purpose to the other for this run.

use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::{PgPool, Postgres};
use tokio::sync::watch;

use super::expired_rows::{delete_expired, Deleted};
use super::{ProcessingActivity, StoredIn};
use crate::analytics::partitions::{
    default_partition, purpose_table, table_exists, PARTITIONS_LOCK,
};

/// The class of the session advisory locks (one per purpose) that keep two
/// instances from purging the same visitor log partitions at once.
const PURGE_LOCK: i32 = 0x7075_7267; // "purg"

use crate::db::{millis, Db, DbError};

/// How long dropping a month waits for the queries reading the visitor log
/// (a long statistics page) before leaving that month to the row-by-row
/// purge: a lock queued behind them would hold up every insert meanwhile.
const LOCK_TIMEOUT: &str = "2s";

/// Deletes the expired rows `stored` holds for `activity`: through its
/// partitions for the visitor log on PostgreSQL, row by row otherwise.
pub(super) async fn delete(
    db: &Db,
    stored: &StoredIn,
    activity: &ProcessingActivity,
    now: DateTime<Utc>,
    batch_size: u32,
    stop: &watch::Receiver<bool>,
) -> Deleted {
    match db {
        Db::Postgres(pool) if stored.table == "visitor_log" => {
            let purge = PartitionPurge {
                db,
                pool,
                stored,
                activity,
                now,
                batch_size,
                stop,
            };
            purge.run().await
        }
        _ => delete_expired(db, stored.table, stored, activity, now, batch_size, stop).await,
    }
}

struct PartitionPurge<'a> {
    db: &'a Db,
    pool: &'a PgPool,
    stored: &'a StoredIn,
    activity: &'a ProcessingActivity,
    now: DateTime<Utc>,
    batch_size: u32,
    stop: &'a watch::Receiver<bool>,
}

fn failed(rows: u64, error: impl Into<DbError>) -> Deleted {
    Deleted {
        rows,
        interrupted: false,
        failed: Some(error.into()),
    }
}

impl PartitionPurge<'_> {
    async fn run(&self) -> Deleted {
        let mut session = match self.lock().await {
            Ok(Some(session)) => session,
            // Another instance is purging this purpose's visitor log.
            Ok(None) => return done(0),
            Err(error) => return failed(0, error),
        };
        let outcome = self.each_partition().await;
        let unlocked = sqlx::query("SELECT pg_advisory_unlock($1, $2)")
            .bind(PURGE_LOCK)
            .bind(self.lock_key())
            .execute(&mut *session)
            .await;
        if let Err(error) = unlocked {
            // The lock goes with the connection, which is not reused.
            session.close_on_drop();
            tracing::warn!(%error, "visitor log purge: advisory unlock failed");
        }
        outcome
    }

    fn lock_key(&self) -> i32 {
        match self.activity.purpose.key() {
            "audience" => 1,
            _ => 2,
        }
    }

    /// This purpose's session lock on a connection of its own, or `None`
    /// when another instance holds it.
    async fn lock(&self) -> Result<Option<PoolConnection<Postgres>>, sqlx::Error> {
        let mut session = self.pool.acquire().await?;
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
            .bind(PURGE_LOCK)
            .bind(self.lock_key())
            .fetch_one(&mut *session)
            .await?;
        Ok(locked.then_some(session))
    }

    async fn each_partition(&self) -> Deleted {
        let parent = purpose_table(self.activity.purpose);
        let partitions = match self.partitions(&parent).await {
            Ok(partitions) => partitions,
            Err(error) => return failed(0, error),
        };
        let default = default_partition(self.activity.purpose);
        let mut rows = 0;
        for partition in partitions {
            if *self.stop.borrow() {
                return Deleted {
                    rows,
                    interrupted: true,
                    failed: None,
                };
            }
            if partition != default {
                match self.drop_if_all_expired(&parent, &partition).await {
                    Ok(Some(dropped)) => {
                        rows += dropped;
                        continue;
                    }
                    Ok(None) => {}
                    Err(error) => return failed(rows, error),
                }
            }
            let deleted = self.row_by_row(&partition).await;
            rows += deleted.rows;
            if deleted.interrupted || deleted.failed.is_some() {
                return Deleted { rows, ..deleted };
            }
        }
        done(rows)
    }

    /// The month partitions of `parent`, oldest first, then the default.
    async fn partitions(&self, parent: &str) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT c.relname::TEXT FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
             WHERE i.inhparent = to_regclass($1) ORDER BY c.relname",
        )
        .bind(parent)
        .fetch_all(self.pool)
        .await
    }

    async fn row_by_row(&self, partition: &str) -> Deleted {
        delete_expired(
            self.db,
            partition,
            self.stored,
            self.activity,
            self.now,
            self.batch_size,
            self.stop,
        )
        .await
    }

    /// Whether rows whose latest expiry and date are these have all expired.
    fn all_expired(&self, max_expires_at: Option<i64>, max_occurred_at: Option<i64>) -> bool {
        let window_start = millis(self.activity.retention.period.before(self.now));
        match (max_expires_at, max_occurred_at) {
            (Some(expires), Some(occurred)) => {
                expires <= millis(self.now) || occurred <= window_start
            }
            // An empty month: nothing to purge (it may be a coming one).
            _ => false,
        }
    }

    /// Drops `partition` if all its rows have expired: the number dropped,
    /// or `None` when some have not (or a lock did not come in time).
    async fn drop_if_all_expired(
        &self,
        parent: &str,
        partition: &str,
    ) -> Result<Option<u64>, DbError> {
        // A first look, through the indexes, without any lock.
        let (expires, occurred): (Option<i64>, Option<i64>) = sqlx::query_as(&format!(
            "SELECT MAX(expires_at), MAX(occurred_at) FROM {partition} WHERE purpose = $1"
        ))
        .bind(self.activity.purpose.key())
        .fetch_one(self.pool)
        .await?;
        if !self.all_expired(expires, occurred) {
            return Ok(None);
        }
        match self.detach_count_drop(parent, partition).await {
            Ok(dropped) => Ok(dropped),
            Err(sqlx::Error::Database(error)) if error.code().as_deref() == Some("55P03") => {
                tracing::warn!(
                    partition,
                    "visitor log purge: lock not granted in time; row by row"
                );
                Ok(None)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// In one transaction: detach the month (no row can reach it any more),
    /// count it, check again that every row has expired, drop it.
    async fn detach_count_drop(
        &self,
        parent: &str,
        partition: &str,
    ) -> Result<Option<u64>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!("SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
            .execute(&mut *tx)
            .await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(PARTITIONS_LOCK)
            .execute(&mut *tx)
            .await?;
        if !table_exists(&mut *tx, partition).await? {
            return Ok(Some(0));
        }
        sqlx::query(&format!(
            "ALTER TABLE {parent} DETACH PARTITION {partition}"
        ))
        .execute(&mut *tx)
        .await?;
        let (count, expires, occurred): (i64, Option<i64>, Option<i64>) = sqlx::query_as(&format!(
            "SELECT COUNT(*), MAX(expires_at), MAX(occurred_at) FROM {partition}"
        ))
        .fetch_one(&mut *tx)
        .await?;
        if !self.all_expired(expires, occurred) {
            tx.rollback().await?;
            return Ok(None);
        }
        sqlx::query(&format!("DROP TABLE {partition}"))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(count.max(0) as u64))
    }
}

fn done(rows: u64) -> Deleted {
    Deleted {
        rows,
        interrupted: false,
        failed: None,
    }
}
