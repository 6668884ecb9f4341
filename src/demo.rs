//! `wemaintain seed-demo`: realistic synthetic audience traffic, for demos
//! and benchmarks. Only `audience` rows of the visitor log are written, the
//! way the site itself writes them: truncated IP, device fields from the
//! site's own User-Agent classifier, URL reduced to the path and the
//! allow-listed campaign parameters, `expires_at` from the register.
//!
//! The traffic is a model, deterministic for a given seed and `now`:
//!
//! - **When.** The last `days` days are cut into one-hour slots; each slot's
//!   share of the events follows the Paris hour (office hours busy, nights
//!   nearly empty), the weekday (weekends about 40% of a weekday, fixed-date
//!   French public holidays like a Sunday), the month (August and the last
//!   week of December quiet) and a ±15% day-to-day wobble.
//! - **Who.** A pool of synthetic visitors, each a fixed (truncated IPv4,
//!   User-Agent) pair: about 55% desktop, 38% phone, 7% tablet; phones are
//!   on a mobile network about half the time. The IPs are /24s drawn from
//!   public broadband and mobile blocks of French ISPs (never documentation
//!   or private ranges). Over a long period visitors come and go: each is
//!   active over about three weeks.
//! - **What.** Each visit is 1 to 8 page views (2.9 on average), 8 s to 5
//!   min apart, on a weighted map of the site with its funnels (a form, then
//!   its "envoyé" page; a login, then the profile). About 15% of the page
//!   views are campaign landings (`?utm_source=…&utm_medium=…&utm_campaign=…`);
//!   the site's links carry no campaign, so only the first view of a visit does.
//!
//! Generation runs on a blocking thread, a few batches of 2,000 ahead of the
//! database, so the insert (`analytics::insert_batch`, the writer's own fast
//! path) is the only cost that shows.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Utc, Weekday};
use chrono_tz::Europe::Paris;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::analytics::user_agent::{classify, Device, DeviceType};
use crate::analytics::{insert_batch, TruncatedIp, VisitorEvent};
use crate::config::Settings;
use crate::db::{from_millis, Db, DbError};
use crate::privacy::{Purpose, Register, RetentionWindow};

/// The most events one run writes.
pub const MAX_EVENTS: u64 = 100_000_000;
/// The longest period one run spans.
pub const MAX_DAYS: u32 = 800;
pub const DEFAULT_DAYS: u32 = 30;
/// The seed of the command line, unless `--seed` says otherwise.
pub const DEFAULT_SEED: u64 = 42;
/// Rows per transaction.
pub const BATCH_SIZE: usize = 2_000;
/// Batches generated ahead of the database.
const BATCHES_AHEAD: usize = 4;
/// Transactions in flight at once on PostgreSQL; SQLite has one writer.
const POSTGRES_CONCURRENCY: usize = 4;
/// How often a long run logs how far it got.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// What a run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub events: u64,
    pub days: u32,
    /// Distinct visitors in the rows: (truncated IP, User-Agent) pairs.
    pub visitors: u64,
    pub elapsed: Duration,
}

impl SeedReport {
    /// `Seeded 1000000 audience events over 30 days (about 150000 visitors) in 2.1 s = 476190 events/s.`
    pub fn summary(&self) -> String {
        let seconds = self.elapsed.as_secs_f64();
        let rate = if seconds > 0.0 {
            (self.events as f64 / seconds).round() as u64
        } else {
            self.events
        };
        format!(
            "Seeded {} audience events over {} days (about {} visitors) in {:.1} s = {} events/s.",
            self.events,
            self.days,
            about(self.visitors),
            seconds,
            rate
        )
    }
}

/// Two significant digits: 153_421 → 150_000.
fn about(n: u64) -> u64 {
    if n < 100 {
        return n;
    }
    let scale = 10u64.pow(n.ilog10() - 1);
    (n + scale / 2) / scale * scale
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("--events must be between 1 and {MAX_EVENTS}, not {0}")]
    Events(u64),
    #[error("--days must be between 1 and {MAX_DAYS}, not {0}")]
    Days(u32),
    #[error(
        "the visitor log already holds audience rows, which synthetic ones would be mixed \
         with for good: seed a fresh database (WM_DATA_DIR or WM_DATABASE_URL), \
         or pass --append to add to it anyway"
    )]
    NotEmpty,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the demo generator stopped abnormally: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// `wemaintain seed-demo`: refuses a visitor log that already holds
