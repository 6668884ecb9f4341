//! Staff publish a report, or correct a published one: the report, its
//! link to the request it answers (of the device's company), the request
//! resolved when staff say so, and the audit line, in one transaction.

use crate::analytics::rollup::day_of_date;
use crate::audit::PendingAudit;
use crate::db::{millis, DbError, Sql, Tx};
use crate::information_reports::NewReport;
use crate::maintenance::resolution;
use crate::state::AppState;

/// What became of a report sent by staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Published or corrected: the report's id, and whether the request it
    /// names was resolved by it (the client is told).
    Done { report: i64, resolved: bool },
    /// No such device (or, for a correction, no such report).
    UnknownDevice,
    /// The request named is not one of the device's company.
    RequestOfAnotherCompany,
}

/// Publishes a report on a device of any company; the report belongs to
/// the device's company.
pub async fn publish(
    state: &AppState,
    staff: i64,
    new: &NewReport,
    audit: PendingAudit<'_>,
) -> Result<Outcome, DbError> {
    let now = audit.now;
    let mut tx = state.db.begin_write().await?;
    let Some(company) = company_of_device(&mut tx, new.device_id).await? else {
        return Ok(Outcome::UnknownDevice);
    };
    if !request_fits(&mut tx, new.request_id, company).await? {
        return Ok(Outcome::RequestOfAnotherCompany);
    }
    let rows: Vec<(i64,)> = Sql::new(
        "INSERT INTO reports (company_id, device_id, kind, performed_on, work_done, parts_replaced, \
           device_state, published_by, published_at, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(company)
    .bind(new.device_id)
    .bind(new.kind.key())
    .bind(day_of_date(new.performed_on))
    .bind(new.work_done.as_str())
    .bind(&new.parts_replaced)
    .bind(new.device_state.key())
    .bind(staff)
    .bind(millis(now))
    .bind(new.request_id)
    .fetch_all(&mut tx)
    .await?;
    let (report,) = crate::db::one(rows)?;
    finish(state, tx, report, new, audit).await
}

/// Corrects a published report (its device stays); the client reads the
/// corrected text, said « Corrigé le … ».
pub async fn correct(
    state: &AppState,
    report: i64,
    staff: i64,
    new: &NewReport,
    audit: PendingAudit<'_>,
) -> Result<Outcome, DbError> {
    let mut tx = state.db.begin_write().await?;
    let company: Option<i64> = Sql::new("SELECT company_id FROM reports WHERE id = $1")
        .bind(report)
        .fetch_optional::<(i64,)>(&mut tx)
        .await?
        .map(|(company,)| company);
    let Some(company) = company else {
        return Ok(Outcome::UnknownDevice);
    };
    if !request_fits(&mut tx, new.request_id, company).await? {
        return Ok(Outcome::RequestOfAnotherCompany);
    }
    Sql::new(
        "UPDATE reports SET kind = $1, performed_on = $2, work_done = $3, parts_replaced = $4, \
           device_state = $5, request_id = $6, corrected_at = $7, corrected_by = $8 WHERE id = $9",
    )
    .bind(new.kind.key())
    .bind(day_of_date(new.performed_on))
    .bind(new.work_done.as_str())
    .bind(&new.parts_replaced)
    .bind(new.device_state.key())
    .bind(new.request_id)
    .bind(millis(audit.now))
    .bind(staff)
    .bind(report)
    .execute(&mut tx)
    .await?;
    finish(state, tx, report, new, audit).await
}

/// Resolves the request if staff said so, writes the audit line, commits,
/// then tells the client of the resolution.
async fn finish(
    state: &AppState,
    mut tx: Tx,
    report: i64,
    new: &NewReport,
    audit: PendingAudit<'_>,
) -> Result<Outcome, DbError> {
    let now = audit.now;
    let resolved = match new.request_id {
        Some(request) if new.resolves => resolution::resolve_in(&mut tx, request, now).await?,
        _ => false,
    };
    let detail = new.request_id.map(|id| match resolved {
        true => format!("pour la demande n° {id}, résolue"),
        false => format!("pour la demande n° {id}"),
    });
    audit
        .subject(format!("report:{report}"))
        .maybe_detail(detail)
        .record_in(&mut tx)
        .await?;
    tx.commit().await?;
    if let (true, Some(request)) = (resolved, new.request_id) {
        resolution::tell_client(state, request).await?;
    }
    Ok(Outcome::Done { report, resolved })
}

async fn company_of_device(tx: &mut Tx, device: i64) -> Result<Option<i64>, sqlx::Error> {
    Ok(Sql::new(
        "SELECT b.company_id FROM devices d JOIN buildings b ON b.id = d.building_id WHERE d.id = $1",
    )
    .bind(device)
    .fetch_optional::<(i64,)>(tx)
    .await?
    .map(|(company,)| company))
}

/// No request named, or one of the company's.
async fn request_fits(
    tx: &mut Tx,
    request: Option<i64>,
    company: i64,
) -> Result<bool, sqlx::Error> {
    let Some(request) = request else {
        return Ok(true);
    };
    let found = resolution::company_and_device(tx, request).await?;
    Ok(matches!(found, Some((of, _)) if of == company))
}
