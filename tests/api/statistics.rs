//! `/statistiques` and its CSV export: every figure shown equals a count made
//! here, independently, from the very rows inserted; small groups are merged
//! into « Autres »; the CSV is the table; only marketing and staff see them;
//! no IP address and no individual time ever appears; the figures outlive the
//! purge of the raw rows.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Paris;
use wemaintain::analytics::rollup::roll_up;
use wemaintain::analytics::{insert_batch, Device, DeviceType, VisitorEvent};
use wemaintain::auth::Role;
use wemaintain::metrics::Metrics;
use wemaintain::privacy::purge::{purge, PurgeMode};
use wemaintain::privacy::{Purpose, Register};

use crate::helpers::plain;
use crate::helpers::{
    count_visits, create_account, header, spawn_app, spawn_app_with, Backend, Browser, TestApp,
    DESKTOP_CHROME, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    the_figures_equal_a_count_made_from_the_rows,
    small_groups_are_merged_into_others,
    the_csv_equals_the_table,
    the_pages_are_refused_to_clients_and_anonymous_visitors,
    no_ip_or_individual_time_appears,
    the_figures_survive_a_purge_of_the_raw_rows,
    a_bad_custom_period_is_explained,
);

pub(super) const MARKETING: &str = "marketing@wemaintain.com";
const THIN_SPACE: char = '\u{202f}';

// ---------------------------------------------------------------------------
// The data set: visitors (as the audience rows describe them) and page views.
// ---------------------------------------------------------------------------

/// What an audience row says about who made a page view.
pub(super) struct Profile {
    /// Truncated, as audience rows keep it.
    ip: &'static str,
    /// The full address, as the matching security row keeps it.
    full_ip: &'static str,
    browser: Option<&'static str>,
    browser_version: Option<&'static str>,
    os: Option<&'static str>,
    os_version: Option<&'static str>,
    device_type: DeviceType,
    manufacturer: Option<&'static str>,
}

/// A profile from (truncated IP, full IP), (browser, version), (OS,
/// version), the device type and the manufacturer.
pub(super) const fn profile(
    (ip, full_ip): (&'static str, &'static str),
    (browser, browser_version): (Option<&'static str>, Option<&'static str>),
    (os, os_version): (Option<&'static str>, Option<&'static str>),
    device_type: DeviceType,
    manufacturer: Option<&'static str>,
) -> Profile {
    Profile {
        ip,
        full_ip,
        browser,
        browser_version,
        os,
        os_version,
        device_type,
        manufacturer,
    }
}

/// Twelve devices. Three share one /24 and differ by browser or OS version
/// (three visitors); two differ only by manufacturer, which is not part of
/// what identifies a visitor (one visitor).
static PROFILES: [Profile; 12] = [
    profile(
        ("81.250.17.0", "81.250.17.42"),
        (Some("Chrome"), Some("120")),
        (Some("Windows"), Some("10")),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("81.250.17.0", "81.250.17.199"),
        (Some("Firefox"), Some("121")),
        (Some("Windows"), Some("10")),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("81.250.17.0", "81.250.17.7"),
        (Some("Chrome"), Some("120")),
        (Some("Windows"), Some("11")),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("90.12.34.0", "90.12.34.56"),
        (Some("Safari"), Some("17")),
        (Some("iOS"), Some("17.2")),
        DeviceType::Smartphone,
        Some("Apple"),
    ),
    profile(
        ("86.200.5.0", "86.200.5.18"),
        (Some("Samsung Internet"), Some("23")),
        (Some("Android"), Some("14")),
        DeviceType::Smartphone,
        Some("Samsung"),
    ),
    profile(
        ("86.200.5.0", "86.200.5.77"),
        (Some("Samsung Internet"), Some("23")),
        (Some("Android"), Some("14")),
        DeviceType::Smartphone,
        Some("Xiaomi"),
    ),
    profile(
        ("78.113.40.0", "78.113.40.3"),
        (Some("Safari"), Some("17")),
        (Some("iPadOS"), Some("17.2")),
        DeviceType::Tablet,
        Some("Apple"),
    ),
    profile(
        ("109.7.220.0", "109.7.220.9"),
        (None, None),
        (None, None),
        DeviceType::Mobilephone,
        Some("Nokia"),
    ),
    profile(
        ("2a01:cb00:12::", "2a01:cb00:12:3400::1f"),
        (Some("Firefox"), Some("122")),
        (Some("Linux"), None),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("92.184.100.0", "92.184.100.25"),
        (Some("Edge"), Some("120")),
        (Some("Windows"), Some("10")),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("176.150.2.0", "176.150.2.230"),
        (Some("Chrome"), Some("121")),
        (Some("Android"), Some("13")),
        DeviceType::Tablet,
        Some("Lenovo"),
    ),
    profile(
        ("37.165.88.0", "37.165.88.14"),
        (Some("Chrome"), Some("120")),
        (Some("macOS"), Some("14.2")),
        DeviceType::Pc,
        None,
    ),
];

const PATHS: [&str; 6] = [
    "/",
    "/services",
    "/maintenance-ascenseurs",
    "/techniciens",
    "/a-propos",
    "/blog/ascenseurs-et-copropriete",
];

/// Query strings of campaign links, in no particular parameter order.
const CAMPAIGNS: [&str; 3] = [
    "utm_source=newsletter&utm_medium=email&utm_campaign=hiver-2026",
    "utm_campaign=salon&utm_source=linkedin&utm_medium=social",
    "utm_source=google",
];

/// One page view.
#[derive(Clone)]
pub(super) struct Event {
    pub(super) at: DateTime<Utc>,
    pub(super) profile: &'static Profile,
    pub(super) url: String,
}

/// A small deterministic generator, so every run sees the same data.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn paris_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Paris).date_naive()
}

fn paris_midnight(date: NaiveDate) -> DateTime<Utc> {
    Paris
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .expect("midnight exists in Paris")
        .with_timezone(&Utc)
}

pub(super) fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("an RFC 3339 instant")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a YYYY-MM-DD date")
}

/// Visits from `first` to the day of `now` (never after `now`): each day,
/// each profile visits with a chance of `chance` in 10, 1 to 7 page views a
/// few minutes apart, the first sometimes from a campaign link.
fn generated_events(now: DateTime<Utc>, first: NaiveDate, chance: usize, seed: u64) -> Vec<Event> {
    let today = paris_date(now);
    let mut rng = Lcg(seed);
    let mut events = Vec::new();
    let mut day = first;
    while day <= today {
        let midnight = paris_midnight(day);
        let next = day.succ_opt().expect("a next day");
        // A visit lasts at most 7 × 4.5 minutes: it ends before `now`.
        let minutes = if day == today {
            (now - midnight).num_minutes() - 45
        } else {
            (paris_midnight(next) - midnight).num_minutes() - 40
        };
        for profile in &PROFILES {
            if rng.below(10) >= chance {
                continue;
            }
            let views = 1 + rng.below(7);
            let mut at = midnight
                + Duration::minutes(rng.below(minutes as usize) as i64)
                + Duration::milliseconds(rng.below(60_000) as i64);
            for view in 0..views {
                let path = PATHS[rng.below(PATHS.len())];
                let url = if view == 0 && rng.below(4) == 0 {
                    format!("{path}?{}", CAMPAIGNS[rng.below(CAMPAIGNS.len())])
                } else {
                    path.to_owned()
                };
                events.push(Event { at, profile, url });
                at += Duration::milliseconds(30_000 + rng.below(240_000) as i64);
            }
        }
        day = next;
    }
    events
}

