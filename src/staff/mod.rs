//! The staff's own pages: sign-ups to validate, messages, companies,
//! accounts, the audit log and the register. Staff pages of a client
//! feature (requests, proposals, reports, contracts, rights) live with it.

pub mod account_company;
pub mod answer_views;
pub mod answers;
pub mod decisions;
pub mod journal;
pub mod journal_filter;
pub mod journal_views;
pub mod routes;
pub mod views;
pub mod work_queue;
pub mod work_queue_view;
