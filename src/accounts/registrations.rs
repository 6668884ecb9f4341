//! Sign-ups: stored unconfirmed until the link mailed to their address is
//! opened, then pending for staff, who validate them into a company and an
//! account, or refuse them (table `registrations`, purpose
//! `pending_registrations`).

use chrono::{DateTime, Duration, Utc};

use super::AccountError;
use crate::audit::PendingAudit;
use crate::auth::digest;
use crate::db::{millis, on_pool, BeginWrite, Db, DbError, Sql, Tx};
use crate::domain::{Civility, CompanyKind, Country, Email, Phone, PostalCode};
use crate::privacy::RetentionWindow;

/// A company as given at registration.
#[derive(Debug, Clone)]
pub struct NewCompany {
    pub name: String,
    pub kind: CompanyKind,
    pub address: String,
    pub address_extra: Option<String>,
    pub city: String,
    pub postal_code: PostalCode,
    pub country: Country,
}

/// A validated registration form, with the password already hashed.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub email: Email,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub civility: Civility,
    pub job_title: String,
    pub phone: Phone,
    pub company: NewCompany,
}

/// How long the link that proves a sign-up's address works; an unconfirmed
/// sign-up is purged after it.
pub const CONFIRMATION_LINK_LIFETIME: Duration = Duration::days(7);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrationOutcome {
    /// Stored, unconfirmed: `token` is the single-use link's, to send to the
    /// address. Staff see nothing until the link is opened.
    AwaitingConfirmation { token: String },
    /// An account or a confirmed request already uses the address: nothing
    /// is stored, and the page says the same as for a new request.
    AddressAlreadyKnown,
}

/// Stores a sign-up until its address is proven. An earlier unconfirmed
/// sign-up with the same address is replaced: whoever typed someone else's
/// address cannot keep its owner from asking for an account.
pub async fn register(
    db: &Db,
    now: DateTime<Utc>,
    new: &NewRegistration,
) -> Result<RegistrationOutcome, AccountError> {
    let email = new.email.as_str();
    let token = crate::auth::link_token();
    let c = &new.company;
    let outcome = on_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let known: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM users WHERE email = $1) \
                  + (SELECT COUNT(*) FROM registrations WHERE email = $1 AND status = 'pending')",
        )
        .bind(email)
        .fetch_one(&mut *tx)
        .await?;
        if known > 0 {
            return Ok::<_, AccountError>(RegistrationOutcome::AddressAlreadyKnown);
        }
        sqlx::query("DELETE FROM registrations WHERE email = $1 AND status = 'unconfirmed'")
            .bind(email)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO registrations (email, password_hash, first_name, last_name, civility, \
               job_title, phone, company_name, company_kind, address, address_extra, city, \
               postal_code, country, status, requested_at, expires_at, confirm_token_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'unconfirmed', \
               $15, $16, $17)",
        )
        .bind(email)
        .bind(&new.password_hash)
        .bind(&new.first_name)
        .bind(&new.last_name)
        .bind(new.civility.key())
        .bind(&new.job_title)
        .bind(new.phone.as_str())
        .bind(&c.name)
        .bind(c.kind.key())
        .bind(&c.address)
        .bind(&c.address_extra)
        .bind(&c.city)
        .bind(c.postal_code.as_str())
        .bind(c.country.code())
        .bind(millis(now))
        .bind(millis(now + CONFIRMATION_LINK_LIFETIME))
        .bind(digest(&token))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, AccountError>(RegistrationOutcome::AwaitingConfirmation {
            token: token.clone(),
        })
    })?;
    Ok(outcome)
}

/// What opening a sign-up's link did.
#[derive(Debug, Clone)]
pub enum RegistrationConfirmation {
    /// The address is proven: the request now waits for staff.
    Confirmed(Box<Registration>),
    /// Meanwhile, the address got an account or another confirmed request:
    /// this one is dropped.
    AddressAlreadyKnown,
    /// The link is unknown, used or expired.
    InvalidLink,
}

/// Proves a sign-up's address, once: the request becomes `pending` for
/// staff, kept for the pending-registrations window from its sending.
pub async fn confirm_registration(
    db: &Db,
    now: DateTime<Utc>,
    retention: RetentionWindow,
    token: &str,
) -> Result<RegistrationConfirmation, AccountError> {
    let select = format!(
        "SELECT {REGISTRATION_COLUMNS} FROM registrations \
         WHERE confirm_token_hash = $1 AND status = 'unconfirmed' AND expires_at > $2"
    );
    let outcome = on_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let found: Option<Registration> = sqlx::query_as(&select)
            .bind(digest(token))
            .bind(millis(now))
            .fetch_optional(&mut *tx)
            .await?;
        let Some(mut r) = found else {
            return Ok::<_, AccountError>(RegistrationConfirmation::InvalidLink);
        };
        let known: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM users WHERE email = $1) \
                  + (SELECT COUNT(*) FROM registrations WHERE email = $1 AND status = 'pending')",
        )
        .bind(&r.email)
        .fetch_one(&mut *tx)
        .await?;
        if known > 0 {
            sqlx::query("DELETE FROM registrations WHERE id = $1")
                .bind(r.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(RegistrationConfirmation::AddressAlreadyKnown);
        }
        let requested = DateTime::from_timestamp_millis(r.requested_at).unwrap_or(now);
        let expires_at = millis(retention.period.after(requested));
        sqlx::query(
            "UPDATE registrations SET status = 'pending', confirmed_at = $1, \
               confirm_token_hash = NULL, expires_at = $2 WHERE id = $3",
        )
        .bind(millis(now))
        .bind(expires_at)
        .bind(r.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        r.status = "pending".to_owned();
        r.confirmed_at = Some(millis(now));
        r.expires_at = expires_at;
        Ok::<_, AccountError>(RegistrationConfirmation::Confirmed(Box::new(r)))
    })?;
    Ok(outcome)
}

