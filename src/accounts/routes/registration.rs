//! `/inscription`: a visitor asks for a client account.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::accounts::forms::RegistrationForm;
use crate::accounts::views::registration as view;
use crate::accounts::{sign_ups, RegistrationConfirmation};
use crate::auth::rate_limit::LimitedForm;
use crate::auth::CsrfToken;
use crate::forms::FormErrors;
use crate::http::{form_limit, html, redirect, too_many, PageError};
use crate::state::AppState;
use crate::views::links;

/// `GET /inscription`.
pub async fn show(state: web::Data<AppState>, token: CsrfToken) -> Markup {
    view::registration_page(
        &RegistrationForm::default(),
        &FormErrors::default(),
        &token,
        &state.register,
    )
}

/// `POST /inscription`: a valid request is stored, unconfirmed, and a link
/// goes to its address; an address already known gets the same page (and
/// another e-mail), so that the form does not tell who has an account (nor do the mail
/// counters: which mail leaves depends on it).
pub async fn submit(
    req: HttpRequest,
    form: web::Form<RegistrationForm>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let page =
        |errors: &FormErrors| view::registration_page(&form, errors, &token, &state.register);
    let valid = match form.validate() {
        Ok(valid) => valid,
        Err(errors) => return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&errors))),
    };
    // Counted before the argon2 hash: each one costs tens of milliseconds.
    let email = &valid.registration.email;
    let limited = form_limit(&state, &req, LimitedForm::Registration, email).await?;
    if let Some((until, errors)) = limited {
        return Ok(too_many(state.clock.now(), until, page(&errors)));
    }
    sign_ups::sign_up(&state, valid).await?;
    Ok(redirect("/inscription/envoyee"))
}

/// `GET /inscription/envoyee`.
pub async fn sent() -> Markup {
    view::registration_sent_page()
}

#[derive(Deserialize)]
pub struct LinkQuery {
    #[serde(default, rename = "jeton")]
    token: String,
}

const CONFIRM_PATH: &str = "/inscription/confirmer";

/// `GET /inscription/confirmer?jeton=…`: a button confirms (a mail filter
/// may open links on its own).
pub async fn confirm_link(query: web::Query<LinkQuery>, token: CsrfToken) -> Markup {
    links::link_page(
        "Confirmer mon adresse e-mail",
        CONFIRM_PATH,
        &query.token,
        "Confirmer mon adresse",
        &token,
    )
}

/// `POST /inscription/confirmer`: the address is proven, the request goes
/// to staff.
pub async fn confirm(
    form: web::Form<LinkQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let outcome = sign_ups::confirm(&state, &form.token).await?;
    let (status, title, text) = confirmation_text(&outcome);
    Ok(html(
        status,
        links::link_result_page(CONFIRM_PATH, title, text),
    ))
}

fn confirmation_text(
    outcome: &RegistrationConfirmation,
) -> (StatusCode, &'static str, &'static str) {
    match outcome {
        RegistrationConfirmation::Confirmed(_) => (
            StatusCode::OK,
            "Adresse confirmée",
            "Merci, votre adresse est confirmée. Votre demande de compte est transmise à l'équipe WeMaintain : vous recevrez un e-mail dès qu'elle aura été examinée, en général sous deux jours ouvrés.",
        ),
        RegistrationConfirmation::AddressAlreadyKnown => (
            StatusCode::CONFLICT,
            "Adresse déjà connue",
            "Cette adresse a déjà un compte ou une demande en cours. Connectez-vous, ou choisissez un nouveau mot de passe depuis la page de connexion.",
        ),
        RegistrationConfirmation::InvalidLink => (
            StatusCode::NOT_FOUND,
            "Lien invalide",
            "Ce lien a déjà servi, a expiré (7 jours) ou n'existe pas. Vous pouvez refaire votre demande de compte.",
        ),
    }
}
