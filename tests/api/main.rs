//! Integration tests: the real server on a random port, against a fresh
//! database per test, on SQLite and (when `WM_TEST_POSTGRES_URL` is set) on
//! PostgreSQL. One test binary, one file per feature.

mod helpers;

mod cli;
mod database;
mod health;
mod pages;
mod security;
mod static_files;
