//! Logs: the tracing subscriber, and one span per request.
//!
//! The request span carries a request id, the method, the route *pattern*
//! (`/static/{file}`, never the concrete path) and the status. It never holds
//! the client IP or the query string: those are personal data, and the
//! visitor log is the only place the policy allows them to be kept.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::config::{ConfigError, LogFormat};

/// Installs the global subscriber. Fails on a filter that does not parse.
pub fn init(filter: &str, format: LogFormat) -> Result<(), ConfigError> {
    let env_filter = EnvFilter::builder().parse(filter).map_err(|e| {
        ConfigError::new(
            "WM_LOG",
            format!("« {filter} » n'est pas un filtre de journal : {e}"),
        )
    })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(env_filter)
        .with_writer(std::io::stdout)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let installed = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    installed.map_err(|e| {
        ConfigError::new(
            "WM_LOG",
            format!("impossible d'installer la journalisation : {e}"),
        )
    })
}

/// The id of the request being served, shown on error pages so that a
/// person reporting a problem can quote it.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub async fn trace_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        route = tracing::field::Empty,
        status = tracing::field::Empty,
    );
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let started = Instant::now();
    let mut response = next.call(req).instrument(span.clone()).await?;

    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(no route)".to_owned());
    let status = response.status();
    span.record("route", route.as_str());
    span.record("status", status.as_u16());
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _entered = span.enter();
    match response.response().error() {
        // Module errors spell their cause chain in their message, so this
        // one line says what failed and why.
        Some(error) if status.is_server_error() => {
            tracing::error!(elapsed_ms, error = %error, "request failed");
        }
        _ => tracing::info!(elapsed_ms, "request handled"),
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(X_REQUEST_ID.clone(), value);
    }
    Ok(response)
}
