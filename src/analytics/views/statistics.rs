//! `/statistiques`: aggregated audience figures for marketing and staff.
//! Only counts appear here: never an IP address, never a single visit.

use crate::views::layout::space_layout;
use crate::views::space::Space;
use maud::{html, Markup};

use crate::analytics::reports::{
    change, french_number, BreakdownRow, Headline, Period, PeriodKind, Report,
};
use crate::analytics::rollup::Dimension;
use crate::analytics::views::statistics_visits::{duration, visit_sections};
use crate::auth::Viewer;
use crate::http::csv_download::{Cell, CsvDownload, CsvError, Separator};
use crate::views::charts::{bar_chart, share_bar, Bar};
use crate::views::components::table;
use crate::views::layout::POLICY_PATH;
use crate::views::Page;

/// The title of a breakdown table and the name of its first column.
pub fn dimension_labels(dimension: Dimension) -> (&'static str, &'static str) {
    match dimension {
        Dimension::Page => ("Pages les plus vues", "Page"),
        Dimension::Campaign => ("Campagnes", "Source / support / campagne"),
        Dimension::Browser => ("Navigateurs", "Navigateur"),
        Dimension::Os => ("Systèmes d'exploitation", "Système"),
        Dimension::Device => ("Types d'appareils", "Appareil"),
        Dimension::Manufacturer => ("Fabricants des mobiles", "Fabricant"),
        _ => ("Ensemble du site", "—"),
    }
}

/// The URL key of a breakdown table (`?tableau=`).
pub fn table_key(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Page => "pages",
        Dimension::Campaign => "campagnes",
        Dimension::Browser => "navigateurs",
        Dimension::Os => "systemes",
        Dimension::Device => "appareils",
        Dimension::Manufacturer => "fabricants",
        _ => "site",
    }
}

pub fn dimension_of_table(key: &str) -> Option<Dimension> {
    Dimension::BREAKDOWNS
        .into_iter()
        .find(|d| table_key(*d) == key)
}

/// A value as people read it (device types are stored as keys).
pub fn value_label(dimension: Dimension, value: &str) -> String {
    if dimension != Dimension::Device {
        return value.to_owned();
    }
    match value {
        "pc" => "Ordinateur",
        "smartphone" => "Smartphone",
        "tablet" => "Tablette",
        "mobilephone" => "Téléphone mobile",
        "other" => "Autre",
        other => other,
    }
    .to_owned()
}

/// The query string that selects a period, for links.
pub fn period_query(period: &Period) -> String {
    match period.kind {
        PeriodKind::Custom => format!(
            "periode=perso&du={}&au={}",
            period.first_date().format("%Y-%m-%d"),
            period.last_date().format("%Y-%m-%d")
        ),
        kind => format!("periode={}", kind.key()),
    }
}

fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0).replace('.', ",")
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

fn decimal(value: f64) -> String {
    format!("{value:.2}").replace('.', ",")
}

fn evolution(before: f64, after: f64) -> Markup {
    match change(before, after) {
        Some(rate) => {
            let sign = if rate > 0.0 { "+" } else { "" };
            html! { span.evolution { (sign) (format!("{:.1}", rate * 100.0).replace('.', ",")) " %" } }
        }
        None => html! { span.evolution { "—" } },
    }
}

fn headline_cards(now: &Headline, before: &Headline, min_group: i64) -> Markup {
    let hidden = format!("moins de {min_group}");
    // (name, figure, its value for the change, as text for a shown headline)
    let figure = |h: &Headline, which: usize| -> (String, f64) {
        match which {
            0 => (french_number(h.views), h.views as f64),
            1 => (french_number(h.visitors), h.visitors as f64),
            2 => (french_number(h.visits), h.visits as f64),
            3 => (decimal(h.pages_per_visit), h.pages_per_visit),
            4 => (percent(h.bounce_rate), h.bounce_rate),
            5 => (duration(h.average_duration_s), h.average_duration_s),
            _ => (percent(h.mobile_share), h.mobile_share),
        }
    };
    let names = [
        "Pages vues",
        "Visiteurs",
        "Visites",
        "Pages par visite",
        "Taux de rebond",
        "Durée moyenne d'une visite",
        "Part des mobiles",
    ];
    html! {
        ul.cards.figures {
            @for (which, name) in names.iter().enumerate() {
                @let (value, after) = figure(now, which);
                @let (previous, before_value) = figure(before, which);
                li.card {
                    h2 { (name) }
                    p.figure { @if now.hidden { (hidden) } @else { (value) } }
                    p.previous {
                        "Période précédente : "
                        @if before.hidden { (hidden) } @else { (previous) }
                        " · "
                        @if now.hidden || before.hidden { span.evolution { "—" } }
                        @else { (evolution(before_value, after)) }
                    }
                }
            }
        }
    }
}

