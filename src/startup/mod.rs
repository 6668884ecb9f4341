//! Builds the application from its settings: database, migrations, HTTP
//! server and background jobs. `main`, the tests and the benchmarks all start
//! the site through [`Application::build`].

mod housekeeping;
mod jobs;
mod server;
mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};

use crate::auth::SiteSecret;
use crate::clock::{SharedClock, SystemClock};
use crate::config::{DatabaseUrl, Settings};
use crate::db::{Db, DbError};
use crate::metrics::Metrics;

use jobs::Jobs;
use state::{Services, SiteAddress};

/// Why the site could not start. Each names the setting to look at.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("WM_DATA_DIR : impossible de créer « {} » : {source}", path.display())]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("WM_DATABASE_URL : {0}")]
    Database(#[from] DbError),
    #[error("WM_SECRET_KEY : {0}")]
    Secret(#[from] crate::auth::secret::SecretError),
    #[error("e-mail : {0}")]
    Mail(#[from] crate::mail::MailError),
    #[error("WM_PUBLIC_URL : {0}")]
    PublicUrl(String),
    #[error("WM_BIND : impossible d'écouter sur {addr} : {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub struct Application {
    port: u16,
    db: Db,
    server: Server,
    jobs: Jobs,
    metrics: Arc<Metrics>,
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
        let db = migrate(&settings).await?;
        let secret = SiteSecret::load(settings.secret_key.as_deref(), &settings.data_dir)?;
        let (listener, bound) = server::bind(settings.bind)?;
        let address = SiteAddress::of(&settings, bound)?;
        let services = Services::new(&settings, db.clone(), clock)?;
        // Before the writer starts; the DEFAULT partition would take the
        // rows otherwise, so a failure is logged, not fatal.
        let now = services.clock.now();
        if let Err(error) = crate::analytics::partitions::ensure_coming_months(&db, now).await {
            tracing::error!(%error, "visitor log: coming month partitions not created");
        }
        let (jobs, visitor_log) = Jobs::start(&settings, &services, &address.public_url);
        let analytics = state::analytics(&settings, &services, visitor_log.clone());
        let state = state::app_state(&settings, &services, address, &secret, visitor_log);
        let server = server::serve(&settings, listener, state, analytics, secret)?;
        if settings.emergency_phone.is_none() {
            tracing::warn!(
                "WM_EMERGENCY_PHONE n'est pas défini : les demandes urgentes n'afficheront \
                 aucun numéro d'astreinte (aucune page ni aucun e-mail n'en proposera)"
            );
        }
        tracing::info!(
            address = %bound,
            database = ?db.backend(),
            "WeMaintain site listening on http://{bound}"
        );
        Ok(Self {
            port: bound.port(),
            db,
            server,
            jobs,
            metrics: services.metrics,
        })
    }

    /// Stops the server from another task (tests, benchmarks).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until SIGINT or SIGTERM (or a stop through [`Self::handle`]),
    /// finishes the requests in flight, writes every queued visitor event,
    /// then closes the database.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.jobs.stop().await;
        tracing::info!("stopped");
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
