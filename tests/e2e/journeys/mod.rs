//! The journeys, each one test per backend: `journeys::<name>::sqlite` and
//! `journeys::<name>::postgres`.

mod accessibility;
mod client;
mod marketing;
mod navigation;
mod phone;
mod visitor;

use crate::flows::{ADMIN, CLIENT_OF_COMPANY, MARKETING};

/// Commands of the server binary run before a journey's server starts.
const CREATE_ADMIN: &[&str] = &["create-user", "--role", "admin", "--email", ADMIN];
const CREATE_MARKETING: &[&str] = &["create-user", "--role", "marketing", "--email", MARKETING];
const CREATE_CLIENT_OF_COMPANY: &[&str] = &[
    "create-user",
    "--role",
    "client",
    "--email",
    CLIENT_OF_COMPANY,
    "--company-name",
    "Syndic Exemple",
    "--company-address",
    "3 rue de la Paix",
    "--company-postal-code",
    "75002",
    "--company-city",
    "Paris",
];
/// A month of synthetic audience (it must go into an empty visitor log).
const SEED_MONTH: &[&str] = &[
    "seed-demo",
    "--events",
    "3000",
    "--days",
    "30",
    "--seed",
    "7",
];

crate::journeys! {
    visitor_objects => visitor::objects, setup: &[];
    client_account_lifecycle => client::account_lifecycle, setup: &[CREATE_ADMIN];
    marketing_statistics => marketing::statistics, setup: &[SEED_MONTH, CREATE_MARKETING];
    navigation_spaces => navigation::spaces, setup: &[CREATE_ADMIN, CREATE_CLIENT_OF_COMPANY];
    phone_no_horizontal_scroll => phone::no_horizontal_scroll,
        setup: &[SEED_MONTH, CREATE_ADMIN, CREATE_MARKETING];
    accessibility_visitor => accessibility::visitor, setup: &[];
    accessibility_spaces => accessibility::spaces,
        setup: &[SEED_MONTH, CREATE_ADMIN, CREATE_MARKETING];
}
