//! What the header of every page shows that depends on the request rather
//! than on the page: who is logged in (with the logout form's token) and the
//! on-call number. The middleware [`crate::http::page_frame`] sets it for
//! the time of the request and the layout reads it, so that no handler has
//! to thread it through every view — the way a template engine's context
//! processor feeds a site's header. A page drawn outside a request (a test,
//! a mail) gets the frame of an anonymous visitor with no on-call line.

use std::future::Future;

use crate::auth::{CsrfToken, Role};
use crate::domain::EmergencyPhone;

/// The request's part of the page frame.
#[derive(Clone, Default)]
pub struct Frame {
    pub person: Option<Person>,
    /// The on-call number (`WM_EMERGENCY_PHONE`), when one is set.
    pub on_call: Option<EmergencyPhone>,
}

/// The logged-in person, as the header shows them.
#[derive(Clone)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    /// For the logout button in the header.
    pub token: CsrfToken,
}

tokio::task_local! {
    static FRAME: Frame;
}

/// Runs `future` (the rest of the request) with `frame` as the page frame.
pub async fn scope<F: Future>(frame: Frame, future: F) -> F::Output {
    FRAME.scope(frame, future).await
}

/// Runs `draw` with `frame` as the page frame (for pages drawn outside the
/// handler, such as the error pages).
pub fn sync_scope<R>(frame: Frame, draw: impl FnOnce() -> R) -> R {
    FRAME.sync_scope(frame, draw)
}

/// The frame of the request being answered, or an anonymous one.
pub fn current() -> Frame {
    FRAME.try_with(Frame::clone).unwrap_or_default()
}
