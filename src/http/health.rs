use std::time::Duration;

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::state::AppState;

/// How long `/healthz` waits for the database before calling it unreachable.
const DATABASE_CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /healthz`: 200 when the site can reach its database, 503 otherwise,
/// so a load balancer takes an instance out while its database is gone.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let database = state.db.ping(DATABASE_CHECK_TIMEOUT).await;
    if let Err(error) = &database {
        tracing::warn!(%error, "health check: database unreachable");
    }
    let reachable = database.is_ok();
    let body = json!({
        "status": if reachable { "ok" } else { "unavailable" },
        "database": {
            "backend": state.db.backend(),
            "reachable": reachable,
        },
        "checked_at": state.clock.now().to_rfc3339(),
    });
    let mut response = if reachable {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    response
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .json(body)
}
