//! The data rights: `/profil/donnees` for an Utilisateur (`profile.rs`),
//! `/confidentialite/demande` for anyone (`public.rs`), `/admin/droits` for
//! staff (`staff.rs`).

mod profile;
mod public;
mod staff;

pub use profile::*;
pub use public::*;
pub use staff::*;

use actix_web::HttpResponse;
use maud::Markup;
use serde::Deserialize;

fn page(status: actix_web::http::StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

fn invalid(markup: Markup) -> HttpResponse {
    page(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, markup)
}

/// The token of a single-use link, from its query string or its button's form.
#[derive(Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    jeton: String,
}
