//! The background jobs the server starts and stops: the visitor-log writer,
//! the housekeeping (roll-up, then purge), the statistics reports by e-mail
//! and the mail queue's last flush.

use std::time::Duration;

use crate::analytics::mail_reports::job::{ReportJob, ReportTask};
use crate::analytics::writer::{self, Writer};
use crate::analytics::VisitorLog;
use crate::config::Settings;

use super::housekeeping::Housekeeping;
use super::state::Services;

/// How long a stop waits for e-mails still being sent (a message waiting
/// for its next retry is not waited for that long).
const MAIL_FLUSH_LIMIT: Duration = Duration::from_secs(10);

/// The jobs running beside the HTTP server, stopped after it.
pub(super) struct Jobs {
    writer: Option<Writer>,
    housekeeping: Housekeeping,
    mail_reports: ReportTask,
    services: Services,
}

impl Jobs {
    /// Starts the jobs; the visitor log is `None` when `WM_ANALYTICS=off`.
    pub(super) fn start(
        settings: &Settings,
        services: &Services,
        public_url: &str,
    ) -> (Self, Option<VisitorLog>) {
        let (visitor_log, writer) = visitor_log_writer(settings, services);
        let mail_reports = ReportJob {
            db: services.db.clone(),
            register: services.register.clone(),
            mailer: services.mailer.clone(),
            public_url: public_url.to_owned(),
            min_group: settings.min_group,
            goals: std::sync::Arc::new(settings.analytics_goals.clone()),
        }
        .spawn(services.clock.clone());
        let jobs = Self {
            writer,
            housekeeping: housekeeping(settings, services),
            mail_reports,
            services: services.clone(),
        };
        (jobs, visitor_log)
    }

    /// Once the server has stopped: ends the housekeeping, sends the e-mails
    /// still queued, writes every queued visitor event, closes the database.
    pub(super) async fn stop(self) {
        self.housekeeping.stop().await;
        self.mail_reports.stop().await;
        let unsent = self.services.mailer.flush(MAIL_FLUSH_LIMIT).await;
        if unsent > 0 {
            tracing::warn!(unsent, "stopped with e-mails still waiting for a retry");
        }
        if let Some(writer) = self.writer {
            writer.flush_and_stop().await;
        }
        self.services.db.close().await;
    }
}

/// The queue the visitor-log middleware fills and the task that writes it.
fn visitor_log_writer(
    settings: &Settings,
    services: &Services,
) -> (Option<VisitorLog>, Option<Writer>) {
    if !settings.analytics {
        return (None, None);
    }
    let (log, writer) = writer::spawn(
        services.db.clone(),
        settings.analytics_queue,
        services.metrics.clone(),
    );
    (Some(log), Some(writer))
}

/// Housekeeping, once at start and then every `WM_PURGE_INTERVAL`: the
/// finished days are rolled up into the daily aggregates, then every record
/// past its retention window is purged.
pub(super) fn housekeeping(settings: &Settings, services: &Services) -> Housekeeping {
    Housekeeping::spawn(
        services.db.clone(),
        services.register.clone(),
        services.clock.clone(),
        settings.purge_interval,
        settings.purge_batch,
        services.metrics.clone(),
        std::sync::Arc::new(settings.analytics_goals.clone()),
    )
}
