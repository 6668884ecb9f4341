//! `/confidentialite/demande`: anyone asks to exercise a right, confirmed
//! by the link mailed to the address; the export's published schema.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;

use super::LinkQuery;
use crate::audit::{Audit, AuditEvent};
use crate::auth::rate_limit::LimitedForm;
use crate::auth::{CsrfToken, Viewer};
use crate::forms::FormErrors;
use crate::http::{form_limit, html, redirect, staff_recipients, too_many, PageError};
use crate::notifications;
use crate::rights::export::SCHEMA;
use crate::rights::forms::RightsRequestForm;
use crate::rights::views as view;
use crate::rights::{self, RightsRequest};
use crate::state::AppState;
use crate::views::forms::french_date;
use crate::views::links;
use actix_web::http::StatusCode;

/// `GET /confidentialite/schema-export-v1.json`: the published schema.
pub async fn schema() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/schema+json")
        .body(SCHEMA)
}

/// `GET /confidentialite/demande`.
pub async fn request_form(viewer: Option<Viewer>, token: CsrfToken) -> Markup {
    let form = RightsRequestForm {
        email: viewer.map(|v| v.email).unwrap_or_default(),
        ..Default::default()
    };
    view::request_page(&form, &FormErrors::default(), &token)
}

/// `POST /confidentialite/demande`: recorded, inactive until the link sent
/// to the address is opened.
pub async fn submit_request(
    req: HttpRequest,
    form: web::Form<RightsRequestForm>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let request = match form.validate() {
        Ok(request) => request,
        Err(errors) => {
            let markup = view::request_page(&form, &errors, &token);
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, markup));
        }
    };
    let limited = form_limit(&state, &req, LimitedForm::RightsRequest, &request.email).await?;
    if let Some((until, errors)) = limited {
        let page = view::request_page(&form, &errors, &token);
        return Ok(too_many(state.clock.now(), until, page));
    }
    let (_, link_token) = rights::submit(&state.db, state.clock.now(), &request).await?;
    let link = format!(
        "{}/confidentialite/demande/confirmer?jeton={link_token}",
        state.public_url
    );
    let mail =
        notifications::rights_request_link(request.email.as_str(), request.kind.short(), &link);
    state.mailer.send_later(mail);
    Ok(redirect("/confidentialite/demande/envoyee"))
}

/// `GET /confidentialite/demande/envoyee`.
pub async fn request_sent() -> Markup {
    view::request_sent_page()
}

/// `GET /confidentialite/demande/confirmer?jeton=…`.
pub async fn request_link(query: web::Query<LinkQuery>, token: CsrfToken) -> Markup {
    links::link_page(
        "Confirmer ma demande",
        "/confidentialite/demande/confirmer",
        &query.token,
        "Confirmer ma demande",
        &token,
    )
}

/// `POST /confidentialite/demande/confirmer`: the request is received now.
pub async fn confirm_request(
    req: HttpRequest,
    form: web::Form<LinkQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let path = "/confidentialite/demande/confirmer";
    let audit = Audit::new(AuditEvent::RightsRequestConfirmed)
        .ip(state.client_ip(&req))
        .pending(&state);
    let Some(request) = rights::confirm(&state.db, &form.token, audit).await? else {
        let text = "Ce lien a déjà servi, a expiré (7 jours) ou n'existe pas. Vous pouvez refaire votre demande.";
        let markup = links::link_result_page(path, "Lien invalide", text);
        return Ok(html(StatusCode::NOT_FOUND, markup));
    };
    let due = request.due_at.map(french_date).unwrap_or_default();
    tell_staff(&state, &request, &due).await?;
    let text = format!(
        "Votre demande n° {} est enregistrée. Nous vous répondrons au plus tard le {due}.",
        request.id
    );
    let markup = links::link_result_page(path, "Demande confirmée", &text);
    Ok(html(StatusCode::OK, markup))
}

/// Mails staff that a request has come in, and when it is due.
async fn tell_staff(state: &AppState, request: &RightsRequest, due: &str) -> Result<(), PageError> {
    let kind = request.kind().map(|k| k.short()).unwrap_or("—");
    let staff = staff_recipients(state).await?;
    state
        .mailer
        .send_later(notifications::rights_request_to_staff(
            staff,
            request.id,
            kind,
            due,
            &state.public_url,
        ));
    Ok(())
}
