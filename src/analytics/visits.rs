//! Visits, estimated from the logged fields only. A visitor is one (truncated
//! IP, browser, browser version, OS, OS version, device type) within one
//! Paris day; their page views split into visits wherever 30 minutes or more
//! pass without one. A visit never crosses Paris midnight: the rows are
//! counted per day, so one going on past midnight is two visits.
//!
//! Each visit is built as a value ([`Visit`]) while the day's rows are read
//! in time order, and counted once complete ([`Tallies::add_visit`]): every
//! figure of the statistics, page views included, is counted from whole
//! visits, so that a filter keeping or dropping whole visits is one
//! predicate before `add_visit`. Only the visits of the last 30 minutes are
//! held; nothing of a visit is stored, only the day's counts.

use std::collections::{HashMap, HashSet};

use super::dimension::Dimension;
use super::filters::{FilterKey, Filters};
use super::goals::{matches, Goals};

/// Page views further apart than this (or exactly this far) are two visits.
pub const VISIT_GAP_MS: i64 = 30 * 60 * 1000;

/// A visit without a campaign, in the goals-by-campaign table.
pub const NO_CAMPAIGN: &str = "Sans campagne";

/// One page view of a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageView {
    /// Without its query string.
    pub path: String,
    /// The `utm_*` values of this view's address, "source / medium / campaign".
    pub campaign: Option<String>,
    /// Milliseconds since 1970, UTC.
    pub at: i64,
    /// The Paris hour, 0 to 23.
    pub hour: u8,
    /// The phone's maker: not part of what a visitor is known by, so it
    /// may change within a visit.
    pub manufacturer: Option<String>,
}

/// What a visitor is known by within a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visitor {
    /// A hash of the visitor's fields, the same within one run.
    pub key: u64,
    pub browser: String,
    pub os: String,
    pub device: String,
    /// « Firefox 121 », « Android 14 »: the major version under its family.
    pub browser_version: Option<String>,
    pub os_version: Option<String>,
}

/// One visit: a visitor's page views with no 30-minute gap, within a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub visitor: Visitor,
    /// In time order; never empty.
    pub pages: Vec<PageView>,
    /// The visit may not go on at or after this instant (Paris midnight).
    pub ends_by: i64,
}

impl Visit {
    pub fn entry(&self) -> &PageView {
        &self.pages[0]
    }

    pub fn exit(&self) -> &PageView {
        self.pages.last().expect("a visit has a page")
    }

    /// A visit of one page view.
    pub fn is_bounce(&self) -> bool {
        self.pages.len() == 1
    }

    /// From the first page view to the last, in whole seconds: the time on
    /// the last page is unknown, so this is a lower bound (0 for a bounce).
    pub fn duration_s(&self) -> i64 {
        (self.exit().at - self.entry().at) / 1000
    }

    /// The campaign of a visit is its entry's, as Plausible attributes a
    /// visit's source.
    pub fn campaign(&self) -> Option<&str> {
        self.entry().campaign.as_deref()
    }

