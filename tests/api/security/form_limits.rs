//! The forms that send e-mail or hash a password have limits kept in the
//! database: per recipient address (no mail-bombing a third party from the
//! company's domain) and per network (no flood of the staff's inbox, no
//! argon2 hash per request). Over a limit: 429 in French with
//! `Retry-After`, the form with what was typed, and no e-mail.

use chrono::Duration;

use crate::helpers::{
    create_account, csrf_in, header, spawn_app_with, wait, Backend, TestApp, PASSWORD,
};
use crate::on_both_backends;
use wemaintain::auth::Role;

on_both_backends!(
    a_fourth_reset_for_one_address_within_the_hour_is_refused,
    every_form_that_mails_an_address_counts_per_address,
    one_network_cannot_flood_the_contact_form,
);

const OWNER: &str = "camille@example.com";
const RESET_SUBJECT: &str = "Choisir un nouveau mot de passe";

async fn behind_proxy(backend: Backend) -> TestApp {
    spawn_app_with(backend, |s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().expect("a network")];
    })
    .await
}

fn mails_to(app: &TestApp, to: &str, needle: &str) -> usize {
    app.outbox()
        .iter()
        .filter(|m| m.contains(&format!("To: {to}")) && m.contains(needle))
        .count()
}

async fn a_fourth_reset_for_one_address_within_the_hour_is_refused(backend: Backend) {
    let app = behind_proxy(backend).await;
    create_account(&app, Role::Client, OWNER).await;
    create_account(&app, Role::Client, "temoin@example.com").await;
    // Three requests from three networks: the address's budget is the
    // address's, wherever the requests come from.
    for (n, ip) in ["203.0.113.1", "203.0.113.2", "198.51.100.3"]
        .iter()
        .enumerate()
    {
        let response = app
            .browser()
            .post_form_from(ip, "/mot-de-passe-oublie", &[("email", OWNER)])
            .await;
        assert_eq!(response.status(), 303, "request {n}");
    }
    wait::until_true("three reset mails", || async {
        mails_to(&app, OWNER, RESET_SUBJECT) >= 3
    })
    .await;
    assert_eq!(mails_to(&app, OWNER, RESET_SUBJECT), 3);

    let refused = app
        .browser()
        .post_form_from(
            "192.0.2.9",
            "/mot-de-passe-oublie",
            &[("email", "Camille@Example.com")],
        )
        .await;
    assert_eq!(refused.status(), 429);
    let wait: i64 = header(refused.headers(), "retry-after")
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=3600).contains(&wait), "{wait}");
    let page = refused.text().await.expect("a page");
    assert!(page.contains("Trop de demandes"), "{page}");
    assert!(
        page.contains("Camille@Example.com"),
        "what was typed is kept"
    );

    // The same page for an address without an account: the limit tells
    // nothing about who has one.
    for _ in 0..3 {
        app.browser()
            .post_form_from(
                "192.0.2.10",
                "/mot-de-passe-oublie",
                &[("email", "Personne@Ailleurs.fr")],
            )
            .await;
    }
    let known = app
        .browser()
        .post_form_from(
            "192.0.2.11",
            "/mot-de-passe-oublie",
            &[("email", "Camille@Example.com")],
        )
        .await;
    let known_page = known.text().await.unwrap();
    let other = app
        .browser()
        .post_form_from(
            "192.0.2.11",
            "/mot-de-passe-oublie",
            &[("email", "Personne@Ailleurs.fr")],
        )
        .await;
    assert_eq!(other.status(), 429);
    let strip = |page: &str, typed: &str| {
        let token = csrf_in(page).expect("the form again");
        page.replace(typed, "X").replace(&token, "T")
    };
    assert_eq!(
        strip(&other.text().await.unwrap(), "Personne@Ailleurs.fr"),
        strip(&known_page, "Camille@Example.com")
    );

    // A mail that does leave afterwards shows the refused one never did.
    let response = app
        .browser()
        .post_form_from(
            "192.0.2.12",
            "/mot-de-passe-oublie",
            &[("email", "temoin@example.com")],
        )
        .await;
    assert_eq!(response.status(), 303);
    app.wait_for_mail("temoin@example.com", RESET_SUBJECT).await;
    assert_eq!(mails_to(&app, OWNER, RESET_SUBJECT), 3, "no fourth mail");

    // An hour later, the address may be sent a link again.
    app.clock.advance(Duration::minutes(61));
    let response = app
        .browser()
        .post_form_from("192.0.2.9", "/mot-de-passe-oublie", &[("email", OWNER)])
        .await;
    assert_eq!(response.status(), 303);
    wait::until_true("a fourth reset mail", || async {
        mails_to(&app, OWNER, RESET_SUBJECT) >= 4
    })
    .await;
    assert_eq!(mails_to(&app, OWNER, RESET_SUBJECT), 4);
}

