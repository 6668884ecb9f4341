//! Throughput of the real visitor-log writer, without HTTP in front of it.
//!
//! Creates a fresh SQLite database in a temporary directory, migrates it,
//! starts `analytics::writer::spawn` with a large queue, pushes N events into
//! it as fast as one producer can (default 500,000; the first argument
//! overrides), then calls `flush_and_stop` and divides N by the time from the
//! first push to the end of the flush. Every row is then counted back with
//! `SELECT COUNT(*) FROM visitor_log`; the program exits non-zero when a row
//! is missing or an event was dropped.
//!
//! The producer never lets an event be dropped: when the queue is full it
//! sleeps 1 ms and tries again, and counts how often it had to. So
//! the figure is the writer's (batching, SQL, commits), not the queue's.
//!
//! With `WM_BENCH_POSTGRES_URL=postgres://…` the same run is repeated on that
//! PostgreSQL database (migrated first; rows are counted as the difference
//! before/after, and are left there: use a throwaway database, e.g.
//! `scripts/with-postgres sh -c 'WM_BENCH_POSTGRES_URL=$WM_TEST_POSTGRES_URL cargo run --release --example visitor_log_writer'`).
//!
//!     cargo run --release --example visitor_log_writer [N]
//!
//! Output, one line per backend:
//!
//!     sqlite: 500000 events in 6.1 s = 82,000 events/s (batches: 250, mean 2000 events/batch; producer slept 1 ms on a full queue 1200 times; dropped: 0)

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use wemaintain::analytics::user_agent::{classify, Device, DeviceType};
use wemaintain::analytics::writer;
use wemaintain::analytics::{TruncatedIp, VisitorEvent};
use wemaintain::config::DatabaseUrl;
use wemaintain::db::Db;
use wemaintain::metrics::Metrics;
use wemaintain::privacy::{Purpose, Register, RetentionOverrides, RetentionWindow};

const DEFAULT_EVENTS: u64 = 500_000;
/// Large enough that the producer is rarely held up; the server's default
/// is 65,536 (`WM_ANALYTICS_QUEUE`).
const QUEUE_CAPACITY: usize = 100_000;
/// The pool the server opens by default (`WM_DB_MAX_CONNECTIONS`).
const MAX_CONNECTIONS: u32 = 10;

/// Real User-Agent strings, in rough proportion of a B2B site's traffic.
const USER_AGENTS: &[&str] = &[
    // Chrome on Windows (twice: the most common visitor).
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    // Edge on Windows.
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
    // Safari on macOS.
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    // Safari on iPhone.
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    // Samsung Internet on a Galaxy phone.
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    // Chrome on a Pixel.
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    // Safari on iPad.
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    // Firefox on Linux.
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    // A crawler: security rows only, never audience.
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
];

/// URLs as the middleware logs them (query reduced to the allowlist).
const URLS: &[&str] = &[
    "/",
    "/services",
    "/services?utm_source=x",
    "/services?utm_source=linkedin&utm_medium=social&utm_campaign=ascenseurs-2026",
    "/politique-de-confidentialite",
    "/confidentialite/opposition",
    "/?utm_source=newsletter",
];

/// Everything needed to make events without allocating more than the
/// middleware does (it, too, allocates the IP and URL strings per event).
struct Mix {
    devices: Vec<Arc<Device>>,
    audience: RetentionWindow,
    security: RetentionWindow,
}

impl Mix {
    fn new() -> Self {
        let register = Register::with_overrides(&RetentionOverrides::default());
        Self {
            devices: USER_AGENTS
                .iter()
                .map(|ua| Arc::new(classify(ua)))
                .collect(),
            audience: register.retention(Purpose::Audience),
            security: register.retention(Purpose::Security),
        }
    }

    /// Event `i`: page view `i / 2`, audience row then security row, as the
    /// middleware records them; crawlers leave two security rows instead
    /// (as two of their requests would).
    fn event(&self, i: u64) -> VisitorEvent {
        let view = i / 2;
        let device = self.devices[(view % self.devices.len() as u64) as usize].clone();
        let url = URLS[(view % URLS.len() as u64) as usize];
        let ip: IpAddr = if view % 5 == 4 {
            IpAddr::V6(Ipv6Addr::new(
                0x2a01,
                0xcb04,
                0x1f2,
                (view % 65_536) as u16,
                0,
                0,
                0,
                1,
            ))
        } else {
            IpAddr::V4(Ipv4Addr::new(
                82,
                64,
                ((view / 256) % 256) as u8,
                (view % 256) as u8,
            ))
        };
        let purpose = if i.is_multiple_of(2) && device.device_type != DeviceType::Crawler {
            Purpose::Audience
        } else {
            Purpose::Security
        };
        let occurred_at = Utc::now();
        let (expires_at, ip) = match purpose {
            Purpose::Audience => (
                self.audience.expires_at(occurred_at),
                TruncatedIp::new(ip).to_string(),
            ),
            _ => (self.security.expires_at(occurred_at), ip.to_string()),
        };
        VisitorEvent {
            purpose,
            occurred_at,
            expires_at,
            ip,
            device,
            url: url.to_owned(),
        }
    }
}

