//! The daily roll-up run by two instances at once.

use wemaintain::analytics::rollup::{day_start, paris_day, roll_up};
use wemaintain::db::Db;
use wemaintain::privacy::Register;

use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;

on_both_backends!(two_instances_rolling_up_at_once_both_succeed_and_count_once);

async fn scalar(db: &Db, sql: &str, day: i64) -> i64 {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).bind(day).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).bind(day).fetch_one(pool).await,
    }
    .expect(sql)
}

async fn two_instances_rolling_up_at_once_both_succeed_and_count_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let now = app.clock_now();
    let register = Register::default();
    // The server's own roll-up at start must not count a half-seeded log.
    app.settled().await;
    wemaintain::demo::seed_demo(&app.db, &register, 3_000, 6, now, 7)
        .await
        .expect("seed");
    // Two connections' worth of work at once, as two instances would.
    let second = Db::connect(&app.settings.database_url, 2).await.unwrap();
    let (a, b) = tokio::join!(
        roll_up(&app.db, &register, now),
        roll_up(&second, &register, now)
    );
    // Both succeed; which days each counted depends on who went first.
    let (a, b) = (a.expect("first roll-up"), b.expect("second roll-up"));
    assert!(!a.days.is_empty() || !b.days.is_empty(), "{a:?} {b:?}");
    let today = paris_day(now);
    for day in today - 6..today {
        // Each day has one total row, equal to its raw rows.
        let totals = scalar(
            &app.db,
            "SELECT COUNT(*) FROM audience_daily WHERE filter_key = '' AND dimension = 'total' AND day = $1",
            day,
        )
        .await;
        assert_eq!(totals, 1, "day {day}");
        let counted = scalar(
            &app.db,
            "SELECT views FROM audience_daily WHERE filter_key = '' AND dimension = 'total' AND day = $1",
            day,
        )
        .await;
        let (from, until) = (
            day_start(day).timestamp_millis(),
            day_start(day + 1).timestamp_millis(),
        );
        let raw = crate::helpers::scalar(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM visitor_log WHERE purpose = 'audience' \
                 AND occurred_at >= {from} AND occurred_at < {until}"
            ),
        )
        .await;
        assert_eq!(counted, raw, "day {day}");
    }
    second.close().await;
}
