//! `/profil/donnees`: the Utilisateur reads, downloads, corrects and erases
//! their data, changes or proves their address, and objects to service news.

use crate::auth::session::SiteSession;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use maud::Markup;
use serde::Deserialize;

use super::LinkQuery;
use crate::accounts;
use crate::analytics::AudienceChoice;
use crate::audit::{Audit, AuditEvent};
use crate::auth::{CsrfToken, Viewer};
use crate::domain::Email;
use crate::forms::FormErrors;
use crate::http::{html, reconfirm_password, redirect, staff_audit, PageError, Reconfirm};
use crate::notifications;
use crate::rights::erasure::erase_account;
use crate::rights::export::{personal_data, PersonalDataExport};
use crate::rights::forms::ProfileForm;
use crate::rights::profile_changes::{self, EmailChange};
use crate::rights::views as view;
use crate::rights::views::{DataNotice, DataPage};
use crate::state::AppState;
use crate::views::links;

/// `/profil/donnees` of the viewer: drawn with a notice, or with the
/// errors of one of its forms.
struct DataPageOf<'a> {
    req: &'a HttpRequest,
    state: &'a AppState,
    viewer: &'a Viewer,
    token: &'a CsrfToken,
}

impl<'a> DataPageOf<'a> {
    fn new(
        req: &'a HttpRequest,
        state: &'a AppState,
        viewer: &'a Viewer,
        token: &'a CsrfToken,
    ) -> Self {
        DataPageOf {
            req,
            state,
            viewer,
            token,
        }
    }

    async fn render(
        &self,
        notice: DataNotice,
        new_email: &str,
        errors: &FormErrors,
    ) -> Result<Markup, PageError> {
        let (db, viewer) = (&self.state.db, self.viewer);
        let profile = accounts::profile(db, viewer.id)
            .await?
            .ok_or(PageError::NotFound)?;
        let now = self.state.clock.now();
        let news_objected_at = profile_changes::news_objected_at(db, viewer.id).await?;
        let pending_email = profile_changes::pending_email_change(db, now, viewer.id).await?;
        let page = DataPage {
            viewer,
            profile: &profile,
            register: &self.state.register,
            audience: AudienceChoice::of_request(self.req.headers()),
            news_objected_at,
            pending_email,
            notice,
            new_email,
            errors,
        };
        Ok(view::data_page(page, self.token))
    }

    /// A form of the page refused: the page with its errors, 422 (429 while
    /// the password check is locked).
    async fn refused(
        &self,
        reconfirm: &Reconfirm,
        new_email: &str,
        errors: &FormErrors,
    ) -> Result<HttpResponse, PageError> {
        let markup = self.render(DataNotice::None, new_email, errors).await?;
        let now = self.state.clock.now();
        Ok(reconfirm.answer(now, StatusCode::UNPROCESSABLE_ENTITY, markup))
    }
}

#[derive(Deserialize)]
pub struct DataQuery {
    #[serde(rename = "fait")]
    done: Option<String>,
}

/// `GET /profil/donnees`.
pub async fn data(
    req: HttpRequest,
    query: web::Query<DataQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    // Only a choice among the server's own messages: nothing of the query
    // is printed (the address a link went to is read from the database).
    let notice = match query.done.as_deref() {
        Some("lien") => DataNotice::LinkSent,
        Some("corrige") => DataNotice::Rectified,
        Some("choix") => DataNotice::NewsChoiceSaved,
        _ => DataNotice::None,
    };
    let page = DataPageOf::new(&req, &state, &viewer, &token);
    page.render(notice, "", &FormErrors::default()).await
}

#[derive(Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    format: String,
    #[serde(default, rename = "mot_de_passe")]
    password: String,
}

/// `POST /profil/donnees/copie`: the copy, as JSON or HTML, once the
/// password is typed again.
pub async fn export(
    req: HttpRequest,
    form: web::Form<ExportForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let reconfirm =
        reconfirm_password(&state, &req, &viewer, &form.password, "data_export").await?;
    if let Some(message) = reconfirm.error_for(&form.password) {
        let mut errors = FormErrors::default();
        errors.add("mot_de_passe", message);
        let page = DataPageOf::new(&req, &state, &viewer, &token);
        return page.refused(&reconfirm, "", &errors).await;
    }
    let now = state.clock.now();
    let export = personal_data(&state.db, now, &state.public_url, viewer.id)
        .await?
        .ok_or(PageError::NotFound)?;
    let json = form.format == "json";
    staff_audit(&state, &req, &viewer, AuditEvent::DataExported)
        .user(viewer.id)
        .detail(if json { "json" } else { "html" }.to_owned())
        .record_with(&state)
        .await?;
    export_response(&export, json, now)
}

