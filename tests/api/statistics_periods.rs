//! The periods of `/statistiques`: every preset's dates and what it is
//! compared with, like for like until the same time of day (also across
//! the clock change), the arrows and no « suivante » past today, « stable »
//! instead of ±0,0 %, the chart's granularity and metric, hours to come
//! drawn as nothing. The clock is fixed at 18 March 2026, 14:30 in Paris.

use std::sync::Arc;

use chrono::{DateTime, Months, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use wemaintain::analytics::rollup::roll_up;
use wemaintain::analytics::{insert_batch, Device, DeviceType, VisitorEvent};
use wemaintain::auth::Role;
use wemaintain::privacy::{Purpose, Register};

use crate::helpers::{create_account, spawn_app_with, Backend, Browser, TestApp, PASSWORD};
use crate::on_both_backends;
use crate::statistics::unmeasured_browser;

on_both_backends!(
    every_preset_says_what_it_is_compared_with,
    a_running_day_is_compared_until_the_same_time,
    the_comparison_holds_across_the_clock_change,
    old_comparisons_are_counted_in_whole_days,
    the_arrows_move_the_period_and_keep_the_choices,
    a_change_rounding_to_zero_is_stable,
    the_chart_granularity_and_metric,
);

/// A Paris wall-clock time.
fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .earliest()
        .expect("a Paris time")
        .with_timezone(&Utc)
}

/// A marketing account on an app whose clock reads `now`, each group shown
/// (`min_group` 1), in a browser that objects to measurement so its own
/// visits leave no audience row.
async fn marketing_at(backend: Backend, now: DateTime<Utc>) -> (TestApp, Browser) {
    let app = spawn_app_with(backend, |settings| settings.min_group = 1).await;
    app.settled().await;
    app.clock.set(now);
    create_account(&app, Role::Marketing, "marketing@wemaintain.com").await;
    let browser = unmeasured_browser(&app);
    browser.login_ok("marketing@wemaintain.com", PASSWORD).await;
    (app, browser)
}

/// One audience page view by visitor `who` (a different /24 each).
async fn views(app: &TestApp, at: &[(DateTime<Utc>, u8)]) {
    let rows: Vec<VisitorEvent> = at
        .iter()
        .map(|(at, who)| VisitorEvent {
            purpose: Purpose::Audience,
            occurred_at: *at,
            expires_at: *at + Months::new(13),
            ip: format!("81.250.{who}.0"),
            device: Arc::new(Device {
                browser: Some("Firefox".into()),
                browser_version: Some("121".into()),
                os: Some("Linux".into()),
                os_version: None,
                device_type: DeviceType::Pc,
                manufacturer: None,
            }),
            url: "/".into(),
        })
        .collect();
    insert_batch(&app.db, rows.into()).await.expect("insert");
    roll_up(&app.db, &Register::default(), app.clock_now())
        .await
        .expect("roll-up");
}

/// The page, its table cells written `<td>…</td>` (without their
/// attributes) so that rows read simply.
async fn page(browser: &Browser, query: &str, status: u16) -> String {
    let (found, page) = browser.get_page(&format!("/statistiques?{query}")).await;
    assert_eq!(found, status, "/statistiques?{query}");
    let mut out = String::new();
    let mut rest = page.as_str();
    while let Some(start) = rest.find("<td ") {
        out.push_str(&rest[..start]);
        out.push_str("<td>");
        let end = rest[start..].find('>').expect("a closed tag");
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// The card of one figure: its value and its comparison.
fn card<'a>(page: &'a str, name: &str) -> &'a str {
    let start = page
        .find(&format!("<h2>{name}</h2>"))
        .unwrap_or_else(|| panic!("no card {name}"));
    &page[start..start + page[start..].find("</li>").expect("a card's end")]
}

fn now() -> DateTime<Utc> {
    paris(2026, 3, 18, 14, 30)
}