/// 40 days of visits up to the test clock's now, plus a visitor on both
/// sides of a Paris midnight, one just after today's midnight and two in
/// the last half hour.
fn recent_events(now: DateTime<Utc>) -> Vec<Event> {
    let first = paris_date(now - Duration::days(40));
    let mut events = generated_events(now, first, 8, 20_260_302);
    let p = |i: usize| &PROFILES[i];
    events.extend([
        // 23:50 and 00:10 in Paris: one person, two days, two visitors.
        Event {
            at: utc("2026-02-10T22:50:12.345Z"),
            profile: p(0),
            url: "/".into(),
        },
        Event {
            at: utc("2026-02-10T23:10:45.678Z"),
            profile: p(0),
            url: "/services".into(),
        },
        // 00:05 in Paris, today.
        Event {
            at: utc("2026-03-01T23:05:09.123Z"),
            profile: p(7),
            url: "/".into(),
        },
        Event {
            at: now - Duration::minutes(10),
            profile: p(3),
            url: "/".into(),
        },
        Event {
            at: now - Duration::minutes(20) - Duration::milliseconds(4_321),
            profile: p(6),
            url: format!("/techniciens?{}", CAMPAIGNS[0]),
        },
    ]);
    events
}

fn device_of(profile: &Profile) -> Device {
    let text = |s: Option<&str>| s.map(str::to_owned);
    Device {
        browser: text(profile.browser),
        browser_version: text(profile.browser_version),
        os: text(profile.os),
        os_version: text(profile.os_version),
        device_type: profile.device_type,
        manufacturer: text(profile.manufacturer),
    }
}

/// Writes each page view as the site does: an audience row (truncated IP)
/// and a security row (full IP), which the figures must not count.
pub(super) async fn insert(app: &TestApp, events: &[Event]) {
    let rows: Vec<VisitorEvent> = events
        .iter()
        .flat_map(|event| {
            let device = Arc::new(device_of(event.profile));
            [
                VisitorEvent {
                    purpose: Purpose::Audience,
                    occurred_at: event.at,
                    expires_at: event.at + Months::new(13),
                    ip: event.profile.ip.to_owned(),
                    device: device.clone(),
                    url: event.url.clone(),
                },
                VisitorEvent {
                    purpose: Purpose::Security,
                    occurred_at: event.at,
                    expires_at: event.at + Months::new(6),
                    ip: event.profile.full_ip.to_owned(),
                    device,
                    url: event.url.clone(),
                },
            ]
        })
        .collect();
    insert_batch(&app.db, rows.into())
        .await
        .expect("insert the visitor-log rows");
}

async fn settled(app: &TestApp) {
    app.settled().await;
}

/// A browser that objects to audience measurement (`Sec-GPC: 1`): its own
/// visits to the statistics leave no audience row, so the figures are only
/// the test's.
pub(super) fn unmeasured_browser(app: &TestApp) -> Browser {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-gpc", reqwest::header::HeaderValue::from_static("1"));
    Browser {
        client: reqwest::Client::builder()
            .user_agent(DESKTOP_CHROME)
            .default_headers(headers)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client"),
        address: app.address.clone(),
    }
}

pub(super) async fn logged_in(app: &TestApp, role: Role, email: &str) -> Browser {
    create_account(app, role, email).await;
    let browser = unmeasured_browser(app);
    browser.login_ok(email, PASSWORD).await;
    browser
}

// ---------------------------------------------------------------------------
// The count made by the test.
// ---------------------------------------------------------------------------

/// What identifies a visitor within a day.
type VisitorKey = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

fn visitor_key(profile: &'static Profile) -> VisitorKey {
    (
        profile.ip,
        profile.browser,
        profile.browser_version,
        profile.os,
        profile.os_version,
        profile.device_type.as_str(),
    )
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Figures {
    views: i64,
    /// Visitors counted per day, added up.
    visitors: i64,
    /// A visitor's page views of one Paris day, split where 30 minutes or
    /// more pass without one.
    visits: i64,
    /// Visits of one page view.
    bounces: i64,
    /// Seconds from first to last page view, whole, added up over visits.
    duration_s: i64,
}

/// The visits of some page views (each in time order), and their visitors.
fn visits_of<'a>(events: impl IntoIterator<Item = &'a Event>) -> (Vec<Vec<&'a Event>>, i64) {
    let mut days: HashMap<(NaiveDate, VisitorKey), Vec<&Event>> = HashMap::new();
    for event in events {
        let key = (paris_date(event.at), visitor_key(event.profile));
        days.entry(key).or_default().push(event);
    }
    let visitors = days.len() as i64;
    let mut visits = Vec::new();
    for mut views in days.into_values() {
        views.sort_by_key(|e| e.at);
        let mut visit: Vec<&Event> = Vec::new();
        for view in views {
            if visit
                .last()
                .is_some_and(|last| view.at - last.at >= Duration::minutes(30))
            {
                visits.push(std::mem::take(&mut visit));
            }
            visit.push(view);
        }
        visits.push(visit);
    }
    (visits, visitors)
}

fn figures<'a>(events: impl IntoIterator<Item = &'a Event>) -> Figures {
    let (visits, visitors) = visits_of(events);
    let mut figures = Figures {
        visitors,
        ..Figures::default()
    };
    for visit in visits {
        figures.views += visit.len() as i64;
        figures.visits += 1;
        figures.bounces += i64::from(visit.len() == 1);
        let (first, last) = (visit[0].at, visit[visit.len() - 1].at);
        figures.duration_s += (last - first).num_milliseconds() / 1000;
    }
    figures
}

/// « 45 s », « 2 min 05 s ».
fn duration_text(seconds: f64) -> String {
    let s = seconds.round() as i64;
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        format!("{} h {:02} min", s / 3600, s % 3600 / 60)
    }
}

/// The page views, by Paris day.
struct Model {
    days: BTreeMap<NaiveDate, Vec<Event>>,
}

impl Model {
    fn new(events: &[Event]) -> Self {
        let mut days: BTreeMap<NaiveDate, Vec<Event>> = BTreeMap::new();
        for event in events {
            days.entry(paris_date(event.at))
                .or_default()
                .push(event.clone());
        }
        Self { days }
    }

    fn between(&self, first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = &Event> {
        self.days.range(first..=last).flat_map(|(_, events)| events)
    }

    fn on(&self, day: NaiveDate) -> impl Iterator<Item = &Event> {
        self.between(day, day)
    }
}

/// The breakdown tables: URL key, title, first column.
const TABLES: [(&str, &str, &str); 6] = [
    ("pages", "Pages les plus vues", "Page"),
    ("campagnes", "Campagnes", "Source / support / campagne"),
    ("navigateurs", "Navigateurs", "Navigateur"),
    ("systemes", "Systèmes d'exploitation", "Système"),
    ("appareils", "Types d'appareils", "Appareil"),
    ("fabricants", "Fabricants des mobiles", "Fabricant"),
];

/// "source / medium / campaign" of a URL, from its non-empty `utm_*`.
fn campaign_of(url: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    let mut parts: Vec<(usize, &str)> = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(key, value)| key.starts_with("utm_") && !value.is_empty())
        .map(|(key, value)| {
            let rank = ["utm_source", "utm_medium", "utm_campaign"]
                .iter()
                .position(|k| *k == key)
                .unwrap_or(3);
            (rank, value)
        })
        .collect();
    parts.sort_by_key(|(rank, _)| *rank);
    (!parts.is_empty()).then(|| {
        parts
            .iter()
            .map(|(_, value)| *value)
            .collect::<Vec<_>>()
            .join(" / ")
    })
}

