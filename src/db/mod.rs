//! The database: SQLite (embedded, the default) or PostgreSQL (several
//! instances sharing one database), chosen at start from the URL.
//!
//! Callers hold a [`Db`] and never see which backend it is. Modules that own
//! tables write their SQL once, with `$1`-style placeholders that both
//! dialects accept, and run it with [`on_pool!`], which expands the same code
//! for each pool type. Where the dialects differ, the difference stays in the
//! owning module next to the shared query. Timestamps are stored on both as
//! `BIGINT` milliseconds since the Unix epoch, UTC (see [`millis`]), so that
//! comparisons, day buckets and purges are the same SQL everywhere.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex as StdMutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};

use crate::config::DatabaseUrl;

pub mod pagination;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// How long start-up waits for the database to answer before giving up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request waits for a free connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long SQLite waits on a lock held by another connection or process.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("base de données injoignable : {0}")]
    Unreachable(#[source] sqlx::Error),
    #[error("la base de données n'a pas répondu en {} s", .0.as_secs())]
    Timeout(Duration),
    #[error("impossible d'appliquer les migrations : {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "après les migrations, des lignes ({0}) renvoient à un parent absent (PRAGMA foreign_key_check)"
    )]
    BrokenForeignKeys(usize),
    #[error("requête refusée par la base : {0}")]
    Query(#[from] sqlx::Error),
    #[error("instruction SQLite en échec : {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("la tâche de base de données s'est arrêtée anormalement : {0}")]
    Task(#[from] tokio::task::JoinError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool on one of the two backends. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code against whichever pool `db` holds:
/// `on_pool!(db, |pool| sqlx::query(SQL).bind(x).execute(pool).await)`.
/// Each arm is compiled against its own driver, so types are checked for both.
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
// Modules that own tables import it as `crate::db::on_pool`.
#[allow(unused_imports)]
pub(crate) use on_pool;

/// SQLite opens a file it cannot write read-only, without an error. Such a
/// connection, opened while the file was unwritable (bench/faults), serves
/// the request it was opened for; kept in the pool, it would go on refusing
/// every write after the file was writable again. So a read-only connection
/// is never handed out twice: a fresh one is opened instead (a fraction of a
/// millisecond), which is sound as soon as the file is.
async fn is_read_only(connection: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    let mut locked = connection.lock_handle().await?;
    // SAFETY: while `locked` lives, sqlx's connection thread makes no call on
    // this handle; a connection made by `from_handle` never closes it, and it
    // is dropped before `locked` is.
    unsafe { rusqlite::Connection::from_handle(locked.as_raw_handle().as_ptr()) }
        .and_then(|sqlite| sqlite.is_readonly(rusqlite::DatabaseName::Main))
        .map_err(|error| sqlx::Error::Protocol(error.to_string()))
}

/// The one row of a statement with `RETURNING`, read with `fetch_all`.
///
/// On SQLite a statement outside a transaction commits when it is stepped
/// past its last row. `fetch_one` and `fetch_optional` stop at the first row,
/// and then a failed commit (a full disk, an I/O error) is never reported:
/// the site would acknowledge a form whose row was rolled back (found by
/// `bench/faults`). `fetch_all` steps to the end and returns that error.
pub fn one<T>(rows: Vec<T>) -> Result<T, sqlx::Error> {
    rows.into_iter().next().ok_or(sqlx::Error::RowNotFound)
}

/// Like [`one`], for a statement that may change no row.
pub fn first<T>(rows: Vec<T>) -> Option<T> {
    rows.into_iter().next()
}

/// Starts a transaction that is going to write.
///
/// On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`). A plain
/// `BEGIN` reads first; if another connection commits before this one's
/// first write, SQLite cannot upgrade the stale snapshot and answers
/// `SQLITE_BUSY` at once, without the busy wait, so a staff click failed
/// with a 503 whenever a page view was written at the same moment.
/// PostgreSQL waits on row locks by itself.
pub trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>,
    > + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

impl Db {
    /// Opens a pool and checks, with one real connection, that the database
    /// answers; the error says why when it does not.
    pub async fn connect(url: &DatabaseUrl, max_connections: u32) -> Result<Db, DbError> {
        let db = match url {
            DatabaseUrl::Sqlite(url) => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(DbError::Unreachable)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true)
                    .disable_statement_logging();
                probe(options.connect()).await?;
                Db::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(max_connections)
                        .acquire_timeout(ACQUIRE_TIMEOUT)
                        .before_acquire(|connection, _| {
                            Box::pin(async move { Ok(!is_read_only(connection).await?) })
                        })
                        .connect_lazy_with(options),
                )
            }
            DatabaseUrl::Postgres(url) => {
                let options = PgConnectOptions::from_str(url)
                    .map_err(DbError::Unreachable)?
                    .application_name("wemaintain")
                    .disable_statement_logging();
                probe(options.connect()).await?;
                Db::Postgres(
                    PgPoolOptions::new()
                        .max_connections(max_connections)
                        .acquire_timeout(ACQUIRE_TIMEOUT)
                        .connect_lazy_with(options),
                )
            }
        };
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the pending migrations of this backend. On PostgreSQL sqlx
    /// holds an advisory lock meanwhile, so instances starting together are safe.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => {
                // Rebuilding a table that others refer to (SQLite cannot
                // add AUTOINCREMENT or change a CHECK in place) needs foreign
                // keys off: with them on, dropping the old table would run
                // its ON DELETE CASCADE. SQLite ignores that pragma inside
                // the transaction sqlx runs each migration in, so the
                // migrations run on their own connection opened with foreign
                // keys off, and every reference is checked afterwards.
                let options = (*pool.connect_options()).clone().foreign_keys(false);
                let mut conn = options.connect().await.map_err(DbError::Unreachable)?;
                SQLITE_MIGRATIONS.run(&mut conn).await?;
                let broken = sqlx::query("PRAGMA foreign_key_check")
                    .fetch_all(&mut conn)
                    .await?
                    .len();
                conn.close().await?;
                if broken > 0 {
                    return Err(DbError::BrokenForeignKeys(broken));
                }
            }
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// A round trip to the database, bounded in time.
    pub async fn ping(&self, timeout: Duration) -> Result<(), DbError> {
        let query = async {
            on_pool!(self, |pool| sqlx::query("SELECT 1")
                .execute(pool)
                .await
                .map(|_| ()))
        };
        // On SQLite this reads no file. Never check the file by opening it
        // separately: closing any descriptor of the database file drops
        // every POSIX lock SQLite holds on it in this process, and another
        // process writing then corrupts it (found when /healthz did that).
        match tokio::time::timeout(timeout, query).await {
            Ok(result) => result.map_err(DbError::Query),
            Err(_) => Err(DbError::Timeout(timeout)),
        }
    }

    /// Waits for this process's turn to write to a SQLite file (see
    /// [`WRITE_TURNS`]); `None` on PostgreSQL, which needs no turns. Hold
    /// the guard for one transaction, not across pauses.
    pub async fn write_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        let Db::Sqlite(pool) = self else {
            return None;
        };
        let file = pool.connect_options().get_filename().to_path_buf();
        let turns = WRITE_TURNS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(file)
            .or_default()
            .clone();
        Some(turns.lock_owned().await)
    }

    /// Closes every connection; later queries fail. Used at shutdown.
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }
}

