//! `/admin/rapports`: staff list, read, publish and correct reports.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::audit::AuditEvent;
use crate::auth::{CsrfToken, Viewer};
use crate::db::pagination::PageRequest;
use crate::forms::FormErrors;
use crate::http::{html, redirect, staff_audit, PageError, StaffPage};
use crate::information_reports::forms::ReportForm;
use crate::information_reports::publishing::{self, Outcome};
use crate::information_reports::staff_views::{self as view, FormFor, FormPage};
use crate::information_reports::{self, Report, ReportFilter};
use crate::maintenance::resolution;
use crate::paris;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    #[serde(rename = "societe")]
    company: String,
    page: PageRequest,
    #[serde(rename = "fait")]
    done: String,
    #[serde(rename = "demande")]
    request: String,
}

fn notice_of(done: &str) -> Option<&'static str> {
    match done {
        "publie" => Some("Rapport publié : le client le lit dans son espace."),
        "resolue" => Some("Rapport publié, demande résolue : le client est prévenu par e-mail."),
        "corrige" => Some("Correction enregistrée : le client lit le rapport corrigé."),
        _ => None,
    }
}

/// `GET /admin/rapports`: a company that is not a number lists them all.
pub async fn staff_list(
    query: web::Query<ListQuery>,
    staff: StaffPage,
) -> Result<Markup, PageError> {
    let company = query.company.trim().parse::<i64>().ok();
    let db = &staff.state.db;
    let filter = ReportFilter::default();
    let list = information_reports::reports(db, company, &filter, query.page).await?;
    let companies: Vec<(i64, String)> = crate::accounts::companies(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let shown = company.map(|id| id.to_string()).unwrap_or_default();
    let notice = notice_of(&query.done);
    Ok(view::staff_list(&list, &companies, &shown, notice))
}

/// `GET /admin/rapports/nouveau[?demande=N]`: from a request's page, the
/// request and its device are chosen already.
pub async fn new_report(
    query: web::Query<ListQuery>,
    staff: StaffPage,
) -> Result<Markup, PageError> {
    let db = &staff.state.db;
    let request = query.request.trim().parse::<i64>().ok();
    let device = match request {
        Some(id) => crate::maintenance::request(db, None, id).await?,
        None => None,
    };
    let form = ReportForm {
        date: paris::date(staff.state.clock.now())
            .format("%Y-%m-%d")
            .to_string(),
        device_state: "en_service".into(),
        device: device
            .as_ref()
            .and_then(|r| r.device_id)
            .map(|id| id.to_string())
            .unwrap_or_default(),
        request: device
            .as_ref()
            .map(|r| r.id.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    form_page(&staff, None, &form, &FormErrors::default()).await
}

/// The form to publish (`report` is `None`) or correct a report.
async fn form_page(
    staff: &StaffPage,
    report: Option<&Report>,
    form: &ReportForm,
    errors: &FormErrors,
) -> Result<Markup, PageError> {
    form_markup(&staff.state, &staff.token, report, form, errors).await
}

async fn form_markup(
    state: &AppState,
    token: &CsrfToken,
    report: Option<&Report>,
    form: &ReportForm,
    errors: &FormErrors,
) -> Result<Markup, PageError> {
    let also = form.request.trim().parse::<i64>().ok();
    let requests = resolution::choices(&state.db, also).await?;
    let devices = match report {
        None => information_reports::all_devices(&state.db).await?,
        Some(_) => Vec::new(),
    };
    let purpose = match report {
        None => FormFor::New { devices: &devices },
        Some(report) => FormFor::Correction { report },
    };
    let page = FormPage {
        form,
        errors,
        requests: &requests,
    };
    Ok(view::report_form_page(token, purpose, page))
}

/// `POST /admin/rapports`: published and audited; the request it names
/// resolved when staff say so.
pub async fn publish(
    req: HttpRequest,
    form: web::Form<ReportForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let today = paris::date(state.clock.now());
    let outcome = match form.validate(today) {
        Ok(new) => {
            let audit = staff_audit(&state, &req, &viewer, AuditEvent::ReportPublished);
            publishing::publish(&state, viewer.id, &new, audit.pending(&state)).await?
        }
        Err(errors) => return refuse(&state, &token, None, &form, errors).await,
    };
    match outcome {
        Outcome::Done { resolved, .. } => Ok(redirect(match resolved {
            true => "/admin/rapports?fait=resolue",
            false => "/admin/rapports?fait=publie",
        })),
        refused => refuse(&state, &token, None, &form, errors_of(refused)).await,
    }
}

/// The form again, with what was typed and why it was refused.
async fn refuse(
    state: &AppState,
    token: &CsrfToken,
    report: Option<&Report>,
    form: &ReportForm,
    errors: FormErrors,
) -> Result<HttpResponse, PageError> {
    let page = form_markup(state, token, report, form, &errors).await?;
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
}

fn errors_of(outcome: Outcome) -> FormErrors {
    let mut errors = FormErrors::default();
    match outcome {
        Outcome::RequestOfAnotherCompany => errors.add(
            "demande",
            "Cette demande n'est pas une demande de la société de l'appareil.",
        ),
        _ => errors.add("appareil", "Choisissez l'appareil dans la liste."),
    }
    errors
}

/// `GET /admin/rapports/{id}`.
pub async fn staff_report(
    path: web::Path<i64>,
    query: web::Query<ListQuery>,
    staff: StaffPage,
) -> Result<Markup, PageError> {
    let report = information_reports::report(&staff.state.db, None, path.into_inner())
        .await?
        .ok_or(PageError::NotFound)?;
    let notice = notice_of(&query.done);
    Ok(view::staff_report(&report, notice))
}

/// `GET /admin/rapports/{id}/modifier`: the form filled with the report.
pub async fn edit_report(path: web::Path<i64>, staff: StaffPage) -> Result<Markup, PageError> {
    let report = information_reports::report(&staff.state.db, None, path.into_inner())
        .await?
        .ok_or(PageError::NotFound)?;
    let form = ReportForm::of(&report);
    form_page(&staff, Some(&report), &form, &FormErrors::default()).await
}

/// `POST /admin/rapports/{id}/modifier`: corrected and audited; the device
/// stays the report's.
pub async fn correct(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<ReportForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let report = information_reports::report(&state.db, None, path.into_inner())
        .await?
        .ok_or(PageError::NotFound)?;
    let mut form = form.into_inner();
    form.device = report.device_id.to_string();
    let new = match form.validate(paris::date(state.clock.now())) {
        Ok(new) => new,
        Err(errors) => return refuse(&state, &token, Some(&report), &form, errors).await,
    };
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::ReportCorrected).pending(&state);
    match publishing::correct(&state, report.id, viewer.id, &new, audit).await? {
        Outcome::Done { report, .. } => {
            Ok(redirect(&format!("/admin/rapports/{report}?fait=corrige")))
        }
        refused => refuse(&state, &token, Some(&report), &form, errors_of(refused)).await,
    }
}
