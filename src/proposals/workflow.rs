//! What happens around a proposal request beyond its rows: staff are told
//! when one is filed, the client when it is answered.

use super::{NewProposal, Proposal, ProposalError};
use crate::db::DbError;
use crate::http::staff_recipients;
use crate::notifications;
use crate::state::AppState;

/// A request and the devices it is about (building, kind, location): the
/// company's only, or any (staff).
pub async fn with_devices(
    state: &AppState,
    company_id: Option<i64>,
    id: i64,
) -> Result<Option<(Proposal, Vec<(String, String, String)>)>, DbError> {
    let Some(proposal) = super::proposal(&state.db, company_id, id).await? else {
        return Ok(None);
    };
    let devices = super::devices_of(&state.db, id).await?;
    Ok(Some((proposal, devices)))
}

/// Files the request and tells staff.
pub async fn submit(
    state: &AppState,
    company_id: i64,
    author_id: i64,
    new: &NewProposal,
) -> Result<i64, ProposalError> {
    let now = state.clock.now();
    let id = super::create(&state.db, company_id, author_id, now, new).await?;
    if let Some(proposal) = super::proposal(&state.db, Some(company_id), id).await? {
        let staff = staff_recipients(state).await?;
        state.mailer.send_later(notifications::proposal_to_staff(
            staff,
            id,
            &proposal.company_name,
            proposal.previsit,
            &state.public_url,
        ));
    }
    Ok(id)
}

/// Answers the request once and tells the client; `false` when it was
/// already answered.
pub async fn answer(state: &AppState, proposal: &Proposal, text: &str) -> Result<bool, DbError> {
    if !super::answer(&state.db, proposal.id, text, state.clock.now()).await? {
        return Ok(false);
    }
    let Some(user) = proposal.created_by else {
        return Ok(true);
    };
    if let Some(account) = crate::accounts::session_account(&state.db, user).await? {
        state.mailer.send_later(notifications::proposal_answered(
            &account.email,
            &account.first_name,
            proposal.id,
            &state.public_url,
        ));
    }
    Ok(true)
}
