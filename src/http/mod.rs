//! HTTP plumbing every feature shares: the one error type of pages and its
//! statuses, redirects, form limits, CSV downloads, error pages, security
//! headers, and the operational endpoints.

pub mod client_ip;
mod client_page;
pub mod csv_download;
pub mod error_pages;
pub mod health;
mod limits;
pub mod metrics;
pub mod page_frame;
pub mod security_headers;
mod staff_page;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use maud::Markup;

use crate::accounts::AccountError;
use crate::audit::{Audit, AuditEvent};
use crate::auth::password::PasswordError;
use crate::auth::{opened_from_another_site, safe_return_path, Viewer};
use crate::db::DbError;
use crate::rights::RightsError;
use crate::state::AppState;

pub use client_page::ClientPage;
pub use limits::{form_limit, reconfirm_password, retry_at, too_many, Reconfirm};
pub use staff_page::StaffPage;

/// Why a page could not be drawn. The one place where module errors become
/// HTTP statuses; the error-page middleware draws the French page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Rights(#[from] RightsError),
    #[error("the session could not be written")]
    Session,
    /// An export that could not be written: a 500, never a truncated file.
    #[error(transparent)]
    Csv(#[from] csv_download::CsvError),
    #[error("not found")]
    NotFound,
    /// The site's own fault (a JSON export that could not be written): a
    /// 500, never blamed on the request.
    #[error("internal error: {0}")]
    Internal(String),
    /// A value no form of the site sends (a hand-made request).
    #[error("bad request")]
    BadRequest,
}

impl From<sqlx::Error> for PageError {
    fn from(error: sqlx::Error) -> Self {
        PageError::Db(DbError::Query(error))
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound | PageError::Rights(RightsError::NotFound) => StatusCode::NOT_FOUND,
            PageError::Rights(RightsError::Closed | RightsError::NotConfirmed) => {
                StatusCode::CONFLICT
            }
            PageError::Rights(RightsError::ExtensionTooLong) => StatusCode::UNPROCESSABLE_ENTITY,
            PageError::BadRequest => StatusCode::BAD_REQUEST,
            PageError::Db(_)
            | PageError::Account(AccountError::Db(_))
            | PageError::Rights(RightsError::Db(_)) => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Csv(_) | PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "page failed");
        }
        HttpResponse::build(self.status_code()).finish()
    }
}

/// A page with its status: `html(StatusCode::OK, view)`; a form sent back
/// with its errors is `UNPROCESSABLE_ENTITY`.
pub fn html(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// Post/redirect/get: after a form, the browser loads `to`.
pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

/// Who is told of new sign-ups and messages: `WM_STAFF_EMAIL`, or else the
/// active staff accounts.
pub async fn staff_recipients(state: &AppState) -> Result<Vec<String>, DbError> {
    let configured = state.mailer.configured_staff();
    if !configured.is_empty() {
        return Ok(configured.to_vec());
    }
    crate::accounts::staff_addresses(&state.db).await
}

/// Pages whose opening is audited (a person's record, a search of the visit
/// log) are GETs, which a link on another site can open in a logged-in
/// admin's browser: then the page asks for a click on the site itself
/// instead of opening, and nothing is read or audited. Every such handler
/// starts with this.
pub fn confirm_audited_opening(req: &HttpRequest) -> Option<Markup> {
    if !opened_from_another_site(req) {
        return None;
    }
    let target = match req.query_string() {
        "" => req.path().to_owned(),
        query => format!("{}?{query}", req.path()),
    };
    let target = safe_return_path(&target).unwrap_or("/admin");
    Some(crate::staff::views::confirm_opening_page(
        req.path(),
        target,
    ))
}

/// An audit line for an action of a logged-in person, with who acted and
/// from where already filled in: add what was acted upon, then `record_with`.
pub fn staff_audit(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    event: AuditEvent,
) -> Audit {
    Audit::new(event).actor(viewer.id).ip(state.client_ip(req))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_own_failures_are_500_and_hand_made_requests_400() {
        let internal = PageError::Internal("serialisation".into());
        assert_eq!(internal.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(PageError::BadRequest.status_code(), StatusCode::BAD_REQUEST);
    }
}
