//! The database side of a test: a fresh PostgreSQL database per test, and
//! the few reads and writes tests do on either backend.

use sqlx::Connection;
use wemaintain::db::Db;

use crate::common::backends::postgres_url_of;

/// Creates `<prefix>_<random>` on the PostgreSQL server at `admin_url` and
/// returns its URL.
pub async fn fresh_postgres_database(admin_url: &str, prefix: &str) -> Result<String, String> {
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .map_err(|e| format!("WM_TEST_POSTGRES_URL does not answer: {e}"))?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .map_err(|e| format!("create the test database: {e}"))?;
    let _ = admin.close().await;
    Ok(postgres_url_of(admin_url, &name))
}

/// Runs one SQL statement on either backend.
pub async fn execute(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    match db {
        Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
    }
}

/// One integer from a query, on either backend.
pub async fn scalar(db: &Db, sql: &str) -> i64 {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect(sql)
}

/// The number of rows of a table.
pub async fn count_rows(db: &Db, table: &str) -> i64 {
    scalar(db, &format!("SELECT COUNT(*) FROM {table}")).await
}

/// A visitor-log row as the tests read it back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LoggedVisit {
    pub purpose: String,
    pub occurred_at: i64,
    pub expires_at: i64,
    pub ip: String,
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub device_type: String,
    pub manufacturer: Option<String>,
    pub url: String,
}

pub async fn read_visits(db: &Db) -> Vec<LoggedVisit> {
    const SQL: &str = "SELECT purpose, occurred_at, expires_at, ip, browser, browser_version, \
        os, os_version, device_type, manufacturer, url FROM visitor_log ORDER BY id";
    match db {
        Db::Sqlite(pool) => sqlx::query_as(SQL).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(SQL).fetch_all(pool).await,
    }
    .expect("read visitor_log")
}

pub async fn count_visits(db: &Db, purpose: &str) -> i64 {
    const SQL: &str = "SELECT COUNT(*) FROM visitor_log WHERE purpose = $1";
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(SQL).bind(purpose).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(SQL).bind(purpose).fetch_one(pool).await,
    }
    .expect("count visitor_log rows")
}