fn period_picker(period: &Period, error: Option<&str>) -> Markup {
    let from = period.first_date().format("%Y-%m-%d").to_string();
    let to = period.last_date().format("%Y-%m-%d").to_string();
    html! {
        nav.period-picker aria-label="Période" {
            ul {
                @for kind in PeriodKind::PRESETS {
                    li {
                        a href={ "/statistiques?periode=" (kind.key()) }
                          aria-current=[(period.kind == kind).then_some("page")] { (kind.label()) }
                    }
                }
            }
            form method="get" action="/statistiques" {
                input type="hidden" name="periode" value="perso";
                div.field.inline {
                    label for="du" { "Du" }
                    input #du type="date" name="du" value=(from) required;
                }
                div.field.inline {
                    label for="au" { "au" }
                    input #au type="date" name="au" value=(to) required;
                }
                button.button.small type="submit" { "Afficher" }
            }
            @if let Some(error) = error { p.field-error role="alert" { (error) } }
        }
    }
}

pub struct StatisticsPage<'a> {
    pub report: &'a Report,
    pub visitors_now: i64,
    pub min_group: i64,
    pub period_error: Option<&'a str>,
}

pub fn statistics_page(viewer: &Viewer, p: &StatisticsPage) -> Markup {
    let title = format!(
        "Statistiques de fréquentation {}",
        p.report.period.in_french()
    );
    let page = Page {
        title: &title,
        description: "Statistiques agrégées de fréquentation du site WeMaintain.",
        path: "/statistiques",
    };
    let report = p.report;
    let period = &report.period;
    let query = period_query(period);
    space_layout(
        &page,
        Space::of_role(viewer.role),
        html! {
            section.section { div.wrap {
                h1 { "Statistiques de fréquentation" }
                (period_picker(period, p.period_error))
                (introduction(period, p.min_group))
                (visitors_now(p.visitors_now, p.min_group))
                (headline_cards(&report.headline, &report.previous, p.min_group))
                (series(report, p.min_group))
                @for (dimension, rows) in &report.breakdowns {
                    (breakdown(*dimension, rows, period, &query))
                }
                (visit_sections(&report.visits, period, p.min_group))
            } }
        },
    )
}

fn introduction(period: &Period, min_group: i64) -> Markup {
    html! {
        p.lead { strong { (period.kind.label()) } " : " (period.in_french()) ", comparé à la période précédente de même durée (" (period.previous().in_french()) ")." }
        p.data-note {
            "Ces chiffres ne comptent que les visiteurs qui ne se sont pas opposés à la mesure d'audience ; "
            "les robots d'indexation et les visiteurs dont le navigateur refuse le suivi n'y figurent pas ("
            a href={ (POLICY_PATH) "#donnees" } { "politique de confidentialité" } "). "
            "Un visiteur est compté une fois par jour ; les lignes de moins de " (min_group)
            " visiteurs sont regroupées dans « Autres »."
        }
    }
}

fn visitors_now(visitors: i64, min_group: i64) -> Markup {
    html! {
        p.now {
            "En ce moment (30 dernières minutes) : "
            strong {
                @if visitors < min_group && visitors > 0 { "moins de " (min_group) " visiteurs" }
                @else { (french_number(visitors)) " visiteur" @if visitors > 1 { "s" } }
            }
        }
    }
}

