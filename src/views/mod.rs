//! HTML views in maud: one layout, small components, shared by every feature; each feature keeps its own views beside its routes.
//! Views take plain data and return `Markup`; they never touch the database.

pub mod components;
pub mod errors;
pub mod layout;

pub use layout::{layout, space_layout, Page};
pub mod charts;
pub mod emergency;
pub mod forms;
pub mod frame;
pub mod links;
pub mod space;
pub mod typography;
