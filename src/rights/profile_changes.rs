//! Rectification and objection from the Profile: the fields given at
//! registration, the e-mail address (changed only once the link sent to the
//! new address is clicked), and the objection to service-news e-mails.

use chrono::{DateTime, Duration, Utc};

use super::RightsError;
use crate::accounts::NewCompany;
use crate::audit::PendingAudit;
use crate::auth::digest;
use crate::db::{millis, on_pool, Db, DbError, Sql, Tx};
use crate::domain::{Civility, Email, Phone};

/// How long the link sent to a new address stays valid.
pub const EMAIL_LINK_LIFETIME: Duration = Duration::hours(24);

/// A validated rectification of the profile.
#[derive(Debug, Clone)]
pub struct ProfileUpdate {
    pub first_name: String,
    pub last_name: String,
    pub civility: Civility,
    pub job_title: String,
    pub phone: Phone,
    /// `None` for an account without a company (staff).
    pub company: Option<NewCompany>,
}

/// Writes the corrected profile, and the company's, with its audit line,
/// in one transaction.
pub async fn update_profile(
    db: &Db,
    audit: PendingAudit<'_>,
    user_id: i64,
    company_id: Option<i64>,
    update: &ProfileUpdate,
) -> Result<(), RightsError> {
    let mut tx = db.begin_write().await?;
    Sql::new(
        "UPDATE users SET first_name = $1, last_name = $2, civility = $3, job_title = $4, \
           phone = $5 WHERE id = $6",
    )
    .bind(update.first_name.as_str())
    .bind(update.last_name.as_str())
    .bind(update.civility.key())
    .bind(update.job_title.as_str())
    .bind(update.phone.as_str())
    .bind(user_id)
    .execute(&mut tx)
    .await?;
    if let (Some(company_id), Some(c)) = (company_id, &update.company) {
        Sql::new(
            "UPDATE companies SET name = $1, kind = $2, address = $3, address_extra = $4, \
               city = $5, postal_code = $6, country = $7 WHERE id = $8",
        )
        .bind(c.name.as_str())
        .bind(c.kind.key())
        .bind(c.address.as_str())
        .bind(&c.address_extra)
        .bind(c.city.as_str())
        .bind(c.postal_code.as_str())
        .bind(c.country.code())
        .bind(company_id)
        .execute(&mut tx)
        .await?;
    }
    audit.record_in(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether an address is already an account's.
pub async fn email_in_use(db: &Db, email: &Email) -> Result<bool, DbError> {
    let found: Option<i64> = on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT id FROM users WHERE email = $1"
    )
    .bind(email.as_str())
    .fetch_optional(pool)
    .await)?;
    Ok(found.is_some())
}

/// A change of address waiting for its link; returns the link's token. An
/// earlier pending change of the same account is replaced. `new_email` may
/// be the account's own address: opening the link then proves the account
/// owns it.
pub async fn request_email_change(
    db: &Db,
    audit: PendingAudit<'_>,
    user_id: i64,
    new_email: &Email,
) -> Result<String, RightsError> {
    let token = crate::auth::link_token();
    let now = audit.now;
    let mut tx = db.begin_write().await?;
    Sql::new("DELETE FROM email_changes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .execute(&mut tx)
        .await?;
    Sql::new(
        "INSERT INTO email_changes (user_id, new_email, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(new_email.as_str())
    .bind(digest(&token))
    .bind(millis(now))
    .bind(millis(now + EMAIL_LINK_LIFETIME))
    .execute(&mut tx)
    .await?;
    audit.record_in(&mut tx).await?;
    tx.commit().await?;
    Ok(token)
}

/// What a click on the link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailChange {
    Done {
        user_id: i64,
        old_email: String,
        new_email: String,
    },
    /// The link is unknown, used or expired.
    InvalidLink,
    /// Another account took the address in the meantime.
    AddressTaken,
}

/// Applies the change the link stands for, once, and records that the
/// account has proven it owns the address; `audit` is written with it.
pub async fn confirm_email_change(
    db: &Db,
    token: &str,
    audit: PendingAudit<'_>,
) -> Result<EmailChange, RightsError> {
    match apply_email_change(db, token, audit).await {
        Ok(done) => Ok(done),
        // Two accounts confirming the same address at once: the unique
        // index refuses the second.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(EmailChange::AddressTaken),
        Err(e) => Err(e.into()),
    }
}

async fn apply_email_change(
    db: &Db,
    token: &str,
    audit: PendingAudit<'_>,
) -> Result<EmailChange, sqlx::Error> {
    let now = audit.now;
    let mut tx = db.begin_write().await?;
    let pending: Option<(i64, String)> = Sql::new(
        "UPDATE email_changes SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, new_email",
    )
    .bind(millis(now))
    .bind(digest(token))
    .fetch_optional(&mut tx)
    .await?;
    let Some((user_id, new_email)) = pending else {
        return Ok(EmailChange::InvalidLink);
    };
    let taken: Option<(i64,)> = Sql::new("SELECT id FROM users WHERE email = $1 AND id <> $2")
        .bind(new_email.as_str())
        .bind(user_id)
        .fetch_optional(&mut tx)
        .await?;
    if taken.is_some() {
        tx.commit().await?;
        return Ok(EmailChange::AddressTaken);
    }
    let old_email: Option<(String,)> = Sql::new("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut tx)
        .await?;
    let Some((old_email,)) = old_email else {
        return Ok(EmailChange::InvalidLink);
    };
    Sql::new("UPDATE users SET email = $1, email_confirmed_at = $2 WHERE id = $3")
        .bind(new_email.as_str())
        .bind(millis(now))
        .bind(user_id)
        .execute(&mut tx)
        .await?;
    let same = new_email == old_email;
    if !same {
        end_sign_ins(&mut tx, user_id, now).await?;
    }
    audit
        .user(user_id)
        .maybe_detail(same.then(|| "adresse actuelle confirmée".to_owned()))
        .record_in(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(EmailChange::Done {
        user_id,
        old_email,
        new_email,
    })
}

/// A new address ends every session and every reset link: whoever had a
/// foot in the account under the old address is out.
async fn end_sign_ins(tx: &mut Tx, user_id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::accounts::end_sessions_in(tx, user_id).await?;
    Sql::new("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(millis(now))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The address a pending change waits to confirm, for the data page.
pub async fn pending_email_change(
    db: &Db,
    now: DateTime<Utc>,
    user_id: i64,
) -> Result<Option<String>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT new_email FROM email_changes \
         WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT 1"
    )
    .bind(user_id)
    .bind(millis(now))
    .fetch_optional(pool)
    .await)?)
}

/// Objects to the service-news e-mails (`Some(now)`), or withdraws the
/// objection (`None`), with its audit line.
pub async fn set_news_objection(
    db: &Db,
    audit: PendingAudit<'_>,
    user_id: i64,
    objected_at: Option<DateTime<Utc>>,
) -> Result<(), RightsError> {
    let mut tx = db.begin_write().await?;
    Sql::new("UPDATE users SET news_objected_at = $1 WHERE id = $2")
        .bind(objected_at.map(millis))
        .bind(user_id)
        .execute(&mut tx)
        .await?;
    audit.record_in(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn news_objected_at(db: &Db, user_id: i64) -> Result<Option<i64>, DbError> {
    let at: Option<Option<i64>> = on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT news_objected_at FROM users WHERE id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)?;
    Ok(at.flatten())
}