/// Runs `work` on one pooled SQLite connection through rusqlite's API, on a
/// thread of Tokio's blocking pool, and returns its result.
///
/// For hot paths only: sqlx copies every bound value and hands each statement
/// to the connection's own thread, which costs more than SQLite's work for a
/// small row (`docs/benchmarks.md`). Here the statement runs on the raw
/// connection handle that sqlx lends for this purpose (`lock_handle`), with
/// values borrowed in place. SQLite's busy wait (up to 5 s) then blocks a
/// blocking-pool thread, never a runtime worker.
///
/// `work` must leave no transaction open (rusqlite's `Transaction` rolls back
/// on drop); if one is left all the same, the connection is closed rather
/// than returned to the pool in that state.
pub async fn on_sqlite_handle<T, F>(pool: &SqlitePool, work: F) -> Result<T, DbError>
where
    F: FnOnce(&rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
    T: Send + 'static,
{
    let mut pooled = pool.acquire().await?;
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut locked = runtime.block_on(pooled.lock_handle())?;
        // SAFETY: while `locked` lives, sqlx's connection thread makes no call
        // on this handle (the guarantee of `LockedSqliteHandle`). A
        // connection made by `from_handle` never closes the handle, and it is
        // dropped before `locked` is.
        let connection =
            unsafe { rusqlite::Connection::from_handle(locked.as_raw_handle().as_ptr()) }?;
        let result = work(&connection);
        let left_in_transaction = !connection.is_autocommit();
        drop(connection);
        drop(locked);
        if left_in_transaction {
            pooled.close_on_drop();
        }
        Ok(result?)
    })
    .await?
}