    /// The goals reached (each once), as their paths.
    pub fn goals<'a>(&self, goals: &'a Goals) -> Vec<&'a str> {
        goals
            .goals
            .iter()
            .filter(|goal| self.pages.iter().any(|p| matches(&goal.path, &p.path)))
            .map(|goal| goal.path.as_str())
            .collect()
    }

    /// Whether the visit is one the filters keep: every filter must match.
    pub fn matches_filters(&self, filters: &Filters, goals: &Goals) -> bool {
        filters
            .iter()
            .all(|(key, value)| self.matches_filter(key, value, goals))
    }

    fn matches_filter(&self, key: FilterKey, value: &str, goals: &Goals) -> bool {
        let visitor = &self.visitor;
        match key {
            FilterKey::Page => self.pages.iter().any(|p| p.path == value),
            FilterKey::Entry => self.entry().path == value,
            FilterKey::Exit => self.exit().path == value,
            FilterKey::Campaign => self.campaign() == Some(value),
            FilterKey::Goal => self.goals(goals).contains(&value),
            FilterKey::Browser => visitor.browser == value,
            FilterKey::BrowserVersion => visitor.browser_version.as_deref() == Some(value),
            FilterKey::Os => visitor.os == value,
            FilterKey::OsVersion => visitor.os_version.as_deref() == Some(value),
            FilterKey::Device => visitor.device == value,
            FilterKey::Manufacturer => self
                .pages
                .iter()
                .any(|p| p.manufacturer.as_deref() == Some(value)),
        }
    }

    /// Every single filter that keeps this visit, each once: what the
    /// roll-up counts it under besides the whole site. It agrees with
    /// [`Visit::matches_filters`] for one filter (a unit test checks it).
    pub fn filter_values(&self, goals: &Goals) -> Vec<(FilterKey, String)> {
        let visitor = &self.visitor;
        let mut out: Vec<(FilterKey, String)> = vec![
            (FilterKey::Entry, self.entry().path.clone()),
            (FilterKey::Exit, self.exit().path.clone()),
            (FilterKey::Browser, visitor.browser.clone()),
            (FilterKey::Os, visitor.os.clone()),
            (FilterKey::Device, visitor.device.clone()),
        ];
        let versions = [
            (FilterKey::BrowserVersion, &visitor.browser_version),
            (FilterKey::OsVersion, &visitor.os_version),
        ];
        for (key, version) in versions {
            if let Some(version) = version {
                out.push((key, version.clone()));
            }
        }
        if let Some(campaign) = self.campaign() {
            out.push((FilterKey::Campaign, campaign.to_owned()));
        }
        for goal in self.goals(goals) {
            out.push((FilterKey::Goal, goal.to_owned()));
        }
        for page in &self.pages {
            out.push((FilterKey::Page, page.path.clone()));
            if let Some(manufacturer) = &page.manufacturer {
                out.push((FilterKey::Manufacturer, manufacturer.clone()));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every (dimension, value) the visit touched, each once, with the page
    /// views it adds to it and whether it counts as one of its visits (a
    /// campaign seen after the entry page adds views, not a visit).
    pub fn touched(&self, goals: &Goals) -> Touched {
        let mut out = Touched::default();
        let all = self.pages.len() as i64;
        let mut add = |dimension, value: &str, views, visit: bool| {
            let counts = out.entry((dimension, value.to_owned())).or_default();
            counts.0 += views;
            counts.1 |= visit;
        };
        add(Dimension::Total, "", all, true);
        add(Dimension::Browser, &self.visitor.browser, all, true);
        add(Dimension::Os, &self.visitor.os, all, true);
        add(Dimension::Device, &self.visitor.device, all, true);
        for (dimension, version) in [
            (Dimension::BrowserVersion, &self.visitor.browser_version),
            (Dimension::OsVersion, &self.visitor.os_version),
        ] {
            if let Some(version) = version {
                add(dimension, version, all, true);
            }
        }
        for page in &self.pages {
            add(
                Dimension::Hour,
                HOURS[usize::from(page.hour.min(23))],
                1,
                true,
            );
            add(Dimension::Page, &page.path, 1, true);
            if let Some(manufacturer) = &page.manufacturer {
                add(Dimension::Manufacturer, manufacturer, 1, true);
            }
            if let Some(campaign) = &page.campaign {
                let entry = std::ptr::eq(page, self.entry());
                add(Dimension::Campaign, campaign, 1, entry);
            }
        }
        add(Dimension::Entry, &self.entry().path, all, true);
        add(Dimension::Exit, &self.exit().path, all, true);
        let campaign = self.campaign().unwrap_or(NO_CAMPAIGN);
        for goal in self.goals(goals) {
            add(Dimension::Goal, goal, 0, true);
            add(
                Dimension::GoalCampaign,
                &format!("{goal}\t{campaign}"),
                0,
                true,
            );
            let entry = format!("{goal}\t{}", self.entry().path);
            add(Dimension::GoalEntry, &entry, 0, true);
            let device = format!("{goal}\t{}", self.visitor.device);
            add(Dimension::GoalDevice, &device, 0, true);
        }
        for funnel in &goals.funnels {
            let reached = funnel.reached(self.pages.iter().map(|p| p.path.as_str()));
            for step in 0..reached {
                add(Dimension::Funnel, &funnel.key(step), 0, true);
            }
        }
        out
    }
}

/// What a visit touched: per (dimension, value), the page views it adds
/// and whether it counts as one of its visits.
pub type Touched = FastMap<(Dimension, String), (i64, bool)>;

/// The maps that count visits: a faster hash than std's, with keys no
/// visitor chooses beyond what is logged.
pub type FastMap<K, V> = HashMap<K, V, ahash::RandomState>;
pub type FastSet<K> = HashSet<K, ahash::RandomState>;

/// Hours as stored.
pub const HOURS: [&str; 24] = [
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
    "16", "17", "18", "19", "20", "21", "22", "23",
];

/// The visits under way while a day's rows are read in time order.
#[derive(Default, Clone)]
pub struct Splitter {
    open: FastMap<u64, Visit>,
    last_sweep: i64,
}

impl Splitter {
    /// Adds a page view (no earlier than the previous one) of the visitor
    /// `key` (`visitor` describes them, called only for a new visit);
    /// `done` gets the visits it completes. `ends_by` gives the end of the
    /// day of an instant.
    pub fn add(
        &mut self,
        key: u64,
        visitor: impl FnOnce() -> Visitor,
        page: PageView,
        ends_by: impl FnOnce(i64) -> i64,
        done: &mut impl FnMut(Visit),
    ) {
        let at = page.at;
        if at - self.last_sweep >= VISIT_GAP_MS {
            self.sweep(at, done);
        }
        if let Some(visit) = self.open.get_mut(&key) {
            if at - visit.exit().at < VISIT_GAP_MS && at < visit.ends_by {
                visit.pages.push(page);
                return;
            }
            let finished = self.open.remove(&key).expect("just found");
            done(finished);
        }
        let visit = Visit {
            ends_by: ends_by(at),
            visitor: visitor(),
            pages: vec![page],
        };
        self.open.insert(visit.visitor.key, visit);
    }

    /// Completes the visits with no page view in the 30 minutes before `now`.
    fn sweep(&mut self, now: i64, done: &mut impl FnMut(Visit)) {
        self.last_sweep = now;
        let over: Vec<u64> = self
            .open
            .iter()
            .filter(|(_, v)| now - v.exit().at >= VISIT_GAP_MS || now >= v.ends_by)
            .map(|(key, _)| *key)
            .collect();
        for key in over {
            done(self.open.remove(&key).expect("listed"));
        }
    }

    /// The visits under way.
    pub fn open_visits(&self) -> impl Iterator<Item = &Visit> {
        self.open.values()
    }

    /// Completes every visit under way (the rows are all read).
    pub fn finish(self, done: &mut impl FnMut(Visit)) {
        for (_, visit) in self.open {
            done(visit);
        }
    }
}

/// The counts of one value of one dimension, while a day is counted.
#[derive(Debug, Default)]
pub struct Tally {
    pub views: i64,
    pub visitors: FastSet<u64>,
    pub visits: i64,
    pub bounces: i64,
    pub duration_s: i64,
}

/// What the visits of a day add up to, per dimension and value.
#[derive(Debug, Default)]
pub struct Tallies(pub FastMap<Dimension, FastMap<String, Tally>>);

impl Tallies {
    /// Counts one complete visit.
    pub fn add_visit(&mut self, visit: &Visit, goals: &Goals) {
        self.add_touched(visit, &visit.touched(goals));
    }

    /// Counts one complete visit from what it touched
    /// ([`Visit::touched`]), worked out once for all the tallies it goes in.
    pub fn add_touched(&mut self, visit: &Visit, touched: &Touched) {
        let (bounce, duration) = (i64::from(visit.is_bounce()), visit.duration_s());
        for ((dimension, value), (views, counted)) in touched {
            let values = self.0.entry(*dimension).or_default();
            let tally = match values.get_mut(value.as_str()) {
                Some(tally) => tally,
                None => values.entry(value.clone()).or_default(),
            };
            tally.views += views;
            tally.visitors.insert(visit.visitor.key);
            if *counted {
                tally.visits += 1;
                tally.bounces += bounce;
                tally.duration_s += duration;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn a_visit_is_counted_under_exactly_the_single_filters_that_keep_it() {
        let goals = Goals::default();
        let page = |path: &str, at: i64, manufacturer: Option<&str>| PageView {
            path: path.into(),
            campaign: (at == 0).then(|| "news / email / mars".to_owned()),
            at,
            hour: 9,
            manufacturer: manufacturer.map(str::to_owned),
        };
        let visit = Visit {
            visitor: visitor(7),
            pages: vec![
                page("/", 0, None),
                page("/contact", MIN, Some("Samsung")),
                page("/contact/envoye", 2 * MIN, Some("Samsung")),
                page("/contact", 3 * MIN, None),
            ],
            ends_by: i64::MAX,
        };
        let values = visit.filter_values(&goals);
        let candidates = [
            "/",
            "/contact",
            "/contact/envoye",
            "/services",
            "Firefox",
            "Firefox 121",
            "Linux",
            "pc",
            "Samsung",
            "news / email / mars",
            "Chrome",
        ];
        for key in FilterKey::ALL {
            for value in candidates {
                let keeps = visit.matches_filters(&Filters::default().with(key, value), &goals);
                let listed = values.contains(&(key, value.to_owned()));
                assert_eq!(keeps, listed, "{key:?} {value}");
            }
        }
        assert_eq!(values.len(), 12, "{values:?}");
    }

    fn visitor(key: u64) -> Visitor {
        Visitor {
            key,
            browser: "Firefox".into(),
            os: "Linux".into(),
            device: "pc".into(),
            browser_version: Some("Firefox 121".into()),
            os_version: None,
        }
    }

    fn split(views: &[(u64, &str, i64)], midnight: i64) -> Vec<Visit> {
        let mut splitter = Splitter::default();
        let mut visits = Vec::new();
        let mut done = |v: Visit| visits.push(v);
        for &(key, path, at) in views {
            let page = PageView {
                path: path.into(),
                campaign: None,
                at,
                hour: 0,
                manufacturer: None,
            };
            let ends_by = |at: i64| if at < midnight { midnight } else { i64::MAX };
            splitter.add(key, || visitor(key), page, ends_by, &mut done);
        }
        splitter.finish(&mut done);
        visits.sort_by_key(|v| (v.entry().at, v.visitor.key));
        visits
    }

    fn paths(visit: &Visit) -> Vec<&str> {
        visit.pages.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn thirty_minutes_without_a_page_view_end_a_visit() {
        let visits = split(
            &[
                (1, "/", 0),
                (2, "/", MIN),
                (1, "/services", 29 * MIN),
                (1, "/contact", 59 * MIN),
                (1, "/contact/envoye", 89 * MIN),
                (1, "/", 200 * MIN),
            ],
            i64::MAX,
        );
        let shapes: Vec<(u64, Vec<&str>, i64, bool)> = visits
            .iter()
            .map(|v| (v.visitor.key, paths(v), v.duration_s(), v.is_bounce()))
            .collect();
        // 29 minutes keep the visit, 30 end it; 200 − 89 too.
        assert_eq!(
            shapes,
            vec![
                (1, vec!["/", "/services"], 29 * 60, false),
                (2, vec!["/"], 0, true),
                (1, vec!["/contact"], 0, true),
                (1, vec!["/contact/envoye"], 0, true),
                (1, vec!["/"], 0, true),
            ]
        );
    }

    #[test]
    fn midnight_ends_a_visit_and_entry_and_exit_are_first_and_last() {
        let midnight = 100 * MIN;
        let visits = split(
            &[
                (1, "/", 90 * MIN),
                (1, "/services", 99 * MIN),
                (1, "/contact", 101 * MIN),
            ],
            midnight,
        );
        assert_eq!(visits.len(), 2);
        assert_eq!(visits[0].entry().path, "/");
        assert_eq!(visits[0].exit().path, "/services");
        assert_eq!(visits[0].duration_s(), 9 * 60);
        assert_eq!(paths(&visits[1]), ["/contact"]);
    }

    #[test]
    fn a_visit_counts_its_goals_once_and_its_entry_campaign() {
        let mut visit = split(
            &[
                (1, "/", 0),
                (1, "/contact", MIN),
                (1, "/contact/envoye", 2 * MIN),
            ],
            i64::MAX,
        )
        .remove(0);
        visit.pages[0].campaign = Some("news / email / hiver".into());
        visit.pages.push(visit.pages[2].clone());
        let touched = visit.touched(&Goals::default());
        assert_eq!(
            touched[&(Dimension::Page, "/contact/envoye".into())],
            (2, true)
        );
        let campaign = (Dimension::Campaign, "news / email / hiver".to_owned());
        assert_eq!(touched[&campaign], (1, true));
        assert_eq!(touched[&(Dimension::Total, String::new())], (4, true));
        let goal = "/contact/envoye\tnews / email / hiver".to_owned();
        assert!(touched.contains_key(&(Dimension::GoalCampaign, goal)));
        let funnel = "/, /services > /contact > /contact/envoye".to_owned();
        assert!(touched.contains_key(&(Dimension::Funnel, funnel)));
    }
}
