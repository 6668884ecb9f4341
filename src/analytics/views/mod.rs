//! Views of the statistics and of the opt-out page.

pub mod opt_out;
pub mod statistics;
pub mod statistics_visits;
