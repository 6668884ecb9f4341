//! Rectification and objection from the Profile: the fields given at
//! registration, the e-mail address (changed only once the link sent to the
//! new address is clicked), and the objection to service-news e-mails.

use chrono::{DateTime, Duration, Utc};

use super::RightsError;
use crate::accounts::NewCompany;
use crate::auth::digest;
use crate::db::{millis, on_pool, BeginWrite, Db, DbError};
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

/// Writes the corrected profile, and the company's, in one transaction.
pub async fn update_profile(
    db: &Db,
    user_id: i64,
    company_id: Option<i64>,
    update: &ProfileUpdate,
) -> Result<(), RightsError> {
    on_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE users SET first_name = $1, last_name = $2, civility = $3, job_title = $4, \
               phone = $5 WHERE id = $6",
        )
        .bind(&update.first_name)
        .bind(&update.last_name)
        .bind(update.civility.key())
        .bind(&update.job_title)
        .bind(update.phone.as_str())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if let (Some(company_id), Some(c)) = (company_id, &update.company) {
            sqlx::query(
                "UPDATE companies SET name = $1, kind = $2, address = $3, address_extra = $4, \
                   city = $5, postal_code = $6, country = $7 WHERE id = $8",
            )
            .bind(&c.name)
            .bind(c.kind.key())
            .bind(&c.address)
            .bind(&c.address_extra)
            .bind(&c.city)
            .bind(c.postal_code.as_str())
            .bind(c.country.code())
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    })?;
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
    now: DateTime<Utc>,
    user_id: i64,
    new_email: &Email,
) -> Result<String, RightsError> {
    let token = crate::auth::link_token();
    on_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM email_changes WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO email_changes (user_id, new_email, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(new_email.as_str())
        .bind(digest(&token))
        .bind(millis(now))
        .bind(millis(now + EMAIL_LINK_LIFETIME))
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })?;
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
/// account has proven it owns the address.
pub async fn confirm_email_change(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
) -> Result<EmailChange, RightsError> {
    let outcome = on_pool!(db, |pool| async {
        let mut tx = pool.begin_write().await?;
        let pending: Option<(i64, i64, String)> = sqlx::query_as(
            "UPDATE email_changes SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
             RETURNING id, user_id, new_email",
        )
        .bind(millis(now))
        .bind(digest(token))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((_, user_id, new_email)) = pending else {
            return Ok::<_, sqlx::Error>(EmailChange::InvalidLink);
        };
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND id <> $2")
                .bind(&new_email)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            tx.commit().await?;
            return Ok(EmailChange::AddressTaken);
        }
        let old_email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(old_email) = old_email else {
            return Ok(EmailChange::InvalidLink);
        };
        sqlx::query("UPDATE users SET email = $1, email_confirmed_at = $2 WHERE id = $3")
            .bind(&new_email)
            .bind(millis(now))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if new_email != old_email {
            // A new address ends every session and every reset link: whoever
            // had a foot in the account under the old address is out.
            sqlx::query("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
            )
            .bind(millis(now))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(EmailChange::Done {
            user_id,
            old_email,
            new_email,
        })
    }
    .await);
    match outcome {
        Ok(done) => Ok(done),
        // Two accounts confirming the same address at once: the unique
        // index refuses the second.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(EmailChange::AddressTaken),
        Err(e) => Err(e.into()),
    }
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
/// objection (`None`).
pub async fn set_news_objection(
    db: &Db,
    user_id: i64,
    objected_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    on_pool!(db, |pool| sqlx::query(
        "UPDATE users SET news_objected_at = $1 WHERE id = $2"
    )
    .bind(objected_at.map(millis))
    .bind(user_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
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
