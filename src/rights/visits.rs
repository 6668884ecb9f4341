//! Looking up the security visit log by IP address or range, to answer a
//! visitor's access request about their visits. Only the `security` rows
//! hold the full address; the audience rows hold a truncated one and cannot
//! be tied to a person.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use ipnet::IpNet;
use std::net::IpAddr;

use crate::db::{millis, on_pool, Db, DbError};
use crate::domain::DateRange;
use crate::forms::FormErrors;

/// What staff typed in the visit-log search.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct VisitQuery {
    pub ip: String,
    #[serde(rename = "du")]
    pub from: String,
    #[serde(rename = "au")]
    pub to: String,
}

impl VisitQuery {
    /// Nothing typed: the page is opened, not searched.
    pub fn is_blank(&self) -> bool {
        self.ip.is_empty() && self.from.is_empty() && self.to.is_empty()
    }

    /// The form as first shown: any address, the last thirty days.
    pub fn last_thirty_days(now: DateTime<Utc>) -> VisitQuery {
        VisitQuery {
            ip: String::new(),
            from: crate::paris::input_value(now - chrono::Duration::days(30)),
            to: crate::paris::input_value(now),
        }
    }
}

/// A search typed, validated: the address or range and the instants that
/// begin and end its Paris days.
#[derive(Debug, Clone, Copy)]
pub struct VisitSearch {
    pub ip: IpQuery,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl VisitSearch {
    pub fn parse(query: &VisitQuery) -> Result<VisitSearch, FormErrors> {
        let mut errors = FormErrors::default();
        let ip = errors.check("ip", IpQuery::parse(&query.ip));
        let range = match DateRange::parse(&query.from, &query.to) {
            Ok(range) => Some(range),
            Err(error) => {
                errors.add(error.field(), error.to_string());
                None
            }
        };
        match (ip, range) {
            (Some(ip), Some(range)) if errors.is_empty() => {
                let (from, to) = range.instants();
                Ok(VisitSearch { ip, from, to })
            }
            _ => Err(errors),
        }
    }
}

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

    /// A LIKE pattern every address of the range matches, as the log
    /// writes addresses (Rust's `Display`): the range's whole leading
    /// octets (IPv4), or its whole leading non-zero groups (IPv6, whose
    /// `::` can only stand for zeros). It narrows the scan in the database;
    /// [`IpQuery::contains`] then decides.
    fn like_pattern(&self) -> String {
        let mut prefix = String::new();
        match self.0 {
            IpNet::V4(net) => {
                for octet in net
                    .addr()
                    .octets()
                    .iter()
                    .take(usize::from(net.prefix_len() / 8))
                {
                    prefix.push_str(&format!("{octet}."));
                }
            }
            IpNet::V6(net) => {
                let whole = usize::from(net.prefix_len() / 16);
                for group in net.addr().segments().iter().take(whole) {
                    if *group == 0 {
                        break;
                    }
                    prefix.push_str(&format!("{group:x}:"));
                }
            }
        }
        prefix.push('%');
        prefix
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
         AND occurred_at >= $1 AND occurred_at < $2 AND ip LIKE $3 ORDER BY occurred_at, id"
    );
    let pattern = ip.like_pattern();
    on_pool!(db, |pool| {
        let mut rows = sqlx::query_as::<_, LoggedVisit>(&sql)
            .bind(millis(from))
            .bind(millis(to))
            .bind(&pattern)
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
        assert_eq!(range.like_pattern(), "192.0.2.%");
        assert_eq!(
            IpQuery::parse("10.0.0.0/12").unwrap().like_pattern(),
            "10.%"
        );
        assert_eq!(IpQuery::parse("0.0.0.0/0").unwrap().like_pattern(), "%");
        assert_eq!(v6.like_pattern(), "2001:db8:%");
        // A zero group may print as `::`: the pattern stops before it.
        let zero = IpQuery::parse("2001:0:0:5::/64").unwrap();
        assert_eq!(zero.like_pattern(), "2001:%");
        assert!(zero.contains("2001::5:1:2:3:4"));
        // Every address of a range, as the log writes it, matches.
        for (range, host_bits) in [("2001:db8:0:1::/64", 64u32), ("192.0.2.0/24", 8)] {
            let query = IpQuery::parse(range).unwrap();
            let prefix = query.like_pattern().trim_end_matches('%').to_owned();
            for step in 0..2000u128 {
                let offset = step.wrapping_mul(0x9e37_79b9_7f4a_7c15) % (1u128 << host_bits);
                let ip = match query.0 {
                    IpNet::V4(n) => IpAddr::from(std::net::Ipv4Addr::from(
                        u32::from(n.network()) + offset as u32,
                    )),
                    IpNet::V6(n) => {
                        IpAddr::from(std::net::Ipv6Addr::from(u128::from(n.network()) + offset))
                    }
                };
                assert!(ip.to_string().starts_with(&prefix), "{ip} for {range}");
            }
        }
        assert!(IpQuery::parse("' OR 1=1 --").is_err());
    }
}
