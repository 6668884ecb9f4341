//! What `/inscription` does around its queries: the password hashed, the
//! sign-up stored, and the mails that leave (to the address, then to staff).

use super::forms::ValidRegistration;
use super::{confirm_registration, register, RegistrationConfirmation, RegistrationOutcome};
use crate::auth::password::hash_password;
use crate::http::{staff_recipients, PageError};
use crate::notifications;
use crate::privacy::Purpose;
use crate::state::AppState;

/// Stores a valid sign-up and mails its address: the confirmation link, or
/// for an address already known a mail saying so (the page is the same, so
/// that the form does not tell who has an account).
pub async fn sign_up(state: &AppState, valid: ValidRegistration) -> Result<(), PageError> {
    let mut registration = valid.registration;
    registration.password_hash = hash_password(valid.password.expose().to_owned()).await?;
    let now = state.clock.now();
    let email = registration.email.as_str();
    let mail = match register(&state.db, now, &registration).await? {
        RegistrationOutcome::AwaitingConfirmation { token } => {
            let link = format!("{}/inscription/confirmer?jeton={token}", state.public_url);
            notifications::registration_confirmation_link(email, &registration.first_name, &link)
        }
        RegistrationOutcome::AddressAlreadyKnown => {
            notifications::registration_address_known(email, &state.public_url)
        }
    };
    state.mailer.send_later_discreetly(mail);
    Ok(())
}

/// Proves a sign-up's address with its link; a confirmed request is sent
/// to staff.
pub async fn confirm(state: &AppState, token: &str) -> Result<RegistrationConfirmation, PageError> {
    let now = state.clock.now();
    let retention = state.register.retention(Purpose::PendingRegistrations);
    let outcome = confirm_registration(&state.db, now, retention, token).await?;
    if let RegistrationConfirmation::Confirmed(registration) = &outcome {
        let staff = staff_recipients(state).await?;
        let mail = notifications::registration_to_staff(staff, registration, &state.public_url);
        state.mailer.send_later(mail);
    }
    Ok(outcome)
}