struct Outcome {
    elapsed: Duration,
    batches: u64,
    waits: u64,
    dropped: u64,
    written: u64,
    rows: i64,
}

async fn count_rows(db: &Db) -> Result<i64, sqlx::Error> {
    const SQL: &str = "SELECT COUNT(*) FROM visitor_log";
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(SQL).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(SQL).fetch_one(pool).await,
    }
}

fn batches_written(metrics: &Metrics) -> u64 {
    // The counter has no getter of its own; read it from the exposition.
    metrics
        .render(0, 0)
        .lines()
        .find_map(|line| line.strip_prefix("wm_visitor_batches_written_total "))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0)
}

async fn run(url: &DatabaseUrl, events: u64, mix: &Mix) -> Result<Outcome, String> {
    let db = Db::connect(url, MAX_CONNECTIONS)
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let before = count_rows(&db).await.map_err(|e| e.to_string())?;

    let metrics = Arc::new(Metrics::default());
    let (log, writer) = writer::spawn(db.clone(), QUEUE_CAPACITY, metrics.clone());

    let started = Instant::now();
    let mut waits = 0u64;
    for i in 0..events {
        let event = mix.event(i);
        // One producer: a free slot seen here is still free at `record`, so
        // `record` never drops. On a full queue, sleep rather than spin: a
        // spinning producer would take a core from the writer on a small
        // machine, and the queue holds far more than the writer drains in
        // one millisecond, so the writer never runs dry meanwhile.
        while log.queue_depth() >= log.queue_capacity() {
            waits += 1;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        log.record(event);
    }
    drop(log);
    writer.flush_and_stop().await;
    let elapsed = started.elapsed();

    let after = count_rows(&db).await.map_err(|e| e.to_string())?;
    db.close().await;
    Ok(Outcome {
        elapsed,
        batches: batches_written(&metrics),
        waits,
        dropped: metrics.dropped(),
        written: metrics.written(Purpose::Audience) + metrics.written(Purpose::Security),
        rows: after - before,
    })
}

/// `82000.4` → `82,000`.
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Prints the summary line; false when a row is missing or an event was dropped.
fn report(backend: &str, events: u64, outcome: &Outcome) -> bool {
    let seconds = outcome.elapsed.as_secs_f64();
    let per_batch = if outcome.batches > 0 {
        outcome.written as f64 / outcome.batches as f64
    } else {
        0.0
    };
    println!(
        "{backend}: {events} events in {seconds:.1} s = {} events/s (batches: {}, mean {:.0} events/batch; \
         producer slept 1 ms on a full queue {} times; dropped: {}; rows counted: {})",
        thousands(events as f64 / seconds),
        outcome.batches,
        per_batch,
        outcome.waits,
        outcome.dropped,
        outcome.rows,
    );
    let mut ok = true;
    if outcome.dropped != 0 {
        eprintln!("{backend}: {} events dropped", outcome.dropped);
        ok = false;
    }
    if outcome.rows != events as i64 {
        eprintln!(
            "{backend}: {} rows in visitor_log after the flush, expected {events}",
            outcome.rows
        );
        ok = false;
    }
    if outcome.written != events {
        eprintln!(
            "{backend}: the writer counted {} events written, expected {events}",
            outcome.written
        );
        ok = false;
    }
    ok
}

#[tokio::main]
async fn main() -> ExitCode {
    let events = match std::env::args().nth(1) {
        None => DEFAULT_EVENTS,
        Some(arg) => match arg.replace(['_', ','], "").parse::<u64>() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!(
                    "usage: visitor_log_writer [NUMBER_OF_EVENTS]  (default {DEFAULT_EVENTS})"
                );
                return ExitCode::from(2);
            }
        },
    };
    let mix = Mix::new();
    let mut ok = true;

    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("cannot create a temporary directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    let sqlite = DatabaseUrl::sqlite_file(&dir.path().join("bench.db"));
    match run(&sqlite, events, &mix).await {
        Ok(outcome) => ok &= report("sqlite", events, &outcome),
        Err(e) => {
            eprintln!("sqlite: {e}");
            ok = false;
        }
    }

    if let Ok(url) = std::env::var("WM_BENCH_POSTGRES_URL") {
        if !url.trim().is_empty() {
            match DatabaseUrl::parse(&url) {
                Ok(url @ DatabaseUrl::Postgres(_)) => match run(&url, events, &mix).await {
                    Ok(outcome) => ok &= report("postgres", events, &outcome),
                    Err(e) => {
                        eprintln!("postgres: {e}");
                        ok = false;
                    }
                },
                Ok(_) | Err(_) => {
                    eprintln!("WM_BENCH_POSTGRES_URL: expected a postgres://… URL");
                    ok = false;
                }
            }
        }
    }

    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