/// A sign-up as staff review it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Registration {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub civility: String,
    pub job_title: String,
    pub phone: String,
    pub company_name: String,
    pub company_kind: String,
    pub address: String,
    pub address_extra: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub requested_at: i64,
    pub expires_at: i64,
    /// When the address was proven; `None` for a sign-up sent before
    /// addresses were checked.
    pub confirmed_at: Option<i64>,
}

const REGISTRATION_COLUMNS: &str = "id, email, first_name, last_name, civility, job_title, phone, \
    company_name, company_kind, address, address_extra, city, postal_code, country, status, \
    rejection_reason, requested_at, expires_at, confirmed_at";

pub async fn pending_registrations(db: &Db) -> Result<Vec<Registration>, DbError> {
    let sql = format!(
        "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE status = 'pending' ORDER BY requested_at, id"
    );
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .fetch_all(pool)
        .await)?)
}

/// A sign-up as staff may see it: never one whose address is unproven.
pub async fn registration(db: &Db, id: i64) -> Result<Option<Registration>, DbError> {
    let sql = format!(
        "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE id = $1 AND status <> 'unconfirmed'"
    );
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

/// Staff accept a sign-up: its company and its account are created, active,
/// and the request leaves the pending-registrations table, with `audit`, in
/// one transaction.
pub async fn validate_registration(
    db: &Db,
    id: i64,
    audit: PendingAudit<'_>,
) -> Result<(i64, Registration), AccountError> {
    let now = millis(audit.now);
    let mut tx = db.begin_write().await?;
    let found: Option<Registration> = Sql::new(format!(
        "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE id = $1 AND status <> 'unconfirmed'"
    ))
    .bind(id)
    .fetch_optional(&mut tx)
    .await?;
    let Some(r) = found else {
        return Err(AccountError::NotFound);
    };
    if r.status != "pending" {
        return Err(AccountError::AlreadyDecided);
    }
    let company_id = create_company_of(&mut tx, &r, now).await?;
    let user_id = create_account_of(&mut tx, &r, company_id, now).await?;
    Sql::new("DELETE FROM registrations WHERE id = $1")
        .bind(id)
        .execute(&mut tx)
        .await?;
    audit.user(user_id).record_in(&mut tx).await?;
    tx.commit().await?;
    Ok((user_id, r))
}

async fn create_company_of(tx: &mut Tx, r: &Registration, now: i64) -> Result<i64, sqlx::Error> {
    Sql::new(
        "INSERT INTO companies (name, kind, address, address_extra, city, postal_code, country, \
           created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(r.company_name.as_str())
    .bind(r.company_kind.as_str())
    .bind(r.address.as_str())
    .bind(&r.address_extra)
    .bind(r.city.as_str())
    .bind(r.postal_code.as_str())
    .bind(r.country.as_str())
    .bind(now)
    .fetch_value(tx)
    .await
}

/// The client account, active, with the password hash chosen at sign-up.
async fn create_account_of(
    tx: &mut Tx,
    r: &Registration,
    company_id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let hash: String = Sql::new("SELECT password_hash FROM registrations WHERE id = $1")
        .bind(r.id)
        .fetch_value(&mut *tx)
        .await?;
    Sql::new(
        "INSERT INTO users (company_id, email, password_hash, first_name, last_name, civility, \
           job_title, phone, role, status, created_at, email_confirmed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'client', 'active', $9, $10) RETURNING id",
    )
    .bind(company_id)
    .bind(r.email.as_str())
    .bind(hash)
    .bind(r.first_name.as_str())
    .bind(r.last_name.as_str())
    .bind(r.civility.as_str())
    .bind(r.job_title.as_str())
    .bind(r.phone.as_str())
    .bind(now)
    .bind(r.confirmed_at)
    .fetch_value(tx)
    .await
}

/// Staff refuse a sign-up. It stays, refused with its reason, until the
/// pending-registrations retention ends, so that a login attempt can say why.
/// `audit` is written with the refusal.
pub async fn reject_registration(
    db: &Db,
    id: i64,
    reason: &str,
    audit: PendingAudit<'_>,
) -> Result<Registration, AccountError> {
    let mut tx = db.begin_write().await?;
    let updated = Sql::new(
        "UPDATE registrations SET status = 'rejected', rejection_reason = $1, decided_at = $2 \
         WHERE id = $3 AND status = 'pending'",
    )
    .bind(reason)
    .bind(millis(audit.now))
    .bind(id)
    .execute(&mut tx)
    .await?;
    if updated == 1 {
        audit.record_in(&mut tx).await?;
    }
    tx.commit().await?;
    let registration = registration(db, id).await?.ok_or(AccountError::NotFound)?;
    if updated == 0 {
        return Err(AccountError::AlreadyDecided);
    }
    Ok(registration)
}

/// Counts for the staff home page: pending sign-ups.
pub async fn pending_count(db: &Db) -> Result<i64, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE status = 'pending'"
    )
    .fetch_one(pool)
    .await)?)
}
