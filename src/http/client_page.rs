//! What every page of a client's company reads: the site, who is looking,
//! their company and the token of the page's forms, as one extractor, so
//! that a client handler's signature names only what is particular to it.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};

use crate::auth::{ClientCompany, CsrfToken, Viewer};
use crate::state::AppState;

pub struct ClientPage {
    pub state: web::Data<AppState>,
    pub viewer: Viewer,
    /// The id of the client's company (a client without one gets 404,
    /// see [`ClientCompany`]).
    pub company: i64,
    pub token: CsrfToken,
}

impl FromRequest for ClientPage {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let page = (|| {
            Ok(ClientPage {
                state: web::Data::<AppState>::extract(req).into_inner()?,
                viewer: Viewer::from_request(req, payload).into_inner()?,
                company: ClientCompany::from_request(req, payload).into_inner()?.id(),
                token: CsrfToken::from_request(req, payload).into_inner()?,
            })
        })();
        std::future::ready(page)
    }
}
