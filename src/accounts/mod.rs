//! Accounts: validated Utilisateurs and staff accounts, their companies,
//! logins and password reset links (tables `users`, `companies`,
//! `password_resets`, purpose `account`); sign-ups, before they become
//! accounts, in `registrations.rs` (purpose `pending_registrations`).

pub mod forms;
pub mod routes;
pub mod views;

use chrono::{DateTime, Duration, Utc};

use crate::auth::{digest, Role};
use crate::db::{millis, on_pool, BeginWrite, DbError};
use crate::domain::Email;

pub use crate::db::Db;

mod registrations;
pub use registrations::*;

/// How long a password reset link works.
pub const RESET_LINK_LIFETIME: Duration = Duration::hours(1);

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("an account already uses this e-mail address")]
    AddressTaken,
    #[error("no such registration request")]
    NotFound,
    #[error("this registration request has already been decided")]
    AlreadyDecided,
}

impl From<sqlx::Error> for AccountError {
    fn from(error: sqlx::Error) -> Self {
        let unique = error
            .as_database_error()
            .is_some_and(|e| e.is_unique_violation());
        if unique {
            AccountError::AddressTaken
        } else {
            AccountError::Db(DbError::Query(error))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Active,
    Disabled,
}

impl AccountStatus {
    fn parse(key: &str) -> Self {
        match key {
            "active" => AccountStatus::Active,
            _ => AccountStatus::Disabled,
        }
    }
}

/// What a session needs to know of its account, read on every request of a
/// logged-in person.
#[derive(Debug, Clone)]
pub struct SessionAccount {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: AccountStatus,
    pub session_epoch: i64,
    pub company_id: Option<i64>,
}

type SessionAccountRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
);

fn session_account_of(row: SessionAccountRow) -> Option<SessionAccount> {
    let (id, email, first_name, last_name, role, status, session_epoch, company_id) = row;
    Some(SessionAccount {
        id,
        email,
        first_name,
        last_name,
        role: Role::parse(&role)?,
        status: AccountStatus::parse(&status),
        session_epoch,
        company_id,
    })
}

const SESSION_ACCOUNT_COLUMNS: &str =
    "id, email, first_name, last_name, role, status, session_epoch, company_id";

pub async fn session_account(db: &Db, user_id: i64) -> Result<Option<SessionAccount>, DbError> {
    let sql = format!("SELECT {SESSION_ACCOUNT_COLUMNS} FROM users WHERE id = $1");
    let row: Option<SessionAccountRow> = on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_optional(pool)
        .await)?;
    Ok(row.and_then(session_account_of))
}

/// What a login attempt finds, once the password has been checked.
#[derive(Debug, Clone)]
pub enum LoginCheck {
    Valid(SessionAccount),
    /// Right password, but the account is disabled.
    Disabled,
    /// Right password for a sign-up whose address is not confirmed yet.
    Unconfirmed,
    /// Right password for a sign-up staff have not examined yet.
    Pending,
    /// Right password for a refused sign-up.
    Rejected {
        reason: Option<String>,
    },
    /// Wrong address or wrong password: the two are never told apart.
    Invalid,
}

pub async fn check_login(db: &Db, email: &str, password: &str) -> Result<LoginCheck, DbError> {
    let email = email.trim().to_lowercase();
    let sql =
        format!("SELECT {SESSION_ACCOUNT_COLUMNS}, password_hash FROM users WHERE email = $1");
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<i64>,
        String,
    );
    let user: Option<Row> = on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(&email)
        .fetch_optional(pool)
        .await)?;
    if let Some((id, em, first, last, role, status, epoch, company, hash)) = user {
        if !crate::auth::password::verify_password(password.to_owned(), Some(hash)).await {
            return Ok(LoginCheck::Invalid);
        }
        let account = session_account_of((id, em, first, last, role, status, epoch, company));
        return Ok(match account {
            Some(a) if a.status == AccountStatus::Active => LoginCheck::Valid(a),
            Some(_) => LoginCheck::Disabled,
            None => LoginCheck::Invalid,
        });
    }
    let request: Option<(String, String, Option<String>)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT password_hash, status, rejection_reason FROM registrations \
         WHERE email = $1 ORDER BY requested_at DESC, id DESC LIMIT 1"
    )
    .bind(&email)
    .fetch_optional(pool)
    .await)?;
    let (hash, status, reason) = match request {
        Some((hash, status, reason)) => (Some(hash), status, reason),
        None => (None, String::new(), None),
    };
    if !crate::auth::password::verify_password(password.to_owned(), hash).await {
        return Ok(LoginCheck::Invalid);
    }
    Ok(match status.as_str() {
        "pending" => LoginCheck::Pending,
        "unconfirmed" => LoginCheck::Unconfirmed,
        _ => LoginCheck::Rejected { reason },
    })
}

