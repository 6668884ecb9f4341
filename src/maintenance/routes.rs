//! `/profil/demandes` (the client's maintenance requests) and
//! `/admin/demandes` (staff handle them).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::audit::AuditEvent;
use crate::auth::{CsrfToken, Viewer};
use crate::db::pagination::PageRequest;
use crate::forms::FormErrors;
use crate::http::{html, redirect, staff_audit, ClientPage, PageError, StaffPage};
use crate::information_reports::links::{reports_of_request, LinkedReport};
use crate::maintenance::forms::{RequestForm, ThreadMessageForm};
use crate::maintenance::staff::StaffFilter;
use crate::maintenance::staff_views as staff_view;
use crate::maintenance::views as view;
use crate::maintenance::views::{PlaceChoices, RequestPage};
use crate::maintenance::{
    self, workflow, MaintenanceRequest, Place, RequestMessage, RequestStatus,
};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: PageRequest,
    #[serde(rename = "closes")]
    closed: Option<String>,
    #[serde(rename = "appareil")]
    device: Option<String>,
    #[serde(rename = "fait")]
    done: Option<String>,
}

/// `GET /profil/demandes`.
pub async fn client_list(
    query: web::Query<ListQuery>,
    client: ClientPage,
) -> Result<Markup, PageError> {
    let open = query.closed.is_none();
    let list =
        maintenance::requests(&client.state.db, Some(client.company), open, query.page).await?;
    Ok(view::client_list(&list, open))
}

/// The company's devices and buildings, for the request form.
async fn place_choices(state: &AppState, company: i64) -> Result<PlaceChoices, PageError> {
    Ok(PlaceChoices {
        devices: maintenance::device_choices(&state.db, company).await?,
        buildings: crate::buildings::building_choices(&state.db, company).await?,
    })
}

/// `GET /profil/demandes/nouvelle[?appareil=ID]`.
pub async fn new_request(
    query: web::Query<ListQuery>,
    client: ClientPage,
) -> Result<Markup, PageError> {
    let choices = place_choices(&client.state, client.company).await?;
    let form = RequestForm {
        device: query.device.clone().unwrap_or_default(),
        ..Default::default()
    };
    let errors = FormErrors::default();
    Ok(view::request_form_page(
        &client.token,
        &choices,
        &form,
        &errors,
        client.state.emergency_phone.as_ref(),
    ))
}

/// `POST /profil/demandes/nouvelle`.
pub async fn create_request(
    form: web::Form<RequestForm>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let choices = place_choices(&client.state, client.company).await?;
    let refuse = |errors: FormErrors| {
        let on_call = client.state.emergency_phone.as_ref();
        let page = view::request_form_page(&client.token, &choices, &form, &errors, on_call);
        html(StatusCode::UNPROCESSABLE_ENTITY, page)
    };
    let new = match form.validate(!choices.devices.is_empty()) {
        Ok(new) => new,
        Err(errors) => return Ok(refuse(errors)),
    };
    let Some(id) = workflow::submit(&client.state, client.company, client.viewer.id, &new).await?
    else {
        return Ok(refuse(not_the_company_s(&new.place)));
    };
    Ok(redirect(&format!("/profil/demandes/{id}?fait=envoyee")))
}

/// A device or building that is not the company's: refused as if it had
/// not been chosen.
fn not_the_company_s(place: &Place) -> FormErrors {
    let mut errors = FormErrors::default();
    match place {
        Place::Device(_) => errors.add("appareil", "Choisissez l'appareil concerné dans la liste."),
        Place::Described { .. } => errors.add(
            "batiment",
            "Choisissez le bâtiment dans la liste, ou laissez le champ vide.",
        ),
    }
    errors
}

fn notice_of(done: Option<&str>) -> Option<&'static str> {
    match done {
        Some("envoyee") => {
            Some("Votre demande est envoyée : l'équipe WeMaintain vous répond ici et par e-mail.")
        }
        Some("message") => Some("Message envoyé."),
        Some("statut") => Some("Statut enregistré : le client est prévenu par e-mail."),
        Some("deja") => Some("Ce changement n'est plus possible : le statut a changé entre-temps."),
        Some("appareil") => Some("Appareil rattaché à la demande."),
        _ => None,
    }
}

