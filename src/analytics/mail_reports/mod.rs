//! Statistics reports by e-mail: a marketing or staff account asks for the
//! weekly and/or the monthly report of `/statistiques`; a job sends each
//! report once per subscriber; one link in each mail stops it.
//!
//! The tables: `statistics_report_subscriptions` (who asked for what) and
//! `statistics_report_sends` (which report went to whom, with the hash of
//! the link that stops its subscription), both gone with their account.

pub mod body;
pub mod job;
pub mod schedule;

use chrono::{DateTime, Duration, Utc};

use crate::audit::PendingAudit;
use crate::auth::digest;
use crate::db::{millis, Db, DbError, Sql, Tx};

/// How long a sent report's record (and so its stop link) is kept: long
/// after the next report is due, so that no report is sent twice, and an
/// old mail's link still works for a season.
pub const SENT_LOG_DAYS: i64 = 92;

/// How often a report comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Frequency {
    Weekly,
    Monthly,
}

impl Frequency {
    pub const ALL: [Frequency; 2] = [Frequency::Weekly, Frequency::Monthly];

    /// The value stored in `frequency` columns.
    pub fn key(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
        }
    }

    pub fn parse(key: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.key() == key)
    }

    /// « hebdomadaire », « mensuel ».
    pub fn adjective(self) -> &'static str {
        match self {
            Frequency::Weekly => "hebdomadaire",
            Frequency::Monthly => "mensuel",
        }
    }
}

/// What an account receives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Choice {
    pub weekly: bool,
    pub monthly: bool,
}

impl Choice {
    pub fn has(self, frequency: Frequency) -> bool {
        match frequency {
            Frequency::Weekly => self.weekly,
            Frequency::Monthly => self.monthly,
        }
    }

    /// « hebdomadaire et mensuel », « aucun ».
    pub fn in_french(self) -> &'static str {
        match (self.weekly, self.monthly) {
            (true, true) => "hebdomadaire et mensuel",
            (true, false) => "hebdomadaire",
            (false, true) => "mensuel",
            (false, false) => "aucun",
        }
    }
}

/// The reports `user_id` receives.
pub async fn choice_of(db: &Db, user_id: i64) -> Result<Choice, DbError> {
    Ok(choice_from(&choice_query(user_id).fetch_all(db).await?))
}

fn choice_query(user_id: i64) -> Sql {
    Sql::new("SELECT frequency FROM statistics_report_subscriptions WHERE user_id = $1")
        .bind(user_id)
}

fn choice_from(keys: &[(String,)]) -> Choice {
    let has = |f: Frequency| keys.iter().any(|(k,)| k == f.key());
    Choice {
        weekly: has(Frequency::Weekly),
        monthly: has(Frequency::Monthly),
    }
}

/// Sets what `user_id` receives; a report kept keeps its start date. The
/// audit line is written with the change when something changed.
pub async fn set_choice(
    db: &Db,
    audit: PendingAudit<'_>,
    user_id: i64,
    choice: Choice,
) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    let before = choice_in(&mut tx, user_id).await?;
    for frequency in Frequency::ALL {
        match (before.has(frequency), choice.has(frequency)) {
            (false, true) => Sql::new(
                "INSERT INTO statistics_report_subscriptions (user_id, frequency, subscribed_at) \
                 VALUES ($1, $2, $3)",
            )
            .bind(user_id)
            .bind(frequency.key())
            .bind(millis(audit.now))
            .execute(&mut tx)
            .await
            .map(drop)?,
            (true, false) => stop_in(&mut tx, user_id, frequency).await?,
            _ => {}
        }
    }
    if before != choice {
        let (now, register) = (audit.now, audit.register);
        audit
            .audit
            .user(user_id)
            .detail(format!("{} → {}", before.in_french(), choice.in_french()))
            .record_in(&mut tx, register, now)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn choice_in(tx: &mut Tx, user_id: i64) -> Result<Choice, sqlx::Error> {
    Ok(choice_from(
        &choice_query(user_id).fetch_all(&mut *tx).await?,
    ))
}

async fn stop_in(tx: &mut Tx, user_id: i64, frequency: Frequency) -> Result<(), sqlx::Error> {
    Sql::new("DELETE FROM statistics_report_subscriptions WHERE user_id = $1 AND frequency = $2")
        .bind(user_id)
        .bind(frequency.key())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// What a stop link stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopLink {
    pub user_id: i64,
    pub email: String,
    pub frequency: Frequency,
    /// The subscription is still on.
    pub active: bool,
}

/// The subscription a stop link's token belongs to; `None` for a token
/// that no sent report carries (wrong, or older than the sent log).
pub async fn stop_link(db: &Db, token: &str) -> Result<Option<StopLink>, DbError> {
    let row: Option<(i64, String, String, i64)> = Sql::new(
        "SELECT r.user_id, u.email, r.frequency, \
           (SELECT COUNT(*) FROM statistics_report_subscriptions s \
             WHERE s.user_id = r.user_id AND s.frequency = r.frequency) \
         FROM statistics_report_sends r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1",
    )
    .bind(digest(token))
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(user_id, email, frequency, active)| {
        Some(StopLink {
            user_id,
            email,
            frequency: Frequency::parse(&frequency)?,
            active: active > 0,
        })
    }))
}

/// Stops the subscription a link stands for; returns it, or `None` for an
/// unknown token. Stopping twice changes nothing and writes no second line.
pub async fn stop_by_link(
    db: &Db,
    audit: PendingAudit<'_>,
    token: &str,
) -> Result<Option<StopLink>, DbError> {
    let Some(link) = stop_link(db, token).await? else {
        return Ok(None);
    };
    if link.active {
        let mut tx = db.begin_write().await?;
        stop_in(&mut tx, link.user_id, link.frequency).await?;
        let (now, register) = (audit.now, audit.register);
        audit
            .audit
            .user(link.user_id)
            .detail(link.frequency.key())
            .record_in(&mut tx, register, now)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(link))
}

/// When a sent report's record goes.
pub fn sent_log_expiry(sent_at: DateTime<Utc>) -> DateTime<Utc> {
    sent_at + Duration::days(SENT_LOG_DAYS)
}
