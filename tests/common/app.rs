//! `spawn_app`: starts the site in-process as `main` does, on port 0, with a
//! fresh database, and returns a client with a cookie jar.

use std::sync::Arc;

use actix_web::dev::ServerHandle;
use chrono::{TimeZone, Utc};
use wemaintain::clock::ManualClock;
use wemaintain::config::{DatabaseUrl, Settings};
use wemaintain::db::Db;
use wemaintain::metrics::Metrics;
use wemaintain::startup::Application;

use crate::common::backends::Backend;
use crate::common::database::{count_rows, fresh_postgres_database, read_visits, LoggedVisit};
use crate::common::wait;

/// What the test client says it is, unless a test says otherwise.
pub const DESKTOP_CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

/// A client with its own cookie jar that does not follow redirects.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(DESKTOP_CHROME)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// A fresh, empty database for one test, and settings that use it.
pub struct TestDatabase {
    pub settings: Settings,
    // Holds the SQLite file (and data directory) until the test ends.
    pub _dir: tempfile::TempDir,
}

pub async fn fresh_database(backend: &Backend) -> TestDatabase {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut settings = Settings::defaults(dir.path().join("data"));
    settings.bind = "127.0.0.1:0".parse().expect("loopback address");
    settings.workers = Some(1);
    settings.db_max_connections = 4;
    // The test client speaks plain http: cookies must not be `Secure`.
    settings.https = false;
    if let Backend::Postgres(admin_url) = backend {
        let url = fresh_postgres_database(admin_url, "wm_test")
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        settings.database_url = DatabaseUrl::Postgres(url);
    }
    TestDatabase {
        settings,
        _dir: dir,
    }
}

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub clock: Arc<ManualClock>,
    pub client: reqwest::Client,
    pub metrics: Arc<Metrics>,
    pub settings: Settings,
    server: ServerHandle,
    running: tokio::task::JoinHandle<std::io::Result<()>>,
    /// `None` for a second instance, which shares its first's database.
    _database: Option<TestDatabase>,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Starts the site with settings changed by `configure`.
pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let mut database = fresh_database(&backend).await;
    configure(&mut database.settings);
    start(database).await
}

/// Starts the site on a database (and data directory) that already exists.
async fn start(database: TestDatabase) -> TestApp {
    let settings = database.settings.clone();
    let mut app = start_on(settings).await;
    app._database = Some(database);
    app
}

async fn start_on(settings: Settings) -> TestApp {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap(),
    ));
    let app = Application::build_with_clock(settings.clone(), clock.clone())
        .await
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    let metrics = app.metrics();
    let server = app.handle();
    let running = tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        db,
        clock,
        client: http_client(),
        metrics,
        settings,
        server,
        running,
        _database: None,
    }
}

/// The site after a graceful stop: every queued event has been written.
pub struct StoppedApp {
    pub db: Db,
    pub settings: Settings,
    pub metrics: Arc<Metrics>,
    _database: Option<TestDatabase>,
}

impl StoppedApp {
    /// Starts the site again on the same database and data directory, with
    /// settings changed by `configure`, as a restart would.
    pub async fn restart(self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        self.db.close().await;
        let mut database = self
            ._database
            .expect("restart the instance that owns the database");
        configure(&mut database.settings);
        start(database).await
    }

    pub async fn visits(&self) -> Vec<LoggedVisit> {
        read_visits(&self.db).await
    }

    pub async fn visits_of(&self, purpose: &str) -> Vec<LoggedVisit> {
        self.visits()
            .await
            .into_iter()
            .filter(|v| v.purpose == purpose)
            .collect()
    }
}

impl TestApp {
    /// Stops the server as SIGTERM would, waits until the visitor-log queue
    /// is written, and reopens the database for the test to read.
    pub async fn stop(self) -> StoppedApp {
        self.server.stop(true).await;
        self.finish().await
    }

    /// Waits for the end of a stop started through [`TestApp::server_handle`].
    pub async fn finish(self) -> StoppedApp {
        self.running
            .await
            .expect("the server task")
            .expect("the server stops cleanly");
        let db = Db::connect(&self.settings.database_url, 2)
            .await
            .expect("reopen the database");
        StoppedApp {
            db,
            settings: self.settings,
            metrics: self.metrics,
            _database: self._database,
        }
    }

    /// A second instance of the site on the same database and data
    /// directory (so the same generated secret), on its own port, sharing
    /// no memory with this one. Its clock starts at the same instant.
    pub async fn another_instance(&self) -> TestApp {
        start_on(self.settings.clone()).await
    }

    pub fn server_handle(&self) -> ServerHandle {
        self.server.clone()
    }

    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        use wemaintain::clock::Clock;
        self.clock.now()
    }

    /// Waits until the server's own purge schedule has done its run at start
    /// (roll-up, then purge), so that it does not run over the test's rows.
    pub async fn settled(&self) {
        let storing = wemaintain::privacy::Register::default()
            .activities()
            .iter()
            .filter(|a| !a.stored_in.is_empty())
            .count();
        wait::until_true("the purge schedule's run at start", || async {
            let runs = wemaintain::privacy::purge::recent_runs(&self.db, 100)
                .await
                .expect("purge runs");
            runs.len() >= storing
        })
        .await
    }

    /// Counts the rows of a table.
    pub async fn count(&self, table: &str) -> i64 {
        count_rows(&self.db, table).await
    }
}
