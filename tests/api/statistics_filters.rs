//! Filters on `/statistiques`: a hand-made log of twelve visitors on
//! 1 March 2026 (the clock at 2 March, 09:30 UTC, so the day is whole and
//! its raw rows are there), the figures of several filtered views worked
//! out by hand below, read from the page and from both kinds of CSV.
//!
//! The minimum group is 5 (the default). Firefox on Linux computers: F1 to
//! F7; Chrome on Android Samsung smartphones: C1 to C5. UTC times:
//!
//! - F1: 09:00 the campaign's landing on `/`, 09:02 `/services`, 09:05
//!   `/contact`, 09:06 `/contact/envoye`: 4 views, 360 s.
//! - F2: 09:00 `/services`, 09:31 `/contact`: 31 minutes, two visits, two
//!   bounces.
//! - F3: 10:00 `/`, 10:10 `/services`: 600 s. F4: 11:00 `/`, 11:01
//!   `/contact`, 11:02 `/contact/envoye`: 120 s. F5: 12:00 `/`: a bounce.
//!   F6: 13:00 `/techniciens`: a bounce. F7: 13:30 `/`, 13:36 `/contact`:
//!   360 s.
//! - C1: 09:10 the campaign's landing, 09:11 `/contact`, 09:14
//!   `/contact/envoye`: 240 s. C2: 10:00 `/services`, 10:05 `/services`,
//!   10:08 `/contact`: 480 s. C3: 14:00 `/`, 14:01 `/contact`, 14:02
//!   `/contact/envoye`: 120 s. C4: 15:00 `/`: a bounce. C5: 16:00
//!   `/contact`, 16:04 `/contact/envoye`: 240 s.
//!
//! Unfiltered: 12 visitors, 13 visits, 15 + 12 = 27 views, 5 bounces
//! (F2 ×2, F5, F6, C4), 360 + 600 + 120 + 360 + 240 + 480 + 120 + 240 =
//! 2,520 s.

use wemaintain::analytics::rollup::{day_of_date, roll_up};
use wemaintain::analytics::DeviceType;
use wemaintain::auth::Role;
use wemaintain::privacy::Register;

use super::statistics::{
    between, insert, logged_in, profile, statistics_page, table, tables, text_of, utc, Event,
    Profile, MARKETING,
};
use crate::helpers::{scalar, spawn_app, Backend, Browser, TestApp};
use crate::on_both_backends;

on_both_backends!(
    filtered_views_are_counted_by_hand,
    rows_add_labels_remove_and_links_keep_filters,
    bad_filters_and_old_periods_are_handled,
    every_kind_and_every_row_link_keeps_its_visits,
);

const fn firefox(ip: &'static str) -> Profile {
    let browser = (Some("Firefox"), Some("121"));
    profile(
        (ip, ip),
        browser,
        (Some("Linux"), None),
        DeviceType::Pc,
        None,
    )
}