/// A copy of one's data is never kept by a cache.
const NOT_STORED: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// The copy as a JSON file to download, or as a page.
fn export_response(
    export: &PersonalDataExport,
    json: bool,
    now: DateTime<Utc>,
) -> Result<HttpResponse, PageError> {
    if !json {
        return Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header(NOT_STORED)
            .body(view::export_page(export).into_string()));
    }
    let body = serde_json::to_string_pretty(export)
        .map_err(|error| PageError::Internal(error.to_string()))?;
    let name = format!(
        "attachment; filename=\"wemaintain-mes-donnees-{}.json\"",
        crate::paris::input_value(now)
    );
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(NOT_STORED)
        .insert_header((header::CONTENT_DISPOSITION, name))
        .body(body))
}

/// `GET /profil/donnees/modifier`.
pub async fn edit(
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let profile = accounts::profile(&state.db, viewer.id)
        .await?
        .ok_or(PageError::NotFound)?;
    Ok(view::edit_page(
        &ProfileForm::of(&profile),
        &FormErrors::default(),
        viewer.company_id.is_some(),
        &token,
    ))
}

/// `POST /profil/donnees/modifier`.
pub async fn rectify(
    req: HttpRequest,
    form: web::Form<ProfileForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let with_company = viewer.company_id.is_some();
    let update = match form.validate(with_company) {
        Ok(update) => update,
        Err(errors) => {
            let markup = view::edit_page(&form, &errors, with_company, &token);
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, markup));
        }
    };
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::ProfileRectified)
        .user(viewer.id)
        .pending(&state);
    profile_changes::update_profile(&state.db, audit, viewer.id, viewer.company_id, &update)
        .await?;
    Ok(redirect("/profil/donnees?fait=corrige"))
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default, rename = "nouvel_email")]
    new_email: String,
    #[serde(default, rename = "mot_de_passe_email")]
    password: String,
}

/// `POST /profil/donnees/email`: sends the link to the new address.
pub async fn change_email(
    req: HttpRequest,
    form: web::Form<EmailForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let (email, mut errors) = new_address(&state, &viewer, &form.new_email).await?;
    let reconfirm =
        reconfirm_password(&state, &req, &viewer, &form.password, "email_change").await?;
    if let Some(message) = reconfirm.error_for(&form.password) {
        errors.add("mot_de_passe_email", message);
    }
    let (Some(email), true) = (email, errors.is_empty()) else {
        let page = DataPageOf::new(&req, &state, &viewer, &token);
        return page.refused(&reconfirm, &form.new_email, &errors).await;
    };
    send_address_link(&req, &state, &viewer, &email).await
}

/// The address typed as the account's new one, if it can be.
async fn new_address(
    state: &AppState,
    viewer: &Viewer,
    typed: &str,
) -> Result<(Option<Email>, FormErrors), PageError> {
    let mut errors = FormErrors::default();
    let email = errors.required(
        "nouvel_email",
        typed,
        "Indiquez la nouvelle adresse e-mail du compte.",
        Email::parse(typed),
    );
    if let Some(email) = &email {
        if email.as_str() == viewer.email {
            errors.add("nouvel_email", "C'est déjà l'adresse de votre compte.");
        } else if profile_changes::email_in_use(&state.db, email).await? {
            errors.add(
                "nouvel_email",
                "Cette adresse est déjà celle d'un autre compte.",
            );
        }
    }
    Ok((email, errors))
}

/// `POST /profil/donnees/email/confirmer`: sends a link to the account's own
/// address, so that it proves it owns it (accounts opened before sign-ups
/// were checked, or from the command line).
pub async fn confirm_own_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let Ok(email) = Email::parse(&viewer.email) else {
        return Err(PageError::BadRequest);
    };
    send_address_link(&req, &state, &viewer, &email).await
}

/// Mails the link that makes `email` the account's proven address: a new
/// address, or the account's own one to prove it.
async fn send_address_link(
    req: &HttpRequest,
    state: &AppState,
    viewer: &Viewer,
    email: &Email,
) -> Result<HttpResponse, PageError> {
    let own_address = email.as_str() == viewer.email;
    let audit = staff_audit(state, req, viewer, AuditEvent::EmailChangeRequested)
        .user(viewer.id)
        .maybe_detail(own_address.then(|| "confirmation de l'adresse actuelle".to_owned()))
        .pending(state);
    let link_token =
        profile_changes::request_email_change(&state.db, audit, viewer.id, email).await?;
    let link = format!(
        "{}/compte/adresse/confirmer?jeton={link_token}",
        state.public_url
    );
    let mail = if own_address {
        notifications::address_confirmation_link(email.as_str(), &viewer.first_name, &link)
    } else {
        notifications::email_change_link(email.as_str(), &viewer.first_name, &link)
    };
    state.mailer.send_later(mail);
    Ok(redirect("/profil/donnees?fait=lien"))
}

