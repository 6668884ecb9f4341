//! What `/statistiques` shows: figures for a period, read from the daily
//! aggregates (and, for days not counted yet such as today, from the raw
//! rows through the same counting), with small groups merged so that no
//! person can be singled out. Marketing never sees a row, only these.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::filters::Filters;
use super::goals::Goals;
pub use super::period::{Comparison, Period, PeriodError, PeriodKind};
use super::rollup::{
    count_audience, count_audience_by_day, day_start, paris_day, Counts, Day, DayCounts, Dimension,
};
pub use super::series::{Granularity, Metric, PointValue, SeriesPoint};
use super::versions::group_by_family;
use super::visit_report::{self, VisitTables};
use crate::db::{on_pool, Db, DbError};
use crate::privacy::{Purpose, Register};

/// The label of merged small groups.
pub const OTHERS: &str = "Autres";

/// How many pages the pages table lists before « Autres ».
const TOP_PAGES: usize = 20;

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

/// One line of a breakdown table.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownRow {
    pub value: String,
    pub views: i64,
    pub visitors: i64,
    pub visits: i64,
    pub bounces: i64,
    /// Share of the table's page views, 0 to 1.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub period: Period,
    pub headline: Headline,
    /// The compared span's figures; `None` for `tout`, which has nothing
    /// before it.
    pub previous: Option<Headline>,
    pub comparison: Option<Comparison>,
    /// The compared span's last day could not be cut at the hour (its raw
    /// rows are gone): whole days are compared.
    pub whole_days: bool,
    pub granularity: Granularity,
    pub series: Vec<SeriesPoint>,
    pub breakdowns: Vec<(Dimension, Vec<BreakdownRow>)>,
    /// The versions of each family shown in the browsers and OS tables.
    pub versions: Vec<FamilyVersions>,
    /// How many lines each breakdown's full table has (the pages table
    /// above lists only its top ones).
    pub table_lines: Vec<(Dimension, usize)>,
    /// The filters the figures are counted with.
    pub filters: Filters,
    /// A filtered view counts from the raw rows: its figures begin on this
    /// day when the period begins earlier.
    pub filtered_since: Option<Day>,
    /// Entry and exit pages, goals and funnels.
    pub visits: VisitTables,
}

/// The versions of one browser or OS, their small groups merged into
/// « Autres versions ».
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyVersions {
    /// `Browser` or `Os`.
    pub dimension: Dimension,
    pub family: String,
    pub rows: Vec<BreakdownRow>,
}

/// The label of a family's merged small versions.
pub const OTHER_VERSIONS: &str = "Autres versions";

/// What a period adds up to, before suppression.
#[derive(Debug, Default)]
struct PeriodCounts {
    /// Per day, the whole site.
    days: BTreeMap<Day, Counts>,
    /// Per day and Paris hour, the whole site (for an hourly chart).
    hours: BTreeMap<(Day, u32), Counts>,
    /// Per (dimension, value), over the period.
    values: HashMap<(Dimension, String), Counts>,
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

