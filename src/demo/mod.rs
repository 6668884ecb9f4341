//! `wemaintain seed-demo`: realistic synthetic audience traffic, for demos
//! and benchmarks. Only `audience` rows of the visitor log are written, the
//! way the site itself writes them: truncated IP, device fields from the
//! site's own User-Agent classifier, URL reduced to the path and the
//! allow-listed campaign parameters, `expires_at` from the register.
//!
//! The traffic is a model, deterministic for a given seed and `now`:
//!
//! - **When.** The last `days` days are cut into one-hour slots; each slot's
//!   share of the events follows the Paris hour (office hours busy, nights
//!   nearly empty), the weekday (weekends about 40% of a weekday, fixed-date
//!   French public holidays like a Sunday), the month (August and the last
//!   week of December quiet) and a ±15% day-to-day wobble.
//! - **Who.** A pool of synthetic visitors, each a fixed (truncated IPv4,
//!   User-Agent) pair: about 55% desktop, 38% phone, 7% tablet; phones are
//!   on a mobile network about half the time. The IPs are /24s drawn from
//!   public broadband and mobile blocks of French ISPs (never documentation
//!   or private ranges). Over a long period visitors come and go: each is
//!   active over about three weeks.
//! - **What.** Each visit is 1 to 8 page views (2.9 on average), 8 s to 5
//!   min apart, on a weighted map of the site with its funnels (a form, then
//!   its "envoyé" page; a login, then the profile). About 15% of the page
//!   views are campaign landings (`?utm_source=…&utm_medium=…&utm_campaign=…`);
//!   the site's links carry no campaign, so only the first view of a visit does.
//!
//! Generation runs on a blocking thread, a few batches of 2,000 ahead of the
//! database, so the insert (`analytics::insert_batch`, the writer's own fast
//! path) is the only cost that shows.

mod calendar;
mod catalog;
mod plan;
mod random;
mod visits_check;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::analytics::{insert_batch, VisitorEvent};
use crate::config::Settings;
use crate::db::{on_pool, Db, DbError};
use crate::privacy::{Purpose, Register};

use catalog::Catalog;
use plan::Plan;

/// The most events one run writes.
pub const MAX_EVENTS: u64 = 100_000_000;
/// The longest period one run spans.
pub const MAX_DAYS: u32 = 800;
pub const DEFAULT_DAYS: u32 = 30;
/// The seed of the command line, unless `--seed` says otherwise.
pub const DEFAULT_SEED: u64 = 42;
/// Rows per transaction.
pub const BATCH_SIZE: usize = 2_000;
/// Batches generated ahead of the database.
const BATCHES_AHEAD: usize = 4;
/// Transactions in flight at once on PostgreSQL; SQLite has one writer.
const POSTGRES_CONCURRENCY: usize = 4;
/// How often a long run logs how far it got.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// What a run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub events: u64,
    pub days: u32,
    /// Distinct visitors in the rows: (truncated IP, User-Agent) pairs.
    pub visitors: u64,
    /// The visits generated, by Paris day of their first view.
    pub visits_by_day: std::collections::BTreeMap<crate::analytics::rollup::Day, u64>,
    pub elapsed: Duration,
}

impl SeedReport {
    /// `Seeded 1000000 audience events over 30 days (about 150000 visitors) in 2.1 s = 476190 events/s.`
    pub fn summary(&self) -> String {
        let seconds = self.elapsed.as_secs_f64();
        let rate = if seconds > 0.0 {
            (self.events as f64 / seconds).round() as u64
        } else {
            self.events
        };
        format!(
            "Écrit {} pages vues sur {} jours (environ {} visiteurs) en {:.1} s = {} pages vues/s.",
            self.events,
            self.days,
            about(self.visitors),
            seconds,
            rate
        )
    }
}

