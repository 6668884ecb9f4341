//! The data rights: `/profil/donnees` for an Utilisateur (`profile.rs`),
//! `/confidentialite/demande` for anyone (`public.rs`), `/admin/droits` for
//! staff (`staff.rs`).

mod profile;
mod public;
mod staff;

pub use profile::*;
pub use public::*;
pub use staff::*;

use serde::Deserialize;

/// The token of a single-use link, from its query string or its button's form.
#[derive(Deserialize)]
pub struct LinkQuery {
    #[serde(default, rename = "jeton")]
    token: String,
}