/// audience rows (unless `append`), seeds, and prints the summary line (and,
/// on stderr, a note when part of the period is already past retention).
pub async fn seed_demo_command(
    db: &Db,
    settings: &Settings,
    events: u64,
    days: u32,
    seed: u64,
    append: bool,
) -> Result<SeedReport, DemoError> {
    check_bounds(events, days)?;
    if !append && has_audience_rows(db).await? {
        return Err(DemoError::NotEmpty);
    }
    let register = Register::with_overrides(&settings.retention);
    let now = Utc::now();
    let retention = register.retention(Purpose::Audience);
    let window_start = now - chrono::Duration::days(i64::from(days));
    if retention.expires_at(window_start) <= now {
        eprintln!(
            "wemaintain: note: audience rows are kept {}; the rows older than that are already \
             expired and the next purge deletes them",
            retention.period.in_french()
        );
    }
    let report = seed_demo(db, &register, events, days, now, seed).await?;
    println!("{}", report.summary());
    // Count the finished days now, as the server would at its next purge,
    // so the statistics pages read aggregates from the first request.
    let started = Instant::now();
    let rolled = crate::analytics::rollup::roll_up(db, &register, Utc::now()).await?;
    println!(
        "Counted the daily aggregates of {} days in {:.1} s.",
        rolled.days.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(report)
}

/// Whether the visitor log holds any audience row.
pub async fn has_audience_rows(db: &Db) -> Result<bool, DbError> {
    const SQL: &str = "SELECT 1 FROM visitor_log WHERE purpose = 'audience' LIMIT 1";
    let row: Option<i32> = match db {
        Db::Sqlite(pool) => sqlx::query_scalar(SQL).fetch_optional(pool).await?,
        Db::Postgres(pool) => sqlx::query_scalar(SQL).fetch_optional(pool).await?,
    };
    Ok(row.is_some())
}

fn check_bounds(events: u64, days: u32) -> Result<(), DemoError> {
    if !(1..=MAX_EVENTS).contains(&events) {
        return Err(DemoError::Events(events));
    }
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(DemoError::Days(days));
    }
    Ok(())
}

/// Writes `events` audience rows spread over the `days` days before `now`.
/// The same `seed` and `now` give the same rows.
pub async fn seed_demo(
    db: &Db,
    register: &Register,
    events: u64,
    days: u32,
    now: DateTime<Utc>,
    seed: u64,
) -> Result<SeedReport, DemoError> {
    check_bounds(events, days)?;
    let started = Instant::now();
    let plan = Plan::new(register, events, days, now, seed);

    let (sender, mut batches) = mpsc::channel::<Arc<[VisitorEvent]>>(BATCHES_AHEAD);
    let generator = tokio::task::spawn_blocking(move || {
        let catalog = Catalog::new();
        plan.generate(&catalog, |batch| sender.blocking_send(batch).is_ok())
    });

    let concurrency = match db {
        Db::Sqlite(_) => 1,
        Db::Postgres(_) => POSTGRES_CONCURRENCY,
    };
    // A progress line every few seconds on long runs.
    let mut last_progress = Instant::now();
    let mut written = 0u64;
    let mut in_flight: JoinSet<Result<usize, DbError>> = JoinSet::new();
    while let Some(batch) = batches.recv().await {
        while in_flight.len() >= concurrency {
            written += finished(&mut in_flight).await?;
            if last_progress.elapsed() >= PROGRESS_EVERY {
                last_progress = Instant::now();
                tracing::info!(written, of = events, "seed-demo: written so far");
            }
        }
        let db = db.clone();
        in_flight.spawn(async move {
            let rows = batch.len();
            insert_batch(&db, batch).await.map(|()| rows)
        });
    }
    while !in_flight.is_empty() {
        written += finished(&mut in_flight).await?;
    }
    let visitors = generator.await?;
    debug_assert_eq!(written, events);
    Ok(SeedReport {
        events: written,
        days,
        visitors,
        elapsed: started.elapsed(),
    })
}

/// Waits for one insert of the set; its row count, or its error.
async fn finished(in_flight: &mut JoinSet<Result<usize, DbError>>) -> Result<u64, DemoError> {
    match in_flight.join_next().await {
        Some(joined) => Ok(joined?? as u64),
        None => Ok(0),
    }
}

// ---------------------------------------------------------------------------
// Randomness

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough to
/// draw traffic; the same seed gives the same stream on every platform.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (n > 0), by multiply-and-shift.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }
}

/// SplitMix64's finaliser: a good 64-bit hash.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Items drawn in proportion to integer weights.
struct Weighted<T> {
    items: Vec<T>,
    /// Running totals: item i is drawn for a value in [cumulative[i-1], cumulative[i]).
    cumulative: Vec<u64>,
}

