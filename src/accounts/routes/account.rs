//! `/connexion`, `/deconnexion`, `/mot-de-passe-oublie`, `/compte/mot-de-passe`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::accounts::forms::new_password;
use crate::accounts::views::account as view;
use crate::accounts::views::account::LoginMessage;
use crate::accounts::{self, LoginCheck};
use crate::audit::{self, AuditEntry, AuditEvent};
use crate::auth::csrf;
use crate::auth::password::hash_password;
use crate::auth::rate_limit::LimitedForm;
use crate::auth::session::keys;
use crate::auth::throttle::{self, Gate};
use crate::auth::{safe_return_path, CsrfToken, Viewer};
use crate::db::millis;
use crate::domain::Email;
use crate::forms::FormErrors;
use crate::http::{
    form_limit, reconfirm_password, redirect, retry_at, staff_audit, too_many, PageError, Reconfirm,
};
use crate::notifications;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct LoginQuery {
    suite: Option<String>,
    etat: Option<String>,
}

/// `GET /connexion`. Someone already logged in goes straight to their space.
pub async fn login_page(
    query: web::Query<LoginQuery>,
    viewer: Option<Viewer>,
    token: CsrfToken,
) -> HttpResponse {
    let next = query.suite.as_deref().and_then(safe_return_path);
    if let Some(viewer) = viewer {
        return redirect(next.unwrap_or(viewer.role.home()));
    }
    let message = match query.etat.as_deref() {
        Some("deconnecte") => LoginMessage::LoggedOut,
        Some("mot-de-passe-change") => LoginMessage::PasswordReset,
        _ => LoginMessage::None,
    };
    html(view::login_page("", &message, next, &token))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    mot_de_passe: String,
    suite: Option<String>,
}

/// `POST /connexion`. The attempt is counted before the password is
/// checked (see `auth::throttle`).
pub async fn login(
    req: HttpRequest,
    form: web::Form<LoginForm>,
    state: web::Data<AppState>,
    session: Session,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let ip = state.client_ip(&req);
    let next = form.suite.as_deref().and_then(safe_return_path);
    let page = |message: LoginMessage| view::login_page(&form.email, &message, next, &token);
    let subject = Some(audit::typed_address(&form.email));

    let attempt = match throttle::attempt(&state.db, &form.email, &ip, now).await? {
        Gate::Open(attempt) => attempt,
        Gate::Locked { until, first } => {
            if first {
                let entry = AuditEntry {
                    subject,
                    ip: Some(ip),
                    ..Default::default()
                };
                audit::record(
                    &state.db,
                    &state.register,
                    now,
                    AuditEvent::LoginThrottled,
                    entry,
                )
                .await?;
            }
            let at = retry_at(until);
            return Ok(too_many(now, until, page(LoginMessage::Throttled(at))));
        }
    };

    let outcome = accounts::check_login(&state.db, &form.email, &form.mot_de_passe).await?;
    let account = match outcome {
        LoginCheck::Valid(account) => account,
        other => {
            // Every refusal has counted, so that guessing a pending
            // account's password is throttled like any other.
            let (message, detail) = match other {
                LoginCheck::Unconfirmed => (LoginMessage::Unconfirmed, "unconfirmed registration"),
                LoginCheck::Pending => (LoginMessage::Pending, "pending registration"),
                LoginCheck::Rejected { reason } => {
                    (LoginMessage::Rejected(reason), "rejected registration")
                }
                LoginCheck::Disabled => (LoginMessage::Disabled, "disabled account"),
                _ => (LoginMessage::Invalid, "wrong address or password"),
            };
            let entry = AuditEntry {
                subject,
                ip: Some(ip),
                detail: Some(detail.to_owned()),
                ..Default::default()
            };
            audit::record(
                &state.db,
                &state.register,
                now,
                AuditEvent::LoginFailed,
                entry,
            )
            .await?;
            return Ok(html(page(message)));
        }
    };

    attempt.succeeded(&state.db, now).await?;
    // A new session key at login: a key planted before login is worthless.
    session.renew();
    session.clear();
    let now_ms = millis(now);
    let inserted = session
        .insert(keys::USER, account.id)
        .and_then(|_| session.insert(keys::EPOCH, account.session_epoch))
        .and_then(|_| session.insert(keys::LOGGED_IN_AT, now_ms))
        .and_then(|_| session.insert(keys::SEEN_AT, now_ms));
    if inserted.is_err() || csrf::bind_to_new_session(&req, &session).is_err() {
        return Err(PageError::Session);
    }
    let entry = AuditEntry {
        actor: Some(account.id),
        subject_user: Some(account.id),
        ip: Some(ip),
        ..Default::default()
    };
    audit::record(
        &state.db,
        &state.register,
        now,
        AuditEvent::LoginSucceeded,
        entry,
    )
    .await?;
    Ok(redirect(next.unwrap_or(account.role.home())))
}

/// `POST /deconnexion`: ends this session (its row is deleted).
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    viewer: Option<Viewer>,
) -> Result<HttpResponse, PageError> {
    if let Some(viewer) = viewer {
        let entry = AuditEntry {
            actor: Some(viewer.id),
            subject_user: Some(viewer.id),
            ip: Some(state.client_ip(&req)),
            ..Default::default()
        };
        audit::record(
            &state.db,
            &state.register,
            state.clock.now(),
            AuditEvent::Logout,
            entry,
        )
        .await?;
    }
    session.purge();
    Ok(redirect("/connexion?etat=deconnecte"))
}

#[derive(Deserialize)]
pub struct ForgotQuery {
    envoye: Option<String>,
}