/// `GET /compte/adresse/confirmer?jeton=…`.
pub async fn email_link(query: web::Query<LinkQuery>, token: CsrfToken) -> Markup {
    links::link_page(
        "Confirmer ma nouvelle adresse e-mail",
        "/compte/adresse/confirmer",
        &query.token,
        "Confirmer cette adresse",
        &token,
    )
}

/// `POST /compte/adresse/confirmer`: the change takes effect.
pub async fn confirm_email(
    req: HttpRequest,
    form: web::Form<LinkQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let audit = Audit::new(AuditEvent::EmailChanged)
        .ip(state.client_ip(&req))
        .pending(&state);
    let outcome = profile_changes::confirm_email_change(&state.db, &form.token, audit).await?;
    if let EmailChange::Done {
        old_email,
        new_email,
        ..
    } = &outcome
    {
        if old_email != new_email {
            let mail = notifications::email_changed(old_email, new_email, &state.public_url);
            state.mailer.send_later(mail);
        }
    }
    let (status, markup) = email_change_page(&outcome);
    Ok(html(status, markup))
}

/// What the person reads after clicking the link of an address change.
fn email_change_page(outcome: &EmailChange) -> (StatusCode, Markup) {
    let path = "/compte/adresse/confirmer";
    let (status, title, text) = match outcome {
        EmailChange::Done {
            old_email,
            new_email,
            ..
        } if old_email == new_email => (
            StatusCode::OK,
            "Adresse e-mail confirmée",
            format!("Merci : {new_email} est confirmée comme l'adresse de votre compte."),
        ),
        EmailChange::Done { new_email, .. } => (
            StatusCode::OK,
            "Adresse e-mail changée",
            format!("L'adresse de votre compte est désormais {new_email}. Utilisez-la pour vous connecter."),
        ),
        EmailChange::AddressTaken => (
            StatusCode::CONFLICT,
            "Adresse déjà utilisée",
            "Cette adresse est devenue celle d'un autre compte entre-temps : votre adresse n'a pas changé.".to_owned(),
        ),
        EmailChange::InvalidLink => (
            StatusCode::NOT_FOUND,
            "Lien invalide",
            "Ce lien a déjà servi, a expiré (24 heures) ou n'existe pas. Demandez-en un nouveau depuis votre espace, rubrique « Mes données ».".to_owned(),
        ),
    };
    (status, links::link_result_page(path, title, &text))
}

#[derive(Deserialize)]
pub struct NewsForm {
    #[serde(default, rename = "choix")]
    choice: String,
}

/// `POST /profil/donnees/actualites`: objects to, or accepts again, the
/// service-news e-mails.
pub async fn news_choice(
    req: HttpRequest,
    form: web::Form<NewsForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let objected_at = match form.choice.as_str() {
        "opposition" => Some(state.clock.now()),
        "accord" => None,
        _ => return Err(PageError::BadRequest),
    };
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::NewsObjectionChanged)
        .user(viewer.id)
        .detail(form.choice.clone())
        .pending(&state);
    profile_changes::set_news_objection(&state.db, audit, viewer.id, objected_at).await?;
    Ok(redirect("/profil/donnees?fait=choix#choix"))
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default, rename = "mot_de_passe_effacement")]
    password: String,
    #[serde(default)]
    confirmation: String,
}

/// `POST /profil/donnees/effacer`: erases the account at once and shows
/// what became of each category.
pub async fn erase(
    req: HttpRequest,
    form: web::Form<EraseForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    session: SiteSession,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let reconfirm = reconfirm_password(&state, &req, &viewer, &form.password, "erasure").await?;
    let errors = erase_errors(&reconfirm, &form);
    if !errors.is_empty() {
        let page = DataPageOf::new(&req, &state, &viewer, &token);
        return page.refused(&reconfirm, "", &errors).await;
    }
    let (now, ip) = (state.clock.now(), state.client_ip(&req));
    let statement = erase_account(&state.db, &state.register, now, viewer.id, &ip).await?;
    session.log_out();
    state.mailer.send_later(notifications::erasure_statement(
        &statement.email,
        &statement.first_name,
        &statement.as_text(),
    ));
    Ok(html(StatusCode::OK, view::erased_page(&statement)))
}

fn erase_errors(reconfirm: &Reconfirm, form: &EraseForm) -> FormErrors {
    let mut errors = FormErrors::default();
    if let Some(message) = reconfirm.error_for(&form.password) {
        errors.add("mot_de_passe_effacement", message);
    }
    if form.confirmation != "oui" {
        errors.add(
            "confirmation",
            "Cochez la case pour confirmer que vous voulez effacer votre compte.",
        );
    }
    errors
}
