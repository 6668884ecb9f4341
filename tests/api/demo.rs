//! `wemaintain seed-demo`: synthetic audience traffic that looks like the
//! site's own rows, the same for the same seed, and its command line.

use std::collections::HashSet;
use std::net::IpAddr;

use chrono::{DateTime, Datelike, Months, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Paris;
use wemaintain::analytics::{QueryAllowlist, TruncatedIp};
use wemaintain::db::{from_millis, Db};
use wemaintain::demo::{seed_demo, SeedReport};
use wemaintain::privacy::Register;

use crate::helpers::{fresh_database, read_visits, Backend, LoggedVisit, TestDatabase};
use crate::on_both_backends;

on_both_backends!(
    seeded_rows_look_like_the_sites_audience_rows,
    the_same_seed_gives_the_same_rows,
    the_binary_seeds_and_prints_its_speed,
);

/// A Monday morning, as in the other tests.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap()
}

/// Seeds a fresh database; returns it (kept alive), its pool and the report.
async fn seeded(
    backend: &Backend,
    events: u64,
    days: u32,
    seed: u64,
) -> (TestDatabase, Db, SeedReport) {
    let database = fresh_database(backend).await;
    let db = wemaintain::startup::migrate(&database.settings)
        .await
        .expect("migrate");
    let report = seed_demo(&db, &Register::default(), events, days, now(), seed)
        .await
        .expect("seed");
    (database, db, report)
}

