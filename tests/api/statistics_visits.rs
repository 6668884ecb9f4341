//! Visits on `/statistiques`: a hand-made log of nine visitors over two days
//! (1 March and today, 2 March 2026), every figure worked out by hand below,
//! read from the page while both days come from the raw rows, then after
//! the roll-up has stored 1 March (today still from its raw rows).
//!
//! Paris is UTC+1 in March. The minimum group is 2. The log (UTC times):
//!
//! 1 March
//! - P1 (pc): 09:00 `/?utm=news/email/mars`, 09:02 `/services`, 09:05
//!   `/contact`, 09:06 `/contact/envoye`: one visit of 360 s.
//! - P2 (pc): 09:00 `/services`, 09:31 `/contact`: 31 minutes, two bounces.
//! - P3 (pc): 10:00 `/`, 10:29 `/services` (29 minutes: same visit), 10:40
//!   `/inscription`, 10:41 `/inscription/envoyee`: one visit of 2,460 s.
//! - P4 (pc): 22:50 `/` (23:50 Paris): a bounce; then 23:05 `/contact` and
//!   23:10 `/contact/envoye`, past Paris midnight: a visit of 2 March, 300 s.
//! - P5 (pc): 12:00 `/contact`, 12:01 `/`, 12:02 `/contact/envoye`: 120 s,
//!   the funnel walked out of order (only its first step counts).
//! - P6 (pc): 14:00 `/`. P9 (pc): 15:00 `/techniciens`. Two bounces.
//!
//! 2 March (today, the clock at 09:30)
//! - P7 (smartphone): 07:00 `/?utm=news/email/mars`, 07:01 `/contact`, 07:03
//!   `/contact/envoye`: 180 s.
//! - P8 (smartphone): 08:00 `/services`, 08:10 `/services`: 600 s.
//! - P1 again: 08:30 `/`: a bounce.
//!
//! Visits: 1 March P1, P2 ×2, P3, P4, P5, P6, P9 = 8 (7 visitors, 16 views,
//! 5 bounces, 360 + 2,460 + 120 = 2,940 s); 2 March P4, P7, P8, P1 = 4
//! (4 visitors, 8 views, 1 bounce, 300 + 180 + 600 = 1,080 s).

use chrono::{DateTime, Utc};
use std::sync::Arc;
use wemaintain::analytics::goals::Goals;
use wemaintain::analytics::rollup::{day_of_date, roll_up_with};
use wemaintain::analytics::DeviceType;
use wemaintain::auth::Role;
use wemaintain::privacy::Register;

use super::statistics::{
    between, insert, logged_in, profile, statistics_page, table, tables, utc, Event, Profile,
    MARKETING,
};
use crate::helpers::{scalar, spawn_app_with, Backend};
use crate::on_both_backends;

on_both_backends!(visits_entries_exits_goals_and_funnels_are_counted_by_hand);

const fn pc(ip: &'static str) -> Profile {
    let browser = (Some("Firefox"), Some("121"));
    profile(
        (ip, ip),
        browser,
        (Some("Linux"), None),
        DeviceType::Pc,
        None,
    )
}

const fn phone(ip: &'static str) -> Profile {
    let browser = (Some("Chrome"), Some("120"));
    let os = (Some("Android"), Some("14"));
    profile(
        (ip, ip),
        browser,
        os,
        DeviceType::Smartphone,
        Some("Samsung"),
    )
}

static P1: Profile = pc("81.250.1.0");
static P2: Profile = pc("81.250.2.0");
static P3: Profile = pc("81.250.3.0");
static P4: Profile = pc("81.250.4.0");
static P5: Profile = pc("81.250.5.0");
static P6: Profile = pc("81.250.6.0");
static P7: Profile = phone("90.7.7.0");
static P8: Profile = phone("90.8.8.0");
static P9: Profile = pc("81.250.9.0");

const LANDING: &str = "/?utm_source=news&utm_medium=email&utm_campaign=mars";

