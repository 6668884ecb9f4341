//! The login throttle: failures lock an account for the network they come
//! from, not for its owner elsewhere; attempts are counted before the
//! password is checked, so racing them gains nothing; IPv6 is counted per
//! /64; the audit log keeps a short subject and one line per locked window.
//! Re-asking the password (copy, e-mail change, erasure, password change)
//! shares the same budget.

use crate::helpers::{
    create_account, header, scalar, spawn_app_with, Backend, Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;
use wemaintain::auth::Role;

on_both_backends!(
    failures_from_one_network_do_not_lock_the_owner_out_of_another,
    a_guesser_on_many_networks_is_stopped_but_not_the_owner_at_home,
    concurrent_attempts_get_at_most_five_password_checks,
    addresses_of_one_ipv6_64_share_one_budget,
    spellings_of_one_address_share_the_account_budget,
    a_huge_address_is_audited_as_a_short_fingerprint,
    a_locked_window_leaves_one_audit_line,
    re_asking_the_password_is_throttled_and_audited,
);

const OWNER: &str = "camille@example.com";
const WRONG: &str = "Mauvais-mot-de-passe";

/// The site behind a proxy on loopback, so that `X-Forwarded-For` names the
/// client's network.
async fn behind_proxy(backend: Backend) -> TestApp {
    spawn_app_with(backend, |s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("a network")];
    })
    .await
}

/// A login posted by a browser from `ip`.
async fn login_from(browser: &Browser, ip: &str, email: &str, password: &str) -> reqwest::Response {
    let token = browser.csrf_token().await;
    browser
        .client
        .post(browser.url("/connexion"))
        .header("X-Forwarded-For", ip)
        .form(&[
            ("email", email),
            ("mot_de_passe", password),
            ("csrf", &token),
        ])
        .send()
        .await
        .expect("the server answers")
}

async fn count_events(app: &TestApp, event: &str) -> i64 {
    scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM audit_log WHERE event = '{event}'"),
    )
    .await
}

async fn failures_from_one_network_do_not_lock_the_owner_out_of_another(backend: Backend) {
    let app = behind_proxy(backend).await;
    create_account(&app, Role::Client, OWNER).await;
    let attacker = app.browser();
    for n in 0..5 {
        let response = login_from(&attacker, "203.0.113.7", OWNER, WRONG).await;
        assert_eq!(response.status(), 200, "attempt {n}");
    }
    let locked = login_from(&attacker, "203.0.113.7", OWNER, PASSWORD).await;
    assert_eq!(locked.status(), 429, "the attacker's network is locked");
    assert_eq!(header(locked.headers(), "retry-after"), "900");

    // The owner, at the office, logs in with the right password.
    let owner = app.browser();
    let response = login_from(&owner, "198.51.100.20", OWNER, PASSWORD).await;
    assert_eq!(response.status(), 303, "the owner is not locked out");
}

async fn a_guesser_on_many_networks_is_stopped_but_not_the_owner_at_home(backend: Backend) {
    let app = behind_proxy(backend).await;
    create_account(&app, Role::Client, OWNER).await;
    let owner = app.browser();
    let response = login_from(&owner, "198.51.100.20", OWNER, PASSWORD).await;
    assert_eq!(response.status(), 303, "the owner logs in from home once");

    // Six networks, five guesses each: the account's budget across networks.
    let guesser = app.browser();
    for network in 1..=6 {
        let ip = format!("203.0.113.{network}");
        for _ in 0..5 {
            let response = login_from(&guesser, &ip, OWNER, WRONG).await;
            assert_eq!(response.status(), 200, "from {ip}");
        }
    }
    let seventh = login_from(&guesser, "203.0.113.7", OWNER, WRONG).await;
    assert_eq!(
        seventh.status(),
        429,
        "a seventh network gets no more guesses"
    );

    // From home, the owner is not held back.
    let owner = app.browser();
    let response = login_from(&owner, "198.51.100.20", OWNER, PASSWORD).await;
    assert_eq!(response.status(), 303);
}

