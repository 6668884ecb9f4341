//! What the API tests (`tests/api`) and the browser tests (`tests/e2e`)
//! share, one file per job: the backends and the per-backend runner
//! (`on_both_backends!`), what a local run may lack (`skips`), waiting on an
//! event, the site in-process (`app`), the database, forms and tokens,
//! accounts, and the mail outbox.
//!
//! Each test crate mounts it with `#[path = "../common/mod.rs"] mod common;`
//! at its root. A crate uses part of it only, hence the `dead_code` allowance.
#![allow(dead_code)]

pub mod accounts;
pub mod app;
pub mod backends;
pub mod database;
pub mod forms;
pub mod mail;
pub mod places;
pub mod skips;
pub mod text;
pub mod wait;