async fn every_preset_says_what_it_is_compared_with(backend: Backend) {
    let (app, browser) = marketing_at(backend, now()).await;
    views(&app, &[(paris(2025, 6, 1, 10, 0), 1)]).await;
    let cut = "jusqu'à 14 h 30, comparé à la même durée juste avant :";
    for (query, lead) in [
        ("aujourdhui", format!("<strong>Aujourd'hui</strong> : le 18/03/2026, {cut} le 17/03/2026 jusqu'à 14 h 30.")),
        ("hier", "<strong>Hier</strong> : le 17/03/2026, comparé à la période précédente de même durée (le 16/03/2026).".into()),
        ("7j", "<strong>7 derniers jours</strong> : du 11/03/2026 au 17/03/2026, comparé à la période précédente de même durée (du 04/03/2026 au 10/03/2026).".into()),
        ("30j", "<strong>30 derniers jours</strong> : du 16/02/2026 au 17/03/2026, comparé à la période précédente de même durée (du 17/01/2026 au 15/02/2026).".into()),
        ("mois", format!("<strong>Ce mois-ci</strong> : du 01/03/2026 au 18/03/2026, {cut} du 01/02/2026 au 18/02/2026 jusqu'à 14 h 30.")),
        ("mois-precedent", "<strong>Le mois dernier</strong> : du 01/02/2026 au 28/02/2026, comparé à la période précédente de même durée (du 01/01/2026 au 31/01/2026).".into()),
        ("annee", format!("<strong>Depuis le 1er janvier</strong> : du 01/01/2026 au 18/03/2026, {cut} du 01/01/2025 au 18/03/2025 jusqu'à 14 h 30.")),
        ("12m", "<strong>12 derniers mois</strong> : du 18/03/2025 au 17/03/2026, comparé à la période précédente de même durée (du 18/03/2024 au 17/03/2025).".into()),
        ("tout", "<strong>Depuis le début</strong> : du 01/06/2025 au 18/03/2026. Rien à comparer".into()),
    ] {
        let page = page(&browser, &format!("periode={query}"), 200).await;
        assert!(page.contains(&format!("<p class=\"lead\">{lead}")), "{query}: {lead}\n{page}");
        assert!(
            page.contains(&format!("href=\"/statistiques?periode={query}\" aria-current=\"page\"")),
            "{query} is the current preset"
        );
    }
    let all = page(&browser, "periode=tout", 200).await;
    assert!(card(&all, "Pages vues").contains("rien avant le début des statistiques"));
    assert!(
        !all.contains("Période précédente</a>"),
        "no arrows for « tout »"
    );
}

async fn a_running_day_is_compared_until_the_same_time(backend: Backend) {
    let (app, browser) = marketing_at(backend, now()).await;
    views(
        &app,
        &[
            (paris(2026, 3, 18, 9, 0), 1),
            (paris(2026, 3, 18, 14, 10), 2),
            (paris(2026, 3, 17, 9, 0), 1),
            // After 14:30 yesterday: not in the comparison.
            (paris(2026, 3, 17, 14, 45), 2),
            (paris(2026, 3, 17, 20, 0), 3),
        ],
    )
    .await;
    let today = page(&browser, "periode=aujourdhui", 200).await;
    let views = card(&today, "Pages vues");
    assert!(views.contains("<p class=\"figure\">2</p>"), "{views}");
    assert!(views.contains("Période précédente : 1 ·"), "{views}");
    assert!(views.contains("↑</span> en hausse de 100,0 %"), "{views}");
    // Yesterday as a whole day is compared whole with the day before.
    let yesterday = page(&browser, "periode=hier", 200).await;
    assert!(card(&yesterday, "Pages vues").contains("<p class=\"figure\">3</p>"));
    assert!(card(&yesterday, "Pages vues").contains("aucune visite avant"));
    // Hours to come are no zeros: from 15 h, « à venir ».
    assert!(
        today.contains("<td>14 h</td><td>1</td><td>1</td>"),
        "{today}"
    );
    assert!(today.contains("<td>15 h</td><td>à venir</td><td>à venir</td>"));
    assert!(today.contains("<title>23 h : à venir</title>"));
    assert!(!today.contains("<td>15 h</td><td>0</td>"));
}