/// What a request's page shows besides its thread: the reports that answer
/// it and, for staff, the requester's details and the device to attach.
struct Around {
    reports: Vec<LinkedReport>,
    staff_details: Markup,
}

/// A request's page, for its client or for staff, with the message being
/// typed and its errors, and what `viewer` sees around the thread.
async fn request_page(
    state: &AppState,
    viewer: &Viewer,
    token: &CsrfToken,
    thread: &(MaintenanceRequest, Vec<RequestMessage>),
    (message, errors): (&str, &FormErrors),
    notice: Option<&str>,
) -> Result<Markup, PageError> {
    let around = Around::of(state, viewer, token, &thread.0, errors).await?;
    let page = RequestPage {
        request: &thread.0,
        messages: &thread.1,
        message,
        errors,
        notice,
        on_call: state.emergency_phone.as_ref(),
        staff_details: around.staff_details,
        reports: &around.reports,
    };
    // Client routes are for clients only, staff routes for staff only.
    Ok(match viewer.role {
        crate::auth::Role::Client => view::client_request(token, &page),
        _ => view::staff_request(token, &page),
    })
}

/// What the staff page adds: who to call, the building's address, the
/// device to attach.
async fn staff_details(
    state: &AppState,
    token: &CsrfToken,
    request: &MaintenanceRequest,
    errors: &FormErrors,
) -> Result<Markup, PageError> {
    let requester = maintenance::staff::requester(&state.db, request).await?;
    let devices = maintenance::device_choices(&state.db, request.company_id).await?;
    Ok(maud::html! {
        (staff_view::requester_block(requester.as_ref(), request))
        (staff_view::attach_form(token, request, &devices, errors))
    })
}

impl Around {
    /// What `viewer` sees around `request`: its reports and, for staff,
    /// the requester's details.
    async fn of(
        state: &AppState,
        viewer: &Viewer,
        token: &CsrfToken,
        request: &MaintenanceRequest,
        errors: &FormErrors,
    ) -> Result<Around, PageError> {
        let staff_details = match viewer.role {
            crate::auth::Role::Client => maud::html! {},
            _ => staff_details(state, token, request, errors).await?,
        };
        let reports = reports_of_request(&state.db, request.id).await?;
        Ok(Around {
            reports,
            staff_details,
        })
    }
}

/// `GET /profil/demandes/{id}`.
pub async fn client_request(
    path: web::Path<i64>,
    query: web::Query<ListQuery>,
    client: ClientPage,
) -> Result<Markup, PageError> {
    let thread = workflow::thread(&client.state, Some(client.company), *path)
        .await?
        .ok_or(PageError::NotFound)?;
    let no_errors = FormErrors::default();
    let (state, viewer, token) = (&client.state, &client.viewer, &client.token);
    let notice = notice_of(query.done.as_deref());
    request_page(state, viewer, token, &thread, ("", &no_errors), notice).await
}

/// `POST /profil/demandes/{id}/messages`.
pub async fn client_message(
    path: web::Path<i64>,
    form: web::Form<ThreadMessageForm>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let request = maintenance::request(&client.state.db, Some(client.company), id)
        .await?
        .ok_or(PageError::NotFound)?;
    let body = match form.validate() {
        Ok(body) if request.status().is_open() => body,
        Ok(_) => return Err(PageError::BadRequest),
        Err(errors) => {
            return refused_message(
                &client.state,
                &client.viewer,
                &client.token,
                request,
                &form,
                &errors,
            )
            .await
        }
    };
    let now = client.state.clock.now();
    workflow::add_message(&client.state, &request, client.viewer.id, false, &body, now).await?;
    Ok(redirect(&format!("/profil/demandes/{id}?fait=message")))
}

/// A message refused: the request's page again, with what was typed.
async fn refused_message(
    state: &AppState,
    viewer: &Viewer,
    token: &CsrfToken,
    request: MaintenanceRequest,
    form: &ThreadMessageForm,
    errors: &FormErrors,
) -> Result<HttpResponse, PageError> {
    let messages = maintenance::messages(&state.db, request.id).await?;
    let typed = (form.message.as_str(), errors);
    let page = request_page(state, viewer, token, &(request, messages), typed, None).await?;
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
}

