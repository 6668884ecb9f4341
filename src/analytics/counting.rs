//! How a statistics view adds up its period: whole days from the daily
//! aggregates (whole months from their sums), the others (today, a day cut
//! at an hour, a day not counted yet) from the raw rows. A view of one
//! filter reads that filter's slice of the aggregates (`slices`); a view of
//! two filters or more is counted from the raw rows only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::filters::Filters;
use super::goals::Goals;
use super::monthly::{self, ReadPlan};
use super::period::Comparison;
use super::rollup::{
    count_audience_by_day, day_start, paris_day, Counts, Day, DayCounts, Dimension,
};
use super::slices::Slice;
use super::today::RunningDays;
use crate::db::{on_pool, Db, DbError};
use crate::privacy::{Purpose, Register};

/// The headline figures of a period.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Headline {
    pub views: i64,
    /// Visitors counted per day, added up over the period.
    pub visitors: i64,
    /// Visits (`visits.rs`: no 30-minute gap, within a day).
    pub visits: i64,
    /// Share of visits of one page view, 0 to 1.
    pub bounce_rate: f64,
    /// Seconds from the first to the last page view of a visit, on average
    /// (a bounce counts 0).
    pub average_duration_s: f64,
    /// Page views per visit.
    pub pages_per_visit: f64,
    /// Share of visitors on a phone or a tablet, 0 to 1.
    pub mobile_share: f64,
    /// Fewer visitors than the minimum group: the page shows none of these
    /// figures (a one-day period would otherwise give what the chart hides).
    pub hidden: bool,
}

/// `part / whole`, 0 when there is no whole.
pub fn ratio(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

/// What a period adds up to, before suppression.
#[derive(Debug, Default)]
pub(super) struct PeriodCounts {
    /// Per day, the whole site.
    pub(super) days: BTreeMap<Day, Counts>,
    /// Per day and Paris hour, the whole site (for an hourly chart).
    pub(super) hours: BTreeMap<(Day, u32), Counts>,
    /// Per (dimension, value), over the period.
    pub(super) values: HashMap<(Dimension, String), Counts>,
    /// For a filtered view, the first day its figures cover (after the
    /// period's last day when they cover none).
    pub(super) counted_from: Option<Day>,
}

impl PeriodCounts {
    fn add(&mut self, dimension: Dimension, value: String, counts: &Counts) {
        self.values
            .entry((dimension, value))
            .or_default()
            .add(counts);
    }

    /// A day counted from the raw rows: its total, and its breakdowns (or
    /// only its devices).
    fn add_day(&mut self, day: Day, day_counts: &DayCounts, with_breakdowns: bool) {
        self.days.insert(day, day_counts.get(Dimension::Total, ""));
        for ((dimension, value), c) in &day_counts.0 {
            if *dimension == Dimension::Hour {
                if let Ok(hour) = value.parse() {
                    self.hours.insert((day, hour), c.clone());
                }
            }
            let wanted = if with_breakdowns {
                Dimension::BREAKDOWNS.contains(dimension)
                    || Dimension::VERSIONS.contains(dimension)
                    || Dimension::VISITS.contains(dimension)
            } else {
                *dimension == Dimension::Device
            };
            if wanted {
                self.add(*dimension, value.clone(), c);
            }
        }
    }

    pub(super) fn headline(&self) -> Headline {
        let views: i64 = self.days.values().map(|c| c.views).sum();
        let visitors: i64 = self.days.values().map(|c| c.visitors).sum();
        let visits: i64 = self.days.values().map(|c| c.visits).sum();
        let bounces: i64 = self.days.values().map(|c| c.bounces).sum();
        let duration: i64 = self.days.values().map(|c| c.duration_s).sum();
        let mobile: i64 = ["smartphone", "mobilephone", "tablet"]
            .iter()
            .filter_map(|device| self.values.get(&(Dimension::Device, (*device).to_owned())))
            .map(|c| c.visitors)
            .sum();
        Headline {
            views,
            visitors,
            visits,
            bounce_rate: ratio(bounces, visits),
            average_duration_s: ratio(duration, visits),
            pages_per_visit: ratio(views, visits),
            mobile_share: ratio(mobile, visitors),
            hidden: false,
        }
    }
}

const BREAKDOWN_KEYS: &str = "'page', 'campaign', 'browser', 'os', 'device', 'manufacturer', \
     'browser_version', 'os_version', 'entry', 'exit', 'goal', 'goal_campaign', 'goal_entry', \
     'goal_device', 'funnel'";

/// Where the statistics are read from, and what they are read with.
#[derive(Clone, Copy)]
pub struct Audience<'a> {
    pub db: &'a Db,
    pub register: &'a Register,
    pub goals: &'a Arc<Goals>,
    /// Fewer visitors than this are never shown as a figure.
    pub min_group: i64,
    /// Today (and a compared day) counted as it goes.
    pub days: &'a RunningDays,
}

