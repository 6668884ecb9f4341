//! The actix-web middleware that turns requests into visitor-log events.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_TYPE, USER_AGENT};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;

use super::{Analytics, AudienceChoice, Visit};
use crate::http::client_ip::ClientIp;

/// Static files are not "content accessed" in the policy's sense and leave
/// no row at all.
const STATIC_PREFIX: &str = "/static/";

pub async fn record_visits(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let analytics = match req.app_data::<web::Data<Analytics>>() {
        Some(analytics) if !req.path().starts_with(STATIC_PREFIX) => analytics.clone(),
        _ => return next.call(req).await,
    };
    let visit = analytics.visit_of(&req);
    let response = next.call(req).await?;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    analytics.record(visit, response.status(), is_html);
    Ok(response)
}

impl Analytics {
    fn visit_of(&self, req: &ServiceRequest) -> Visit {
        let headers = req.headers();
        let ip = ClientIp::of_request(req.request(), &self.proxies).0;
        let device = self
            .classifier
            .classify_header(headers.get(USER_AGENT).map(|v| v.as_bytes()));
        Visit {
            occurred_at: self.clock.now(),
            ip,
            device,
            url: self.allowlist.logged_url(req.path(), req.query_string()),
            choice: AudienceChoice::of_request(headers),
            is_get: req.method() == Method::GET,
        }
    }
}
