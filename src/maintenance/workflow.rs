//! What happens around a request beyond its rows: who is told by e-mail
//! when it is filed, when its status changes and when staff answer.

use chrono::{DateTime, Utc};

use super::{MaintenanceRequest, NewRequest, RequestMessage, RequestStatus, Urgency};
use crate::db::DbError;
use crate::domain::EmergencyPhone;
use crate::http::staff_recipients;
use crate::notifications;
use crate::state::AppState;

/// A request and its thread: the company's only, or any (staff).
pub async fn thread(
    state: &AppState,
    company_id: Option<i64>,
    id: i64,
) -> Result<Option<(MaintenanceRequest, Vec<RequestMessage>)>, DbError> {
    let Some(request) = super::request(&state.db, company_id, id).await? else {
        return Ok(None);
    };
    let messages = super::messages(&state.db, id).await?;
    Ok(Some((request, messages)))
}

/// Files the request and tells staff; `None` when the device is not one of
/// the company's.
pub async fn submit(
    state: &AppState,
    company_id: i64,
    author_id: i64,
    new: &NewRequest,
) -> Result<Option<i64>, DbError> {
    let now = state.clock.now();
    let Some(id) = super::create(&state.db, company_id, author_id, now, new).await? else {
        return Ok(None);
    };
    if let Some(request) = super::request(&state.db, Some(company_id), id).await? {
        let staff = staff_recipients(state).await?;
        let alert = notifications::RequestAlert {
            id,
            company: &request.company_name,
            urgency: Urgency::parse(&request.urgency).map_or("—", |u| u.label()),
            person_stuck: request.is_emergency(),
            place: &request.place(),
        };
        let mail = notifications::request_to_staff(staff, alert, &state.public_url);
        state.mailer.send_later(mail);
        if request.is_emergency() {
            acknowledge_emergency(state, &request).await?;
        }
    }
    Ok(Some(id))
}

/// One step of the flow, told to the client; `false` when the status had
/// changed meanwhile (nothing done).
pub async fn change_status(
    state: &AppState,
    request: &MaintenanceRequest,
    from: RequestStatus,
    to: RequestStatus,
) -> Result<bool, DbError> {
    let now = state.clock.now();
    if !super::change_status(&state.db, request.id, from, to, now).await? {
        return Ok(false);
    }
    if let Some((email, first_name)) = super::requester(&state.db, request).await? {
        state
            .mailer
            .send_later(notifications::request_status_changed(
                &email,
                &first_name,
                request.id,
                to.label(),
                &state.public_url,
                on_call(state, request).filter(|_| to.is_open()),
            ));
    }
    Ok(true)
}

/// A message on the thread: from staff, the client is told by e-mail.
pub async fn add_message(
    state: &AppState,
    request: &MaintenanceRequest,
    author_id: i64,
    from_staff: bool,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    super::add_message(&state.db, request.id, author_id, from_staff, body, now).await?;
    if !from_staff {
        return Ok(());
    }
    if let Some((email, first_name)) = super::requester(&state.db, request).await? {
        state.mailer.send_later(notifications::request_staff_reply(
            &email,
            &first_name,
            request.id,
            &state.public_url,
            on_call(state, request),
        ));
    }
    Ok(())
}

/// The on-call number, for what is said about an urgent request.
fn on_call<'a>(state: &'a AppState, request: &MaintenanceRequest) -> Option<&'a EmergencyPhone> {
    state
        .emergency_phone
        .as_ref()
        .filter(|_| request.is_emergency())
}

/// A person is stuck: the client who filed the request is told at once that
/// it is received, with the on-call number when there is one.
async fn acknowledge_emergency(
    state: &AppState,
    request: &MaintenanceRequest,
) -> Result<(), DbError> {
    if let Some((email, first_name)) = super::requester(&state.db, request).await? {
        state
            .mailer
            .send_later(notifications::urgent_request_received(
                &email,
                &first_name,
                request.id,
                &state.public_url,
                on_call(state, request),
            ));
    }
    Ok(())
}
