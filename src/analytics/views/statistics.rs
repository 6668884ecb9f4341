//! `/statistiques`: aggregated audience figures for marketing and staff.
//! Only counts appear here: never an IP address, never a single visit.

use crate::views::layout::space_layout;
use crate::views::space::Space;
use maud::{html, Markup};

use crate::analytics::reports::{
    french_number, BreakdownRow, Granularity, Headline, Period, PointValue, Report,
};
use crate::analytics::rollup::{date_of_day, Dimension};
use crate::analytics::views::figures::{device_name, percent, HeadlineFigure};
use crate::analytics::views::statistics_filters::{filter_bar, shown_value, FilterLinks};
use crate::analytics::views::statistics_period::{
    capitalised, change_badge, chart_choice, comparison_text, period_picker, Choice,
};
use crate::analytics::views::statistics_visits::visit_sections;
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
        Dimension::BrowserVersion => ("Versions des navigateurs", "Version"),
        Dimension::OsVersion => ("Versions des systèmes", "Version"),
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
        Dimension::BrowserVersion => "versions-navigateurs",
        Dimension::OsVersion => "versions-systemes",
        _ => "site",
    }
}

pub fn dimension_of_table(key: &str) -> Option<Dimension> {
    Dimension::BREAKDOWNS
        .into_iter()
        .chain(Dimension::VERSIONS)
        .find(|d| table_key(*d) == key)
}

/// A value as people read it (device types are stored as keys).
pub fn value_label(dimension: Dimension, value: &str) -> String {
    if dimension != Dimension::Device {
        return value.to_owned();
    }
    device_name(value).to_owned()
}

/// The query string that selects a period, for links.
pub fn period_query(period: &Period) -> String {
    period.query()
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

fn headline_cards(now: &Headline, before: Option<&Headline>, min_group: i64) -> Markup {
    let hidden = format!("moins de {min_group}");
    html! {
        ul.cards.figures {
            @for figure in HeadlineFigure::ALL {
                @let after = figure.value(now);
                li.card {
                    h2 { (figure.name()) }
                    p.figure { @if now.hidden { (hidden) } @else { (figure.text(now)) } }
                    p.previous {
                        @match before {
                            Some(before) => {
                                @let why_not = (now.hidden || before.hidden)
                                    .then_some("moins de visiteurs que le seuil d'affichage");
                                "Période précédente : "
                                @if before.hidden { (hidden) } @else { (figure.text(before)) }
                                " · " (change_badge(figure.value(before), after, why_not))
                            }
                            None => { "Période précédente : " (change_badge(0.0, after, Some("rien avant le début des statistiques"))) }
                        }
                    }
                }
            }
        }
    }
}

pub struct StatisticsPage<'a> {
    pub report: &'a Report,
    pub visitors_now: i64,
    /// The pages read in the last 30 minutes.
    pub live_pages: &'a [BreakdownRow],
    pub min_group: i64,
    pub period_error: Option<&'a str>,
    /// The reports-by-e-mail section, at the bottom.
    pub mail_reports: Markup,
    pub choice: Choice,
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
    let links = FilterLinks {
        period_query: period_query(period),
        period_in_french: period.in_french(),
        filters: &report.filters,
    };
    space_layout(
        &page,
        Space::of_role(viewer.role),
        html! {
            section.section { div.wrap {
                h1 { "Statistiques de fréquentation" }
                (period_picker(period, &p.choice, p.period_error))
                (filter_bar(&links.period_query, &report.filters, shown_value))
                (introduction(report, p.min_group))
                (visitors_now(p.visitors_now, p.min_group))
                (live_pages(p.live_pages, p.visitors_now, p.min_group))
                (headline_cards(&report.headline, report.previous.as_ref(), p.min_group))
                (series(report, &p.choice, p.min_group))
                @if report.headline.hidden {
                    p.data-note role="status" {
                        "Moins de " (p.min_group) " visiteurs correspondent à cette période"
                        @if !report.filters.is_empty() { " et à ces filtres" }
                        " : aucun tableau n'est affiché, pour que personne ne puisse y être reconnu."
                    }
                } @else {
                    @for (dimension, rows) in &report.breakdowns {
                        (breakdown(*dimension, rows, &links, below_breakdown(report, *dimension, &links)))
                    }
                    (visit_sections(&report.visits, period, &links, p.min_group))
                }
                (p.mail_reports)
            } }
        },
    )
}

