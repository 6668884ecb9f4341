//! Integration tests: the real server on a random port, against a fresh
//! database per test, on SQLite and (when `WM_TEST_POSTGRES_URL` is set) on
//! PostgreSQL. One test binary, one file per feature; the helpers are in
//! `tests/common/`, shared with the browser tests. Without
//! `WM_TEST_POSTGRES_URL` each `::postgres` test says « ignored: … » and
//! returns, and the binary counts them when it exits; with
//! `WM_TEST_REQUIRE_POSTGRES=1` (`.ci/run`) or `CI=true` that is a failure.

#[path = "../common/mod.rs"]
mod common;
mod helpers;

mod access;
mod accessibility;
mod account_company;
mod accounts;
mod buildings;
mod cli;
mod contract;
mod database;
mod demo;
mod emergency;
mod forms_help;
mod health;
mod hostile_input;
mod information_reports;
mod maintenance;
mod navigation;
mod opt_out;
mod pages;
mod partitions;
mod phones;
mod proposals;
mod public_forms;
mod purge;
mod rights_profile;
mod rights_requests;
mod rollup;
mod security;
mod staff_journal;
mod staff_reports;
mod staff_work;
mod static_files;
mod statistics;
mod statistics_filters;
mod statistics_mail_reports;
mod statistics_months;
mod statistics_periods;
mod statistics_tables;
mod statistics_today;
mod statistics_visits;
mod typography;
mod user_agents;
mod visitor_log;
mod writer;
