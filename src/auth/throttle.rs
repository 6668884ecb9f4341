//! Login throttling (and re-asking the password, which shares it), with
//! counters in the database so that it holds across instances.
//!
//! The design: an attacker without the password must not be able to keep
//! the owner out from the owner's own network.
//! - An account is locked per network: 5 failures for one account from one
//!   network (an IPv4 address, or an IPv6 /64) in 15 minutes lock that
//!   account for that network only, until the window ends.
//! - A network is locked for every account after 20 failures in 15
//!   minutes (guessing many accounts from one place).
//! - An account has a wider budget across networks (30 in 15 minutes) that
//!   binds only networks it has not logged in from in the last 30 days, so
//!   a guesser spread over many networks is stopped, and the owner at home
//!   or at the office is not.
//!
//! Each attempt is counted BEFORE the password is checked, by one statement
//! per counter, so that concurrent attempts cannot all pass a check made
//! before any of them was counted; a success hands its count back.

use chrono::{DateTime, Duration, Utc};

use super::rate_limit::{self, client_network, Limit};
use crate::db::{Db, DbError};

/// Five wrong passwords for one account from one network in 15 minutes:
/// enough for typos, too few for guessing.
pub const PER_ACCOUNT_AND_NETWORK: Limit = Limit {
    max: 5,
    window: Duration::minutes(15),
};

/// Several people may share an office network, so it gets more room.
pub const PER_NETWORK: Limit = Limit {
    max: 20,
    window: Duration::minutes(15),
};

/// Failures for one account from every network it is not known from.
pub const PER_ACCOUNT: Limit = Limit {
    max: 30,
    window: Duration::minutes(15),
};

/// A network the account logged in from is known for this long.
pub const KNOWN_NETWORK_FOR: Duration = Duration::days(30);

/// The counters of one attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pair: String,
    network: String,
    account: Option<String>,
    known: String,
}

/// Whether the password may be checked.
#[derive(Debug, Clone)]
pub enum Gate {
    Open(Attempt),
    /// Refused until `until`; `first` for the first refusal of its window,
    /// the one worth an audit line.
    Locked {
        until: DateTime<Utc>,
        first: bool,
    },
}

/// The account an address typed stands for: case and spaces aside.
fn account_of(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Counts an attempt at `email`'s password from `ip`, and says whether it
/// may be checked.
pub async fn attempt(db: &Db, email: &str, ip: &str, now: DateTime<Utc>) -> Result<Gate, DbError> {
    let account = account_of(email);
    let network = client_network(ip);
    let attempt = Attempt {
        pair: format!("login:account:{account}:network:{network}"),
        network: format!("login:network:{network}"),
        account: None,
        known: format!("login:known:{account}:network:{network}"),
    };
    let locked = |count: rate_limit::Count, limit| Gate::Locked {
        until: count.window_end,
        first: count.first_over(limit),
    };
    let pair = rate_limit::hit(db, &attempt.pair, PER_ACCOUNT_AND_NETWORK.window, now).await?;
    if pair.over(PER_ACCOUNT_AND_NETWORK) {
        return Ok(locked(pair, PER_ACCOUNT_AND_NETWORK));
    }
    let net = rate_limit::hit(db, &attempt.network, PER_NETWORK.window, now).await?;
    if net.over(PER_NETWORK) {
        return Ok(locked(net, PER_NETWORK));
    }
    if rate_limit::is_marked(db, &attempt.known, now).await? {
        return Ok(Gate::Open(attempt));
    }
    let account_key = format!("login:account:{account}");
    let count = rate_limit::hit(db, &account_key, PER_ACCOUNT.window, now).await?;
    if count.over(PER_ACCOUNT) {
        return Ok(locked(count, PER_ACCOUNT));
    }
    Ok(Gate::Open(Attempt {
        account: Some(account_key),
        ..attempt
    }))
}

impl Attempt {
    /// The right password: this network's failures for the account are
    /// forgiven, the attempt is handed back, and the network is known.
    pub async fn succeeded(&self, db: &Db, now: DateTime<Utc>) -> Result<(), DbError> {
        rate_limit::clear(db, &self.pair).await?;
        rate_limit::release(db, &self.network).await?;
        if let Some(account) = &self.account {
            rate_limit::release(db, account).await?;
        }
        rate_limit::mark(db, &self.known, now, now + KNOWN_NETWORK_FOR).await
    }
}