fn log() -> Vec<Event> {
    let views: [(&'static Profile, &str, &str); 24] = [
        (&P1, "2026-03-01T09:00:00Z", LANDING),
        (&P1, "2026-03-01T09:02:00Z", "/services"),
        (&P1, "2026-03-01T09:05:00Z", "/contact"),
        (&P1, "2026-03-01T09:06:00Z", "/contact/envoye"),
        (&P2, "2026-03-01T09:00:00Z", "/services"),
        (&P2, "2026-03-01T09:31:00Z", "/contact"),
        (&P3, "2026-03-01T10:00:00Z", "/"),
        (&P3, "2026-03-01T10:29:00Z", "/services"),
        (&P3, "2026-03-01T10:40:00Z", "/inscription"),
        (&P3, "2026-03-01T10:41:00Z", "/inscription/envoyee"),
        (&P4, "2026-03-01T22:50:00Z", "/"),
        (&P4, "2026-03-01T23:05:00Z", "/contact"),
        (&P4, "2026-03-01T23:10:00Z", "/contact/envoye"),
        (&P5, "2026-03-01T12:00:00Z", "/contact"),
        (&P5, "2026-03-01T12:01:00Z", "/"),
        (&P5, "2026-03-01T12:02:00Z", "/contact/envoye"),
        (&P6, "2026-03-01T14:00:00Z", "/"),
        (&P9, "2026-03-01T15:00:00Z", "/techniciens"),
        (&P7, "2026-03-02T07:00:00Z", LANDING),
        (&P7, "2026-03-02T07:01:00Z", "/contact"),
        (&P7, "2026-03-02T07:03:00Z", "/contact/envoye"),
        (&P8, "2026-03-02T08:00:00Z", "/services"),
        (&P8, "2026-03-02T08:10:00Z", "/services"),
        (&P1, "2026-03-02T08:30:00Z", "/"),
    ];
    views
        .into_iter()
        .map(|(profile, at, url)| Event {
            at: utc(at),
            profile,
            url: url.to_owned(),
        })
        .collect()
}

fn goals() -> Goals {
    Goals::default()
        .with_goals("Services=/services")
        .and_then(|g| g.with_funnels("Inscription=/ > /inscription > /inscription/envoyee"))
        .expect("the test's goals")
}

fn card<'a>(page: &'a str, name: &str) -> &'a str {
    let name = name.replace('\'', "&#39;");
    let start = format!("<h2>{name}</h2><p class=\"figure\">");
    between(page, &start, "</p>")
        .or_else(|| between(page, &start.replace("&#39;", "'"), "</p>"))
        .unwrap_or_else(|| panic!("no card {name}"))
}

fn rows(page: &str, caption: &str) -> Vec<Vec<String>> {
    let found = tables(page);
    let captions: Vec<&str> = found.iter().map(|t| t.caption.as_str()).collect();
    table(&found, caption)
        .unwrap_or_else(|| panic!("no table {caption:?} among {captions:?}"))
        .rows
        .clone()
}

