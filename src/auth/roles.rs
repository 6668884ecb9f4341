//! Who may open what: the role of each account, the access each route asks
//! for (declared once, in the route table) and the middleware enforcing it.

use actix_session::SessionExt;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use serde::Serialize;

use super::session::SiteSession;
use crate::accounts::{self, AccountStatus};
use crate::db::millis;
use crate::http::{html, PageError};
use crate::state::AppState;
use crate::views::errors::forbidden_page;

/// An account's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An Utilisateur of a client company: the Profile.
    Client,
    /// The marketing team: aggregated statistics only.
    Marketing,
    /// WeMaintain staff: the admin pages.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Client, Role::Marketing, Role::Admin];

    pub fn key(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Marketing => "marketing",
            Role::Admin => "admin",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Client => "Client",
            Role::Marketing => "Marketing",
            Role::Admin => "Équipe WeMaintain",
        }
    }

    /// Where a login lands when no page was asked for.
    pub fn home(self) -> &'static str {
        match self {
            Role::Client => "/profil",
            Role::Marketing => "/statistiques",
            Role::Admin => "/admin",
        }
    }
}

/// What a route asks of the person opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Any logged-in account.
    LoggedIn,
    /// `/profil/*`.
    Client,
    /// `/statistiques/*`: marketing or staff.
    Statistics,
    /// `/admin/*`.
    Admin,
}

impl Access {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public | Access::LoggedIn => true,
            Access::Client => role == Role::Client,
            Access::Statistics => matches!(role, Role::Marketing | Role::Admin),
            Access::Admin => role == Role::Admin,
        }
    }
}

/// The logged-in person making the request, set by [`load_viewer`].
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub company_id: Option<i64>,
}

impl FromRequest for Viewer {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    /// Only on routes whose access is not `Public`, which [`require`] has
    /// checked; elsewhere use `Option<Viewer>`.
    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(req.extensions().get::<Viewer>().cloned().ok_or_else(|| {
            actix_web::error::InternalError::new("no viewer", StatusCode::UNAUTHORIZED).into()
        }))
    }
}

/// Marks a request whose login could not be checked because the database
/// did not answer: public pages go on without a viewer, the others answer
/// 503 rather than sending a logged-in person to the login page.
#[derive(Debug, Clone, Copy)]
pub struct SessionUnreadable;

/// How often a session's last-seen time is written (each write is a query).
const SEEN_AT_PRECISION_MS: i64 = 60_000;

/// Reads the session's login, checks it is still valid (account active,
/// epoch unchanged, idle and absolute lifetimes not passed) and sets the
/// [`Viewer`]; a session that is no longer valid is ended.
pub async fn load_viewer(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let session = SiteSession::new(req.get_session());
    if session.is_unreadable() {
        req.extensions_mut().insert(SessionUnreadable);
        return next.call(req).await;
    }
    let login = session.login();
    if let (Some(login), Some(state)) = (login, req.app_data::<web::Data<AppState>>().cloned()) {
        let now = millis(state.clock.now());
        let account = match accounts::session_account(&state.db, login.user_id).await {
            Ok(account) => account,
            Err(error) => {
                tracing::warn!(%error, "session's account not readable");
                req.extensions_mut().insert(SessionUnreadable);
                return next.call(req).await;
            }
        };
        let idle = i64::try_from(state.session_idle.as_millis()).unwrap_or(i64::MAX);
        let lifetime = i64::try_from(state.session_lifetime.as_millis()).unwrap_or(i64::MAX);
        match account {
            Some(account)
                if account.status == AccountStatus::Active
                    && Some(account.session_epoch) == login.epoch
                    && now - login.logged_in_at < lifetime
                    && now - login.seen_at < idle =>
            {
                if now - login.seen_at >= SEEN_AT_PRECISION_MS {
                    session.seen(now).map_err(|_| PageError::Session)?;
                }
                req.extensions_mut().insert(Viewer {
                    id: account.id,
                    email: account.email,
                    first_name: account.first_name,
                    last_name: account.last_name,
                    role: account.role,
                    company_id: account.company_id,
                });
            }
            _ => session.forget_login(),
        }
    }
    next.call(req).await
}

/// Lets through the requests `access` allows: an anonymous visitor is sent
/// to the login page (and brought back after), a wrong role gets 403.
pub async fn require<B: MessageBody + 'static>(
    access: Access,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let role = req.extensions().get::<Viewer>().map(|viewer| viewer.role);
    match role {
        Some(role) if access.allows(role) => Ok(next.call(req).await?.map_into_boxed_body()),
        Some(_) => {
            let response = html(StatusCode::FORBIDDEN, forbidden_page(req.path()));
            Ok(req.into_response(response))
        }
        None if access == Access::Public => Ok(next.call(req).await?.map_into_boxed_body()),
        // A response, not an error: an error would pass the error-page
        // middleware as it is, and the person would get a bare text.
        None if req.extensions().get::<SessionUnreadable>().is_some() => {
            Ok(req.into_response(HttpResponse::ServiceUnavailable().finish()))
        }
        None => {
            let wanted = match req.query_string() {
                "" => req.path().to_owned(),
                query => format!("{}?{query}", req.path()),
            };
            // Only bring back to a page after a GET (or HEAD): a form posted while
            // logged out is not replayed.
            let method = req.method();
            let back = if method == actix_web::http::Method::GET
                || method == actix_web::http::Method::HEAD
            {
                format!("/connexion?suite={}", super::encode_query_value(&wanted))
            } else {
                "/connexion".to_owned()
            };
            let response = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, back))
                .finish();
            Ok(req.into_response(response))
        }
    }
}