/// The rows in an order that does not depend on insertion order (PostgreSQL
/// runs several batches at once).
fn sorted(mut rows: Vec<LoggedVisit>) -> Vec<LoggedVisit> {
    rows.sort_by(|a, b| {
        let key = |v: &LoggedVisit| {
            (
                v.occurred_at,
                v.ip.clone(),
                v.url.clone(),
                v.browser.clone(),
                v.browser_version.clone(),
                v.os.clone(),
                v.os_version.clone(),
                v.device_type.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    rows
}

async fn seeded_rows_look_like_the_sites_audience_rows(backend: Backend) {
    let (_database, db, report) = seeded(&backend, 5_000, 14, 42).await;
    let rows = read_visits(&db).await;
    db.close().await;

    assert_eq!(rows.len(), 5_000);
    assert_eq!(report.events, 5_000);
    assert_eq!(report.days, 14);
    assert!(rows.iter().all(|r| r.purpose == "audience"));

    // Within the 14 days before now.
    let start = (now() - chrono::Duration::days(14)).timestamp_millis();
    let end = now().timestamp_millis();
    for row in &rows {
        assert!(
            (start..=end).contains(&row.occurred_at),
            "{} outside the period",
            from_millis(row.occurred_at)
        );
    }

    // Truncated IPs, as the site stores them.
    for row in &rows {
        let ip: IpAddr = row.ip.parse().expect("an IP address");
        assert_eq!(TruncatedIp::new(ip).to_string(), row.ip);
        if ip.is_ipv4() {
            assert!(row.ip.ends_with(".0"), "{}", row.ip);
        }
    }

    // Only allow-listed query parameters, and the URL as the site logs it.
    let allowlist = QueryAllowlist::new(vec![
        "utm_source".into(),
        "utm_medium".into(),
        "utm_campaign".into(),
    ]);
    let mut campaigns = 0;
    for row in &rows {
        let (path, query) = row.url.split_once('?').unwrap_or((&row.url, ""));
        assert!(path.starts_with('/'), "{}", row.url);
        assert_eq!(allowlist.logged_url(path, query), row.url);
        if !query.is_empty() {
            campaigns += 1;
            for pair in query.split('&') {
                let name = pair.split_once('=').map_or(pair, |(name, _)| name);
                assert!(
                    ["utm_source", "utm_medium", "utm_campaign"].contains(&name),
                    "{}",
                    row.url
                );
            }
        }
    }
    let campaign_share = f64::from(campaigns) / 5_000.0;
    assert!(
        (0.09..0.21).contains(&campaign_share),
        "campaign share {campaign_share}"
    );

    // Desktops, phones and tablets, from the classifier; never a crawler.
    let types: HashSet<&str> = rows.iter().map(|r| r.device_type.as_str()).collect();
    for kind in ["pc", "smartphone", "tablet"] {
        assert!(types.contains(kind), "no {kind} in {types:?}");
    }
    assert!(!types.contains("crawler") && !types.contains("other"));
    let share = |kind: &str| {
        rows.iter().filter(|r| r.device_type == kind).count() as f64 / rows.len() as f64
    };
    assert!((0.40..0.70).contains(&share("pc")), "pc {}", share("pc"));
    assert!(rows
        .iter()
        .all(|r| r.browser.is_some() && r.os.is_some() && r.browser_version.is_some()));

    // Visitors: (IP, device) pairs that come back for a few views.
    let pairs: HashSet<_> = rows
        .iter()
        .map(|r| {
            (
                &r.ip,
                &r.browser,
                &r.browser_version,
                &r.os,
                &r.os_version,
                &r.device_type,
                &r.manufacturer,
            )
        })
        .collect();
    assert!(report.visitors > 0 && report.visitors < 5_000);
    assert_eq!(pairs.len() as u64, report.visitors);
    let views_per_visitor = 5_000.0 / report.visitors as f64;
    assert!(
        (2.0..8.0).contains(&views_per_visitor),
        "{views_per_visitor} views per visitor"
    );

    // Office hours in Paris are busy, nights nearly empty, weekends quieter.
    let paris = |r: &LoggedVisit| from_millis(r.occurred_at).with_timezone(&Paris);
    let night = rows.iter().filter(|r| paris(r).hour() < 6).count();
    let office = rows
        .iter()
        .filter(|r| (9..18).contains(&paris(r).hour()))
        .count();
    assert!(night < 250, "{night} views at night");
    assert!(office > 2_500, "{office} views in office hours");
    let weekend = rows
        .iter()
        .filter(|r| paris(r).weekday().number_from_monday() >= 6)
        .count() as f64;
    // 14 days before Monday 2 March 2026 10:30 Paris: 4 weekend days.
    let ratio = (weekend / 4.0) / ((5_000.0 - weekend) / 10.0);
    assert!((0.2..0.65).contains(&ratio), "weekend/weekday {ratio}");

    // Kept 13 months from the view, as the register says.
    for row in rows.iter().step_by(97) {
        let expected = from_millis(row.occurred_at)
            .checked_add_months(Months::new(13))
            .unwrap();
        assert_eq!(row.expires_at, expected.timestamp_millis(), "{row:?}");
    }
}

async fn the_same_seed_gives_the_same_rows(backend: Backend) {
    let (_first, db, one) = seeded(&backend, 5_000, 14, 7).await;
    let first = sorted(read_visits(&db).await);
    db.close().await;
    let (_second, db, two) = seeded(&backend, 5_000, 14, 7).await;
    let second = sorted(read_visits(&db).await);
    db.close().await;
    assert_eq!(first.len(), 5_000);
    assert!(first == second, "the same seed gave different rows");
    assert_eq!(one.visitors, two.visitors);

    let (_third, db, _) = seeded(&backend, 5_000, 14, 8).await;
    let third = sorted(read_visits(&db).await);
    db.close().await;
    assert_eq!(third.len(), 5_000);
    assert!(first != third, "another seed gave the same rows");
}

async fn the_binary_seeds_and_prints_its_speed(backend: Backend) {
    let database = fresh_database(&backend).await;
    let url = database.settings.database_url.as_str().to_owned();
    let data = database.settings.data_dir.to_str().unwrap().to_owned();
    let run = |args: &'static [&'static str]| {
        let (url, data) = (url.clone(), data.clone());
        tokio::task::spawn_blocking(move || {
            crate::cli::run(
                args,
                &[
                    ("WM_DATABASE_URL", &url),
                    ("WM_DATA_DIR", &data),
                    ("WM_LOG", "warn"),
                ],
            )
        })
    };

    let output = run(&["seed-demo", "--events", "1000", "--days", "3"])
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Écrit "))
        .unwrap_or_else(|| panic!("no summary line in {stdout}"));
    assert!(
        line.starts_with("Écrit 1000 pages vues sur 3 jours (environ ")
            && line.contains(" visiteurs) en ")
            && line.ends_with(" pages vues/s."),
        "{line}"
    );

    let db = Db::connect(&database.settings.database_url, 1)
        .await
        .unwrap();
    let rows = read_visits(&db).await;
    db.close().await;
    assert_eq!(rows.len(), 1000);
    assert!(rows.iter().all(|r| r.purpose == "audience"));

    // A second run would mix with the first: refused unless --append.
    let output = run(&["seed-demo", "--events", "1000"]).await.unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--append"), "{stderr}");
    let output = run(&["seed-demo", "--events", "500", "--append"])
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let db = Db::connect(&database.settings.database_url, 1)
        .await
        .unwrap();
    assert_eq!(read_visits(&db).await.len(), 1500);
    db.close().await;
}

/// Out-of-range counts are refused by the parser, before any database work.
#[test]
fn zero_events_or_days_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for (args, named) in [
        (&["seed-demo", "--events", "0"][..], "--events"),
        (&["seed-demo", "--events", "100000001"][..], "--events"),
        (
            &["seed-demo", "--events", "10", "--days", "0"][..],
            "--days",
        ),
        (
            &["seed-demo", "--events", "10", "--days", "801"][..],
            "--days",
        ),
        (&["seed-demo"][..], "--events"),
    ] {
        let output = crate::cli::run(args, &[("WM_DATA_DIR", data)]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(named), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // Nothing was created.
    assert!(!dir.path().join("wemaintain.db").exists());
}

#[tokio::test]
async fn the_library_refuses_out_of_range_counts_too() {
    let database = fresh_database(&Backend::Sqlite).await;
    let db = wemaintain::startup::migrate(&database.settings)
        .await
        .unwrap();
    let register = Register::default();
    for (events, days) in [(0, 14), (10, 0), (10, 801), (100_000_001, 14)] {
        let refused = seed_demo(&db, &register, events, days, now(), 42).await;
        assert!(refused.is_err(), "{events} events over {days} days");
    }
    assert!(read_visits(&db).await.is_empty());
    db.close().await;
}
