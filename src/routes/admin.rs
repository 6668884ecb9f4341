//! `/admin`: sign-ups to examine, messages to handle.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use super::{redirect, staff_audit, PageError};
use crate::accounts::{self, AccountError};
use crate::audit::AuditEvent;
use crate::auth::{CsrfToken, Viewer};
use crate::domain::message_text;
use crate::forms::FormErrors;
use crate::inbox::{self, Inbox};
use crate::notifications;
use crate::startup::AppState;
use crate::views::admin as view;

/// `GET /admin`.
pub async fn home(
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let pending = accounts::pending_count(&state.db).await?;
    let unhandled = inbox::questions(&state.db)
        .await?
        .iter()
        .filter(|q| q.handled_at.is_none())
        .count()
        + inbox::applications(&state.db)
            .await?
            .iter()
            .filter(|a| a.handled_at.is_none())
            .count();
    Ok(view::admin_home(&viewer, &token, pending, unhandled))
}

#[derive(Deserialize)]
pub struct Notice {
    fait: Option<String>,
}

fn notice_of(query: &Notice) -> Option<&'static str> {
    match query.fait.as_deref() {
        Some("valide") => {
            Some("Demande validée : le compte est ouvert et la personne prévenue par e-mail.")
        }
        Some("refuse") => {
            Some("Demande refusée : la personne est prévenue par e-mail, avec le motif.")
        }
        Some("deja") => Some("Cette demande a déjà été traitée, ou n'existe plus."),
        Some("adresse") => Some(
            "Un compte existe déjà avec cette adresse e-mail : la demande n'a pas été validée.",
        ),
        Some("traite") => Some("Message marqué comme traité."),
        _ => None,
    }
}

/// `GET /admin/inscriptions`.
pub async fn registrations(
    query: web::Query<Notice>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let pending = accounts::pending_registrations(&state.db).await?;
    Ok(view::registrations_page(
        &viewer,
        &token,
        &pending,
        notice_of(&query),
    ))
}

/// `GET /admin/inscriptions/{id}`: opening a person's record is audited.
pub async fn registration(
    req: HttpRequest,
    path: web::Path<i64>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let id = path.into_inner();
    let found = accounts::registration(&state.db, id)
        .await?
        .ok_or(PageError::NotFound)?;
    staff_audit(
        &state,
        &req,
        &viewer,
        AuditEvent::RecordViewed,
        None,
        Some(format!("registration:{id}")),
        None,
    )
    .await?;
    Ok(view::registration_page(
        &viewer,
        &token,
        &found,
        "",
        &FormErrors::default(),
    ))
}

/// `POST /admin/inscriptions/{id}/valider`.
pub async fn validate(
    req: HttpRequest,
    path: web::Path<i64>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    match accounts::validate_registration(&state.db, state.clock.now(), id).await {
        Ok((user_id, registration)) => {
            staff_audit(
                &state,
                &req,
                &viewer,
                AuditEvent::RegistrationValidated,
                Some(user_id),
                Some(format!("registration:{id}")),
                None,
            )
            .await?;
            state
                .mailer
                .send_later(notifications::registration_validated(
                    &registration,
                    &state.public_url,
                ));
            Ok(redirect("/admin/inscriptions?fait=valide"))
        }
        // A validated request leaves the table: validating it again (a
        // double click, two staff at once) finds nothing.
        Err(AccountError::AlreadyDecided | AccountError::NotFound) => {
            Ok(redirect("/admin/inscriptions?fait=deja"))
        }
        Err(AccountError::AddressTaken) => Ok(redirect("/admin/inscriptions?fait=adresse")),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    motif: String,
}

/// `POST /admin/inscriptions/{id}/refuser`: a reason is required; it is
/// sent to the person.
pub async fn reject(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<RejectForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let mut errors = FormErrors::default();
    let Some(reason) = errors.check("motif", message_text(&form.motif, 5, 2_000)) else {
        let found = accounts::registration(&state.db, id)
            .await?
            .ok_or(PageError::NotFound)?;
        return Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/html; charset=utf-8")
            .body(
                view::registration_page(&viewer, &token, &found, &form.motif, &errors)
                    .into_string(),
            ));
    };
    match accounts::reject_registration(&state.db, state.clock.now(), id, &reason).await {
        Ok(registration) => {
            staff_audit(
                &state,
                &req,
                &viewer,
                AuditEvent::RegistrationRejected,
                None,
                Some(format!("registration:{id}")),
                Some(reason.clone()),
            )
            .await?;
            state
                .mailer
                .send_later(notifications::registration_rejected(
                    &registration,
                    &reason,
                    &state.public_url,
                ));
            Ok(redirect("/admin/inscriptions?fait=refuse"))
        }
        Err(AccountError::AlreadyDecided) => Ok(redirect("/admin/inscriptions?fait=deja")),
        Err(AccountError::NotFound) => Err(PageError::NotFound),
        Err(other) => Err(other.into()),
    }
}

/// `GET /admin/messages`.
pub async fn messages(
    query: web::Query<Notice>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let questions = inbox::questions(&state.db).await?;
    let applications = inbox::applications(&state.db).await?;
    Ok(view::messages_page(
        &viewer,
        &token,
        &questions,
        &applications,
        notice_of(&query),
    ))
}

/// `POST /admin/messages/{inbox}/{id}/traite`.
pub async fn mark_handled(
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let (inbox_key, id) = path.into_inner();
    let which = Inbox::parse(&inbox_key).ok_or(PageError::NotFound)?;
    if !inbox::mark_handled(&state.db, which, id, viewer.id, state.clock.now()).await? {
        return Err(PageError::NotFound);
    }
    staff_audit(
        &state,
        &req,
        &viewer,
        AuditEvent::MessageHandled,
        None,
        Some(format!("{}:{id}", which.key())),
        None,
    )
    .await?;
    Ok(redirect("/admin/messages?fait=traite"))
}
