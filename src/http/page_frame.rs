//! Sets the page frame ([`crate::views::frame`]) of each request: who is
//! logged in and the on-call number, for the header the layout draws.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};

use crate::auth::{CsrfToken, Viewer};
use crate::state::AppState;
use crate::views::frame::{self, Frame, Person};

/// Runs the rest of the request with its page frame; after `load_viewer`.
pub async fn set_page_frame(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let frame = frame_of(req.request());
    frame::scope(frame, next.call(req)).await
}

/// The page frame of `req`.
pub fn frame_of(req: &HttpRequest) -> Frame {
    let on_call = req
        .app_data::<web::Data<AppState>>()
        .and_then(|state| state.emergency_phone.clone());
    let viewer = req.extensions().get::<Viewer>().cloned();
    let person = viewer.and_then(|viewer| {
        // Without a token there is no logout button to draw: the header
        // then shows the person as anonymous rather than fail the page.
        let token = CsrfToken::of_request(req).ok()?;
        Some(Person {
            first_name: viewer.first_name,
            last_name: viewer.last_name,
            role: viewer.role,
            token,
        })
    });
    Frame { person, on_call }
}