    fn headline(&self) -> Headline {
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
}

/// Adds up the days `first` to `last`, counted until `until` (now, or
/// the time of day a compared span is cut at): whole stored days from the
/// aggregates, the others (today, a cut day, a day not counted yet) from
/// the raw rows, counted the same way.
async fn period_counts(
    audience: &Audience<'_>,
    filters: &Filters,
    (first, last): (Day, Day),
    until: DateTime<Utc>,
    with_breakdowns: bool,
) -> Result<PeriodCounts, DbError> {
    if !filters.is_empty() {
        return filtered_counts(audience, filters, (first, last), until, with_breakdowns).await;
    }
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
    let stored_days = add_stored_days(db, (first, whole_last), &mut counts).await?;
    add_stored_values(db, (first, whole_last), with_breakdowns, &mut counts).await?;

    // Days with no aggregates yet. Raw rows exist only for the audience
    // retention window; before it, a day without aggregates had no visit.
    let today = paris_day(until);
    let raw_from = paris_day(register.retention(Purpose::Audience).period.before(until));
    for day in first.max(raw_from)..=last.min(today) {
        if stored_days.contains(&day) {
            continue;
        }
        let until = day_start(day + 1).min(until);
        let day_counts = count_audience(db, goals, day_start(day), until).await?;
        counts.add_day(day, &day_counts, with_breakdowns);
    }
    Ok(counts)
}

/// The first day whose raw rows are all still there: filtered views are
/// counted from the raw rows, so they go back no further.
pub fn first_raw_day(register: &Register, now: DateTime<Utc>) -> Day {
    paris_day(register.retention(Purpose::Audience).period.before(now)) + 1
}

/// A filtered period, counted from the raw rows: the daily aggregates are
/// not broken down by filter. Days before the raw rows count nothing.
async fn filtered_counts(
    audience: &Audience<'_>,
    filters: &Filters,
    (first, last): (Day, Day),
    until: DateTime<Utc>,
    with_breakdowns: bool,
) -> Result<PeriodCounts, DbError> {
    let mut counts = PeriodCounts::default();
    let first = first.max(first_raw_day(audience.register, until));
    let last = last.min(paris_day(until));
    if first > last {
        return Ok(counts);
    }
    let (from, to) = (day_start(first), day_start(last + 1).min(until));
    let days = count_audience_by_day(audience.db, audience.goals, filters, from, to).await?;
    for day in first..=last {
        let day_counts = days.get(&day).cloned().unwrap_or_default();
        counts.add_day(day, &day_counts, with_breakdowns);
    }
    Ok(counts)
}

/// The site's totals of the period's counted days; returns those days.
async fn add_stored_days(
    db: &Db,
    (first, last): (Day, Day),
    counts: &mut PeriodCounts,
) -> Result<HashSet<Day>, DbError> {
    let stored: Vec<(i64, i64, i64, i64, i64, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT day, views, visitors, visits, bounces, duration_s FROM audience_daily \
         WHERE dimension = 'total' AND day >= $1 AND day <= $2"
    )
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await)?;
    let stored_days = stored.iter().map(|row| row.0).collect();
    for (day, views, visitors, visits, bounces, duration_s) in stored {
        let day_counts = Counts {
            views,
            visitors,
            visits,
            bounces,
            duration_s,
        };
        counts.days.insert(day, day_counts);
    }
    Ok(stored_days)
}

/// The period's breakdowns (or only its devices, for the headline's
/// mobile share) from the counted days.
async fn add_stored_values(
    db: &Db,
    (first, last): (Day, Day),
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
    let sql = format!(
        "SELECT dimension, value, CAST(SUM(views) AS BIGINT), CAST(SUM(visitors) AS BIGINT), \
           CAST(SUM(visits) AS BIGINT), CAST(SUM(bounces) AS BIGINT), \
           CAST(SUM(duration_s) AS BIGINT) \
         FROM audience_daily WHERE day >= $1 AND day <= $2 AND dimension IN ({dimensions}) \
         GROUP BY dimension, value"
    );
    type Row = (String, String, i64, i64, i64, i64, i64);
    let values: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(first)
        .bind(last)
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
    Ok(())
}

/// Merges rows with fewer visitors than `min_group` into « Autres », keeps
/// at most `limit` named rows, and computes shares of the table's views.
pub fn suppress(
    mut rows: Vec<(String, Counts)>,
    min_group: i64,
    limit: usize,
) -> Vec<BreakdownRow> {
    rows.sort_by(|a, b| b.1.views.cmp(&a.1.views).then_with(|| a.0.cmp(&b.0)));
    let total: i64 = rows.iter().map(|(_, c)| c.views).sum();
    let mut kept = Vec::new();
    let mut others = Counts::default();
    for (value, counts) in rows {
        if counts.visitors < min_group || kept.len() >= limit || value == OTHERS {
            others.add(&counts);
        } else {
            kept.push((value, counts));
        }
    }
    if others.views > 0 {
        kept.push((OTHERS.to_owned(), others));
    }
    kept.into_iter()
        .map(|(value, c)| BreakdownRow {
            share: ratio(c.views, total),
            value,
            views: c.views,
            visitors: c.visitors,
            visits: c.visits,
            bounces: c.bounces,
        })
        .collect()
}

