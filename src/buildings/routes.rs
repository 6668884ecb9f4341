//! `/profil/batiments` and `/profil/appareils`: the client company's
//! buildings and devices. Another company's object answers 404.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Datelike;
use serde::Deserialize;

use crate::auth::{ClientCompany, CsrfToken, Viewer};
use crate::buildings::forms::{BuildingForm, DeviceForm};
use crate::buildings::views as view;
use crate::buildings::{self, BuildingOrder};
use crate::db::pagination::PageRequest;
use crate::forms::FormErrors;
use crate::http::{html, redirect, PageError};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    tri: Option<String>,
    #[serde(default)]
    page: PageRequest,
    archives: Option<String>,
    fait: Option<String>,
}

/// `GET /profil/batiments`.
pub async fn list(
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    company: Option<ClientCompany>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let Some(ClientCompany(company)) = company else {
        return Ok(html(StatusCode::OK, view::no_company_page(&viewer, &token)));
    };
    let order = BuildingOrder::parse(query.tri.as_deref());
    let archived = query.archives.is_some();
    let list = buildings::buildings(&state.db, company, archived, order, query.page).await?;
    let notice = match query.fait.as_deref() {
        Some("archive") => Some("Bâtiment archivé : il reste consultable ici, avec ses appareils."),
        _ => None,
    };
    Ok(html(
        StatusCode::OK,
        view::buildings_page(&viewer, &token, &list, archived, order, notice),
    ))
}

/// `GET /profil/batiments/nouveau`.
pub async fn new_building(
    viewer: Viewer,
    company: Option<ClientCompany>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    if company.is_none() {
        return Ok(html(StatusCode::OK, view::no_company_page(&viewer, &token)));
    }
    Ok(html(
        StatusCode::OK,
        view::building_form_page(
            &viewer,
            &token,
            "/profil/batiments/nouveau",
            "Ajouter un bâtiment",
            &BuildingForm::default(),
            &FormErrors::default(),
        ),
    ))
}

/// `POST /profil/batiments/nouveau`.
pub async fn create_building(
    form: web::Form<BuildingForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let new = match form.validate() {
        Ok(new) => new,
        Err(errors) => {
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::building_form_page(
                    &viewer,
                    &token,
                    "/profil/batiments/nouveau",
                    "Ajouter un bâtiment",
                    &form,
                    &errors,
                ),
            ))
        }
    };
    let id = buildings::create_building(&state.db, company, state.clock.now(), &new).await?;
    Ok(redirect(&format!("/profil/batiments/{id}?fait=cree")))
}

#[derive(Deserialize)]
pub struct Notice {
    fait: Option<String>,
}

/// `GET /profil/batiments/{id}`.
pub async fn building(
    path: web::Path<i64>,
    query: web::Query<Notice>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let found = buildings::building(&state.db, company, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let devices = buildings::devices_of(&state.db, company, id).await?;
    let notice = match query.fait.as_deref() {
        Some("cree") => Some("Bâtiment ajouté."),
        Some("modifie") => Some("Bâtiment modifié."),
        Some("appareil") => Some("Appareil enregistré."),
        Some("remis") => Some("Bâtiment remis en service."),
        _ => None,
    };
    Ok(html(
        StatusCode::OK,
        view::building_page(&viewer, &token, &found, &devices, notice),
    ))
}

/// `GET /profil/batiments/{id}/modifier`.
pub async fn edit_building(
    path: web::Path<i64>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let found = buildings::building(&state.db, company, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let action = format!("/profil/batiments/{id}/modifier");
    Ok(html(
        StatusCode::OK,
        view::building_form_page(
            &viewer,
            &token,
            &action,
            "Modifier le bâtiment",
            &BuildingForm::of(&found),
            &FormErrors::default(),
        ),
    ))
}

/// `POST /profil/batiments/{id}/modifier`.
pub async fn update_building(
    path: web::Path<i64>,
    form: web::Form<BuildingForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    buildings::building(&state.db, company, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let new = match form.validate() {
        Ok(new) => new,
        Err(errors) => {
            let action = format!("/profil/batiments/{id}/modifier");
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::building_form_page(
                    &viewer,
                    &token,
                    &action,
                    "Modifier le bâtiment",
                    &form,
                    &errors,
                ),
            ));
        }
    };
    if !buildings::update_building(&state.db, company, id, &new).await? {
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
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let found = buildings::building(&state.db, company, id)
        .await?
        .ok_or(PageError::NotFound)?;
    if found.archived_at.is_some() {
        return Err(PageError::NotFound);
    }
    let action = format!("/profil/batiments/{id}/appareils/nouveau");
    Ok(html(
        StatusCode::OK,
        view::device_form_page(
            &viewer,
            &token,
            &found,
            &action,
            "Ajouter un appareil",
            &DeviceForm::default(),
            &FormErrors::default(),
        ),
    ))
}

/// `POST /profil/batiments/{id}/appareils/nouveau`.
pub async fn create_device(
    path: web::Path<i64>,
    form: web::Form<DeviceForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let found = buildings::building(&state.db, company, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let now = state.clock.now();
    let new = match form.validate(now.year()) {
        Ok(new) => new,
        Err(errors) => {
            let action = format!("/profil/batiments/{id}/appareils/nouveau");
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::device_form_page(
                    &viewer,
                    &token,
                    &found,
                    &action,
                    "Ajouter un appareil",
                    &form,
                    &errors,
                ),
            ));
        }
    };
    match buildings::create_device(&state.db, company, id, now, &new).await? {
        Some(_) => Ok(redirect(&format!("/profil/batiments/{id}?fait=appareil"))),
        None => Err(PageError::NotFound),
    }
}

/// `GET /profil/appareils/{id}/modifier`.
pub async fn edit_device(
    path: web::Path<i64>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let device = buildings::device(&state.db, company, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let found = buildings::building(&state.db, company, device.building_id)
        .await?
        .ok_or(PageError::NotFound)?;
    let action = format!("/profil/appareils/{id}/modifier");
    Ok(html(
        StatusCode::OK,
        view::device_form_page(
            &viewer,
            &token,
            &found,
            &action,
            "Modifier l'appareil",
            &DeviceForm::of(&device),
            &FormErrors::default(),
        ),
    ))
}

/// `POST /profil/appareils/{id}/modifier`.
pub async fn update_device(
    path: web::Path<i64>,
    form: web::Form<DeviceForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let device = buildings::device(&state.db, company, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let found = buildings::building(&state.db, company, device.building_id)
        .await?
        .ok_or(PageError::NotFound)?;
    let new = match form.validate(state.clock.now().year()) {
        Ok(new) => new,
        Err(errors) => {
            let action = format!("/profil/appareils/{id}/modifier");
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::device_form_page(
                    &viewer,
                    &token,
                    &found,
                    &action,
                    "Modifier l'appareil",
                    &form,
                    &errors,
                ),
            ));
        }
    };
    if !buildings::update_device(&state.db, company, id, &new).await? {
        return Err(PageError::NotFound);
    }
    Ok(redirect(&format!(
        "/profil/batiments/{}?fait=appareil",
        device.building_id
    )))
}