#[derive(Deserialize)]
pub struct StaffListQuery {
    #[serde(default)]
    page: PageRequest,
    #[serde(default, rename = "statut")]
    status: String,
    #[serde(default, rename = "urgence")]
    urgency: String,
    #[serde(default, rename = "reponse")]
    awaiting: String,
}

/// `GET /admin/demandes[?statut=…&urgence=…&reponse=attendue&page=N]`:
/// the most urgent first; a filter the form never sends is ignored, with
/// a notice.
pub async fn staff_list(
    query: web::Query<StaffListQuery>,
    staff: StaffPage,
) -> Result<Markup, PageError> {
    let (filter, ignored) = StaffFilter::parse(&query.status, &query.urgency, &query.awaiting);
    let list = maintenance::staff::requests(&staff.state.db, filter, query.page).await?;
    let notice = ignored.then_some("Un filtre demandé n'existe pas : il est ignoré.");
    Ok(staff_view::staff_list(&list, &filter, notice))
}

/// `GET /admin/demandes/{id}`: a client's request is a record; opening it
/// is audited.
pub async fn staff_request(
    page: StaffPage,
    path: web::Path<i64>,
    query: web::Query<ListQuery>,
) -> Result<Markup, PageError> {
    if let Some(confirm) = page.opened_elsewhere() {
        return Ok(confirm);
    }
    let id = path.into_inner();
    let thread = workflow::thread(&page.state, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    page.viewed()
        .user(thread.0.created_by)
        .subject(format!("maintenance_request:{id}"))
        .record_with(&page.state)
        .await?;
    let no_errors = FormErrors::default();
    let (state, viewer, token) = (&page.state, &page.viewer, &page.token);
    let notice = notice_of(query.done.as_deref());
    request_page(state, viewer, token, &thread, ("", &no_errors), notice).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default, rename = "depuis")]
    from: String,
    #[serde(default, rename = "statut")]
    to: String,
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
        RequestStatus::parse(&form.from),
        RequestStatus::parse(&form.to),
    ) else {
        return Err(PageError::BadRequest);
    };
    let done = match workflow::change_status(&state, &request, from, to).await? {
        true => "statut",
        false => "deja",
    };
    Ok(redirect(&format!("/admin/demandes/{id}?fait={done}")))
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
            return refused_message(&state, &viewer, &token, request, &form, &errors).await
        }
    };
    let now = state.clock.now();
    workflow::add_message(&state, &request, viewer.id, true, &body, now).await?;
    Ok(redirect(&format!("/admin/demandes/{id}?fait=message")))
}

#[derive(Deserialize)]
pub struct AttachForm {
    #[serde(default, rename = "appareil")]
    device: String,
}

/// `POST /admin/demandes/{id}/appareil`: staff attach a device of the
/// company (the client described the place); audited with the change.
pub async fn attach_device(
    path: web::Path<i64>,
    form: web::Form<AttachForm>,
    page: StaffPage,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let request = maintenance::request(&page.state.db, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    if let Ok(device) = form.device.trim().parse::<i64>() {
        if attach(&page, &request, device).await? {
            return Ok(redirect(&format!("/admin/demandes/{id}?fait=appareil")));
        }
    }
    let mut errors = FormErrors::default();
    errors.add(
        "appareil",
        "Choisissez un appareil de la société dans la liste.",
    );
    let empty = ThreadMessageForm::default();
    refused_message(
        &page.state,
        &page.viewer,
        &page.token,
        request,
        &empty,
        &errors,
    )
    .await
}

/// Attaches the device with its audit line; `false` when it is not one of
/// the company's.
async fn attach(
    page: &StaffPage,
    request: &MaintenanceRequest,
    device: i64,
) -> Result<bool, PageError> {
    let state = &page.state;
    let audit = staff_audit(
        state,
        &page.req,
        &page.viewer,
        AuditEvent::RequestDeviceAttached,
    )
    .user(request.created_by)
    .subject(format!("maintenance_request:{}", request.id))
    .detail(format!("appareil {device}"))
    .pending(state);
    Ok(maintenance::staff::attach_device(&state.db, request.id, device, audit).await?)
}