/// The value a page view has in a table, as stored.
fn value_of(table: &str, event: &Event) -> Option<String> {
    let profile = event.profile;
    let known = |value: Option<&str>| value.unwrap_or("Inconnu").to_owned();
    match table {
        "pages" => Some(event.url.split('?').next().unwrap_or("/").to_owned()),
        "campagnes" => campaign_of(&event.url),
        "navigateurs" => Some(known(profile.browser)),
        "systemes" => Some(known(profile.os)),
        "appareils" => Some(profile.device_type.as_str().to_owned()),
        "fabricants" => profile.manufacturer.map(str::to_owned),
        _ => unreachable!("{table}"),
    }
}

/// A value as the page writes it.
fn label_of(table: &str, value: &str) -> String {
    if table != "appareils" {
        return value.to_owned();
    }
    match value {
        "pc" => "Ordinateur",
        "smartphone" => "Smartphone",
        "tablet" => "Tablette",
        "mobilephone" => "Téléphone mobile",
        other => other,
    }
    .to_owned()
}

fn french_number(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(THIN_SPACE);
        }
        out.push(c);
    }
    out
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

/// « 12,5 % ».
fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0).replace('.', ",")
}

/// « 3,47 ».
fn decimal(value: f64) -> String {
    format!("{value:.2}").replace('.', ",")
}

/// « ↑ en hausse de 12,5 % », « ↓ en baisse de 3,0 % », « stable » when
/// the change rounds to zero, or « — » and why when there was nothing
/// before.
fn evolution(before: f64, after: f64) -> String {
    if before > 0.0 {
        let rate = (after - before) / before;
        let figure = format!("{:.1}", rate.abs() * 100.0).replace('.', ",");
        if figure == "0,0" {
            "<span class=\"evolution stable\"><span aria-hidden=\"true\">=</span> stable</span>"
                .to_owned()
        } else if rate > 0.0 {
            format!("<span class=\"evolution up\"><span aria-hidden=\"true\">↑</span> en hausse de {figure} %</span>")
        } else {
            format!("<span class=\"evolution down\"><span aria-hidden=\"true\">↓</span> en baisse de {figure} %</span>")
        }
    } else {
        no_change("aucune visite avant")
    }
}

fn no_change(reason: &str) -> String {
    format!("<span class=\"evolution\">— <span class=\"reason\">({reason})</span></span>")
}

/// One breakdown table as it should read: rows of fewer than `min_group`
/// visitors merged into « Autres » (last), at most 20 pages, shares of the
/// table's page views.
fn breakdown(
    model: &Model,
    table: &str,
    first: NaiveDate,
    last: NaiveDate,
    min_group: i64,
) -> Vec<Vec<String>> {
    let mut groups: BTreeMap<String, Vec<&Event>> = BTreeMap::new();
    for event in model.between(first, last) {
        if let Some(value) = value_of(table, event) {
            groups.entry(value).or_default().push(event);
        }
    }
    // A campaign's visits are those entering through it (the campaign of
    // their first page view).
    let mut entered: HashMap<String, (i64, i64)> = HashMap::new();
    for visit in visits_of(model.between(first, last)).0 {
        if let Some(campaign) = campaign_of(&visit[0].url) {
            let counts = entered.entry(campaign).or_default();
            counts.0 += 1;
            counts.1 += i64::from(visit.len() == 1);
        }
    }
    let mut rows: Vec<(String, Figures)> = groups
        .into_iter()
        .map(|(value, events)| {
            let (visits, bounces) = entered.get(&value).copied().unwrap_or_default();
            let f = Figures {
                visits,
                bounces,
                ..figures(events)
            };
            (value, f)
        })
        .collect();
    rows.sort_by(|a, b| b.1.views.cmp(&a.1.views).then_with(|| a.0.cmp(&b.0)));
    let total: i64 = rows.iter().map(|(_, f)| f.views).sum();
    let limit = if table == "pages" { 20 } else { usize::MAX };
    let mut kept: Vec<(String, Figures)> = Vec::new();
    let mut others = Figures::default();
    for (value, f) in rows {
        if f.visitors < min_group || kept.len() >= limit {
            others.views += f.views;
            others.visitors += f.visitors;
            others.visits += f.visits;
            others.bounces += f.bounces;
        } else {
            kept.push((label_of(table, &value), f));
        }
    }
    if others.views > 0 {
        kept.push(("Autres".to_owned(), others));
    }
    kept.into_iter()
        .map(|(label, f)| {
            let mut row = vec![
                label,
                french_number(f.views),
                percent(ratio(f.views, total)),
                french_number(f.visitors),
            ];
            if table == "campagnes" {
                row.push(french_number(f.visits));
                row.push(percent(ratio(f.bounces, f.visits)));
            }
            row
        })
        .collect()
}

/// A period as asked in the URL, what it covers, and what it is compared
/// with: the same number of days before, or, when it runs until now, the
/// span before it until the same time of day.
#[derive(Clone)]
struct Asked {
    query: String,
    label: &'static str,
    first: NaiveDate,
    last: NaiveDate,
    previous: (NaiveDate, NaiveDate),
    /// The compared span's last day ends at this instant.
    cut: Option<DateTime<Utc>>,
}

impl Asked {
    fn is_one_day(&self) -> bool {
        self.first == self.last
    }

    fn days(&self) -> i64 {
        (self.last - self.first).num_days() + 1
    }
}

/// The same time of day as `now`, on `day` in Paris.
fn same_time(day: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    Paris
        .from_local_datetime(&day.and_time(now.with_timezone(&Paris).time()))
        .earliest()
        .expect("a Paris time")
        .with_timezone(&Utc)
}

fn presets(now: DateTime<Utc>) -> Vec<Asked> {
    let today = paris_date(now);
    let yesterday = today - Duration::days(1);
    let days = |query: &str, label, n: i64| Asked {
        query: format!("periode={query}"),
        label,
        first: yesterday - Duration::days(n - 1),
        last: yesterday,
        previous: (
            yesterday - Duration::days(2 * n - 1),
            yesterday - Duration::days(n),
        ),
        cut: None,
    };
    let year_last = yesterday - Months::new(12);
    vec![
        Asked {
            query: "periode=aujourdhui".into(),
            label: "Aujourd'hui",
            first: today,
            last: today,
            previous: (yesterday, yesterday),
            cut: Some(same_time(yesterday, now)),
        },
        days("7j", "7 derniers jours", 7),
        days("30j", "30 derniers jours", 30),
        Asked {
            query: "periode=12m".into(),
            label: "12 derniers mois",
            first: year_last + Duration::days(1),
            last: yesterday,
            previous: (year_last - Months::new(12) + Duration::days(1), year_last),
            cut: None,
        },
    ]
}

