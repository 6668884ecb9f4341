//! What SQLite itself charges for a visitor-log row, with nothing of ours in
//! the way: no queue, no Tokio, no sqlx; one prepared INSERT stepped once per
//! row through rusqlite, in transactions of 2,000 rows (the writer's batch),
//! on a file in WAL mode with `synchronous=NORMAL`, as the server opens it.
//!
//! This is the floor under the visitor log's cost per page view (two rows:
//! `security` and `audience`), whatever the code around it does. It runs
//! three schemas of `visitor_log`, each on a fresh file:
//!
//! - `migrated`: the table as `migrations/sqlite/` leaves it;
//! - `checks with IN`: the first migration only, whose CHECK constraints
//!   used `IN (…)` (rewritten by the second, see its comment);
//! - `no index`: the migrated table without its two indexes, to show what
//!   the indexes the purge and the statistics need cost.
//!
//!     cargo run --release --example sqlite_insert_floor [ROWS]   # default 1,000,000
//!
//! Rows are built in memory before the clock starts: ten devices, truncated
//! and full IPv4 and IPv6 addresses, a few URLs, one instant per 50 µs.

use std::process::ExitCode;
use std::time::Instant;

use rusqlite::{params, Connection, Transaction, TransactionBehavior};

const DEFAULT_ROWS: usize = 1_000_000;
const BATCH: usize = 2_000;

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/sqlite/20261126000001_visitor_log.sql"),
    include_str!("../migrations/sqlite/20261126000002_visitor_log_checks_without_in.sql"),
];

struct Row {
    purpose: &'static str,
    occurred_at: i64,
    expires_at: i64,
    ip: String,
    browser: Option<&'static str>,
    browser_version: Option<&'static str>,
    os: Option<&'static str>,
    os_version: Option<&'static str>,
    device_type: &'static str,
    manufacturer: Option<&'static str>,
    url: &'static str,
}

type DeviceFields = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
);

const DEVICES: &[DeviceFields] = &[
    (
        Some("Chrome"),
        Some("131"),
        Some("Windows"),
        Some("10"),
        "pc",
        None,
    ),
    (
        Some("Chrome"),
        Some("131"),
        Some("Windows"),
        Some("10"),
        "pc",
        None,
    ),
    (
        Some("Edge"),
        Some("131"),
        Some("Windows"),
        Some("10"),
        "pc",
        None,
    ),
    (
        Some("Safari"),
        Some("17"),
        Some("macOS"),
        Some("10.15"),
        "pc",
        None,
    ),
    (
        Some("Safari"),
        Some("17"),
        Some("iOS"),
        Some("17"),
        "smartphone",
        Some("Apple"),
    ),
    (
        Some("Samsung Internet"),
        Some("26"),
        Some("Android"),
        Some("14"),
        "smartphone",
        Some("Samsung"),
    ),
    (
        Some("Chrome"),
        Some("131"),
        Some("Android"),
        Some("14"),
        "smartphone",
        Some("Google"),
    ),
    (
        Some("Safari"),
        Some("17"),
        Some("iOS"),
        Some("17"),
        "tablet",
        Some("Apple"),
    ),
    (
        Some("Firefox"),
        Some("133"),
        Some("Linux"),
        None,
        "pc",
        None,
    ),
    (Some("Googlebot"), Some("2"), None, None, "crawler", None),
];

const URLS: &[&str] = &[
    "/",
    "/services",
    "/politique-de-confidentialite",
    "/services?utm_source=newsletter&utm_medium=email",
];

