//! The account pages: sign-up, login, password reset and change.

pub mod account;
pub mod registration;
