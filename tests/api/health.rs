use wemaintain::auth::Role;

use crate::helpers::{create_account, header, spawn_app, Backend, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    healthz_reports_a_reachable_database,
    healthz_answers_503_when_the_database_is_gone,
    a_logged_in_person_still_reads_public_pages_while_the_database_is_gone,
);

async fn healthz_reports_a_reachable_database(backend: Backend) {
    let expected_backend = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres(_) => "postgres",
    };
    let app = spawn_app(backend).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert!(header(response.headers(), "cache-control").contains("no-store"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["reachable"], true);
    assert_eq!(body["database"]["backend"], expected_backend);
    // The injected clock, not the wall clock.
    assert_eq!(body["checked_at"], "2026-03-02T09:30:00+00:00");
    app.clock.advance(chrono::Duration::days(1));
    let body: serde_json::Value = app.get("/healthz").await.json().await.unwrap();
    assert_eq!(body["checked_at"], "2026-03-03T09:30:00+00:00");
}

async fn healthz_answers_503_when_the_database_is_gone(backend: Backend) {
    let app = spawn_app(backend).await;
    app.db.close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 503);
    assert!(header(response.headers(), "content-type").starts_with("application/json"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"]["reachable"], false);
    // Pages that need no database still answer.
    assert_eq!(app.get("/").await.status(), 200);
}

/// A session cannot be read without the database. Public pages are still
/// served (as to an anonymous visitor), pages that need the login answer the
/// French 503 page rather than a 500 or the login form, and a form answers
/// 503 without storing anything. bench/faults checks the recovery on a
/// PostgreSQL server that is really stopped and started again.
async fn a_logged_in_person_still_reads_public_pages_while_the_database_is_gone(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, "claire@exemple.fr").await;
    let browser = app.browser();
    browser.login_ok("claire@exemple.fr", PASSWORD).await;
    assert_eq!(browser.get("/profil").await.status(), 200);
    let token = browser.csrf_token().await;
    app.db.close().await;

    for path in [
        "/",
        "/services",
        "/politique-de-confidentialite",
        "/connexion",
    ] {
        let (status, page) = browser.get_page(path).await;
        assert_eq!(status, 200, "{path} while the database is gone");
        assert!(page.contains("</html>"), "{path}: a whole page");
    }
    for path in ["/profil", "/admin"] {
        let (status, page) = browser.get_page(path).await;
        assert_eq!(status, 503, "{path} while the database is gone");
        assert!(
            page.contains("Service momentanément indisponible"),
            "{path}: the French page, got {page}"
        );
    }
    let response = browser
        .client
        .post(browser.url("/contact"))
        .form(&[
            ("csrf", token.as_str()),
            ("prenom", "Claire"),
            ("nom", "Martin"),
            ("email", "claire@exemple.fr"),
            ("telephone", "0612345678"),
            ("message", "Une question pendant la panne."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Service momentanément indisponible"),
        "{page}"
    );
}
