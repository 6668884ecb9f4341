//! The visitor log partitioned by purpose and month on PostgreSQL: months
//! exist ahead of their rows, odd dates land in the DEFAULT partition, the
//! purge drops whole expired months and counts them exactly, and reading
//! across months works as on one table. On SQLite the same scenarios run on
//! its one table, where only the partition checks are left out.

use std::sync::Arc;

use chrono::{DateTime, Duration, Months, TimeZone, Utc};
use wemaintain::analytics::partitions::{ensure_coming_months, ensure_months, Month};
use wemaintain::analytics::rollup::{paris_day, roll_up};
use wemaintain::analytics::user_agent::classify;
use wemaintain::analytics::{insert_batch, VisitorEvent};
use wemaintain::clock::Clock;
use wemaintain::db::Db;
use wemaintain::metrics::Metrics;
use wemaintain::privacy::purge::{purge, recent_runs, PurgeMode, PurgeOutcome};
use wemaintain::privacy::{Purpose, Register};
use wemaintain::rights::visits::{search, IpQuery};

use crate::helpers::{count_visits, spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_row_at_an_odd_date_is_kept_readable_and_purged,
    a_fully_expired_month_is_dropped_and_counted_exactly,
    a_partly_expired_month_is_purged_row_by_row,
    security_months_go_at_six_months_while_audience_months_stay,
    a_dry_run_counts_expired_months_without_dropping_them,
    rights_lookups_and_the_roll_up_read_across_months,
);

/// Scenarios about the partitions themselves: nothing to check on SQLite.
macro_rules! on_postgres_only {
    ($($scenario:ident),* $(,)?) => {
        $(
            mod $scenario {
                #[tokio::test]
                async fn postgres() {
                    if let Some(backend) = $crate::helpers::postgres_or_skip() {
                        super::$scenario(backend).await
                    }
                }
            }
        )*
    };
}

on_postgres_only!(
    coming_months_have_their_partitions_from_the_start,
    a_month_created_late_takes_its_rows_from_the_default_partition,
);

const IP: &str = "203.0.113.9";

/// `count` rows of `purpose` at `at`, with their expiry from the default
/// register and the URL `url`.
fn rows(purpose: Purpose, at: DateTime<Utc>, count: usize, url: &str) -> Arc<[VisitorEvent]> {
    let retention = Register::default().retention(purpose);
    (0..count)
        .map(|_| VisitorEvent {
            purpose,
            occurred_at: at,
            expires_at: retention.expires_at(at),
            ip: IP.into(),
            device: Arc::new(classify("curl/8.5.0")),
            url: url.into(),
        })
        .collect()
}

async fn insert(app: &TestApp, events: Arc<[VisitorEvent]>) {
    insert_batch(&app.db, events).await.expect("insert visits");
}

/// The partition (PostgreSQL) holding the rows of `url`, one name per row.
async fn partitions_of(db: &Db, url: &str) -> Vec<String> {
    const SQL: &str = "SELECT tableoid::regclass::TEXT FROM visitor_log WHERE url = $1";
    match db {
        Db::Postgres(pool) => sqlx::query_scalar(SQL).bind(url).fetch_all(pool).await,
        Db::Sqlite(_) => Ok(Vec::new()),
    }
    .expect(SQL)
}