/// Adds up the days `first` to `last`, counted until `until` (now, or
/// the time of day a compared span is cut at) at `now` (what the raw rows
/// still hold depends on it, not on the span): whole stored days from the
/// aggregates (whole months from their sums), the others (today, a cut
/// day, a day not counted yet) from the raw rows, counted the same way.
/// No filter or one filter reads its slice of the aggregates; two or more
/// are counted from the raw rows.
pub(super) async fn period_counts(
    audience: &Audience<'_>,
    filters: &Filters,
    (first, last): (Day, Day),
    (until, now): (DateTime<Utc>, DateTime<Utc>),
    with_breakdowns: bool,
) -> Result<PeriodCounts, DbError> {
    let Some(slice) = Slice::of_filters(filters) else {
        let span = (first, last);
        return filtered_counts(audience, filters, span, (until, now), with_breakdowns).await;
    };
    let Audience {
        db,
        register,
        goals,
        ..
    } = *audience;
    let mut counts = PeriodCounts::default();
    // A day cut before its end is counted from its raw rows only.
    let whole_last = if until < day_start(last + 1) {
        last - 1
    } else {
        last
    };
    let stored = stored_days(db, (first, whole_last)).await?;
    let stored_set: HashSet<Day> = stored.iter().map(|(day, _)| *day).collect();
    // A slice is read only from days counted with their slices.
    let readable: Vec<Day> = stored
        .iter()
        .filter(|(_, with_slices)| slice.is_site() || *with_slices)
        .map(|(day, _)| *day)
        .collect();
    add_stored_days(db, &slice, (first, whole_last), &readable, &mut counts).await?;
    let plan = monthly::plan(db, (first, whole_last), &stored_set).await?;
    add_stored_values(db, &slice, &plan, with_breakdowns, &mut counts).await?;

    // Days with no aggregates yet, from the raw rows, if they are all still
    // there: a day whose oldest rows have expired would count part of its
    // visits (and the roll-up never counts it, so every look at a long
    // period would count it again from its rows).
    let today = paris_day(until);
    let raw_from = first_raw_day(register, now);
    let missing: Vec<Day> = (first.max(raw_from)..=last.min(today))
        .filter(|day| !stored_set.contains(day))
        .collect();
    if !slice.is_site() {
        let counted_from = readable.iter().chain(&missing).min().copied();
        counts.counted_from = Some(counted_from.unwrap_or(last + 1));
    }
    let (running, finished): (Vec<Day>, Vec<Day>) = missing
        .into_iter()
        .partition(|day| until < day_start(day + 1));
    // Today, or a day compared until the same hour: counted as it goes
    // (the cut instant stands for now).
    for day in running {
        let day_counts = (audience.days)
            .filtered_counts(db, goals, filters, day, until, until)
            .await?;
        counts.add_day(day, &day_counts, with_breakdowns);
    }
    // Finished days the roll-up has not counted yet, a run of days at a
    // time.
    for (from, to) in runs(&finished) {
        let span = (day_start(from), day_start(to + 1));
        let by_day = count_audience_by_day(db, goals, filters, span.0, span.1).await?;
        for day in from..=to {
            let day_counts = by_day.get(&day).cloned().unwrap_or_default();
            counts.add_day(day, &day_counts, with_breakdowns);
        }
    }
    Ok(counts)
}

