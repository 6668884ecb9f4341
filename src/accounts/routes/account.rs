//! `/connexion`, `/deconnexion`, `/mot-de-passe-oublie`, `/compte/mot-de-passe`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::accounts;
use crate::accounts::views::account as view;
use crate::accounts::views::account::LoginMessage;
use crate::audit::AuditEvent;
use crate::auth::login::{self, LoginOutcome};
use crate::auth::password_change::{self, PasswordChange, TypedPassword};
use crate::auth::rate_limit::LimitedForm;
use crate::auth::session::SiteSession;
use crate::auth::{safe_return_path, CsrfToken, Viewer};
use crate::domain::Email;
use crate::forms::FormErrors;
use crate::http::client_ip::ClientIp;
use crate::http::{
    form_limit, html, reconfirm_password, redirect, retry_at, staff_audit, too_many, PageError,
};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(rename = "suite")]
    next: Option<String>,
    #[serde(rename = "etat")]
    state: Option<String>,
}

/// `GET /connexion`. Someone already logged in goes straight to their space.
pub async fn login_page(
    query: web::Query<LoginQuery>,
    viewer: Option<Viewer>,
    token: CsrfToken,
) -> HttpResponse {
    let next = query.next.as_deref().and_then(safe_return_path);
    if let Some(viewer) = viewer {
        return redirect(next.unwrap_or(viewer.role.home()));
    }
    let message = match query.state.as_deref() {
        Some("deconnecte") => LoginMessage::LoggedOut,
        Some("mot-de-passe-change") => LoginMessage::PasswordReset,
        _ => LoginMessage::None,
    };
    html(StatusCode::OK, view::login_page("", &message, next, &token))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default, rename = "mot_de_passe")]
    password: String,
    #[serde(rename = "suite")]
    next: Option<String>,
}

/// `POST /connexion`: see [`login::attempt`].
pub async fn login(
    req: HttpRequest,
    form: web::Form<LoginForm>,
    state: web::Data<AppState>,
    session: SiteSession,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let next = form.next.as_deref().and_then(safe_return_path);
    let page = |message: LoginMessage| view::login_page(&form.email, &message, next, &token);
    if let Some(errors) = blank_login_fields(&form) {
        return Ok(html(StatusCode::OK, page(LoginMessage::Missing(errors))));
    }
    let outcome = login::attempt(&state, &req, &session, &form.email, &form.password).await?;
    Ok(match outcome {
        LoginOutcome::LoggedIn(account) => redirect(next.unwrap_or(account.role.home())),
        LoginOutcome::LockedUntil(until) => {
            let page = page(LoginMessage::Throttled(retry_at(until)));
            too_many(state.clock.now(), until, page)
        }
        refused => html(StatusCode::OK, page(refusal_message(refused))),
    })
}

/// A login sent with a field left blank: said so, field by field, with no
/// attempt (nothing can be guessed from it, and the throttle is not spent).
fn blank_login_fields(form: &LoginForm) -> Option<FormErrors> {
    let mut errors = FormErrors::default();
    if form.email.trim().is_empty() {
        errors.add("email", "Indiquez l'adresse e-mail de votre compte.");
    }
    if form.password.is_empty() {
        errors.add("mot_de_passe", "Indiquez votre mot de passe.");
    }
    (!errors.is_empty()).then_some(errors)
}

fn refusal_message(outcome: LoginOutcome) -> LoginMessage {
    match outcome {
        LoginOutcome::Unconfirmed => LoginMessage::Unconfirmed,
        LoginOutcome::Pending => LoginMessage::Pending,
        LoginOutcome::Rejected { reason } => LoginMessage::Rejected(reason),
        LoginOutcome::Disabled => LoginMessage::Disabled,
        _ => LoginMessage::Invalid,
    }
}

/// `POST /deconnexion`: ends this session (its row is deleted).
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SiteSession,
    viewer: Option<Viewer>,
) -> Result<HttpResponse, PageError> {
    if let Some(viewer) = viewer {
        staff_audit(&state, &req, &viewer, AuditEvent::Logout)
            .user(viewer.id)
            .record_with(&state)
            .await?;
    }
    session.log_out();
    Ok(redirect("/connexion?etat=deconnecte"))
}

