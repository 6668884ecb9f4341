use actix_web::{web, HttpResponse};

use crate::startup::AppState;

/// `GET /metrics`: counters of the visitor-log writer and the purge, in
/// Prometheus text format. Counts only, no personal data.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let (depth, capacity) = state
        .visitor_log
        .as_ref()
        .map_or((0, 0), |log| (log.queue_depth(), log.queue_capacity()));
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(depth, capacity))
}
