//! The `visitor_log` table: the SQL that writes it. Both backends get the
//! same columns; how the rows travel differs (see [`insert_batch`]).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::{PgPool, QueryBuilder};

use super::user_agent::Device;
use crate::db::{millis, on_sqlite_handle, Db, DbError};
use crate::privacy::Purpose;

/// One visitor-log row: the policy's fields, tagged with their purpose.
#[derive(Debug, Clone)]
pub struct VisitorEvent {
    pub purpose: Purpose,
    pub occurred_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Full for `security`, truncated for `audience`.
    pub ip: String,
    pub device: Arc<Device>,
    pub url: String,
}

const COLUMNS: &str = "visitor_log (purpose, occurred_at, expires_at, ip, browser, \
     browser_version, os, os_version, device_type, manufacturer, url)";

/// Writes the events in one transaction.
pub async fn insert_batch(db: &Db, events: Arc<[VisitorEvent]>) -> Result<(), DbError> {
    match db {
        Db::Sqlite(pool) => on_sqlite_handle(pool, move |sqlite| write_rows(sqlite, &events)).await,
        Db::Postgres(pool) => insert_in_statements(pool, &events).await,
    }
}

/// SQLite: one prepared single-row INSERT, stepped once per event, with the
/// values bound in place. `BEGIN IMMEDIATE` takes the write lock at once, so
/// SQLite's busy wait applies to the whole transaction rather than failing
/// it halfway.
fn write_rows(sqlite: &rusqlite::Connection, events: &[VisitorEvent]) -> rusqlite::Result<()> {
    let transaction =
        rusqlite::Transaction::new_unchecked(sqlite, rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut insert = transaction.prepare(&format!(
            "INSERT INTO {COLUMNS} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        ))?;
        for event in events {
            let device = &event.device;
            insert.execute(rusqlite::params![
                event.purpose.key(),
                millis(event.occurred_at),
                millis(event.expires_at),
                event.ip,
                device.browser,
                device.browser_version,
                device.os,
                device.os_version,
                device.device_type.as_str(),
                device.manufacturer,
                event.url,
            ])?;
        }
    }
    transaction.commit()
}

/// The largest PostgreSQL INSERT: 512 rows of 11 parameters.
pub const MAX_ROWS_PER_STATEMENT: usize = 512;

/// Splits `len` rows into statements of 512, 256, 128… 1 rows. sqlx keeps
/// every prepared statement in a per-connection cache; with power-of-two
/// sizes a connection holds at most ten INSERTs of this table, instead of
/// one per batch size ever seen (which grew the process by ~200 MB).
fn statement_sizes(mut len: usize) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if len == 0 {
            return None;
        }
        let size = if len >= MAX_ROWS_PER_STATEMENT {
            MAX_ROWS_PER_STATEMENT
        } else {
            1 << len.ilog2()
        };
        len -= size;
        Some(size)
    })
}

/// PostgreSQL: multi-row INSERTs, which save a round trip per row.
async fn insert_in_statements(pool: &PgPool, events: &[VisitorEvent]) -> Result<(), DbError> {
    let mut tx = pool.begin().await?;
    let mut rest = events;
    for size in statement_sizes(events.len()) {
        let (chunk, after) = rest.split_at(size);
        rest = after;
        let mut insert = QueryBuilder::new(format!("INSERT INTO {COLUMNS} "));
        insert.push_values(chunk, |mut row, event| {
            let device = &event.device;
            row.push_bind(event.purpose.key())
                .push_bind(millis(event.occurred_at))
                .push_bind(millis(event.expires_at))
                .push_bind(event.ip.as_str())
                .push_bind(device.browser.as_deref())
                .push_bind(device.browser_version.as_deref())
                .push_bind(device.os.as_deref())
                .push_bind(device.os_version.as_deref())
                .push_bind(device.device_type.as_str())
                .push_bind(device.manufacturer.as_deref())
                .push_bind(event.url.as_str());
        });
        insert.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_come_in_few_sizes_and_cover_every_row() {
        for len in 0..3000 {
            let sizes: Vec<usize> = statement_sizes(len).collect();
            assert_eq!(sizes.iter().sum::<usize>(), len);
            assert!(sizes
                .iter()
                .all(|s| s.is_power_of_two() && *s <= MAX_ROWS_PER_STATEMENT));
        }
        assert_eq!(
            statement_sizes(1000).collect::<Vec<_>>(),
            [512, 256, 128, 64, 32, 8]
        );
    }
}
