use crate::helpers::{header, spawn_app, Backend};
use crate::on_both_backends;

on_both_backends!(
    healthz_reports_a_reachable_database,
    healthz_answers_503_when_the_database_is_gone,
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