/// A staff (or client) account created from the command line.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub role: Role,
    pub email: Email,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
}

pub async fn create_user(db: &Db, now: DateTime<Utc>, new: &NewUser) -> Result<i64, AccountError> {
    let id: i64 = on_pool!(db, |pool| {
        sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, first_name, last_name, role, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6) RETURNING id"
    )
    .bind(new.email.as_str())
    .bind(&new.password_hash)
    .bind(&new.first_name)
    .bind(&new.last_name)
    .bind(new.role.key())
    .bind(millis(now))
    .fetch_all(pool)
    .await.and_then(crate::db::one)
    })?;
    Ok(id)
}

/// The account's address if the account has proven it owns it (a sign-up
/// link or an address-change link opened): records sent with an address
/// (questions, applications, rights requests, login attempts) are the
/// account's only through it.
pub async fn proven_address(db: &Db, user_id: i64) -> Result<Option<String>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT email FROM users WHERE id = $1 AND email_confirmed_at IS NOT NULL"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)?)
}

pub async fn password_hash_of(db: &Db, user_id: i64) -> Result<Option<String>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT password_hash FROM users WHERE id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)?)
}

/// Sets a new password and ends every session of the account: its epoch
/// goes up and its session rows go.
pub async fn set_password(db: &Db, user_id: i64, password_hash: &str) -> Result<(), DbError> {
    on_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1 WHERE id = $2",
        )
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE password_resets SET used_at = COALESCE(used_at, expires_at) WHERE user_id = $1",
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })?;
    Ok(())
}

/// Ends every session of the account at once, on every instance.
pub async fn end_sessions(db: &Db, user_id: i64) -> Result<(), DbError> {
    on_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    Ok(())
}

/// The active account with this address, for a reset link: (id, first name).
pub async fn active_account_by_email(
    db: &Db,
    email: &str,
) -> Result<Option<(i64, String)>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_as(
        "SELECT id, first_name FROM users WHERE email = $1 AND status = 'active'"
    )
    .bind(email.trim().to_lowercase())
    .fetch_optional(pool)
    .await)?)
}

/// A new single-use reset link's token; only its hash is stored.
pub async fn create_password_reset(
    db: &Db,
    now: DateTime<Utc>,
    user_id: i64,
) -> Result<String, DbError> {
    let token = crate::auth::link_token();
    on_pool!(db, |pool| {
        sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(user_id)
    .bind(digest(&token))
    .bind(millis(now))
    .bind(millis(now + RESET_LINK_LIFETIME))
    .execute(pool)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(token)
}

/// The account a reset token belongs to, while it is unused and unexpired.
pub async fn password_reset_account(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
) -> Result<Option<i64>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_scalar(
        "SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.status = 'active'"
    )
    .bind(digest(token))
    .bind(millis(now))
    .fetch_optional(pool)
    .await
    })?)
}

/// Uses a reset token: marks it used, so that a second use finds nothing,
/// then sets the new password (which ends every session). `None` when the
/// link is unknown, used or expired. Should setting the password fail after
/// the token is spent, the person asks for a new link: nothing half-done
/// lets anyone in.
pub async fn reset_password(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
    password_hash: &str,
) -> Result<Option<i64>, DbError> {
    let user: Option<i64> = on_pool!(db, |pool| sqlx::query_scalar(
        "UPDATE password_resets SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id"
    )
    .bind(millis(now))
    .bind(digest(token))
    .fetch_all(pool)
    .await
    .map(crate::db::first))?;
    if let Some(user_id) = user {
        set_password(db, user_id, password_hash).await?;
    }
    Ok(user)
}