const fn chrome(ip: &'static str) -> Profile {
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

static F1: Profile = firefox("81.250.1.0");
static F2: Profile = firefox("81.250.2.0");
static F3: Profile = firefox("81.250.3.0");
static F4: Profile = firefox("81.250.4.0");
static F5: Profile = firefox("81.250.5.0");
static F6: Profile = firefox("81.250.6.0");
static F7: Profile = firefox("81.250.7.0");
static C1: Profile = chrome("90.1.1.0");
static C2: Profile = chrome("90.2.2.0");
static C3: Profile = chrome("90.3.3.0");
static C4: Profile = chrome("90.4.4.0");
static C5: Profile = chrome("90.5.5.0");

const LANDING: &str = "/?utm_source=news&utm_medium=email&utm_campaign=mars";

fn log() -> Vec<Event> {
    let views: [(&'static Profile, &str, &str); 27] = [
        (&F1, "09:00", LANDING),
        (&F1, "09:02", "/services"),
        (&F1, "09:05", "/contact"),
        (&F1, "09:06", "/contact/envoye"),
        (&F2, "09:00", "/services"),
        (&F2, "09:31", "/contact"),
        (&F3, "10:00", "/"),
        (&F3, "10:10", "/services"),
        (&F4, "11:00", "/"),
        (&F4, "11:01", "/contact"),
        (&F4, "11:02", "/contact/envoye"),
        (&F5, "12:00", "/"),
        (&F6, "13:00", "/techniciens"),
        (&F7, "13:30", "/"),
        (&F7, "13:36", "/contact"),
        (&C1, "09:10", LANDING),
        (&C1, "09:11", "/contact"),
        (&C1, "09:14", "/contact/envoye"),
        (&C2, "10:00", "/services"),
        (&C2, "10:05", "/services"),
        (&C2, "10:08", "/contact"),
        (&C3, "14:00", "/"),
        (&C3, "14:01", "/contact"),
        (&C3, "14:02", "/contact/envoye"),
        (&C4, "15:00", "/"),
        (&C5, "16:00", "/contact"),
        (&C5, "16:04", "/contact/envoye"),
    ];
    let mut events: Vec<Event> = views
        .into_iter()
        .map(|(profile, at, url)| Event {
            at: utc(&format!("2026-03-01T{at}:00Z")),
            profile,
            url: url.to_owned(),
        })
        .collect();
    events.sort_by_key(|e| e.at);
    events
}

const DAY: &str = "periode=perso&du=2026-03-01&au=2026-03-01";
const PERIOD: &str = "le 01/03/2026";

async fn setup(backend: Backend) -> (TestApp, Browser) {
    let app = spawn_app(backend).await;
    app.settled().await;
    insert(&app, &log()).await;
    let marketing = logged_in(&app, Role::Marketing, MARKETING).await;
    (app, marketing)
}

async fn view(browser: &Browser, filters: &str) -> String {
    statistics_page(browser, &format!("{DAY}{filters}")).await
}

fn card(page: &str, name: &str) -> String {
    let name = name.replace('\'', "&#39;");
    let start = format!("<h2>{name}</h2><p class=\"figure\">");
    between(page, &start, "</p>")
        .or_else(|| between(page, &start.replace("&#39;", "'"), "</p>"))
        .map(text_of)
        .unwrap_or_else(|| panic!("no card {name}"))
}

/// The cards Visiteurs, Visites, Pages vues, Taux de rebond, Durée moyenne.
fn cards(page: &str) -> [String; 5] {
    [
        "Visiteurs",
        "Visites",
        "Pages vues",
        "Taux de rebond",
        "Durée moyenne d'une visite",
    ]
    .map(|name| card(page, name))
}

fn rows(page: &str, title: &str) -> Option<Vec<Vec<String>>> {
    let found = tables(page);
    table(&found, &format!("{title}, {PERIOD}")).map(|t| t.rows.clone())
}

fn strings<const N: usize>(rows: &[[&str; N]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
        .collect()
}

async fn csv(browser: &Browser, path: &str) -> Vec<Vec<String>> {
    let response = browser.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let body = response.bytes().await.expect("a body");
    let body = body
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or_else(|| panic!("{path}: no byte-order mark"));
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(body)
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect()
}

/// The « Période » column of the headline CSV, by indicator.
async fn headline_csv(browser: &Browser, filters: &str) -> Vec<(String, String)> {
    let path = format!("/statistiques/export?tableau=chiffres&{DAY}{filters}");
    csv(browser, &path).await[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

fn indicator<'a>(headline: &'a [(String, String)], name: &str) -> &'a str {
    headline
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {headline:?}"))
}

/// The same figures from the raw rows, then once the day is rolled up:
/// one filter is then read from its slice of the aggregates, two from the
/// raw rows still.
async fn filtered_views_are_counted_by_hand(backend: Backend) {
    let (app, marketing) = setup(backend).await;
    for rolled_up in [false, true] {
        if rolled_up {
            roll_up_the_day(&app).await;
        }
        visitor_filter_and_both_csv_kinds(&marketing).await;
        visit_page_and_goal_filters(&marketing).await;
        combined_empty_and_small_views(&marketing).await;
    }
}

/// Counts 1 March into the aggregates, its slices with it.
async fn roll_up_the_day(app: &TestApp) {
    let outcome = roll_up(&app.db, &Register::default(), app.clock_now())
        .await
        .expect("roll-up");
    let first = day_of_date(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date"));
    assert!(outcome.days.contains(&first), "{outcome:?}");
    let slices = scalar(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM audience_daily WHERE day = {first} \
             AND filter_key = 'navigateur' AND filter_value = 'Firefox' AND dimension = 'total'"
        ),
    )
    .await;
    assert_eq!(slices, 1, "Firefox's slice of 1 March is stored");
}

/// No filter, then a visitor's attribute, in the page and the CSVs.
async fn visitor_filter_and_both_csv_kinds(marketing: &Browser) {
    // Unfiltered: 5 / 13 bounces = 38,5 %; 2,520 / 13 = 193.8 s.
    let all = view(marketing, "").await;
    assert_eq!(
        cards(&all),
        ["12", "13", "27", "38,5 %", "3 min 14 s"].map(String::from)
    );
    assert!(!all.contains("section class=\"active-filters\""));

    // A visitor's attribute: Firefox keeps F1 to F7: 8 visits, 15 views,
    // 4 bounces (F2 ×2, F5, F6), 360 + 600 + 120 + 360 = 1,440 s / 8.
    let firefox = view(marketing, "&navigateur=Firefox").await;
    assert_eq!(
        cards(&firefox),
        ["7", "8", "15", "50,0 %", "3 min 00 s"].map(String::from)
    );
    assert!(firefox.contains("Navigateur : Firefox"));
    assert_eq!(
        rows(&firefox, "Navigateurs"),
        Some(strings(&[["Firefox", "15", "100,0 %", "7"]]))
    );
    // Entries: `/` F1, F3, F4, F5, F7: one bounce, 1,440 s / 5 = 288 s;
    // « Autres »: F2's two visits (`/services`, `/contact`) and F6's.
    assert_eq!(
        rows(&firefox, "Pages d'entrée"),
        Some(strings(&[
            ["/", "5", "5", "20,0 %", "4 min 48 s"],
            ["Autres", "3", "3", "100,0 %", "0 s"],
        ]))
    );
    // Both CSV kinds apply the filter.
    let headline = headline_csv(marketing, "&navigateur=Firefox").await;
    assert_eq!(indicator(&headline, "Visites"), "8");
    assert_eq!(indicator(&headline, "Pages vues"), "15");
    assert_eq!(
        indicator(&headline, "Durée moyenne d'une visite (s)"),
        "180"
    );
    let browsers = csv(
        marketing,
        &format!("/statistiques/export?tableau=navigateurs&{DAY}&navigateur=Firefox"),
    )
    .await;
    assert_eq!(browsers[1..], [["Firefox", "15", "100,0", "7"]]);
    let full = csv(
        marketing,
        &format!("/statistiques/tableau/navigateurs/export?{DAY}&navigateur=Firefox"),
    )
    .await;
    assert_eq!(full[1..], [["Firefox", "15", "100,0", "7"]]);
}

/// A visit's attribute, a page, a goal.
async fn visit_page_and_goal_filters(marketing: &Browser) {
    // A visit's attribute: entered on `/`: F1, F3, F4, F5, F7, C1, C3, C4:
    // 4 + 2 + 3 + 1 + 2 + 3 + 3 + 1 = 19 views, 2 bounces (F5, C4),
    // 1,440 + 240 + 120 = 1,800 s / 8 = 225 s.
    let entry = view(marketing, "&entree=%2F").await;
    assert_eq!(
        cards(&entry),
        ["8", "8", "19", "25,0 %", "3 min 45 s"].map(String::from)
    );
    assert_eq!(
        rows(&entry, "Pages d'entrée"),
        Some(strings(&[["/", "8", "8", "25,0 %", "3 min 45 s"]]))
    );

    // A page: the visits that viewed `/contact`: F1, F2's second, F4, F7,
    // C1, C2, C3, C5, with ALL their views: 4 + 1 + 3 + 2 + 3 + 3 + 3 + 2 =
    // 21; one bounce (F2's); 360 + 120 + 360 + 240 + 480 + 120 + 240 =
    // 1,920 s / 8 = 240 s. So `/` (F1, F4, F7, C1, C3) is in the pages
    // table too, 5 of the 21 views.
    let contact = view(marketing, "&chemin=%2Fcontact").await;
    assert_eq!(
        cards(&contact),
        ["8", "8", "21", "12,5 %", "4 min 00 s"].map(String::from)
    );
    let pages = rows(&contact, "Pages les plus vues").expect("the pages table");
    assert!(pages.contains(&strings(&[["/contact", "8", "38,1 %", "8"]])[0]));
    assert!(pages.contains(&strings(&[["/", "5", "23,8 %", "5"]])[0]));
    // `/services`: F1 once, C2 twice: « Autres ».
    assert_eq!(
        pages.last(),
        Some(&strings(&[["Autres", "3", "14,3 %", "2"]])[0])
    );

    // A goal: « Message envoyé » F1, F4, C1, C3, C5: 4 + 3 + 3 + 3 + 2 = 15
    // views, no bounce, 360 + 120 + 240 + 120 + 240 = 1,080 s / 5 = 216 s.
    let goal = view(marketing, "&objectif=%2Fcontact%2Fenvoye").await;
    assert_eq!(
        cards(&goal),
        ["5", "5", "15", "0,0 %", "3 min 36 s"].map(String::from)
    );
}

/// Two filters, a filter matching nothing, one matching too few.
async fn combined_empty_and_small_views(marketing: &Browser) {
    // Two filters: Firefox AND entered on `/`: F1, F3, F4, F5, F7: 12
    // views, one bounce, 1,440 s / 5 = 288 s.
    let both = view(marketing, "&navigateur=Firefox&entree=%2F").await;
    assert_eq!(
        cards(&both),
        ["5", "5", "12", "20,0 %", "4 min 48 s"].map(String::from)
    );
    assert!(both.contains("Navigateur : Firefox") && both.contains("Page d'entrée : /"));

    // Nothing matches Safari.
    let nothing = view(marketing, "&navigateur=Safari").await;
    assert_eq!(card(&nothing, "Visites"), "0");
    assert_eq!(card(&nothing, "Pages vues"), "0");
    assert!(nothing.contains("Aucune visite sur cette période."));
    assert!(rows(&nothing, "Navigateurs").is_none());

    // Too few: the campaign's visits, F1 and C1 (2 visitors of 5).
    let campaign = "&campagne=news+%2F+email+%2F+mars";
    let few = view(marketing, campaign).await;
    for figure in cards(&few) {
        assert_eq!(figure, "moins de 5");
    }
    assert!(few.contains("aucun tableau n'est affiché"));
    for title in [
        "Navigateurs",
        "Pages les plus vues",
        "Pages d'entrée",
        "Campagnes",
    ] {
        assert!(rows(&few, title).is_none(), "{title} shown for 2 visitors");
    }
    assert!(!few.contains("Filtrer sur"), "no row to click");
    let series = rows(&few, "Pages vues et visiteurs par heure").expect("the chart's table");
    assert_eq!(series.len(), 24);
    // Hours without a visit may say 0; the others hide their 1 or 2.
    let shown: Vec<&String> = series.iter().flat_map(|row| &row[1..]).collect();
    assert!(
        shown
            .iter()
            .all(|cell| *cell == "0" || *cell == "moins de 5"),
        "{series:?}"
    );
    assert!(shown.iter().any(|cell| *cell == "moins de 5"), "{series:?}");

    // The full tables say why they are empty, unlike a view of nobody.
    for (filter, note) in [
        (campaign, "aucun tableau n'est affiché"),
        ("&navigateur=Safari", "Aucune visite sur cette période."),
    ] {
        let path = format!("/statistiques/tableau/navigateurs?{DAY}{filter}");
        let (status, full) = marketing.get_page(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(full.contains(note), "{path}: {}", text_of(&full));
        assert!(!full.contains("<tbody>"), "{path}");
    }

    let headline = headline_csv(marketing, campaign).await;
    for (name, value) in &headline {
        assert!(
            !value.chars().any(|c| c.is_ascii_digit()),
            "{name}: {value}"
        );
    }
    let series = csv(
        marketing,
        &format!("/statistiques/export?tableau=serie&{DAY}{campaign}"),
    )
    .await;
    assert_eq!(series.len(), 25, "a header and 24 hours");
    // 10 h (Paris) had F1 and C1: hidden, not 0.
    assert_eq!(series[11][1..], ["", ""], "{:?}", series[11]);
    for record in &series[1..] {
        assert!(
            record[1..].iter().all(|v| v.is_empty() || v == "0"),
            "{record:?}"
        );
    }
    for path in [
        format!("/statistiques/export?tableau=navigateurs&{DAY}{campaign}"),
        format!("/statistiques/export?tableau=campagnes&{DAY}{campaign}"),
        format!("/statistiques/tableau/pages/export?{DAY}{campaign}"),
    ] {
        assert_eq!(
            csv(marketing, &path).await.len(),
            1,
            "{path}: a header only"
        );
    }
}

fn href(query: &str) -> String {
    format!("href=\"/statistiques?{}\"", query.replace('&', "&amp;"))
}

/// Every link of the page to the statistics, with its `&amp;`s.
fn statistics_links(page: &str) -> Vec<&str> {
    page.split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap_or(0)])
        .filter(|link| link.starts_with("/statistiques"))
        .collect()
}

async fn rows_add_labels_remove_and_links_keep_filters(backend: Backend) {
    let (app, marketing) = setup(backend).await;

    // Rows add their filter; « Autres » is not a link.
    let all = view(&marketing, "").await;
    assert!(all.contains(&href(&format!("{DAY}&navigateur=Chrome"))));
    assert!(all.contains(&href(&format!("{DAY}&appareil=smartphone"))));
    assert!(all.contains(&href(&format!("{DAY}&entree=%2F"))));
    assert!(all.contains(&href(&format!("{DAY}&version_navigateur=Firefox+121"))));
    assert!(!all.contains("title=\"Filtrer sur Autres\""));

    // Filtered on Firefox, its row is no link any more; the device row adds
    // the second filter after the first.
    let firefox = view(&marketing, "&navigateur=Firefox").await;
    assert!(!firefox.contains("title=\"Filtrer sur Firefox\""));
    assert!(firefox.contains(&href(&format!("{DAY}&navigateur=Firefox&appareil=pc"))));

    // Two filters: each label removes only its own, the last link both.
    let two = "&navigateur=Firefox&appareil=pc";
    let page = view(&marketing, two).await;
    let bar = between(&page, "<section class=\"active-filters\"", "</section>")
        .expect("the active filters");
    assert!(bar.contains("Navigateur : Firefox") && bar.contains("Appareil : Ordinateur"));
    let removals: Vec<&str> = bar.split("class=\"filter-remove\" ").skip(1).collect();
    assert_eq!(removals.len(), 2, "{bar}");
    assert!(bar.contains(&href(&format!("{DAY}&appareil=pc"))));
    assert!(bar.contains(&href(&format!("{DAY}&navigateur=Firefox"))));
    assert!(bar.contains(&format!("{}>Retirer tous les filtres", href(DAY))));

    // Every other link to the statistics keeps both filters.
    let removing = [
        format!("/statistiques?{DAY}&appareil=pc"),
        format!("/statistiques?{DAY}&navigateur=Firefox"),
        format!("/statistiques?{DAY}"),
    ]
    .map(|l| l.replace('&', "&amp;"));
    let kept: Vec<&str> = statistics_links(&page)
        .into_iter()
        // The menu's entry and the live page are not views of a period.
        .filter(|l| !removing.iter().any(|r| r == l))
        .filter(|l| !["/statistiques", "/statistiques/en-ce-moment"].contains(l))
        .collect();
    assert!(kept.len() > 10, "{kept:?}");
    for link in &kept {
        assert!(
            link.contains("navigateur=Firefox") && link.contains("appareil=pc"),
            "{link} loses a filter"
        );
    }
    // The forms (custom dates, full tables' search) carry them too.
    assert!(page.contains("name=\"navigateur\" value=\"Firefox\""));
    assert!(page.contains("name=\"appareil\" value=\"pc\""));

    // So does the full table's page: its search form, its way back.
    let (status, full) = marketing
        .get_page(&format!("/statistiques/tableau/pages?{DAY}{two}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        full.contains("name=\"navigateur\" value=\"Firefox\""),
        "the search form"
    );
    assert!(full.contains(&href(&format!("{DAY}{two}"))));

    // The URL alone gives the same view to someone else.
    let colleague = logged_in(&app, Role::Marketing, "collegue@wemaintain.com").await;
    let again = view(&colleague, two).await;
    assert_eq!(cards(&again), cards(&page));
    assert_eq!(
        cards(&page),
        ["7", "8", "15", "50,0 %", "3 min 00 s"].map(String::from)
    );
    assert_eq!(
        rows(&again, "Pages d'entrée"),
        rows(&page, "Pages d'entrée")
    );
}

async fn bad_filters_and_old_periods_are_handled(backend: Backend) {
    let (_app, marketing) = setup(backend).await;

    // A period reaching before the raw rows (kept 13 months before now,
    // 2 March 2026 09:30 UTC): filtered figures begin the day after.
    let long = "periode=perso&du=2025-01-01&au=2026-03-01";
    let filtered = statistics_page(&marketing, &format!("{long}&navigateur=Firefox")).await;
    assert!(
        filtered.contains("ils commencent le 03/02/2025"),
        "{}",
        text_of(&filtered)
    );
    assert_eq!(card(&filtered, "Visites"), "8");
    let plain = statistics_page(&marketing, long).await;
    assert!(!plain.contains("ils commencent le"));

    // Hostile or odd values: never a 500, shown escaped, matching nothing.
    let script = "<script>alert(1)</script>";
    let sql = "' OR 1=1; DROP TABLE visitor_log; --";
    let overlong = "a".repeat(5000);
    let encode = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    for query in [
        format!("&navigateur={}", encode(script)),
        format!("&chemin={}", encode(sql)),
        format!("&fabricant={overlong}"),
        "&inconnu=Firefox&navigateur=".to_owned(),
        "&navigateur=%FF%FE".to_owned(),
    ] {
        for path in [
            format!("/statistiques?{DAY}{query}"),
            format!("/statistiques/export?tableau=chiffres&{DAY}{query}"),
            format!("/statistiques/tableau/pages?{DAY}{query}"),
            format!("/statistiques/tableau/pages/export?{DAY}{query}"),
        ] {
            let status = marketing.get(&path).await.status();
            assert_eq!(status, 200, "{}", &path[..path.len().min(200)]);
        }
    }
    let page = view(&marketing, &format!("&navigateur={}", encode(script))).await;
    assert!(!page.contains(script));
    assert!(page.contains("Navigateur : &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(card(&page, "Visites"), "0");
    let page = view(&marketing, &format!("&chemin={}", encode(sql))).await;
    assert!(page.contains("Page : ' OR 1=1; DROP TABLE visitor_log; --"));
    // The log is still there.
    assert_eq!(card(&view(&marketing, "").await, "Visites"), "13");
    // Ignored: an unknown kind, an empty or overlong value.
    for ignored in [
        "&inconnu=Firefox&navigateur=",
        &format!("&fabricant={overlong}"),
    ] {
        let page = view(&marketing, ignored).await;
        assert!(!page.contains("section class=\"active-filters\""));
        assert_eq!(card(&page, "Visites"), "13");
    }
}

/// The other kinds by hand, then every row link of the page leads to a
/// view that is not empty: what a row names is what its filter matches.
async fn every_kind_and_every_row_link_keeps_its_visits(backend: Backend) {
    let (app, marketing) = setup(backend).await;
    every_kind_by_hand(&marketing).await;
    roll_up_the_day(&app).await;
    every_kind_by_hand(&marketing).await;
}

async fn every_kind_by_hand(marketing: &Browser) {
    // C1 to C5: 3 + 3 + 3 + 1 + 2 = 12 views, one bounce (C4), 240 + 480 +
    // 120 + 240 = 1,080 s / 5 = 216 s.
    let chrome = ["5", "5", "12", "20,0 %", "3 min 36 s"];
    // F1 to F7, as filtered on Firefox above.
    let firefox = ["7", "8", "15", "50,0 %", "3 min 00 s"];
    // Left on `/contact/envoye`: F1, F4, C1, C3, C5, as the goal above.
    let sent = ["5", "5", "15", "0,0 %", "3 min 36 s"];
    for (filter, expected) in [
        ("&version_navigateur=Chrome+120", chrome),
        ("&version_navigateur=Firefox+121", firefox),
        ("&systeme=Android", chrome),
        ("&version_systeme=Android+14", chrome),
        ("&systeme=Linux", firefox),
        ("&version_systeme=Linux+%28version+inconnue%29", firefox),
        ("&appareil=smartphone", chrome),
        ("&fabricant=Samsung", chrome),
        ("&sortie=%2Fcontact%2Fenvoye", sent),
    ] {
        let page = view(marketing, filter).await;
        assert_eq!(cards(&page), expected.map(String::from), "{filter}");
    }

    let all = view(marketing, "").await;
    let links: Vec<String> = all
        .split("class=\"filter-add\" href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').expect("a closed href")].replace("&amp;", "&"))
        .collect();
    assert!(links.len() >= 10, "{links:?}");
    for link in &links {
        let page = statistics_page(marketing, link.trim_start_matches("/statistiques?")).await;
        assert_ne!(card(&page, "Visites"), "0", "{link} shows nothing");
    }
}
