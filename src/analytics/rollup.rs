//! Daily audience aggregates: for each day (in Paris time), each dimension
//! and each value, the page views and the visitors, computed from the raw
//! `audience` rows and kept in `audience_daily` (purpose
//! `audience_aggregates`, 25 months) after the raw rows are gone (13 months).
//!
//! A visitor is estimated from the logged fields only: the truncated IP and
//! the browser, its version, the OS, its version and the device type. Rows
//! sharing all of these on one day are one visitor; visitors are counted per
//! day and added up over a period (a person coming on three days counts
//! three times), as privacy-first tools do, since nothing links two days.
//! README, "Statistics", says what this over- and under-counts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::paris;
use chrono::{DateTime, Timelike, Utc};
use futures_util::StreamExt;

use super::monthly;
use super::slices::{count_sliced, store_day};
use super::versions::version_value;
use crate::db::{millis, on_pool, Db, DbError};
use crate::privacy::{Purpose, Register};

use super::filters::Filters;
use super::goals::Goals;
use super::visits::{PageView, Splitter, Tallies, Tally, Visit, Visitor};

pub use super::days::{date_of_day, day_of_date, day_start, paris_day, Day};
pub use super::dimension::Dimension;
pub use super::raw_rows::AudienceRow;
pub(super) use super::raw_rows::{stream_audience, UNKNOWN};
use super::raw_rows::{stream_narrowed, Narrowing};
pub use super::url::campaign_of;

/// The counts of one value of one dimension.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub views: i64,
    pub visitors: i64,
    /// Visits that touched the value (for `page`, that viewed it).
    pub visits: i64,
    /// Of these, visits of one page view.
    pub bounces: i64,
    /// The sum of these visits' durations, in seconds.
    pub duration_s: i64,
}

impl Counts {
    /// Adds `other` to these (over days, or into « Autres »).
    pub fn add(&mut self, other: &Counts) {
        self.views += other.views;
        self.visitors += other.visitors;
        self.visits += other.visits;
        self.bounces += other.bounces;
        self.duration_s += other.duration_s;
    }
}

/// What one day (or part of one) adds up to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayCounts(pub HashMap<(Dimension, String), Counts>);

impl DayCounts {
    pub fn get(&self, dimension: Dimension, value: &str) -> Counts {
        self.0
            .get(&(dimension, value.to_owned()))
            .cloned()
            .unwrap_or_default()
    }
}

/// The same hash on every run and every instance: visitors are told apart
/// within a day, never stored.
fn visitor_key(row: &AudienceRow) -> u64 {
    // SipHash with fixed keys: the same on every run and instance.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (
        &row.ip,
        &row.browser,
        &row.browser_version,
        &row.os,
        &row.os_version,
        &row.device_type,
    )
        .hash(&mut hasher);
    hasher.finish()
}

/// Counts rows one at a time, in time order, into visits
/// ([`super::visits`]), and each completed visit into the day's counts:
/// the memory a count takes grows with the number of distinct values and
/// visitors and with the visits of the last 30 minutes, not with the number
/// of page views.
pub struct DayCounter {
    goals: Arc<Goals>,
    /// Only the visits these keep are counted.
    filters: Filters,
    splitter: Splitter,
    tallies: Tallies,
}

impl DayCounter {
    pub fn new(goals: Arc<Goals>) -> Self {
        Self::filtered(goals, Filters::default())
    }

    pub fn filtered(goals: Arc<Goals>, filters: Filters) -> Self {
        Self {
            goals,
            filters,
            splitter: Splitter::default(),
            tallies: Tallies::default(),
        }
    }

    /// Adds a row, no earlier than the previous one.
    pub fn add(&mut self, row: &AudienceRow) {
        let (goals, filters, tallies) = (&self.goals, &self.filters, &mut self.tallies);
        split(&mut self.splitter, row, &mut |visit| {
            if visit.matches_filters(filters, goals) {
                tallies.add_visit(&visit, goals)
            }
        });
    }