/// Days in order as runs of consecutive days, each `(first, last)`.
fn runs(days: &[Day]) -> Vec<(Day, Day)> {
    let mut out: Vec<(Day, Day)> = Vec::new();
    for &day in days {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == day => *last = day,
            _ => out.push((day, day)),
        }
    }
    out
}

/// The first day whose raw rows are all still there: views of two
/// filters or more are counted from the raw rows, so they go back no
/// further.
pub fn first_raw_day(register: &Register, now: DateTime<Utc>) -> Day {
    paris_day(register.retention(Purpose::Audience).period.before(now)) + 1
}

/// A period filtered on two values or more, counted from the raw rows:
/// the aggregates hold one filter at a time. Days before the raw rows
/// count nothing.
async fn filtered_counts(
    audience: &Audience<'_>,
    filters: &Filters,
    (first, last): (Day, Day),
    (until, now): (DateTime<Utc>, DateTime<Utc>),
    with_breakdowns: bool,
) -> Result<PeriodCounts, DbError> {
    let mut counts = PeriodCounts::default();
    let first = first.max(first_raw_day(audience.register, now));
    let last = last.min(paris_day(until));
    counts.counted_from = Some(first);
    if first > last {
        return Ok(counts);
    }
    // A last day cut before its end (today, a compared day) is counted as
    // it goes; the whole days in one ordered read.
    let cut = until < day_start(last + 1);
    let whole_last = if cut { last - 1 } else { last };
    let (db, goals) = (audience.db, audience.goals);
    let (from, to) = (day_start(first), day_start(whole_last + 1));
    let mut days = if first <= whole_last {
        count_audience_by_day(db, goals, filters, from, to).await?
    } else {
        BTreeMap::new()
    };
    if cut {
        let running = audience.days;
        let day_counts = running
            .filtered_counts(db, goals, filters, last, until, until)
            .await?;
        days.insert(last, day_counts);
    }
    for day in first..=last {
        let day_counts = days.get(&day).cloned().unwrap_or_default();
        counts.add_day(day, &day_counts, with_breakdowns);
    }
    Ok(counts)
}

/// The period's stored days, each with whether its slices were counted
/// with it.
async fn stored_days(db: &Db, (first, last): (Day, Day)) -> Result<Vec<(Day, bool)>, DbError> {
    let days: Vec<(Day, bool)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT day, filters_counted FROM audience_daily WHERE filter_key = '' \
         AND filter_value = '' AND dimension = 'total' AND day >= $1 AND day <= $2"
    )
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await)?;
    Ok(days)
}

/// The slice's totals of the `readable` days of the period (0 for a day
/// without a row: none of its visits matched).
async fn add_stored_days(
    db: &Db,
    slice: &Slice,
    (first, last): (Day, Day),
    readable: &[Day],
    counts: &mut PeriodCounts,
) -> Result<(), DbError> {
    let stored: Vec<(i64, i64, i64, i64, i64, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT day, views, visitors, visits, bounces, duration_s FROM audience_daily \
         WHERE filter_key = $1 AND filter_value = $2 AND day >= $3 AND day <= $4 \
         AND dimension = 'total'"
    )
    .bind(slice.key)
    .bind(&slice.value)
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await)?;
    for &day in readable {
        counts.days.insert(day, Counts::default());
    }
    for (day, views, visitors, visits, bounces, duration_s) in stored {
        if counts.days.contains_key(&day) {
            let day_counts = Counts {
                views,
                visitors,
                visits,
                bounces,
                duration_s,
            };
            counts.days.insert(day, day_counts);
        }
    }
    Ok(())
}

