//! `/admin`: sign-ups to examine, messages to handle.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::accounts::{self, AccountStatus};
use crate::audit::AuditEvent;
use crate::auth::{CsrfToken, Role, Viewer};
use crate::domain::message_text;
use crate::forms::FormErrors;
use crate::http::StaffPage;
use crate::http::{html, redirect, staff_audit, PageError};
use crate::inbox::{self, Inbox};
use crate::staff::account_company;
use crate::staff::decisions::{self, Decision};
use crate::staff::views as view;
use crate::state::AppState;

/// `GET /admin`: what needs action now.
pub async fn home(state: web::Data<AppState>) -> Result<Markup, PageError> {
    let queues = crate::staff::work_queue::gather(&state).await?;
    Ok(crate::staff::work_queue_view::page(&queues))
}

#[derive(Deserialize)]
pub struct Notice {
    #[serde(rename = "fait")]
    done: Option<String>,
}

fn notice_of(query: &Notice) -> Option<&'static str> {
    match query.done.as_deref() {
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
        Some("repondu") => {
            Some("Réponse envoyée par e-mail : la question est marquée comme traitée.")
        }
        Some("deja-repondu") => Some("Cette question a déjà sa réponse, ou n'existe plus."),
        Some("role") => {
            Some("Rôle changé : il s'applique dès la prochaine page ouverte par la personne.")
        }
        Some("desactive") => Some("Compte désactivé : la personne est déconnectée partout."),
        Some("actif") => Some("Compte réactivé."),
        Some("soi-meme") => Some("Vous ne pouvez pas changer votre propre compte."),
        Some(other) => account_company::notice(other),
        None => None,
    }
}

/// `GET /admin/inscriptions`.
pub async fn registrations(
    query: web::Query<Notice>,
    state: web::Data<AppState>,
) -> Result<Markup, PageError> {
    let pending = accounts::pending_registrations(&state.db).await?;
    Ok(view::registrations_page(&pending, notice_of(&query)))
}

/// `GET /admin/inscriptions/{id}`: opening a person's record is audited.
pub async fn registration(page: StaffPage, path: web::Path<i64>) -> Result<Markup, PageError> {
    if let Some(confirm) = page.opened_elsewhere() {
        return Ok(confirm);
    }
    let id = path.into_inner();
    let found = accounts::registration(&page.state.db, id)
        .await?
        .ok_or(PageError::NotFound)?;
    page.record(page.viewed().subject(format!("registration:{id}")))
        .await?;
    let errors = FormErrors::default();
    Ok(view::registration_page(&page.token, &found, "", &errors))
}

/// `POST /admin/inscriptions/{id}/valider`.
pub async fn validate(
    req: HttpRequest,
    path: web::Path<i64>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::RegistrationValidated);
    let done = match decisions::validate(&state, path.into_inner(), audit).await? {
        Decision::Done => "valide",
        Decision::AlreadyDecided => "deja",
        Decision::AddressTaken => "adresse",
    };
    Ok(redirect(&format!("/admin/inscriptions?fait={done}")))
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default, rename = "motif")]
    reason: String,
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
    let missing = "Indiquez le motif du refus : il est envoyé à la personne.";
    let reason = message_text(&form.reason, 5, 2_000);
    let Some(reason) = errors.required("motif", &form.reason, missing, reason) else {
        let found = accounts::registration(&state.db, id)
            .await?
            .ok_or(PageError::NotFound)?;
        let page = view::registration_page(&token, &found, &form.reason, &errors);
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::RegistrationRejected);
    let done = match decisions::reject(&state, id, &reason, audit).await? {
        Decision::Done => "refuse",
        _ => "deja",
    };
    Ok(redirect(&format!("/admin/inscriptions?fait={done}")))
}

