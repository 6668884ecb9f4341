//! The housekeeping job: once at start, then every `WM_PURGE_INTERVAL`,
//! the finished days are rolled up into the daily aggregates, then every
//! record past its retention window is purged. A failed run is logged and
//! counted; the next one tries again.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::analytics::goals::Goals;
use crate::analytics::{partitions, rollup};
use crate::clock::SharedClock;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::privacy::purge::{purge_until_stopped, PurgeMode};
use crate::privacy::Register;

/// How long a server stop waits for the purge's batch in progress.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// What one run needs.
struct Run {
    db: Db,
    register: Arc<Register>,
    batch_size: u32,
    metrics: Arc<Metrics>,
    goals: Arc<Goals>,
}

/// The running job, stopped with the server.
pub struct Housekeeping {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Housekeeping {
    pub fn spawn(
        db: Db,
        register: Arc<Register>,
        clock: SharedClock,
        interval: Duration,
        batch_size: u32,
        metrics: Arc<Metrics>,
        goals: Arc<Goals>,
    ) -> Self {
        let run = Run {
            db,
            register,
            batch_size,
            metrics,
            goals,
        };
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticks.tick() => {}
                    _ = stopped.changed() => return,
                }
                if run.once(clock.now(), &stopped).await == Continue::Stop {
                    return;
                }
            }
        });
        Self { stop, task }
    }

    /// Ends the job. A run in progress finishes its current batch and
    /// records what it deleted; past [`STOP_TIMEOUT`] (a database that no
    /// longer answers) the task is abandoned.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let mut task = self.task;
        match tokio::time::timeout(STOP_TIMEOUT, &mut task).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, "the purge task ended abnormally"),
            Err(_) => {
                task.abort();
                tracing::warn!(
                    "the purge did not stop within {} s; abandoned",
                    STOP_TIMEOUT.as_secs()
                );
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Continue {
    Yes,
    Stop,
}

impl Run {
    /// One roll-up, then one purge.
    async fn once(&self, now: DateTime<Utc>, stopped: &watch::Receiver<bool>) -> Continue {
        if let Err(error) = partitions::ensure_coming_months(&self.db, now).await {
            tracing::error!(%error, "visitor log: coming month partitions not created");
        }
        // Count the finished days before any raw row can go, so that the
        // aggregates always hold what the purge deletes.
        if let Err(error) = rollup::roll_up_with(&self.db, &self.register, &self.goals, now).await {
            tracing::error!(%error, "audience roll-up failed");
        }
        let run = purge_until_stopped(
            &self.db,
            &self.register,
            now,
            self.batch_size,
            PurgeMode::Delete,
            &self.metrics,
            stopped,
        )
        .await;
        match run {
            Ok(run) => {
                self.metrics.purge_run(true);
                let deleted: u64 = run.outcomes.iter().map(|o| o.rows).sum();
                if run.interrupted {
                    tracing::info!(deleted, "purge run stopped by the server's stop");
                    return Continue::Stop;
                }
                tracing::info!(deleted, "purge run finished");
            }
            Err(error) => {
                self.metrics.purge_run(false);
                tracing::error!(%error, "purge run failed");
            }
        }
        Continue::Yes
    }
}