fn registration_fields(email: &str) -> Vec<(&str, &str)> {
    vec![
        ("prenom", "Marie"),
        ("nom", "Durand"),
        ("sexe", "madame"),
        ("role", "Gestionnaire de copropriété"),
        ("email", email),
        ("telephone", "06 12 34 56 78"),
        ("societe", "Syndic Exemple"),
        ("type_societe", "agence"),
        ("adresse", "3 rue de la Paix"),
        ("complement", "2e étage"),
        ("ville", "Paris"),
        ("code_postal", "75002"),
        ("pays", "FR"),
        ("mot_de_passe", PASSWORD),
        ("confirmation", PASSWORD),
    ]
}

fn rights_fields(email: &str) -> Vec<(&str, &str)> {
    vec![
        ("droit", "acces"),
        ("email", email),
        ("visite", "IP 192.0.2.7, le 1er mars vers 10 h"),
        (
            "message",
            "Bonjour, je souhaite obtenir une copie des données que vous avez sur moi.",
        ),
    ]
}

async fn every_form_that_mails_an_address_counts_per_address(backend: Backend) {
    let app = behind_proxy(backend).await;
    let victim = "victime@example.org";
    let other = "autre.victime@example.org";
    for (path, fields, victim) in [
        ("/inscription", registration_fields(victim), victim),
        ("/confidentialite/demande", rights_fields(other), other),
    ] {
        for n in 0..3 {
            let ip = format!("203.0.113.{n}");
            let response = app.browser().post_form_from(&ip, path, &fields).await;
            assert_eq!(response.status(), 303, "{path}, request {n}");
        }
        let refused = app
            .browser()
            .post_form_from("198.51.100.1", path, &fields)
            .await;
        assert_eq!(refused.status(), 429, "{path}");
        assert!(!header(refused.headers(), "retry-after").is_empty());
        let page = refused.text().await.unwrap();
        assert!(page.contains("Trop de demandes"), "{path}: {page}");
        assert!(page.contains(victim), "{path}: what was typed is kept");
    }
    assert_eq!(app.count("registrations").await, 1);
    // One budget per address, whichever form mails it.
    let refused = app
        .browser()
        .post_form_from(
            "198.51.100.2",
            "/confidentialite/demande",
            &rights_fields(victim),
        )
        .await;
    assert_eq!(refused.status(), 429);
}

fn question(email: &str) -> Vec<(&str, &str)> {
    vec![
        ("prenom", "Jeanne"),
        ("nom", "Dupont"),
        ("telephone", "06 12 34 56 78"),
        ("email", email),
        (
            "message",
            "Bonjour, l'ascenseur fait un bruit étrange au 3e étage.",
        ),
    ]
}

async fn one_network_cannot_flood_the_contact_form(backend: Backend) {
    let app = behind_proxy(backend).await;
    let flooder = app.browser();
    let mut refused = 0;
    for n in 0..30 {
        let email = format!("inconnu{n}@example.org");
        let response = flooder
            .post_form_from("2001:db8:7:7::1", "/contact", &question(&email))
            .await;
        match response.status().as_u16() {
            303 => {}
            429 => {
                refused += 1;
                assert!(!header(response.headers(), "retry-after").is_empty());
                let page = response.text().await.unwrap();
                assert!(page.contains("Trop de demandes"), "{page}");
            }
            other => panic!("request {n}: {other}"),
        }
    }
    assert!(refused >= 15, "only {refused} of 30 refused");
    let stored = app.count("contact_messages").await;
    assert!(stored <= 15, "{stored} questions stored");
    // Another network is not held back.
    let response = app
        .browser()
        .post_form_from("198.51.100.1", "/contact", &question("jeanne@example.org"))
        .await;
    assert_eq!(response.status(), 303);
}
