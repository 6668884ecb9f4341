//! Every error answer is a French page in the site's layout: handlers and
//! extractors only set the status, and this middleware, the one place that
//! renders errors, draws the page. JSON and HTML bodies that a handler wrote
//! on purpose (such as `/healthz`) are left as they are.

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::HttpMessage;

use super::page_frame::frame_of;
use crate::telemetry::RequestId;
use crate::views::errors::error_page;
use crate::views::frame;

pub fn error_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render)
}

fn render<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let written_on_purpose = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"));
    if written_on_purpose {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let request_id = res
        .request()
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone());
    // Drawn outside the handlers, so the page frame is set again here.
    let page = frame::sync_scope(frame_of(res.request()), || {
        error_page(res.status(), res.request().path(), request_id.as_deref())
    });
    let (req, mut response) = res.into_parts();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response.headers_mut().remove(header::CONTENT_LENGTH);
    let response = response.set_body(page.into_string()).map_into_boxed_body();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body::<B>(),
    ))
}
