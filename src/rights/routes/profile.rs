//! `/profil/donnees`: the Utilisateur reads, downloads, corrects and erases
//! their data, changes or proves their address, and objects to service news.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use super::{invalid, page, LinkQuery};
use crate::accounts;
use crate::analytics::AudienceChoice;
use crate::audit::{self, AuditEntry, AuditEvent};
use crate::auth::{CsrfToken, Viewer};
use crate::domain::Email;
use crate::forms::FormErrors;
use crate::http::{reconfirm_password, redirect, staff_audit, PageError};
use crate::notifications;
use crate::rights::erasure::erase_account;
use crate::rights::export::personal_data;
use crate::rights::forms::ProfileForm;
use crate::rights::profile_changes::{self, EmailChange};
use crate::rights::views as view;
use crate::rights::views::{DataNotice, DataPage};
use crate::state::AppState;
use crate::views::links;

#[derive(Deserialize)]
pub struct DataQuery {
    fait: Option<String>,
}

/// Draws `/profil/donnees` with a notice or the errors of one of its forms.
async fn data_page(
    req: &HttpRequest,
    state: &AppState,
    viewer: &Viewer,
    notice: DataNotice,
    new_email: &str,
    errors: &FormErrors,
    token: &CsrfToken,
) -> Result<Markup, PageError> {
    let profile = accounts::profile(&state.db, viewer.id)
        .await?
        .ok_or(PageError::NotFound)?;
    let now = state.clock.now();
    let news_objected_at = profile_changes::news_objected_at(&state.db, viewer.id).await?;
    let pending_email = profile_changes::pending_email_change(&state.db, now, viewer.id).await?;
    Ok(view::data_page(
        DataPage {
            viewer,
            profile: &profile,
            register: &state.register,
            audience: AudienceChoice::of_request(req.headers()),
            news_objected_at,
            pending_email,
            notice,
            new_email,
            errors,
        },
        token,
    ))
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
    let notice = match query.fait.as_deref() {
        Some("lien") => DataNotice::LinkSent,
        Some("corrige") => DataNotice::Rectified,
        Some("choix") => DataNotice::NewsChoiceSaved,
        _ => DataNotice::None,
    };
    data_page(
        &req,
        &state,
        &viewer,
        notice,
        "",
        &FormErrors::default(),
        &token,
    )
    .await
}

#[derive(Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    format: String,
    #[serde(default)]
    mot_de_passe: String,
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
        reconfirm_password(&state, &req, &viewer, &form.mot_de_passe, "data_export").await?;
    let now = state.clock.now();
    if let Some(message) = reconfirm.error() {
        let mut errors = FormErrors::default();
        errors.add("mot_de_passe", message);
        let markup =
            data_page(&req, &state, &viewer, DataNotice::None, "", &errors, &token).await?;
        return Ok(reconfirm.answer(now, StatusCode::UNPROCESSABLE_ENTITY, markup));
    }
    let export = personal_data(&state.db, now, &state.public_url, viewer.id)
        .await?
        .ok_or(PageError::NotFound)?;
    let json = form.format == "json";
    staff_audit(&state, &req, &viewer, AuditEvent::DataExported)
        .user(viewer.id)
        .detail(if json { "json" } else { "html" }.to_owned())
        .record_with(&state)
        .await?;
    let private = (header::CACHE_CONTROL, "no-store");
    if json {
        let body = serde_json::to_string_pretty(&export)
            .map_err(|error| PageError::Internal(error.to_string()))?;
        let name = format!(
            "attachment; filename=\"wemaintain-mes-donnees-{}.json\"",
            crate::paris::input_value(now)
        );
        return Ok(HttpResponse::Ok()
            .content_type("application/json")
            .insert_header(private)
            .insert_header((header::CONTENT_DISPOSITION, name))
            .body(body));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(private)
        .body(view::export_page(&export).into_string()))
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
        &viewer,
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
            return Ok(invalid(view::edit_page(
                &viewer,
                &form,
                &errors,
                with_company,
                &token,
            )))
        }
    };
    profile_changes::update_profile(&state.db, viewer.id, viewer.company_id, &update).await?;
    staff_audit(&state, &req, &viewer, AuditEvent::ProfileRectified)
        .user(viewer.id)
        .record_with(&state)
        .await?;
    Ok(redirect("/profil/donnees?fait=corrige"))
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    nouvel_email: String,
    #[serde(default)]
    mot_de_passe_email: String,
}

