//! Builds the application from its settings: database, migrations, HTTP
//! server and background jobs. `main`, the tests and the benchmarks all start
//! the site through [`Application::build`].

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{from_fn, Compress, Condition};
use actix_web::{web, App, HttpServer};

use crate::analytics::{self, Analytics, QueryAllowlist, TrustedProxies};
use crate::auth::csrf::set_minted_token;
use crate::auth::roles::load_viewer;
use crate::auth::session::{session_middleware, session_store_errors, DbSessionStore};
use crate::auth::{CsrfKey, SiteOrigin, SiteSecret};
use crate::clock::{SharedClock, SystemClock};
use crate::config::{DatabaseUrl, Settings};
use crate::db::{Db, DbError};
use crate::http::error_pages::error_pages;
use crate::http::security_headers::security_headers;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::privacy::purge::PurgeSchedule;
use crate::privacy::Register;
use crate::routes;
pub use crate::state::AppState;
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
    #[error("WM_SECRET_KEY: {0}")]
    Secret(#[from] crate::auth::secret::SecretError),
    #[error("e-mail: {0}")]
    Mail(#[from] crate::mail::MailError),
    #[error("WM_PUBLIC_URL: {0}")]
    PublicUrl(String),
    #[error("WM_BIND: cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// How long a stop waits for e-mails still being sent (a message waiting
/// for its next retry is not waited for that long).
const MAIL_FLUSH_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

pub struct Application {
    port: u16,
    db: Db,
    server: Server,
    writer: Option<analytics::writer::Writer>,
    purge: PurgeSchedule,
    metrics: Arc<Metrics>,
    mailer: Mailer,
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
        let secret = SiteSecret::load(settings.secret_key.as_deref(), &settings.data_dir)?;

        let listener = TcpListener::bind(settings.bind).map_err(|source| StartupError::Bind {
            addr: settings.bind,
            source,
        })?;
        let bound = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.bind,
            source,
        })?;

        let public_url = public_url(&settings, bound)?;
        let site_origin =
            SiteOrigin::of_public_url(&public_url).map_err(StartupError::PublicUrl)?;

        let register = Arc::new(Register::with_overrides(&settings.retention));
        let metrics = Arc::new(Metrics::default());
        let mailer = Mailer::from_settings(&settings, metrics.clone())?;
        let (visitor_log, writer) = if settings.analytics {
            let (log, writer) =
                analytics::writer::spawn(db.clone(), settings.analytics_queue, metrics.clone());
            (Some(log), Some(writer))
        } else {
            (None, None)
        };
        let analytics = visitor_log.clone().map(|log| {
            web::Data::new(Analytics::new(
                log,
                TrustedProxies::new(settings.trusted_proxies.clone()),
                QueryAllowlist::new(settings.query_allowlist.clone()),
                &register,
                clock.clone(),
            ))
        });
        let purge = PurgeSchedule::spawn(
            db.clone(),
            register.clone(),
            clock.clone(),
            settings.purge_interval,
            settings.purge_batch,
            metrics.clone(),
        );
        let state = web::Data::new(AppState {
            db: db.clone(),
            register,
            clock,
            metrics: metrics.clone(),
            visitor_log,
            https: settings.https,
            metrics_token: settings.metrics_token.clone(),
            mailer: mailer.clone(),
            csrf_key: CsrfKey::new(secret.derive(b"csrf")),
            public_url,
            site_origin,
            body_timeout: settings.body_timeout,
            session_idle: settings.session_idle,
            session_lifetime: settings.session_lifetime,
            proxies: TrustedProxies::new(settings.trusted_proxies.clone()),
            min_group: settings.min_group,
        });
        // One store for every worker, so that all of them know at once
        // when the database stopped answering.
        let session_store = DbSessionStore::new(db.clone(), state.clock.clone());
        let session_lifetime = settings.session_lifetime;
        let https = settings.https;
        let analytics_on = settings.analytics;
        let server = HttpServer::new(move || {
            // The last `wrap` runs first: tracing sees the final response,
            // error pages are drawn before the visitor log reads the status
            // and before the security headers are added.
            // Forms are read whole up to the size the CSRF check allows
            // (actix-web's default, 16 KiB, would cut a long question).
            let mut app = App::new()
                .app_data(state.clone())
                .app_data(web::FormConfig::default().limit(crate::auth::csrf::MAX_FORM_BYTES));
            if let Some(analytics) = &analytics {
                app = app.app_data(analytics.clone());
            }
            // Sessions are read before the viewer is loaded from them; the
            // router puts the CSRF check on each resource with a POST route.
            app.wrap(from_fn(set_minted_token))
                .wrap(from_fn(load_viewer))
                .wrap(session_middleware(
                    session_store.clone(),
                    &secret,
                    https,
                    session_lifetime,
                ))
                .wrap(from_fn(session_store_errors))
                .wrap(error_pages())
                .wrap(Compress::default())
                .wrap(Condition::new(
                    analytics_on,
                    from_fn(analytics::record_visits),
                ))
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
            writer,
            purge,
            metrics,
            mailer,
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
        self.purge.stop().await;
        let unsent = self.mailer.flush(MAIL_FLUSH_LIMIT).await;
        if unsent > 0 {
            tracing::warn!(unsent, "stopped with e-mails still waiting for a retry");
        }
        if let Some(writer) = self.writer {
            writer.flush_and_stop().await;
        }
        self.db.close().await;
        tracing::info!("stopped");
        result
    }
}

/// `WM_PUBLIC_URL`, or else the address bound (with its real port when the
/// settings ask for port 0). Over the address bound the site speaks plain
/// http: behind a TLS proxy, the proxy's address is not the one bound and
/// `WM_PUBLIC_URL` must name it. Forms are accepted only from this origin,
/// so an address no browser can open (`0.0.0.0`) is refused.
fn public_url(settings: &Settings, bound: SocketAddr) -> Result<String, StartupError> {
    if settings.public_url.is_some() {
        return Ok(settings.public_url());
    }
    if bound.ip().is_unspecified() {
        return Err(StartupError::PublicUrl(format!(
            "required when WM_BIND listens on every address ({bound}): \
             set the address people open, e.g. https://www.wemaintain.com"
        )));
    }
    Ok(format!("http://{bound}"))
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
