use std::path::Path;

use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions as _;
use wemaintain::db::Db;

use crate::helpers::{spawn_app, Backend};

/// Readers do not wait for the writer, and a busy database makes a query
/// wait instead of failing at once.
#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_a_busy_timeout() {
    let app = spawn_app(Backend::Sqlite).await;
    let Db::Sqlite(pool) = &app.db else {
        panic!("a SQLite test app runs on SQLite");
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let timeout_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(timeout_ms, 5000);
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(foreign_keys, 1);
}

/// The SQLite migration that rewrites visitor_log's CHECK constraints
/// rebuilds the table: rows written before it keep their ids and values, and
/// the rules still hold after it.
#[tokio::test]
async fn rewriting_the_sqlite_checks_keeps_every_visitor_row_and_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("before.db"))
        .create_if_missing(true);
    let mut sqlite = options.connect().await.unwrap();
    let mut first = Migrator::new(Path::new("migrations/sqlite")).await.unwrap();
    assert_eq!(first.migrations[0].description, "visitor log");
    first.migrations = first.migrations[..1].to_vec().into();
    first.run(&mut sqlite).await.unwrap();
    for (id, device_type) in [(5, "smartphone"), (9, "crawler")] {
        sqlx::query(
            "INSERT INTO visitor_log (id, purpose, occurred_at, expires_at, ip, browser, \
             browser_version, os, os_version, device_type, manufacturer, url) \
             VALUES ($1, 'security', 1000, 2000, '203.0.113.7', 'Safari', '17', 'iOS', '17', \
             $2, 'Apple', '/services')",
        )
        .bind(id)
        .bind(device_type)
        .execute(&mut sqlite)
        .await
        .unwrap();
    }

    let all = Migrator::new(Path::new("migrations/sqlite")).await.unwrap();
    all.run(&mut sqlite).await.unwrap();

    let rows: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, purpose, device_type, manufacturer, url FROM visitor_log ORDER BY id",
    )
    .fetch_all(&mut sqlite)
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            (
                5,
                "security".into(),
                "smartphone".into(),
                Some("Apple".into()),
                "/services".into()
            ),
            (
                9,
                "security".into(),
                "crawler".into(),
                Some("Apple".into()),
                "/services".into()
            ),
        ]
    );
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'visitor_log' \
         ORDER BY name",
    )
    .fetch_all(&mut sqlite)
    .await
    .unwrap();
    assert_eq!(
        indexes,
        ["visitor_log_expires_at", "visitor_log_purpose_occurred_at"]
    );
    for (purpose, device_type) in [("contact", "pc"), ("audience", "toaster")] {
        let refused = sqlx::query(
            "INSERT INTO visitor_log (purpose, occurred_at, expires_at, ip, device_type, url) \
             VALUES ($1, 1, 2, '203.0.113.0', $2, '/')",
        )
        .bind(purpose)
        .bind(device_type)
        .execute(&mut sqlite)
        .await;
        assert!(
            refused.is_err(),
            "({purpose}, {device_type}) must break a CHECK"
        );
    }
}
