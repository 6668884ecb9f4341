//! Long periods read monthly sums of the daily aggregates
//! (`audience_monthly`): a 12-month view, filtered on one value or not,
//! shows the same figures with the sums as without them; a month whose
//! sum no longer covers its stored days is read from its days; the sums
//! expire with their month's first day.

use chrono::{Duration, Months};
use wemaintain::analytics::monthly::month_of;
use wemaintain::analytics::rollup::{day_start, paris_day, roll_up};
use wemaintain::metrics::Metrics;
use wemaintain::privacy::purge::{purge, PurgeMode};
use wemaintain::privacy::Register;

use crate::helpers::{execute, scalar, spawn_app, Backend, Browser, TestApp};
use crate::on_both_backends;
use crate::statistics_tables::{csv, insert, marketing, view};

on_both_backends!(
    long_periods_read_monthly_sums_equal_to_their_days,
    monthly_sums_expire_with_their_first_day,
);

/// Views every 9 days over 400 days before now, by a few visitors each,
/// on `/` and `/services`; then the roll-up, which sums the months.
async fn thirteen_months(app: &TestApp) {
    let now = app.clock_now();
    let mut views = Vec::new();
    for days_ago in (1..=400).step_by(9) {
        let at = now - Duration::days(days_ago) - Duration::hours(3);
        for who in 0..(days_ago as usize % 7 + 1) {
            views.push(view(at + Duration::minutes(who as i64), who, "/"));
            if who % 2 == 0 {
                let later = at + Duration::minutes(who as i64 + 5);
                views.push(view(later, who, "/services"));
            }
        }
    }
    insert(app, &views).await;
    roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
}

/// What a 12-month view shows, as CSV: its headline figures and its pages.
async fn twelve_months(browser: &Browser, filter: &str) -> Vec<Vec<Vec<String>>> {
    let mut out = Vec::new();
    for path in [
        "/statistiques/export?tableau=chiffres&periode=12m",
        "/statistiques/tableau/pages/export?periode=12m",
    ] {
        out.push(csv(browser, &format!("{path}{filter}")).await);
    }
    out
}

/// The page views of `/` in a pages CSV.
fn home_views(tables: &[Vec<Vec<String>>]) -> String {
    tables[1]
        .iter()
        .find(|row| row[0] == "/")
        .map(|row| row[1].clone())
        .unwrap_or_else(|| panic!("no / in {:?}", tables[1]))
}

async fn long_periods_read_monthly_sums_equal_to_their_days(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    thirteen_months(&app).await;
    let browser = marketing(&app).await;

    // Every month is summed, over exactly its stored days.
    let months = scalar(
        &app.db,
        "SELECT COUNT(*) FROM audience_monthly WHERE filter_key = '' AND dimension = 'total'",
    )
    .await;
    assert!(months >= 13, "{months} months summed");
    let now = app.clock_now();
    for back in 1..=12 {
        let (first, last) = month_of(paris_day(now - Months::new(back)));
        let sql = |what: &str, table: &str, column: &str| {
            format!(
                "SELECT {what} FROM {table} WHERE filter_key = '' AND dimension = 'total' \
                 AND {column} >= {first} AND {column} <= {last}"
            )
        };
        let summed = scalar(&app.db, &sql("days", "audience_monthly", "first_day")).await;
        let stored = scalar(&app.db, &sql("COUNT(*)", "audience_daily", "day")).await;
        assert_eq!(summed, stored, "{back} months back");
    }

    // A month wholly inside the 12 months: its sum is what the view reads.
    let (first, _) = month_of(paris_day(now - Months::new(6)));
    let site = twelve_months(&browser, "").await;
    let filtered = twelve_months(&browser, "&chemin=%2Fservices").await;
    assert_ne!(site, filtered, "the filter keeps fewer visits");
    let corrupt = format!(
        "UPDATE audience_monthly SET views = views + 1000 WHERE first_day = {first} \
         AND dimension = 'page' AND value = '/'"
    );
    update(&app, &corrupt).await;
    let read = twelve_months(&browser, "").await;
    let number = |text: String| text.replace(['\u{202f}', ' '], "").parse::<i64>().unwrap();
    assert_eq!(
        number(home_views(&read)),
        number(home_views(&site)) + 1000,
        "the month's sum is read"
    );

    // A sum that no longer covers the month's stored days is not read.
    update(
        &app,
        &format!("UPDATE audience_monthly SET days = days + 1 WHERE first_day = {first}"),
    )
    .await;
    assert_eq!(twelve_months(&browser, "").await, site);
    assert_eq!(
        twelve_months(&browser, "&chemin=%2Fservices").await,
        filtered
    );

    // Without any sum, the days give the same figures.
    update(&app, "DELETE FROM audience_monthly").await;
    assert_eq!(twelve_months(&browser, "").await, site);
    assert_eq!(
        twelve_months(&browser, "&chemin=%2Fservices").await,
        filtered
    );
    app.stop().await;
}

async fn update(app: &TestApp, sql: &str) {
    execute(&app.db, sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn monthly_sums_expire_with_their_first_day(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    thirteen_months(&app).await;
    let oldest: i64 = scalar(&app.db, "SELECT MIN(first_day) FROM audience_monthly").await;
    let (_, oldest_last) = month_of(oldest);
    // 25 months after the oldest month began, and a day: that month's sum
    // goes, its later days (and the next month's sum) stay until theirs.
    let after = day_start(oldest) + Months::new(25) + Duration::days(1);
    purge(
        &app.db,
        &Register::default(),
        after,
        1000,
        PurgeMode::Delete,
        &Metrics::default(),
    )
    .await
    .expect("purge");
    let sums = |first_day: i64| {
        let db = app.db.clone();
        async move {
            scalar(
                &db,
                &format!("SELECT COUNT(*) FROM audience_monthly WHERE first_day = {first_day}"),
            )
            .await
        }
    };
    assert_eq!(sums(oldest).await, 0, "the oldest month's sum is purged");
    assert!(
        sums(oldest_last + 1).await > 0,
        "the next month's sum stays"
    );
    let later_days = scalar(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM audience_daily WHERE day > {} AND day <= {oldest_last}",
            paris_day(after - Months::new(25))
        ),
    )
    .await;
    assert!(later_days > 0, "the month's later days stay");
    app.stop().await;
}