fn rows(count: usize) -> Vec<Row> {
    let start = 1_764_000_000_000_i64;
    (0..count)
        .map(|i| {
            let (browser, browser_version, os, os_version, device_type, manufacturer) =
                DEVICES[i / 2 % DEVICES.len()];
            let audience = i % 2 == 1;
            let occurred_at = start + (i / 2) as i64 / 20;
            let ip = match (i / 2 % 3 == 0, audience) {
                (false, true) => format!("203.0.{}.0", i % 251),
                (false, false) => format!("203.0.{}.{}", i % 251, i % 199),
                (true, true) => format!("2001:db8:{:x}::", i % 4093),
                (true, false) => format!("2001:db8:{:x}::{:x}", i % 4093, i % 65_521),
            };
            Row {
                purpose: if audience { "audience" } else { "security" },
                occurred_at,
                expires_at: occurred_at
                    + if audience {
                        33_696_000_000
                    } else {
                        15_552_000_000
                    },
                ip,
                browser,
                browser_version,
                os,
                os_version,
                device_type,
                manufacturer,
                url: URLS[i / 2 % URLS.len()],
            }
        })
        .collect()
}

fn open(dir: &std::path::Path, name: &str, schema: &[&str]) -> rusqlite::Result<Connection> {
    let sqlite = Connection::open(dir.join(name))?;
    sqlite.pragma_update(None, "journal_mode", "wal")?;
    sqlite.pragma_update(None, "synchronous", "normal")?;
    for sql in schema {
        sqlite.execute_batch(sql)?;
    }
    Ok(sqlite)
}

/// Seconds spent inserting every row.
fn insert(sqlite: &Connection, rows: &[Row]) -> rusqlite::Result<f64> {
    let started = Instant::now();
    for batch in rows.chunks(BATCH) {
        let transaction = Transaction::new_unchecked(sqlite, TransactionBehavior::Immediate)?;
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO visitor_log (purpose, occurred_at, expires_at, ip, browser, \
                 browser_version, os, os_version, device_type, manufacturer, url) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for row in batch {
                insert.execute(params![
                    row.purpose,
                    row.occurred_at,
                    row.expires_at,
                    row.ip,
                    row.browser,
                    row.browser_version,
                    row.os,
                    row.os_version,
                    row.device_type,
                    row.manufacturer,
                    row.url,
                ])?;
            }
        }
        transaction.commit()?;
    }
    Ok(started.elapsed().as_secs_f64())
}

fn main() -> ExitCode {
    let count = match std::env::args().nth(1).map(|arg| arg.parse::<usize>()) {
        None => DEFAULT_ROWS,
        Some(Ok(count)) if count > 0 => count,
        Some(_) => {
            eprintln!("usage: sqlite_insert_floor [ROWS], ROWS a positive number");
            return ExitCode::from(2);
        }
    };
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("sqlite_insert_floor: no temporary directory: {error}");
            return ExitCode::FAILURE;
        }
    };
    let rows = rows(count);
    let drop_indexes =
        "DROP INDEX visitor_log_expires_at; DROP INDEX visitor_log_purpose_occurred_at;";
    let schemas: [(&str, Vec<&str>); 3] = [
        ("migrated", MIGRATIONS.to_vec()),
        ("checks with IN", MIGRATIONS[..1].to_vec()),
        ("no index", [MIGRATIONS, &[drop_indexes]].concat()),
    ];
    println!("{count} rows, transactions of {BATCH}, one prepared INSERT, WAL, synchronous=NORMAL");
    for (i, (name, schema)) in schemas.iter().enumerate() {
        let measured = open(dir.path(), &format!("floor-{i}.db"), schema).and_then(|sqlite| {
            let seconds = insert(&sqlite, &rows)?;
            let stored: usize =
                sqlite.query_row("SELECT COUNT(*) FROM visitor_log", [], |row| row.get(0))?;
            Ok((seconds, stored))
        });
        match measured {
            Ok((seconds, stored)) if stored == count => {
                let micros = seconds * 1e6 / count as f64;
                println!(
                    "{name:>15}: {:>9.0} rows/s, {micros:.2} µs a row, {:.2} µs a page view (2 rows)",
                    count as f64 / seconds,
                    2.0 * micros
                );
            }
            Ok((_, stored)) => {
                eprintln!("{name}: {stored} rows stored instead of {count}");
                return ExitCode::FAILURE;
            }
            Err(error) => {
                eprintln!("{name}: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
