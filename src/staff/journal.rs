//! `GET /admin/journal`: the audit log for staff, by who acted, what and
//! when, a page at a time; opening it is audited too.

use crate::audit;
use crate::http::{html, PageError, StaffPage};
use crate::privacy::Purpose;
use crate::staff::journal_filter::JournalQuery;
use crate::staff::journal_views::{self as view, JournalPage};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

/// `GET /admin/journal`: a wrong filter value is left out and said (422).
pub async fn audit_log(
    page: StaffPage,
    query: web::Query<JournalQuery>,
) -> Result<HttpResponse, PageError> {
    if let Some(confirm) = page.opened_elsewhere() {
        return Ok(html(StatusCode::OK, confirm));
    }
    let (filter, errors) = query.filter();
    let lines = audit::lines(&page.state.db, &filter, query.page).await?;
    let staff = crate::accounts::accounts(&page.state.db).await?;
    page.record(page.viewed().subject("audit_log")).await?;
    let retention = page.state.register.retention(Purpose::Security).in_french();
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let journal = JournalPage {
        lines: &lines,
        staff: &staff,
        query: &query,
        errors: &errors,
        retention: &retention,
    };
    Ok(html(status, view::journal_page(&journal)))
}
