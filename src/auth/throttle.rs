//! Login throttling with a window counter in the database, so that it holds
//! across every instance sharing it: after too many failures for one account
//! or from one IP address within the window, logins from there are refused
//! until the window ends. Keys are stored hashed.

use chrono::{DateTime, Duration, Utc};

use super::digest;
use crate::db::{millis, on_pool, Db, DbError};

/// What is counted, and how many failures it may have per window.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleRule {
    pub max_failures: i64,
    pub window: Duration,
}

/// Five wrong passwords for one account in 15 minutes: enough for typos,
/// too few for guessing.
pub const PER_ACCOUNT: ThrottleRule = ThrottleRule {
    max_failures: 5,
    window: Duration::minutes(15),
};

/// Several people may share an office IP address, so it gets more room.
pub const PER_IP: ThrottleRule = ThrottleRule {
    max_failures: 20,
    window: Duration::minutes(15),
};

pub fn account_key(email: &str) -> String {
    digest(&format!("login:account:{}", email.trim().to_lowercase()))
}

pub fn ip_key(ip: &str) -> String {
    digest(&format!("login:ip:{ip}"))
}

/// Until when `key` is locked out, if it is.
pub async fn locked_until(
    db: &Db,
    key: &str,
    rule: ThrottleRule,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbError> {
    let row: Option<(i64, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT window_start, failures FROM login_throttle WHERE key_hash = $1"
    )
    .bind(key)
    .fetch_optional(pool)
    .await)?;
    Ok(row.and_then(|(window_start, failures)| {
        let end = DateTime::from_timestamp_millis(window_start)? + rule.window;
        (failures >= rule.max_failures && end > now).then_some(end)
    }))
}

/// Counts one failure for `key`, in the current window or a new one.
pub async fn record_failure(
    db: &Db,
    key: &str,
    rule: ThrottleRule,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let now_ms = millis(now);
    let window_ms = rule.window.num_milliseconds();
    on_pool!(db, |pool| sqlx::query(
        "INSERT INTO login_throttle (key_hash, window_start, failures, expires_at) \
         VALUES ($1, $2, 1, $3) \
         ON CONFLICT (key_hash) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start > $4 \
                           THEN login_throttle.failures + 1 ELSE 1 END, \
           window_start = CASE WHEN login_throttle.window_start > $4 \
                               THEN login_throttle.window_start ELSE $2 END, \
           expires_at = CASE WHEN login_throttle.window_start > $4 \
                             THEN login_throttle.expires_at ELSE $3 END"
    )
    .bind(key)
    .bind(now_ms)
    .bind(now_ms + window_ms)
    .bind(now_ms - window_ms)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// A successful login clears its account's count.
pub async fn clear(db: &Db, key: &str) -> Result<(), DbError> {
    on_pool!(db, |pool| sqlx::query(
        "DELETE FROM login_throttle WHERE key_hash = $1"
    )
    .bind(key)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}