/// `GET /mot-de-passe-oublie`.
pub async fn forgot_page(query: web::Query<ForgotQuery>, token: CsrfToken) -> Markup {
    view::forgot_page("", &FormErrors::default(), query.envoye.is_some(), &token)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// `POST /mot-de-passe-oublie`: the same answer, in the same time, whether
/// the address has an account or not; the e-mail leaves in the background.
pub async fn forgot(
    req: HttpRequest,
    form: web::Form<ForgotForm>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let mut errors = FormErrors::default();
    let Some(email) = errors.check("email", Email::parse(&form.email)) else {
        return Ok(html(view::forgot_page(&form.email, &errors, false, &token)));
    };
    state.metrics.password_reset_requested();
    let now = state.clock.now();
    if let Some((until, errors)) =
        form_limit(&state, &req, LimitedForm::PasswordReset, &email).await?
    {
        let page = view::forgot_page(&form.email, &errors, false, &token);
        return Ok(too_many(now, until, page));
    }
    let account = accounts::active_account_by_email(&state.db, email.as_str()).await?;
    // Both paths write an audit line (repeated requests for unknown
    // addresses are how enumeration shows), so they take about as long.
    let mut entry = AuditEntry {
        ip: Some(state.client_ip(&req)),
        ..Default::default()
    };
    match account {
        Some((user_id, first_name)) => {
            let reset = accounts::create_password_reset(&state.db, now, user_id).await?;
            let link = format!(
                "{}/mot-de-passe-oublie/nouveau?jeton={reset}",
                state.public_url
            );
            state
                .mailer
                .send_later_discreetly(notifications::password_reset_link(
                    email.as_str(),
                    &first_name,
                    &link,
                ));
            entry.subject_user = Some(user_id);
        }
        None => {
            entry.subject = Some(email.as_str().to_owned());
            entry.detail = Some("no active account".to_owned());
        }
    }
    audit::record(
        &state.db,
        &state.register,
        now,
        AuditEvent::PasswordResetRequested,
        entry,
    )
    .await?;
    Ok(redirect("/mot-de-passe-oublie?envoye=1"))
}

#[derive(Deserialize)]
pub struct ResetQuery {
    #[serde(default)]
    jeton: String,
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
        match accounts::password_reset_account(&state.db, now, &query.jeton).await? {
            Some(_) => view::reset_page(&query.jeton, &FormErrors::default(), &token),
            None => view::reset_invalid_page(),
        },
    )
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    jeton: String,
    #[serde(default)]
    mot_de_passe: String,
    #[serde(default)]
    confirmation: String,
}

/// `POST /mot-de-passe-oublie/nouveau`.
pub async fn reset(
    req: HttpRequest,
    form: web::Form<ResetForm>,
    state: web::Data<AppState>,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let Some(user_id) = accounts::password_reset_account(&state.db, now, &form.jeton).await? else {
        return Ok(html(view::reset_invalid_page()));
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
    let Some(password) = new_password(
        &mut errors,
        &form.mot_de_passe,
        &form.confirmation,
        &personal,
    ) else {
        return Ok(html(view::reset_page(&form.jeton, &errors, &token)));
    };
    let hash = hash_password(password.expose().to_owned()).await?;
    if accounts::reset_password(&state.db, now, &form.jeton, &hash)
        .await?
        .is_none()
    {
        // Used by a concurrent request in the meantime.
        return Ok(html(view::reset_invalid_page()));
    }
    let entry = AuditEntry {
        subject_user: Some(user_id),
        ip: Some(state.client_ip(&req)),
        ..Default::default()
    };
    audit::record(
        &state.db,
        &state.register,
        now,
        AuditEvent::PasswordReset,
        entry,
    )
    .await?;
    if let Some(p) = profile {
        state.mailer.send_later(notifications::password_changed(
            &p.email,
            &p.first_name,
            &state.public_url,
        ));
    }
    Ok(redirect("/connexion?etat=mot-de-passe-change"))
}

#[derive(Deserialize)]
pub struct ChangeQuery {
    fait: Option<String>,
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
        query.fait.is_some(),
        &token,
    )
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    actuel: String,
    #[serde(default)]
    mot_de_passe: String,
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
    session: Session,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let mut errors = FormErrors::default();
    let reconfirm =
        reconfirm_password(&state, &req, &viewer, &form.actuel, "password_change").await?;
    let message = match reconfirm {
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
    let password = new_password(
        &mut errors,
        &form.mot_de_passe,
        &form.confirmation,
        &personal,
    );
    let (Some(password), true) = (password, errors.is_empty()) else {
        let page = view::password_change_page(&viewer, &errors, false, &token);
        return Ok(reconfirm.answer(state.clock.now(), StatusCode::OK, page));
    };
    let hash = hash_password(password.expose().to_owned()).await?;
    accounts::set_password(&state.db, viewer.id, &hash).await?;
    let now = state.clock.now();
    staff_audit(&state, &req, &viewer, AuditEvent::PasswordChanged)
        .user(viewer.id)
        .record_with(&state)
        .await?;
    // This browser stays logged in, under the new epoch.
    if let Some(account) = accounts::session_account(&state.db, viewer.id).await? {
        session.renew();
        let _ = session.insert(keys::EPOCH, account.session_epoch);
        let _ = session.insert(keys::SEEN_AT, millis(now));
    }
    state.mailer.send_later(notifications::password_changed(
        &viewer.email,
        &viewer.first_name,
        &state.public_url,
    ));
    Ok(redirect("/compte/mot-de-passe?fait=1"))
}

fn html(markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}
