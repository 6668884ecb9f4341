//! Builds the application from its settings: database, migrations, HTTP
//! server and background jobs. `main`, the tests and the benchmarks all start
//! the site through [`Application::build`].

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};

use crate::clock::{SharedClock, SystemClock};
use crate::config::{DatabaseUrl, Settings};
use crate::db::{Db, DbError};
use crate::error_pages::error_pages;
use crate::privacy::Register;
use crate::routes;
use crate::security_headers::security_headers;
use crate::telemetry::trace_requests;

/// Why the site could not start. Each names the setting to look at.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("WM_DATA_DIR: cannot create '{}': {source}", path.display())]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("WM_DATABASE_URL: {0}")]
    Database(#[from] DbError),
    #[error("WM_BIND: cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    pub register: Register,
    pub clock: SharedClock,
}

pub struct Application {
    port: u16,
    db: Db,
    server: Server,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// As [`Application::build`], with the clock the application reads.
    pub async fn build_with_clock(
        settings: Settings,
        clock: SharedClock,
    ) -> Result<Self, StartupError> {
        let db = open_database(&settings).await?;
        db.migrate().await?;

        let listener = TcpListener::bind(settings.bind).map_err(|source| StartupError::Bind {
            addr: settings.bind,
            source,
        })?;
        let bound = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.bind,
            source,
        })?;

        let state = web::Data::new(AppState {
            db: db.clone(),
            register: Register::with_overrides(&settings.retention),
            clock,
        });
        let https = settings.https;
        let server = HttpServer::new(move || {
            // The last `wrap` runs first: tracing sees the final response,
            // error pages are drawn before the security headers are added.
            App::new()
                .app_data(state.clone())
                .wrap(error_pages())
                .wrap(Compress::default())
                .wrap(security_headers(https))
                .wrap(from_fn(trace_requests))
                .configure(routes::configure)
                .default_service(web::to(routes::not_found))
        })
        .shutdown_timeout(10);
        let server = match settings.workers {
            Some(workers) => server.workers(workers),
            None => server,
        };
        let server = server
            .listen(listener)
            .map_err(|source| StartupError::Bind {
                addr: settings.bind,
                source,
            })?
            .run();

        tracing::info!(
            address = %bound,
            database = ?db.backend(),
            "WeMaintain site listening on http://{bound}"
        );
        Ok(Self {
            port: bound.port(),
            db,
            server,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.db.close().await;
        result
    }
}

/// Connects to the configured database, creating the data directory first
/// when the database is a SQLite file.
pub async fn open_database(settings: &Settings) -> Result<Db, StartupError> {
    if let DatabaseUrl::Sqlite(_) = settings.database_url {
        std::fs::create_dir_all(&settings.data_dir).map_err(|source| StartupError::DataDir {
            path: settings.data_dir.clone(),
            source,
        })?;
    }
    Ok(Db::connect(&settings.database_url, settings.db_max_connections).await?)
}

/// `wemaintain migrate`: applies the pending migrations and returns.
pub async fn migrate(settings: &Settings) -> Result<Db, StartupError> {
    let db = open_database(settings).await?;
    db.migrate().await?;
    Ok(db)
}