/// The addresses of the active staff accounts.
pub async fn staff_addresses(db: &Db) -> Result<Vec<String>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT email FROM users WHERE role = 'admin' AND status = 'active' ORDER BY id"
    )
    .fetch_all(pool)
    .await)?)
}

/// What an Utilisateur sees of their own account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Profile {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub civility: Option<String>,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub company_name: Option<String>,
    pub company_kind: Option<String>,
    pub address: Option<String>,
    pub address_extra: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub created_at: i64,
    /// When the account proved it owns its address; `None` until then.
    pub email_confirmed_at: Option<i64>,
}

pub async fn profile(db: &Db, user_id: i64) -> Result<Option<Profile>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_as(
        "SELECT u.email, u.first_name, u.last_name, u.civility, u.job_title, u.phone, \
           c.name AS company_name, c.kind AS company_kind, c.address, c.address_extra, c.city, \
           c.postal_code, c.country, u.created_at, u.email_confirmed_at \
         FROM users u LEFT JOIN companies c ON c.id = u.company_id WHERE u.id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)?)
}

/// One account as staff see it in the list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountSummary {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    pub status: String,
    pub company_name: Option<String>,
    pub created_at: i64,
}

pub async fn accounts(db: &Db) -> Result<Vec<AccountSummary>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.status, c.name AS company_name, u.created_at \
         FROM users u LEFT JOIN companies c ON c.id = u.company_id ORDER BY u.last_name, u.first_name, u.id LIMIT 1000"
    )
    .fetch_all(pool)
    .await
    })?)
}

pub async fn account_summary(db: &Db, id: i64) -> Result<Option<AccountSummary>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.status, c.name AS company_name, u.created_at \
         FROM users u LEFT JOIN companies c ON c.id = u.company_id WHERE u.id = $1"
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    })?)
}

/// Gives an account another role; it applies from the account's next request.
pub async fn set_role(db: &Db, id: i64, role: Role) -> Result<bool, DbError> {
    let changed = on_pool!(db, |pool| sqlx::query(
        "UPDATE users SET role = $1 WHERE id = $2"
    )
    .bind(role.key())
    .bind(id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(changed == 1)
}

/// Disables or re-enables an account; disabling ends its sessions at once.
pub async fn set_status(db: &Db, id: i64, status: AccountStatus) -> Result<bool, DbError> {
    let key = match status {
        AccountStatus::Active => "active",
        AccountStatus::Disabled => "disabled",
    };
    let changed = on_pool!(db, |pool| sqlx::query(
        "UPDATE users SET status = $1 WHERE id = $2"
    )
    .bind(key)
    .bind(id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    if changed == 1 && status == AccountStatus::Disabled {
        end_sessions(db, id).await?;
    }
    Ok(changed == 1)
}

/// A client company as staff see it in the list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompanySummary {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub city: String,
    pub users: i64,
    pub buildings: i64,
    pub devices: i64,
}

const COMPANY_SUMMARY: &str = "SELECT c.id, c.name, c.kind, c.city, \
    (SELECT COUNT(*) FROM users u WHERE u.company_id = c.id) AS users, \
    (SELECT COUNT(*) FROM buildings b WHERE b.company_id = c.id) AS buildings, \
    (SELECT COUNT(*) FROM devices d JOIN buildings b ON b.id = d.building_id WHERE b.company_id = c.id) AS devices \
    FROM companies c";

pub async fn companies(db: &Db) -> Result<Vec<CompanySummary>, DbError> {
    let sql = format!("{COMPANY_SUMMARY} ORDER BY c.name, c.id LIMIT 1000");
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .fetch_all(pool)
        .await)?)
}

pub async fn company(db: &Db, id: i64) -> Result<Option<CompanySummary>, DbError> {
    let sql = format!("{COMPANY_SUMMARY} WHERE c.id = $1");
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

/// The users of a company.
pub async fn company_users(db: &Db, company_id: i64) -> Result<Vec<AccountSummary>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.status, c.name AS company_name, u.created_at \
         FROM users u LEFT JOIN companies c ON c.id = u.company_id WHERE u.company_id = $1 ORDER BY u.last_name, u.id"
    )
    .bind(company_id)
    .fetch_all(pool)
    .await
    })?)
}
