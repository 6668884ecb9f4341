//! The journeys, each one test per backend: `journeys::<name>::sqlite` and
//! `journeys::<name>::postgres`.

mod accessibility;
mod client;
mod marketing;
mod navigation;
mod phone;
mod phone_staff;
mod statistics_filters;
mod statistics_periods;
mod tour;
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
    marketing_statistics_periods => statistics_periods::arrows,
        setup: &[SEED_MONTH, CREATE_MARKETING];
    marketing_statistics_filters => statistics_filters::by_click,
        setup: &[SEED_MONTH, CREATE_MARKETING];
    navigation_spaces => navigation::spaces, setup: &[CREATE_ADMIN, CREATE_CLIENT_OF_COMPANY];
    phone_no_horizontal_scroll => phone::no_horizontal_scroll,
        setup: &[SEED_MONTH, CREATE_ADMIN, CREATE_MARKETING];
    accessibility_visitor => accessibility::visitor, setup: &[];
    accessibility_spaces => accessibility::spaces,
        setup: &[SEED_MONTH, CREATE_ADMIN, CREATE_MARKETING];
}

/// The pictures of `docs/tour.md`, taken only when `WM_TOUR_DIR` says where
/// to put them (SQLite: the backend does not change a picture).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tour_pictures() {
    let Some(dir) = std::env::var_os("WM_TOUR_DIR") else {
        eprintln!("tour_pictures: WM_TOUR_DIR is not set, no pictures taken");
        return;
    };
    let setup: &[&[&str]] = &[SEED_MONTH, CREATE_ADMIN, CREATE_MARKETING];
    let dir = std::path::PathBuf::from(dir);
    crate::harness::run(
        "tour",
        crate::common::backends::Backend::Sqlite,
        setup,
        move |j| tour::pictures_of_the_spaces(j, dir),
    )
    .await
}
