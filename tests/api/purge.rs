//! The purge enforces every retention window of the register.

use std::sync::Arc;

use chrono::{Duration, Months, Utc};
use wemaintain::analytics::user_agent::classify;
use wemaintain::analytics::{insert_batch, VisitorEvent};
use wemaintain::clock::Clock;
use wemaintain::db::Db;
use wemaintain::metrics::Metrics;
use wemaintain::privacy::purge::{purge, recent_runs, PurgeMode, PurgeOutcome};
use wemaintain::privacy::{Purpose, Register};

use crate::helpers::{spawn_app, spawn_app_with, wait, Backend};
use crate::on_both_backends;

on_both_backends!(
    the_purge_removes_expired_rows_of_each_purpose_and_keeps_the_rest,
    a_dry_run_deletes_nothing,
    a_shortened_retention_period_also_applies_to_older_rows,
    two_purges_at_once_are_safe,
    the_purge_command_reports_and_deletes,
    a_stop_during_a_purge_records_what_it_deleted,
    a_purge_that_fails_halfway_records_what_it_deleted,
);

fn rows(outcomes: &[PurgeOutcome], purpose: Purpose) -> u64 {
    outcomes
        .iter()
        .find(|o| o.purpose == purpose)
        .map(|o| o.rows)
        .unwrap_or_else(|| panic!("no outcome for {purpose}"))
}

async fn count(db: &Db, purpose: &str) -> i64 {
    crate::helpers::count_visits(db, purpose).await
}

/// `count` security rows collected 7 months before `now`, so past their
/// 6-month retention, with the URL `url(i)` for the i-th.
fn expired_security_rows(
    now: chrono::DateTime<Utc>,
    count: usize,
    url: impl Fn(usize) -> String,
) -> Arc<[VisitorEvent]> {
    let occurred_at = now - Months::new(7);
    (0..count)
        .map(|i| VisitorEvent {
            purpose: Purpose::Security,
            occurred_at,
            expires_at: occurred_at + Months::new(6),
            ip: "203.0.113.7".into(),
            device: Arc::new(classify("curl/8.5.0")),
            url: url(i),
        })
        .collect()
}

/// Three page views (3 audience + 3 security rows) a month apart.
async fn three_monthly_visits(
    backend: Backend,
) -> (crate::helpers::StoppedApp, chrono::DateTime<Utc>) {
    let app = spawn_app(backend).await;
    let start = app.clock.now();
    for _ in 0..3 {
        assert_eq!(app.get("/").await.status(), 200);
        app.clock.set(app.clock.now() + Months::new(1));
    }
    (app.stop().await, start)
}

async fn the_purge_removes_expired_rows_of_each_purpose_and_keeps_the_rest(backend: Backend) {
    let (app, start) = three_monthly_visits(backend).await;
    // The server's own schedule ran once at start.
    let runs_before = recent_runs(&app.db, 100).await.unwrap().len();
    let register = Register::default();
    let metrics = Metrics::default();
    let run = |months: u32, days: i64| {
        let now = start + Months::new(months) + Duration::days(days);
        let db = app.db.clone();
        let register = register.clone();
        let metrics = &metrics;
        async move {
            purge(&db, &register, now, 2, PurgeMode::Delete, metrics)
                .await
                .unwrap()
        }
    };

    // Nothing has expired a day before the first security row does.
    let outcomes = run(6, -1).await;
    assert_eq!(rows(&outcomes, Purpose::Security), 0);
    assert_eq!(count(&app.db, "security").await, 3);

    // Six months and a day after the first visit: the first security row goes.
    let outcomes = run(6, 1).await;
    assert_eq!(rows(&outcomes, Purpose::Security), 1);
    assert_eq!(rows(&outcomes, Purpose::Audience), 0);
    assert_eq!(count(&app.db, "security").await, 2);
    assert_eq!(count(&app.db, "audience").await, 3);

    // Eight months and a day: all security rows are gone, audience is kept.
    run(8, 1).await;
    assert_eq!(count(&app.db, "security").await, 0);
    assert_eq!(count(&app.db, "audience").await, 3);

    // Fourteen months and a day: two audience rows have expired (batches of 2).
    let outcomes = run(14, 1).await;
    assert_eq!(rows(&outcomes, Purpose::Audience), 2);
    assert_eq!(count(&app.db, "audience").await, 1);

    // Every run of every purpose that stores rows is recorded.
    let runs = recent_runs(&app.db, 100).await.unwrap();
    let storing = wemaintain::privacy::Register::default()
        .activities()
        .iter()
        .filter(|a| !a.stored_in.is_empty())
        .count();
    assert_eq!(
        storing, 9,
        "audience, its daily aggregates, security, contact, recruitment, account, pending registrations, contract evidence, rights requests"
    );
    assert_eq!(
        runs.len() - runs_before,
        4 * storing,
        "4 runs × each purpose that stores rows: {runs:?}"
    );
    let deleted: i64 = runs.iter().map(|r| r.rows_deleted).sum();
    assert_eq!(deleted, 5);
    assert!(runs.iter().all(|r| r.finished_at >= r.started_at));
}

