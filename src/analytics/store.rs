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

/// Rows per INSERT statement: 11 parameters each stays far below SQLite's
/// limit of 32,766 parameters per statement.
pub const ROWS_PER_STATEMENT: usize = 1_000;

const INSERT: &str = "INSERT INTO visitor_log (purpose, occurred_at, expires_at, ip, browser, \
     browser_version, os, os_version, device_type, manufacturer, url) ";

/// Writes the events in one transaction.
pub async fn insert_batch(db: &Db, events: &[VisitorEvent]) -> Result<(), DbError> {
    on_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        for chunk in events.chunks(ROWS_PER_STATEMENT) {
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