/// `part / whole`, 0 when there is no whole.
fn ratio(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

/// The period's values of one dimension, before suppression.
fn values_of(counts: &PeriodCounts, dimension: Dimension) -> Vec<(String, Counts)> {
    counts
        .values
        .iter()
        .filter(|((d, _), _)| *d == dimension)
        .map(|((_, value), c)| (value.clone(), c.clone()))
        .collect()
}

fn breakdowns(counts: &PeriodCounts, min_group: i64) -> Vec<(Dimension, Vec<BreakdownRow>)> {
    Dimension::BREAKDOWNS
        .iter()
        .map(|&dimension| {
            let limit = if dimension == Dimension::Page {
                TOP_PAGES
            } else {
                usize::MAX
            };
            (
                dimension,
                suppress(values_of(counts, dimension), min_group, limit),
            )
        })
        .collect()
}

/// The lines of each breakdown's full table.
fn table_lines(counts: &PeriodCounts, min_group: i64) -> Vec<(Dimension, usize)> {
    Dimension::BREAKDOWNS
        .iter()
        .chain(&Dimension::VERSIONS)
        .map(|&d| {
            (
                d,
                suppress(values_of(counts, d), min_group, usize::MAX).len(),
            )
        })
        .collect()
}

/// The versions of each browser and OS shown by name, each version of
/// fewer than `min_group` visitors merged into its family's « Autres
/// versions ».
fn family_versions(
    counts: &PeriodCounts,
    min_group: i64,
    breakdowns: &[(Dimension, Vec<BreakdownRow>)],
) -> Vec<FamilyVersions> {
    let mut out = Vec::new();
    for versions in Dimension::VERSIONS {
        let Some(dimension) = versions.family() else {
            continue;
        };
        let family_values = values_of(counts, dimension);
        let families: Vec<&str> = family_values.iter().map(|(v, _)| v.as_str()).collect();
        let mut groups = group_by_family(&families, values_of(counts, versions));
        let shown = breakdowns.iter().filter(|(d, _)| *d == dimension);
        for row in shown
            .flat_map(|(_, rows)| rows)
            .filter(|r| r.value != OTHERS)
        {
            if let Some(rows) = groups.remove(&row.value) {
                let mut rows = suppress(rows, min_group, usize::MAX);
                if let Some(last) = rows.last_mut().filter(|r| r.value == OTHERS) {
                    last.value = OTHER_VERSIONS.to_owned();
                }
                out.push(FamilyVersions {
                    dimension,
                    family: row.value.clone(),
                    rows,
                });
            }
        }
    }
    out
}

/// Every line of one breakdown over a period (`Dimension::BREAKDOWNS` or
/// `Dimension::VERSIONS`), small groups merged into a last « Autres »,
/// for the full table and its CSV; `None` when the view has too few
/// visitors to show any table.
pub async fn full_table(
    audience: &Audience<'_>,
    period: &Period,
    filters: &Filters,
    now: DateTime<Utc>,
    dimension: Dimension,
) -> Result<Option<Vec<BreakdownRow>>, DbError> {
    let min_group = audience.min_group;
    let span = (period.first, period.last);
    let counts = period_counts(audience, filters, span, now, true).await?;
    if is_small(&counts.headline(), min_group) {
        return Ok(None);
    }
    let rows = values_of(&counts, dimension);
    Ok(Some(suppress(rows, min_group, usize::MAX)))
}

/// The hours of the stored days, for an hourly chart over several days.
async fn add_stored_hours(
    db: &Db,
    (first, last): (Day, Day),
    counts: &mut PeriodCounts,
) -> Result<(), DbError> {
    let rows: Vec<(i64, String, i64, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT day, value, views, visitors FROM audience_daily \
         WHERE dimension = 'hour' AND day >= $1 AND day <= $2"
    )
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
async fn previous_counts(
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
    let counts = period_counts(audience, filters, span, until.min(now), false).await?;
    Ok((counts, whole_days))
}

/// Fewer visitors than the minimum group, but some: no figure is shown,
/// nor any table (its « Autres » would give the total away).
fn is_small(headline: &Headline, min_group: i64) -> bool {
    headline.visitors > 0 && headline.visitors < min_group
}

/// The figures of `period` for the visits `filters` keep, its chart by
/// `granularity`, and the figures of the span it is compared with.
pub async fn report(
    audience: &Audience<'_>,
    period: &Period,
    granularity: Granularity,
    filters: &Filters,
    now: DateTime<Utc>,
) -> Result<Report, DbError> {
    let min_group = audience.min_group;
    let span = (period.first, period.last);
    let mut counts = period_counts(audience, filters, span, now, true).await?;
    if granularity == Granularity::Hour && filters.is_empty() {
        add_stored_hours(audience.db, span, &mut counts).await?;
    }
    let comparison = period.comparison(now);
    let (previous, whole_days) = match &comparison {
        Some(c) => {
            let (previous, whole_days) = previous_counts(audience, filters, c, now).await?;
            (Some(previous.headline()), whole_days)
        }
        None => (None, false),
    };
    let series = super::series::series(
        granularity,
        period,
        &counts.days,
        &counts.hours,
        now,
        min_group,
    );
    let hide = |mut headline: Headline| {
        headline.hidden = is_small(&headline, min_group);
        headline
    };
    let first_raw = first_raw_day(audience.register, now);
    let headline = hide(counts.headline());
    let mut report = Report {
        period: *period,
        previous: previous.map(hide),
        comparison,
        whole_days,
        granularity,
        series,
        visits: visit_report::tables(&counts.values, headline.visits, audience.goals, min_group),
        versions: Vec::new(),
        table_lines: table_lines(&counts, min_group),
        breakdowns: breakdowns(&counts, min_group),
        filters: filters.clone(),
        filtered_since: (!filters.is_empty() && period.first < first_raw).then_some(first_raw),
        headline,
    };
    if headline.hidden {
        hide_everything(&mut report);
    } else {
        report.versions = family_versions(&counts, min_group, &report.breakdowns);
    }
    Ok(report)
}

/// A view of too few visitors: its tables go too (its chart's points, each
/// fewer than the whole, are hidden already).
fn hide_everything(report: &mut Report) {
    report
        .breakdowns
        .iter_mut()
        .for_each(|(_, rows)| rows.clear());
    report.visits = VisitTables::default();
    report
        .table_lines
        .iter_mut()
        .for_each(|(_, lines)| *lines = 0);
}

/// The first day with figures (aggregates or raw rows), for `tout`;
/// `today` when there is none.
pub async fn data_from(db: &Db, today: Day) -> Result<Day, DbError> {
    let stored: (Option<i64>,) = on_pool!(db, |pool| sqlx::query_as(
        "SELECT MIN(day) FROM audience_daily"
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

/// Visitors in the last 30 minutes, from the raw rows.
pub async fn visitors_now(db: &Db, now: DateTime<Utc>) -> Result<i64, DbError> {
    let (from, until) = (now - Duration::minutes(30), now + Duration::seconds(1));
    let counts = count_audience(db, &Arc::new(Goals::default()), from, until).await?;
    Ok(counts.get(Dimension::Total, "").visitors)
}

/// The relative change from `before` to `after`, when there is one.
pub fn change(before: f64, after: f64) -> Option<f64> {
    (before > 0.0).then(|| (after - before) / before)
}

/// For the page: the number as a French reader writes it.
pub fn french_number(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(views: i64, visitors: i64) -> Counts {
        Counts {
            views,
            visitors,
            ..Counts::default()
        }
    }

    #[test]
    fn small_groups_are_merged_into_others() {
        let rows = vec![
            ("/".to_owned(), c(100, 40)),
            ("/services".to_owned(), c(30, 12)),
            ("/contact".to_owned(), c(6, 4)),
            ("/techniciens".to_owned(), c(3, 1)),
        ];
        let table = suppress(rows, 5, 20);
        let values: Vec<&str> = table.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(values, ["/", "/services", OTHERS]);
        assert_eq!(table[2].views, 9);
        assert_eq!(table[2].visitors, 5);
        let shares: f64 = table.iter().map(|r| r.share).sum();
        assert!((shares - 1.0).abs() < 1e-9);
    }

    #[test]
    fn numbers_are_written_the_french_way() {
        assert_eq!(french_number(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(french_number(999), "999");
        assert_eq!(change(100.0, 120.0), Some(0.2));
        assert_eq!(change(0.0, 5.0), None);
    }
}