/// Two significant digits: 153_421 → 150_000.
fn about(n: u64) -> u64 {
    if n < 100 {
        return n;
    }
    let scale = 10u64.pow(n.ilog10() - 1);
    (n + scale / 2) / scale * scale
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("--events doit être entre 1 et {MAX_EVENTS}, pas {0}")]
    Events(u64),
    #[error("--days doit être entre 1 et {MAX_DAYS}, pas {0}")]
    Days(u32),
    #[error(
        "le journal des visites contient déjà des pages vues, auxquelles les pages vues \
         synthétiques se mêleraient pour de bon : remplissez une base neuve (WM_DATA_DIR ou \
         WM_DATABASE_URL), ou ajoutez --append pour écrire quand même"
    )]
    NotEmpty,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("le générateur de démonstration s'est arrêté anormalement : {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// `wemaintain seed-demo`: refuses a visitor log that already holds
/// audience rows (unless `append`), seeds, and prints the summary line (and,
/// on stderr, a note when part of the period is already past retention).
pub async fn seed_demo_command(
    db: &Db,
    settings: &Settings,
    events: u64,
    days: u32,
    seed: u64,
    append: bool,
) -> Result<SeedReport, DemoError> {
    check_bounds(events, days)?;
    if !append && has_audience_rows(db).await? {
        return Err(DemoError::NotEmpty);
    }
    let register = Register::with_overrides(&settings.retention);
    let now = Utc::now();
    let retention = register.retention(Purpose::Audience);
    let window_start = now - chrono::Duration::days(i64::from(days));
    if retention.expires_at(window_start) <= now {
        eprintln!(
            "wemaintain : note : les pages vues sont gardées {} ; les plus anciennes sont \
             déjà expirées et la prochaine purge les supprime",
            retention.period.in_french()
        );
    }
    let report = seed_demo(db, &register, events, days, now, seed).await?;
    println!("{}", report.summary());
    // Count the finished days now, as the server would at its next purge,
    // so the statistics pages read aggregates from the first request.
    let started = Instant::now();
    let rolled = crate::analytics::rollup::roll_up(db, &register, Utc::now()).await?;
    println!(
        "Agrégats quotidiens de {} jours comptés en {:.1} s.",
        rolled.days.len(),
        started.elapsed().as_secs_f64()
    );
    let (truth, estimate, counted) =
        visits_check::true_and_estimated(db, &report.visits_by_day, Utc::now()).await?;
    println!("{}", visits_check::summary(truth, estimate, counted));
    Ok(report)
}

/// Whether the visitor log holds any audience row.
pub async fn has_audience_rows(db: &Db) -> Result<bool, DbError> {
    const SQL: &str = "SELECT 1 FROM visitor_log WHERE purpose = 'audience' LIMIT 1";
    let row: Option<i32> = on_pool!(db, |pool| sqlx::query_scalar(SQL)
        .fetch_optional(pool)
        .await?);
    Ok(row.is_some())
}

fn check_bounds(events: u64, days: u32) -> Result<(), DemoError> {
    if !(1..=MAX_EVENTS).contains(&events) {
        return Err(DemoError::Events(events));
    }
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(DemoError::Days(days));
    }
    Ok(())
}

/// Writes `events` audience rows spread over the `days` days before `now`.
/// The same `seed` and `now` give the same rows.
pub async fn seed_demo(
    db: &Db,
    register: &Register,
    events: u64,
    days: u32,
    now: DateTime<Utc>,
    seed: u64,
) -> Result<SeedReport, DemoError> {
    check_bounds(events, days)?;
    let started = Instant::now();
    // The months of the seeded past exist before their rows (PostgreSQL).
    let first_day = now - chrono::Duration::days(i64::from(days));
    crate::analytics::partitions::ensure_months(db, first_day, now).await?;
    let plan = Plan::new(register, events, days, now, seed);

    let (sender, mut batches) = mpsc::channel::<Arc<[VisitorEvent]>>(BATCHES_AHEAD);
    let generator = tokio::task::spawn_blocking(move || {
        let catalog = Catalog::new();
        plan.generate(&catalog, |batch| sender.blocking_send(batch).is_ok())
    });

    let concurrency = match db {
        Db::Sqlite(_) => 1,
        Db::Postgres(_) => POSTGRES_CONCURRENCY,
    };
    // A progress line every few seconds on long runs.
    let mut last_progress = Instant::now();
    let mut written = 0u64;
    let mut in_flight: JoinSet<Result<usize, DbError>> = JoinSet::new();
    while let Some(batch) = batches.recv().await {
        while in_flight.len() >= concurrency {
            written += finished(&mut in_flight).await?;
            if last_progress.elapsed() >= PROGRESS_EVERY {
                last_progress = Instant::now();
                tracing::info!(written, of = events, "seed-demo: written so far");
            }
        }
        let db = db.clone();
        in_flight.spawn(async move {
            let rows = batch.len();
            insert_batch(&db, batch).await.map(|()| rows)
        });
    }
    while !in_flight.is_empty() {
        written += finished(&mut in_flight).await?;
    }
    let generated = generator.await?;
    debug_assert_eq!(written, events);
    Ok(SeedReport {
        events: written,
        days,
        visitors: generated.visitors,
        visits_by_day: generated.visits_by_day,
        elapsed: started.elapsed(),
    })
}

/// Waits for one insert of the set; its row count, or its error.
async fn finished(in_flight: &mut JoinSet<Result<usize, DbError>>) -> Result<u64, DemoError> {
    match in_flight.join_next().await {
        Some(joined) => Ok(joined?? as u64),
        None => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_keeps_two_significant_digits() {
        assert_eq!(about(0), 0);
        assert_eq!(about(99), 99);
        assert_eq!(about(153_421), 150_000);
        assert_eq!(about(156_000), 160_000);
        assert_eq!(about(1_000), 1_000);
    }
}
