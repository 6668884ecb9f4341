//! Sending the reports: each run sends every due report not sent yet, once
//! per subscriber and period, whatever the number of instances running it.
//!
//! A report is claimed by inserting its line into `statistics_report_sends`
//! (unique per account, frequency and period start) in a transaction that
//! stays open while the mail is handed to the mail server: committed when
//! the mail left, rolled back when it did not, so that the next run tries
//! again. On PostgreSQL an advisory lock per subscription makes a second
//! instance wait for the first one's outcome; SQLite's write lock does the
//! same. A crash between the mail leaving and the commit sends it again at
//! the next run: a report twice rather than never.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::body::ReportMail;
use super::{schedule, sent_log_expiry, Frequency};
use crate::analytics::filters::Filters;
use crate::analytics::goals::Goals;
use crate::analytics::period::Period;
use crate::analytics::reports::{self, Audience, Granularity, Report};
use crate::analytics::today::RunningDays;
use crate::analytics::views::statistics::period_query;
use crate::audit::{Audit, AuditEvent};
use crate::auth::{digest, link_token};
use crate::clock::SharedClock;
use crate::db::{millis, Db, DbError, Sql, Tx};
use crate::mail::{MailError, Mailer};
use crate::privacy::Register;

/// How often the job looks for due reports.
pub const INTERVAL: Duration = Duration::from_secs(300);
/// How long one mail may take to leave (the write lock is held meanwhile).
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// PostgreSQL advisory lock keys: this plus the account and frequency.
const SEND_LOCK: i64 = 0x5745_4d52_0000_0000;

/// What a run needs.
#[derive(Clone)]
pub struct ReportJob {
    pub db: Db,
    pub register: Arc<Register>,
    pub mailer: Mailer,
    /// The site's address, for the links (`WM_PUBLIC_URL`).
    pub public_url: String,
    pub min_group: i64,
    /// The goals and funnels of the statistics.
    pub goals: Arc<Goals>,
}

/// A subscriber still waiting for the due report.
struct Waiting {
    user_id: i64,
    email: String,
    first_name: String,
}

#[derive(Debug, thiserror::Error)]
enum SendError {
    #[error("{0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Mail(#[from] MailError),
    #[error("the mail server did not answer within {} s", SEND_TIMEOUT.as_secs())]
    Timeout,
}

impl ReportJob {
    /// Sends every report due at `now` and not sent yet; returns how many
    /// mails left. A mail that fails is logged and tried again next run.
    pub async fn run(&self, now: DateTime<Utc>) -> Result<usize, DbError> {
        let mut sent = 0;
        for frequency in Frequency::ALL {
            sent += self.send_due(frequency, now).await?;
        }
        Ok(sent)
    }

    async fn send_due(&self, frequency: Frequency, now: DateTime<Utc>) -> Result<usize, DbError> {
        let (period, due_at) = schedule::due(frequency, now);
        let waiting = waiting(&self.db, frequency, &period, due_at).await?;
        if waiting.is_empty() {
            return Ok(0);
        }
        let report = self.report(&period, now).await?;
        // The week or the calendar month before, whatever their lengths.
        let before = schedule::previous(frequency, &period);
        let previous = self.report(&before, now).await?.headline;
        let mail = ReportMail {
            frequency,
            report: &report,
            previous: &previous,
            min_group: self.min_group,
        };
        let mut sent = 0;
        for subscriber in waiting {
            match self.send_one(&mail, &subscriber, now).await {
                Ok(true) => sent += 1,
                Ok(false) => {}
                Err(error) => {
                    tracing::error!(%error, frequency = frequency.key(), "statistics report not sent; tried again at the next run");
                }
            }
        }
        Ok(sent)
    }

    async fn report(&self, period: &Period, now: DateTime<Utc>) -> Result<Report, DbError> {
        let granularity = Granularity::automatic(period);
        let days = RunningDays::default();
        let audience = Audience {
            db: &self.db,
            register: &self.register,
            goals: &self.goals,
            min_group: self.min_group,
            days: &days,
        };
        let everything = Filters::default();
        reports::report(&audience, period, granularity, &everything, now).await
    }

