//! `/metrics`: without a token only the machine itself reads it, and no
//! counter tells who has an account.

use std::collections::BTreeMap;

use wemaintain::auth::Role;
use wemaintain::privacy::purge::{purge, PurgeMode};
use wemaintain::privacy::{Purpose, Register};

use crate::helpers::{create_account, spawn_app, spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    without_a_token_only_a_direct_loopback_peer_reads_the_metrics,
    a_reset_for_an_existing_or_unknown_address_moves_the_same_counters,
);

async fn without_a_token_only_a_direct_loopback_peer_reads_the_metrics(backend: Backend) {
    // The test client is the loopback peer itself: a local scraper.
    let app = spawn_app(backend.clone()).await;
    assert_eq!(app.get("/metrics").await.status(), 200);
    // Through a proxy on the same machine (which adds X-Forwarded-For), the
    // request comes from outside.
    let forwarded = app
        .get_with("/metrics", &[("X-Forwarded-For", "203.0.113.9")])
        .await;
    assert_eq!(forwarded.status(), 404);

    // A proxy declared on loopback: every request from it may be an
    // outsider's, with or without the header.
    let app = spawn_app_with(backend.clone(), |s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    for headers in [vec![("X-Forwarded-For", "203.0.113.9")], vec![]] {
        let response = app.get_with("/metrics", &headers).await;
        assert_eq!(response.status(), 404, "{headers:?}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("wm_"), "{body}");
    }

    // With a token, whoever presents it reads the metrics, from anywhere.
    let token = "un-jeton-de-supervision-assez-long";
    let app = spawn_app_with(backend, |s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        s.metrics_token = Some(token.to_owned());
    })
    .await;
    let forwarded = [("X-Forwarded-For", "203.0.113.9")];
    assert_eq!(app.get_with("/metrics", &forwarded).await.status(), 401);
    let bearer = format!("Bearer {token}");
    let response = app
        .get_with(
            "/metrics",
            &[forwarded[0], ("Authorization", bearer.as_str())],
        )
        .await;
    assert_eq!(response.status(), 200);
}

/// Every sample `/metrics` shows, by name and labels, read from the
/// counters themselves so that reading them is not a request that moves
/// them. Batches are left out: how many requests one transaction writes
/// depends on timing only.
fn samples(app: &TestApp) -> BTreeMap<String, i64> {
    app.metrics
        .render(0, 0)
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.rsplit_once(' '))
        .filter(|(name, _)| *name != "wm_visitor_batches_written_total")
        .map(|(name, value)| (name.to_owned(), value.parse().expect("a count")))
        .collect()
}

/// The counters once the background work (visitor log, e-mails) is done.
async fn settled_samples(app: &TestApp) -> BTreeMap<String, i64> {
    let mut last = samples(app);
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let now = samples(app);
        if now == last {
            return now;
        }
        last = now;
    }
    panic!("the metrics do not settle: {last:?}");
}

fn moves(before: &BTreeMap<String, i64>, after: &BTreeMap<String, i64>) -> BTreeMap<String, i64> {
    after
        .iter()
        .map(|(name, value)| {
            (
                name.clone(),
                value - before.get(name).copied().unwrap_or_default(),
            )
        })
        .filter(|(_, delta)| *delta != 0)
        .collect()
}

async fn a_reset_for_an_existing_or_unknown_address_moves_the_same_counters(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    create_account(&app, Role::Client, "marie@syndic.fr").await;
    let visitor = app.browser();

    let start = settled_samples(&app).await;
    let response = visitor
        .post_form("/mot-de-passe-oublie", &[("email", "personne@inconnu.fr")])
        .await;
    assert_eq!(response.status(), 303);
    let unknown = settled_samples(&app).await;

    let response = visitor
        .post_form("/mot-de-passe-oublie", &[("email", "marie@syndic.fr")])
        .await;
    assert_eq!(response.status(), 303);
    app.wait_for_mail("marie@syndic.fr", "mot-de-passe-oublie/nouveau")
        .await;
    let existing = settled_samples(&app).await;

    let for_unknown = moves(&start, &unknown);
    let for_existing = moves(&unknown, &existing);
    assert_eq!(
        for_unknown, for_existing,
        "the counters tell whether the address has an account"
    );
    assert_eq!(
        for_existing.get("wm_password_reset_requests_total"),
        Some(&1),
        "every reset asked is counted: {for_existing:?}"
    );

    // Nor later, when the purge deletes the expired reset link.
    app.clock.advance(chrono::Duration::hours(2));
    let before = samples(&app);
    let now = app.clock_now();
    let outcomes = purge(
        &app.db,
        &Register::default(),
        now,
        100,
        PurgeMode::Delete,
        &app.metrics,
    )
    .await
    .expect("purge");
    assert!(
        outcomes
            .iter()
            .any(|o| o.purpose == Purpose::Account && o.rows >= 1),
        "the reset link was deleted: {outcomes:?}"
    );
    // The request counters of the form limits (purpose `security`) go
    // the same way for both addresses; the account's own rows must not show.
    let account_moves: BTreeMap<String, i64> = moves(&before, &samples(&app))
        .into_iter()
        .filter(|(name, _)| !name.contains(r#"purpose="security""#))
        .collect();
    assert_eq!(
        account_moves,
        BTreeMap::new(),
        "the purge counters tell that a reset link existed"
    );
}
