//! Accounts: validated Utilisateurs and staff accounts (table `users`,
//! purpose `account`): what a session reads of them, the login check, the
//! profile, the staff list, roles, status and passwords.

use super::AccountError;
use crate::audit::PendingAudit;
use crate::auth::Role;
use crate::db::{millis, on_pool, Db, DbError, Sql, Tx};
use crate::domain::Email;

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

#[derive(sqlx::FromRow)]
struct SessionAccountRow {
    id: i64,
    email: String,
    first_name: String,
    last_name: String,
    role: String,
    status: String,
    session_epoch: i64,
    company_id: Option<i64>,
}

impl SessionAccountRow {
    /// `None` for a role this version does not know.
    fn account(self) -> Option<SessionAccount> {
        Some(SessionAccount {
            id: self.id,
            email: self.email,
            first_name: self.first_name,
            last_name: self.last_name,
            role: Role::parse(&self.role)?,
            status: AccountStatus::parse(&self.status),
            session_epoch: self.session_epoch,
            company_id: self.company_id,
        })
    }
}

const SESSION_ACCOUNT_COLUMNS: &str =
    "id, email, first_name, last_name, role, status, session_epoch, company_id";

pub async fn session_account(db: &Db, user_id: i64) -> Result<Option<SessionAccount>, DbError> {
    let sql = format!("SELECT {SESSION_ACCOUNT_COLUMNS} FROM users WHERE id = $1");
    let row: Option<SessionAccountRow> = on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_optional(pool)
        .await)?;
    Ok(row.and_then(SessionAccountRow::account))
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
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        account: SessionAccountRow,
        password_hash: String,
    }
    let user: Option<Row> = on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(&email)
        .fetch_optional(pool)
        .await)?;
    if let Some(user) = user {
        let hash = Some(user.password_hash);
        if !crate::auth::password::verify_password(password.to_owned(), hash).await {
            return Ok(LoginCheck::Invalid);
        }
        return Ok(match user.account.account() {
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
    /// The company of a client account (staff accounts have none).
    pub company: CompanyOfNewUser,
}

/// Where a new account belongs.
#[derive(Debug, Clone)]
pub enum CompanyOfNewUser {
    None,
    /// An existing company, by id.
    Existing(i64),
    /// A company created with the account.
    New(super::NewCompany),
}

/// Creates the account (and its new company), with `audit` naming it, in
/// one transaction: an unknown company creates nothing.
pub async fn create_user(
    db: &Db,
    new: &NewUser,
    audit: PendingAudit<'_>,
) -> Result<i64, AccountError> {
    let now = millis(audit.now);
    let mut tx = db.begin_write().await?;
    let company = match &new.company {
        CompanyOfNewUser::None => None,
        CompanyOfNewUser::Existing(id) => {
            let live: i64 =
                Sql::new("SELECT COUNT(*) FROM companies WHERE id = $1 AND expires_at IS NULL")
                    .bind(*id)
                    .fetch_value(&mut tx)
                    .await?;
            if live == 0 {
                return Err(AccountError::UnknownCompany(*id));
            }
            Some(*id)
        }
        CompanyOfNewUser::New(c) => Some(super::create_company(&mut tx, c, now).await?),
    };
    let id = insert_user(&mut tx, new, company, now)
        .await
        .map_err(AccountError::from)?;
    let audit = audit.user(id);
    let audit = match company {
        Some(company) => audit.subject(format!("company:{company}")),
        None => audit,
    };
    audit.record_in(&mut tx).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_user(
    tx: &mut Tx,
    new: &NewUser,
    company: Option<i64>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    Sql::new(
        "INSERT INTO users (email, password_hash, first_name, last_name, role, status, \
           created_at, company_id) VALUES ($1, $2, $3, $4, $5, 'active', $6, $7) RETURNING id",
    )
    .bind(new.email.as_str())
    .bind(new.password_hash.as_str())
    .bind(new.first_name.as_str())
    .bind(new.last_name.as_str())
    .bind(new.role.key())
    .bind(now)
    .bind(company)
    .fetch_value(tx)
    .await
}

/// The account's address if the account has proven it owns it (a sign-up
/// link or an address-change link opened): records sent with an address
/// (questions, applications, rights requests, login attempts) are the
/// account's only through it.
pub async fn proven_address(db: &Db, user_id: i64) -> Result<Option<String>, DbError> {
    user_text(
        db,
        "SELECT email FROM users WHERE id = $1 AND email_confirmed_at IS NOT NULL",
        user_id,
    )
    .await
}

pub async fn password_hash_of(db: &Db, user_id: i64) -> Result<Option<String>, DbError> {
    user_text(db, "SELECT password_hash FROM users WHERE id = $1", user_id).await
}

/// One text column of account `user_id`, if `sql` finds it.
async fn user_text(db: &Db, sql: &str, user_id: i64) -> Result<Option<String>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(sql)
        .bind(user_id)
        .fetch_optional(pool)
        .await)?)
}

