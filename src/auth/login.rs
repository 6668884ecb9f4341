//! A login attempt, from the throttle to the new session: what
//! `POST /connexion` does, as one function the handler calls and one
//! outcome it renders.

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};

use super::csrf;
use super::session::SiteSession;
use super::throttle::{self, Gate};
use crate::accounts::{self, LoginCheck, SessionAccount};
use crate::audit::{typed_address, Audit, AuditEvent};
use crate::http::PageError;
use crate::state::AppState;

/// What a login attempt gave.
#[derive(Debug, Clone)]
pub enum LoginOutcome {
    /// Right password, active account: the session is open.
    LoggedIn(SessionAccount),
    /// Too many failures: refused, without a check, until then.
    LockedUntil(DateTime<Utc>),
    /// Wrong address or wrong password: the two are never told apart.
    WrongCredentials,
    /// Right password for a sign-up whose address is not confirmed yet.
    Unconfirmed,
    /// Right password for a sign-up staff have not examined yet.
    Pending,
    /// Right password for a refused sign-up.
    Rejected { reason: Option<String> },
    /// Right password, but the account is disabled.
    Disabled,
}

/// Checks an address and a password. The attempt is counted before the
/// password is checked (see `auth::throttle`); every refusal is audited and
/// counts, so that guessing a pending account's password is throttled like
/// any other. On success the session gets a new key and the account.
pub async fn attempt(
    state: &AppState,
    req: &HttpRequest,
    session: &SiteSession,
    email: &str,
    password: &str,
) -> Result<LoginOutcome, PageError> {
    let now = state.clock.now();
    let ip = state.client_ip(req);
    let audit = |event| Audit::new(event).subject(typed_address(email)).ip(&ip);
    let attempt = match throttle::attempt(&state.db, email, &ip, now).await? {
        Gate::Open(attempt) => attempt,
        Gate::Locked { until, first } => {
            if first {
                audit(AuditEvent::LoginThrottled).record_with(state).await?;
            }
            return Ok(LoginOutcome::LockedUntil(until));
        }
    };
    let (outcome, detail) = match accounts::check_login(&state.db, email, password).await? {
        LoginCheck::Valid(account) => (LoginOutcome::LoggedIn(account), ""),
        LoginCheck::Unconfirmed => (LoginOutcome::Unconfirmed, "unconfirmed registration"),
        LoginCheck::Pending => (LoginOutcome::Pending, "pending registration"),
        LoginCheck::Rejected { reason } => {
            (LoginOutcome::Rejected { reason }, "rejected registration")
        }
        LoginCheck::Disabled => (LoginOutcome::Disabled, "disabled account"),
        LoginCheck::Invalid => (LoginOutcome::WrongCredentials, "wrong address or password"),
    };
    let LoginOutcome::LoggedIn(account) = &outcome else {
        let refusal = audit(AuditEvent::LoginFailed).detail(detail);
        refusal.record_with(state).await?;
        return Ok(outcome);
    };
    attempt.succeeded(&state.db, now).await?;
    session
        .log_in(account, now)
        .map_err(|_| PageError::Session)?;
    csrf::bind_to_new_session(req, session).map_err(|_| PageError::Session)?;
    Audit::new(AuditEvent::LoginSucceeded)
        .actor(account.id)
        .user(account.id)
        .ip(ip)
        .record_with(state)
        .await?;
    Ok(outcome)
}