async fn the_comparison_holds_across_the_clock_change(backend: Backend) {
    // Monday 30 March 2026, 14:30 in Paris (summer time since Sunday 2 a.m.).
    let (app, browser) = marketing_at(backend, paris(2026, 3, 30, 14, 30)).await;
    views(
        &app,
        &[
            (paris(2026, 3, 30, 10, 0), 1),
            (paris(2026, 3, 29, 1, 30), 1),
            (paris(2026, 3, 29, 14, 20), 2),
            (paris(2026, 3, 29, 14, 40), 3),
        ],
    )
    .await;
    let today = page(&browser, "periode=aujourdhui", 200).await;
    let views = card(&today, "Pages vues");
    assert!(views.contains("Période précédente : 2 ·"), "{views}");
    assert!(views.contains("en baisse de 50,0 %"), "{views}");
    let yesterday = page(&browser, "periode=hier", 200).await;
    assert!(card(&yesterday, "Pages vues").contains("<p class=\"figure\">3</p>"));
}

async fn old_comparisons_are_counted_in_whole_days(backend: Backend) {
    let (app, browser) = marketing_at(backend, now()).await;
    views(&app, &[(paris(2026, 3, 18, 9, 0), 1)]).await;
    // The span before ends on 31 December 2024, whose raw rows are gone.
    let page = page(&browser, "periode=perso&du=2025-01-01&au=2026-03-18", 200).await;
    assert!(page.contains("comptée en journées entières"), "{page}");
    assert!(page.contains("(du 17/10/2023 au 31/12/2024)"), "{page}");
    let today = self::page(&browser, "periode=aujourdhui", 200).await;
    assert!(!today.contains("journées entières"));
}

async fn the_arrows_move_the_period_and_keep_the_choices(backend: Backend) {
    let (_app, browser) = marketing_at(backend, now()).await;
    let month = page(&browser, "periode=mois", 200).await;
    assert!(month.contains(
        "<a rel=\"prev\" href=\"/statistiques?periode=mois&amp;decalage=-1\">← Période précédente"
    ));
    assert!(!month.contains("rel=\"next\""), "nothing after today");
    assert!(month.contains("<span class=\"disabled\">Période suivante →"));

    let before = page(&browser, "periode=mois&decalage=-1", 200).await;
    assert!(before.contains("<p class=\"lead\"><strong>Février 2026</strong> : du 01/02/2026 au 28/02/2026, comparé à la période précédente de même durée (du 01/01/2026 au 31/01/2026)."));
    assert!(
        before.contains("<a rel=\"next\" href=\"/statistiques?periode=mois\">Période suivante →")
    );
    assert!(
        before.contains(
            "href=\"/statistiques/export?tableau=pages&amp;periode=mois&amp;decalage=-1\""
        ),
        "the CSV keeps the period"
    );

    let chosen = page(
        &browser,
        "periode=30j&decalage=-1&granularite=semaine&mesure=visiteurs",
        200,
    )
    .await;
    assert!(chosen.contains("<strong>30 jours</strong> : du 17/01/2026 au 15/02/2026"));
    assert!(chosen.contains("href=\"/statistiques?periode=30j&amp;decalage=-2&amp;granularite=semaine&amp;mesure=visiteurs\""));
    assert!(chosen.contains("href=\"/statistiques?periode=30j&amp;granularite=semaine&amp;mesure=visiteurs\">Période suivante"));
    assert!(chosen.contains(
        "href=\"/statistiques?periode=hier&amp;granularite=semaine&amp;mesure=visiteurs\">Hier</a>"
    ));
    assert!(chosen.contains("href=\"/statistiques?periode=30j&amp;decalage=-1&amp;granularite=jour&amp;mesure=visiteurs\""));
    assert!(chosen
        .contains("href=\"/statistiques?periode=30j&amp;decalage=-1&amp;granularite=semaine\""));
    assert!(chosen.contains("<input type=\"hidden\" name=\"mesure\" value=\"visiteurs\">"));

    let custom = page(&browser, "periode=perso&du=2026-03-01&au=2026-03-10", 200).await;
    assert!(
        custom.contains("href=\"/statistiques?periode=perso&amp;du=2026-02-19&amp;au=2026-02-28\"")
    );
    assert!(
        custom.contains("href=\"/statistiques?periode=perso&amp;du=2026-03-11&amp;au=2026-03-18\"")
    );

    for bad in [
        "periode=mois&decalage=1",
        "periode=mois&decalage=abc",
        "periode=tout&decalage=-1",
    ] {
        let page = page(&browser, bad, 422).await;
        assert!(
            page.contains("<p class=\"field-error\" role=\"alert\">"),
            "{bad}"
        );
    }
}

