//! `/profil/demandes` (the client's maintenance requests) and
//! `/admin/demandes` (staff handle them).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::audit::AuditEvent;
use crate::auth::{ClientCompany, CsrfToken, Viewer};
use crate::db::pagination::PageRequest;
use crate::forms::FormErrors;
use crate::http::{
    confirm_audited_opening, html, redirect, staff_audit, staff_recipients, PageError,
};
use crate::maintenance::forms::{RequestForm, ThreadMessageForm};
use crate::maintenance::views as view;
use crate::maintenance::views::RequestPage;
use crate::maintenance::{self, RequestStatus};
use crate::notifications;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: PageRequest,
    closes: Option<String>,
    appareil: Option<String>,
    fait: Option<String>,
}

/// `GET /profil/demandes`.
pub async fn client_list(
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let open = query.closes.is_none();
    let list = maintenance::requests(&state.db, Some(company), open, query.page).await?;
    Ok(view::client_list(&viewer, &token, &list, open))
}

/// `GET /profil/demandes/nouvelle[?appareil=ID]`.
pub async fn new_request(
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let devices = maintenance::device_choices(&state.db, company).await?;
    let form = RequestForm {
        appareil: query.appareil.clone().unwrap_or_default(),
        ..Default::default()
    };
    Ok(view::request_form_page(
        &viewer,
        &token,
        &devices,
        &form,
        &FormErrors::default(),
    ))
}

/// `POST /profil/demandes/nouvelle`.
pub async fn create_request(
    form: web::Form<RequestForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let devices = maintenance::device_choices(&state.db, company).await?;
    let refuse = |errors: FormErrors| {
        html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::request_form_page(&viewer, &token, &devices, &form, &errors),
        )
    };
    let new = match form.validate() {
        Ok(new) => new,
        Err(errors) => return Ok(refuse(errors)),
    };
    let now = state.clock.now();
    let Some(id) = maintenance::create(&state.db, company, viewer.id, now, &new).await? else {
        // A device id that is not one of the company's: as if not chosen.
        let mut errors = FormErrors::default();
        errors.add("appareil", "Choisissez l'appareil concerné dans la liste.");
        return Ok(refuse(errors));
    };
    if let Some(request) = maintenance::request(&state.db, Some(company), id).await? {
        let staff = staff_recipients(&state).await?;
        state.mailer.send_later(notifications::request_to_staff(
            staff,
            id,
            &request.company_name,
            &state.public_url,
        ));
    }
    Ok(redirect(&format!("/profil/demandes/{id}?fait=envoyee")))
}

fn notice_of(fait: Option<&str>) -> Option<&'static str> {
    match fait {
        Some("envoyee") => {
            Some("Votre demande est envoyée : l'équipe WeMaintain vous répond ici et par e-mail.")
        }
        Some("message") => Some("Message envoyé."),
        Some("statut") => Some("Statut enregistré : le client est prévenu par e-mail."),
        Some("deja") => Some("Ce changement n'est plus possible : le statut a changé entre-temps."),
        _ => None,
    }
}

/// `GET /profil/demandes/{id}`.
pub async fn client_request(
    path: web::Path<i64>,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let id = path.into_inner();
    let request = maintenance::request(&state.db, Some(company), id)
        .await?
        .ok_or(PageError::NotFound)?;
    let messages = maintenance::messages(&state.db, id).await?;
    Ok(view::client_request(
        &viewer,
        &token,
        &RequestPage {
            request: &request,
            messages: &messages,
            message: "",
            errors: &FormErrors::default(),
            notice: notice_of(query.fait.as_deref()),
        },
    ))
}

/// `POST /profil/demandes/{id}/messages`.
pub async fn client_message(
    path: web::Path<i64>,
    form: web::Form<ThreadMessageForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let request = maintenance::request(&state.db, Some(company), id)
        .await?
        .ok_or(PageError::NotFound)?;
    let body = match form.validate() {
        Ok(body) if request.status().is_open() => body,
        Ok(_) => return Err(PageError::BadRequest),
        Err(errors) => {
            let messages = maintenance::messages(&state.db, id).await?;
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::client_request(
                    &viewer,
                    &token,
                    &RequestPage {
                        request: &request,
                        messages: &messages,
                        message: &form.message,
                        errors: &errors,
                        notice: None,
                    },
                ),
            ));
        }
    };
    maintenance::add_message(&state.db, id, viewer.id, false, &body, state.clock.now()).await?;
    Ok(redirect(&format!("/profil/demandes/{id}?fait=message")))
}

/// `GET /admin/demandes`.
pub async fn staff_list(
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let open = query.closes.is_none();
    let list = maintenance::requests(&state.db, None, open, query.page).await?;
    Ok(view::staff_list(&viewer, &token, &list, open))
}

/// `GET /admin/demandes/{id}`: a client's request is a record; opening it
/// is audited.
pub async fn staff_request(
    req: HttpRequest,
    path: web::Path<i64>,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    if let Some(confirm) = confirm_audited_opening(&req, &viewer, &token) {
        return Ok(confirm);
    }
    let id = path.into_inner();
    let request = maintenance::request(&state.db, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let messages = maintenance::messages(&state.db, id).await?;
    staff_audit(&state, &req, &viewer, AuditEvent::RecordViewed)
        .user(request.created_by)
        .subject(format!("maintenance_request:{id}"))
        .record_with(&state)
        .await?;
    Ok(view::staff_request(
        &viewer,
        &token,
        &RequestPage {
            request: &request,
            messages: &messages,
            message: "",
            errors: &FormErrors::default(),
            notice: notice_of(query.fait.as_deref()),
        },
    ))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    depuis: String,
    #[serde(default)]
    statut: String,
}

/// `POST /admin/demandes/{id}/statut`: one step of the flow; the client is
/// told by e-mail.
pub async fn change_status(
    path: web::Path<i64>,
    form: web::Form<StatusForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let request = maintenance::request(&state.db, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let (Ok(from), Ok(to)) = (
        RequestStatus::parse(&form.depuis),
        RequestStatus::parse(&form.statut),
    ) else {
        return Err(PageError::BadRequest);
    };
    if !maintenance::change_status(&state.db, id, from, to, state.clock.now()).await? {
        return Ok(redirect(&format!("/admin/demandes/{id}?fait=deja")));
    }
    if let Some((email, first_name)) = maintenance::requester(&state.db, &request).await? {
        state
            .mailer
            .send_later(notifications::request_status_changed(
                &email,
                &first_name,
                id,
                to.label(),
                &state.public_url,
            ));
    }
    Ok(redirect(&format!("/admin/demandes/{id}?fait=statut")))
}

/// `POST /admin/demandes/{id}/messages`: the client is told by e-mail.
pub async fn staff_message(
    path: web::Path<i64>,
    form: web::Form<ThreadMessageForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let request = maintenance::request(&state.db, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let body = match form.validate() {
        Ok(body) => body,
        Err(errors) => {
            let messages = maintenance::messages(&state.db, id).await?;
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::staff_request(
                    &viewer,
                    &token,
                    &RequestPage {
                        request: &request,
                        messages: &messages,
                        message: &form.message,
                        errors: &errors,
                        notice: None,
                    },
                ),
            ));
        }
    };
    maintenance::add_message(&state.db, id, viewer.id, true, &body, state.clock.now()).await?;
    if let Some((email, first_name)) = maintenance::requester(&state.db, &request).await? {
        state.mailer.send_later(notifications::request_staff_reply(
            &email,
            &first_name,
            id,
            &state.public_url,
        ));
    }
    Ok(redirect(&format!("/admin/demandes/{id}?fait=message")))
}
