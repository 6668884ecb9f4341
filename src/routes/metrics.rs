use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::startup::AppState;

/// `GET /metrics`: counters of the visitor-log writer and the purge, in
/// Prometheus text format. Counts only, no personal data; behind a bearer
/// token when `WM_METRICS_TOKEN` is set.
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if let Some(token) = &state.metrics_token {
        let presented = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !presented.is_some_and(|p| constant_time_eq(p.as_bytes(), token.as_bytes())) {
            return HttpResponse::Unauthorized()
                .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
                .finish();
        }
    }
    let (depth, capacity) = state
        .visitor_log
        .as_ref()
        .map_or((0, 0), |log| (log.queue_depth(), log.queue_capacity()));
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(depth, capacity))
}

/// Compares without stopping at the first difference, so the time taken
/// does not tell how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
