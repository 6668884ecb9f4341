//! What every staff page reads: the request, the site, who is looking and
//! the token of the page's forms; with the two steps a page showing
//! people's records takes (opened only from the site, its opening audited).

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use maud::Markup;

use crate::audit::{Audit, AuditEvent};
use crate::auth::{CsrfToken, Viewer};
use crate::http::{confirm_audited_opening, staff_audit};
use crate::state::AppState;

pub struct StaffPage {
    pub req: HttpRequest,
    pub state: web::Data<AppState>,
    pub viewer: Viewer,
    pub token: CsrfToken,
}

impl StaffPage {
    /// Opened from another site: the page asking for a click on the site
    /// instead, and nothing is read nor audited (see
    /// [`confirm_audited_opening`]).
    pub fn opened_elsewhere(&self) -> Option<Markup> {
        confirm_audited_opening(&self.req)
    }

    /// The audit line of a record's opening: say which, then `record`.
    pub fn viewed(&self) -> Audit {
        staff_audit(
            &self.state,
            &self.req,
            &self.viewer,
            AuditEvent::RecordViewed,
        )
    }

    /// Writes `audit` with the site's database, register and clock.
    pub async fn record(&self, audit: Audit) -> Result<(), crate::db::DbError> {
        audit.record_with(&self.state).await
    }
}

impl FromRequest for StaffPage {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let page = (|| {
            Ok(StaffPage {
                req: req.clone(),
                state: web::Data::<AppState>::extract(req).into_inner()?,
                viewer: Viewer::from_request(req, payload).into_inner()?,
                token: CsrfToken::from_request(req, payload).into_inner()?,
            })
        })();
        std::future::ready(page)
    }
}
