//! How close the statistics' estimate of visits comes to the visits the
//! generator really made (`seed-demo` prints both; bench/stats shows them).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::analytics::goals::Goals;
use crate::analytics::rollup::{count_audience, day_start, paris_day, Day, Dimension};
use crate::db::{on_pool, Db, DbError};

/// True and estimated visits over the days the statistics can show: the
/// counted days (aggregates) and today (raw rows); days past retention,
/// never counted, are left out of both.
pub async fn true_and_estimated(
    db: &Db,
    visits_by_day: &BTreeMap<Day, u64>,
    now: DateTime<Utc>,
) -> Result<(u64, u64, usize), DbError> {
    let stored: Vec<(i64, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT day, visits FROM audience_daily WHERE filter_key = '' AND dimension = 'total'"
    )
    .fetch_all(pool)
    .await)?;
    let mut estimated: BTreeMap<Day, u64> = stored
        .into_iter()
        .map(|(day, visits)| (day, visits.max(0) as u64))
        .collect();
    let today = paris_day(now);
    if visits_by_day.contains_key(&today) {
        let goals = Arc::new(Goals::default());
        let counts = count_audience(db, &goals, day_start(today), now).await?;
        let visits = counts.get(Dimension::Total, "").visits;
        estimated.insert(today, visits.max(0) as u64);
    }
    let (mut truth, mut estimate, mut days) = (0, 0, 0);
    for (day, visits) in visits_by_day {
        if let Some(counted) = estimated.get(day) {
            truth += visits;
            estimate += counted;
            days += 1;
        }
    }
    Ok((truth, estimate, days))
}

/// « Visites : 1234 réelles, 1190 estimées (-3,6 %) sur 30 jours comptés. »
pub fn summary(truth: u64, estimate: u64, days: usize) -> String {
    let gap = if truth > 0 {
        let rate = (estimate as f64 - truth as f64) / truth as f64 * 100.0;
        format!(" ({:+.1} %)", rate).replace('.', ",")
    } else {
        String::new()
    };
    format!("Visites : {truth} réelles, {estimate} estimées{gap} sur {days} jours comptés.")
}
