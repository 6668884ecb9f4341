//! Demandes de proposition commerciale: the client asks for a quote on
//! chosen devices, with or without a pré-visite; staff answer. Tables
//! `proposal_requests` and `proposal_devices` (purpose `account`).

pub mod forms;
pub mod routes;
pub mod views;
pub mod workflow;

use chrono::{DateTime, Utc};

use crate::db::pagination::{fetch_page, ListSql, PageRequest, Paged};
use crate::db::{millis, on_pool, BeginWrite, Db, DbError};

/// A validated request.
#[derive(Debug, Clone)]
pub struct NewProposal {
    pub devices: Vec<i64>,
    pub previsit: bool,
    pub preferred_dates: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Proposal {
    pub id: i64,
    pub company_id: i64,
    pub created_by: Option<i64>,
    pub message: Option<String>,
    pub previsit: bool,
    pub preferred_dates: Option<String>,
    pub status: String,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub created_at: i64,
    pub company_name: String,
}

const COLUMNS: &str =
    "p.id, p.company_id, p.created_by, p.message, p.previsit, p.preferred_dates, \
    p.status, p.answer, p.answered_at, p.created_at, c.name AS company_name";

#[derive(Debug, thiserror::Error)]
pub enum ProposalError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// A device that is not the company's (or archived).
    #[error("a device is not the company's")]
    ForeignDevice,
}

impl From<sqlx::Error> for ProposalError {
    fn from(error: sqlx::Error) -> Self {
        ProposalError::Db(DbError::Query(error))
    }
}

/// Files a request on devices of the company, all or nothing.
pub async fn create(
    db: &Db,
    company_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
    new: &NewProposal,
) -> Result<i64, ProposalError> {
    let id = on_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO proposal_requests (company_id, created_by, message, previsit, preferred_dates, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'recue', $6) RETURNING id",
        )
        .bind(company_id)
        .bind(user_id)
        .bind(&new.message)
        .bind(new.previsit)
        .bind(&new.preferred_dates)
        .bind(millis(now))
        .fetch_one(&mut *tx)
        .await?;
        for device in &new.devices {
            let added = sqlx::query(
                "INSERT INTO proposal_devices (proposal_id, device_id) \
                 SELECT $1, d.id FROM devices d JOIN buildings b ON b.id = d.building_id \
                 WHERE d.id = $2 AND b.company_id = $3 AND b.archived_at IS NULL",
            )
            .bind(id)
            .bind(device)
            .bind(company_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added != 1 {
                // Dropping the transaction rolls it back: nothing is kept.
                return Err(ProposalError::ForeignDevice);
            }
        }
        tx.commit().await?;
        Ok::<_, ProposalError>(id)
    })?;
    Ok(id)
}

pub async fn proposal(
    db: &Db,
    company_id: Option<i64>,
    id: i64,
) -> Result<Option<Proposal>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM proposal_requests p JOIN companies c ON c.id = p.company_id \
         WHERE p.id = $1 AND ($2 IS NULL OR p.company_id = $2)"
    );
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .bind(company_id)
        .fetch_optional(pool)
        .await)?)
}

/// The devices of a request: "building — kind location".
pub async fn devices_of(
    db: &Db,
    proposal_id: i64,
) -> Result<Vec<(String, String, String)>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT b.name, d.kind, d.location FROM proposal_devices pd JOIN devices d ON d.id = pd.device_id \
         JOIN buildings b ON b.id = d.building_id WHERE pd.proposal_id = $1 ORDER BY b.name, d.location"
    )
    .bind(proposal_id)
    .fetch_all(pool)
    .await
    })?)
}

/// Requests, newest first: the company's, or all (staff).
pub async fn proposals(
    db: &Db,
    company_id: Option<i64>,
    page: PageRequest,
) -> Result<Paged<Proposal>, DbError> {
    let list = ListSql {
        columns: COLUMNS,
        from: "FROM proposal_requests p JOIN companies c ON c.id = p.company_id \
               WHERE ($1 IS NULL OR p.company_id = $1)",
        order_by: "(p.status = 'repondue'), p.created_at DESC, p.id DESC",
        args: &[company_id],
    };
    fetch_page(db, list, page).await
}

/// How many requests wait for the team's answer, for the staff home page.
pub async fn pending_count(db: &Db) -> Result<i64, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM proposal_requests WHERE status = 'recue'"
    )
    .fetch_one(pool)
    .await)?)
}

/// Staff answer once; `false` when already answered (or unknown).
pub async fn answer(db: &Db, id: i64, text: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    let changed = on_pool!(db, |pool| sqlx::query(
        "UPDATE proposal_requests SET status = 'repondue', answer = $1, answered_at = $2 \
         WHERE id = $3 AND status = 'recue'"
    )
    .bind(text)
    .bind(millis(now))
    .bind(id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(changed == 1)
}
