//! `/inscription`: a visitor asks for a client account.

use actix_web::{web, HttpResponse};
use maud::Markup;

use super::{redirect, staff_recipients, PageError};
use crate::accounts::{self, RegistrationOutcome};
use crate::auth::password::hash_password;
use crate::auth::CsrfToken;
use crate::forms::{FormErrors, RegistrationForm};
use crate::notifications;
use crate::privacy::Purpose;
use crate::startup::AppState;
use crate::views::registration as view;

/// `GET /inscription`.
pub async fn show(state: web::Data<AppState>, token: CsrfToken) -> Markup {
    view::registration_page(
        &RegistrationForm::default(),
        &FormErrors::default(),
        &token,
        &state.register,
    )
}

/// `POST /inscription`: a valid request is stored as pending and staff are
/// told; an address already known gets the same page (and an e-mail), so
/// that the form does not tell who has an account (nor do the mail
/// counters: which mail leaves depends on it).
pub async fn submit(
    form: web::Form<RegistrationForm>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let valid = match form.validate() {
        Ok(valid) => valid,
        Err(errors) => {
            return Ok(HttpResponse::UnprocessableEntity()
                .content_type("text/html; charset=utf-8")
                .body(
                    view::registration_page(&form, &errors, &token, &state.register).into_string(),
                ))
        }
    };
    let mut registration = valid.registration;
    registration.password_hash = hash_password(valid.password.expose().to_owned()).await?;
    let now = state.clock.now();
    let retention = state.register.retention(Purpose::PendingRegistrations);
    match accounts::register(&state.db, now, retention, &registration).await? {
        RegistrationOutcome::Received { id } => {
            if let Some(stored) = accounts::registration(&state.db, id).await? {
                let staff = staff_recipients(&state).await?;
                state
                    .mailer
                    .send_later_discreetly(notifications::registration_to_staff(
                        staff,
                        &stored,
                        &state.public_url,
                    ));
            }
        }
        RegistrationOutcome::AddressAlreadyKnown => {
            state
                .mailer
                .send_later_discreetly(notifications::registration_address_known(
                    registration.email.as_str(),
                    &state.public_url,
                ));
        }
    }
    Ok(redirect("/inscription/envoyee"))
}

/// `GET /inscription/envoyee`.
pub async fn sent() -> Markup {
    view::registration_sent_page()
}