/// The period's breakdowns (or only its devices, for the headline's
/// mobile share) from the stored days: whole months from their sums, the
/// other days one by one.
async fn add_stored_values(
    db: &Db,
    slice: &Slice,
    plan: &ReadPlan,
    with_breakdowns: bool,
    counts: &mut PeriodCounts,
) -> Result<(), DbError> {
    let dimensions = if with_breakdowns {
        BREAKDOWN_KEYS
    } else {
        "'device'"
    };
    // PostgreSQL sums BIGINT into NUMERIC: the cast brings it back (SQLite
    // sums integers into an integer already).
    let sql = |table: &str, column: &str| {
        format!(
            "SELECT dimension, value, CAST(SUM(views) AS BIGINT), \
               CAST(SUM(visitors) AS BIGINT), CAST(SUM(visits) AS BIGINT), \
               CAST(SUM(bounces) AS BIGINT), CAST(SUM(duration_s) AS BIGINT) \
             FROM {table} WHERE filter_key = $1 AND filter_value = $2 \
               AND {column} >= $3 AND {column} <= $4 AND dimension IN ({dimensions}) \
             GROUP BY dimension, value"
        )
    };
    let (monthly, daily) = (
        sql("audience_monthly", "first_day"),
        sql("audience_daily", "day"),
    );
    let reads = plan
        .months
        .iter()
        .map(|span| (&monthly, span))
        .chain(plan.days.iter().map(|span| (&daily, span)));
    type Row = (String, String, i64, i64, i64, i64, i64);
    for (sql, (from, to)) in reads {
        let values: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(sql)
            .bind(slice.key)
            .bind(&slice.value)
            .bind(*from)
            .bind(*to)
            .fetch_all(pool)
            .await)?;
        for (dimension, value, views, visitors, visits, bounces, duration_s) in values {
            if let Some(dimension) = Dimension::parse(&dimension) {
                let value_counts = Counts {
                    views,
                    visitors,
                    visits,
                    bounces,
                    duration_s,
                };
                counts.add(dimension, value, &value_counts);
            }
        }
    }
    Ok(())
}

/// The hours of the stored days, for an hourly chart over several days.
pub(super) async fn add_stored_hours(
    db: &Db,
    slice: &Slice,
    (first, last): (Day, Day),
    counts: &mut PeriodCounts,
) -> Result<(), DbError> {
    let rows: Vec<(i64, String, i64, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT day, value, views, visitors FROM audience_daily \
         WHERE filter_key = $1 AND filter_value = $2 AND day >= $3 AND day <= $4 \
         AND dimension = 'hour'"
    )
    .bind(slice.key)
    .bind(&slice.value)
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await)?;
    for (day, hour, views, visitors) in rows {
        if let Ok(hour) = hour.parse() {
            counts.hours.entry((day, hour)).or_insert(Counts {
                views,
                visitors,
                ..Counts::default()
            });
        }
    }
    Ok(())
}

/// The compared span's figures, and whether its cut day had to be
/// counted whole (its raw rows are gone).
pub(super) async fn previous_counts(
    audience: &Audience<'_>,
    filters: &Filters,
    comparison: &Comparison,
    now: DateTime<Utc>,
) -> Result<(PeriodCounts, bool), DbError> {
    let register = audience.register;
    let span = (comparison.first, comparison.last);
    let whole = day_start(comparison.last + 1);
    let raw_from = register.retention(Purpose::Audience).period.before(now);
    let (until, whole_days) = match comparison.cut {
        Some(_) if day_start(comparison.last) < raw_from => (whole, true),
        Some(cut) => (cut, false),
        None => (whole, false),
    };
    let counts = period_counts(audience, filters, span, (until.min(now), now), false).await?;
    Ok((counts, whole_days))
}

/// The first day with figures (aggregates or raw rows), for `tout`;
/// `today` when there is none.
pub async fn data_from(db: &Db, today: Day) -> Result<Day, DbError> {
    let stored: (Option<i64>,) = on_pool!(db, |pool| sqlx::query_as(
        "SELECT MIN(day) FROM audience_daily WHERE filter_key = '' AND filter_value = ''"
    )
    .fetch_one(pool)
    .await)?;
    let raw: (Option<i64>,) = on_pool!(db, |pool| sqlx::query_as(
        "SELECT MIN(occurred_at) FROM visitor_log WHERE purpose = 'audience'"
    )
    .fetch_one(pool)
    .await)?;
    let raw = raw
        .0
        .and_then(DateTime::<Utc>::from_timestamp_millis)
        .map(paris_day);
    Ok([stored.0, raw].into_iter().flatten().min().unwrap_or(today))
}