async fn concurrent_attempts_get_at_most_five_password_checks(backend: Backend) {
    let app = behind_proxy(backend).await;
    create_account(&app, Role::Client, OWNER).await;
    let attacker = app.browser();
    let token = attacker.csrf_token().await;
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let request = attacker
            .client
            .post(attacker.url("/connexion"))
            .header("X-Forwarded-For", "203.0.113.7")
            .form(&[("email", OWNER), ("mot_de_passe", WRONG), ("csrf", &token)]);
        attempts.spawn(request.send());
    }
    let responses = attempts.join_all().await;
    let mut checked = 0;
    let mut throttled = 0;
    for response in responses {
        match response.expect("the server answers").status().as_u16() {
            200 => checked += 1,
            429 => throttled += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    // Every password check that fails writes one `login_failed` line.
    let failed = count_events(&app, "login_failed").await;
    assert!(failed <= 5, "{failed} password checks for 40 attempts");
    assert_eq!(failed, checked, "one audit line per answered attempt");
    assert_eq!(checked + throttled, 40);
}

async fn addresses_of_one_ipv6_64_share_one_budget(backend: Backend) {
    let app = behind_proxy(backend).await;
    create_account(&app, Role::Client, OWNER).await;
    // A guesser who takes a new address of its /64 for each of 20 accounts
    // spends the budget of one network.
    let guesser = app.browser();
    for n in 0..20 {
        let ip = format!("2001:db8:1:2::{:x}", n + 1);
        let email = format!("inconnu{n}@example.org");
        let response = login_from(&guesser, &ip, &email, WRONG).await;
        assert_eq!(response.status(), 200, "attempt from {ip}");
    }
    let next = login_from(
        &guesser,
        "2001:db8:1:2:ffff:ffff:ffff:ffff",
        "encore@example.org",
        WRONG,
    )
    .await;
    assert_eq!(next.status(), 429, "the same /64 is one network");

    // Another /64 is another network.
    let owner = app.browser();
    let response = login_from(&owner, "2001:db8:1:3::1", OWNER, PASSWORD).await;
    assert_eq!(response.status(), 303);
}

async fn spellings_of_one_address_share_the_account_budget(backend: Backend) {
    let app = behind_proxy(backend).await;
    create_account(&app, Role::Client, OWNER).await;
    let attacker = app.browser();
    for n in 0..5 {
        let email = if n % 2 == 0 {
            "Camille@Example.com "
        } else {
            OWNER
        };
        let response = login_from(&attacker, "203.0.113.7", email, WRONG).await;
        assert_eq!(response.status(), 200, "attempt {n}");
    }
    for email in ["Camille@Example.com ", OWNER, " CAMILLE@EXAMPLE.COM"] {
        let response = login_from(&attacker, "203.0.113.7", email, PASSWORD).await;
        assert_eq!(response.status(), 429, "{email:?}");
    }
}

async fn a_huge_address_is_audited_as_a_short_fingerprint(backend: Backend) {
    let app = behind_proxy(backend).await;
    let typed = format!("{}Secret-typed-here", "x".repeat(60_000));
    let response = login_from(&app.browser(), "203.0.113.7", &typed, WRONG).await;
    assert_eq!(response.status(), 200);
    let longest = scalar(
        &app.db,
        "SELECT CAST(COALESCE(MAX(LENGTH(subject)), 0) AS BIGINT) FROM audit_log",
    )
    .await;
    assert!(
        (1..=64).contains(&longest),
        "the audit log keeps a short subject, not {longest} characters"
    );
    let kept = scalar(
        &app.db,
        "SELECT COUNT(*) FROM audit_log WHERE subject LIKE '%Secret%'",
    )
    .await;
    assert_eq!(kept, 0, "nothing typed is kept");

    // A well-formed address is kept as it is, lowercased.
    login_from(&app.browser(), "203.0.113.7", "Someone@Example.com", WRONG).await;
    let kept = scalar(
        &app.db,
        "SELECT COUNT(*) FROM audit_log WHERE subject = 'someone@example.com'",
    )
    .await;
    assert_eq!(kept, 1);
}

async fn a_locked_window_leaves_one_audit_line(backend: Backend) {
    let app = behind_proxy(backend).await;
    create_account(&app, Role::Client, OWNER).await;
    let attacker = app.browser();
    for _ in 0..5 {
        login_from(&attacker, "203.0.113.7", OWNER, WRONG).await;
    }
    for n in 0..30 {
        let response = login_from(&attacker, "203.0.113.7", OWNER, WRONG).await;
        assert_eq!(response.status(), 429, "attempt {n}");
    }
    assert_eq!(count_events(&app, "login_throttled").await, 1);

    // The next window, locked again: one more line.
    app.clock.advance(chrono::Duration::minutes(16));
    for _ in 0..8 {
        login_from(&attacker, "203.0.113.7", OWNER, WRONG).await;
    }
    assert_eq!(count_events(&app, "login_throttled").await, 2);
}

async fn re_asking_the_password_is_throttled_and_audited(backend: Backend) {
    let app = behind_proxy(backend).await;
    create_account(&app, Role::Client, OWNER).await;
    let thief = app.browser();
    let response = login_from(&thief, "203.0.113.7", OWNER, PASSWORD).await;
    assert_eq!(response.status(), 303);

    // Someone at an unlocked computer guesses the password to take a copy.
    for n in 0..6 {
        let response = thief
            .post_form_from(
                "203.0.113.7",
                "/profil/donnees/copie",
                &[("format", "json"), ("mot_de_passe", WRONG)],
            )
            .await;
        assert!(
            [422, 429].contains(&response.status().as_u16()),
            "attempt {n}: {}",
            response.status()
        );
    }
    let response = thief
        .post_form_from(
            "203.0.113.7",
            "/profil/donnees/copie",
            &[("format", "json"), ("mot_de_passe", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 429, "the right password waits too");
    assert!(!header(response.headers(), "retry-after").is_empty());
    let page = response.text().await.expect("a page");
    assert!(page.contains("Trop de tentatives"), "{page}");

    // The other forms that re-ask the password share the budget.
    let response = thief
        .post_form_from(
            "203.0.113.7",
            "/compte/mot-de-passe",
            &[
                ("actuel", PASSWORD),
                ("mot_de_passe", "Nouveau-mot-de-passe-solide-9"),
                ("confirmation", "Nouveau-mot-de-passe-solide-9"),
            ],
        )
        .await;
    assert_eq!(response.status(), 429);
    let response = thief
        .post_form_from(
            "203.0.113.7",
            "/profil/donnees/effacer",
            &[
                ("mot_de_passe_effacement", PASSWORD),
                ("confirmation", "oui"),
            ],
        )
        .await;
    assert_eq!(response.status(), 429);

    assert_eq!(count_events(&app, "password_reconfirm_failed").await, 5);
    assert_eq!(count_events(&app, "data_exported").await, 0);
}
