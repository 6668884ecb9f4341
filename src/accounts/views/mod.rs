//! Views of the account pages.

pub mod account;
pub mod registration;
