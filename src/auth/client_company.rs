//! The company of the logged-in client, as an extractor: a handler that
//! takes a [`ClientCompany`] only runs for a client attached to a company.

use actix_web::{FromRequest, HttpRequest};

use super::Viewer;
use crate::http::PageError;

/// The id of the logged-in client's company. A client without a company
/// gets 404 (as an object of another company would); a page that has
/// something to say to such a client takes `Option<ClientCompany>`.
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
        let company = Viewer::from_request(req, payload)
            .into_inner()
            .and_then(|viewer| viewer.company_id.ok_or_else(|| PageError::NotFound.into()));
        std::future::ready(company.map(ClientCompany))
    }
}
