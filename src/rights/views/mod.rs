//! The pages of the data rights: the Utilisateur's `/profil/donnees`
//! (`profile.rs`), the visitor's `/confidentialite/demande` (`public.rs`),
//! and staff's `/admin/droits` (`staff.rs`).

mod profile;
mod public;
mod staff;

pub use profile::*;
pub use public::*;
pub use staff::*;

use maud::{html, Markup};

use crate::accounts::views::account::account_bar;
use crate::auth::{CsrfToken, Viewer};

/// The top of a signed-in page: the account bar and the way back.
fn signed_in_top(viewer: &Viewer, token: &CsrfToken, back: &str, back_label: &str) -> Markup {
    html! {
        (account_bar(viewer, token))
        p { a href=(back) { (back_label) } }
    }
}
