//! Security regression tests: each hole found when the site was attacked
//! from outside has a test here that fails on the code before its fix
//! (docs/security.md lists each control with its test).

mod account_links;
mod contract_annex;
mod cross_site_get;
mod csrf;
mod csv_injection;
mod form_limits;
mod headers;
mod ids;
mod ip_truncation;
mod login_throttle;
mod metrics;
mod reset_poisoning;
mod signup_address;
mod slow_body;