async fn exists(db: &Db, table: &str) -> bool {
    let Db::Postgres(pool) = db else {
        return false;
    };
    sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
        .bind(table)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn count_url(db: &Db, url: &str) -> i64 {
    crate::helpers::scalar(
        db,
        &format!("SELECT COUNT(*) FROM visitor_log WHERE url = '{url}'"),
    )
    .await
}

async fn purge_at(db: &Db, now: DateTime<Utc>, mode: PurgeMode) -> Vec<PurgeOutcome> {
    purge(db, &Register::default(), now, 50, mode, &Metrics::default())
        .await
        .expect("purge")
}

fn purged(outcomes: &[PurgeOutcome], purpose: Purpose) -> u64 {
    outcomes.iter().find(|o| o.purpose == purpose).unwrap().rows
}

/// The rows the last recorded run of `purpose` deleted.
async fn last_recorded(db: &Db, purpose: Purpose) -> i64 {
    recent_runs(db, 50)
        .await
        .unwrap()
        .into_iter()
        .find(|run| run.purpose == purpose.key())
        .expect("a recorded run")
        .rows_deleted
}

/// The 15th of the month after the one the test clock starts in: its month
/// partition exists from the start.
fn next_month_mid(app: &TestApp) -> DateTime<Utc> {
    let start = Month::of(app.clock.now());
    let first = Utc.from_utc_datetime(
        &start
            .first_day()
            .checked_add_months(Months::new(1))
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap(),
    );
    first + Duration::days(14)
}

async fn coming_months_have_their_partitions_from_the_start(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let mut at = app.clock.now();
    for _ in 0..3 {
        for purpose in [Purpose::Audience, Purpose::Security] {
            let name = Month::of(at).partition(purpose);
            assert!(exists(&app.db, &name).await, "{name} missing at start");
        }
        at = at + Months::new(1);
    }
    assert!(!exists(&app.db, &Month::of(at).partition(Purpose::Audience)).await);
    // A month later, two instances' housekeeping at once: the month now
    // ahead is created once, without an error.
    let later = app.clock.now() + Months::new(1);
    let second = Db::connect(&app.settings.database_url, 2).await.unwrap();
    let (a, b) = tokio::join!(
        ensure_coming_months(&app.db, later),
        ensure_coming_months(&second, later)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2, "one month per purpose");
    for purpose in [Purpose::Audience, Purpose::Security] {
        assert!(exists(&app.db, &Month::of(at).partition(purpose)).await);
    }
}

async fn a_row_at_an_odd_date_is_kept_readable_and_purged(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let now = app.clock.now();
    // A clock far ahead, and a row seeded long past its retention.
    insert(
        &app,
        rows(Purpose::Audience, now + Months::new(40), 2, "/futur"),
    )
    .await;
    insert(
        &app,
        rows(Purpose::Security, now - Months::new(30), 3, "/passe"),
    )
    .await;
    if let Db::Postgres(_) = app.db {
        assert_eq!(
            partitions_of(&app.db, "/futur").await,
            ["visitor_log_audience_default"; 2]
        );
        assert_eq!(
            partitions_of(&app.db, "/passe").await,
            ["visitor_log_security_default"; 3]
        );
    }
    assert_eq!(count_url(&app.db, "/futur").await, 2);
    let outcomes = purge_at(&app.db, now, PurgeMode::Delete).await;
    assert_eq!(purged(&outcomes, Purpose::Security), 3);
    assert_eq!(count_url(&app.db, "/passe").await, 0);
    assert_eq!(count_url(&app.db, "/futur").await, 2, "not expired");
}

async fn a_fully_expired_month_is_dropped_and_counted_exactly(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let at = next_month_mid(&app);
    insert(&app, rows(Purpose::Security, at, 37, "/mois")).await;
    insert(
        &app,
        rows(Purpose::Security, at + Duration::days(10), 5, "/mois"),
    )
    .await;
    let month = Month::of(at).partition(Purpose::Security);
    if let Db::Postgres(_) = app.db {
        assert_eq!(
            partitions_of(&app.db, "/mois").await,
            vec![month.clone(); 42]
        );
    }
    app.clock.set(at + Months::new(7));
    let outcomes = purge_at(&app.db, app.clock.now(), PurgeMode::Delete).await;
    assert_eq!(purged(&outcomes, Purpose::Security), 42);
    assert_eq!(last_recorded(&app.db, Purpose::Security).await, 42);
    assert_eq!(count_url(&app.db, "/mois").await, 0);
    assert!(!exists(&app.db, &month).await, "{month} dropped");
    // The writer still has somewhere to put a row of that month.
    insert(&app, rows(Purpose::Security, at, 1, "/tardif")).await;
    assert_eq!(count_url(&app.db, "/tardif").await, 1);
}

async fn a_partly_expired_month_is_purged_row_by_row(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let mid = next_month_mid(&app);
    let (early, late) = (mid - Duration::days(10), mid + Duration::days(10));
    insert(&app, rows(Purpose::Security, early, 4, "/debut")).await;
    insert(&app, rows(Purpose::Security, late, 6, "/fin")).await;
    let outcomes = purge_at(&app.db, mid + Months::new(6), PurgeMode::Delete).await;
    assert_eq!(purged(&outcomes, Purpose::Security), 4);
    assert_eq!(last_recorded(&app.db, Purpose::Security).await, 4);
    assert_eq!(count_url(&app.db, "/debut").await, 0);
    assert_eq!(count_url(&app.db, "/fin").await, 6);
    if let Db::Postgres(_) = app.db {
        let month = Month::of(mid).partition(Purpose::Security);
        assert_eq!(partitions_of(&app.db, "/fin").await, vec![month; 6]);
    }
}

async fn security_months_go_at_six_months_while_audience_months_stay(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let at = next_month_mid(&app);
    insert(&app, rows(Purpose::Security, at, 8, "/meme-date")).await;
    insert(&app, rows(Purpose::Audience, at, 9, "/meme-date")).await;
    let outcomes = purge_at(&app.db, at + Months::new(7), PurgeMode::Delete).await;
    assert_eq!(purged(&outcomes, Purpose::Security), 8);
    assert_eq!(purged(&outcomes, Purpose::Audience), 0);
    assert_eq!(count_visits(&app.db, "security").await, 0);
    assert_eq!(count_visits(&app.db, "audience").await, 9);
    let audience_month = Month::of(at).partition(Purpose::Audience);
    if let Db::Postgres(_) = app.db {
        assert!(exists(&app.db, &audience_month).await);
        assert!(!exists(&app.db, &Month::of(at).partition(Purpose::Security)).await);
    }
    // Thirteen months on, the audience month goes too.
    let outcomes = purge_at(&app.db, at + Months::new(14), PurgeMode::Delete).await;
    assert_eq!(purged(&outcomes, Purpose::Audience), 9);
    assert_eq!(last_recorded(&app.db, Purpose::Audience).await, 9);
    assert!(!exists(&app.db, &audience_month).await);
}

async fn a_dry_run_counts_expired_months_without_dropping_them(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let at = next_month_mid(&app);
    insert(&app, rows(Purpose::Security, at, 12, "/essai")).await;
    let outcomes = purge_at(&app.db, at + Months::new(7), PurgeMode::DryRun).await;
    assert_eq!(purged(&outcomes, Purpose::Security), 12);
    assert_eq!(count_url(&app.db, "/essai").await, 12);
    if let Db::Postgres(_) = app.db {
        assert!(exists(&app.db, &Month::of(at).partition(Purpose::Security)).await);
    }
}

async fn rights_lookups_and_the_roll_up_read_across_months(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    // The last day of one month and the first of the next, at noon UTC,
    // and a row in the DEFAULT partition (a year before the clock).
    let first = next_month_mid(&app) - Duration::days(14);
    let last = first - Duration::days(1);
    let long_ago = first - Months::new(12);
    for (at, count) in [(last, 3), (first, 4), (long_ago, 2)] {
        insert(&app, rows(Purpose::Security, at, count, "/droits")).await;
        insert(&app, rows(Purpose::Audience, at, count, "/stats")).await;
    }
    let ip = IpQuery::parse(IP).unwrap();
    let found = search(&app.db, ip, long_ago, first + Duration::days(1), 100)
        .await
        .expect("rights lookup");
    assert_eq!(found.len(), 9);

    let now = first + Duration::days(3);
    roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
    for (at, count) in [(last, 3), (first, 4), (long_ago, 2)] {
        let day = paris_day(at);
        let views = crate::helpers::scalar(
            &app.db,
            &format!("SELECT views FROM audience_daily WHERE filter_key = '' AND dimension = 'total' AND day = {day}"),
        )
        .await;
        assert_eq!(views, count, "day {day}");
    }
}

async fn a_month_created_late_takes_its_rows_from_the_default_partition(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let at = app.clock.now() - Months::new(5);
    insert(&app, rows(Purpose::Audience, at, 7, "/en-retard")).await;
    assert_eq!(
        partitions_of(&app.db, "/en-retard").await,
        ["visitor_log_audience_default"; 7]
    );
    let created = ensure_months(&app.db, at, at)
        .await
        .expect("create the month");
    assert_eq!(created, 2, "one month per purpose");
    let month = Month::of(at).partition(Purpose::Audience);
    assert_eq!(partitions_of(&app.db, "/en-retard").await, vec![month; 7]);
    // Again: nothing to do.
    assert_eq!(ensure_months(&app.db, at, at).await.unwrap(), 0);
}
