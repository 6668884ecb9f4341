//! The `visitor_log` table: the SQL that writes it, shared by both backends.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

use super::user_agent::Device;
use crate::db::{millis, on_pool, Db, DbError};
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

/// The largest INSERT: 512 rows of 11 parameters stays far below SQLite's
/// limit of 32,766 parameters per statement.
pub const MAX_ROWS_PER_STATEMENT: usize = 512;

const INSERT: &str = "INSERT INTO visitor_log (purpose, occurred_at, expires_at, ip, browser, \
     browser_version, os, os_version, device_type, manufacturer, url) ";

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

/// Writes the events in one transaction.
pub async fn insert_batch(db: &Db, events: &[VisitorEvent]) -> Result<(), DbError> {
    on_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        let mut rest = events;
        for size in statement_sizes(events.len()) {
            let (chunk, after) = rest.split_at(size);
            rest = after;
            let mut insert = QueryBuilder::new(INSERT);
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
    })
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
