use wemaintain::privacy::{Period, Purpose};

use crate::helpers::{header, spawn_app, spawn_app_with, Backend};
use crate::on_both_backends;

on_both_backends!(
    every_public_page_answers_in_french,
    unknown_pages_get_a_french_404,
    wrong_methods_get_a_french_405_and_head_works,
    policy_page_retention_table_comes_from_the_register,
    policy_page_retention_table_follows_the_configuration,
);

async fn every_public_page_answers_in_french(backend: Backend) {
    let app = spawn_app(backend).await;
    for (path, heading) in [
        ("/", "Des ascenseurs entretenus, un suivi transparent"),
        ("/services", "Nos prestations"),
        (
            "/politique-de-confidentialite",
            "Politique de confidentialité et de protection des Données",
        ),
    ] {
        let (status, headers, body) = app.get_page(path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            header(&headers, "content-type"),
            "text/html; charset=utf-8",
            "{path}"
        );
        assert!(body.starts_with("<!DOCTYPE html>"), "{path}");
        assert!(body.contains(r#"<html lang="fr">"#), "{path}");
        assert!(body.contains(heading), "{path} lacks {heading:?}");
        // The layout: navigation, policy and opt-out links, contact.
        assert!(
            body.contains(r#"aria-label="Navigation principale""#),
            "{path}"
        );
        assert!(
            body.contains(r#"href="/politique-de-confidentialite""#),
            "{path}"
        );
        assert!(
            body.contains(r#"href="/confidentialite/opposition""#),
            "{path}"
        );
        assert!(body.contains("mailto:contact@wemaintain.com"), "{path}");
        // No inline script, no third-party resource.
        assert!(!body.contains("<script"), "{path}");
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{path}"
        );
    }
    let (_, _, services) = app.get_page("/services").await;
    for offer in ["Maintenance", "Installation", "Réparation", "Travaux"] {
        assert!(services.contains(offer), "services lack {offer}");
    }
    for tool in [
        "bâtiments",
        "Demandes de maintenance",
        "Rapports d'intervention",
        "Signature du contrat en ligne",
    ] {
        assert!(services.contains(tool), "services lack {tool}");
    }
}

async fn unknown_pages_get_a_french_404(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in [
        "/nulle-part",
        "/static/absent.css",
        "/profil/../../etc/passwd",
    ] {
        let (status, headers, body) = app.get_page(path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
        assert!(body.contains("Page introuvable"), "{path}");
        assert!(body.contains(r#"<html lang="fr">"#));
        // The page quotes the request id so a person can report it.
        let id = header(&headers, "x-request-id");
        assert_eq!(id.len(), 32);
        assert!(body.contains(id));
    }
}

async fn wrong_methods_get_a_french_405_and_head_works(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.client.post(app.url("/services")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Action non permise"));

    let response = app.client.head(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "");
}

async fn policy_page_retention_table_comes_from_the_register(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, _, body) = app.get_page("/politique-de-confidentialite").await;
    for expected in [
        "Données conservées et durées de conservation",
        "Mesure d'audience du Site",
        "13 mois à compter de la collecte",
        "25 mois à compter de la collecte",
        "6 mois à compter de la collecte",
        "3 ans après le dernier échange",
        "2 ans à compter de la collecte",
        "Pendant toute la durée du compte, puis suppression",
        "90 jours à compter de la collecte",
        "5 ans après la fin du contrat",
        "3 ans après la clôture de la demande",
        "Intérêt légitime",
        "Obligation légale",
    ] {
        assert!(
            body.contains(expected),
            "the policy page lacks {expected:?}"
        );
    }
    // The sections of the client's policy document, in order.
    let sections = [
        "Objet et périmètre",
        "Les Données que WeMaintain collecte",
        "Pourquoi WeMaintain collecte et traite ces Données",
        "Sécurité des Données",
        "Prestataires de services externes",
        "Vos droits",
        "Contacter WeMaintain",
    ];
    let positions: Vec<usize> = sections
        .iter()
        .map(|s| {
            body.find(s)
                .unwrap_or_else(|| panic!("missing section {s}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "sections out of order"
    );
}

async fn policy_page_retention_table_follows_the_configuration(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.retention.set(Purpose::Audience, Period::Months(7));
        settings.retention.set(Purpose::Contact, Period::Years(1));
    })
    .await;
    let (_, _, body) = app.get_page("/politique-de-confidentialite").await;
    assert!(body.contains("7 mois à compter de la collecte"));
    assert!(!body.contains("13 mois à compter de la collecte"));
    assert!(body.contains("1 an après le dernier échange"));
    assert!(!body.contains("3 ans après le dernier échange"));
    // Other purposes keep their defaults.
    assert!(body.contains("6 mois à compter de la collecte"));
}
