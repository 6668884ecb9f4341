//! `/admin/droits`: staff handle rights requests within their deadline and
//! look up the security visit log.

use crate::domain::DateRange;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use super::{invalid, page};
use crate::audit::AuditEvent;
use crate::auth::{opened_from_another_site, CsrfToken, Viewer};
use crate::db::{from_millis, millis};
use crate::forms::FormErrors;
use crate::http::csv_download::{Cell, CsvDownload, Separator};
use crate::http::{confirm_audited_opening, redirect, staff_audit, PageError};
use crate::mail::OutgoingMail;
use crate::notifications;
use crate::rights::forms::RightsDecisionForm;
use crate::rights::views as view;
use crate::rights::views::{VisitQuery, VisitResults};
use crate::rights::visits::{self, IpQuery};
use crate::rights::{self, RightsError, RightsRequest};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

/// `GET /admin/droits[?page=N]`.
pub async fn staff_list(
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let page = query
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let list = rights::confirmed(&state.db, page).await?;
    let now = state.clock.now();
    let overdue = rights::overdue_count(&state.db, now).await?;
    Ok(view::staff_list(&viewer, &list, overdue, now, &token))
}

/// `GET /admin/droits/{id}`.
pub async fn staff_request(
    req: HttpRequest,
    path: web::Path<i64>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    if let Some(confirm) = confirm_audited_opening(&req, &viewer, &token) {
        return Ok(confirm);
    }
    let id = path.into_inner();
    let request = rights::get(&state.db, id).await?;
    staff_audit(&state, &req, &viewer, AuditEvent::RecordViewed)
        .user(request.user_id)
        .subject(format!("rights_request:{id}"))
        .record_with(&state)
        .await?;
    Ok(view::staff_request(
        &viewer,
        &request,
        state.clock.now(),
        &RightsDecisionForm::default(),
        &FormErrors::default(),
        None,
        &token,
    ))
}

/// Staff's decision forms sent back with their errors.
async fn decision_refused(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: &RightsDecisionForm,
    errors: &FormErrors,
    alert: Option<&str>,
    token: &CsrfToken,
) -> Result<HttpResponse, PageError> {
    let request = rights::get(&state.db, id).await?;
    Ok(invalid(view::staff_request(
        viewer,
        &request,
        state.clock.now(),
        form,
        errors,
        alert,
        token,
    )))
}

/// The French sentence for a decision the request's state refuses.
fn refusal(error: &RightsError) -> Option<&'static str> {
    match error {
        RightsError::Closed => Some("Cette demande est déjà close."),
        RightsError::NotConfirmed => Some("Le demandeur n'a pas encore confirmé son adresse."),
        RightsError::ExtensionTooLong => Some(
            "Le délai ne peut pas dépasser trois mois après la réception : choisissez une prolongation plus courte.",
        ),
        _ => None,
    }
}

/// The end of every staff decision: a refusal the request's state explains
/// is shown on its page; otherwise the step is audited, the requester told
/// (unless erased: only a fingerprint of the address is left), and staff
/// see the request again. `follow_up` gives the audit detail and the mail.
#[allow(clippy::too_many_arguments)]
async fn after_decision(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    token: &CsrfToken,
    id: i64,
    form: &RightsDecisionForm,
    outcome: Result<RightsRequest, RightsError>,
    event: AuditEvent,
    follow_up: impl FnOnce(&RightsRequest) -> (Option<String>, OutgoingMail),
) -> Result<HttpResponse, PageError> {
    let request = match outcome {
        Ok(request) => request,
        Err(e) => match refusal(&e) {
            Some(alert) => {
                let no_errors = FormErrors::default();
                return decision_refused(state, viewer, id, form, &no_errors, Some(alert), token)
                    .await;
            }
            None => return Err(e.into()),
        },
    };
    let (detail, mail) = follow_up(&request);
    staff_audit(state, req, viewer, event)
        .user(request.user_id)
        .subject(format!("rights_request:{id}"))
        .maybe_detail(detail)
        .record_with(state)
        .await?;
    if !request.email.starts_with("empreinte:") {
        state.mailer.send_later(mail);
    }
    Ok(redirect(&format!("/admin/droits/{id}")))
}

/// `POST /admin/droits/{id}/prolonger`.
pub async fn extend(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<RightsDecisionForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (months, reason) = match form.extension() {
        Ok(valid) => valid,
        Err(errors) => {
            return decision_refused(&state, &viewer, id, &form, &errors, None, &token).await
        }
    };
    let outcome = rights::extend(&state.db, id, months, &reason).await;
    after_decision(
        &state,
        &req,
        &viewer,
        &token,
        id,
        &form,
        outcome,
        AuditEvent::RightsRequestExtended,
        |request| {
            let due = request
                .due_at
                .map(crate::views::forms::french_date)
                .unwrap_or_default();
            (
                Some(format!("+{months} mois, jusqu'au {due}")),
                notifications::rights_request_extended(&request.email, id, &due, &reason),
            )
        },
    )
    .await
}