    /// Claims, sends and records one report; `false` when another run has
    /// sent it already.
    async fn send_one(
        &self,
        mail: &ReportMail<'_>,
        to: &Waiting,
        now: DateTime<Utc>,
    ) -> Result<bool, SendError> {
        let period = &mail.report.period;
        let token = link_token();
        let mut tx = self.db.begin_write().await?;
        if !claim(&mut tx, mail.frequency, period, to.user_id, &token, now).await? {
            return Ok(false);
        }
        let stop_link = format!(
            "{}/statistiques/rapports/desabonnement/{token}",
            self.public_url
        );
        let view_link = format!("{}/statistiques?{}", self.public_url, period_query(period));
        let outgoing = mail.mail(&to.email, &to.first_name, &view_link, &stop_link);
        let headers = [
            ("List-Unsubscribe", format!("<{stop_link}>")),
            // One click in the mail client stops it (RFC 8058).
            (
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_owned(),
            ),
        ];
        tokio::time::timeout(
            SEND_TIMEOUT,
            self.mailer.send_with_headers(&outgoing, &headers),
        )
        .await
        .map_err(|_| SendError::Timeout)??;
        Audit::new(AuditEvent::StatisticsReportSent)
            .user(to.user_id)
            .detail(format!(
                "{} {}",
                mail.frequency.adjective(),
                period.in_french()
            ))
            .record_in(&mut tx, &self.register, now)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Runs now, then every [`INTERVAL`], until stopped.
    pub fn spawn(self, clock: SharedClock) -> ReportTask {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(INTERVAL);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticks.tick() => {}
                    _ = stopped.changed() => return,
                }
                if let Err(error) = self.run(clock.now()).await {
                    tracing::error!(%error, "statistics reports run failed");
                }
            }
        });
        ReportTask { stop, task }
    }
}

/// The running job, stopped with the server.
pub struct ReportTask {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl ReportTask {
    /// Ends the job after the mail in progress (at most [`SEND_TIMEOUT`]).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let mut task = self.task;
        if tokio::time::timeout(SEND_TIMEOUT, &mut task).await.is_err() {
            task.abort();
        }
    }
}

/// Active marketing and staff accounts subscribed before the report was
/// due, and not sent it yet.
async fn waiting(
    db: &Db,
    frequency: Frequency,
    period: &Period,
    due_at: DateTime<Utc>,
) -> Result<Vec<Waiting>, DbError> {
    let rows: Vec<(i64, String, String)> = Sql::new(
        "SELECT u.id, u.email, u.first_name FROM statistics_report_subscriptions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.frequency = $1 AND s.subscribed_at <= $2 AND u.status = 'active' \
           AND u.role IN ('marketing', 'admin') \
           AND NOT EXISTS (SELECT 1 FROM statistics_report_sends r WHERE r.user_id = s.user_id \
             AND r.frequency = s.frequency AND r.period_start = $3) \
         ORDER BY u.id",
    )
    .bind(frequency.key())
    .bind(millis(due_at))
    .bind(period.first)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, email, first_name)| Waiting {
            user_id,
            email,
            first_name,
        })
        .collect())
}

/// Inserts the report's line; `false` when it is there already.
async fn claim(
    tx: &mut Tx,
    frequency: Frequency,
    period: &Period,
    user_id: i64,
    token: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    if matches!(tx, Tx::Postgres(_)) {
        let key = SEND_LOCK + user_id * 2 + i64::from(frequency == Frequency::Monthly);
        Sql::new("SELECT pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    let inserted = Sql::new(
        "INSERT INTO statistics_report_sends \
           (user_id, frequency, period_start, sent_at, token_hash, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id, frequency, period_start) DO NOTHING",
    )
    .bind(user_id)
    .bind(frequency.key())
    .bind(period.first)
    .bind(millis(now))
    .bind(digest(token))
    .bind(millis(sent_log_expiry(now)))
    .execute(&mut *tx)
    .await?;
    Ok(inserted == 1)
}