async fn a_change_rounding_to_zero_is_stable(backend: Backend) {
    let (app, browser) = marketing_at(backend, now()).await;
    let mut rows = Vec::new();
    for day in [9, 10] {
        rows.extend((1..=3).map(|who| (paris(2026, 3, day, 10, 0), who)));
    }
    views(&app, &rows).await;
    let page = page(&browser, "periode=perso&du=2026-03-10&au=2026-03-10", 200).await;
    for name in ["Pages vues", "Visiteurs"] {
        let card = card(&page, name);
        assert!(card.contains("<span class=\"evolution stable\"><span aria-hidden=\"true\">=</span> stable</span>"), "{card}");
    }
    assert!(!page.contains("0,0 %</span>"), "no ±0,0 %");
}

async fn the_chart_granularity_and_metric(backend: Backend) {
    let (app, browser) = marketing_at(backend, now()).await;
    views(
        &app,
        &[
            (paris(2026, 3, 16, 10, 0), 1),
            (paris(2026, 3, 17, 11, 0), 2),
        ],
    )
    .await;
    // 60 days: ISO weeks, cut at both ends.
    let weeks = page(&browser, "periode=perso&du=2026-01-15&au=2026-03-15", 200).await;
    assert!(weeks.contains(
        "<caption>Pages vues et visiteurs par semaine, du 15/01/2026 au 15/03/2026</caption>"
    ));
    assert!(weeks.contains("<td>sem. du 15/01 (incomplète)</td>"));
    assert!(weeks.contains("<td>sem. du 19/01</td>"));
    assert!(
        weeks.contains("<td>sem. du 09/03</td>"),
        "the last week, Monday to Sunday 15 March"
    );
    assert!(weeks.contains("la somme des visiteurs de chaque jour"));
    // 12 months: 13 calendar months, the first and last cut; no hours offered.
    let year = page(&browser, "periode=12m&granularite=heure", 200).await;
    assert!(year.contains("<td>03/2025 (incomplète)</td>"));
    assert!(year.contains("<td>04/2025</td>"));
    assert!(year.contains("<td>03/2026 (incomplète)</td><td>2</td><td>2</td>"));
    assert!(
        !year.contains("granularite=heure"),
        "no hours for 12 months"
    );
    // Chosen: the 7 days by hour (their stored hours), or by day.
    let hours = page(&browser, "periode=7j&granularite=heure", 200).await;
    assert!(hours.contains(
        "<caption>Pages vues et visiteurs par heure, du 11/03/2026 au 17/03/2026</caption>"
    ));
    assert!(
        hours.contains("<td>16/03 10 h</td><td>1</td><td>1</td>"),
        "{hours}"
    );
    assert!(hours.contains("<td>17/03 11 h</td><td>1</td><td>1</td>"));
    let days = page(&browser, "periode=12m&granularite=semaine", 200).await;
    assert!(days.contains("Pages vues et visiteurs par semaine"));
    // The metric drawn.
    let pages = page(&browser, "periode=7j", 200).await;
    assert!(pages.contains(
        "<title id=\"graphique-titre\">Pages vues par jour, du 11/03/2026 au 17/03/2026</title>"
    ));
    let visitors = page(&browser, "periode=7j&mesure=visiteurs", 200).await;
    assert!(visitors.contains(
        "<title id=\"graphique-titre\">Visiteurs par jour, du 11/03/2026 au 17/03/2026</title>"
    ));
    assert!(visitors.contains("<title>16/03 : 1 visiteurs</title>"));
}
