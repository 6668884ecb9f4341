//! Browser end-to-end tests: the release server binary runs as a separate
//! process on loopback, against a fresh database (SQLite, and PostgreSQL when
//! `WM_TEST_POSTGRES_URL` is set), and headless Chromium, driven through
//! chromedriver, goes through the site as people do. One test per journey
//! and backend: `journeys::<journey>::sqlite` and `::postgres`.
//!
//! Without Chromium or chromedriver the target prints one line and passes;
//! with `CI=true` that is a failure. A failing journey leaves a screenshot
//! and the page source under `target/e2e/`.

mod browser;
#[path = "../common/mod.rs"]
mod common;
mod flows;
mod harness;
mod journeys;
