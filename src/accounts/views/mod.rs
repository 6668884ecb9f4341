//! Views of the account pages.

pub mod account;
pub mod no_company;
pub mod registration;