async fn a_dry_run_deletes_nothing(backend: Backend) {
    let (app, start) = three_monthly_visits(backend).await;
    let runs_before = recent_runs(&app.db, 100).await.unwrap().len();
    let now = start + Months::new(20);
    let outcomes = purge(
        &app.db,
        &Register::default(),
        now,
        100,
        PurgeMode::DryRun,
        &Metrics::default(),
    )
    .await
    .unwrap();
    assert_eq!(rows(&outcomes, Purpose::Audience), 3);
    assert_eq!(rows(&outcomes, Purpose::Security), 3);
    assert_eq!(count(&app.db, "audience").await, 3);
    assert_eq!(count(&app.db, "security").await, 3);
    assert_eq!(recent_runs(&app.db, 100).await.unwrap().len(), runs_before);
}

async fn a_shortened_retention_period_also_applies_to_older_rows(backend: Backend) {
    // Rows written under the defaults: security expires after 6 months.
    let (app, start) = three_monthly_visits(backend).await;
    let mut overrides = wemaintain::privacy::RetentionOverrides::default();
    overrides.set(Purpose::Security, wemaintain::privacy::Period::Days(45));
    let shortened = Register::with_overrides(&overrides);
    // 80 days after the first visit (visits on days 0, 31 and 61): two are older than 45 days.
    let now = start + Duration::days(80);
    let metrics = Metrics::default();
    let dry = purge(&app.db, &shortened, now, 10, PurgeMode::DryRun, &metrics)
        .await
        .unwrap();
    assert_eq!(rows(&dry, Purpose::Security), 2);
    let done = purge(&app.db, &shortened, now, 10, PurgeMode::Delete, &metrics)
        .await
        .unwrap();
    assert_eq!(rows(&done, Purpose::Security), 2);
    assert_eq!(rows(&done, Purpose::Audience), 0);
    assert_eq!(count(&app.db, "security").await, 1);
    assert_eq!(count(&app.db, "audience").await, 3);
}

async fn two_purges_at_once_are_safe(backend: Backend) {
    let app = spawn_app(backend).await;
    for _ in 0..40 {
        app.get("/").await;
    }
    let start = app.clock.now();
    let app = app.stop().await;
    let register = Register::default();
    let now = start + Months::new(7);
    // Two instances: two pools, two tasks.
    let other = Db::connect(&app.settings.database_url, 2).await.unwrap();
    let instance = |db: Db| {
        let register = register.clone();
        tokio::spawn(async move {
            purge(
                &db,
                &register,
                now,
                3,
                PurgeMode::Delete,
                &Metrics::default(),
            )
            .await
        })
    };
    let (a, b) = tokio::join!(instance(app.db.clone()), instance(other));
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert_eq!(
        rows(&a, Purpose::Security) + rows(&b, Purpose::Security),
        40
    );
    assert_eq!(count(&app.db, "security").await, 0);
    assert_eq!(count(&app.db, "audience").await, 40);
}

