//! `/profil/batiments` and `/profil/appareils`: the client company's
//! buildings and devices. Another company's object answers 404.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Datelike;
use serde::Deserialize;

use crate::auth::{ClientCompany, CsrfToken};
use crate::buildings::forms::{BuildingForm, DeviceForm};
use crate::buildings::views as view;
use crate::buildings::{self, Building, BuildingOrder};
use crate::db::pagination::PageRequest;
use crate::forms::FormErrors;
use crate::http::{html, redirect, ClientPage, PageError};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(rename = "tri")]
    order: Option<String>,
    #[serde(default)]
    page: PageRequest,
    #[serde(rename = "archives")]
    archived: Option<String>,
    #[serde(rename = "fait")]
    done: Option<String>,
}

/// `GET /profil/batiments`.
pub async fn list(
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
    ClientCompany(company): ClientCompany,
) -> Result<HttpResponse, PageError> {
    let order = BuildingOrder::parse(query.order.as_deref());
    let archived = query.archived.is_some();
    let list = buildings::buildings(&state.db, company, archived, order, query.page).await?;
    let notice = match query.done.as_deref() {
        Some("archive") => Some("Bâtiment archivé : il reste consultable ici, avec ses appareils."),
        _ => None,
    };
    let page = view::buildings_page(&list, archived, order, notice);
    Ok(html(StatusCode::OK, page))
}

/// `GET /profil/batiments/nouveau`.
pub async fn new_building(
    _company: ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let page = view::building_form_page(
        &token,
        None,
        &BuildingForm::default(),
        &FormErrors::default(),
    );
    Ok(html(StatusCode::OK, page))
}

/// `POST /profil/batiments/nouveau`.
pub async fn create_building(
    form: web::Form<BuildingForm>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let new = match form.validate() {
        Ok(new) => new,
        Err(errors) => {
            let page = view::building_form_page(&client.token, None, &form, &errors);
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let id = buildings::create_building(
        &client.state.db,
        client.company,
        client.state.clock.now(),
        &new,
    )
    .await?;
    Ok(redirect(&format!("/profil/batiments/{id}?fait=cree")))
}

#[derive(Deserialize)]
pub struct Notice {
    #[serde(rename = "fait")]
    done: Option<String>,
}

fn building_notice(done: Option<&str>) -> Option<&'static str> {
    match done {
        Some("cree") => Some("Bâtiment ajouté."),
        Some("modifie") => Some("Bâtiment modifié."),
        Some("appareil") => Some("Appareil enregistré."),
        Some("remis") => Some("Bâtiment remis en service."),
        _ => None,
    }
}

/// The company's building `id`, or 404.
async fn company_building(state: &AppState, company: i64, id: i64) -> Result<Building, PageError> {
    buildings::building(&state.db, company, id)
        .await?
        .ok_or(PageError::NotFound)
}

/// `GET /profil/batiments/{id}`.
pub async fn building(
    path: web::Path<i64>,
    query: web::Query<Notice>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let found = company_building(&client.state, client.company, *path).await?;
    let devices = buildings::devices_of(&client.state.db, client.company, found.id).await?;
    let notice = building_notice(query.done.as_deref());
    let page = view::building_page(&client.token, &found, &devices, notice);
    Ok(html(StatusCode::OK, page))
}

/// `GET /profil/batiments/{id}/modifier`.
pub async fn edit_building(
    path: web::Path<i64>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let found = company_building(&client.state, client.company, *path).await?;
    let form = BuildingForm::of(&found);
    let page =
        view::building_form_page(&client.token, Some(found.id), &form, &FormErrors::default());
    Ok(html(StatusCode::OK, page))
}

/// `POST /profil/batiments/{id}/modifier`.
pub async fn update_building(
    path: web::Path<i64>,
    form: web::Form<BuildingForm>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let id = company_building(&client.state, client.company, *path)
        .await?
        .id;
    let new = match form.validate() {
        Ok(new) => new,
        Err(errors) => {
            let page = view::building_form_page(&client.token, Some(id), &form, &errors);
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    if !buildings::update_building(&client.state.db, client.company, id, &new).await? {
        return Err(PageError::NotFound);
    }
    Ok(redirect(&format!("/profil/batiments/{id}?fait=modifie")))
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    #[serde(default)]
    archive: String,
}

/// `POST /profil/batiments/{id}/archive`: `archive=oui` archives, `non`
/// brings the building back.
pub async fn archive(
    path: web::Path<i64>,
    form: web::Form<ArchiveForm>,
    state: web::Data<AppState>,
    ClientCompany(company): ClientCompany,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (at, done) = match form.archive.as_str() {
        "oui" => (
            Some(state.clock.now()),
            "/profil/batiments?fait=archive".to_owned(),
        ),
        "non" => (None, format!("/profil/batiments/{id}?fait=remis")),
        _ => return Err(PageError::BadRequest),
    };
    if !buildings::set_archived(&state.db, company, id, at).await? {
        return Err(PageError::NotFound);
    }
    Ok(redirect(&done))
}

/// `GET /profil/batiments/{id}/appareils/nouveau`.
pub async fn new_device(
    path: web::Path<i64>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let found = company_building(&client.state, client.company, *path).await?;
    if found.archived_at.is_some() {
        return Err(PageError::NotFound);
    }
    let page = view::device_form_page(
        &client.token,
        &found,
        None,
        &DeviceForm::default(),
        &FormErrors::default(),
    );
    Ok(html(StatusCode::OK, page))
}

/// `POST /profil/batiments/{id}/appareils/nouveau`.
pub async fn create_device(
    path: web::Path<i64>,
    form: web::Form<DeviceForm>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let found = company_building(&client.state, client.company, *path).await?;
    let now = client.state.clock.now();
    let new = match form.validate(now.year()) {
        Ok(new) => new,
        Err(errors) => {
            let page = view::device_form_page(&client.token, &found, None, &form, &errors);
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    match buildings::create_device(&client.state.db, client.company, found.id, now, &new).await? {
        Some(_) => Ok(redirect(&format!(
            "/profil/batiments/{}?fait=appareil",
            found.id
        ))),
        None => Err(PageError::NotFound),
    }
}

/// `GET /profil/appareils/{id}/modifier`.
pub async fn edit_device(
    path: web::Path<i64>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let (device, found) = buildings::device_in_building(&client.state.db, client.company, *path)
        .await?
        .ok_or(PageError::NotFound)?;
    let page = view::device_form_page(
        &client.token,
        &found,
        Some(device.id),
        &DeviceForm::of(&device),
        &FormErrors::default(),
    );
    Ok(html(StatusCode::OK, page))
}

/// `POST /profil/appareils/{id}/modifier`.
pub async fn update_device(
    path: web::Path<i64>,
    form: web::Form<DeviceForm>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let (device, found) = buildings::device_in_building(&client.state.db, client.company, *path)
        .await?
        .ok_or(PageError::NotFound)?;
    let new = match form.validate(client.state.clock.now().year()) {
        Ok(new) => new,
        Err(errors) => {
            let page =
                view::device_form_page(&client.token, &found, Some(device.id), &form, &errors);
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    if !buildings::update_device(&client.state.db, client.company, device.id, &new).await? {
        return Err(PageError::NotFound);
    }
    Ok(redirect(&format!(
        "/profil/batiments/{}?fait=appareil",
        found.id
    )))
}
