//! `/profil/contrat`: reading, signing and verifying the maintenance
//! contract; `/admin/contrats`: the signed contracts, for staff.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;

use crate::contract::forms::SignForm;
use crate::contract::views as view;
use crate::contract::views::SignPage;
use crate::contract::{self, ContractDocument, ContractError, NewSignature, CURRENT_VERSION};
use crate::forms::FormErrors;
use crate::http::client_ip::ClientIp;
use crate::http::{html, redirect, ClientPage, PageError, StaffPage};
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

/// The contract page, with the name typed and its errors.
async fn page(client: &ClientPage, name: &str, errors: &FormErrors) -> Result<Markup, PageError> {
    let (state, company) = (&client.state, client.company);
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
        &client.token,
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
pub async fn show(client: ClientPage) -> Result<Markup, PageError> {
    page(&client, "", &FormErrors::default()).await
}

/// `POST /profil/contrat/signer`: signs exactly the text the person read
/// (its fingerprint travels with the form); if the company's devices
/// changed meanwhile, the person is asked to read it again.
pub async fn sign(
    ip: ClientIp,
    form: web::Form<SignForm>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let Some(document) = current_document(&client.state, client.company).await? else {
        return Err(PageError::BadRequest);
    };
    let text = document.text();
    let name = match form.validate(&text) {
        Ok(name) => name,
        Err(errors) => {
            let page = page(&client, &form.full_name, &errors).await?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let ip = ip.to_string();
    let signature = NewSignature::by(&client.viewer, client.company, &text, &name, &ip);
    match contract::sign(&client.state.db, client.state.clock.now(), &signature).await {
        Ok(id) => Ok(redirect(&format!("/profil/contrat/{id}"))),
        // Signed meanwhile (a colleague, a double click): the page says so.
        Err(ContractError::AlreadySigned) => Ok(redirect("/profil/contrat")),
        Err(ContractError::Db(error)) => Err(error.into()),
    }
}

/// `GET /profil/contrat/{id}`: the signed contract, printable, with its hash.
pub async fn signed(path: web::Path<i64>, client: ClientPage) -> Result<Markup, PageError> {
    let signature = contract::signature(&client.state.db, Some(client.company), path.into_inner())
        .await?
        .ok_or(PageError::NotFound)?;
    Ok(view::signed_page(&signature))
}

/// `GET /profil/contrat/{id}/texte`: the exact text signed, as a file whose
/// SHA-256 anyone can recompute (`sha256sum`).
pub async fn signed_text(
    path: web::Path<i64>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let signature = contract::signature(&client.state.db, Some(client.company), path.into_inner())
        .await?
        .ok_or(PageError::NotFound)?;
    let filename = format!("contrat-wemaintain-{}.txt", signature.id);
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .body(signature.text))
}

/// `GET /profil/contrat/verifier`: every signature's hash recomputed.
pub async fn verify(client: ClientPage) -> Result<Markup, PageError> {
    let signatures = contract::signatures(&client.state.db, Some(client.company)).await?;
    Ok(view::verify_page(&signatures))
}

/// `GET /admin/contrats`.
pub async fn staff_list(staff: StaffPage) -> Result<Markup, PageError> {
    let signatures = contract::signatures(&staff.state.db, None).await?;
    Ok(view::staff_list(&signatures))
}

/// `GET /admin/contrats/{id}`: a signer's record; opening it is audited.
pub async fn staff_signed(page: StaffPage, path: web::Path<i64>) -> Result<Markup, PageError> {
    if let Some(confirm) = page.opened_elsewhere() {
        return Ok(confirm);
    }
    let id = path.into_inner();
    let signature = contract::signature(&page.state.db, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    page.viewed()
        .subject(format!("contract_signature:{id}"))
        .record_with(&page.state)
        .await?;
    Ok(view::staff_signed(&signature))
}
