//! The visitor-log writer: a bounded queue in front of one task that inserts
//! events in batches, one transaction per batch. A response never waits for
//! the database; when the queue is full the event is dropped and counted.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::store::{insert_batch, VisitorEvent};
use crate::db::Db;
use crate::metrics::Metrics;
use crate::privacy::Purpose;

/// Events taken from the queue per batch, at most.
pub const MAX_BATCH: usize = 2_000;
/// How long the writer waits for a batch to fill once its first event has
/// arrived. On SQLite a transaction of 2,000 rows costs about 2.5 µs a row;
/// one of a single row about 50 µs: under load, waiting a little cuts the
/// writer's share of the CPU by half or more. Rows reach the table at most this much later.
const LINGER: Duration = Duration::from_millis(50);
/// Attempts at writing one batch before its events are given up.
const WRITE_ATTEMPTS: u32 = 8;
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(50);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(5);

/// The sending side, held by the middleware. Cheap to clone.
#[derive(Clone)]
pub struct VisitorLog {
    queue: mpsc::Sender<VisitorEvent>,
    metrics: Arc<Metrics>,
}

impl VisitorLog {
    /// Hands an event to the writer without waiting.
    pub fn record(&self, event: VisitorEvent) {
        if self.queue.try_send(event).is_err() {
            self.metrics.events_dropped(1);
        }
    }

    pub fn queue_depth(&self) -> usize {
        self.queue.max_capacity() - self.queue.capacity()
    }

    pub fn queue_capacity(&self) -> usize {
        self.queue.max_capacity()
    }
}

/// The running writer task, to be flushed and stopped at shutdown.
pub struct Writer {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Writer {
    /// Writes what is still queued, then returns. Events recorded after
    /// this call are dropped and counted.
    pub async fn flush_and_stop(self) {
        let _ = self.stop.send(());
        if let Err(error) = self.task.await {
            tracing::error!(%error, "the visitor-log writer ended abnormally");
        }
    }
}

/// Starts the writer task on the current runtime.
pub fn spawn(db: Db, capacity: usize, metrics: Arc<Metrics>) -> (VisitorLog, Writer) {
    let (queue, events) = mpsc::channel(capacity);
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(run(db, events, stopped, metrics.clone()));
    (VisitorLog { queue, metrics }, Writer { stop, task })
}

async fn run(
    db: Db,
    mut events: mpsc::Receiver<VisitorEvent>,
    mut stopped: oneshot::Receiver<()>,
    metrics: Arc<Metrics>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    loop {
        tokio::select! {
            // Drain what is there before looking at the stop signal.
            biased;
            received = events.recv_many(&mut batch, MAX_BATCH) => {
                if received == 0 {
                    break;
                }
                fill(&mut events, &mut batch).await;
                write(&db, &mut batch, &metrics).await;
            }
            _ = &mut stopped => {
                events.close();
                while events.recv_many(&mut batch, MAX_BATCH).await > 0 {
                    write(&db, &mut batch, &metrics).await;
                }
                break;
            }
        }
    }
    tracing::debug!("visitor-log writer stopped");
}

/// Lets the batch fill for [`LINGER`], then takes what arrived, up to
/// [`MAX_BATCH`]. Sleeping rather than waiting on the queue matters: a
/// task waiting on the queue is woken by every event, and on a busy server
/// those thousands of wake-ups a second cost more than the inserts.
async fn fill(events: &mut mpsc::Receiver<VisitorEvent>, batch: &mut Vec<VisitorEvent>) {
    if batch.len() < MAX_BATCH {
        tokio::time::sleep(LINGER).await;
        let room = MAX_BATCH - batch.len();
        let ready = events.len().min(room);
        if ready > 0 {
            events.recv_many(batch, ready).await;
        }
    }
}

/// Writes one batch, retrying with backoff while the database refuses it
/// (a locked SQLite file, a PostgreSQL failover), then empties `batch`.
async fn write(db: &Db, batch: &mut Vec<VisitorEvent>, metrics: &Metrics) {
    let events: Arc<[VisitorEvent]> = batch.drain(..).collect();
    let mut delay = FIRST_RETRY_DELAY;
    for attempt in 1..=WRITE_ATTEMPTS {
        let turn = db.write_turn().await;
        let written = insert_batch(db, events.clone()).await;
        drop(turn);
        match written {
            Ok(()) => {
                metrics.batch_written();
                let audience = events
                    .iter()
                    .filter(|event| event.purpose == Purpose::Audience)
                    .count() as u64;
                metrics.event_written(Purpose::Audience, audience);
                metrics.event_written(Purpose::Security, events.len() as u64 - audience);
                return;
            }
            Err(error) => {
                metrics.write_error();
                tracing::warn!(%error, attempt, events = events.len(), "visitor-log batch not written; retrying");
                if attempt < WRITE_ATTEMPTS {
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_RETRY_DELAY);
                }
            }
        }
    }
    tracing::error!(
        events = events.len(),
        "visitor-log batch given up after {WRITE_ATTEMPTS} attempts"
    );
    metrics.events_dropped(events.len() as u64);
}