/// Sets a new password and ends every session of the account (its epoch
/// goes up and its session rows go), with `audit` in the same transaction.
pub async fn set_password(
    db: &Db,
    user_id: i64,
    password_hash: &str,
    audit: PendingAudit<'_>,
) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    set_password_in(&mut tx, user_id, password_hash).await?;
    audit.record_in(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The new password, every session ended and every reset link spent.
pub(crate) async fn set_password_in(
    tx: &mut Tx,
    user_id: i64,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    Sql::new("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    end_sessions_in(tx, user_id).await?;
    Sql::new(
        "UPDATE password_resets SET used_at = COALESCE(used_at, expires_at) WHERE user_id = $1",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Ends every session of the account at once, on every instance.
pub async fn end_sessions(db: &Db, user_id: i64) -> Result<(), DbError> {
    let mut tx = db.begin_write().await?;
    end_sessions_in(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// A new session epoch (cookies of older sessions no longer count) and no
/// stored session left.
pub(crate) async fn end_sessions_in(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    Sql::new("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Sql::new("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
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
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    pub created_at: i64,
}

pub async fn accounts(db: &Db) -> Result<Vec<AccountSummary>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.status, u.company_id, c.name AS company_name, u.created_at \
         FROM users u LEFT JOIN companies c ON c.id = u.company_id ORDER BY u.last_name, u.first_name, u.id LIMIT 1000"
    )
    .fetch_all(pool)
    .await
    })?)
}

pub async fn account_summary(db: &Db, id: i64) -> Result<Option<AccountSummary>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.status, u.company_id, c.name AS company_name, u.created_at \
         FROM users u LEFT JOIN companies c ON c.id = u.company_id WHERE u.id = $1"
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    })?)
}

/// Gives an account another role; it applies from the account's next request.
pub async fn set_role(
    db: &Db,
    id: i64,
    role: Role,
    audit: PendingAudit<'_>,
) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let changed = Sql::new("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.key())
        .bind(id)
        .execute(&mut tx)
        .await?;
    if changed == 1 {
        audit.record_in(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(changed == 1)
}

/// Disables or re-enables an account; disabling ends its sessions at once.
/// `audit` is written with the change.
pub async fn set_status(
    db: &Db,
    id: i64,
    status: AccountStatus,
    audit: PendingAudit<'_>,
) -> Result<bool, DbError> {
    let key = match status {
        AccountStatus::Active => "active",
        AccountStatus::Disabled => "disabled",
    };
    let mut tx = db.begin_write().await?;
    let changed = Sql::new("UPDATE users SET status = $1 WHERE id = $2")
        .bind(key)
        .bind(id)
        .execute(&mut tx)
        .await?;
    if changed == 1 {
        if status == AccountStatus::Disabled {
            end_sessions_in(&mut tx, id).await?;
        }
        audit.record_in(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(changed == 1)
}
