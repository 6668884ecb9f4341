//! The WeMaintain site: public pages, client Profile, first-party visitor
//! analytics, all held to the privacy policy. `main.rs` only parses the
//! command line; everything else lives here so tests use the same code.

pub mod accounts;
pub mod analytics;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod buildings;
pub mod clock;
pub mod commands;
pub mod config;
pub mod contract;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod domain;
pub mod forms;
pub mod http;
pub mod inbox;
pub mod information_reports;
pub mod mail;
pub mod maintenance;
pub mod metrics;
pub mod notifications;
pub mod paris;
pub mod privacy;
pub mod proposals;
pub mod public;
pub mod rights;
pub mod routes;
pub mod staff;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod views;