async fn the_purge_command_reports_and_deletes(backend: Backend) {
    // Visits seven months ago: security rows have expired, audience rows not.
    let app = spawn_app(backend).await;
    app.clock.set(Utc::now() - Months::new(7));
    for _ in 0..3 {
        app.get("/").await;
    }
    let app = app.stop().await;
    let url = app.settings.database_url.as_str().to_owned();
    let data = app.settings.data_dir.to_str().unwrap().to_owned();
    let run = |args: &'static [&'static str]| {
        let (url, data) = (url.clone(), data.clone());
        tokio::task::spawn_blocking(move || {
            crate::cli::run(args, &[("WM_DATABASE_URL", &url), ("WM_DATA_DIR", &data)])
        })
    };

    let output = run(&["purge", "--dry-run"]).await.unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    let line = |purpose: &str| {
        printed
            .lines()
            .find(|l| l.starts_with(&format!("{purpose} ")))
            .unwrap_or_else(|| panic!("no line for {purpose} in {printed}"))
            .to_owned()
    };
    assert!(
        line("security").contains("          3 lignes à supprimer"),
        "{printed}"
    );
    assert!(
        line("audience").contains("          0 ligne à supprimer"),
        "{printed}"
    );
    assert_eq!(count(&app.db, "security").await, 3);

    let output = run(&["purge"]).await.unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("          3 lignes supprimées"));
    assert_eq!(count(&app.db, "security").await, 0);
    assert_eq!(count(&app.db, "audience").await, 3);
}

/// A server stopped in the middle of a purge lets the batch in progress
/// finish and records what the interrupted run deleted: `purge_runs`
/// accounts for every deleted row, and the stop does not wait for the end
/// of a long purge.
async fn a_stop_during_a_purge_records_what_it_deleted(backend: Backend) {
    const SEEDED: i64 = 30_000;
    let app = spawn_app_with(backend, |settings| {
        settings.purge_batch = 100;
        settings.purge_interval = std::time::Duration::from_millis(200);
    })
    .await;
    let expired = expired_security_rows(app.clock.now(), SEEDED as usize, |i| format!("/page/{i}"));
    insert_batch(&app.db, expired)
        .await
        .expect("seed expired rows");
    // 300 batches with a 5 ms pause after each: the purge takes 1.5 s at
    // least, so a stop as soon as it has begun lands in its middle.
    wait::until_true("the purge to start", || async {
        count(&app.db, "security").await < SEEDED
    })
    .await;

    let stopped = app.stop().await;

    let left = count(&stopped.db, "security").await;
    assert!(left > 0, "the stop came after the purge had finished");
    let recorded: i64 = recent_runs(&stopped.db, 1_000)
        .await
        .unwrap()
        .iter()
        .filter(|run| run.purpose == "security")
        .map(|run| run.rows_deleted)
        .sum();
    assert_eq!(recorded, SEEDED - left, "every deleted row is recorded");
}

/// A purge that fails after some batches has deleted them all the same:
/// they are recorded in purge_runs before the error is returned. A trigger
/// refuses to delete the last expired row, so the batches before it commit
/// and the one holding it fails.
async fn a_purge_that_fails_halfway_records_what_it_deleted(backend: Backend) {
    const SEEDED: usize = 40;
    let app = spawn_app(backend).await;
    app.settled().await;
    let expired = expired_security_rows(app.clock.now(), SEEDED, |i| {
        if i + 1 == SEEDED {
            "/refus".to_owned()
        } else {
            format!("/page/{i}")
        }
    });
    insert_batch(&app.db, expired)
        .await
        .expect("seed expired rows");
    let refuse = match &app.db {
        Db::Sqlite(_) => vec![
            "CREATE TRIGGER refuse_delete BEFORE DELETE ON visitor_log \
             WHEN OLD.url = '/refus' BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ],
        Db::Postgres(_) => vec![
            "CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN IF OLD.url = '/refus' THEN RAISE EXCEPTION 'refused'; END IF; \
             RETURN OLD; END $$",
            "CREATE TRIGGER refuse_delete BEFORE DELETE ON visitor_log \
             FOR EACH ROW EXECUTE FUNCTION refuse_delete()",
        ],
    };
    for sql in refuse {
        crate::helpers::execute(&app.db, sql).await.expect(sql);
    }

    let now = app.clock.now();
    let result = purge(
        &app.db,
        &Register::default(),
        now,
        10,
        PurgeMode::Delete,
        &Metrics::default(),
    )
    .await;
    assert!(result.is_err(), "the refused row fails the purge");
    let left = count(&app.db, "security").await;
    assert!(
        left > 0 && left < SEEDED as i64,
        "some batches were deleted before the failure: {left} left"
    );
    let recorded: i64 = recent_runs(&app.db, 1_000)
        .await
        .unwrap()
        .iter()
        .filter(|run| run.purpose == "security")
        .map(|run| run.rows_deleted)
        .sum();
    assert_eq!(
        recorded,
        SEEDED as i64 - left,
        "every deleted row is recorded"
    );
}
