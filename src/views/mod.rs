//! HTML views in maud: one layout, small components, one file per page family.
//! Views take plain data and return `Markup`; they never touch the database.

pub mod components;
pub mod errors;
pub mod layout;
pub mod opt_out;
pub mod policy;
pub mod public;

pub use layout::{layout, Page};
pub mod account;
pub mod admin;
pub mod buildings;
pub mod charts;
pub mod contract;
pub mod forms;
pub mod inbox;
pub mod information_reports;
pub mod links;
pub mod maintenance;
pub mod profile;
pub mod proposals;
pub mod registration;
pub mod rights;
pub mod statistics;
