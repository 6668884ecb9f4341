//! Issue 19, section 5: versions under their family, the full tables (search,
//! sort, pages, CSV), « en ce moment », and the CSV of the chart's and the
//! headline figures. Every expected figure is counted here by hand from the
//! rows inserted; none shows an IP address or the time of a single view.

use std::sync::Arc;

use chrono::{DateTime, Duration, Months, Utc};
use wemaintain::analytics::rollup::roll_up;
use wemaintain::analytics::{insert_batch, Device, DeviceType, VisitorEvent};
use wemaintain::auth::Role;
use wemaintain::privacy::{Purpose, Register};

use crate::helpers::{create_account, header, spawn_app, Backend, Browser, TestApp, PASSWORD};
use crate::on_both_backends;
use crate::statistics::{between, text_of, unmeasured_browser};

on_both_backends!(
    versions_are_listed_under_their_family,
    the_full_table_is_searched_sorted_and_paged,
    en_ce_moment_shows_pages_not_people,
    the_series_and_headline_csv_equal_the_page,
);

const MARKETING: &str = "marketing@wemaintain.com";
/// Every visitor's truncated address starts with this: it must never show.
const IP_PREFIX: &str = "198.51.";

/// One page view by visitor `who` (each `who` is its own address).
pub(super) struct View {
    at: DateTime<Utc>,
    who: usize,
    browser: (&'static str, &'static str),
    os: (&'static str, &'static str),
    url: String,
}

pub(super) fn view(at: DateTime<Utc>, who: usize, url: &str) -> View {
    View {
        at,
        who,
        browser: ("Firefox", "121.0"),
        os: ("Windows", "10"),
        url: url.to_owned(),
    }
}

pub(super) async fn insert(app: &TestApp, views: &[View]) {
    let rows: Vec<VisitorEvent> = views
        .iter()
        .map(|v| VisitorEvent {
            purpose: Purpose::Audience,
            occurred_at: v.at,
            expires_at: v.at + Months::new(13),
            ip: format!("{IP_PREFIX}{}.0", v.who),
            device: Arc::new(Device {
                browser: Some(v.browser.0.into()),
                browser_version: Some(v.browser.1.into()),
                os: Some(v.os.0.into()),
                os_version: Some(v.os.1.into()),
                device_type: DeviceType::Pc,
                manufacturer: None,
            }),
            url: v.url.clone(),
        })
        .collect();
    insert_batch(&app.db, rows.into()).await.expect("insert");
}

/// A marketing browser that objects to measurement: its own visits leave
/// no audience row.
pub(super) async fn marketing(app: &TestApp) -> Browser {
    create_account(app, Role::Marketing, MARKETING).await;
    let browser = unmeasured_browser(app);
    browser.login_ok(MARKETING, PASSWORD).await;
    browser
}

async fn page(browser: &Browser, path: &str) -> String {
    let (status, page) = browser.get_page(path).await;
    assert_eq!(status, 200, "{path}: {page}");
    assert!(!page.contains(IP_PREFIX), "{path} shows an address");
    page
}

/// A CSV (`;`) as records, after its byte-order mark.
pub(super) async fn csv(browser: &Browser, path: &str) -> Vec<Vec<String>> {
    let response = browser.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert!(header(response.headers(), "content-type").starts_with("text/csv"));
    let body = response.bytes().await.expect("a body");
    let body = body
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or_else(|| panic!("{path}: no byte-order mark"));
    assert!(!String::from_utf8_lossy(body).contains(IP_PREFIX));
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect()
}

/// The rows (as text) of the table whose caption starts with `caption`.
fn table_rows(page: &str, caption: &str) -> Option<Vec<Vec<String>>> {
    let chunk = page
        .split("<table>")
        .skip(1)
        .find(|chunk| chunk.starts_with(&format!("<caption>{caption}")))?;
    let body = between(chunk, "<tbody>", "</tbody>")?;
    Some(
        body.split("</tr>")
            .filter(|row| row.contains("<td"))
            .map(|row| {
                row.split("</td>")
                    .filter(|cell| cell.contains("<td"))
                    .map(text_of)
                    .collect()
            })
            .collect(),
    )
}

