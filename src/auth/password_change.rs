//! Changing a password: asking for a reset link by e-mail, setting a new
//! password with it, or changing it while logged in. What the handlers of
//! `/mot-de-passe-oublie` and `/compte/mot-de-passe` call.

use actix_web::HttpRequest;

use super::password::hash_password;
use super::session::SiteSession;
use super::Viewer;
use crate::accounts::{self, forms::new_password};
use crate::audit::{Audit, AuditEvent};
use crate::domain::Email;
use crate::forms::FormErrors;
use crate::http::{staff_audit, PageError, Reconfirm};
use crate::notifications;
use crate::state::AppState;

/// A new password as typed twice.
pub struct TypedPassword<'a> {
    /// The current password, typed again for a change (empty for a reset).
    pub current: &'a str,
    pub password: &'a str,
    pub confirmation: &'a str,
}

/// What a password change (by link or logged in) gave.
pub enum PasswordChange {
    Done,
    /// The form again, with its errors.
    Invalid(FormErrors),
    /// The reset link is unknown, used or expired.
    InvalidLink,
}

/// Sends a reset link if the address has an active account. Both paths
/// write an audit line (repeated requests for unknown addresses are how
/// enumeration shows), so they take about as long; the e-mail leaves in the
/// background.
pub async fn send_reset_link(state: &AppState, ip: String, email: &Email) -> Result<(), PageError> {
    let now = state.clock.now();
    let audit = Audit::new(AuditEvent::PasswordResetRequested).ip(ip);
    let audit = match accounts::active_account_by_email(&state.db, email.as_str()).await? {
        Some((user_id, first_name)) => {
            let reset = accounts::create_password_reset(&state.db, now, user_id).await?;
            let link = format!(
                "{}/mot-de-passe-oublie/nouveau?jeton={reset}",
                state.public_url
            );
            let mail = notifications::password_reset_link(email.as_str(), &first_name, &link);
            state.mailer.send_later_discreetly(mail);
            audit.user(user_id)
        }
        None => audit.subject(email.as_str()).detail("no active account"),
    };
    audit.record_with(state).await?;
    Ok(())
}

/// Sets a new password with a reset link, which ends every session of the
/// account and tells its owner by e-mail.
pub async fn reset(
    state: &AppState,
    ip: String,
    token: &str,
    typed: TypedPassword<'_>,
) -> Result<PasswordChange, PageError> {
    let now = state.clock.now();
    let Some(user_id) = accounts::password_reset_account(&state.db, now, token).await? else {
        return Ok(PasswordChange::InvalidLink);
    };
    let profile = accounts::profile(&state.db, user_id).await?;
    let personal: Vec<&str> = profile
        .as_ref()
        .map(|p| {
            vec![
                p.email.as_str(),
                p.first_name.as_str(),
                p.last_name.as_str(),
            ]
        })
        .unwrap_or_default();
    let mut errors = FormErrors::default();
    let password = new_password(&mut errors, typed.password, typed.confirmation, &personal);
    let Some(password) = password else {
        return Ok(PasswordChange::Invalid(errors));
    };
    let hash = hash_password(password.expose().to_owned()).await?;
    let audit = Audit::new(AuditEvent::PasswordReset).ip(ip).pending(state);
    if accounts::reset_password(&state.db, now, token, &hash, audit)
        .await?
        .is_none()
    {
        // Used by a concurrent request in the meantime.
        return Ok(PasswordChange::InvalidLink);
    }
    if let Some(p) = profile {
        let mail = notifications::password_changed(&p.email, &p.first_name, &state.public_url);
        state.mailer.send_later(mail);
    }
    Ok(PasswordChange::Done)
}

/// Changes a logged-in person's password, once the current one is
/// reconfirmed: ends every session of the account, then keeps this one
/// open under the new epoch.
pub async fn change(
    state: &AppState,
    req: &HttpRequest,
    session: &SiteSession,
    viewer: &Viewer,
    reconfirm: &Reconfirm,
    typed: TypedPassword<'_>,
) -> Result<PasswordChange, PageError> {
    let mut errors = FormErrors::default();
    let message = match reconfirm {
        Reconfirm::Wrong if typed.current.is_empty() => {
            Some("Indiquez votre mot de passe actuel.".to_owned())
        }
        Reconfirm::Wrong => Some("Ce n'est pas votre mot de passe actuel.".to_owned()),
        _ => reconfirm.error(),
    };
    if let Some(message) = message {
        errors.add("actuel", message);
    }
    let personal = [
        viewer.email.as_str(),
        viewer.first_name.as_str(),
        viewer.last_name.as_str(),
    ];
    let password = new_password(&mut errors, typed.password, typed.confirmation, &personal);
    let (Some(password), true) = (password, errors.is_empty()) else {
        return Ok(PasswordChange::Invalid(errors));
    };
    let hash = hash_password(password.expose().to_owned()).await?;
    let audit = staff_audit(state, req, viewer, AuditEvent::PasswordChanged)
        .user(viewer.id)
        .pending(state);
    let now = audit.now;
    accounts::set_password(&state.db, viewer.id, &hash, audit).await?;
    // This browser stays logged in, under the new epoch.
    if let Some(account) = accounts::session_account(&state.db, viewer.id).await? {
        session
            .keep_under_epoch(account.session_epoch, now)
            .map_err(|_| PageError::Session)?;
    }
    let mail =
        notifications::password_changed(&viewer.email, &viewer.first_name, &state.public_url);
    state.mailer.send_later(mail);
    Ok(PasswordChange::Done)
}
