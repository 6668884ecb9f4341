//! Counters in fixed windows, kept in the database (`rate_limits`) so that
//! every instance sharing it counts together: the login throttle's failures
//! and the limits of the forms that send e-mail or hash a password. A
//! counter is taken BEFORE the work it guards, in one statement, so that
//! concurrent requests cannot all pass a check made before any of them is
//! counted. Keys are stored hashed, never the address or IP themselves;
//! each row expires with its window and the purge removes it (purpose
//! `security`).

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use ipnet::Ipv6Net;

use super::digest;
use crate::db::{self, from_millis, millis, on_pool, Db, DbError};
use crate::domain::Email;

/// At most `max` in each window of `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window: Duration,
}

/// A counter after one more hit: its count and the end of its window.
#[derive(Debug, Clone, Copy)]
pub struct Count {
    pub hits: i64,
    pub window_end: DateTime<Utc>,
}

impl Count {
    pub fn over(self, limit: Limit) -> bool {
        self.hits > limit.max
    }

    /// The first hit refused in this window (to be logged once, not each time).
    pub fn first_over(self, limit: Limit) -> bool {
        self.hits == limit.max + 1
    }
}

/// The network a client is counted by: an IPv4 address alone, an IPv6
/// address by its /64 (the smallest block given to one subscriber, who can
/// otherwise pick a new address for each request).
pub fn client_network(ip: &str) -> String {
    match ip.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V6(v6)) => Ipv6Net::new(v6, 64)
            .map(|net| net.trunc().to_string())
            .unwrap_or_else(|_| v6.to_string()),
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_owned(),
    }
}

/// Counts one hit for `key` in its current window, or in a new one that
/// starts now, and returns the count including this hit.
pub async fn hit(
    db: &Db,
    key: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Count, DbError> {
    let now_ms = millis(now);
    let rows: Vec<(i64, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "INSERT INTO rate_limits (key_hash, window_start, hits, expires_at) \
         VALUES ($1, $2, 1, $3) \
         ON CONFLICT (key_hash) DO UPDATE SET \
           hits = CASE WHEN rate_limits.expires_at > $2 THEN rate_limits.hits + 1 ELSE 1 END, \
           window_start = CASE WHEN rate_limits.expires_at > $2 \
                               THEN rate_limits.window_start ELSE $2 END, \
           expires_at = CASE WHEN rate_limits.expires_at > $2 \
                             THEN rate_limits.expires_at ELSE $3 END \
         RETURNING hits, expires_at"
    )
    .bind(digest(key))
    .bind(now_ms)
    .bind(now_ms + window.num_milliseconds())
    .fetch_all(pool)
    .await)?;
    let (hits, expires_at) = db::one(rows)?;
    Ok(Count {
        hits,
        window_end: from_millis(expires_at),
    })
}

/// Hands back one hit (an attempt that turned out not to count).
pub async fn release(db: &Db, key: &str) -> Result<(), DbError> {
    on_pool!(db, |pool| sqlx::query(
        "UPDATE rate_limits SET hits = hits - 1 WHERE key_hash = $1 AND hits > 0"
    )
    .bind(digest(key))
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Forgets `key`'s counter.
pub async fn clear(db: &Db, key: &str) -> Result<(), DbError> {
    on_pool!(db, |pool| sqlx::query(
        "DELETE FROM rate_limits WHERE key_hash = $1"
    )
    .bind(digest(key))
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Keeps a mark for `key` until `until` (a fact, not a count).
pub async fn mark(
    db: &Db,
    key: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<(), DbError> {
    on_pool!(db, |pool| sqlx::query(
        "INSERT INTO rate_limits (key_hash, window_start, hits, expires_at) \
         VALUES ($1, $2, 1, $3) \
         ON CONFLICT (key_hash) DO UPDATE SET hits = 1, window_start = $2, expires_at = $3"
    )
    .bind(digest(key))
    .bind(millis(now))
    .bind(millis(until))
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Whether `key` has a live counter or mark.
pub async fn is_marked(db: &Db, key: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    let found: Option<i64> = on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT hits FROM rate_limits WHERE key_hash = $1 AND expires_at > $2 AND hits > 0"
    )
    .bind(digest(key))
    .bind(millis(now))
    .fetch_optional(pool)
    .await)?;
    Ok(found.is_some())
}

/// The forms that send e-mail or hash a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitedForm {
    /// `/contact`: mails staff.
    Contact,
    /// `/techniciens`: mails staff.
    Application,
    /// `/inscription`: an argon2 hash, and a mail to the address.
    Registration,
    /// `/mot-de-passe-oublie`: a mail to the address (if it has an account).
    PasswordReset,
    /// `/confidentialite/demande`: a mail to the address.
    RightsRequest,
}

impl LimitedForm {
    fn key(self) -> &'static str {
        match self {
            LimitedForm::Contact => "contact",
            LimitedForm::Application => "application",
            LimitedForm::Registration => "registration",
            LimitedForm::PasswordReset => "password_reset",
            LimitedForm::RightsRequest => "rights_request",
        }
    }

    /// Whether the form sends its mail to the address typed in it.
    fn mails_the_address(self) -> bool {
        !matches!(self, LimitedForm::Contact | LimitedForm::Application)
    }
}

/// Valid posts of one form from one network per hour: room for an office
/// behind one address to send several, far too few for a flood.
pub const PER_NETWORK: Limit = Limit {
    max: 10,
    window: Duration::hours(1),
};

/// Mails to one address per hour, from every form that mails the address
/// typed, whatever the outcome (an address without an account counts as
/// one with), so that the limit tells nobody who has an account.
pub const PER_ADDRESS: Limit = Limit {
    max: 3,
    window: Duration::hours(1),
};

/// Counts a valid post of `form` from `ip` for `address`; `Some(end)` when
/// a limit is reached: refuse it, the sender may try again at `end`.
pub async fn admit(
    db: &Db,
    form: LimitedForm,
    ip: &str,
    address: &Email,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbError> {
    let network = format!("form:{}:network:{}", form.key(), client_network(ip));
    let count = hit(db, &network, PER_NETWORK.window, now).await?;
    if count.over(PER_NETWORK) {
        return Ok(Some(count.window_end));
    }
    if form.mails_the_address() {
        let recipient = format!("mail:address:{}", address.as_str());
        let count = hit(db, &recipient, PER_ADDRESS.window, now).await?;
        if count.over(PER_ADDRESS) {
            return Ok(Some(count.window_end));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_is_counted_by_its_64_and_ipv4_by_address() {
        assert_eq!(client_network("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(
            client_network("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            "2001:db8:1:2::/64"
        );
        assert_eq!(client_network("203.0.113.7"), "203.0.113.7");
        assert_eq!(client_network("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(client_network("not an ip"), "not an ip");
    }
}
