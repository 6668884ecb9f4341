//! Statistics reports by e-mail: the choice at the bottom of
//! `/statistiques`, and the link in each mail that stops one, without login.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::analytics::mail_reports::{self, Choice};
use crate::analytics::views::mail_reports as view;
use crate::audit::{Audit, AuditEvent};
use crate::auth::{CsrfToken, Viewer};
use crate::http::{html, redirect, staff_audit, PageError};
use crate::state::AppState;

/// The query that says the choice was just saved.
const SAVED: &str = "rapports=enregistres";

/// The dashboard's section, for the statistics page.
pub async fn dashboard_section(
    req: &HttpRequest,
    state: &AppState,
    viewer: &Viewer,
    token: &CsrfToken,
) -> Result<Markup, PageError> {
    let choice = mail_reports::choice_of(&state.db, viewer.id).await?;
    let saved = req.query_string().split('&').any(|pair| pair == SAVED);
    Ok(view::section(&viewer.email, choice, token, saved))
}

#[derive(Deserialize)]
pub struct ChoiceForm {
    #[serde(default, rename = "hebdomadaire")]
    weekly: Option<String>,
    #[serde(default, rename = "mensuel")]
    monthly: Option<String>,
}

/// `POST /statistiques/rapports`: the reports this account receives.
pub async fn choose(
    req: HttpRequest,
    form: web::Form<ChoiceForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let choice = Choice {
        weekly: form.weekly.is_some(),
        monthly: form.monthly.is_some(),
    };
    let audit =
        staff_audit(&state, &req, &viewer, AuditEvent::StatisticsReportsChanged).pending(&state);
    mail_reports::set_choice(&state.db, audit, viewer.id, choice).await?;
    Ok(redirect(&format!("/statistiques?{SAVED}#rapports-email")))
}

/// `GET /statistiques/rapports/desabonnement/{token}`: what the button
/// stops; changes nothing.
pub async fn stop_link(
    path: web::Path<String>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let link_token = path.into_inner();
    Ok(
        match mail_reports::stop_link(&state.db, &link_token).await? {
            None => html(StatusCode::NOT_FOUND, view::unknown_link_page()),
            Some(link) if !link.active => html(StatusCode::OK, view::stopped_page(&link)),
            Some(link) => html(StatusCode::OK, view::stop_page(&link, &link_token, &token)),
        },
    )
}

/// `POST /statistiques/rapports/desabonnement/{token}`: stops it.
pub async fn stop(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let audit = Audit::new(AuditEvent::StatisticsReportStopped)
        .ip(state.client_ip(&req))
        .pending(&state);
    Ok(
        match mail_reports::stop_by_link(&state.db, audit, &path).await? {
            None => html(StatusCode::NOT_FOUND, view::unknown_link_page()),
            Some(link) => html(StatusCode::OK, view::stopped_page(&link)),
        },
    )
}