    /// What the rows added so far and `tail` (later rows, no earlier than
    /// them) add up to, the visits under way counted as they stand; the
    /// counter itself goes on unchanged. It costs the values counted and
    /// the visits of the last 30 minutes, not the rows already added: what
    /// lets today's figures be counted as the day goes (`today.rs`).
    pub fn snapshot(&self, tail: &[AudienceRow]) -> DayCounts {
        let mut splitter = self.splitter.clone();
        let mut closed = Vec::new();
        for row in tail {
            split(&mut splitter, row, &mut |visit| closed.push(visit));
        }
        let mut counts: HashMap<(Dimension, String), Counts> = HashMap::new();
        for (dimension, values) in &self.tallies.0 {
            for (value, tally) in values {
                counts.insert((*dimension, value.clone()), counts_of(tally));
            }
        }
        // A visitor already among a value's visitors is not counted twice.
        let mut new_visitors: HashSet<(Dimension, String, u64)> = HashSet::new();
        let visits = closed.iter().chain(splitter.open_visits());
        for visit in visits.filter(|v| v.matches_filters(&self.filters, &self.goals)) {
            let (bounce, duration) = (i64::from(visit.is_bounce()), visit.duration_s());
            let key = visit.visitor.key;
            for ((dimension, value), (views, counted)) in visit.touched(&self.goals) {
                let known = self
                    .tallies
                    .0
                    .get(&dimension)
                    .and_then(|values| values.get(&value))
                    .is_some_and(|tally| tally.visitors.contains(&key));
                let entry = counts.entry((dimension, value.clone())).or_default();
                entry.views += views;
                if !known && new_visitors.insert((dimension, value, key)) {
                    entry.visitors += 1;
                }
                if counted {
                    entry.visits += 1;
                    entry.bounces += bounce;
                    entry.duration_s += duration;
                }
            }
        }
        DayCounts(counts)
    }

    pub fn finish(self) -> DayCounts {
        let (goals, filters, mut tallies) = (self.goals, self.filters, self.tallies);
        self.splitter.finish(&mut |visit| {
            if visit.matches_filters(&filters, &goals) {
                tallies.add_visit(&visit, &goals)
            }
        });
        DayCounts::from(tallies)
    }
}

impl From<Tallies> for DayCounts {
    fn from(tallies: Tallies) -> DayCounts {
        DayCounts(
            tallies
                .0
                .into_iter()
                .flat_map(|(dimension, values)| {
                    values
                        .into_iter()
                        .map(move |(value, tally)| ((dimension, value), counts_of(&tally)))
                })
                .collect(),
        )
    }
}

/// Counts the rows of one day (or part of it).
pub fn count(rows: &[AudienceRow], goals: &Arc<Goals>) -> DayCounts {
    let mut counter = DayCounter::new(goals.clone());
    for row in rows {
        counter.add(row);
    }
    counter.finish()
}

fn counts_of(tally: &Tally) -> Counts {
    Counts {
        views: tally.views,
        visitors: tally.visitors.len() as i64,
        visits: tally.visits,
        bounces: tally.bounces,
        duration_s: tally.duration_s,
    }
}

/// Hands a row to the visits under way; `done` gets the visits it ends.
pub(super) fn split(splitter: &mut Splitter, row: &AudienceRow, done: &mut impl FnMut(Visit)) {
    let key = visitor_key(row);
    let visitor = || Visitor {
        key,
        browser: row.browser.as_deref().unwrap_or(UNKNOWN).to_owned(),
        os: row.os.as_deref().unwrap_or(UNKNOWN).to_owned(),
        device: row.device_type.clone(),
        browser_version: version_value(row.browser.as_deref(), row.browser_version.as_deref()),
        os_version: version_value(row.os.as_deref(), row.os_version.as_deref()),
    };
    let at = DateTime::<Utc>::from_timestamp_millis(row.occurred_at);
    let page = PageView {
        path: row.url.split('?').next().unwrap_or("/").to_owned(),
        campaign: row
            .url
            .contains('?')
            .then(|| campaign_of(&row.url))
            .flatten(),
        at: row.occurred_at,
        hour: at.map(|at| paris::local(at).hour() as u8).unwrap_or(0),
        manufacturer: row.manufacturer.clone(),
    };
    let ends_by = |_| {
        at.map(|at| millis(day_start(paris_day(at) + 1)))
            .unwrap_or(i64::MAX)
    };
    splitter.add(key, visitor, page, ends_by, done);
}

