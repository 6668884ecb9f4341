//! What visitors send from the public forms, in place of the third-party
//! services the policy names: questions from `/contact` (purpose `contact`,
//! Intercom's data) and technician applications from `/techniciens`
//! (purpose `recruitment`, Typeform's data).

pub mod answers;
pub mod forms;
pub mod routes;
pub mod views;

use chrono::{DateTime, Utc};

use crate::audit::PendingAudit;
use crate::db::{millis, on_pool, Db, DbError, Sql};
use crate::domain::{Email, Phone};
use crate::privacy::{Purpose, Register};

/// A validated question.
#[derive(Debug, Clone)]
pub struct NewQuestion {
    pub first_name: String,
    pub last_name: String,
    pub phone: Phone,
    pub email: Email,
    pub message: String,
}

/// A validated technician application.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub first_name: String,
    pub last_name: String,
    pub phone: Phone,
    pub email: Email,
    pub years_experience: u8,
    pub current_company: String,
}

/// Stores a question; it is kept until the contact purpose's period after
/// the last exchange (for now, its arrival).
pub async fn submit_question(
    db: &Db,
    register: &Register,
    now: DateTime<Utc>,
    q: &NewQuestion,
) -> Result<i64, DbError> {
    let expires_at = register.retention(Purpose::Contact).period.after(now);
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "INSERT INTO contact_messages (received_at, last_exchange_at, expires_at, first_name, \
           last_name, phone, email, message) VALUES ($1, $1, $2, $3, $4, $5, $6, $7) RETURNING id"
    )
    .bind(millis(now))
    .bind(millis(expires_at))
    .bind(&q.first_name)
    .bind(&q.last_name)
    .bind(q.phone.as_str())
    .bind(q.email.as_str())
    .bind(&q.message)
    .fetch_all(pool)
    .await
    .and_then(crate::db::one))?)
}

pub async fn submit_application(
    db: &Db,
    register: &Register,
    now: DateTime<Utc>,
    a: &NewApplication,
) -> Result<i64, DbError> {
    let expires_at = register.retention(Purpose::Recruitment).period.after(now);
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "INSERT INTO technician_applications (received_at, expires_at, first_name, last_name, \
           phone, email, years_experience, current_company) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    )
    .bind(millis(now))
    .bind(millis(expires_at))
    .bind(&a.first_name)
    .bind(&a.last_name)
    .bind(a.phone.as_str())
    .bind(a.email.as_str())
    .bind(i32::from(a.years_experience))
    .bind(&a.current_company)
    .fetch_all(pool)
    .await
    .and_then(crate::db::one))?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Question {
    pub id: i64,
    pub received_at: i64,
    pub expires_at: i64,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub message: String,
    pub handled_at: Option<i64>,
    /// The answer e-mailed by staff, when, and by whom (their name).
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub answered_by: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Application {
    pub id: i64,
    pub received_at: i64,
    pub expires_at: i64,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub years_experience: i32,
    pub current_company: String,
    pub handled_at: Option<i64>,
}

/// Unhandled first, then the most recent.
pub async fn questions(db: &Db) -> Result<Vec<Question>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT q.id, q.received_at, q.expires_at, q.first_name, q.last_name, q.phone, q.email, \
           q.message, q.handled_at, q.answer, q.answered_at, \
           u.first_name || ' ' || u.last_name AS answered_by \
         FROM contact_messages q LEFT JOIN users u ON u.id = q.answered_by \
         ORDER BY (q.handled_at IS NOT NULL), q.received_at DESC, q.id DESC LIMIT 500"
    )
    .fetch_all(pool)
    .await
    })?)
}

pub async fn applications(db: &Db) -> Result<Vec<Application>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT id, received_at, expires_at, first_name, last_name, phone, email, years_experience, \
           current_company, handled_at \
         FROM technician_applications ORDER BY (handled_at IS NOT NULL), received_at DESC, id DESC LIMIT 500"
    )
    .fetch_all(pool)
    .await
    })?)
}

/// Which form a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inbox {
    Questions,
    Applications,
}

impl Inbox {
    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "questions" => Some(Inbox::Questions),
            "candidatures" => Some(Inbox::Applications),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Inbox::Questions => "questions",
            Inbox::Applications => "candidatures",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Inbox::Questions => "contact_messages",
            Inbox::Applications => "technician_applications",
        }
    }
}

/// How many messages of the inbox are not yet marked handled.
pub async fn unhandled_count(db: &Db, inbox: Inbox) -> Result<i64, DbError> {
    let sql = format!(
        "SELECT COUNT(*) FROM {} WHERE handled_at IS NULL",
        inbox.table()
    );
    Ok(on_pool!(db, |pool| sqlx::query_scalar(&sql)
        .fetch_one(pool)
        .await)?)
}

/// Marks a message handled; `false` when there is no such message.
pub async fn mark_handled(
    db: &Db,
    inbox: Inbox,
    id: i64,
    staff: i64,
    audit: PendingAudit<'_>,
) -> Result<bool, DbError> {
    let sql = format!(
        "UPDATE {} SET handled_at = COALESCE(handled_at, $1), handled_by = COALESCE(handled_by, $2) WHERE id = $3",
        inbox.table()
    );
    let mut tx = db.begin_write().await?;
    let done = Sql::new(sql)
        .bind(millis(audit.now))
        .bind(staff)
        .bind(id)
        .execute(&mut tx)
        .await?;
    if done == 1 {
        audit.record_in(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(done == 1)
}