/// `POST /profil/donnees/email`: sends the link to the new address.
pub async fn change_email(
    req: HttpRequest,
    form: web::Form<EmailForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let mut errors = FormErrors::default();
    let email = errors.check("nouvel_email", Email::parse(&form.nouvel_email));
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
    let reconfirm = reconfirm_password(
        &state,
        &req,
        &viewer,
        &form.mot_de_passe_email,
        "email_change",
    )
    .await?;
    if let Some(message) = reconfirm.error() {
        errors.add("mot_de_passe_email", message);
    }
    let (Some(email), true) = (email, errors.is_empty()) else {
        let markup = data_page(
            &req,
            &state,
            &viewer,
            DataNotice::None,
            &form.nouvel_email,
            &errors,
            &token,
        )
        .await?;
        let now = state.clock.now();
        return Ok(reconfirm.answer(now, StatusCode::UNPROCESSABLE_ENTITY, markup));
    };
    send_address_link(&req, &state, &viewer, &email).await
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
    let now = state.clock.now();
    let link_token =
        profile_changes::request_email_change(&state.db, now, viewer.id, email).await?;
    let own_address = email.as_str() == viewer.email;
    staff_audit(state, req, viewer, AuditEvent::EmailChangeRequested)
        .user(viewer.id)
        .maybe_detail(own_address.then(|| "confirmation de l'adresse actuelle".to_owned()))
        .record_with(state)
        .await?;
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
        &query.jeton,
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
    let now = state.clock.now();
    let path = "/compte/adresse/confirmer";
    let outcome = profile_changes::confirm_email_change(&state.db, now, &form.jeton).await?;
    let markup = match outcome {
        EmailChange::Done {
            user_id,
            old_email,
            new_email,
        } if old_email == new_email => {
            let entry = AuditEntry {
                subject_user: Some(user_id),
                ip: Some(state.client_ip(&req)),
                detail: Some("adresse actuelle confirmée".to_owned()),
                ..Default::default()
            };
            audit::record(
                &state.db,
                &state.register,
                now,
                AuditEvent::EmailChanged,
                entry,
            )
            .await?;
            links::link_result_page(
                path,
                "Adresse e-mail confirmée",
                &format!("Merci : {new_email} est confirmée comme l'adresse de votre compte."),
            )
        }
        EmailChange::Done {
            user_id,
            old_email,
            new_email,
        } => {
            let entry = AuditEntry {
                subject_user: Some(user_id),
                ip: Some(state.client_ip(&req)),
                ..Default::default()
            };
            audit::record(
                &state.db,
                &state.register,
                now,
                AuditEvent::EmailChanged,
                entry,
            )
            .await?;
            state.mailer.send_later(notifications::email_changed(
                &old_email,
                &new_email,
                &state.public_url,
            ));
            links::link_result_page(
                path,
                "Adresse e-mail changée",
                &format!("L'adresse de votre compte est désormais {new_email}. Utilisez-la pour vous connecter."),
            )
        }
        EmailChange::AddressTaken => {
            return Ok(page(
                actix_web::http::StatusCode::CONFLICT,
                links::link_result_page(
                    path,
                    "Adresse déjà utilisée",
                    "Cette adresse est devenue celle d'un autre compte entre-temps : votre adresse n'a pas changé.",
                ),
            ))
        }
        EmailChange::InvalidLink => {
            return Ok(page(
                actix_web::http::StatusCode::NOT_FOUND,
                links::link_result_page(
                    path,
                    "Lien invalide",
                    "Ce lien a déjà servi, a expiré (24 heures) ou n'existe pas. Demandez-en un nouveau depuis votre espace, rubrique « Mes données ».",
                ),
            ))
        }
    };
    Ok(page(actix_web::http::StatusCode::OK, markup))
}

#[derive(Deserialize)]
pub struct NewsForm {
    #[serde(default)]
    choix: String,
}

/// `POST /profil/donnees/actualites`: objects to, or accepts again, the
/// service-news e-mails.
pub async fn news_choice(
    req: HttpRequest,
    form: web::Form<NewsForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let objected_at = match form.choix.as_str() {
        "opposition" => Some(state.clock.now()),
        "accord" => None,
        _ => return Err(PageError::BadRequest),
    };
    profile_changes::set_news_objection(&state.db, viewer.id, objected_at).await?;
    staff_audit(&state, &req, &viewer, AuditEvent::NewsObjectionChanged)
        .user(viewer.id)
        .detail(form.choix.clone())
        .record_with(&state)
        .await?;
    Ok(redirect("/profil/donnees?fait=choix#choix"))
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    mot_de_passe_effacement: String,
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
    session: Session,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let mut errors = FormErrors::default();
    let reconfirm = reconfirm_password(
        &state,
        &req,
        &viewer,
        &form.mot_de_passe_effacement,
        "erasure",
    )
    .await?;
    if let Some(message) = reconfirm.error() {
        errors.add("mot_de_passe_effacement", message);
    }
    if form.confirmation != "oui" {
        errors.add(
            "confirmation",
            "Cochez la case pour confirmer que vous voulez effacer votre compte.",
        );
    }
    if !errors.is_empty() {
        let markup =
            data_page(&req, &state, &viewer, DataNotice::None, "", &errors, &token).await?;
        let now = state.clock.now();
        return Ok(reconfirm.answer(now, StatusCode::UNPROCESSABLE_ENTITY, markup));
    }
    let statement = erase_account(
        &state.db,
        &state.register,
        state.clock.now(),
        viewer.id,
        &state.client_ip(&req),
    )
    .await?;
    session.purge();
    state.mailer.send_later(notifications::erasure_statement(
        &statement.email,
        &statement.first_name,
        &statement.as_text(),
    ));
    Ok(page(
        actix_web::http::StatusCode::OK,
        view::erased_page(&statement),
    ))
}
