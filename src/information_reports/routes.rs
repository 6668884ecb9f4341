//! `/profil/rapports` (the client reads) and `/admin/rapports` (staff publish).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::analytics::rollup::{date_of_day, paris_day};
use crate::auth::{ClientCompany, CsrfToken, Viewer};
use crate::db::pagination::PageRequest;
use crate::domain::DateRange;
use crate::forms::FormErrors;
use crate::http::{html, redirect, PageError};
use crate::information_reports::forms::ReportForm;
use crate::information_reports::views as view;
use crate::information_reports::views::FilterValues;
use crate::information_reports::{self, ReportFilter};
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FilterQuery {
    batiment: String,
    appareil: String,
    du: String,
    au: String,
    page: PageRequest,
    fait: String,
}

/// `GET /profil/rapports`: a wrong filter value is ignored and said.
pub async fn client_list(
    query: web::Query<FilterQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = |text: &str| text.trim().parse::<i64>().ok();
    let (from, to, error) = match DateRange::parse_open(&query.du, &query.au) {
        Ok((from, to)) => (from, to, None),
        Err(error) => (None, None, Some(error.to_string())),
    };
    let filter = ReportFilter {
        building: id(&query.batiment),
        device: id(&query.appareil),
        from,
        to,
    };
    let list = information_reports::reports(&state.db, Some(company), &filter, query.page).await?;
    let (buildings, devices) = information_reports::filter_choices(&state.db, company).await?;
    let markup = view::client_list(
        &viewer,
        &token,
        &list,
        &buildings,
        &devices,
        &FilterValues {
            building: &query.batiment,
            device: &query.appareil,
            from: &query.du,
            to: &query.au,
            error: error.as_deref(),
        },
    );
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html(status, markup))
}

/// `GET /profil/rapports/{id}`: printable.
pub async fn client_report(
    path: web::Path<i64>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let report = information_reports::report(&state.db, Some(company), path.into_inner())
        .await?
        .ok_or(PageError::NotFound)?;
    Ok(view::client_report(&viewer, &token, &report))
}

/// `GET /admin/rapports`.
pub async fn staff_form(
    query: web::Query<FilterQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let devices = information_reports::all_devices(&state.db).await?;
    let form = ReportForm {
        date: date_of_day(paris_day(state.clock.now()))
            .format("%Y-%m-%d")
            .to_string(),
        etat: "en_service".into(),
        ..Default::default()
    };
    let notice =
        (query.fait == "publie").then_some("Rapport publié : le client le lit dans son espace.");
    Ok(view::staff_form(
        &viewer,
        &token,
        &devices,
        &form,
        &FormErrors::default(),
        notice,
    ))
}

/// `POST /admin/rapports`.
pub async fn publish(
    form: web::Form<ReportForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let devices = information_reports::all_devices(&state.db).await?;
    let refuse = |errors: FormErrors| {
        html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::staff_form(&viewer, &token, &devices, &form, &errors, None),
        )
    };
    let new = match form.validate(date_of_day(paris_day(now))) {
        Ok(new) => new,
        Err(errors) => return Ok(refuse(errors)),
    };
    if information_reports::publish(&state.db, viewer.id, now, &new)
        .await?
        .is_none()
    {
        let mut errors = FormErrors::default();
        errors.add("appareil", "Choisissez l'appareil dans la liste.");
        return Ok(refuse(errors));
    }
    Ok(redirect("/admin/rapports?fait=publie"))
}
