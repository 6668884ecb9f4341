//! Spreadsheet formula injection: what a visitor puts in a URL reaches both
//! CSV exports, which French spreadsheets open with `;` as separator. No
//! cell of either may read as a formula, however the file is split.

use wemaintain::auth::Role;

use crate::helpers::{
    count_visits, create_account, header, read_visits, spawn_app_with, wait, Backend, Browser,
    TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_url_cannot_become_a_formula_in_the_visits_export,
    a_campaign_cannot_become_a_formula_in_the_statistics_export,
);

/// A URL that, split at its `;`, holds a cell `=cmd|'/C calc'!A0`.
const ATTACK_PATH: &str = "/a;=cmd|'/C%20calc'!A0;b";
const ATTACK_CAMPAIGN: &str = "/?utm_source=promo;=cmd|'/C%20calc'!A0;+1;@SUM(1)";

async fn trusting_loopback(backend: Backend) -> TestApp {
    spawn_app_with(backend, |s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await
}

/// A browser that objects to audience measurement (`Sec-GPC: 1`), so that
/// its own visits do not count in the statistics.
fn staff_browser(app: &TestApp) -> Browser {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-gpc", reqwest::header::HeaderValue::from_static("1"));
    Browser {
        client: reqwest::Client::builder()
            .default_headers(headers)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client"),
        address: app.address.clone(),
    }
}

/// Waits for the visitor-log writer to have written `count` rows of `purpose`.
async fn wait_for_rows(app: &TestApp, purpose: &str, count: i64) {
    wait::until_true(&format!("{count} {purpose} rows written"), || async {
        count_visits(&app.db, purpose).await >= count
    })
    .await
}

/// Fetches a CSV export and splits it as French Excel does (at every `;`
/// outside quotes, whichever separator the file was written with); no cell
/// may read as a formula.
async fn fetch_and_check(browser: &Browser, path: &str) -> Vec<Vec<String>> {
    let response = browser.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("a body");
    let without_bom = body.strip_prefix("\u{feff}".as_bytes());
    let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(without_bom.unwrap_or(&body))
        .records()
        .map(|record| {
            record
                .expect("a CSV record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    for cell in records.iter().flatten() {
        let first = cell.trim_start_matches(' ').chars().next();
        assert!(
            !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
            "{path}: the cell {cell:?} reads as a formula in {records:?}"
        );
    }
    assert!(without_bom.is_some(), "{path}: no UTF-8 byte-order mark");
    assert_eq!(header(&headers, "content-type"), "text/csv; charset=utf-8");
    assert!(header(&headers, "content-disposition").starts_with("attachment; filename="));
    assert_eq!(header(&headers, "cache-control"), "no-store");
    records
}

async fn a_url_cannot_become_a_formula_in_the_visits_export(backend: Backend) {
    let app = trusting_loopback(backend).await;
    let response = app
        .get_with(ATTACK_PATH, &[("X-Forwarded-For", "192.0.2.66")])
        .await;
    assert_eq!(response.status(), 404);
    wait_for_rows(&app, "security", 1).await;
    let stored = read_visits(&app.db).await;
    let attack = stored
        .iter()
        .find(|v| v.ip == "192.0.2.66")
        .expect("the security row of the attack");
    assert!(attack.url.contains(";=cmd|"), "stored as {}", attack.url);

    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let admin = staff_browser(&app);
    admin.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let records = fetch_and_check(
        &admin,
        "/admin/droits/visites/export?ip=192.0.2.66&du=2026-03-02&au=2026-03-02",
    )
    .await;
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[1][2], attack.url, "the URL is one cell, as stored");
}

async fn a_campaign_cannot_become_a_formula_in_the_statistics_export(backend: Backend) {
    let app = trusting_loopback(backend).await;
    // Five visitors (five networks) follow the link: enough to be shown.
    let visitors = [
        "192.0.2.10",
        "198.51.100.10",
        "203.0.113.10",
        "2001:db8:1::10",
        "2001:db8:2::10",
    ];
    for ip in visitors {
        let response = app
            .get_with(ATTACK_CAMPAIGN, &[("X-Forwarded-For", ip)])
            .await;
        assert_eq!(response.status(), 200, "{ip}");
    }
    wait_for_rows(&app, "audience", visitors.len() as i64).await;
    // Today's figures count what happened before now.
    app.clock.advance(chrono::Duration::minutes(1));

    create_account(&app, Role::Marketing, "marketing@wemaintain.com").await;
    let marketing = staff_browser(&app);
    marketing
        .login_ok("marketing@wemaintain.com", PASSWORD)
        .await;
    // French Excel splits on `;` whatever separator the file was asked with.
    fetch_and_check(
        &marketing,
        "/statistiques/export?tableau=campagnes&periode=aujourdhui&separateur=virgule",
    )
    .await;
    let records = fetch_and_check(
        &marketing,
        "/statistiques/export?tableau=campagnes&periode=aujourdhui",
    )
    .await;
    assert_eq!(records.len(), 2, "{records:?}");
    assert!(records[1][0].contains("=cmd|"), "{records:?}");
    assert_eq!(records[1][1], "5", "a count stays a number");
    assert_eq!(records[1][2], "100,0", "a decimal comma");
}
