//! Which company a client account belongs to, as staff set it: attaching an
//! account gives it the company's buildings, requests and contract from its
//! next page; detaching takes them away just as fast (the session reads
//! the account's company on every request, so no session has to end).

use crate::audit::PendingAudit;
use crate::auth::Role;
use crate::db::{on_pool, Db, DbError, Sql, Tx};

/// What an attempt to change an account's company did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipChange {
    Done,
    /// No such account.
    NoAccount,
    /// A staff account (admin, marketing): only clients belong to a company.
    NotClient,
    /// No such company, or one emptied by an erasure.
    NoCompany,
    /// Detaching an account that has no company: nothing to do.
    AlreadyDetached,
    /// Attaching an account to the company it already belongs to.
    Unchanged,
}

/// A company staff can attach an account to, for the select of the account page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompanyChoice {
    pub id: i64,
    pub name: String,
    pub city: String,
}

/// Live companies (not the rows an erasure emptied), by name.
pub async fn company_choices(db: &Db) -> Result<Vec<CompanyChoice>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT id, name, city FROM companies WHERE expires_at IS NULL ORDER BY name, id LIMIT 1000"
    )
    .fetch_all(pool)
    .await
    })?)
}

/// Attaches client account `user_id` to `company_id` (moving it from any
/// other), with `audit` in the same transaction.
pub async fn attach_to_company(
    db: &Db,
    user_id: i64,
    company_id: i64,
    audit: PendingAudit<'_>,
) -> Result<MembershipChange, DbError> {
    let mut tx = db.begin_write().await?;
    let before = match client_company(&mut tx, user_id).await? {
        Ok(before) => before,
        Err(refused) => return Ok(refused),
    };
    let live: i64 = Sql::new("SELECT COUNT(*) FROM companies WHERE id = $1 AND expires_at IS NULL")
        .bind(company_id)
        .fetch_value(&mut tx)
        .await?;
    if live == 0 {
        return Ok(MembershipChange::NoCompany);
    }
    if before == Some(company_id) {
        return Ok(MembershipChange::Unchanged);
    }
    Sql::new("UPDATE users SET company_id = $1 WHERE id = $2")
        .bind(company_id)
        .bind(user_id)
        .execute(&mut tx)
        .await?;
    let detail = before.map(|previous| format!("auparavant : société {previous}"));
    audit
        .user(user_id)
        .subject(format!("company:{company_id}"))
        .maybe_detail(detail)
        .record_in(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(MembershipChange::Done)
}

/// Detaches client account `user_id` from its company, with `audit` in the
/// same transaction. What the account wrote for the company (requests,
/// messages) stays the company's.
pub async fn detach_from_company(
    db: &Db,
    user_id: i64,
    audit: PendingAudit<'_>,
) -> Result<MembershipChange, DbError> {
    let mut tx = db.begin_write().await?;
    let before = match client_company(&mut tx, user_id).await? {
        Ok(Some(before)) => before,
        Ok(None) => return Ok(MembershipChange::AlreadyDetached),
        Err(refused) => return Ok(refused),
    };
    Sql::new("UPDATE users SET company_id = NULL WHERE id = $1")
        .bind(user_id)
        .execute(&mut tx)
        .await?;
    audit
        .user(user_id)
        .subject(format!("company:{before}"))
        .record_in(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(MembershipChange::Done)
}

/// The company of client account `user_id`, or why it cannot have one.
async fn client_company(
    tx: &mut Tx,
    user_id: i64,
) -> Result<Result<Option<i64>, MembershipChange>, sqlx::Error> {
    let found: Option<(String, Option<i64>)> =
        Sql::new("SELECT role, company_id FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    Ok(match found {
        None => Err(MembershipChange::NoAccount),
        Some((role, _)) if Role::parse(&role) != Some(Role::Client) => {
            Err(MembershipChange::NotClient)
        }
        Some((_, company)) => Ok(company),
    })
}