/// `GET /admin/messages`: the people's messages are records too; opening
/// them is audited.
pub async fn messages(page: StaffPage, query: web::Query<Notice>) -> Result<Markup, PageError> {
    if let Some(confirm) = page.opened_elsewhere() {
        return Ok(confirm);
    }
    let questions = inbox::questions(&page.state.db).await?;
    let applications = inbox::applications(&page.state.db).await?;
    page.record(page.viewed().subject("messages")).await?;
    Ok(view::messages_page(
        &page.token,
        &questions,
        &applications,
        notice_of(&query),
        None,
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
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::MessageHandled)
        .subject(format!("{}:{id}", which.key()))
        .pending(&state);
    if !inbox::mark_handled(&state.db, which, id, viewer.id, audit).await? {
        return Err(PageError::NotFound);
    }
    Ok(redirect("/admin/messages?fait=traite"))
}

/// `GET /admin/comptes`.
pub async fn accounts_list(state: web::Data<AppState>) -> Result<Markup, PageError> {
    let accounts = accounts::accounts(&state.db).await?;
    Ok(view::accounts_page(&accounts))
}

/// `GET /admin/comptes/{id}`: opening a person's record is audited.
pub async fn account(
    page: StaffPage,
    path: web::Path<i64>,
    query: web::Query<Notice>,
) -> Result<Markup, PageError> {
    if let Some(confirm) = page.opened_elsewhere() {
        return Ok(confirm);
    }
    let id = path.into_inner();
    let found = accounts::account_summary(&page.state.db, id)
        .await?
        .ok_or(PageError::NotFound)?;
    page.record(page.viewed().user(id)).await?;
    let notice = notice_of(&query);
    let no_errors = FormErrors::default();
    let company =
        account_company::company_section(&page.state.db, &page.token, &found, "", &no_errors);
    Ok(view::account_page(
        &page.viewer,
        &page.token,
        &found,
        notice,
        company.await?,
    ))
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /admin/comptes/{id}/role`.
pub async fn change_role(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<RoleForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let role = Role::parse(&form.role).ok_or(PageError::BadRequest)?;
    if id == viewer.id {
        return Ok(redirect(&format!("/admin/comptes/{id}?fait=soi-meme")));
    }
    let before = accounts::account_summary(&state.db, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::RoleChanged)
        .user(id)
        .detail(format!("{} -> {}", before.role, role.key()))
        .pending(&state);
    accounts::set_role(&state.db, id, role, audit).await?;
    Ok(redirect(&format!("/admin/comptes/{id}?fait=role")))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default, rename = "etat")]
    status: String,
}

/// `POST /admin/comptes/{id}/etat`: disabling ends every session at once.
pub async fn change_status(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<StatusForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (status, done) = match form.status.as_str() {
        "actif" => (AccountStatus::Active, "actif"),
        "desactive" => (AccountStatus::Disabled, "desactive"),
        _ => return Err(PageError::BadRequest),
    };
    if id == viewer.id {
        return Ok(redirect(&format!("/admin/comptes/{id}?fait=soi-meme")));
    }
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::StatusChanged)
        .user(id)
        .detail(done)
        .pending(&state);
    if !accounts::set_status(&state.db, id, status, audit).await? {
        return Err(PageError::NotFound);
    }
    Ok(redirect(&format!("/admin/comptes/{id}?fait={done}")))
}

/// `GET /admin/registre`: the register in force and the last purge runs.
pub async fn register(state: web::Data<AppState>) -> Result<Markup, PageError> {
    let runs = crate::privacy::purge::recent_runs(&state.db, 100).await?;
    Ok(view::register_page(&state.register, &runs))
}

/// `GET /admin/societes`.
pub async fn companies(state: web::Data<AppState>) -> Result<Markup, PageError> {
    let companies = accounts::companies(&state.db).await?;
    Ok(view::companies_page(&companies))
}

/// `GET /admin/societes/{id}`: its users are people; opening it is audited.
pub async fn company(page: StaffPage, path: web::Path<i64>) -> Result<Markup, PageError> {
    if let Some(confirm) = page.opened_elsewhere() {
        return Ok(confirm);
    }
    let (db, id) = (&page.state.db, path.into_inner());
    let company = accounts::company(db, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let users = accounts::company_users(db, id).await?;
    let devices = crate::buildings::company_devices(db, id).await?;
    page.record(page.viewed().subject(format!("company:{id}")))
        .await?;
    Ok(view::company_page(&company, &users, &devices))
}