fn introduction(report: &Report, min_group: i64) -> Markup {
    html! {
        (comparison_text(report))
        @if let Some(since) = report.filtered_since {
            p.data-note {
                "Avec des filtres, les chiffres ne portent que sur les journées comptées filtre par filtre "
                "ou dont le détail des visites est encore conservé : ils commencent le "
                (date_of_day(since).format("%d/%m/%Y")) "."
            }
        }
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

/// The chart of the period by its granularity, the chosen metric drawn,
/// and its figures as a table.
fn series(report: &Report, choice: &Choice, min_group: i64) -> Markup {
    let period = &report.period;
    let metric = choice.metric;
    let bars: Vec<Bar> = report
        .series
        .iter()
        .map(|point| Bar {
            label: &point.label,
            primary: match &point.value {
                PointValue::Shown(c) => Some(metric.of(c)),
                _ => None,
            },
            secondary: None,
            future: point.value == PointValue::Future,
        })
        .collect();
    let unit = report.granularity.unit();
    let chart_title = format!(
        "{} {unit}, {}",
        capitalised(metric.name()),
        period.in_french()
    );
    let table_title = format!("Pages vues et visiteurs {unit}, {}", period.in_french());
    let hidden = format!("moins de {min_group}");
    let cell = |value: &PointValue, views: bool| match value {
        PointValue::Shown(c) => french_number(if views { c.views } else { c.visitors }),
        PointValue::Hidden => hidden.clone(),
        PointValue::Future => "à venir".to_owned(),
    };
    let description = chart_description(report, metric.name(), min_group);
    html! {
        h2 { "Évolution " (unit) }
        (chart_choice(report, choice))
        (bar_chart(&chart_title, &description, metric.name(), "", &bars))
        details {
            summary { "Voir les chiffres " (unit) }
            (series_exports(&format!("{}{}", period_query(period), choice.filters.query()), unit))
            (table(
                &table_title,
                &[report.granularity.column(), "Pages vues", "Visiteurs"],
                &report.series.iter().map(|point| vec![
                    html! { (point.label) @if point.partial { " (incomplète)" } },
                    html! { (cell(&point.value, true)) },
                    html! { (cell(&point.value, false)) },
                ]).collect::<Vec<_>>(),
            ))
        }
    }
}

fn chart_description(report: &Report, metric: &str, min_group: i64) -> String {
    let headline = &report.headline;
    let totals = if headline.hidden {
        format!("moins de {min_group} visiteurs en tout")
    } else {
        format!(
            "{} pages vues, {} visiteurs",
            french_number(headline.views),
            french_number(headline.visitors)
        )
    };
    let mut text = format!("Barres : {metric}. Total : {totals}.");
    if min_group > 1 {
        text.push_str(&format!(
            " Les valeurs de moins de {min_group} visiteurs ne sont pas affichées."
        ));
    }
    if matches!(report.granularity, Granularity::Week | Granularity::Month) {
        text.push_str(
            " Les visiteurs d'une semaine ou d'un mois sont la somme des visiteurs de chaque jour.",
        );
    }
    if report.series.iter().any(|p| p.value == PointValue::Future) {
        text.push_str(" Les moments à venir n'ont pas de barre.");
    }
    text
}

/// One breakdown table, with its CSV links (`query` selects the period).
fn breakdown(
    dimension: Dimension,
    rows: &[BreakdownRow],
    links: &FilterLinks,
    below: Markup,
) -> Markup {
    let (title, column) = dimension_labels(dimension);
    let query = links.view_query();
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
                    &format!("{title}, {}", links.period_in_french),
                    &headers[..if campaigns { 6 } else { 4 }],
                    &rows.iter().map(|row| {
                        let mut cells = vec![
                            links.cell(dimension, &row.value, &value_label(dimension, &row.value)),
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
            (below)
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
    rows_csv(dimension, &report.period, "", rows, separator)
}

/// Rows of a breakdown as CSV, its file named after the table, `kind`
/// (« -complet » for a full table) and the period.
pub fn rows_csv(
    dimension: Dimension,
    period: &Period,
    kind: &str,
    rows: &[BreakdownRow],
    separator: Separator,
) -> Result<CsvDownload, CsvError> {
    let (_, column) = dimension_labels(dimension);
    let filename = format!(
        "statistiques-{}{kind}-{}-{}.csv",
        table_key(dimension),
        period.first_date().format("%Y-%m-%d"),
        period.last_date().format("%Y-%m-%d")
    );
    let header = [column, "Pages vues", "Part des pages vues (%)", "Visiteurs"];
    let mut csv = CsvDownload::new(filename, separator, &header)?;
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

/// The CSV links of the chart's figures and of the headline figures.
fn series_exports(query: &str, unit: &str) -> Markup {
    html! {
        p.export {
            "Télécharger (CSV, séparateur point-virgule) : "
            a href={ "/statistiques/export?tableau=serie&" (query) } { "les chiffres " (unit) }
            " · "
            a href={ "/statistiques/export?tableau=chiffres&" (query) } { "les chiffres clés" }
        }
    }
}

/// The pages read in the last 30 minutes, as numbers of visitors; a figure
/// below the minimum group reads « moins de … ».
pub fn live_pages(pages: &[BreakdownRow], visitors: i64, min_group: i64) -> Markup {
    // A total below the minimum group is hidden: its pages would tell it.
    let hidden = visitors < min_group;
    html! {
        @if !pages.is_empty() && !hidden {
            (table(
                "Pages lues ces 30 dernières minutes",
                &["Page", "Visiteurs"],
                &pages.iter().map(|row| vec![
                    html! { (row.value) },
                    html! {
                        @if row.visitors < min_group { "moins de " (min_group) }
                        @else { (french_number(row.visitors)) }
                    },
                ]).collect::<Vec<_>>(),
            ))
        }
        p { a href="/statistiques/en-ce-moment" { "Voir les pages lues en ce moment" } }
    }
}

/// Under a breakdown table: the versions of each browser or OS, and the
/// link to the full table.
fn below_breakdown(report: &Report, dimension: Dimension, links: &FilterLinks) -> Markup {
    let query = links.view_query();
    let lines = |d: Dimension| {
        report
            .table_lines
            .iter()
            .find(|(t, _)| *t == d)
            .map_or(0, |(_, n)| *n)
    };
    let versions = Dimension::VERSIONS
        .into_iter()
        .find(|v| v.family() == Some(dimension));
    let period = report.period.in_french();
    html! {
        @if let Some(versions) = versions {
            @for family in report.versions.iter().filter(|f| f.dimension == dimension) {
                details.versions {
                    summary { "Versions de " (family.family) }
                    (table(
                        &format!("Versions de {}, {period}", family.family),
                        &["Version", "Pages vues", "Part", "Visiteurs"],
                        &family.rows.iter().map(|row| vec![
                            links.cell(versions, &row.value, &row.value),
                            html! { (french_number(row.views)) },
                            html! { (share_bar(row.share)) " " (percent(row.share)) },
                            html! { (french_number(row.visitors)) },
                        ]).collect::<Vec<_>>(),
                    ))
                }
            }
            @if lines(versions) > 0 {
                p { a href={ "/statistiques/tableau/" (table_key(versions)) "?" (query) } {
                    "Voir toutes les versions (" (french_number(lines(versions) as i64)) ")"
                } }
            }
        }
        @if lines(dimension) > 0 {
            @let more = format!("Voir les {} lignes", french_number(lines(dimension) as i64));
            p.more { a href={ "/statistiques/tableau/" (table_key(dimension)) "?" (query) }
                aria-label={ (more) " du tableau « " (dimension_labels(dimension).0) " »" } { (more) } }
        }
    }
}
