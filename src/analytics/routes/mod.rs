//! `/statistiques` for marketing, and the opt-out page for visitors.

pub mod mail_reports;
pub mod opt_out;
pub mod statistics;
pub mod tables;
