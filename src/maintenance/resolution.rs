//! A request resolved by the work of a report: staff say so when they
//! publish or correct the report, or later from the request's page. It
//! skips the step-by-step flow of [`super::RequestStatus::next`], from any
//! open status, since the report shows the work done.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};

use crate::audit::{AuditEvent, PendingAudit};
use crate::auth::Viewer;
use crate::db::{millis, Db, DbError, Sql, Tx};
use crate::http::{redirect, staff_audit, PageError};
use crate::information_reports::links::reports_of_request;
use crate::notifications;
use crate::state::AppState;

/// A request a report may name, for the report form.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestChoice {
    pub id: i64,
    pub company_name: String,
    pub building_name: String,
    pub device_location: String,
}

impl RequestChoice {
    pub fn label(&self) -> String {
        format!(
            "N° {} — {} — {} — {}",
            self.id, self.company_name, self.building_name, self.device_location
        )
    }
}

/// The open requests, and `also` whatever its status (the one a report
/// already names, or the one the form was opened from).
pub async fn choices(db: &Db, also: Option<i64>) -> Result<Vec<RequestChoice>, DbError> {
    Ok(Sql::new(
        "SELECT r.id, c.name AS company_name, b.name AS building_name, \
           d.location AS device_location FROM maintenance_requests r \
         JOIN devices d ON d.id = r.device_id JOIN buildings b ON b.id = d.building_id \
         JOIN companies c ON c.id = r.company_id \
         WHERE r.status IN ('recue', 'planifiee', 'en_cours') OR r.id = $1 \
         ORDER BY c.name, r.id DESC LIMIT 1000",
    )
    .bind(also)
    .fetch_all(db)
    .await?)
}

/// The company and device of a request, read in the transaction that links
/// a report to it.
pub async fn company_and_device(tx: &mut Tx, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    Sql::new("SELECT company_id, device_id FROM maintenance_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(tx)
        .await
}

/// Marks the request résolue if it is still open; `false` when it was not.
pub async fn resolve_in(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let changed = Sql::new(
        "UPDATE maintenance_requests SET status = 'resolue', updated_at = $1 \
         WHERE id = $2 AND status IN ('recue', 'planifiee', 'en_cours')",
    )
    .bind(millis(now))
    .bind(id)
    .execute(tx)
    .await?;
    Ok(changed == 1)
}

/// Marks the request résolue with its audit line, if it is still open.
pub async fn resolve_audited(db: &Db, id: i64, audit: PendingAudit<'_>) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let resolved = resolve_in(&mut tx, id, audit.now).await?;
    if resolved {
        audit.record_in(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(resolved)
}

/// Tells whoever filed the request that it is resolved, as any change of
/// status is told.
pub async fn tell_client(state: &AppState, id: i64) -> Result<(), DbError> {
    let Some(request) = super::request(&state.db, None, id).await? else {
        return Ok(());
    };
    if let Some((email, first_name)) = super::requester(&state.db, &request).await? {
        state
            .mailer
            .send_later(notifications::request_status_changed(
                &email,
                &first_name,
                id,
                super::RequestStatus::Resolue.label(),
                &state.public_url,
                // A resolved request is closed: no on-call line.
                None,
            ));
    }
    Ok(())
}

/// `POST /admin/demandes/{id}/resolue`: from the request's page, once a
/// report names it; audited, the client told by e-mail.
pub async fn resolve(
    req: HttpRequest,
    path: web::Path<i64>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    if reports_of_request(&state.db, id).await?.is_empty() {
        return Err(PageError::NotFound);
    }
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::RequestResolved)
        .subject(format!("maintenance_request:{id}"))
        .pending(&state);
    let resolved = resolve_audited(&state.db, id, audit).await?;
    let done = if resolved { "statut" } else { "deja" };
    if resolved {
        tell_client(&state, id).await?;
    }
    Ok(redirect(&format!("/admin/demandes/{id}?fait={done}")))
}
