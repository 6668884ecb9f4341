//! What every handler can reach, built once at start-up by `startup`.

use std::sync::Arc;

use crate::analytics::{TrustedProxies, VisitorLog};
use crate::auth::{CsrfKey, SiteOrigin};
use crate::clock::SharedClock;
use crate::db::Db;
use crate::domain::EmergencyPhone;
use crate::http::client_ip::ClientIp;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::privacy::Register;

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    pub register: Arc<Register>,
    pub clock: SharedClock,
    pub metrics: Arc<Metrics>,
    /// The visitor-log queue; `None` when `WM_ANALYTICS=off`.
    pub visitor_log: Option<VisitorLog>,
    /// Cookies are marked `Secure` when the site is served over TLS.
    pub https: bool,
    /// The bearer token `/metrics` asks for, if any.
    pub metrics_token: Option<String>,
    pub mailer: Mailer,
    pub csrf_key: CsrfKey,
    /// The site's address in links sent by e-mail.
    pub public_url: String,
    /// The origin of `public_url`: the only one whose forms are accepted.
    pub site_origin: SiteOrigin,
    /// A request body must arrive whole within this time.
    pub body_timeout: std::time::Duration,
    pub session_idle: std::time::Duration,
    pub session_lifetime: std::time::Duration,
    pub proxies: TrustedProxies,
    /// The on-call number (`WM_EMERGENCY_PHONE`); `None`: no page or
    /// e-mail promises an on-call line.
    pub emergency_phone: Option<EmergencyPhone>,
    /// Statistics rows of fewer visitors are merged into « Autres ».
    pub min_group: i64,
    /// The goals and funnels of the statistics.
    pub goals: std::sync::Arc<crate::analytics::goals::Goals>,
    /// Today's statistics, counted as the day goes.
    pub running_days: std::sync::Arc<crate::analytics::today::RunningDays>,
}

impl AppState {
    /// The client's full IP address, for the audit log and login throttling:
    /// the one the client-IP middleware stored, or worked out now.
    pub fn client_ip(&self, req: &actix_web::HttpRequest) -> String {
        ClientIp::of_request(req, &self.proxies).to_string()
    }
}
