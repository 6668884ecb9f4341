//! The visitor-log writer: responses never wait for it, a full queue drops
//! and counts, and a graceful stop writes everything that was queued.

use sqlx::Connection;
use wemaintain::db::Db;
use wemaintain::privacy::Purpose;

use crate::helpers::{header, spawn_app, spawn_app_with, Backend};
use crate::on_both_backends;

on_both_backends!(
    a_stop_writes_every_queued_event_even_while_the_database_is_locked,
    a_full_queue_drops_and_counts_instead_of_blocking,
    metrics_are_exported_in_prometheus_format,
    metrics_ask_for_the_token_when_one_is_set,
    sigterm_writes_every_queued_event_before_the_process_exits,
);

/// Holds the visitor log's table locked, as a long transaction of another
/// process would, until dropped or released.
enum TableLock {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl TableLock {
    async fn take(db: &Db, url: &str) -> Self {
        match db {
            Db::Sqlite(_) => {
                let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
                sqlx::query("BEGIN IMMEDIATE")
                    .execute(&mut conn)
                    .await
                    .unwrap();
                TableLock::Sqlite(conn)
            }
            Db::Postgres(_) => {
                let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query("BEGIN").execute(&mut conn).await.unwrap();
                sqlx::query("LOCK TABLE visitor_log IN EXCLUSIVE MODE")
                    .execute(&mut conn)
                    .await
                    .unwrap();
                TableLock::Postgres(conn)
            }
        }
    }

    async fn release(self) {
        match self {
            TableLock::Sqlite(mut conn) => {
                sqlx::query("ROLLBACK").execute(&mut conn).await.unwrap();
            }
            TableLock::Postgres(mut conn) => {
                sqlx::query("ROLLBACK").execute(&mut conn).await.unwrap();
            }
        }
    }
}

async fn a_stop_writes_every_queued_event_even_while_the_database_is_locked(backend: Backend) {
    let app = spawn_app(backend).await;
    let lock = TableLock::take(&app.db, app.settings.database_url.as_str()).await;

    // Pages answer while the writer cannot write.
    for i in 0..50 {
        let response = app.get(&format!("/services?utm_source=n{i}")).await;
        assert_eq!(response.status(), 200);
    }
    assert_eq!(app.metrics.written(Purpose::Audience), 0);

    // The server stops taking requests; the queue is still unwritten.
    app.server_handle().stop(true).await;
    lock.release().await;
    let app = app.finish().await;

    assert_eq!(app.visits_of("audience").await.len(), 50);
    assert_eq!(app.visits_of("security").await.len(), 50);
    assert_eq!(app.metrics.dropped(), 0);
    assert_eq!(app.metrics.written(Purpose::Audience), 50);
    assert_eq!(app.settings.analytics_queue, 65_536);
}

async fn a_full_queue_drops_and_counts_instead_of_blocking(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.analytics_queue = 16).await;
    let lock = TableLock::take(&app.db, app.settings.database_url.as_str()).await;
    let requests = 60;
    for _ in 0..requests {
        assert_eq!(app.get("/").await.status(), 200);
    }
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("wm_visitor_queue_capacity 16"),
        "{metrics}"
    );
    let dropped_line = metrics
        .lines()
        .find(|l| l.starts_with("wm_visitor_events_dropped_total "))
        .unwrap();
    let dropped_so_far: u64 = dropped_line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(dropped_so_far > 0, "{metrics}");

    app.server_handle().stop(true).await;
    lock.release().await;
    let app = app.finish().await;
    // Every event was either written or counted as dropped (the /metrics
    // request itself left one security event).
    let events = 2 * requests + 1;
    let written = app.visits().await.len() as u64;
    assert!(written > 0 && written < events);
    assert_eq!(written + app.metrics.dropped(), events);
}

async fn metrics_are_exported_in_prometheus_format(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(header(response.headers(), "content-type").starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    for family in [
        "wm_visitor_events_written_total",
        "wm_visitor_events_dropped_total",
        "wm_visitor_queue_depth",
        "wm_visitor_batches_written_total",
        "wm_purge_runs_total",
        "wm_purge_rows_deleted_total",
    ] {
        assert!(
            text.contains(&format!("# TYPE {family} ")),
            "{family} missing:\n{text}"
        );
    }
    assert!(text.contains("wm_visitor_events_written_total{purpose=\"audience\"} "));
    assert!(text.contains("wm_purge_rows_deleted_total{purpose=\"security\"} "));
    // Every sample line is `name{labels} value` or `name value`.
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<u64>().is_ok(), "{line}");
    }
}

async fn metrics_ask_for_the_token_when_one_is_set(backend: Backend) {
    let token = "a-long-enough-metrics-token";
    let app = spawn_app_with(backend, |s| s.metrics_token = Some(token.to_owned())).await;
    assert_eq!(app.get("/metrics").await.status(), 401);
    let wrong = app
        .get_with(
            "/metrics",
            &[("Authorization", "Bearer a-long-enough-metrics-tokeN")],
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let right = app
        .get_with("/metrics", &[("Authorization", &format!("Bearer {token}"))])
        .await;
    assert_eq!(right.status(), 200);
    assert!(right.text().await.unwrap().contains("wm_purge_runs_total"));
}

/// The real binary, stopped by SIGTERM while its writer cannot write.
async fn sigterm_writes_every_queued_event_before_the_process_exits(backend: Backend) {
    let database = crate::helpers::fresh_database(&backend).await;
    let url = database.settings.database_url.as_str().to_owned();
    let data = database.settings.data_dir.to_str().unwrap().to_owned();
    let (mut child, port, lines) = crate::cli::start_binary(&[
        ("WM_DATABASE_URL", &url),
        ("WM_DATA_DIR", &data),
        ("WM_LOG", "wemaintain::startup=info,warn"),
    ]);
    // Keep reading the log so the server never blocks on a full pipe.
    let log = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());

    let db = Db::connect(&database.settings.database_url, 1)
        .await
        .unwrap();
    let lock = TableLock::take(&db, &url).await;
    let client = reqwest::Client::new();
    for _ in 0..30 {
        let response = client
            .get(format!("http://127.0.0.1:{port}/services"))
            .header("User-Agent", crate::helpers::DESKTOP_CHROME)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // Once the server refuses connections, only the writer is left.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "the server kept listening"
        );
        tokio::task::yield_now().await;
    }
    lock.release().await;

    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status}");
    let log = log.join().unwrap();
    assert!(
        log.iter().any(|line| line.contains("\"stopped\"")),
        "{log:?}"
    );
    assert_eq!(crate::helpers::count_visits(&db, "audience").await, 30);
    assert_eq!(crate::helpers::count_visits(&db, "security").await, 30);
}