/// Counts the raw audience rows between two instants (`stream_audience`).
pub async fn count_audience(
    db: &Db,
    goals: &Arc<Goals>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<DayCounts, DbError> {
    let counter = DayCounter::new(goals.clone());
    let counter = stream_audience(db, (from, until), i64::MAX, counter, DayCounter::add).await?;
    Ok(counter.finish())
}

/// Counts the raw rows between two instants per Paris day, keeping only
/// the visits `filters` keep: what a filtered view reads, since the daily
/// aggregates are not broken down by filter.
pub async fn count_audience_by_day(
    db: &Db,
    goals: &Arc<Goals>,
    filters: &Filters,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<BTreeMap<Day, DayCounts>, DbError> {
    let days = ByDay {
        goals: goals.clone(),
        filters: filters.clone(),
        current: None,
        done: BTreeMap::new(),
    };
    let narrowing = Narrowing::of(filters);
    let span = (from, until);
    let mut days = stream_narrowed(db, span, i64::MAX, &narrowing, days, ByDay::add).await?;
    if let Some((day, _, counter)) = days.current.take() {
        days.done.insert(day, counter.finish());
    }
    Ok(days.done)
}

/// A counter per Paris day, the rows coming in time order.
struct ByDay {
    goals: Arc<Goals>,
    filters: Filters,
    /// The day being counted, when it ends (ms), its counter.
    current: Option<(Day, i64, DayCounter)>,
    done: BTreeMap<Day, DayCounts>,
}

impl ByDay {
    fn add(&mut self, row: &AudienceRow) {
        let ended = matches!(&self.current, Some((_, end, _)) if row.occurred_at >= *end);
        if ended {
            if let Some((day, _, counter)) = self.current.take() {
                self.done.insert(day, counter.finish());
            }
        }
        let (goals, filters) = (&self.goals, &self.filters);
        let (_, _, counter) = self.current.get_or_insert_with(|| {
            let day = DateTime::<Utc>::from_timestamp_millis(row.occurred_at)
                .map(paris_day)
                .unwrap_or_default();
            let counter = DayCounter::filtered(goals.clone(), filters.clone());
            (day, millis(day_start(day + 1)), counter)
        });
        counter.add(row);
    }
}

/// Counts a day from its raw rows, for the site and every single filter,
/// and replaces its aggregates.
async fn roll_up_day(
    db: &Db,
    register: &Register,
    goals: &Arc<Goals>,
    day: Day,
) -> Result<(), DbError> {
    let start = day_start(day);
    let counted = count_sliced(db, goals, start, day_start(day + 1)).await?;
    let expires_at = millis(
        register
            .retention(Purpose::AudienceAggregates)
            .period
            .after(start),
    );
    store_day(db, (day, start), expires_at, counted).await
}

/// Days counted by one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupOutcome {
    pub days: Vec<Day>,
}

/// How many finished days are counted again at each run, for rows that
/// arrive late (the writer's queue, a clock a little behind).
const RECOUNTED_DAYS: i64 = 2;

/// Counts every finished day not counted yet, and the last two again. A
/// day is never counted again once its raw rows may have started to go
/// (the purge deletes them 13 months after they were collected): its
/// aggregates are then all that is left of it.
pub async fn roll_up(
    db: &Db,
    register: &Register,
    now: DateTime<Utc>,
) -> Result<RollupOutcome, DbError> {
    roll_up_with(db, register, &Arc::new(Goals::default()), now).await
}

/// [`roll_up`] with the goals and funnels of the settings.
pub async fn roll_up_with(
    db: &Db,
    register: &Register,
    goals: &Arc<Goals>,
    now: DateTime<Utc>,
) -> Result<RollupOutcome, DbError> {
    let today = paris_day(now);
    let last_counted: Option<Day> = on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT MAX(day) FROM audience_daily \
         WHERE filter_key = '' AND filter_value = '' AND dimension = 'total'"
    )
    .fetch_one(pool)
    .await)?;
    let earliest: Option<i64> = on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT MIN(occurred_at) FROM visitor_log WHERE purpose = 'audience'"
    )
    .fetch_one(pool)
    .await)?;
    let Some(earliest) = earliest.and_then(DateTime::<Utc>::from_timestamp_millis) else {
        return Ok(RollupOutcome { days: Vec::new() });
    };
    // The first day whose raw rows are all still there.
    let raw_complete_from = paris_day(register.retention(Purpose::Audience).period.before(now)) + 1;
    let first = match last_counted {
        Some(last) => (last + 1).min(today - RECOUNTED_DAYS),
        None => paris_day(earliest),
    }
    .max(paris_day(earliest).min(today))
    .max(raw_complete_from.min(today));
    let days: Vec<Day> = (first..today).collect();
    // Two days at a time: each is counted on its own connection (on SQLite,
    // on its own thread), and their writes take turns.
    let mut counted = futures_util::stream::iter(first..today)
        .map(|day| roll_up_day(db, register, goals, day))
        .buffer_unordered(2);
    while let Some(result) = counted.next().await {
        result?;
    }
    drop(counted);
    monthly::sum_months(db, register, &days).await?;
    Ok(RollupOutcome { days })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ip: &str, ua: &str, url: &str, at: &str) -> AudienceRow {
        AudienceRow {
            occurred_at: at.parse::<DateTime<Utc>>().unwrap().timestamp_millis(),
            ip: ip.into(),
            browser: Some(ua.into()),
            browser_version: Some("120".into()),
            os: Some("Windows".into()),
            os_version: Some("10".into()),
            device_type: "pc".into(),
            manufacturer: None,
            url: url.into(),
        }
    }

    #[test]
    fn a_snapshot_counts_what_the_end_of_the_day_would() {
        let rows = vec![
            row("81.250.17.0", "Chrome", "/", "2026-03-02T08:00:00Z"),
            row("81.250.17.0", "Chrome", "/contact", "2026-03-02T08:10:00Z"),
            row("90.1.2.0", "Chrome", "/", "2026-03-02T08:12:00Z"),
            row(
                "81.250.17.0",
                "Chrome",
                "/contact/envoye",
                "2026-03-02T08:20:00Z",
            ),
            row("81.250.17.0", "Chrome", "/", "2026-03-02T09:00:00Z"),
            row("90.1.2.0", "Firefox", "/services", "2026-03-02T09:05:00Z"),
        ];
        let goals = Arc::new(Goals::default());
        let whole = count(&rows, &goals);
        // Whichever row the counter has reached, its snapshot with the rest
        // as its tail is the day's count, and the counter goes on as before.
        for reached in 0..=rows.len() {
            let mut counter = DayCounter::new(goals.clone());
            for row in &rows[..reached] {
                counter.add(row);
            }
            assert_eq!(counter.snapshot(&rows[reached..]), whole, "at {reached}");
            assert_eq!(
                counter.snapshot(&rows[reached..]),
                whole,
                "again at {reached}"
            );
            for row in &rows[reached..] {
                counter.add(row);
            }
            assert_eq!(counter.finish(), whole, "finished after {reached}");
        }
    }

    #[test]
    fn views_and_visitors_are_counted_per_value() {
        let rows = vec![
            row("81.250.17.0", "Chrome", "/", "2026-03-02T08:00:00Z"),
            row("81.250.17.0", "Chrome", "/services", "2026-03-02T08:01:00Z"),
            row(
                "81.250.17.0",
                "Firefox",
                "/?utm_source=news&utm_campaign=hiver",
                "2026-03-02T15:00:00Z",
            ),
            row("90.1.2.0", "Chrome", "/", "2026-03-02T15:30:00Z"),
        ];
        let counts = count(&rows, &Arc::new(Goals::default()));
        // 08:00 UTC is 09:00 in Paris in March (winter time).
        let expected = [
            (Dimension::Total, "", 4, 3),
            (Dimension::Page, "/", 3, 3),
            (Dimension::Page, "/services", 1, 1),
            (Dimension::Browser, "Chrome", 3, 2),
            (Dimension::Campaign, "news / hiver", 1, 1),
            (Dimension::Hour, "09", 2, 1),
            (Dimension::Hour, "16", 2, 2),
        ];
        for (dimension, value, views, visitors) in expected {
            let c = counts.get(dimension, value);
            assert_eq!(
                (c.views, c.visitors),
                (views, visitors),
                "{dimension:?} {value}"
            );
        }
    }
}