impl<T> Weighted<T> {
    fn new(pairs: impl IntoIterator<Item = (u64, T)>) -> Self {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0;
        for (weight, item) in pairs {
            total += weight;
            items.push(item);
            cumulative.push(total);
        }
        assert!(total > 0, "a weighted table needs a positive total");
        Self { items, cumulative }
    }

    fn total(&self) -> u64 {
        *self.cumulative.last().unwrap_or(&0)
    }

    fn pick(&self, rng: &mut SplitMix64) -> &T {
        let x = rng.below(self.total());
        &self.items[self.cumulative.partition_point(|&c| c <= x)]
    }
}

// ---------------------------------------------------------------------------
// The catalogue: devices, networks, pages, campaigns

/// Real User-Agent strings (late 2024 releases), with their share of views
/// in ‰ and the device type the site's classifier must find for them
/// (checked by a test): desktop 550, phone 380, tablet 70.
const USER_AGENTS: &[(u64, DeviceType, &str)] = &[
    // Desktop: Windows first, as on a B2B site visited from the office.
    (160, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    (60, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"),
    (90, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86"),
    (30, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80"),
    (40, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"),
    (10, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0"),
    (50, DeviceType::Pc, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    (45, DeviceType::Pc, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Safari/605.1.15"),
    (20, DeviceType::Pc, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15"),
    (12, DeviceType::Pc, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0"),
    (13, DeviceType::Pc, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    (12, DeviceType::Pc, "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"),
    (8, DeviceType::Pc, "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    // Phones.
    (90, DeviceType::Smartphone, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1"),
    (70, DeviceType::Smartphone, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"),
    (20, DeviceType::Smartphone, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1"),
    (50, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"),
    (40, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36"),
    (30, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36"),
    (30, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.107 Mobile Safari/537.36"),
    (20, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 10; ELE-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36"),
    (15, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 13; CPH2449) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"),
    (15, DeviceType::Smartphone, "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"),
    // Tablets.
    (35, DeviceType::Tablet, "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1"),
    (15, DeviceType::Tablet, "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"),
    (12, DeviceType::Tablet, "Mozilla/5.0 (Linux; Android 14; SM-X110) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Safari/537.36"),
    (8, DeviceType::Tablet, "Mozilla/5.0 (Linux; Android 12; Lenovo TB-X606F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"),
];

/// Public IPv4 blocks (base, prefix length, weight) of French consumer
/// networks, approximately as their operators announce them. Neither
/// private, nor documentation, nor test ranges.
const FIXED_NETWORKS: &[([u8; 4], u8, u64)] = &[
    ([90, 0, 0, 0], 9, 20),    // Orange
    ([86, 192, 0, 0], 10, 12), // Orange
    ([81, 248, 0, 0], 14, 8),  // Orange
    ([2, 0, 0, 0], 12, 8),     // Orange
    ([78, 192, 0, 0], 10, 10), // Free
    ([82, 64, 0, 0], 14, 8),   // Free
    ([88, 160, 0, 0], 11, 6),  // Free
    ([84, 96, 0, 0], 12, 9),   // SFR
    ([176, 160, 0, 0], 12, 7), // Bouygues Telecom
];

const MOBILE_NETWORKS: &[([u8; 4], u8, u64)] = &[
    ([92, 184, 0, 0], 14, 30),  // Orange
    ([37, 160, 0, 0], 12, 30),  // Free Mobile
    ([176, 128, 0, 0], 12, 25), // Bouygues Telecom
    ([80, 214, 0, 0], 15, 15),  // SFR
];

/// How many of the phone visitors browse over the mobile network.
const PHONES_ON_MOBILE_NETWORK: f64 = 0.5;

/// The site's pages that answer an audience row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Home,
    Services,
    Contact,
    ContactSent,
    Technicians,
    TechniciansSent,
    Registration,
    RegistrationSent,
    Login,
    ForgottenPassword,
    Profile,
    Privacy,
    OptOut,
}

impl Page {
    fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Services => "/services",
            Page::Contact => "/contact",
            Page::ContactSent => "/contact/envoye",
            Page::Technicians => "/techniciens",
            Page::TechniciansSent => "/techniciens/envoye",
            Page::Registration => "/inscription",
            Page::RegistrationSent => "/inscription/envoyee",
            Page::Login => "/connexion",
            Page::ForgottenPassword => "/mot-de-passe-oublie",
            Page::Profile => "/profil",
            Page::Privacy => "/politique-de-confidentialite",
            Page::OptOut => "/confidentialite/opposition",
        }
    }

    /// Where the funnel leads from this page, with its probability.
    fn funnel(self) -> &'static [(f64, Page)] {
        match self {
            Page::Contact => &[(0.10, Page::ContactSent)],
            Page::Technicians => &[(0.12, Page::TechniciansSent)],
            Page::Registration => &[(0.10, Page::RegistrationSent)],
            Page::Login => &[(0.55, Page::Profile), (0.05, Page::ForgottenPassword)],
            _ => &[],
        }
    }
}

/// The first page of a visit that comes from no campaign.
const LANDINGS: &[(u64, Page)] = &[
    (46, Page::Home),
    (20, Page::Services),
    (12, Page::Login),
    (9, Page::Technicians),
    (6, Page::Contact),
    (3, Page::Registration),
    (3, Page::Privacy),
    (1, Page::OptOut),
];

/// The next page of a visit, away from the funnels.
const NEXT_PAGES: &[(u64, Page)] = &[
    (28, Page::Services),
    (16, Page::Contact),
    (14, Page::Home),
    (9, Page::Technicians),
    (9, Page::Login),
    (8, Page::Registration),
    (5, Page::Privacy),
    (2, Page::OptOut),
];

/// Campaign landings: (weight, page, query as the site logs it).
const CAMPAIGNS: &[(u64, Page, &str)] = &[
    (
        15,
        Page::Home,
        "utm_source=newsletter&utm_medium=email&utm_campaign=hiver-2026",
    ),
    (
        15,
        Page::Services,
        "utm_source=newsletter&utm_medium=email&utm_campaign=hiver-2026",
    ),
    (
        20,
        Page::Services,
        "utm_source=linkedin&utm_medium=social&utm_campaign=syndics",
    ),
    (
        15,
        Page::Services,
        "utm_source=google&utm_medium=cpc&utm_campaign=maintenance-ascenseur",
    ),
    (
        10,
        Page::Home,
        "utm_source=google&utm_medium=cpc&utm_campaign=maintenance-ascenseur",
    ),
    (
        8,
        Page::Services,
        "utm_source=bing&utm_medium=cpc&utm_campaign=maintenance-ascenseur",
    ),
    (
        10,
        Page::Technicians,
        "utm_source=linkedin&utm_medium=social&utm_campaign=recrutement-techniciens",
    ),
    (
        4,
        Page::Technicians,
        "utm_source=indeed&utm_medium=jobboard&utm_campaign=techniciens-idf",
    ),
    (
        3,
        Page::Home,
        "utm_source=facebook&utm_medium=social&utm_campaign=coproprietes",
    ),
];

/// Page views per visit, and how often.
const VISIT_LENGTHS: &[(u64, u64)] = &[
    (30, 1),
    (22, 2),
    (17, 3),
    (12, 4),
    (8, 5),
    (5, 6),
    (3, 7),
    (3, 8),
];

/// The share of page views that are campaign landings.
const CAMPAIGN_VIEW_SHARE: f64 = 0.15;

/// Visits a visitor makes over the period: one over a fortnight, more over
/// longer periods, at most four (each visitor is active about three weeks).
fn visits_per_visitor(days: u32) -> f64 {
    (f64::from(days) / 15.0).clamp(1.0, 4.0)
}
const ACTIVE_DAYS: u32 = 21;

/// Paris hours, 0 to 23, on a working day: relative traffic.
const WORKDAY_HOURS: [f64; 24] = [
    0.8, 0.4, 0.25, 0.2, 0.2, 0.4, 1.2, 3.0, 6.5, 9.5, 10.0, 9.5, 6.5, 7.0, 9.5, 9.5, 9.0, 7.5,
    5.0, 3.5, 3.0, 2.6, 2.0, 1.3,
];

/// Paris hours on a weekend or a public holiday: later, flatter.
const RESTDAY_HOURS: [f64; 24] = [
    1.2, 0.7, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 3.0, 5.0, 6.5, 7.0, 6.0, 5.5, 6.0, 6.5, 6.5, 6.0, 5.5,
    5.0, 5.0, 4.5, 3.5, 2.2,
];

/// A day's traffic relative to a Monday.
fn weekday_factor(day: Weekday) -> f64 {
    match day {
        Weekday::Mon => 1.0,
        Weekday::Tue => 1.04,
        Weekday::Wed => 1.0,
        Weekday::Thu => 0.98,
        Weekday::Fri => 0.85,
        Weekday::Sat => 0.42,
        Weekday::Sun => 0.36,
    }
}

/// The French public holidays that fall on a fixed date.
fn is_fixed_holiday(month: u32, day: u32) -> bool {
    matches!(
        (month, day),
        (1, 1) | (5, 1) | (5, 8) | (7, 14) | (8, 15) | (11, 1) | (11, 11) | (12, 25)
    )
}

/// Summer and Christmas holidays are quiet; the back-to-work months busy.
fn season_factor(month: u32, day: u32) -> f64 {
    match (month, day) {
        (12, 24..=31) => 0.6,
        (1, 1..=2) => 0.7,
        (7, _) => 0.85,
        (8, _) => 0.55,
        (9, _) => 1.1,
        (10, _) | (3, _) => 1.05,
        (5, _) => 0.95,
        (12, _) => 0.9,
        _ => 1.0,
    }
}

/// Built once per run: every User-Agent classified once, by the site's own
/// classifier (the generator hands out clones of these `Arc`s).
struct Catalog {
    devices: Vec<Arc<Device>>,
    user_agents: Weighted<usize>,
    fixed_networks: Weighted<([u8; 4], u8)>,
    mobile_networks: Weighted<([u8; 4], u8)>,
    landings: Weighted<Page>,
    next_pages: Weighted<Page>,
    campaigns: Weighted<String>,
    visit_lengths: Weighted<u64>,
    /// The chance that a visit lands from a campaign.
    campaign_visit: f64,
}

impl Catalog {
    fn new() -> Self {
        let visit_lengths = Weighted::new(VISIT_LENGTHS.iter().copied());
        let mean_length = VISIT_LENGTHS.iter().map(|(w, n)| w * n).sum::<u64>() as f64
            / visit_lengths.total() as f64;
        let networks = |list: &[([u8; 4], u8, u64)]| {
            Weighted::new(list.iter().map(|&(base, prefix, w)| (w, (base, prefix))))
        };
        Self {
            devices: USER_AGENTS
                .iter()
                .map(|(_, _, ua)| Arc::new(classify(ua)))
                .collect(),
            user_agents: Weighted::new(
                USER_AGENTS.iter().enumerate().map(|(i, (w, _, _))| (*w, i)),
            ),
            fixed_networks: networks(FIXED_NETWORKS),
            mobile_networks: networks(MOBILE_NETWORKS),
            landings: Weighted::new(LANDINGS.iter().copied()),
            next_pages: Weighted::new(NEXT_PAGES.iter().copied()),
            campaigns: Weighted::new(
                CAMPAIGNS
                    .iter()
                    .map(|(w, page, query)| (*w, format!("{}?{query}", page.path()))),
            ),
            visit_lengths,
            campaign_visit: (CAMPAIGN_VIEW_SHARE * mean_length).min(1.0),
        }
    }

    /// Visitor `index` of the pool: always the same User-Agent (its index
    /// in [`USER_AGENTS`]) and truncated IPv4 address.
    fn visitor(&self, seed: u64, index: u64) -> (usize, Ipv4Addr) {
        let mut rng = SplitMix64(mix(seed ^ 0x7669_7369_746F_7273) ^ index);
        let ua = *self.user_agents.pick(&mut rng);
        let on_mobile_network =
            USER_AGENTS[ua].1 == DeviceType::Smartphone && rng.chance(PHONES_ON_MOBILE_NETWORK);
        let networks = if on_mobile_network {
            &self.mobile_networks
        } else {
            &self.fixed_networks
        };
        let &(base, prefix) = networks.pick(&mut rng);
        let subnets = 1u64 << (24 - prefix);
        let host = rng.below(254) as u32 + 1;
        let address = u32::from_be_bytes(base) | ((rng.below(subnets) as u32) << 8) | host;
        // Truncated as the site truncates audience rows.
        match TruncatedIp::new(IpAddr::V4(Ipv4Addr::from(address))).addr() {
            IpAddr::V4(truncated) => (ua, truncated),
            IpAddr::V6(_) => unreachable!("an IPv4 address stays IPv4"),
        }
    }
}

// ---------------------------------------------------------------------------
// The plan: how many views in each hour, and the generator

struct Plan {
    seed: u64,
    /// The first millisecond of the period; slot i is the hour from
    /// `start_ms + i h`, and the last one ends at `now`.
    start_ms: i64,
    /// Page views per one-hour slot; they add up to the events asked for.
    slot_views: Vec<u32>,
    /// Synthetic visitors in the pool, and how many are active at once.
    pool: u64,
    active: u64,
    retention: RetentionWindow,
}

impl Plan {
    fn new(register: &Register, events: u64, days: u32, now: DateTime<Utc>, seed: u64) -> Self {
        let now_ms = now.timestamp_millis();
        let start_ms = now_ms - i64::from(days) * DAY_MS;
        let slots = days as usize * 24;
        let weights: Vec<f64> = (0..slots)
            .map(|slot| {
                let middle = from_millis(start_ms + slot as i64 * HOUR_MS + HOUR_MS / 2);
                let local = middle.with_timezone(&Paris);
                let date = local.date_naive();
                let (month, day) = (date.month(), date.day());
                let holiday = is_fixed_holiday(month, day);
                let (day_factor, hours) = match local.weekday() {
                    _ if holiday => (weekday_factor(Weekday::Sun), &RESTDAY_HOURS),
                    day @ (Weekday::Sat | Weekday::Sun) => (weekday_factor(day), &RESTDAY_HOURS),
                    day => (weekday_factor(day), &WORKDAY_HOURS),
                };
                let hour_share =
                    hours[chrono::Timelike::hour(&local) as usize] / hours.iter().sum::<f64>();
                let wobble = {
                    let mut rng =
                        SplitMix64(mix(seed ^ 0x6461_7973) ^ date.num_days_from_ce() as u64);
                    0.85 + 0.3 * rng.unit()
                };
                day_factor * season_factor(month, day) * wobble * hour_share
            })
            .collect();
        let total: f64 = weights.iter().sum();
        // Cumulative rounding: each slot gets its share, and the shares add
        // up to exactly `events`.
        let mut slot_views = Vec::with_capacity(slots);
        let (mut running, mut given) = (0.0, 0u64);
        for (i, weight) in weights.iter().enumerate() {
            running += weight;
            let due = if i + 1 == slots {
                events
            } else {
                ((running / total * events as f64).floor() as u64).min(events)
            };
            slot_views.push((due - given) as u32);
            given = due;
        }

        let visit_lengths = VISIT_LENGTHS.iter().map(|(w, _)| w).sum::<u64>() as f64;
        let mean_length =
            VISIT_LENGTHS.iter().map(|(w, n)| w * n).sum::<u64>() as f64 / visit_lengths;
        let visits = events as f64 / mean_length;
        let pool = ((visits / visits_per_visitor(days)).ceil() as u64).max(1);
        let active = if days <= ACTIVE_DAYS {
            pool
        } else {
            (pool * u64::from(ACTIVE_DAYS) / u64::from(days)).max(1)
        };
        Self {
            seed,
            start_ms,
            slot_views,
            pool,
            active,
            retention: register.retention(Purpose::Audience),
        }
    }

    /// Makes every event, in batches of [`BATCH_SIZE`] handed to `send`,
    /// which answers whether to go on. Returns how many distinct visitors,
    /// (truncated IP, User-Agent) pairs as the rows show them, made a view:
    /// fewer than the pool, since visitors behind one /24 (a mobile
    /// carrier's NAT, a big office) with the same browser look like one.
    fn generate(
        &self,
        catalog: &Catalog,
        mut send: impl FnMut(Arc<[VisitorEvent]>) -> bool,
    ) -> u64 {
        let mut rng = SplitMix64(mix(self.seed));
        // At most (the /24s of the networks) × (the User-Agents) entries.
        let mut seen: HashSet<u64> = HashSet::new();
        let mut batch = Vec::with_capacity(BATCH_SIZE);
        // One slot's views, sorted before they are batched.
        let mut hour = Vec::new();
        let slots = self.slot_views.len() as f64;
        let mut times = [0i64; 8];
        for (slot, &views) in self.slot_views.iter().enumerate() {
            let slot_start = self.start_ms + slot as i64 * HOUR_MS;
            // Visitors are ordered by when they are around: at this point of
            // the period, the ones in a window of `active` of the pool.
            let window_start =
                ((slot as f64 + 0.5) / slots * (self.pool - self.active) as f64) as u64;
            let mut left = u64::from(views);
            while left > 0 {
                let length = (*catalog.visit_lengths.pick(&mut rng)).min(left);
                left -= length;

                let index = window_start + rng.below(self.active);
                let (ua, address) = catalog.visitor(self.seed, index);
                seen.insert((u64::from(u32::from(address)) << 8) | ua as u64);
                let device = &catalog.devices[ua];
                let ip = address.to_string();

                // The moments of the views: 8 s to 5 min apart, the whole
                // visit inside its slot (so never after `now`).
                let mut offset = 0i64;
                for (i, time) in times.iter_mut().take(length as usize).enumerate() {
                    if i > 0 {
                        let u = rng.unit();
                        offset += 8_000 + (u * u * 292_000.0) as i64;
                    }
                    *time = offset;
                }
                let begin = slot_start + rng.below((HOUR_MS - offset) as u64) as i64;

                let campaign = rng.chance(catalog.campaign_visit);
                let mut page = None;
                for &time in &times[..length as usize] {
                    let url = match page {
                        None if campaign => {
                            let url = catalog.campaigns.pick(&mut rng);
                            page = Some(landing_page(url));
                            url.clone()
                        }
                        None => {
                            let first = *catalog.landings.pick(&mut rng);
                            page = Some(first);
                            first.path().to_owned()
                        }
                        Some(previous) => {
                            let next = next_page(previous, catalog, &mut rng);
                            page = Some(next);
                            next.path().to_owned()
                        }
                    };
                    let occurred_at = from_millis(begin + time);
                    hour.push(VisitorEvent {
                        purpose: Purpose::Audience,
                        occurred_at,
                        expires_at: self.retention.expires_at(occurred_at),
                        ip: ip.clone(),
                        device: device.clone(),
                        url,
                    });
                }
            }
            // Written in time order, as the site writes them: the indexes on
            // the time columns then only grow at their right end.
            hour.sort_by_key(|event| event.occurred_at);
            for event in hour.drain(..) {
                batch.push(event);
                if batch.len() == BATCH_SIZE {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_SIZE));
                    if !send(full.into()) {
                        return seen.len() as u64;
                    }
                }
            }
        }
        if !batch.is_empty() {
            send(batch.into());
        }
        seen.len() as u64
    }
}

/// The page a campaign URL lands on.
fn landing_page(url: &str) -> Page {
    let path = url.split_once('?').map_or(url, |(path, _)| path);
    LANDINGS
        .iter()
        .map(|&(_, page)| page)
        .find(|page| page.path() == path)
        .unwrap_or(Page::Home)
}

fn next_page(previous: Page, catalog: &Catalog, rng: &mut SplitMix64) -> Page {
    let mut roll = rng.unit();
    for &(probability, page) in previous.funnel() {
        if roll < probability {
            return page;
        }
        roll -= probability;
    }
    *catalog.next_pages.pick(rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::QueryAllowlist;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap()
    }

    fn events_of(plan: &Plan) -> (Vec<VisitorEvent>, u64) {
        let mut all = Vec::new();
        let visitors = plan.generate(&Catalog::new(), |batch| {
            assert!(batch.len() <= BATCH_SIZE);
            all.extend(batch.iter().cloned());
            true
        });
        (all, visitors)
    }

    #[test]
    fn the_site_classifies_each_user_agent_as_its_share_says() {
        let mut shares = [0u64; 3];
        for (weight, expected, ua) in USER_AGENTS {
            let device = classify(ua);
            assert_eq!(device.device_type, *expected, "{ua}");
            assert!(
                device.browser.is_some() && device.os.is_some(),
                "{ua}: {device:?}"
            );
            match expected {
                DeviceType::Pc => shares[0] += weight,
                DeviceType::Smartphone => shares[1] += weight,
                _ => shares[2] += weight,
            }
        }
        assert_eq!(shares, [550, 380, 70]);
        // No two User-Agents give the same device fields, so the rows tell
        // every (IP, User-Agent) visitor apart.
        let devices: std::collections::HashSet<String> = USER_AGENTS
            .iter()
            .map(|(_, _, ua)| format!("{:?}", classify(ua)))
            .collect();
        assert_eq!(devices.len(), USER_AGENTS.len());
        assert!(USER_AGENTS.len() >= 20);
        let makers: Vec<Option<String>> = USER_AGENTS
            .iter()
            .map(|(_, _, ua)| classify(ua).manufacturer)
            .collect();
        for maker in ["Apple", "Samsung", "Google", "Xiaomi", "Huawei"] {
            assert!(
                makers.contains(&Some(maker.to_owned())),
                "no {maker} device"
            );
        }
    }

    #[test]
    fn campaign_urls_pass_the_sites_allowlist_unchanged() {
        let allowlist = QueryAllowlist::new(Settings::defaults("data".into()).query_allowlist);
        for (_, page, query) in CAMPAIGNS {
            let url = format!("{}?{query}", page.path());
            assert_eq!(allowlist.logged_url(page.path(), query), url);
            assert_eq!(landing_page(&url), *page);
        }
    }

    #[test]
    fn networks_are_public_and_truncation_keeps_the_network() {
        for &(base, prefix, _) in FIXED_NETWORKS.iter().chain(MOBILE_NETWORKS) {
            let ip = Ipv4Addr::from(base);
            assert!(
                !(ip.is_private()
                    || ip.is_loopback()
                    || ip.is_documentation()
                    || ip.is_link_local()),
                "{ip}"
            );
            assert!((8..=24).contains(&prefix));
            assert_eq!(
                u32::from(ip) & ((1u32 << (32 - prefix)) - 1),
                0,
                "{ip}/{prefix}"
            );
        }
        let catalog = Catalog::new();
        for index in 0..1000 {
            let (_, ip) = catalog.visitor(42, index);
            assert!(ip.to_string().ends_with(".0"), "{ip}");
            assert_eq!(catalog.visitor(42, index).1, ip);
        }
    }

    #[test]
    fn slot_views_add_up_and_follow_office_hours() {
        for events in [1, 7, 999, 123_457] {
            let plan = Plan::new(&Register::default(), events, 14, now(), 1);
            assert_eq!(plan.slot_views.len(), 14 * 24);
            assert_eq!(
                plan.slot_views.iter().map(|&v| u64::from(v)).sum::<u64>(),
                events
            );
        }
        let plan = Plan::new(&Register::default(), 1_000_000, 28, now(), 1);
        let (mut night, mut office, mut weekday, mut weekend) = (0u64, 0u64, 0u64, 0u64);
        for (slot, &views) in plan.slot_views.iter().enumerate() {
            let at = from_millis(plan.start_ms + slot as i64 * HOUR_MS + HOUR_MS / 2)
                .with_timezone(&Paris);
            let hour = chrono::Timelike::hour(&at);
            let views = u64::from(views);
            if hour < 6 {
                night += views;
            }
            if (9..18).contains(&hour) {
                office += views;
            }
            match at.weekday() {
                Weekday::Sat | Weekday::Sun => weekend += views,
                _ => weekday += views,
            }
        }
        assert!(night < 40_000, "night: {night}");
        assert!(office > 600_000, "office hours: {office}");
        // Four weekends and four working weeks: per day, weekends ≈ 40%.
        let ratio = (weekend as f64 / 8.0) / (weekday as f64 / 20.0);
        assert!((0.3..0.5).contains(&ratio), "weekend/weekday: {ratio}");
    }

    #[test]
    fn generation_is_deterministic_and_realistic() {
        let register = Register::default();
        let plan = Plan::new(&register, 50_000, 30, now(), 7);
        let (events, visitors) = events_of(&plan);
        assert_eq!(events.len(), 50_000);
        let (again, _) = events_of(&Plan::new(&register, 50_000, 30, now(), 7));
        let key = |e: &VisitorEvent| (e.occurred_at, e.ip.clone(), e.url.clone());
        assert!(events.iter().map(key).eq(again.iter().map(key)));
        let (other, _) = events_of(&Plan::new(&register, 50_000, 30, now(), 8));
        assert!(!events.iter().map(key).eq(other.iter().map(key)));

        let campaigns = events.iter().filter(|e| e.url.contains('?')).count() as f64;
        let share = campaigns / events.len() as f64;
        assert!((0.12..0.18).contains(&share), "campaign share {share}");
        let per_visitor = events.len() as f64 / visitors as f64;
        assert!(
            (4.0..9.0).contains(&per_visitor),
            "{per_visitor} views per visitor"
        );
        let start = now() - chrono::Duration::days(30);
        for event in &events {
            assert!(event.occurred_at >= start && event.occurred_at < now());
            assert_eq!(
                event.expires_at,
                register
                    .retention(Purpose::Audience)
                    .expires_at(event.occurred_at)
            );
        }
        let count = |kind: DeviceType| {
            events
                .iter()
                .filter(|e| e.device.device_type == kind)
                .count() as f64
                / 50_000.0
        };
        assert!((0.48..0.62).contains(&count(DeviceType::Pc)));
        assert!((0.31..0.45).contains(&count(DeviceType::Smartphone)));
        assert!((0.04..0.10).contains(&count(DeviceType::Tablet)));
    }

    #[test]
    fn about_keeps_two_significant_digits() {
        assert_eq!(about(0), 0);
        assert_eq!(about(99), 99);
        assert_eq!(about(153_421), 150_000);
        assert_eq!(about(156_000), 160_000);
        assert_eq!(about(1_000), 1_000);
    }
}
