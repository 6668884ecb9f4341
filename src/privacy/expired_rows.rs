//! The row-by-row purge of one table: the `WHERE` clause that selects a
//! purpose's expired rows, their count (dry run), and their deletion in
//! small batches, each its own short transaction, so that a purge of
//! millions of rows never holds the database long enough to slow the site.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::{ProcessingActivity, StoredIn};
use crate::db::{millis, on_pool, Db, DbError};

/// A short pause between two batches lets the visitor-log writer and page
/// requests take the (SQLite) write lock in between.
const PAUSE_BETWEEN_BATCHES: Duration = Duration::from_millis(5);

/// A value bound to a purge statement.
enum Bind {
    Text(&'static str),
    Millis(i64),
}

/// The `WHERE` clause selecting a purpose's expired rows in a table, and the
/// values of its `$N` parameters. Table and column names come from the
/// register (code), never from input.
pub(super) struct ExpiredRows {
    clause: String,
    binds: Vec<Bind>,
}

impl ExpiredRows {
    pub(super) fn new(
        stored: &StoredIn,
        activity: &ProcessingActivity,
        now: DateTime<Utc>,
    ) -> Self {
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

pub(super) async fn count_expired(
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
pub(super) struct Deleted {
    pub(super) rows: u64,
    pub(super) interrupted: bool,
    pub(super) failed: Option<DbError>,
}

/// Deletes the expired rows of `table`: `stored.table` itself, or one of
/// its partitions.
pub(super) async fn delete_expired(
    db: &Db,
    table: &str,
    stored: &StoredIn,
    activity: &ProcessingActivity,
    now: DateTime<Utc>,
    batch_size: u32,
    stop: &watch::Receiver<bool>,
) -> Deleted {
    let expired = ExpiredRows::new(stored, activity, now);
    let sql = format!(
        "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {clause} LIMIT ${limit})",
        table = table,
        clause = expired.clause,
        limit = expired.next_parameter_number(),
    );
    let any_left = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {clause} LIMIT 1) AS expired",
        table = table,
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
