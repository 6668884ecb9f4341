use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone as _, Utc};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions as _;
use wemaintain::analytics::user_agent::classify;
use wemaintain::analytics::{insert_batch, VisitorEvent};
use wemaintain::db::{on_sqlite_handle, BeginWrite, Db};
use wemaintain::privacy::Purpose;

use crate::helpers::{spawn_app, wait, Backend};

/// The same code on each backend's pool type (the library's `on_pool!` is
/// private to it).
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            Db::Sqlite($pool) => $body,
            Db::Postgres($pool) => $body,
        }
    };
}

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

async fn count_rows(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(&sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(&sql).fetch_one(pool).await,
    }
    .expect("count rows")
}

fn visitor_event(purpose: Purpose, url: &str) -> VisitorEvent {
    let at = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap();
    VisitorEvent {
        purpose,
        occurred_at: at,
        expires_at: at + chrono::Duration::days(180),
        ip: "203.0.113.7".into(),
        device: Arc::new(classify(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        )),
        url: url.into(),
    }
}

/// A batch is written whole or not at all: when one row breaks a rule of
/// the table, the rows before it are not left behind, and the error says so.
async fn a_visitor_log_batch_is_all_or_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let good: Arc<[VisitorEvent]> = (0..300)
        .map(|i| visitor_event(Purpose::Security, &format!("/page/{i}")))
        .collect();
    insert_batch(&app.db, good)
        .await
        .expect("a valid batch is written");
    assert_eq!(count_rows(&app.db, "visitor_log").await, 300);

    // `contact` is a purpose of the register, but not one of this table.
    let mut events: Vec<VisitorEvent> = (0..300)
        .map(|i| visitor_event(Purpose::Audience, &format!("/autre/{i}")))
        .collect();
    events.push(visitor_event(Purpose::Contact, "/contact"));
    let error = insert_batch(&app.db, events.into())
        .await
        .expect_err("a row of another purpose breaks the table's CHECK");
    assert!(
        error.to_string().to_lowercase().contains("check"),
        "the error names the broken constraint: {error}"
    );
    assert_eq!(count_rows(&app.db, "visitor_log").await, 300);

    // The connection that failed went back to the pool usable.
    let again: Arc<[VisitorEvent]> = vec![visitor_event(Purpose::Audience, "/")].into();
    insert_batch(&app.db, again)
        .await
        .expect("the pool still writes");
    assert_eq!(count_rows(&app.db, "visitor_log").await, 301);
}

crate::on_both_backends!(a_visitor_log_batch_is_all_or_nothing);

/// A transaction that reads, then writes after another connection has
/// committed, still commits: on SQLite a plain `BEGIN` would fail it at once
/// with "database is locked" (the busy wait does not cover upgrading a stale
/// read), which showed as a 503 on staff validating a registration while a
/// page view was being logged.
async fn a_write_transaction_survives_a_commit_between_its_read_and_write(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let before = count_rows(&app.db, "audit_log").await;
    let insert = "INSERT INTO audit_log (occurred_at, expires_at, event, detail) VALUES (0, 4102444800000, 'test', $1)";
    on_pool!(&app.db, |pool| {
        let mut tx = pool.begin_write().await.expect("a write transaction");
        let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        // Another connection writes meanwhile, in the background: on
        // PostgreSQL it commits; on SQLite it finds this transaction's lock
        // and waits for it. The write goes on once it has.
        let (tried, other_has_tried) = tokio::sync::oneshot::channel();
        let other = tokio::spawn(other_write(app.db.clone(), insert, tried));
        other_has_tried
            .await
            .expect("the other connection tries its write");
        sqlx::query(insert)
            .bind("mine")
            .execute(&mut *tx)
            .await
            .expect("the write after the read is not refused");
        tx.commit().await.expect("the transaction commits");
        other
            .await
            .unwrap()
            .expect("the other connection's write lands too");
    });
    assert_eq!(count_rows(&app.db, "audit_log").await, before + 2);
}

crate::on_both_backends!(a_write_transaction_survives_a_commit_between_its_read_and_write);

