//! Builds [`AppState`], what every handler reaches, from the settings and
//! the services start-up opened.

use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::web;

use crate::analytics::{Analytics, QueryAllowlist, TrustedProxies, VisitorLog};
use crate::auth::{CsrfKey, SiteOrigin, SiteSecret};
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::Db;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::privacy::Register;
use crate::state::AppState;

use super::StartupError;

/// What the handlers and the background jobs share.
#[derive(Clone)]
pub(super) struct Services {
    pub db: Db,
    pub register: Arc<Register>,
    pub clock: SharedClock,
    pub metrics: Arc<Metrics>,
    pub mailer: Mailer,
}

impl Services {
    pub(super) fn new(
        settings: &Settings,
        db: Db,
        clock: SharedClock,
    ) -> Result<Self, StartupError> {
        let metrics = Arc::new(Metrics::default());
        let mailer = Mailer::from_settings(settings, metrics.clone())?;
        Ok(Self {
            db,
            register: Arc::new(Register::with_overrides(&settings.retention)),
            clock,
            metrics,
            mailer,
        })
    }
}

/// Where people reach the site: its address and the one origin whose forms
/// are accepted.
pub(super) struct SiteAddress {
    pub public_url: String,
    pub origin: SiteOrigin,
}

impl SiteAddress {
    /// `WM_PUBLIC_URL`, or else the address bound (with its real port when
    /// the settings ask for port 0). Over the address bound the site speaks
    /// plain http: behind a TLS proxy, the proxy's address is not the one
    /// bound and `WM_PUBLIC_URL` must name it. Forms are accepted only from
    /// this origin, so an address no browser can open (`0.0.0.0`) is refused.
    pub(super) fn of(settings: &Settings, bound: SocketAddr) -> Result<Self, StartupError> {
        let public_url = if settings.public_url.is_some() {
            settings.public_url()
        } else if bound.ip().is_unspecified() {
            return Err(StartupError::PublicUrl(format!(
                "required when WM_BIND listens on every address ({bound}): \
                 set the address people open, e.g. https://www.wemaintain.com"
            )));
        } else {
            format!("http://{bound}")
        };
        let origin = SiteOrigin::of_public_url(&public_url).map_err(StartupError::PublicUrl)?;
        Ok(Self { public_url, origin })
    }
}

pub(super) fn app_state(
    settings: &Settings,
    services: &Services,
    address: SiteAddress,
    secret: &SiteSecret,
    visitor_log: Option<VisitorLog>,
) -> web::Data<AppState> {
    web::Data::new(AppState {
        db: services.db.clone(),
        register: services.register.clone(),
        clock: services.clock.clone(),
        metrics: services.metrics.clone(),
        visitor_log,
        https: settings.https,
        metrics_token: settings.metrics_token.clone(),
        mailer: services.mailer.clone(),
        csrf_key: CsrfKey::new(secret.derive(b"csrf")),
        public_url: address.public_url,
        site_origin: address.origin,
        body_timeout: settings.body_timeout,
        session_idle: settings.session_idle,
        session_lifetime: settings.session_lifetime,
        proxies: TrustedProxies::new(settings.trusted_proxies.clone()),
        min_group: settings.min_group,
        goals: std::sync::Arc::new(settings.analytics_goals.clone()),
        running_days: std::sync::Arc::default(),
        emergency_phone: settings.emergency_phone.clone(),
    })
}

/// What the visitor-log middleware reads; `None` when `WM_ANALYTICS=off`.
pub(super) fn analytics(
    settings: &Settings,
    services: &Services,
    visitor_log: Option<VisitorLog>,
) -> Option<web::Data<Analytics>> {
    visitor_log.map(|log| {
        web::Data::new(Analytics::new(
            log,
            TrustedProxies::new(settings.trusted_proxies.clone()),
            QueryAllowlist::new(settings.query_allowlist.clone()),
            &services.register,
            services.clock.clone(),
        ))
    })
}
