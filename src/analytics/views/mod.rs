//! Views of the statistics and of the opt-out page.

pub mod figures;
pub mod mail_reports;
pub mod opt_out;
pub mod statistics;
pub mod statistics_filters;
pub mod statistics_period;
pub mod statistics_tables;
pub mod statistics_visits;
