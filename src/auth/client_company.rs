//! The company of the logged-in client, as an extractor: a handler that
//! takes a [`ClientCompany`] only runs for a client attached to a company.

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest};

use super::Viewer;
use crate::accounts::views::no_company::no_company_page;

/// The id of the logged-in client's company. A client without a company
/// gets, whatever page of the company it asked for, the page that explains
/// how its account gets one (200: the client's role allows the page, and
/// the answer is the one it needs); a page that has something else to say
/// to such a client takes `Option<ClientCompany>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientCompany(pub i64);

impl ClientCompany {
    pub fn id(self) -> i64 {
        self.0
    }
}

impl FromRequest for ClientCompany {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let company =
            Viewer::from_request(req, payload)
                .into_inner()
                .and_then(|viewer| match viewer.company_id {
                    Some(id) => Ok(ClientCompany(id)),
                    None => Err(without_company(req)),
                });
        std::future::ready(company)
    }
}

/// The explanation page, written as the answer (the error-page middleware
/// leaves an HTML body a handler wrote on purpose).
fn without_company(req: &HttpRequest) -> actix_web::Error {
    let page = no_company_page(req.path());
    let response = crate::http::html(StatusCode::OK, page);
    actix_web::error::InternalError::from_response("no company", response).into()
}
