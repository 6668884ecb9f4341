//! Staff answer a question from `/contact` by e-mail; the answer is kept
//! with the question (purpose `contact`: personal data of the asker, erased
//! and exported with the question), and the question's retention restarts
//! from this last exchange.

use crate::audit::PendingAudit;
use crate::db::{millis, Db, DbError, Sql};
use crate::domain::{message_text, FieldError};
use crate::privacy::{Purpose, Register};

/// The question as its answer's e-mail quotes it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Asked {
    pub email: String,
    pub first_name: String,
    pub message: String,
}

/// What became of an answer.
#[derive(Debug, Clone)]
pub enum Answered {
    /// Stored: e-mail it to the asker.
    Done(Asked),
    /// No such question, or it has its answer already.
    AlreadyAnswered,
}

/// The answer as typed: required, up to 10,000 characters.
pub fn parse_answer(typed: &str) -> Result<String, FieldError> {
    if typed.trim().is_empty() {
        return Err(FieldError::new("Écrivez votre réponse à la question."));
    }
    message_text(typed, 2, 10_000)
}

/// Keeps the answer with the question, marks it handled and restarts its
/// retention, with the audit line, in one transaction.
pub async fn answer(
    db: &Db,
    register: &Register,
    question: i64,
    staff: i64,
    text: &str,
    audit: PendingAudit<'_>,
) -> Result<Answered, DbError> {
    let now = audit.now;
    let expires_at = register.retention(Purpose::Contact).period.after(now);
    let mut tx = db.begin_write().await?;
    let asked: Option<Asked> = Sql::new(
        "SELECT email, first_name, message FROM contact_messages WHERE id = $1 AND answer IS NULL",
    )
    .bind(question)
    .fetch_optional(&mut tx)
    .await?;
    let Some(asked) = asked else {
        return Ok(Answered::AlreadyAnswered);
    };
    Sql::new(
        "UPDATE contact_messages SET answer = $1, answered_at = $2, answered_by = $3, \
           handled_at = COALESCE(handled_at, $2), handled_by = COALESCE(handled_by, $3), \
           last_exchange_at = $2, expires_at = $4 WHERE id = $5 AND answer IS NULL",
    )
    .bind(text)
    .bind(millis(now))
    .bind(staff)
    .bind(millis(expires_at))
    .bind(question)
    .execute(&mut tx)
    .await?;
    audit
        .subject(format!("questions:{question}"))
        .record_in(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Answered::Done(asked))
}
