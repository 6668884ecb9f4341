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
use crate::http::{
    confirm_audited_opening, html, redirect, staff_audit, staff_recipients, PageError,
};
use crate::maintenance;
use crate::notifications;
use crate::proposals::forms::ProposalForm;
use crate::proposals::views as view;
use crate::proposals::{self, ProposalError};
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: PageRequest,
    fait: String,
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
    Ok(view::form_page(
        &viewer,
        &token,
        &devices,
        &ProposalForm::default(),
        &FormErrors::default(),
    ))
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
        html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::form_page(&viewer, &token, &devices, &form, &errors),
        )
    };
    let new = match form.validate() {
        Ok(new) => new,
        Err(errors) => return Ok(refuse(errors)),
    };
    let id = match proposals::create(&state.db, company, viewer.id, state.clock.now(), &new).await {
        Ok(id) => id,
        Err(ProposalError::ForeignDevice) => {
            let mut errors = FormErrors::default();
            errors.add("appareils", "Cochez les appareils dans la liste.");
            return Ok(refuse(errors));
        }
        Err(ProposalError::Db(error)) => return Err(error.into()),
    };
    if let Some(proposal) = proposals::proposal(&state.db, Some(company), id).await? {
        let staff = staff_recipients(&state).await?;
        state.mailer.send_later(notifications::proposal_to_staff(
            staff,
            id,
            &proposal.company_name,
            proposal.previsit,
            &state.public_url,
        ));
    }
    Ok(redirect(&format!("/profil/propositions/{id}?fait=envoyee")))
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
    let id = path.into_inner();
    let proposal = proposals::proposal(&state.db, Some(company), id)
        .await?
        .ok_or(PageError::NotFound)?;
    let devices = proposals::devices_of(&state.db, id).await?;
    let notice = (query.fait == "envoyee").then_some(
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
    let id = path.into_inner();
    let proposal = proposals::proposal(&state.db, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let devices = proposals::devices_of(&state.db, id).await?;
    staff_audit(&state, &req, &viewer, AuditEvent::RecordViewed)
        .user(proposal.created_by)
        .subject(format!("proposal:{id}"))
        .record_with(&state)
        .await?;
    let notice = match query.fait.as_str() {
        "repondue" => Some("Réponse envoyée : le client est prévenu par e-mail."),
        "deja" => Some("Cette demande a déjà reçu une réponse."),
        _ => None,
    };
    Ok(view::staff_page(
        &viewer,
        &token,
        &proposal,
        &devices,
        "",
        &FormErrors::default(),
        notice,
    ))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    reponse: String,
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
    let proposal = proposals::proposal(&state.db, None, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let mut errors = FormErrors::default();
    let Some(text) = errors.check("reponse", message_text(&form.reponse, 5, 10_000)) else {
        let devices = proposals::devices_of(&state.db, id).await?;
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::staff_page(
                &viewer,
                &token,
                &proposal,
                &devices,
                &form.reponse,
                &errors,
                None,
            ),
        ));
    };
    if !proposals::answer(&state.db, id, &text, state.clock.now()).await? {
        return Ok(redirect(&format!("/admin/propositions/{id}?fait=deja")));
    }
    if let Some(user) = proposal.created_by {
        if let Some(account) = crate::accounts::session_account(&state.db, user).await? {
            state.mailer.send_later(notifications::proposal_answered(
                &account.email,
                &account.first_name,
                id,
                &state.public_url,
            ));
        }
    }
    Ok(redirect(&format!("/admin/propositions/{id}?fait=repondue")))
}
