//! Who may do what: for now, the same-origin check that protects forms
//! which need no session.

mod origin;

pub use origin::is_same_origin;
