//! First-party visitor analytics, limited to what the privacy policy lists.
//!
//! Every request to a dynamic route leaves one `security` row (full IP;
//! legitimate interest: fraud and attack detection). Every HTML page view
//! answered 2xx to a human visitor who has not objected also leaves one
//! `audience` row (IP truncated). Both go into the one `visitor_log` table,
//! through a bounded queue and a batching writer, so that no response waits
//! for the database.

pub mod routes;
pub mod views;

mod client_ip;
pub mod counting;
pub mod days;
pub mod dimension;
pub mod filters;
pub mod goals;
pub mod live;
pub mod mail_reports;
mod middleware;
pub mod monthly;
mod objection;
pub mod partitions;
pub mod period;
mod raw_rows;
pub mod reports;
pub mod rollup;
pub mod series;
pub mod slices;
mod store;
pub mod tables;
pub mod today;
mod url;
pub mod user_agent;
pub mod versions;
pub mod visit_report;
pub mod visits;
pub mod writer;

use std::net::IpAddr;
use std::sync::Arc;

use actix_web::http::StatusCode;

pub use client_ip::{TruncatedIp, TrustedProxies};
pub use middleware::record_visits;
pub use objection::{
    objection_cookie, withdrawal_cookie, AudienceChoice, OPT_OUT_COOKIE, OPT_OUT_LIFETIME_DAYS,
};
pub use store::{insert_batch, VisitorEvent};
pub use url::{QueryAllowlist, MAX_LOGGED_URL_LEN};
pub use user_agent::{Device, DeviceType, UserAgentClassifier};
pub use writer::VisitorLog;

use crate::clock::SharedClock;
use crate::privacy::{Purpose, Register, RetentionWindow};

/// Everything the middleware needs, built once at start.
pub struct Analytics {
    log: VisitorLog,
    proxies: TrustedProxies,
    allowlist: QueryAllowlist,
    classifier: UserAgentClassifier,
    audience_retention: RetentionWindow,
    security_retention: RetentionWindow,
    clock: SharedClock,
}

/// What the middleware notes about a request before it is answered.
pub struct Visit {
    occurred_at: chrono::DateTime<chrono::Utc>,
    ip: IpAddr,
    device: Arc<Device>,
    url: String,
    choice: AudienceChoice,
    is_get: bool,
}

impl Analytics {
    pub fn new(
        log: VisitorLog,
        proxies: TrustedProxies,
        allowlist: QueryAllowlist,
        register: &Register,
        clock: SharedClock,
    ) -> Self {
        user_agent::warm_up();
        Self {
            log,
            proxies,
            allowlist,
            classifier: UserAgentClassifier::default(),
            audience_retention: register.retention(Purpose::Audience),
            security_retention: register.retention(Purpose::Security),
            clock,
        }
    }

    /// Records the security row, and the audience row when the visit counts.
    pub fn record(&self, visit: Visit, status: StatusCode, is_html: bool) {
        let counts_for_audience = visit.is_get
            && status.is_success()
            && is_html
            && visit.choice.is_measured()
            && visit.device.device_type != DeviceType::Crawler;
        if counts_for_audience {
            self.log.record(VisitorEvent {
                purpose: Purpose::Audience,
                occurred_at: visit.occurred_at,
                expires_at: self.audience_retention.expires_at(visit.occurred_at),
                ip: TruncatedIp::new(visit.ip).to_string(),
                device: visit.device.clone(),
                url: visit.url.clone(),
            });
        }
        self.log.record(VisitorEvent {
            purpose: Purpose::Security,
            occurred_at: visit.occurred_at,
            expires_at: self.security_retention.expires_at(visit.occurred_at),
            ip: visit.ip.to_canonical().to_string(),
            device: visit.device,
            url: visit.url,
        });
    }
}
