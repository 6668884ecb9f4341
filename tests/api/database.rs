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
