//! Security regression tests: each hole found when the site was attacked
//! from outside has a test here that fails on the code before its fix
//! (docs/security.md lists each control with its test).

mod cross_site_get;
mod csrf;
mod headers;
mod slow_body;