fn custom(first: &str, last: &str) -> Asked {
    let (first, last) = (date(first), date(last));
    let days = Duration::days((last - first).num_days() + 1);
    Asked {
        query: format!("periode=perso&du={first}&au={last}"),
        label: "Période choisie",
        first,
        last,
        previous: (first - days, last - days),
        cut: None,
    }
}

fn in_french(first: NaiveDate, last: NaiveDate) -> String {
    let date = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    if first == last {
        format!("le {}", date(first))
    } else {
        format!("du {} au {}", date(first), date(last))
    }
}

/// What the page must show for a period.
struct Expected {
    context: String,
    lead: String,
    cards: Vec<String>,
    now_line: String,
    series_caption: String,
    series_headers: Vec<String>,
    series: Vec<Vec<String>>,
    /// (title, caption, column, rows); no rows: « Aucune visite ».
    tables: Vec<(&'static str, String, &'static str, Vec<Vec<String>>)>,
    /// Fewer visitors than the minimum group: no table at all (its
    /// « Autres » would give the total away).
    too_few: bool,
}

/// The expectation as the test helpers read pages: plain spaces and
/// apostrophes (`helpers::plain`).
fn plain_expected(e: &Expected) -> Expected {
    let rows = |rows: &Vec<Vec<String>>| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| plain(c)).collect())
            .collect()
    };
    Expected {
        context: e.context.clone(),
        lead: plain(&e.lead),
        cards: e.cards.iter().map(|c| plain(c)).collect(),
        now_line: plain(&e.now_line),
        series_caption: plain(&e.series_caption),
        series_headers: e.series_headers.iter().map(|c| plain(c)).collect(),
        series: rows(&e.series),
        tables: e
            .tables
            .iter()
            .map(|(t, c, col, r)| (*t, plain(c), *col, rows(r)))
            .collect(),
        too_few: e.too_few,
    }
}

