//! What `/statistiques` shows: figures for a period, read from the daily
//! aggregates (and, for days not counted yet such as today, from the raw
//! rows through the same counting), with small groups merged so that no
//! person can be singled out. Marketing never sees a row, only these.

use chrono::{DateTime, Utc};

use super::counting::{add_stored_hours, period_counts, previous_counts, PeriodCounts};
pub use super::counting::{data_from, first_raw_day, ratio, Audience, Headline};
use super::filters::Filters;
pub use super::period::{Comparison, Period, PeriodError, PeriodKind};
use super::rollup::{Counts, Day, Dimension};
pub use super::series::{Granularity, Metric, PointValue, SeriesPoint};
use super::slices::Slice;
use super::versions::group_by_family;
use super::visit_report::{self, VisitTables};
use crate::db::DbError;

/// The label of merged small groups.
pub const OTHERS: &str = "Autres";

/// How many pages the pages table lists before « Autres ».
const TOP_PAGES: usize = 20;

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
    /// A filtered view's figures begin on this day when the period begins
    /// earlier (`PeriodCounts::counted_from`).
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
    let counts = period_counts(audience, filters, span, (now, now), true).await?;
    if is_small(&counts.headline(), min_group) {
        return Ok(None);
    }
    let rows = values_of(&counts, dimension);
    Ok(Some(suppress(rows, min_group, usize::MAX)))
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
    let mut counts = period_counts(audience, filters, span, (now, now), true).await?;
    if let Some(slice) = Slice::of_filters(filters).filter(|_| granularity == Granularity::Hour) {
        add_stored_hours(audience.db, &slice, span, &mut counts).await?;
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
        filtered_since: counts.counted_from.filter(|from| *from > period.first),
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
