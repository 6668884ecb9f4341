//! The visit tables of `/statistiques`: entry and exit pages, goals and
//! funnels, from a period's counts, with the same small-group rule as the
//! other tables (rows of fewer than `min_group` visitors are merged into
//! « Autres », funnel steps and goals of fewer are not shown).

use std::collections::HashMap;

use super::dimension::Dimension;
use super::goals::Goals;
use super::rollup::Counts;
use super::visits::NO_CAMPAIGN;

/// The label of merged small groups, as in `reports.rs` (which uses this
/// file: it cannot be imported from there).
const OTHERS: &str = "Autres";

fn ratio(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

/// How many entry or exit pages are listed before « Autres ».
const TOP: usize = 20;

type Values = HashMap<(Dimension, String), Counts>;

/// A page of the entry or exit table.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRow {
    pub path: String,
    /// Visits entering (or leaving) on this page.
    pub visits: i64,
    pub visitors: i64,
    pub bounce_rate: f64,
    pub average_duration_s: f64,
    /// Views of the page (for exits: the exit rate is visits / views).
    pub views: i64,
}

impl PageRow {
    pub fn exit_rate(&self) -> f64 {
        ratio(self.visits, self.views)
    }
}

/// A goal's conversions among the visits of one campaign, entry page or
/// device type.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitRow {
    pub value: String,
    pub conversions: i64,
    /// Visits of that value, converting or not.
    pub visits: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoalRow {
    pub name: String,
    pub path: String,
    /// Visits that reached the goal; `None` when fewer than `min_group`
    /// visitors did (not shown).
    pub conversions: Option<i64>,
    pub visitors: i64,
    /// Conversions over all visits of the period.
    pub rate: f64,
    pub by_campaign: Vec<SplitRow>,
    pub by_entry: Vec<SplitRow>,
    pub by_device: Vec<SplitRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    /// The step's pages, « ou » between them.
    pub pages: Vec<String>,
    /// Visits reaching this step after the ones before, in order; `None`
    /// when fewer than `min_group` visitors did.
    pub visits: Option<i64>,
    /// Visits lost since the step before, and their share of it; `None`
    /// for the first step or when either step is not shown.
    pub drop_off: Option<(i64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunnelRow {
    pub name: String,
    pub steps: Vec<StepRow>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitTables {
    pub entries: Vec<PageRow>,
    pub exits: Vec<PageRow>,
    pub goals: Vec<GoalRow>,
    pub funnels: Vec<FunnelRow>,
}

fn get(values: &Values, dimension: Dimension, value: &str) -> Counts {
    values
        .get(&(dimension, value.to_owned()))
        .cloned()
        .unwrap_or_default()
}

/// The values of one dimension, most visits first; those of fewer than
/// `min_group` visitors (and beyond `limit`) merged into « Autres ».
fn suppressed(
    values: &Values,
    dimension: Dimension,
    prefix: &str,
    min_group: i64,
    limit: usize,
) -> Vec<(String, Counts)> {
    let mut rows: Vec<(String, Counts)> = values
        .iter()
        .filter(|((d, _), _)| *d == dimension)
        .filter_map(|((_, value), c)| Some((value.strip_prefix(prefix)?.to_owned(), c.clone())))
        .collect();
    rows.sort_by(|a, b| b.1.visits.cmp(&a.1.visits).then_with(|| a.0.cmp(&b.0)));
    let mut kept = Vec::new();
    let mut others = Counts::default();
    for (value, counts) in rows {
        if counts.visitors < min_group || kept.len() >= limit {
            others.add(&counts);
        } else {
            kept.push((value, counts));
        }
    }
    if others.visits > 0 {
        kept.push((OTHERS.to_owned(), others));
    }
    kept
}

fn page_rows(values: &Values, dimension: Dimension, min_group: i64) -> Vec<PageRow> {
    let rows = suppressed(values, dimension, "", min_group, TOP);
    // « Autres » of the exit table: the views of the pages merged into it.
    let named: Vec<&str> = rows.iter().map(|(p, _)| p.as_str()).collect();
    let views_of = |path: &str| -> i64 {
        if path != OTHERS {
            return get(values, Dimension::Page, path).views;
        }
        values
            .iter()
            .filter(|((d, v), _)| *d == dimension && !named.contains(&v.as_str()))
            .map(|((_, v), _)| get(values, Dimension::Page, v).views)
            .sum()
    };
    rows.iter()
        .map(|(path, c)| PageRow {
            views: views_of(path),
            path: path.clone(),
            visits: c.visits,
            visitors: c.visitors,
            bounce_rate: ratio(c.bounces, c.visits),
            average_duration_s: ratio(c.duration_s, c.visits),
        })
        .collect()
}

/// A goal's conversions by campaign, entry page or device type (`split`),
/// against the visits of each value (`total`: the period's visits).
fn splits(
    values: &Values,
    goal: &str,
    split: Dimension,
    min_group: i64,
    total: i64,
) -> Vec<SplitRow> {
    let of = match split {
        Dimension::GoalCampaign => Dimension::Campaign,
        Dimension::GoalEntry => Dimension::Entry,
        _ => Dimension::Device,
    };
    // Visits without a campaign: all the others.
    let campaign_visits: i64 = values
        .iter()
        .filter(|((d, _), _)| *d == Dimension::Campaign)
        .map(|(_, c)| c.visits)
        .sum();
    let visits_of_value = |value: &str| -> i64 {
        if of == Dimension::Campaign && value == NO_CAMPAIGN {
            total - campaign_visits
        } else {
            get(values, of, value).visits
        }
    };
    let prefix = format!("{goal}\t");
    let rows = suppressed(values, split, &prefix, min_group, TOP);
    let named: Vec<String> = rows.iter().map(|(v, _)| v.clone()).collect();
    let visits_of = |value: &str| -> i64 {
        if value != OTHERS {
            return visits_of_value(value);
        }
        values
            .iter()
            .filter(|((d, v), _)| *d == split && v.starts_with(&prefix))
            .map(|((_, v), _)| &v[prefix.len()..])
            .filter(|v| !named.iter().any(|n| n == v))
            .map(visits_of_value)
            .sum()
    };
    rows.iter()
        .map(|(value, c)| SplitRow {
            visits: visits_of(value),
            value: value.clone(),
            conversions: c.visits,
        })
        .collect()
}

/// The tables of a period (`total_visits`: its visits).
pub fn tables(values: &Values, total_visits: i64, goals: &Goals, min_group: i64) -> VisitTables {
    let goal_rows = goals
        .goals
        .iter()
        .map(|goal| {
            let c = get(values, Dimension::Goal, &goal.path);
            let shown = c.visitors >= min_group || c.visits == 0;
            let split = |by| splits(values, &goal.path, by, min_group, total_visits);
            GoalRow {
                name: goal.name.clone(),
                path: goal.path.clone(),
                conversions: shown.then_some(c.visits),
                visitors: c.visitors,
                rate: if shown {
                    ratio(c.visits, total_visits)
                } else {
                    0.0
                },
                by_campaign: split(Dimension::GoalCampaign),
                by_entry: split(Dimension::GoalEntry),
                by_device: split(Dimension::GoalDevice),
            }
        })
        .collect();
    VisitTables {
        entries: page_rows(values, Dimension::Entry, min_group),
        exits: page_rows(values, Dimension::Exit, min_group),
        goals: goal_rows,
        funnels: goals
            .funnels
            .iter()
            .map(|funnel| FunnelRow {
                name: funnel.name.clone(),
                steps: funnel_steps(values, funnel, min_group),
            })
            .collect(),
    }
}

fn funnel_steps(values: &Values, funnel: &super::goals::Funnel, min_group: i64) -> Vec<StepRow> {
    let mut before: Option<Option<i64>> = None;
    funnel
        .steps
        .iter()
        .enumerate()
        .map(|(i, pages)| {
            let c = get(values, Dimension::Funnel, &funnel.key(i));
            let visits = (c.visitors >= min_group || c.visits == 0).then_some(c.visits);
            let drop_off = match (before, visits) {
                (Some(Some(previous)), Some(now)) => {
                    Some((previous - now, ratio(previous - now, previous)))
                }
                _ => None,
            };
            before = Some(visits);
            StepRow {
                pages: pages.clone(),
                visits,
                drop_off,
            }
        })
        .collect()
}