#[derive(Deserialize)]
pub struct ForgotQuery {
    #[serde(rename = "envoye")]
    sent: Option<String>,
}

/// `GET /mot-de-passe-oublie`.
pub async fn forgot_page(query: web::Query<ForgotQuery>, token: CsrfToken) -> Markup {
    view::forgot_page("", &FormErrors::default(), query.sent.is_some(), &token)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// `POST /mot-de-passe-oublie`: the same answer, in the same time, whether
/// the address has an account or not.
pub async fn forgot(
    req: HttpRequest,
    form: web::Form<ForgotForm>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let page = |errors: &FormErrors| view::forgot_page(&form.email, errors, false, &token);
    let mut errors = FormErrors::default();
    let Some(email) = errors.check("email", Email::parse(&form.email)) else {
        return Ok(html(StatusCode::OK, page(&errors)));
    };
    state.metrics.password_reset_requested();
    let now = state.clock.now();
    if let Some((until, errors)) =
        form_limit(&state, &req, LimitedForm::PasswordReset, &email).await?
    {
        return Ok(too_many(now, until, page(&errors)));
    }
    password_change::send_reset_link(&state, state.client_ip(&req), &email).await?;
    Ok(redirect("/mot-de-passe-oublie?envoye=1"))
}

#[derive(Deserialize)]
pub struct ResetQuery {
    #[serde(default, rename = "jeton")]
    token: String,
}

/// `GET /mot-de-passe-oublie/nouveau?jeton=…`. The token is in the query
/// string, which the visitor log never stores.
pub async fn reset_page(
    query: web::Query<ResetQuery>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let now = state.clock.now();
    Ok(
        match accounts::password_reset_account(&state.db, now, &query.token).await? {
            Some(_) => view::reset_page(&query.token, &FormErrors::default(), &token),
            None => view::reset_invalid_page(),
        },
    )
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default, rename = "jeton")]
    token: String,
    #[serde(default, rename = "mot_de_passe")]
    password: String,
    #[serde(default)]
    confirmation: String,
}

/// `POST /mot-de-passe-oublie/nouveau`.
pub async fn reset(
    ip: ClientIp,
    form: web::Form<ResetForm>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let typed = TypedPassword {
        current: "",
        password: &form.password,
        confirmation: &form.confirmation,
    };
    Ok(
        match password_change::reset(&state, ip.to_string(), &form.token, typed).await? {
            PasswordChange::Done => redirect("/connexion?etat=mot-de-passe-change"),
            PasswordChange::Invalid(errors) => html(
                StatusCode::OK,
                view::reset_page(&form.token, &errors, &token),
            ),
            PasswordChange::InvalidLink => html(StatusCode::OK, view::reset_invalid_page()),
        },
    )
}

#[derive(Deserialize)]
pub struct ChangeQuery {
    #[serde(rename = "fait")]
    done: Option<String>,
}

/// `GET /compte/mot-de-passe`.
pub async fn password_change_page(
    query: web::Query<ChangeQuery>,
    viewer: Viewer,
    token: CsrfToken,
) -> Markup {
    view::password_change_page(
        &viewer,
        &FormErrors::default(),
        query.done.is_some(),
        &token,
    )
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default, rename = "actuel")]
    current: String,
    #[serde(default, rename = "mot_de_passe")]
    password: String,
    #[serde(default)]
    confirmation: String,
}

/// `POST /compte/mot-de-passe`: needs the current password; ends every
/// session of the account, then opens a new one here.
pub async fn change_password(
    req: HttpRequest,
    form: web::Form<ChangeForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    session: SiteSession,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let reconfirm =
        reconfirm_password(&state, &req, &viewer, &form.current, "password_change").await?;
    let typed = TypedPassword {
        current: &form.current,
        password: &form.password,
        confirmation: &form.confirmation,
    };
    let changed =
        password_change::change(&state, &req, &session, &viewer, &reconfirm, typed).await?;
    Ok(match changed {
        PasswordChange::Invalid(errors) => {
            let page = view::password_change_page(&viewer, &errors, false, &token);
            reconfirm.answer(state.clock.now(), StatusCode::OK, page)
        }
        _ => redirect("/compte/mot-de-passe?fait=1"),
    })
}