fn strings<const N: usize>(rows: &[[&str; N]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
        .collect()
}

const PERIOD: &str = "du 01/03/2026 au 02/03/2026";

fn assert_figures(page: &str, when: &str) {
    let caption = |title: &str| format!("{title}, {PERIOD}");
    // 8 + 4 visits; 16 + 8 views; 7 + 4 visitors; 5 + 1 bounces.
    assert_eq!(card(page, "Visites"), "12", "{when}");
    assert_eq!(card(page, "Visiteurs"), "11", "{when}");
    // 24 / 12.
    assert_eq!(card(page, "Pages par visite"), "2,00", "{when}");
    // 6 / 12.
    assert_eq!(card(page, "Taux de rebond"), "50,0 %", "{when}");
    // (2,940 + 1,080) / 12 = 335 s.
    assert_eq!(
        card(page, "Durée moyenne d'une visite"),
        "5 min 35 s",
        "{when}"
    );

    // Entries: `/` P1, P3, P4, P6 (1 March), P7, P1 (today): 6 visits,
    // 4 + 2 visitors, bounces P4, P6, P1 = 50 %, (360 + 2,460 + 180) / 6 =
    // 500 s. `/contact` P2's second, P5, P4's second: 3 visits, one bounce,
    // (120 + 300) / 3 = 140 s. `/services` P2's first, P8: (0 + 600) / 2.
    // `/techniciens` (P9 alone) goes to « Autres ».
    let entries = [
        ["/", "6", "6", "50,0 %", "8 min 20 s"],
        ["/contact", "3", "3", "33,3 %", "2 min 20 s"],
        ["/services", "2", "2", "50,0 %", "5 min 00 s"],
        ["Autres", "1", "1", "100,0 %", "0 s"],
    ];
    assert_eq!(
        rows(page, &caption("Pages d'entrée")),
        strings(&entries),
        "{when}"
    );

    // Exits: `/contact/envoye` P1, P5, P4, P7 (4 views: exit rate 100 %);
    // `/` P4, P6, P1 out of 7 views of `/`; `/services` P2, P8 out of 5;
    // « Autres »: `/contact` (P2, of 5 views), `/inscription/envoyee` (1),
    // `/techniciens` (1): 3 exits of 7 views.
    let exits = [
        ["/contact/envoye", "4", "4", "100,0 %"],
        ["/", "3", "7", "42,9 %"],
        ["/services", "2", "5", "40,0 %"],
        ["Autres", "3", "7", "42,9 %"],
    ];
    assert_eq!(
        rows(page, &caption("Pages de sortie")),
        strings(&exits),
        "{when}"
    );

    // The campaign: P1's and P7's visits entered through it, neither a bounce.
    let campaigns = [["news / email / mars", "2", "100,0 %", "2", "2", "0,0 %"]];
    assert_eq!(
        rows(page, &caption("Campagnes")),
        strings(&campaigns),
        "{when}"
    );

    // Goals: « Message envoyé » P1, P5, P4 (2 March), P7: 4 of 12 visits;
    // « Inscription envoyée » P3 alone: not shown; « Services » (from the
    // setting) P1, P2's first, P3, P8: 4 of 12.
    let goals = [
        ["Message envoyé", "/contact/envoye", "4", "4", "33,3 %"],
        [
            "Inscription envoyée",
            "/inscription/envoyee",
            "moins de 2",
            "moins de 2",
            "—",
        ],
        [
            "Candidature de technicien",
            "/techniciens/envoye",
            "0",
            "0",
            "0,0 %",
        ],
        [
            "Demande de proposition",
            "/profil/propositions/{id}/envoyee",
            "0",
            "0",
            "0,0 %",
        ],
        ["Services", "/services", "4", "4", "33,3 %"],
    ];
    assert_eq!(rows(page, &caption("Objectifs")), strings(&goals), "{when}");
    // By campaign: P5 and P4 came without one (of 12 − 2 = 10 visits), P1
    // and P7 through it (2 of 2).
    let by_campaign = [
        ["Sans campagne", "2", "10", "20,0 %"],
        ["news / email / mars", "2", "2", "100,0 %"],
    ];
    let sent = |by: &str| format!("« Message envoyé » par {by}, {PERIOD}");
    assert_eq!(
        rows(page, &sent("campagne")),
        strings(&by_campaign),
        "{when}"
    );
    // By entry: P1, P7 entered on `/` (of its 6 visits), P5, P4 on
    // `/contact` (of 3).
    let by_entry = [["/", "2", "6", "33,3 %"], ["/contact", "2", "3", "66,7 %"]];
    assert_eq!(
        rows(page, &sent("page d'entrée")),
        strings(&by_entry),
        "{when}"
    );
    // By device: 3 of the 10 computer visits; P7 alone on a smartphone
    // goes to « Autres » (1 of the 2 smartphone visits).
    let by_device = [
        ["Ordinateur", "3", "10", "30,0 %"],
        ["Autres", "1", "2", "50,0 %"],
    ];
    assert_eq!(
        rows(page, &sent("type d'appareil")),
        strings(&by_device),
        "{when}"
    );

    // The default funnel: step 1 (`/` or `/services`) every visit but P2's
    // second, P4's second and P9's: 9; step 2 (`/contact` after it) P1, P7
    // (P5's `/contact` came before `/`): 2, 7 lost of 9; step 3: 2, none lost.
    let contact = [
        ["1", "/ ou /services", "9", "—"],
        ["2", "/contact", "2", "7 (77,8 %)"],
        ["3", "/contact/envoye", "2", "0 (0,0 %)"],
    ];
    let funnel = |name: &str| format!("Tunnel « {name} », {PERIOD}");
    assert_eq!(rows(page, &funnel("Contact")), strings(&contact), "{when}");
    // The setting's funnel: `/` in 7 visits (P1, P3, P4, P5, P6 on 1 March,
    // P7, P1 today), then P3 alone: « moins de 2 », no drop-off shown.
    let inscription = [
        ["1", "/", "7", "—"],
        ["2", "/inscription", "moins de 2", "—"],
        ["3", "/inscription/envoyee", "moins de 2", "—"],
    ];
    assert_eq!(
        rows(page, &funnel("Inscription")),
        strings(&inscription),
        "{when}"
    );
    // P9's page is named nowhere (one visitor).
    assert!(!page.contains("/techniciens<"), "{when}");
}

async fn visits_entries_exits_goals_and_funnels_are_counted_by_hand(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.min_group = 2;
        s.analytics_goals = goals();
    })
    .await;
    app.settled().await;
    insert(&app, &log()).await;
    let marketing = logged_in(&app, Role::Marketing, MARKETING).await;
    let query = "periode=perso&du=2026-03-01&au=2026-03-02";

    let page = statistics_page(&marketing, query).await;
    assert_figures(&page, "from the raw rows");

    let now: DateTime<Utc> = app.clock_now();
    let goals = Arc::new(goals());
    let outcome = roll_up_with(&app.db, &Register::default(), &goals, now)
        .await
        .expect("roll-up");
    let first = day_of_date(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
    assert!(outcome.days.contains(&first), "{outcome:?}");
    // Stored for 1 March: `/` entered by P1, P3, P4, P6: two bounces, 360 +
    // 2,460 s; the total: 8 visits, 5 bounces, 2,940 s.
    let stored = |dimension: &str, value: &str, column: &str| {
        format!(
            "SELECT {column} FROM audience_daily WHERE day = {first} AND filter_key = '' \
             AND dimension = '{dimension}' AND value = '{value}'"
        )
    };
    for (dimension, value, column, expected) in [
        ("entry", "/", "visits", 4),
        ("entry", "/", "bounces", 2),
        ("entry", "/", "duration_s", 2820),
        ("total", "", "visits", 8),
        ("total", "", "bounces", 5),
        ("total", "", "duration_s", 2940),
        ("goal", "/contact/envoye", "visits", 2),
    ] {
        let sql = stored(dimension, value, column);
        assert_eq!(scalar(&app.db, &sql).await, expected, "{sql}");
    }
    let page = statistics_page(&marketing, query).await;
    assert_figures(&page, "after the roll-up");
}
