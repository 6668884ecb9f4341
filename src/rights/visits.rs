//! Looking up the security visit log by IP address or range, to answer a
//! visitor's access request about their visits. Only the `security` rows
//! hold the full address; the audience rows hold a truncated one and cannot
//! be tied to a person.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use ipnet::IpNet;
use std::net::IpAddr;

use crate::db::{millis, on_pool, Db, DbError};

/// At most this many visits are shown on the page; the export has them all.
pub const PAGE_LIMIT: usize = 500;

/// An address or a range (`192.0.2.7`, `192.0.2.0/24`, `2001:db8::/48`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpQuery(IpNet);

impl IpQuery {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let input = input.trim();
        if let Ok(net) = input.parse::<IpNet>() {
            return Ok(IpQuery(net.trunc()));
        }
        input
            .parse::<IpAddr>()
            .map(|ip| IpQuery(IpNet::from(ip)))
            .map_err(|_| {
                "Indiquez une adresse IP (192.0.2.7, 2001:db8::1) ou une plage (192.0.2.0/24)."
            })
    }

    /// One address: looked up by equality, with the index.
    fn single(&self) -> Option<IpAddr> {
        (self.0.prefix_len() == self.0.max_prefix_len()).then(|| self.0.addr())
    }

    pub fn contains(&self, ip: &str) -> bool {
        ip.parse::<IpAddr>().is_ok_and(|ip| self.0.contains(&ip))
    }
}

impl std::fmt::Display for IpQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.single() {
            Some(ip) => write!(f, "{ip}"),
            None => write!(f, "{}", self.0),
        }
    }
}

/// One logged request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoggedVisit {
    pub occurred_at: i64,
    pub ip: String,
    pub url: String,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub device_type: String,
}

/// The security rows from `ip` between `from` and `to`, oldest first, up to
/// `limit` of them. A range is matched in Rust, as SQLite stores addresses
/// as text; the period bounds the scan.
pub async fn search(
    db: &Db,
    ip: IpQuery,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<LoggedVisit>, DbError> {
    const COLUMNS: &str = "occurred_at, ip, url, browser, os, device_type";
    let mut found = Vec::new();
    if let Some(single) = ip.single() {
        let sql = format!(
            "SELECT {COLUMNS} FROM visitor_log WHERE purpose = 'security' \
             AND occurred_at >= $1 AND occurred_at < $2 AND ip = $3 ORDER BY occurred_at, id LIMIT $4"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        found = on_pool!(db, |pool| sqlx::query_as(&sql)
            .bind(millis(from))
            .bind(millis(to))
            .bind(single.to_string())
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        return Ok(found);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM visitor_log WHERE purpose = 'security' \
         AND occurred_at >= $1 AND occurred_at < $2 ORDER BY occurred_at, id"
    );
    on_pool!(db, |pool| {
        let mut rows = sqlx::query_as::<_, LoggedVisit>(&sql)
            .bind(millis(from))
            .bind(millis(to))
            .fetch(pool);
        while let Some(row) = rows.try_next().await? {
            if ip.contains(&row.ip) {
                found.push(row);
                if found.len() >= limit {
                    break;
                }
            }
        }
        Ok::<_, sqlx::Error>(())
    })?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_ranges_parse() {
        let one = IpQuery::parse(" 192.0.2.7 ").unwrap();
        assert_eq!(one.to_string(), "192.0.2.7");
        assert!(one.contains("192.0.2.7"));
        assert!(!one.contains("192.0.2.8"));
        let range = IpQuery::parse("192.0.2.99/24").unwrap();
        assert_eq!(range.to_string(), "192.0.2.0/24");
        assert!(range.contains("192.0.2.8"));
        assert!(!range.contains("192.0.3.8"));
        let v6 = IpQuery::parse("2001:db8::/48").unwrap();
        assert!(v6.contains("2001:db8:0:1::5"));
        assert!(!v6.contains("not an ip"));
        assert!(IpQuery::parse("192.0.2").is_err());
        assert!(IpQuery::parse("' OR 1=1 --").is_err());
    }
}
