//! What the routes answer to the limits of `auth::throttle` and
//! `auth::rate_limit`: 429 in French with `Retry-After` and the form again,
//! and the password asked again before a sensitive action.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};

use crate::audit::AuditEvent;
use crate::auth::password::verify_password;
use crate::auth::rate_limit::{self, LimitedForm};
use crate::auth::throttle::{self, Gate};
use crate::auth::Viewer;
use crate::db::DbError;
use crate::domain::Email;
use crate::forms::FormErrors;
use crate::http::staff_audit;
use crate::state::AppState;

/// The French time (Paris) a refused person may try again.
pub fn retry_at(until: DateTime<Utc>) -> String {
    crate::paris::time_text(until)
}

/// The answer to a request over a limit: 429, `Retry-After`, and the page
/// (a form keeps what was typed).
pub fn too_many(now: DateTime<Utc>, until: DateTime<Utc>, markup: maud::Markup) -> HttpResponse {
    HttpResponse::TooManyRequests()
        .insert_header((
            header::RETRY_AFTER,
            (until - now).num_seconds().max(1).to_string(),
        ))
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// Counts a valid post of a form that sends e-mail or hashes a password
/// (`auth::rate_limit`); `Some` with the errors to show when it is over a
/// limit. The same words whether the address has an account or not.
pub async fn form_limit(
    state: &AppState,
    req: &HttpRequest,
    form: LimitedForm,
    email: &Email,
) -> Result<Option<(DateTime<Utc>, FormErrors)>, DbError> {
    let now = state.clock.now();
    let refused = rate_limit::admit(&state.db, form, &state.client_ip(req), email, now).await?;
    Ok(refused.map(|until| {
        let mut errors = FormErrors::default();
        errors.add(
            "email",
            format!(
                "Trop de demandes en peu de temps pour cette adresse ou depuis votre réseau. \
                 Par sécurité, réessayez après {}.",
                retry_at(until)
            ),
        );
        (until, errors)
    }))
}

/// What asking a logged-in person's password again gave.
pub enum Reconfirm {
    Confirmed,
    Wrong,
    /// Too many attempts: refused, without a check, until then.
    Locked(DateTime<Utc>),
}

impl Reconfirm {
    /// The message for the password field, unless it was right.
    pub fn error(&self) -> Option<String> {
        match self {
            Reconfirm::Confirmed => None,
            Reconfirm::Wrong => Some("Ce n'est pas votre mot de passe.".to_owned()),
            Reconfirm::Locked(until) => Some(format!(
                "Trop de tentatives. Par sécurité, réessayez après {}.",
                retry_at(*until)
            )),
        }
    }

    /// The message for a password field where `typed` was typed: a blank
    /// field is asked for, not called wrong.
    pub fn error_for(&self, typed: &str) -> Option<String> {
        match self {
            Reconfirm::Wrong if typed.is_empty() => {
                Some("Indiquez votre mot de passe : il confirme que c'est bien vous.".to_owned())
            }
            _ => self.error(),
        }
    }

    /// The page with its errors: 429 when locked, else `status`.
    pub fn answer(
        &self,
        now: DateTime<Utc>,
        status: StatusCode,
        markup: maud::Markup,
    ) -> HttpResponse {
        match self {
            Reconfirm::Locked(until) => too_many(now, *until, markup),
            _ => HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .body(markup.into_string()),
        }
    }
}

/// Asks the password again before a sensitive action (`action`, for the
/// audit log): counted by the login throttle before it is checked, each
/// failure audited.
pub async fn reconfirm_password(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    typed: &str,
    action: &'static str,
) -> Result<Reconfirm, DbError> {
    let now = state.clock.now();
    let ip = state.client_ip(req);
    let audit = |event| {
        staff_audit(state, req, viewer, event)
            .user(viewer.id)
            .detail(action.to_owned())
            .record_with(state)
    };
    let attempt = match throttle::attempt(&state.db, &viewer.email, &ip, now).await? {
        Gate::Open(attempt) => attempt,
        Gate::Locked { until, first } => {
            if first {
                audit(AuditEvent::PasswordReconfirmThrottled).await?;
            }
            return Ok(Reconfirm::Locked(until));
        }
    };
    let stored = crate::accounts::password_hash_of(&state.db, viewer.id).await?;
    if verify_password(typed.to_owned(), stored).await {
        attempt.succeeded(&state.db, now).await?;
        return Ok(Reconfirm::Confirmed);
    }
    audit(AuditEvent::PasswordReconfirmFailed).await?;
    Ok(Reconfirm::Wrong)
}
