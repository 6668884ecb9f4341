//! `/profil/propositions` (the client asks) and `/admin/propositions`
//! (staff answer).

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::auth::CsrfToken;
use crate::db::pagination::PageRequest;
use crate::domain::message_text;
use crate::forms::FormErrors;
use crate::http::{html, redirect, ClientPage, PageError, StaffPage};
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
    client: ClientPage,
) -> Result<Markup, PageError> {
    let list = proposals::proposals(&client.state.db, Some(client.company), query.page).await?;
    Ok(view::client_list(&list))
}

/// `GET /profil/propositions/nouvelle`.
pub async fn new_proposal(client: ClientPage) -> Result<Markup, PageError> {
    let devices = maintenance::device_choices(&client.state.db, client.company).await?;
    let (form, errors) = (ProposalForm::default(), FormErrors::default());
    Ok(view::form_page(&client.token, &devices, &form, &errors))
}

/// `POST /profil/propositions/nouvelle`: the form is read from the body,
/// since several devices can be ticked.
pub async fn create(body: Bytes, client: ClientPage) -> Result<HttpResponse, PageError> {
    let form = ProposalForm::from_body(&body);
    let devices = maintenance::device_choices(&client.state.db, client.company).await?;
    let refuse = |errors: FormErrors| {
        let page = view::form_page(&client.token, &devices, &form, &errors);
        html(StatusCode::UNPROCESSABLE_ENTITY, page)
    };
    let new = match form.validate() {
        Ok(new) => new,
        Err(errors) => return Ok(refuse(errors)),
    };
    match workflow::submit(&client.state, client.company, client.viewer.id, &new).await {
        Ok(id) => Ok(redirect(&format!("/profil/propositions/{id}/envoyee"))),
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
    client: ClientPage,
) -> Result<Markup, PageError> {
    let (proposal, devices) = workflow::with_devices(&client.state, Some(client.company), *path)
        .await?
        .ok_or(PageError::NotFound)?;
    let notice = (query.done == "envoyee").then_some(SENT);
    Ok(view::client_page(&proposal, &devices, notice))
}

const SENT: &str = "Votre demande est envoyée : l'équipe WeMaintain vous répond ici et par e-mail.";

/// `GET /profil/propositions/{id}/envoyee`: the proposal's page, once
/// sent. An address of its own, not a query string, so that the audience
/// statistics (which log no query) count the request as a goal reached.
pub async fn sent_page(path: web::Path<i64>, client: ClientPage) -> Result<Markup, PageError> {
    let (proposal, devices) = workflow::with_devices(&client.state, Some(client.company), *path)
        .await?
        .ok_or(PageError::NotFound)?;
    Ok(view::client_page(&proposal, &devices, Some(SENT)))
}

/// `GET /admin/propositions`.
pub async fn staff_list(
    query: web::Query<PageQuery>,
    staff: StaffPage,
) -> Result<Markup, PageError> {
    let list = proposals::proposals(&staff.state.db, None, query.page).await?;
    Ok(view::staff_list(&list))
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
    page: StaffPage,
    path: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> Result<Markup, PageError> {
    if let Some(confirm) = page.opened_elsewhere() {
        return Ok(confirm);
    }
    let (proposal, devices) = workflow::with_devices(&page.state, None, *path)
        .await?
        .ok_or(PageError::NotFound)?;
    page.viewed()
        .user(proposal.created_by)
        .subject(format!("proposal:{}", proposal.id))
        .record_with(&page.state)
        .await?;
    let (errors, notice) = (FormErrors::default(), staff_notice(&query.done));
    Ok(view::staff_page(
        &page.token,
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
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let mut errors = FormErrors::default();
    let missing = "Indiquez la réponse au client : la proposition ou ce qu'il faut préciser.";
    let text = message_text(&form.answer, 5, 10_000);
    let text = errors.required("reponse", &form.answer, missing, text);
    let (proposal, devices) = workflow::with_devices(&state, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let Some(text) = text else {
        let typed = (form.answer.as_str(), &errors);
        let page = view::staff_page(&token, &proposal, &devices, typed, None);
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    let done = match workflow::answer(&state, &proposal, &text).await? {
        true => "repondue",
        false => "deja",
    };
    Ok(redirect(&format!("/admin/propositions/{id}?fait={done}")))
}
