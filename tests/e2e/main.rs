//! Browser end-to-end tests: the release server binary runs as a separate
//! process on loopback, against a fresh database (SQLite, and PostgreSQL when
//! `WM_TEST_POSTGRES_URL` is set), and headless Chromium, driven through
//! chromedriver, goes through the site as people do. One test per journey
//! and backend: `journeys::<journey>::sqlite` and `::postgres`.
//!
//! Without Chromium or chromedriver (or PostgreSQL for `::postgres`) a
//! journey returns at once: it says « ignored: … » on stderr, and the binary
//! counts such journeys when it exits (`tests/common/skips.rs`). With
//! `WM_TEST_REQUIRE_BROWSER=1` / `WM_TEST_REQUIRE_POSTGRES=1` (`.ci/run`) or
//! `CI=true` that is a failure. A failing journey leaves a screenshot
//! and the page source under `target/e2e/`.

mod axe;
mod browser;
#[path = "../common/mod.rs"]
mod common;
mod flows;
mod harness;
mod journeys;
mod server;
