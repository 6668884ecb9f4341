//! `/profil/contrat`: reading, signing and verifying the maintenance
//! contract; `/admin/contrats`: the signed contracts, for staff.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;

use crate::audit::AuditEvent;
use crate::auth::{ClientCompany, CsrfToken, Viewer};
use crate::contract::forms::SignForm;
use crate::contract::views as view;
use crate::contract::views::SignPage;
use crate::contract::{self, ContractDocument, ContractError, NewSignature, CURRENT_VERSION};
use crate::forms::FormErrors;
use crate::http::{confirm_audited_opening, html, redirect, staff_audit, PageError};
use crate::state::AppState;

/// The current version's contract for the company as it is now, or
/// `None` while it has no device.
async fn current_document(
    state: &AppState,
    company: i64,
) -> Result<Option<ContractDocument>, PageError> {
    let party = contract::party(&state.db, company)
        .await?
        .ok_or(PageError::NotFound)?;
    let devices = contract::covered_devices(&state.db, company).await?;
    if devices.is_empty() {
        return Ok(None);
    }
    Ok(Some(contract::current_document(&party, &devices)))
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    company: i64,
    token: &CsrfToken,
    name: &str,
    errors: &FormErrors,
) -> Result<Markup, PageError> {
    let signatures = contract::signatures(&state.db, Some(company)).await?;
    let signed = signatures
        .iter()
        .find(|s| s.template_version == CURRENT_VERSION);
    let document = current_document(state, company).await?;
    let fingerprint = document
        .as_ref()
        .map(|d| contract::sha256(&d.text()))
        .unwrap_or_default();
    Ok(view::contract_page(
        viewer,
        token,
        &SignPage {
            document: document.as_ref(),
            fingerprint: &fingerprint,
            signed,
            name,
            errors,
        },
    ))
}

/// `GET /profil/contrat`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    page(&state, &viewer, company, &token, "", &FormErrors::default()).await
}

/// `POST /profil/contrat/signer`: signs exactly the text the person read
/// (its fingerprint travels with the form); if the company's devices
/// changed meanwhile, the person is asked to read it again.
pub async fn sign(
    req: HttpRequest,
    form: web::Form<SignForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let Some(document) = current_document(&state, company).await? else {
        return Err(PageError::BadRequest);
    };
    let text = document.text();
    let name = match form.validate(&text) {
        Ok(name) => name,
        Err(errors) => {
            let page = page(&state, &viewer, company, &token, &form.full_name, &errors).await?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let ip = state.client_ip(&req);
    let signature = NewSignature::by(&viewer, company, &text, &name, &ip);
    match contract::sign(&state.db, state.clock.now(), &signature).await {
        Ok(id) => Ok(redirect(&format!("/profil/contrat/{id}"))),
        // Signed meanwhile (a colleague, a double click): the page says so.
        Err(ContractError::AlreadySigned) => Ok(redirect("/profil/contrat")),
        Err(ContractError::Db(error)) => Err(error.into()),
    }
}

/// `GET /profil/contrat/{id}`: the signed contract, printable, with its hash.
pub async fn signed(
    path: web::Path<i64>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let signature = contract::signature(&state.db, Some(company), path.into_inner())
        .await?
        .ok_or(PageError::NotFound)?;
    Ok(view::signed_page(&viewer, &token, &signature))
}

/// `GET /profil/contrat/verifier`: every signature's hash recomputed.
pub async fn verify(
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let signatures = contract::signatures(&state.db, Some(company)).await?;
    Ok(view::verify_page(&viewer, &token, &signatures))
}

/// `GET /admin/contrats`.
pub async fn staff_list(
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let signatures = contract::signatures(&state.db, None).await?;
    Ok(view::staff_list(&viewer, &token, &signatures))
}

/// `GET /admin/contrats/{id}`: a signer's record; opening it is audited.
pub async fn staff_signed(
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
    let signature = contract::signature(&state.db, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    staff_audit(&state, &req, &viewer, AuditEvent::RecordViewed)
        .subject(format!("contract_signature:{id}"))
        .record_with(&state)
        .await?;
    Ok(view::staff_signed(&viewer, &token, &signature))
}