/// The chart of the period, per hour or per day, and its figures as a table.
fn series(report: &Report, min_group: i64) -> Markup {
    let period = &report.period;
    let bars: Vec<Bar> = report
        .series
        .iter()
        .map(|point| Bar {
            label: &point.label,
            primary: point.views,
            secondary: point.visitors,
        })
        .collect();
    let today = period.kind == PeriodKind::Today;
    let unit = if today { "par heure" } else { "par jour" };
    let chart_title = format!("Pages vues et visiteurs {unit}, {}", period.in_french());
    let hidden = format!("moins de {min_group}");
    let shown = |figure: Option<i64>| figure.map(french_number).unwrap_or_else(|| hidden.clone());
    html! {
        h2 { "Évolution " (unit) }
        (bar_chart(&chart_title, &chart_description(&report.headline, min_group), "pages vues", "visiteurs", &bars))
        details {
            summary { "Voir les chiffres " (unit) }
            (table(
                &chart_title,
                &[if today { "Heure" } else { "Jour" }, "Pages vues", "Visiteurs"],
                &report.series.iter().map(|point| vec![
                    html! { (point.label) },
                    html! { (shown(point.views)) },
                    html! { (shown(point.visitors)) },
                ]).collect::<Vec<_>>(),
            ))
        }
    }
}

fn chart_description(headline: &Headline, min_group: i64) -> String {
    let totals = if headline.hidden {
        format!("moins de {min_group} visiteurs en tout")
    } else {
        format!(
            "{} pages vues, {} visiteurs",
            french_number(headline.views),
            french_number(headline.visitors)
        )
    };
    if min_group > 1 {
        format!(
            "Barres : pages vues ; ligne : visiteurs. Total : {totals}. Les valeurs de moins de {min_group} visiteurs ne sont pas affichées."
        )
    } else {
        format!("Barres : pages vues ; ligne : visiteurs. Total : {totals}.")
    }
}

/// One breakdown table, with its CSV links (`query` selects the period).
fn breakdown(dimension: Dimension, rows: &[BreakdownRow], period: &Period, query: &str) -> Markup {
    let (title, column) = dimension_labels(dimension);
    let campaigns = dimension == Dimension::Campaign;
    let headers = [
        column,
        "Pages vues",
        "Part",
        "Visiteurs",
        "Visites",
        "Taux de rebond",
    ];
    let export = format!(
        "/statistiques/export?tableau={}&{query}",
        table_key(dimension)
    );
    html! {
        section.breakdown {
            h2 { (title) }
            @if rows.is_empty() {
                p { "Aucune visite sur cette période." }
            } @else {
                (table(
                    &format!("{title}, {}", period.in_french()),
                    &headers[..if campaigns { 6 } else { 4 }],
                    &rows.iter().map(|row| {
                        let mut cells = vec![
                            html! { (value_label(dimension, &row.value)) },
                            html! { (french_number(row.views)) },
                            html! { (share_bar(row.share)) " " (percent(row.share)) },
                            html! { (french_number(row.visitors)) },
                        ];
                        if campaigns {
                            // A campaign's visits are those that entered through it.
                            cells.push(html! { (french_number(row.visits)) });
                            cells.push(html! { (percent(ratio(row.bounces, row.visits))) });
                        }
                        cells
                    }).collect::<Vec<_>>(),
                ))
            }
            p.export {
                "Télécharger ce tableau (CSV) : "
                a href=(export) { "séparateur point-virgule (Excel en français)" }
                " · "
                a href={ (export) "&separateur=virgule" } { "séparateur virgule" }
            }
        }
    }
}

/// One breakdown table of the report as CSV: French headers, the same
/// suppression as the page.
pub fn table_csv(
    report: &Report,
    dimension: Dimension,
    separator: Separator,
) -> Result<CsvDownload, CsvError> {
    let rows = report
        .breakdowns
        .iter()
        .find(|(d, _)| *d == dimension)
        .map(|(_, rows)| rows.as_slice())
        .unwrap_or_default();
    let (_, column) = dimension_labels(dimension);
    let filename = format!(
        "statistiques-{}-{}-{}.csv",
        table_key(dimension),
        report.period.first_date().format("%Y-%m-%d"),
        report.period.last_date().format("%Y-%m-%d")
    );
    let mut csv = CsvDownload::new(
        filename,
        separator,
        &[column, "Pages vues", "Part des pages vues (%)", "Visiteurs"],
    )?;
    for row in rows {
        csv.row([
            Cell::Text(value_label(dimension, &row.value)),
            Cell::Count(row.views),
            Cell::Decimal {
                value: row.share * 100.0,
                places: 1,
            },
            Cell::Count(row.visitors),
        ])?;
    }
    Ok(csv)
}