/// SQLite lets one connection write at a time. A connection that finds the
/// file locked waits in SQLite's busy handler, which sleeps in growing steps
/// (up to 100 ms) and can keep missing the short gaps between another
/// writer's transactions: under load, the visitor-log writer stalled behind
/// a long purge and its queue overflowed. The writers of this process that
/// compete (the visitor-log writer, the purge) take turns here instead, first
/// come first served, one queue per database file.
static WRITE_TURNS: LazyLock<StdMutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> =
    LazyLock::new(Default::default);

async fn probe<C: Connection>(
    connect: impl std::future::Future<Output = Result<C, sqlx::Error>>,
) -> Result<(), DbError> {
    match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(Ok(connection)) => {
            // A failed goodbye does not make the database unreachable.
            let _ = connection.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(DbError::Unreachable(e)),
        Err(_) => Err(DbError::Timeout(CONNECT_TIMEOUT)),
    }
}

/// The stored form of an instant on both backends: milliseconds since the
/// Unix epoch, UTC.
pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// The instant a stored millisecond count stands for (saturating on values
/// no clock can produce).
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(if ms < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// A transaction on either backend, for work split into named steps that
/// are written once for both: `async fn delete_sessions(tx: &mut Tx, user:
/// i64)` runs [`Sql`] statements on it. Chosen over functions generic over
/// `sqlx::Database`: the bounds sqlx asks for (`Executor` on the connection,
/// `Encode` and `Type` on every bound value, `FromRow` on every row) are not
/// implied by a trait that bundles them, so every step would repeat them.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Db {
    /// Starts a transaction that is going to write (see [`BeginWrite`]).
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_write().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin_write().await?),
        })
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// A value bound to a [`Sql`] statement.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Arg {
    fn from(value: i64) -> Arg {
        Arg::Int(Some(value))
    }
}

