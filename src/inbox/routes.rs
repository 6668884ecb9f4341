//! `/contact` and `/techniciens`: the public forms.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;

use crate::auth::rate_limit::LimitedForm;
use crate::auth::CsrfToken;
use crate::forms::FormErrors;
use crate::http::{form_limit, html, redirect, staff_recipients, too_many, PageError};
use crate::inbox;
use crate::inbox::forms::{ApplicationForm, QuestionForm};
use crate::inbox::views as view;
use crate::notifications;
use crate::state::AppState;

/// `GET /contact`.
pub async fn contact(state: web::Data<AppState>, token: CsrfToken) -> Markup {
    view::contact_page(
        &QuestionForm::default(),
        &FormErrors::default(),
        &token,
        &state.register,
    )
}

/// `POST /contact`.
pub async fn ask(
    req: HttpRequest,
    form: web::Form<QuestionForm>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let page = |errors: &FormErrors| view::contact_page(&form, errors, &token, &state.register);
    let question = match form.validate() {
        Ok(question) => question,
        Err(errors) => return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&errors))),
    };
    let limited = form_limit(&state, &req, LimitedForm::Contact, &question.email).await?;
    if let Some((until, errors)) = limited {
        return Ok(too_many(state.clock.now(), until, page(&errors)));
    }
    inbox::submit_question(&state.db, &state.register, state.clock.now(), &question).await?;
    let staff = staff_recipients(&state).await?;
    let mail = notifications::question_to_staff(staff, &question, &state.public_url);
    state.mailer.send_later(mail);
    Ok(redirect("/contact/envoye"))
}

/// `GET /contact/envoye`.
pub async fn contact_sent() -> Markup {
    view::sent_page(
        "/contact/envoye",
        "Votre question est envoyée",
        "Merci. L'équipe WeMaintain vous répond au plus vite, par e-mail ou par téléphone.",
    )
}

/// `GET /techniciens`.
pub async fn technicians(state: web::Data<AppState>, token: CsrfToken) -> Markup {
    view::technicians_page(
        &ApplicationForm::default(),
        &FormErrors::default(),
        &token,
        &state.register,
    )
}

/// `POST /techniciens`.
pub async fn apply(
    req: HttpRequest,
    form: web::Form<ApplicationForm>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let page = |errors: &FormErrors| view::technicians_page(&form, errors, &token, &state.register);
    let application = match form.validate() {
        Ok(application) => application,
        Err(errors) => return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&errors))),
    };
    let limited = form_limit(&state, &req, LimitedForm::Application, &application.email).await?;
    if let Some((until, errors)) = limited {
        return Ok(too_many(state.clock.now(), until, page(&errors)));
    }
    inbox::submit_application(&state.db, &state.register, state.clock.now(), &application).await?;
    let staff = staff_recipients(&state).await?;
    let mail = notifications::application_to_staff(staff, &application, &state.public_url);
    state.mailer.send_later(mail);
    Ok(redirect("/techniciens/envoye"))
}

/// `GET /techniciens/envoye`.
pub async fn technicians_sent() -> Markup {
    view::sent_page(
        "/techniciens/envoye",
        "Votre candidature est envoyée",
        "Merci. Notre équipe étudie votre candidature et vous recontacte rapidement.",
    )
}
