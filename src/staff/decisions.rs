//! Staff decisions on sign-ups: validating one into a company and an
//! account, or refusing it with a reason; each audited and mailed to the
//! person.

use crate::accounts::{self, AccountError};
use crate::audit::Audit;
use crate::http::PageError;
use crate::notifications;
use crate::state::AppState;

/// What deciding on a sign-up gave.
pub enum Decision {
    Done,
    /// Decided already (a double click, two staff at once), or gone.
    AlreadyDecided,
    /// An account already uses the address: not validated.
    AddressTaken,
}

/// Validates sign-up `id`; `audit` names who and from where.
pub async fn validate(state: &AppState, id: i64, audit: Audit) -> Result<Decision, PageError> {
    let audit = audit.subject(format!("registration:{id}")).pending(state);
    match accounts::validate_registration(&state.db, id, audit).await {
        Ok((_, registration)) => {
            let mail = notifications::registration_validated(&registration, &state.public_url);
            state.mailer.send_later(mail);
            Ok(Decision::Done)
        }
        // A validated request leaves the table: validating it again finds
        // nothing.
        Err(AccountError::AlreadyDecided | AccountError::NotFound) => Ok(Decision::AlreadyDecided),
        Err(AccountError::AddressTaken) => Ok(Decision::AddressTaken),
        Err(other) => Err(other.into()),
    }
}

/// Refuses sign-up `id`; the reason goes to the person.
pub async fn reject(
    state: &AppState,
    id: i64,
    reason: &str,
    audit: Audit,
) -> Result<Decision, PageError> {
    let audit = audit
        .subject(format!("registration:{id}"))
        .detail(reason)
        .pending(state);
    match accounts::reject_registration(&state.db, id, reason, audit).await {
        Ok(registration) => {
            let mail =
                notifications::registration_rejected(&registration, reason, &state.public_url);
            state.mailer.send_later(mail);
            Ok(Decision::Done)
        }
        Err(AccountError::AlreadyDecided) => Ok(Decision::AlreadyDecided),
        Err(AccountError::NotFound) => Err(PageError::NotFound),
        Err(other) => Err(other.into()),
    }
}