/// `POST /admin/droits/{id}/informations`.
pub async fn ask_information(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<RightsDecisionForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let question = match form.text("la question au demandeur") {
        Ok(text) => text,
        Err(errors) => {
            return decision_refused(&state, &viewer, id, &form, &errors, None, &token).await
        }
    };
    let outcome = rights::ask_information(&state.db, id, &question).await;
    after_decision(
        &state,
        &req,
        &viewer,
        &token,
        id,
        &form,
        outcome,
        AuditEvent::RightsRequestInformationAsked,
        |request| {
            (
                None,
                notifications::rights_information_asked(&request.email, id, &question),
            )
        },
    )
    .await
}

/// `POST /admin/droits/{id}/clore`.
pub async fn close(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<RightsDecisionForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let answer = match form.text("la réponse envoyée au demandeur") {
        Ok(text) => text,
        Err(errors) => {
            return decision_refused(&state, &viewer, id, &form, &errors, None, &token).await
        }
    };
    let now = state.clock.now();
    let outcome = rights::close(&state.db, &state.register, now, id, &answer).await;
    after_decision(
        &state,
        &req,
        &viewer,
        &token,
        id,
        &form,
        outcome,
        AuditEvent::RightsRequestClosed,
        |request| {
            (
                None,
                notifications::rights_request_closed(&request.email, id, &answer),
            )
        },
    )
    .await
}

/// The search typed, validated: the address or range and the Paris days.
fn visit_search(
    query: &VisitQuery,
) -> Result<
    (
        IpQuery,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
    ),
    FormErrors,
> {
    let mut errors = FormErrors::default();
    let ip = errors.check("ip", IpQuery::parse(&query.ip));
    let range = match DateRange::parse(&query.du, &query.au) {
        Ok(range) => Some(range),
        Err(error) => {
            errors.add(error.field(), error.to_string());
            None
        }
    };
    match (ip, range) {
        (Some(ip), Some(range)) if errors.is_empty() => {
            let (from, to) = range.instants();
            Ok((ip, from, to))
        }
        _ => Err(errors),
    }
}

/// `GET /admin/droits/visites`: the security visit log of an address or
/// range over a period.
pub async fn visits_page(
    req: HttpRequest,
    query: web::Query<VisitQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    if query.ip.is_empty() && query.du.is_empty() && query.au.is_empty() {
        let now = state.clock.now();
        let blank = VisitQuery {
            ip: String::new(),
            du: crate::paris::input_value(now - chrono::Duration::days(30)),
            au: crate::paris::input_value(now),
        };
        let markup = view::visit_search_page(
            &viewer,
            &blank,
            VisitResults::None,
            &FormErrors::default(),
            &token,
        );
        return Ok(page(actix_web::http::StatusCode::OK, markup));
    }
    // A search is audited: one opened from another site is only shown,
    // for the person to check and run it themselves.
    if opened_from_another_site(&req) {
        let markup = view::visit_search_page(
            &viewer,
            &query,
            VisitResults::ToCheck,
            &FormErrors::default(),
            &token,
        );
        return Ok(page(actix_web::http::StatusCode::OK, markup));
    }
    let (ip, from, to) = match visit_search(&query) {
        Ok(valid) => valid,
        Err(errors) => {
            return Ok(invalid(view::visit_search_page(
                &viewer,
                &query,
                VisitResults::None,
                &errors,
                &token,
            )))
        }
    };
    let found = visits::search(&state.db, ip, from, to, visits::PAGE_LIMIT).await?;
    staff_audit(&state, &req, &viewer, AuditEvent::VisitLogSearched)
        .subject(format!("ip:{ip}"))
        .detail(format!("{} → {}", query.du, query.au))
        .record_with(&state)
        .await?;
    let markup = view::visit_search_page(
        &viewer,
        &query,
        VisitResults::Found(&found),
        &FormErrors::default(),
        &token,
    );
    Ok(page(actix_web::http::StatusCode::OK, markup))
}

/// `GET /admin/droits/visites/export`: the same search, every row, as CSV.
pub async fn visits_export(
    req: HttpRequest,
    query: web::Query<VisitQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    if let Some(confirm) = confirm_audited_opening(&req, &viewer, &token) {
        return Ok(page(actix_web::http::StatusCode::OK, confirm));
    }
    let (ip, from, to) = visit_search(&query).map_err(|_| PageError::BadRequest)?;
    let found = visits::search(&state.db, ip, from, to, usize::MAX).await?;
    staff_audit(&state, &req, &viewer, AuditEvent::VisitLogSearched)
        .subject(format!("ip:{ip}"))
        .detail(format!("export CSV {} → {}", query.du, query.au))
        .record_with(&state)
        .await?;
    let mut csv = CsvDownload::new(
        format!("visites-{}.csv", millis(state.clock.now())),
        Separator::default(),
        &[
            "date_heure_utc",
            "adresse_ip",
            "page",
            "navigateur",
            "systeme",
            "appareil",
        ],
    )?;
    for v in found {
        csv.row([
            Cell::Text(
                from_millis(v.occurred_at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            Cell::Text(v.ip),
            Cell::Text(v.url),
            Cell::Text(v.browser.unwrap_or_default()),
            Cell::Text(v.os.unwrap_or_default()),
            Cell::Text(v.device_type),
        ])?;
    }
    Ok(csv.into_response()?)
}
