//! The staff home's work queues: what needs action now, each counted by
//! the module that owns its table.

use crate::http::PageError;
use crate::inbox::{self, Inbox};
use crate::maintenance::{staff as requests, Urgency};
use crate::state::AppState;

/// Days ahead in which a rights request's deadline counts as near.
pub const RIGHTS_DUE_SOON_DAYS: i64 = 7;

/// How many items wait in each queue.
#[derive(Debug, Clone, Default)]
pub struct WorkQueues {
    /// Open maintenance requests by urgency, « Personne bloquée » first.
    pub requests_by_urgency: Vec<(Urgency, i64)>,
    /// Open requests in which the client spoke last.
    pub requests_awaiting_staff: i64,
    pub sign_ups: i64,
    pub proposals: i64,
    pub questions: i64,
    pub applications: i64,
    pub rights_late: i64,
    pub rights_due_soon: i64,
}

/// Counts every queue now.
pub async fn gather(state: &AppState) -> Result<WorkQueues, PageError> {
    let db = &state.db;
    let now = state.clock.now();
    Ok(WorkQueues {
        requests_by_urgency: requests::open_counts_by_urgency(db).await?,
        requests_awaiting_staff: requests::awaiting_staff_count(db).await?,
        sign_ups: crate::accounts::pending_count(db).await?,
        proposals: crate::proposals::pending_count(db).await?,
        questions: inbox::unhandled_count(db, Inbox::Questions).await?,
        applications: inbox::unhandled_count(db, Inbox::Applications).await?,
        rights_late: crate::rights::overdue_count(db, now).await?,
        rights_due_soon: crate::rights::due_within_count(db, now, RIGHTS_DUE_SOON_DAYS).await?,
    })
}