fn expected_page(model: &Model, asked: &Asked, now: DateTime<Utc>, min_group: i64) -> Expected {
    let period = in_french(asked.first, asked.last);
    let (previous_first, previous_last) = asked.previous;
    let headline = |first, last, until: DateTime<Utc>| {
        let events = || model.between(first, last).filter(move |e| e.at < until);
        let all = figures(events());
        let mobile = figures(events().filter(|e| e.profile.device_type.is_mobile()));
        (all, mobile)
    };
    let (now_all, now_mobile) = headline(asked.first, asked.last, now);
    let (before_all, before_mobile) =
        headline(previous_first, previous_last, asked.cut.unwrap_or(now));
    let pages = |f: Figures| ratio(f.views, f.visits);
    let bounce = |f: Figures| ratio(f.bounces, f.visits);
    let length = |f: Figures| ratio(f.duration_s, f.visits);
    let cards = [
        (
            "Pages vues",
            french_number(now_all.views),
            french_number(before_all.views),
            before_all.views as f64,
            now_all.views as f64,
        ),
        (
            "Visiteurs",
            french_number(now_all.visitors),
            french_number(before_all.visitors),
            before_all.visitors as f64,
            now_all.visitors as f64,
        ),
        (
            "Visites",
            french_number(now_all.visits),
            french_number(before_all.visits),
            before_all.visits as f64,
            now_all.visits as f64,
        ),
        (
            "Pages par visite",
            decimal(pages(now_all)),
            decimal(pages(before_all)),
            pages(before_all),
            pages(now_all),
        ),
        (
            "Taux de rebond",
            percent(bounce(now_all)),
            percent(bounce(before_all)),
            bounce(before_all),
            bounce(now_all),
        ),
        (
            "Durée moyenne d'une visite",
            duration_text(length(now_all)),
            duration_text(length(before_all)),
            length(before_all),
            length(now_all),
        ),
        (
            "Part des mobiles",
            percent(ratio(now_mobile.visitors, now_all.visitors)),
            percent(ratio(before_mobile.visitors, before_all.visitors)),
            ratio(before_mobile.visitors, before_all.visitors),
            ratio(now_mobile.visitors, now_all.visitors),
        ),
    ]
    .into_iter()
    .map(|(name, value, previous, before, after)| {
        // A period of fewer visitors than the minimum group shows none of
        // its figures, nor the change.
        let hidden = |visitors: i64| visitors > 0 && visitors < min_group;
        let (now_hidden, before_hidden) = (hidden(now_all.visitors), hidden(before_all.visitors));
        let less = format!("moins de {min_group}");
        let value = if now_hidden { less.clone() } else { value };
        let previous = if before_hidden { less } else { previous };
        let change = if now_hidden || before_hidden {
            no_change("moins de visiteurs que le seuil d'affichage")
        } else {
            evolution(before, after)
        };
        format!(
            "<li class=\"card\"><h2>{name}</h2><p class=\"figure\">{value}</p>\
             <p class=\"previous\">Période précédente : {previous} · {change}</p></li>"
        )
    })
    .collect();

    let recent: HashSet<VisitorKey> = model
        .on(paris_date(now))
        .chain(model.on(paris_date(now) - Duration::days(1)))
        .filter(|e| e.at >= now - Duration::minutes(30) && e.at <= now)
        .map(|e| visitor_key(e.profile))
        .collect();
    let recent = recent.len() as i64;
    let now_text = if recent > 0 && recent < min_group {
        format!("moins de {min_group} visiteurs")
    } else if recent > 1 {
        format!("{} visiteurs", french_number(recent))
    } else {
        format!("{recent} visiteur")
    };

    let hidden = format!("moins de {min_group}");
    let point = |label: String, f: Figures| {
        if f.visitors < min_group && f.views > 0 {
            vec![label, hidden.clone(), hidden.clone()]
        } else {
            vec![label, french_number(f.views), french_number(f.visitors)]
        }
    };
    let (unit, first_header, series) = if asked.is_one_day() {
        let local_now = now.with_timezone(&Paris);
        let series = (0..24)
            .map(|hour| {
                if asked.first == local_now.date_naive() && hour > local_now.hour() {
                    // An hour still to come is no zero.
                    return vec![format!("{hour} h"), "à venir".into(), "à venir".into()];
                }
                let f = figures(
                    model
                        .on(asked.first)
                        .filter(|e| e.at.with_timezone(&Paris).hour() == hour),
                );
                point(format!("{hour} h"), f)
            })
            .collect();
        ("par heure", "Heure", series)
    } else if asked.days() > 186 {
        let mut series = Vec::new();
        let mut month = asked.first.with_day(1).expect("a first day");
        while month <= asked.last {
            let next = month + Months::new(1);
            let (first, last) = (
                month.max(asked.first),
                (next - Duration::days(1)).min(asked.last),
            );
            let mut label = month.format("%m/%Y").to_string();
            if first != month || last != next - Duration::days(1) {
                label.push_str(" (incomplète)");
            }
            // Visitors of a month: the sum of its days' visitors.
            series.push(point(label, figures(model.between(first, last))));
            month = next;
        }
        ("par mois", "Mois", series)
    } else if asked.days() > 31 {
        let mut series = Vec::new();
        let mut monday =
            asked.first - Duration::days(asked.first.weekday().num_days_from_monday().into());
        while monday <= asked.last {
            let sunday = monday + Duration::days(6);
            let (first, last) = (monday.max(asked.first), sunday.min(asked.last));
            let mut label = format!("sem. du {}", first.format("%d/%m"));
            if first != monday || last != sunday {
                label.push_str(" (incomplète)");
            }
            series.push(point(label, figures(model.between(first, last))));
            monday += Duration::days(7);
        }
        ("par semaine", "Semaine", series)
    } else {
        let series = asked
            .first
            .iter_days()
            .take_while(|day| *day <= asked.last)
            .map(|day| point(day.format("%d/%m").to_string(), figures(model.on(day))))
            .collect();
        ("par jour", "Jour", series)
    };

    Expected {
        context: asked.query.clone(),
        lead: match asked.cut {
            Some(cut) => {
                let hour = cut.with_timezone(&Paris).format("%H h %M");
                format!(
                    "<p class=\"lead\"><strong>{}</strong> : {period}, jusqu'à {hour}, \
                     comparé à la même durée juste avant : {} jusqu'à {hour}.</p>",
                    asked.label,
                    in_french(previous_first, previous_last)
                )
            }
            None => format!(
                "<p class=\"lead\"><strong>{}</strong> : {period}, comparé à la période \
                 précédente de même durée ({}).</p>",
                asked.label,
                in_french(previous_first, previous_last)
            ),
        },
        cards,
        now_line: format!(
            "<p class=\"now\">En ce moment (30 dernières minutes) : <strong>{now_text}</strong></p>"
        ),
        series_caption: format!("Pages vues et visiteurs {unit}, {period}"),
        series_headers: vec![
            first_header.to_owned(),
            "Pages vues".to_owned(),
            "Visiteurs".to_owned(),
        ],
        series,
        too_few: now_all.visitors > 0 && now_all.visitors < min_group,
        tables: TABLES
            .iter()
            .filter(|_| !(now_all.visitors > 0 && now_all.visitors < min_group))
            .map(|(key, title, column)| {
                (
                    *title,
                    format!("{title}, {period}"),
                    *column,
                    breakdown(model, key, asked.first, asked.last, min_group),
                )
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// Reading the page.
// ---------------------------------------------------------------------------

/// The text of some markup: tags dropped, entities decoded, trimmed.
pub(super) fn text_of(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

pub(super) fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

#[derive(Debug)]
pub(super) struct Table {
    pub(super) caption: String,
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
}

/// Every `<table>` of a page, as text.
pub(super) fn tables(page: &str) -> Vec<Table> {
    page.split("<table>")
        .skip(1)
        .map(|chunk| {
            let table = &chunk[..chunk.find("</table>").expect("a closed table")];
            let cells = |row: &str, end: &str| -> Vec<String> {
                row.split(end)
                    .filter(|cell| cell.contains("<td") || cell.contains("<th"))
                    .map(text_of)
                    .collect()
            };
            Table {
                caption: between(table, "<caption>", "</caption>")
                    .map(text_of)
                    .unwrap_or_default(),
                headers: cells(
                    between(table, "<thead>", "</thead>").unwrap_or_default(),
                    "</th>",
                ),
                rows: between(table, "<tbody>", "</tbody>")
                    .unwrap_or_default()
                    .split("</tr>")
                    .filter(|row| !row.trim().is_empty())
                    .map(|row| cells(row, "</td>"))
                    .collect(),
            }
        })
        .collect()
}

pub(super) fn table<'a>(found: &'a [Table], caption: &str) -> Option<&'a Table> {
    found.iter().find(|t| t.caption == caption)
}

/// The page shows exactly the expected figures.
fn assert_page_shows(page: &str, expected: &Expected) {
    let expected = &plain_expected(expected);
    let context = &expected.context;
    assert!(
        page.contains(&expected.lead),
        "{context}: no {:?} in the page",
        expected.lead
    );
    let cards = between(page, "<ul class=\"cards figures\">", "</ul>").unwrap_or("(no cards)");
    for card in &expected.cards {
        assert!(
            cards.contains(card.as_str()),
            "{context}: expected\n{card}\nin\n{cards}"
        );
    }
    let now_line = between(page, "<p class=\"now\">", "</p>").unwrap_or("(none)");
    assert!(
        page.contains(&expected.now_line),
        "{context}: expected {:?}, found {now_line:?}",
        expected.now_line
    );
    let found = tables(page);
    let captions: Vec<&str> = found.iter().map(|t| t.caption.as_str()).collect();
    let series = table(&found, &expected.series_caption).unwrap_or_else(|| {
        panic!(
            "{context}: no table {:?} among {captions:?}",
            expected.series_caption
        )
    });
    assert_eq!(series.headers, expected.series_headers, "{context}");
    assert_eq!(
        series.rows, expected.series,
        "{context}: the chart's figures"
    );
    assert_eq!(
        page.contains("aucun tableau n'est affiché"),
        expected.too_few,
        "{context}: the note of a period of too few visitors"
    );
    for (title, caption, column, rows) in &expected.tables {
        let shown = table(&found, caption);
        if rows.is_empty() {
            assert!(shown.is_none(), "{context}: {caption} should be empty");
            assert!(
                page.contains(&format!(
                    "<h2>{title}</h2><p>Aucune visite sur cette période.</p>"
                )),
                "{context}: {title} says there was no visit"
            );
        } else {
            let shown = shown
                .unwrap_or_else(|| panic!("{context}: no table {caption:?} among {captions:?}"));
            let mut headers = vec![*column, "Pages vues", "Part", "Visiteurs"];
            if *column == "Source / support / campagne" {
                headers.extend(["Visites", "Taux de rebond"]);
            }
            assert_eq!(shown.headers, headers, "{context}: {caption}");
            assert_eq!(&shown.rows, rows, "{context}: {caption}");
        }
    }
}

pub(super) async fn statistics_page(browser: &Browser, query: &str) -> String {
    let (status, page) = browser.get_page(&format!("/statistiques?{query}")).await;
    assert_eq!(status, 200, "/statistiques?{query}: {page}");
    page
}

/// A CSV export: its head and its records (after the byte-order mark).
struct Csv {
    content_type: String,
    disposition: String,
    text: String,
    records: Vec<Vec<String>>,
}

async fn export(browser: &Browser, path: &str, delimiter: u8) -> Csv {
    let response = browser.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let content_type = header(response.headers(), "content-type").to_owned();
    let disposition = header(response.headers(), "content-disposition").to_owned();
    let body = response.bytes().await.expect("a body");
    let without_bom = body
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or_else(|| panic!("{path}: no UTF-8 byte-order mark"));
    let text = String::from_utf8(without_bom.to_vec()).expect("UTF-8");
    let records = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(without_bom)
        .records()
        .map(|record| {
            record
                .expect("a CSV record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    Csv {
        content_type,
        disposition,
        text,
        records,
    }
}

// ---------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------

async fn the_figures_equal_a_count_made_from_the_rows(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.min_group = 1).await;
    settled(&app).await;
    let now = app.clock_now();
    let today = paris_date(now);
    let events = recent_events(now);
    insert(&app, &events).await;

    // Every finished day is counted; today is left to the raw rows.
    let outcome = roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
    let first_day = events.iter().map(|e| paris_date(e.at)).min().unwrap();
    assert_eq!(outcome.days.len() as i64, (today - first_day).num_days());
    assert!(app.count("audience_daily").await > 0);
    // Each view also has its security row (full IP), which no figure counts.
    assert_eq!(count_visits(&app.db, "security").await, events.len() as i64);

    let model = Model::new(&events);
    let marketing = logged_in(&app, Role::Marketing, MARKETING).await;
    let mut asked = presets(now);
    asked.push(custom("2026-01-25", "2026-02-14"));
    asked.push(custom("2026-02-10", "2026-02-11"));
    for asked in &asked {
        let page = statistics_page(&marketing, &asked.query).await;
        assert_page_shows(&page, &expected_page(&model, asked, now, 1));
    }

    // The same custom period written the French way.
    let page = statistics_page(&marketing, "periode=perso&du=25/01/2026&au=14/02/2026").await;
    assert_page_shows(
        &page,
        &Expected {
            context: "du=25/01/2026".into(),
            ..expected_page(&model, &custom("2026-01-25", "2026-02-14"), now, 1)
        },
    );

    // The data set is big enough for a thousands separator.
    let thirty = presets(now).remove(2);
    let figures_30 = figures(model.between(thirty.first, thirty.last));
    assert!(figures_30.views >= 1_000, "{figures_30:?}");
    let page = statistics_page(&marketing, "periode=30j").await;
    assert!(page.contains(&format!(
        "<p class=\"figure\">{}</p>",
        plain(&french_number(figures_30.views))
    )));
    assert!(french_number(figures_30.views).contains(THIN_SPACE));

    // Today is shown by the hour, in Paris time: 00:05 is « 0 h ».
    let page = statistics_page(&marketing, "periode=aujourdhui").await;
    let found = tables(&page);
    let hours = table(
        &found,
        &format!(
            "Pages vues et visiteurs par heure, le {}",
            today.format("%d/%m/%Y")
        ),
    )
    .expect("the hours table");
    assert_eq!(hours.rows.len(), 24);
    assert_eq!(hours.rows[0][0], "0 h");
    assert_ne!(hours.rows[0][1], "0", "the view at 00:05 Paris time");
}

/// Six visitors: on one day they see pages seen by 1 to 6 of them, three
/// of them come back on another day, and on a third they see 23 pages.
static SMALL: [Profile; 6] = [
    profile(
        ("82.64.1.0", "82.64.1.10"),
        (Some("Chrome"), Some("120")),
        (Some("Windows"), Some("10")),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("82.64.2.0", "82.64.2.20"),
        (Some("Chrome"), Some("120")),
        (Some("Windows"), Some("10")),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("82.64.3.0", "82.64.3.30"),
        (Some("Chrome"), Some("120")),
        (Some("Windows"), Some("10")),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("82.64.4.0", "82.64.4.40"),
        (Some("Chrome"), Some("120")),
        (Some("Windows"), Some("10")),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("82.64.5.0", "82.64.5.50"),
        (Some("Firefox"), Some("121")),
        (Some("Windows"), Some("10")),
        DeviceType::Pc,
        None,
    ),
    profile(
        ("82.64.6.0", "82.64.6.60"),
        (Some("Safari"), Some("17")),
        (Some("iOS"), Some("17.2")),
        DeviceType::Smartphone,
        Some("Apple"),
    ),
];

const MAIN_GUIDE: &str = "/ressources/guide-principal";

fn guide(n: usize) -> String {
    format!("/ressources/guide-{n}")
}

async fn small_groups_are_merged_into_others(backend: Backend) {
    let app = spawn_app(backend).await;
    settled(&app).await;
    let now = app.clock_now();
    let mut events = Vec::new();
    let mut at = utc("2026-02-20T09:00:00.250Z");
    let view = |events: &mut Vec<Event>, at: &mut DateTime<Utc>, who: usize, url: &str| {
        events.push(Event {
            at: *at,
            profile: &SMALL[who],
            url: url.to_owned(),
        });
        *at += Duration::seconds(37);
    };
    // 20 February: the six see the main guide twice; guide n is seen by
    // the first n of them (guide 5: exactly the minimum group).
    for who in 0..6 {
        view(&mut events, &mut at, who, MAIN_GUIDE);
        view(&mut events, &mut at, who, MAIN_GUIDE);
        for n in (who + 1)..=5 {
            view(&mut events, &mut at, who, &guide(n));
        }
    }
    // 25 February: three of them come back, to the main guide only.
    let mut at = utc("2026-02-25T15:00:00.500Z");
    for who in 0..3 {
        view(&mut events, &mut at, who, MAIN_GUIDE);
    }
    // 15 January: the six see 23 catalogue pages each, once; only 20 pages
    // are listed.
    let mut at = utc("2026-01-15T10:00:00.750Z");
    for who in 0..6 {
        for n in 1..=23 {
            view(
                &mut events,
                &mut at,
                who,
                &format!("/catalogue/page-{n:02}"),
            );
        }
    }
    insert(&app, &events).await;
    roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
    let model = Model::new(&events);
    let marketing = logged_in(&app, Role::Marketing, MARKETING).await;

    let mut asked = presets(now);
    let thirty = asked.remove(2);
    let seven = asked.remove(1);
    let page = statistics_page(&marketing, "periode=30j").await;
    assert_page_shows(&page, &expected_page(&model, &thirty, now, 5));

    let found = tables(&page);
    let pages =
        table(&found, "Pages les plus vues, du 31/01/2026 au 01/03/2026").expect("the pages table");
    assert_eq!(
        pages.rows,
        [
            // 12 + 3 views; 6 + 3 visitors (counted per day).
            [MAIN_GUIDE, "15", "50,0 %", "9"],
            // Exactly 5 visitors: shown.
            ["/ressources/guide-5", "5", "16,7 %", "5"],
            // Guides 1 to 4: 1 + 2 + 3 + 4 visitors, merged, and last.
            ["Autres", "10", "33,3 %", "10"],
        ]
    );
    // The three visitors of 25 February are fewer than 5: not shown.
    let series = table(
        &found,
        "Pages vues et visiteurs par jour, du 31/01/2026 au 01/03/2026",
    )
    .expect("the days table");
    let day = |label: &str| {
        series
            .rows
            .iter()
            .find(|row| row[0] == label)
            .cloned()
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    assert_eq!(day("20/02"), ["20/02", "27", "6"]);
    assert_eq!(day("25/02"), ["25/02", "moins de 5", "moins de 5"]);
    assert_eq!(day("26/02"), ["26/02", "0", "0"]);
    let chart = between(&page, "<figure class=\"chart\"", "</figure>").expect("the chart");
    assert!(chart.contains("<title>25/02 : trop peu de visites pour être affichées</title>"));
    assert!(chart.contains("<title>20/02 : 27 pages vues</title>"));
    assert!(!chart.contains("25/02 : 3 "), "{chart}");
    // A browser, a device type or a manufacturer of a single visitor is not
    // named either.
    for hidden in ["Firefox", "Safari", "iOS", "Apple", "Smartphone"] {
        assert!(!page.contains(hidden), "{hidden} is shown");
    }

    // Over 7 days, only 25 February: every row is « Autres », every day hidden
    // or empty.
    let page = statistics_page(&marketing, "periode=7j").await;
    assert_page_shows(&page, &expected_page(&model, &seven, now, 5));
    let found = tables(&page);
    assert!(table(&found, "Pages les plus vues, du 23/02/2026 au 01/03/2026").is_none());
    assert!(page.contains("aucun tableau n'est affiché"));

    // At most 20 pages are named; the next ones go to « Autres » however many
    // visitors they had.
    let page = statistics_page(&marketing, "periode=perso&du=2026-01-15&au=2026-01-15").await;
    assert_page_shows(
        &page,
        &expected_page(&model, &custom("2026-01-15", "2026-01-15"), now, 5),
    );
    let found = tables(&page);
    let pages = table(&found, "Pages les plus vues, le 15/01/2026").expect("the pages table");
    let mut expected: Vec<Vec<String>> = (1..=20)
        .map(|n| {
            vec![
                format!("/catalogue/page-{n:02}"),
                "6".into(),
                "4,3 %".into(),
                "6".into(),
            ]
        })
        .collect();
    expected.push(vec![
        "Autres".into(),
        "18".into(),
        "13,0 %".into(),
        "18".into(),
    ]);
    assert_eq!(pages.rows, expected);
    // (The exit pages table names page 23: the six visits ended there.)
    for n in 21..=23 {
        let path = format!("/catalogue/page-{n}");
        assert!(!pages.rows.iter().any(|row| row[0] == path));
    }

    // The small pages' paths appear nowhere, neither on the page nor in any
    // export.
    let mut texts = Vec::new();
    for query in [
        "periode=30j",
        "periode=7j",
        "periode=perso&du=2026-02-20&au=2026-02-20",
    ] {
        texts.push((query.to_owned(), statistics_page(&marketing, query).await));
        for (key, _, _) in TABLES {
            for (separator, delimiter) in [("", b';'), ("&separateur=virgule", b',')] {
                let path = format!("/statistiques/export?tableau={key}&{query}{separator}");
                texts.push((
                    path.clone(),
                    export(&marketing, &path, delimiter).await.text,
                ));
            }
        }
    }
    for (source, text) in &texts {
        for n in 1..=4 {
            assert!(!text.contains(&guide(n)), "{} in {source}", guide(n));
        }
    }
    let pages_csv = export(
        &marketing,
        "/statistiques/export?tableau=pages&periode=30j",
        b';',
    )
    .await;
    assert_eq!(
        pages_csv.records,
        [
            ["Page", "Pages vues", "Part des pages vues (%)", "Visiteurs"],
            [MAIN_GUIDE, "15", "50,0", "9"],
            ["/ressources/guide-5", "5", "16,7", "5"],
            ["Autres", "10", "33,3", "10"],
        ]
    );
}

async fn the_csv_equals_the_table(backend: Backend) {
    let app = spawn_app(backend).await;
    settled(&app).await;
    let now = app.clock_now();
    let events = recent_events(now);
    insert(&app, &events).await;
    roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
    let model = Model::new(&events);
    let marketing = logged_in(&app, Role::Marketing, MARKETING).await;

    let mut asked = presets(now);
    asked.push(custom("2026-01-25", "2026-02-14"));
    let mut seen_others = false;
    for asked in &asked {
        let page = statistics_page(&marketing, &asked.query).await;
        let expected = expected_page(&model, asked, now, 5);
        assert_page_shows(&page, &expected);
        let found = tables(&page);
        for ((key, title, column), (_, caption, _, rows)) in TABLES.iter().zip(&expected.tables) {
            let shown: Vec<Vec<String>> = table(&found, caption)
                .map(|t| t.rows.clone())
                .unwrap_or_default();
            assert_eq!(&shown, rows, "{caption}");
            seen_others |= shown.iter().any(|row| row[0] == "Autres");
            // The page links to both exports of this period.
            let link = format!(
                "/statistiques/export?tableau={key}&amp;{}",
                asked.query.replace('&', "&amp;")
            );
            assert!(page.contains(&format!("href=\"{link}\"")), "{link}");
            assert!(page.contains(&format!("href=\"{link}&amp;separateur=virgule\"")));

            for (separator, delimiter, point) in
                [("", b';', ','), ("&separateur=virgule", b',', '.')]
            {
                let path = format!(
                    "/statistiques/export?tableau={key}&{}{separator}",
                    asked.query
                );
                let csv = export(&marketing, &path, delimiter).await;
                assert_eq!(csv.content_type, "text/csv; charset=utf-8", "{path}");
                assert_eq!(
                    csv.disposition,
                    format!(
                        "attachment; filename=\"statistiques-{key}-{}-{}.csv\"",
                        asked.first, asked.last
                    ),
                    "{path}"
                );
                let separator = char::from(delimiter);
                assert_eq!(
                    csv.text.lines().next().map(|l| l.trim_end_matches('\r')),
                    Some(
                        [
                            *column,
                            "Pages vues",
                            "Part des pages vues (%)",
                            "Visiteurs"
                        ]
                        .map(|title| format!("\"{title}\""))
                        .join(&separator.to_string())
                        .as_str()
                    ),
                    "{path}: the header line, every field quoted"
                );
                let from_page: Vec<Vec<String>> = shown
                    .iter()
                    .map(|row| {
                        let number = |cell: &str| cell.replace(THIN_SPACE, "");
                        let share = row[2]
                            .strip_suffix(" %")
                            .expect("a share in %")
                            .replace(',', &point.to_string());
                        vec![row[0].clone(), number(&row[1]), share, number(&row[3])]
                    })
                    .collect();
                assert_eq!(csv.records.len(), shown.len() + 1, "{path}: {}", csv.text);
                assert_eq!(csv.records[1..], from_page[..], "{path} ({title})");
            }
        }
    }
    assert!(seen_others, "some table merges small groups");
}

async fn the_pages_are_refused_to_clients_and_anonymous_visitors(backend: Backend) {
    let app = spawn_app(backend).await;
    let anonymous = unmeasured_browser(&app);
    let client = logged_in(&app, Role::Client, "client@syndic-exemple.fr").await;
    let marketing = logged_in(&app, Role::Marketing, MARKETING).await;
    let admin = logged_in(&app, Role::Admin, "equipe@wemaintain.com").await;
    for (path, back) in [
        ("/statistiques", "%2Fstatistiques"),
        (
            "/statistiques/export?tableau=pages",
            "%2Fstatistiques%2Fexport%3Ftableau%3Dpages",
        ),
    ] {
        let response = anonymous.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(
            header(response.headers(), "location"),
            format!("/connexion?suite={back}"),
            "{path}"
        );
        let (status, page) = client.get_page(path).await;
        assert_eq!(status, 403, "{path}");
        assert!(!page.contains("Pages vues"), "{path}");
        for (who, browser) in [("marketing", &marketing), ("admin", &admin)] {
            let response = browser.get(path).await;
            assert_eq!(response.status(), 200, "{who}: {path}");
            let kind = header(response.headers(), "content-type").to_owned();
            if path.contains("export") {
                assert_eq!(kind, "text/csv; charset=utf-8");
            } else {
                assert!(kind.starts_with("text/html"), "{kind}");
                let page = response.text().await.unwrap();
                assert!(page.contains("Statistiques de fréquentation"));
            }
        }
    }
}

/// Every `HH:MM` in a text.
fn clock_times(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(4))
        .filter(|&i| {
            bytes[i..i + 5].iter().enumerate().all(|(j, b)| {
                if j == 2 {
                    *b == b':'
                } else {
                    b.is_ascii_digit()
                }
            })
        })
        .map(|i| text[i..i + 5].to_owned())
        .collect()
}

async fn no_ip_or_individual_time_appears(backend: Backend) {
    let app = spawn_app(backend).await;
    settled(&app).await;
    let now = app.clock_now();
    let events = recent_events(now);
    insert(&app, &events).await;
    roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
    let marketing = logged_in(&app, Role::Marketing, MARKETING).await;

    let mut queries: Vec<String> = presets(now).into_iter().map(|a| a.query).collect();
    queries.push(custom("2026-02-10", "2026-02-11").query);
    queries.push(custom("2026-03-02", "2026-03-02").query);
    let mut texts = Vec::new();
    for query in &queries {
        texts.push((query.clone(), statistics_page(&marketing, query).await));
        for (key, _, _) in TABLES {
            for (separator, delimiter) in [("", b';'), ("&separateur=virgule", b',')] {
                let path = format!("/statistiques/export?tableau={key}&{query}{separator}");
                texts.push((
                    path.clone(),
                    export(&marketing, &path, delimiter).await.text,
                ));
            }
        }
    }

    // Every address, truncated or not, and its network part.
    let mut addresses: Vec<String> = Vec::new();
    for profile in &PROFILES {
        addresses.push(profile.ip.to_owned());
        addresses.push(profile.full_ip.to_owned());
        let network = if profile.ip.contains('.') {
            profile.ip.rsplit_once('.').unwrap().0.to_owned()
        } else {
            profile.ip.trim_end_matches(':').to_owned()
        };
        addresses.push(network);
    }
    // Every instant of a page view, in every form.
    let mut times: HashSet<String> = HashSet::new();
    let mut stamps: Vec<String> = Vec::new();
    for event in &events {
        times.insert(event.at.with_timezone(&Paris).format("%H:%M").to_string());
        times.insert(event.at.format("%H:%M").to_string());
        stamps.push(event.at.timestamp_millis().to_string());
        stamps.push(event.at.timestamp().to_string());
        stamps.push(event.at.format("%Y-%m-%dT%H:%M").to_string());
        stamps.push(
            event
                .at
                .with_timezone(&Paris)
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
        );
        stamps.push(
            event
                .at
                .with_timezone(&Paris)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        );
    }
    for (source, text) in &texts {
        assert!(!text.is_empty(), "{source}");
        for address in &addresses {
            assert!(!text.contains(address.as_str()), "{address} in {source}");
        }
        for time in clock_times(text) {
            assert!(
                !times.contains(&time),
                "the time {time} of a visit in {source}"
            );
        }
        for stamp in &stamps {
            assert!(!text.contains(stamp.as_str()), "{stamp} in {source}");
        }
    }
}

async fn the_figures_survive_a_purge_of_the_raw_rows(backend: Backend) {
    let app = spawn_app(backend).await;
    settled(&app).await;
    let now = app.clock_now();
    let register = Register::default();
    // About 14 months of visits: from 1 January 2025 to today.
    let events = generated_events(now, date("2025-01-01"), 3, 1_402);
    insert(&app, &events).await;
    // The roll-up runs before every purge, hourly: each month here, so each
    // day is counted while all its raw rows are there.
    for months in 1..=14 {
        let at = utc("2025-01-01T09:30:00Z") + Months::new(months);
        roll_up(&app.db, &register, at).await.expect("roll-up");
    }
    roll_up(&app.db, &register, now).await.expect("roll-up");

    let model = Model::new(&events);
    let marketing = logged_in(&app, Role::Marketing, MARKETING).await;
    let year = presets(now).remove(3);
    assert_eq!(year.first, date("2025-03-02"));
    // The 12 months (from 2 March 2025, to yesterday) hold no purged day,
    // but their previous period (from 2 March 2024) does, and so does this
    // one.
    let early = custom("2025-01-01", "2025-03-31");
    let mut before = Vec::new();
    for asked in [&year, &early] {
        let page = statistics_page(&marketing, &asked.query).await;
        assert_page_shows(&page, &expected_page(&model, asked, now, 5));
        before.push(between(&page, "<ul class=\"cards figures\">", "</ul>").map(str::to_owned));
    }

    // Raw audience rows older than 13 months go; aggregates stay.
    let purged = events
        .iter()
        .filter(|e| e.at <= now - Months::new(13))
        .count() as i64;
    assert!(purged > 50, "{purged}");
    let raw_before = count_visits(&app.db, "audience").await;
    let aggregates_before = app.count("audience_daily").await;
    assert_eq!(raw_before, events.len() as i64);
    purge(
        &app.db,
        &register,
        now,
        500,
        PurgeMode::Delete,
        &Metrics::default(),
    )
    .await
    .expect("purge");
    assert_eq!(count_visits(&app.db, "audience").await, raw_before - purged);
    assert_eq!(app.count("audience_daily").await, aggregates_before);

    for (asked, before) in [&year, &early].into_iter().zip(before) {
        let page = statistics_page(&marketing, &asked.query).await;
        let after = between(&page, "<ul class=\"cards figures\">", "</ul>").map(str::to_owned);
        assert_eq!(after, before, "{}: the headline figures", asked.query);
        assert_page_shows(&page, &expected_page(&model, asked, now, 5));
    }
}

async fn a_bad_custom_period_is_explained(backend: Backend) {
    let app = spawn_app(backend).await;
    settled(&app).await;
    let now = app.clock_now();
    let events = recent_events(now);
    insert(&app, &events).await;
    roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
    let model = Model::new(&events);
    let marketing = logged_in(&app, Role::Marketing, MARKETING).await;
    let thirty = presets(now).remove(2);

    for (query, message) in [
        (
            "periode=perso&du=2026-03-10&au=2026-03-01",
            "La date de début doit précéder la date de fin.",
        ),
        (
            "periode=perso&du=abc&au=2026-03-01",
            "Indiquez les dates au format jj/mm/aaaa ou aaaa-mm-jj.",
        ),
        (
            "periode=perso&du=2026-02-01",
            "Indiquez les dates au format jj/mm/aaaa ou aaaa-mm-jj.",
        ),
        (
            "periode=perso&du=2026-02-01&au=2026-03-10",
            "Les statistiques ne vont pas au-delà d'aujourd'hui.",
        ),
        (
            "periode=perso&du=2023-01-01&au=2026-03-01",
            "Choisissez une période de 25 mois au plus",
        ),
    ] {
        let (status, page) = marketing.get_page(&format!("/statistiques?{query}")).await;
        assert_eq!(status, 422, "{query}");
        assert!(
            page.contains(&format!(
                "<p class=\"field-error\" role=\"alert\">{message}"
            )),
            "{query}: {message}"
        );
        // The 30 days are shown instead, and the form offers them.
        assert_page_shows(
            &page,
            &Expected {
                context: query.to_owned(),
                ..expected_page(&model, &thirty, now, 5)
            },
        );
        assert!(page.contains("name=\"du\" value=\"2026-01-31\""), "{query}");
        assert!(page.contains("name=\"au\" value=\"2026-03-01\""), "{query}");
        assert!(page.contains("href=\"/statistiques?periode=30j\" aria-current=\"page\""));

        let response = marketing
            .get(&format!("/statistiques/export?tableau=pages&{query}"))
            .await;
        assert_eq!(response.status(), 400, "export with {query}");
    }
}
