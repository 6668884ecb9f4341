//! The public pages: home, services and the privacy policy.

pub mod routes;
pub mod views;