/// Another connection's write of `insert` (detail "other"): tried once
/// without waiting for a lock, which `tried` then reports (on SQLite, a
/// write transaction open elsewhere refuses it; on PostgreSQL it commits),
/// then, if refused, through the pool, waiting as the site's writes do.
async fn other_write(
    db: Db,
    insert: &'static str,
    tried: tokio::sync::oneshot::Sender<()>,
) -> Result<(), sqlx::Error> {
    let at_once = match &db {
        Db::Sqlite(pool) => {
            let mut impatient = (*pool.connect_options())
                .clone()
                .busy_timeout(Duration::ZERO)
                .connect()
                .await?;
            let written = sqlx::query(insert)
                .bind("other")
                .execute(&mut impatient)
                .await;
            written.is_ok()
        }
        Db::Postgres(pool) => {
            sqlx::query(insert).bind("other").execute(pool).await?;
            true
        }
    };
    let _ = tried.send(());
    if at_once {
        return Ok(());
    }
    on_pool!(&db, |pool| sqlx::query(insert)
        .bind("other")
        .execute(pool)
        .await
        .map(|_| ()))
}

/// A statement with `RETURNING` whose commit fails must say so. Here the
/// commit fails on a deferred foreign key; on a full disk or an unwritable
/// file it fails the same way (bench/faults). On SQLite, `fetch_one` returns
/// the row and loses the error, so the caller would acknowledge a row that
/// was rolled back; `fetch_all` with `db::one` reports it.
async fn a_returning_statement_reports_a_failed_commit(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = &app.db;
    for sql in [
        "CREATE TABLE parents (id INTEGER PRIMARY KEY)",
        "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER \
           REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)",
    ] {
        on_pool!(db, |pool| sqlx::query(sql)
            .execute(pool)
            .await
            .map(|_| ())
            .unwrap());
    }
    let insert = "INSERT INTO children (id, parent_id) VALUES (1, 42) RETURNING id";
    let result: Result<i64, sqlx::Error> = on_pool!(db, |pool| sqlx::query_scalar(insert)
        .fetch_all(pool)
        .await
        .and_then(wemaintain::db::one));
    assert!(result.is_err(), "the failed commit is reported: {result:?}");
    let kept: i64 = on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM children"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(kept, 0, "and nothing was written");
}

crate::on_both_backends!(a_returning_statement_reports_a_failed_commit);

/// `on_sqlite_handle` hands sqlx's connection to rusqlite. Work that leaves a
/// transaction open by mistake must not return that connection to the pool
/// holding SQLite's write lock: it is closed, its transaction rolled back,
/// and other writers go on.
#[tokio::test]
async fn a_raw_sqlite_connection_left_in_a_transaction_is_not_reused() {
    let app = spawn_app(Backend::Sqlite).await;
    let Db::Sqlite(pool) = &app.db else {
        panic!("a SQLite test app runs on SQLite");
    };
    on_sqlite_handle(pool, |sqlite| {
        sqlite.execute_batch(
            "BEGIN IMMEDIATE;
             INSERT INTO purge_runs (purpose, rows_deleted, started_at, finished_at)
             VALUES ('abandoned', 0, 0, 0);",
        )
    })
    .await
    .expect("the work itself succeeds");

    // A connection that never waits for a lock: it writes as soon as the
    // abandoned transaction is gone (the pool closes that connection in a
    // task of its own, so this polls for a bounded time).
    let file = pool.connect_options().get_filename().to_path_buf();
    let impatient = SqliteConnectOptions::new()
        .filename(file)
        .busy_timeout(Duration::ZERO);
    wait::until_true("the write lock released", || {
        let impatient = impatient.clone();
        async move {
            let Ok(mut other) = impatient.connect().await else {
                return false;
            };
            sqlx::query(
                "INSERT INTO purge_runs (purpose, rows_deleted, started_at, finished_at) \
                 VALUES ('after', 0, 0, 0)",
            )
            .execute(&mut other)
            .await
            .is_ok()
        }
    })
    .await;
    let mut other = impatient.connect().await.expect("second connection");
    // (The purge that runs at start writes rows of its own.)
    let kept: Vec<String> = sqlx::query_scalar(
        "SELECT purpose FROM purge_runs WHERE purpose IN ('abandoned', 'after')",
    )
    .fetch_all(&mut other)
    .await
    .unwrap();
    assert_eq!(kept, ["after"], "the abandoned transaction was rolled back");
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