fn rows(expected: &[[&str; 4]]) -> Vec<Vec<String>> {
    expected
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// No `hh:mm` anywhere in a text: no time of a view.
fn assert_no_clock_time(text: &str) {
    let bytes = text.as_bytes();
    for i in 1..bytes.len().saturating_sub(2) {
        let time = bytes[i] == b':'
            && bytes[i - 1].is_ascii_digit()
            && bytes[i + 1].is_ascii_digit()
            && bytes[i + 2].is_ascii_digit();
        assert!(!time, "a time in {}", &text[i.saturating_sub(20)..]);
    }
}

/// Yesterday (1 March, the test clock being 2 March 10:30 in Paris):
/// Firefox 121 × 7 visitors (2 views each), Firefox 115 × 2 and Firefox
/// 122 × 1 (1 view each), all on Windows 10; Chrome 120 × 5 on Android 14
/// (3 visitors) and 13 (2), 1 view each.
fn family_views(day: DateTime<Utc>) -> Vec<View> {
    let mut views = Vec::new();
    let mut add = |who: usize, browser, os, count: usize| {
        for n in 0..count {
            let mut v = view(day + Duration::minutes((who * 3 + n) as i64), who, "/");
            v.browser = browser;
            v.os = os;
            views.push(v);
        }
    };
    for who in 0..7 {
        add(who, ("Firefox", "121.0.1"), ("Windows", "10"), 2);
    }
    add(7, ("Firefox", "115.3"), ("Windows", "10"), 1);
    add(8, ("Firefox", "115"), ("Windows", "10"), 1);
    add(9, ("Firefox", "122"), ("Windows", "10"), 1);
    for who in 10..15 {
        let os = if who < 13 {
            ("Android", "14")
        } else {
            ("Android", "13.1")
        };
        add(who, ("Chrome", "120.0.6099"), os, 1);
    }
    views
}

async fn versions_are_listed_under_their_family(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let now = app.clock_now();
    // Yesterday, counted by the roll-up; today, counted from the raw rows.
    insert(
        &app,
        &family_views(now - Duration::days(1) - Duration::hours(2)),
    )
    .await;
    insert(&app, &family_views(now - Duration::hours(2))).await;
    roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
    let browser = marketing(&app).await;
    for query in [
        "periode=perso&du=2026-03-01&au=2026-03-01",
        "periode=aujourdhui",
    ] {
        let dashboard = page(&browser, &format!("/statistiques?{query}")).await;
        // Firefox: 17 views, 10 visitors; 121 has 7, the other 3 are merged.
        assert_eq!(
            table_rows(&dashboard, "Versions de Firefox"),
            Some(rows(&[
                ["Firefox 121", "14", "82,4 %", "7"],
                ["Autres versions", "3", "17,6 %", "3"],
            ])),
            "{query}"
        );
        assert_eq!(
            table_rows(&dashboard, "Versions de Chrome"),
            Some(rows(&[["Chrome 120", "5", "100,0 %", "5"]])),
            "{query}"
        );
        assert_eq!(
            table_rows(&dashboard, "Versions de Windows"),
            Some(rows(&[["Windows 10", "17", "100,0 %", "10"]])),
            "{query}"
        );
        // Android 14 (3 visitors) and 13 (2): both below 5, merged.
        assert_eq!(
            table_rows(&dashboard, "Versions de Android"),
            Some(rows(&[["Autres versions", "5", "100,0 %", "5"]])),
            "{query}"
        );
        assert!(dashboard.contains("<summary>Versions de Firefox</summary>"));
        let full = page(
            &browser,
            &format!("/statistiques/tableau/versions-navigateurs?{query}"),
        )
        .await;
        assert_eq!(
            table_rows(&full, "Versions des navigateurs"),
            Some(rows(&[
                ["Firefox 121", "14", "63,6 %", "7"],
                ["Chrome 120", "5", "22,7 %", "5"],
                ["Autres", "3", "13,6 %", "3"],
            ])),
            "{query}"
        );
    }
}

fn guide(n: usize) -> String {
    format!("/guides/guide-{n:02}")
}

async fn the_full_table_is_searched_sorted_and_paged(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let now = app.clock_now();
    let day = now - Duration::days(1) - Duration::hours(3);
    // Five visitors read the 60 guides; guide n is read n mod 4 more times
    // by visitor 0. Two visitors read /confidentiel: below 5, « Autres ».
    let mut views = Vec::new();
    for n in 1..=60 {
        for who in 0..5 {
            views.push(view(
                day + Duration::seconds((n * 10 + who) as i64),
                who,
                &guide(n),
            ));
        }
        for extra in 0..(n % 4) {
            views.push(view(
                day + Duration::seconds((n * 10 + 5 + extra) as i64),
                0,
                &guide(n),
            ));
        }
    }
    for who in 5..7 {
        views.push(view(day + Duration::hours(1), who, "/confidentiel"));
    }
    insert(&app, &views).await;
    roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
    let browser = marketing(&app).await;
    let period = "periode=7j";

    let dashboard = page(&browser, &format!("/statistiques?{period}")).await;
    assert!(
        dashboard.contains("Voir les 61 lignes"),
        "60 guides and « Autres »"
    );
    assert!(dashboard.contains(&format!("href=\"/statistiques/tableau/pages?{period}\"")));

    // Page views, most first: guides with n mod 4 = 3 (8 views), then 2, 1, 0;
    // equal figures by name. 61 lines: 50, then 10 and « Autres ».
    let mut expected: Vec<(String, usize)> = (1..=60).map(|n| (guide(n), 5 + n % 4)).collect();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let first = page(&browser, &format!("/statistiques/tableau/pages?{period}")).await;
    let shown = table_rows(&first, "Pages les plus vues").expect("a table");
    assert_eq!(shown.len(), 50);
    let names: Vec<&str> = shown.iter().map(|r| r[0].as_str()).collect();
    let want: Vec<&str> = expected.iter().take(50).map(|(p, _)| p.as_str()).collect();
    assert_eq!(names, want);
    assert_eq!(shown[0][1], "8");
    assert!(first.contains("aria-sort=\"descending\""));
    assert!(first.contains("Page 1 sur 2"));
    let second = page(
        &browser,
        &format!("/statistiques/tableau/pages?{period}&page=2"),
    )
    .await;
    let shown = table_rows(&second, "Pages les plus vues").expect("a table");
    assert_eq!(shown.len(), 11);
    assert_eq!(shown[10], ["Autres", "2", "0,5 %", "2"]);
    // Each line filters the dashboard on its page, as the dashboard's rows
    // do; « Autres » (several pages) does not.
    let first_guide = &expected[50].0;
    let link = format!(
        "class=\"filter-add\" href=\"/statistiques?{period}&amp;chemin={}\"",
        first_guide.replace('/', "%2F")
    );
    assert!(second.contains(&link), "{link} missing");
    assert!(!second.contains("chemin=Autres"));

    // By name, Z to A: « Autres » still last.
    let by_name = page(
        &browser,
        &format!("/statistiques/tableau/pages?{period}&tri=nom&ordre=desc&page=2"),
    )
    .await;
    let shown = table_rows(&by_name, "Pages les plus vues").expect("a table");
    let names: Vec<&str> = shown.iter().map(|r| r[0].as_str()).collect();
    let mut want: Vec<String> = (1..=10).rev().map(guide).collect();
    want.push("Autres".into());
    assert_eq!(names, want);
    assert!(by_name.contains("aria-sort=\"descending\""));

    // A search: the guides 10 to 19, by visitors then name; never « Autres ».
    let searched = page(
        &browser,
        &format!("/statistiques/tableau/pages?{period}&q=GUIDE-1&tri=visiteurs"),
    )
    .await;
    let shown = table_rows(&searched, "Pages les plus vues").expect("a table");
    let names: Vec<String> = shown.iter().map(|r| r[0].clone()).collect();
    assert_eq!(names, (10..=19).map(guide).collect::<Vec<_>>());
    assert!(shown.iter().all(|r| r[3] == "5"));
    let nothing = page(
        &browser,
        &format!("/statistiques/tableau/pages?{period}&q=Autres"),
    )
    .await;
    assert!(table_rows(&nothing, "Pages les plus vues").is_none());
    assert!(nothing.contains("Aucune ligne ne contient « Autres »"));

    // The CSV of the search is its lines; of the whole table, all 61.
    let records = csv(
        &browser,
        &format!("/statistiques/tableau/pages/export?{period}&q=GUIDE-1&tri=visiteurs"),
    )
    .await;
    assert_eq!(
        records[0],
        ["Page", "Pages vues", "Part des pages vues (%)", "Visiteurs"]
    );
    let from_page: Vec<Vec<String>> = shown
        .iter()
        .map(|r| {
            vec![
                r[0].clone(),
                r[1].clone(),
                r[2].trim_end_matches(" %").to_owned(),
                r[3].clone(),
            ]
        })
        .collect();
    assert_eq!(records[1..], from_page[..]);
    let all = csv(
        &browser,
        &format!("/statistiques/tableau/pages/export?{period}"),
    )
    .await;
    assert_eq!(all.len(), 62);
    assert_eq!(all[61][0], "Autres");
    assert_eq!(
        browser.get("/statistiques/tableau/inconnu").await.status(),
        404
    );
    assert_no_clock_time(&text_of(&first));
}

async fn en_ce_moment_shows_pages_not_people(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let now = app.clock_now();
    let mut views = Vec::new();
    for who in 0..6 {
        views.push(view(now - Duration::minutes(5), who, "/services"));
    }
    for who in 6..8 {
        views.push(view(now - Duration::minutes(12), who, "/contact"));
    }
    // 31 minutes ago: not « now ». Counted, it would make « Autres » 5.
    for who in 8..11 {
        views.push(view(now - Duration::minutes(31), who, "/a-propos"));
    }
    insert(&app, &views).await;
    let browser = marketing(&app).await;
    let expected = vec![
        vec!["/services".to_owned(), "6".to_owned()],
        vec!["Autres".to_owned(), "moins de 5".to_owned()],
    ];
    for path in ["/statistiques/en-ce-moment", "/statistiques"] {
        let shown = page(&browser, path).await;
        assert_eq!(
            table_rows(&shown, "Pages lues ces 30 dernières minutes"),
            Some(expected.clone()),
            "{path}"
        );
        assert!(!shown.contains("/a-propos"), "{path}");
        assert_no_clock_time(&text_of(&shown));
    }
    let live = page(&browser, "/statistiques/en-ce-moment").await;
    assert!(live.contains("Visiteurs ces 30 dernières minutes : <strong>8</strong>"));
    assert!(live.contains("href=\"/statistiques/en-ce-moment\">Actualiser"));

    // Twenty minutes later only the /services readers are within the window.
    app.clock.advance(Duration::minutes(20));
    let later = page(&browser, "/statistiques/en-ce-moment").await;
    assert_eq!(
        table_rows(&later, "Pages lues ces 30 dernières minutes"),
        Some(vec![vec!["/services".to_owned(), "6".to_owned()]])
    );
    // Later still, nobody.
    app.clock.advance(Duration::minutes(20));
    let empty = page(&browser, "/statistiques/en-ce-moment").await;
    assert!(table_rows(&empty, "Pages lues").is_none());
    assert!(empty.contains("Personne ne lit le site en ce moment."));
}

async fn the_series_and_headline_csv_equal_the_page(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let now = app.clock_now();
    let day = |d: i64| now - Duration::days(d) - Duration::hours(3);
    // 26 February: 6 visitors, 2 views each; 27: 2 visitors (hidden);
    // 28: nobody.
    let mut views = Vec::new();
    for who in 0..6 {
        views.push(view(day(4) + Duration::minutes(who as i64), who, "/"));
        views.push(view(
            day(4) + Duration::minutes(10 + who as i64),
            who,
            "/services",
        ));
    }
    for who in 0..2 {
        views.push(view(day(3), who, "/"));
    }
    insert(&app, &views).await;
    roll_up(&app.db, &Register::default(), now)
        .await
        .expect("roll-up");
    let browser = marketing(&app).await;
    let query = "periode=perso&du=2026-02-26&au=2026-02-28";
    let shown = page(&browser, &format!("/statistiques?{query}")).await;
    assert!(shown.contains(&format!(
        "/statistiques/export?tableau=serie&amp;{}",
        query.replace('&', "&amp;")
    )));

    let series = csv(
        &browser,
        &format!("/statistiques/export?tableau=serie&{query}"),
    )
    .await;
    assert_eq!(
        series,
        [
            ["Jour", "Pages vues", "Visiteurs"],
            ["2026-02-26", "12", "6"],
            ["2026-02-27", "", ""],
            ["2026-02-28", "0", "0"],
        ]
    );
    let on_page =
        table_rows(&shown, "Pages vues et visiteurs par jour").expect("the chart's table");
    for (record, row) in series[1..].iter().zip(&on_page) {
        let date = &record[0];
        assert_eq!(row[0], format!("{}/{}", &date[8..10], &date[5..7]));
        for (csv_cell, page_cell) in record[1..].iter().zip(&row[1..]) {
            let page_cell = if page_cell == "moins de 5" {
                ""
            } else {
                page_cell.as_str()
            };
            assert_eq!(csv_cell, page_cell, "{date}");
        }
    }

    // 14 views, 8 visitors over the three days (two visits a day); the
    // previous three days had no visit.
    let headline = csv(
        &browser,
        &format!("/statistiques/export?tableau=chiffres&{query}"),
    )
    .await;
    assert_eq!(
        headline,
        [
            [
                "Indicateur",
                "Période",
                "Période précédente",
                "Évolution (%)"
            ],
            ["Pages vues", "14", "0", ""],
            ["Visiteurs", "8", "0", ""],
            // Six visits of two views ten minutes apart, two of one view.
            ["Visites", "8", "0", ""],
            ["Pages par visite", "1,75", "0,00", ""],
            ["Taux de rebond (%)", "25,0", "0,0", ""],
            // (6 × 600 s + 2 × 0 s) / 8 visits.
            ["Durée moyenne d'une visite (s)", "450", "0", ""],
            ["Part des mobiles (%)", "0,0", "0,0", ""],
        ]
    );
    let cards = between(&shown, "<ul class=\"cards figures\">", "</ul>").expect("the cards");
    for (record, figure) in headline[1..]
        .iter()
        .zip(cards.split("<p class=\"figure\">").skip(1))
    {
        let figure = text_of(&figure[..figure.find("</p>").expect("a figure")]);
        if record[0].starts_with("Durée") {
            // Seconds in the file, minutes and seconds on the page.
            assert_eq!(figure, "7 min 30 s");
            continue;
        }
        assert_eq!(figure.trim_end_matches(" %"), record[1], "{}", record[0]);
    }
    assert_no_clock_time(&series.concat().join(" "));
}
