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

/// The way back to the page above.
fn back_link(back: &str, back_label: &str) -> Markup {
    html! { p { a href=(back) { (back_label) } } }
}