impl From<Option<i64>> for Arg {
    fn from(value: Option<i64>) -> Arg {
        Arg::Int(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Arg {
        Arg::Text(Some(value.to_owned()))
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Arg {
        Arg::Text(Some(value))
    }
}

impl From<Option<&str>> for Arg {
    fn from(value: Option<&str>) -> Arg {
        Arg::Text(value.map(str::to_owned))
    }
}

impl From<&Option<String>> for Arg {
    fn from(value: &Option<String>) -> Arg {
        Arg::Text(value.clone())
    }
}

/// Where a [`Sql`] statement runs: a pool (`&Db`) or a transaction (`&mut Tx`).
pub enum Target<'a> {
    SqlitePool(&'a SqlitePool),
    PgPool(&'a PgPool),
    Sqlite(&'a mut sqlx::SqliteConnection),
    Postgres(&'a mut sqlx::PgConnection),
}

pub trait RunsSql<'a> {
    fn target(self) -> Target<'a>;
}

impl<'a> RunsSql<'a> for &'a Db {
    fn target(self) -> Target<'a> {
        match self {
            Db::Sqlite(pool) => Target::SqlitePool(pool),
            Db::Postgres(pool) => Target::PgPool(pool),
        }
    }
}

impl<'a> RunsSql<'a> for &'a mut Tx {
    fn target(self) -> Target<'a> {
        match self {
            Tx::Sqlite(tx) => Target::Sqlite(&mut *tx),
            Tx::Postgres(tx) => Target::Postgres(&mut *tx),
        }
    }
}

/// A row type that both drivers decode (a tuple of plain values, or a
/// struct deriving `sqlx::FromRow`).
pub trait FromEitherRow:
    for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
    + Send
    + Unpin
{
}

impl<O> FromEitherRow for O where
    O: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin
{
}

/// One statement and its values, written once and run on either backend:
/// `Sql::new("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx)`.
/// Rows are read into types that both drivers decode.
#[must_use = "a statement runs only when executed or fetched"]
pub struct Sql {
    text: String,
    args: Vec<Arg>,
}

/// Expands `$run` once per driver: `$query` is the statement built with
/// `$make` (`sqlx::query` or `sqlx::query_as`) and its values bound, `$on`
/// the pool or connection it runs on.
macro_rules! per_driver {
    ($sql:expr, $target:expr, $make:path, |$query:ident, $on:ident| $run:expr) => {
        match $target {
            Target::SqlitePool($on) => {
                let $query = per_driver!(@bind $sql, $make);
                $run
            }
            Target::Sqlite($on) => {
                let $query = per_driver!(@bind $sql, $make);
                $run
            }
            Target::PgPool($on) => {
                let $query = per_driver!(@bind $sql, $make);
                $run
            }
            Target::Postgres($on) => {
                let $query = per_driver!(@bind $sql, $make);
                $run
            }
        }
    };
    (@bind $sql:expr, $make:path) => {{
        let mut query = $make(&$sql.text);
        for arg in &$sql.args {
            query = match arg {
                Arg::Int(value) => query.bind(*value),
                Arg::Text(value) => query.bind(value.clone()),
            };
        }
        query
    }};
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Sql {
        Sql {
            text: text.into(),
            args: Vec::new(),
        }
    }

    pub fn bind(mut self, value: impl Into<Arg>) -> Sql {
        self.args.push(value.into());
        self
    }

    /// Runs the statement; the number of rows it changed.
    pub async fn execute<'a>(self, on: impl RunsSql<'a>) -> Result<u64, sqlx::Error> {
        per_driver!(self, on.target(), sqlx::query, |query, on| query
            .execute(on)
            .await
            .map(|done| done.rows_affected()))
    }

    /// Every row, in order.
    pub async fn fetch_all<'a, O>(self, on: impl RunsSql<'a>) -> Result<Vec<O>, sqlx::Error>
    where
        O: FromEitherRow,
    {
        per_driver!(self, on.target(), sqlx::query_as, |query, on| query
            .fetch_all(on)
            .await)
    }

    /// The first row, if any (reads only: see [`one`] for a `RETURNING`).
    pub async fn fetch_optional<'a, O>(self, on: impl RunsSql<'a>) -> Result<Option<O>, sqlx::Error>
    where
        O: FromEitherRow,
    {
        per_driver!(self, on.target(), sqlx::query_as, |query, on| query
            .fetch_optional(on)
            .await)
    }

    /// The one value of a one-row, one-column query (`SELECT COUNT(*)…`).
    pub async fn fetch_value<'a, T>(self, on: impl RunsSql<'a>) -> Result<T, sqlx::Error>
    where
        (T,): FromEitherRow,
    {
        let row: Option<(T,)> = self.fetch_optional(on).await?;
        row.map(|(value,)| value).ok_or(sqlx::Error::RowNotFound)
    }
}

/// The one row of `sql` whose `$1` is a record's id and `$2` the company it
/// must belong to (`None`, where the query allows it, reads any company's:
/// staff pages).
pub async fn record_of_company<O: FromEitherRow>(
    db: &Db,
    sql: String,
    id: i64,
    company: impl Into<Arg>,
) -> Result<Option<O>, DbError> {
    Ok(Sql::new(sql)
        .bind(id)
        .bind(company)
        .fetch_optional(db)
        .await?)
}
