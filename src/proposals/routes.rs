//! `/profil/propositions` (the client asks) and `/admin/propositions`
//! (staff answer).

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::audit::AuditEvent;
use crate::auth::{ClientCompany, CsrfToken, Viewer};
use crate::db::pagination::PageRequest;
use crate::domain::message_text;
use crate::forms::FormErrors;
use crate::http::{confirm_audited_opening, html, redirect, staff_audit, PageError};
use crate::maintenance;
use crate::proposals::forms::ProposalForm;
use crate::proposals::views as view;
use crate::proposals::{self, workflow, ProposalError};
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: PageRequest,
    #[serde(rename = "fait")]
    done: String,
}

/// `GET /profil/propositions`.
pub async fn client_list(
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let list = proposals::proposals(&state.db, Some(company), query.page).await?;
    Ok(view::client_list(&viewer, &token, &list))
}

/// `GET /profil/propositions/nouvelle`.
pub async fn new_proposal(
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let devices = maintenance::device_choices(&state.db, company).await?;
    let (form, errors) = (ProposalForm::default(), FormErrors::default());
    Ok(view::form_page(&viewer, &token, &devices, &form, &errors))
}

/// `POST /profil/propositions/nouvelle`: the form is read from the body,
/// since several devices can be ticked.
pub async fn create(
    body: Bytes,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let form = ProposalForm::from_body(&body);
    let devices = maintenance::device_choices(&state.db, company).await?;
    let refuse = |errors: FormErrors| {
        let page = view::form_page(&viewer, &token, &devices, &form, &errors);
        html(StatusCode::UNPROCESSABLE_ENTITY, page)
    };
    let new = match form.validate() {
        Ok(new) => new,
        Err(errors) => return Ok(refuse(errors)),
    };
    match workflow::submit(&state, company, viewer.id, &new).await {
        Ok(id) => Ok(redirect(&format!("/profil/propositions/{id}?fait=envoyee"))),
        Err(ProposalError::ForeignDevice) => {
            let mut errors = FormErrors::default();
            errors.add("appareils", "Cochez les appareils dans la liste.");
            Ok(refuse(errors))
        }
        Err(ProposalError::Db(error)) => Err(error.into()),
    }
}

/// `GET /profil/propositions/{id}`.
pub async fn client_page(
    path: web::Path<i64>,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    ClientCompany(company): ClientCompany,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let (proposal, devices) = workflow::with_devices(&state, Some(company), *path)
        .await?
        .ok_or(PageError::NotFound)?;
    let notice = (query.done == "envoyee").then_some(
        "Votre demande est envoyée : l'équipe WeMaintain vous répond ici et par e-mail.",
    );
    Ok(view::client_page(
        &viewer, &token, &proposal, &devices, notice,
    ))
}

/// `GET /admin/propositions`.
pub async fn staff_list(
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let list = proposals::proposals(&state.db, None, query.page).await?;
    Ok(view::staff_list(&viewer, &token, &list))
}

fn staff_notice(done: &str) -> Option<&'static str> {
    match done {
        "repondue" => Some("Réponse envoyée : le client est prévenu par e-mail."),
        "deja" => Some("Cette demande a déjà reçu une réponse."),
        _ => None,
    }
}

/// `GET /admin/propositions/{id}`: opening it is audited.
pub async fn staff_page(
    req: HttpRequest,
    path: web::Path<i64>,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    if let Some(confirm) = confirm_audited_opening(&req, &viewer, &token) {
        return Ok(confirm);
    }
    let (proposal, devices) = workflow::with_devices(&state, None, *path)
        .await?
        .ok_or(PageError::NotFound)?;
    staff_audit(&state, &req, &viewer, AuditEvent::RecordViewed)
        .user(proposal.created_by)
        .subject(format!("proposal:{}", proposal.id))
        .record_with(&state)
        .await?;
    let (errors, notice) = (FormErrors::default(), staff_notice(&query.done));
    Ok(view::staff_page(
        &viewer,
        &token,
        &proposal,
        &devices,
        ("", &errors),
        notice,
    ))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default, rename = "reponse")]
    answer: String,
}

/// `POST /admin/propositions/{id}/reponse`: answered once; the client is
/// told by e-mail.
pub async fn answer(
    path: web::Path<i64>,
    form: web::Form<AnswerForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let mut errors = FormErrors::default();
    let text = errors.check("reponse", message_text(&form.answer, 5, 10_000));
    let (proposal, devices) = workflow::with_devices(&state, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let Some(text) = text else {
        let typed = (form.answer.as_str(), &errors);
        let page = view::staff_page(&viewer, &token, &proposal, &devices, typed, None);
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    let done = match workflow::answer(&state, &proposal, &text).await? {
        true => "repondue",
        false => "deja",
    };
    Ok(redirect(&format!("/admin/propositions/{id}?fait={done}")))
}
