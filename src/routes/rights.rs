//! The data rights: `/profil/donnees` for an Utilisateur,
//! `/confidentialite/demande` for anyone, `/admin/droits` for staff.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Europe::Paris;
use maud::Markup;
use serde::Deserialize;

use super::csv_download::{Cell, CsvDownload, Separator};
use super::{
    confirm_audited_opening, form_limit, reconfirm_password, redirect, staff_audit,
    staff_recipients, too_many, PageError,
};
use crate::accounts;
use crate::analytics::AudienceChoice;
use crate::audit::{self, AuditEntry, AuditEvent};
use crate::auth::rate_limit::LimitedForm;
use crate::auth::{opened_from_another_site, CsrfToken, Viewer};
use crate::db::{from_millis, millis};
use crate::domain::Email;
use crate::forms::{FormErrors, ProfileForm, RightsDecisionForm, RightsRequestForm};
use crate::mail::OutgoingMail;
use crate::notifications;
use crate::rights::erasure::erase_account;
use crate::rights::export::{personal_data, SCHEMA};
use crate::rights::profile_changes::{self, EmailChange};
use crate::rights::visits::{self, IpQuery};
use crate::rights::{self, RightsError, RightsRequest};
use crate::startup::AppState;
use crate::views::links;
use crate::views::rights::{self as view, DataNotice, DataPage, VisitQuery, VisitResults};

fn page(status: actix_web::http::StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

fn invalid(markup: Markup) -> HttpResponse {
    page(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, markup)
}

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
    staff_audit(
        &state,
        &req,
        &viewer,
        AuditEvent::DataExported,
        Some(viewer.id),
        None,
        Some(if json { "json" } else { "html" }.to_owned()),
    )
    .await?;
    let private = (header::CACHE_CONTROL, "no-store");
    if json {
        let body = serde_json::to_string_pretty(&export).map_err(|_| PageError::BadRequest)?;
        let name = format!(
            "attachment; filename=\"wemaintain-mes-donnees-{}.json\"",
            now.with_timezone(&Paris).format("%Y-%m-%d")
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

/// `GET /confidentialite/schema-export-v1.json`: the published schema.
pub async fn schema() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/schema+json")
        .body(SCHEMA)
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
    staff_audit(
        &state,
        &req,
        &viewer,
        AuditEvent::ProfileRectified,
        Some(viewer.id),
        None,
        None,
    )
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
    staff_audit(
        state,
        req,
        viewer,
        AuditEvent::EmailChangeRequested,
        Some(viewer.id),
        None,
        own_address.then(|| "confirmation de l'adresse actuelle".to_owned()),
    )
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

#[derive(Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    jeton: String,
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
    staff_audit(
        &state,
        &req,
        &viewer,
        AuditEvent::NewsObjectionChanged,
        Some(viewer.id),
        None,
        Some(form.choix.clone()),
    )
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
        Err(errors) => return Ok(invalid(view::request_page(&form, &errors, &token))),
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
    state.mailer.send_later(notifications::rights_request_link(
        request.email.as_str(),
        request.kind.short(),
        &link,
    ));
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
        &query.jeton,
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
    let now = state.clock.now();
    let path = "/confidentialite/demande/confirmer";
    let Some(request) = rights::confirm(&state.db, now, &form.jeton).await? else {
        return Ok(page(
            actix_web::http::StatusCode::NOT_FOUND,
            links::link_result_page(
                path,
                "Lien invalide",
                "Ce lien a déjà servi, a expiré (7 jours) ou n'existe pas. Vous pouvez refaire votre demande.",
            ),
        ));
    };
    let entry = AuditEntry {
        subject: Some(format!("rights_request:{}", request.id)),
        ip: Some(state.client_ip(&req)),
        ..Default::default()
    };
    audit::record(
        &state.db,
        &state.register,
        now,
        AuditEvent::RightsRequestConfirmed,
        entry,
    )
    .await?;
    let due = request
        .due_at
        .map(crate::views::forms::french_date)
        .unwrap_or_default();
    let kind = request.kind().map(|k| k.short()).unwrap_or("—");
    let staff = staff_recipients(&state).await?;
    state
        .mailer
        .send_later(notifications::rights_request_to_staff(
            staff,
            request.id,
            kind,
            &due,
            &state.public_url,
        ));
    Ok(page(
        actix_web::http::StatusCode::OK,
        links::link_result_page(
            path,
            "Demande confirmée",
            &format!(
                "Votre demande n° {} est enregistrée. Nous vous répondrons au plus tard le {due}.",
                request.id
            ),
        ),
    ))
}

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
    staff_audit(
        &state,
        &req,
        &viewer,
        AuditEvent::RecordViewed,
        request.user_id,
        Some(format!("rights_request:{id}")),
        None,
    )
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
    staff_audit(
        state,
        req,
        viewer,
        event,
        request.user_id,
        Some(format!("rights_request:{id}")),
        detail,
    )
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
    let day = |text: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=9999).contains(&chrono::Datelike::year(d)))
            .ok_or("Indiquez une date (jj/mm/aaaa).")
    };
    let from = errors.check("du", day(&query.du));
    let to = errors.check("au", day(&query.au));
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.add("au", "La fin de la période est avant son début.");
        }
    }
    let start = |d: NaiveDate| {
        Paris
            .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .earliest()
            .map(|at| at.with_timezone(&chrono::Utc))
    };
    match (
        ip,
        from.and_then(start),
        to.and_then(|d| d.succ_opt()).and_then(start),
    ) {
        (Some(ip), Some(from), Some(to)) if errors.is_empty() => Ok((ip, from, to)),
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
        let now = state.clock.now().with_timezone(&Paris);
        let blank = VisitQuery {
            ip: String::new(),
            du: (now - chrono::Duration::days(30))
                .format("%Y-%m-%d")
                .to_string(),
            au: now.format("%Y-%m-%d").to_string(),
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
    staff_audit(
        &state,
        &req,
        &viewer,
        AuditEvent::VisitLogSearched,
        None,
        Some(format!("ip:{ip}")),
        Some(format!("{} → {}", query.du, query.au)),
    )
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
    staff_audit(
        &state,
        &req,
        &viewer,
        AuditEvent::VisitLogSearched,
        None,
        Some(format!("ip:{ip}")),
        Some(format!("export CSV {} → {}", query.du, query.au)),
    )
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
