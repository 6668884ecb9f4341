//! The pages of the data rights: the Utilisateur's `/profil/donnees`
//! (`profile.rs`), the visitor's `/confidentialite/demande` (`public.rs`),
//! and staff's `/admin/droits` (`staff.rs`).

mod profile;
mod public;
mod staff;

pub use profile::*;
pub use public::*;
pub use staff::*;
