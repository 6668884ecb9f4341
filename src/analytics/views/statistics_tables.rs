//! The full table of a breakdown (`/statistiques/tableau/{clé}`), the pages
//! read now (`/statistiques/en-ce-moment`) and the CSV files of the chart's
//! figures and of the headline figures. Only counts, never a visit.

use maud::{html, Markup};

use crate::analytics::filters::Filters;
use crate::analytics::live::LiveNow;
use crate::analytics::reports::{
    change, french_number, BreakdownRow, Granularity, Headline, Period, PointValue, Report,
    SeriesPoint,
};
use crate::analytics::rollup::{date_of_day, Dimension};
use crate::analytics::tables::{Order, SortKey, TablePage, TableRequest};
use crate::analytics::views::statistics::{
    dimension_labels, live_pages, period_query, rows_csv, table_key, value_label,
};
use crate::analytics::views::statistics_filters::{filter_bar, shown_value, FilterLinks};
use crate::auth::Viewer;
use crate::http::csv_download::{Cell, CsvDownload, CsvError, Separator};
use crate::views::charts::share_bar;
use crate::views::components::pagination;
use crate::views::layout::space_layout;
use crate::views::space::Space;
use crate::views::Page;

use crate::analytics::views::figures::{percent, HeadlineFigure};

/// What the full table page shows.
pub struct FullTable<'a> {
    pub dimension: Dimension,
    pub period: &'a Period,
    pub period_error: Option<&'a str>,
    pub request: &'a TableRequest,
    pub page: &'a TablePage,
    /// The dashboard's filters: the table counts only the visits they keep.
    pub filters: &'a Filters,
    /// The minimum group, when the view has fewer visitors: no table.
    pub too_few: Option<i64>,
}

impl FullTable<'_> {
    /// The period's and the filters' parameters.
    fn view_query(&self) -> String {
        format!("{}{}", period_query(self.period), self.filters.query())
    }

    /// This table's address with its period, search and sort (`None`:
    /// the current ones), for links.
    fn link(&self, sort: Option<(SortKey, Order)>, suffix: &str) -> String {
        let (sort, order) = sort.unwrap_or((self.request.sort, self.request.order));
        let mut link = format!(
            "/statistiques/tableau/{}{suffix}?{}&tri={}&ordre={}",
            table_key(self.dimension),
            self.view_query(),
            sort.key(),
            order.key()
        );
        if !self.request.search.is_empty() {
            let q: String =
                form_urlencoded::byte_serialize(self.request.search.as_bytes()).collect();
            link.push_str(&format!("&q={q}"));
        }
        link
    }
}

pub fn full_table_page(viewer: &Viewer, t: &FullTable) -> Markup {
    let (title, _) = dimension_labels(t.dimension);
    let path = format!("/statistiques/tableau/{}", table_key(t.dimension));
    let heading = format!("{title}, {}", t.period.in_french());
    let page = Page {
        title: &heading,
        description: "Tableau complet des statistiques agrégées de fréquentation.",
        path: &path,
    };
    let csv = t.link(None, "/export");
    let lines = french_number(t.page.total as i64);
    html_page(
        viewer,
        &page,
        html! {
            p { a href={ "/statistiques?" (t.view_query()) } { "← Retour aux statistiques" } }
            h1 { (title) }
            (filter_bar(&period_query(t.period), t.filters, shown_value))
            p.lead { (t.period.in_french()) " · " (lines) " ligne" @if t.page.total > 1 { "s" } }
            @if let Some(error) = t.period_error { p.field-error role="alert" { (error) } }
            (search_form(t, &path))
            @if let Some(min_group) = t.too_few {
                p.data-note role="status" {
                    "Moins de " (min_group) " visiteurs correspondent à cette période"
                    @if !t.filters.is_empty() { " et à ces filtres" }
                    " : aucun tableau n'est affiché, pour que personne ne puisse y être reconnu."
                }
            } @else if t.page.rows.is_empty() {
                p { @if t.request.search.is_empty() { "Aucune visite sur cette période." }
                    @else { "Aucune ligne ne contient « " (t.request.search) " »." } }
            } @else {
                (sortable_table(t, &heading))
            }
            (pagination(t.page.page, t.page.pages, |n| format!("{}&page={n}", t.link(None, ""))))
            p.export {
                "Télécharger " @if t.request.search.is_empty() { "ce tableau" } @else { "ces lignes" } " (CSV) : "
                a href=(csv) { "séparateur point-virgule (Excel en français)" }
                " · "
                a href={ (csv) "&separateur=virgule" } { "séparateur virgule" }
            }
        },
    )
}

fn html_page(viewer: &Viewer, page: &Page, content: Markup) -> Markup {
    space_layout(
        page,
        Space::of_role(viewer.role),
        html! { section.section { div.wrap { (content) } } },
    )
}

fn search_form(t: &FullTable, path: &str) -> Markup {
    html! {
        form.search method="get" action=(path) role="search" {
            @for (name, value) in form_urlencoded::parse(t.view_query().as_bytes()) {
                input type="hidden" name=(name) value=(value);
            }
            input type="hidden" name="tri" value=(t.request.sort.key());
            input type="hidden" name="ordre" value=(t.request.order.key());
            div.field.inline {
                label for="q" { "Rechercher un nom" }
                input #q type="search" name="q" value=(t.request.search) maxlength="200";
            }
            button.button.small type="submit" { "Rechercher" }
        }
    }
}

/// The table, its column headers being links that sort by them.
fn sortable_table(t: &FullTable, caption: &str) -> Markup {
    let (_, column) = dimension_labels(t.dimension);
    let headers = [
        (column, Some(SortKey::Name)),
        ("Pages vues", Some(SortKey::Views)),
        ("Part", None),
        ("Visiteurs", Some(SortKey::Visitors)),
    ];
    let header = |name: &str, key: Option<SortKey>| -> Markup {
        let Some(key) = key else {
            return html! { th scope="col" role="columnheader" { (name) } };
        };
        let current = key == t.request.sort;
        let next = if current {
            t.request.order.reversed()
        } else {
            key.natural_order()
        };
        html! {
            th scope="col" role="columnheader" aria-sort=[current.then(|| t.request.order.aria())] {
                a href=(t.link(Some((key, next)), "")) { (name)
                    @if current { span aria-hidden="true" { @if t.request.order == Order::Ascending { " ↑" } @else { " ↓" } } }
                }
            }
        }
    };
    // Each line filters the dashboard on its value, as the dashboard's do.
    let links = FilterLinks {
        period_query: period_query(t.period),
        period_in_french: t.period.in_french(),
        filters: t.filters,
    };
    html! {
        div.table-scroll tabindex="0" role="region" aria-label=(caption) {
            table {
                caption { (caption) }
                thead { tr role="row" { @for (name, key) in headers { (header(name, key)) } } }
                tbody {
                    @for row in &t.page.rows {
                        tr role="row" {
                            td role="cell" data-label=(column) { (links.cell(t.dimension, &row.value, &value_label(t.dimension, &row.value))) }
                            td role="cell" data-label="Pages vues" { (french_number(row.views)) }
                            td role="cell" data-label="Part" { (share_bar(row.share)) " " (percent(row.share)) }
                            td role="cell" data-label="Visiteurs" { (french_number(row.visitors)) }
                        }
                    }
                }
            }
        }
    }
}

/// The searched lines of a full table as CSV, the same columns as the
/// dashboard's CSV.
pub fn full_table_csv(
    dimension: Dimension,
    period: &Period,
    rows: &[BreakdownRow],
    separator: Separator,
) -> Result<CsvDownload, CsvError> {
    rows_csv(dimension, period, "-complet", rows, separator)
}

/// `/statistiques/en-ce-moment`.
pub fn live_page(viewer: &Viewer, live: &LiveNow, min_group: i64) -> Markup {
    let page = Page {
        title: "En ce moment",
        description: "Les pages lues ces 30 dernières minutes.",
        path: "/statistiques/en-ce-moment",
    };
    html_page(
        viewer,
        &page,
        html! {
            p { a href="/statistiques" { "← Retour aux statistiques" } }
            h1 { "En ce moment" }
            p.now {
                "Visiteurs ces 30 dernières minutes : "
                strong {
                    @if live.visitors < min_group && live.visitors > 0 { "moins de " (min_group) }
                    @else { (french_number(live.visitors)) }
                }
            }
            @if live.visitors == 0 { p { "Personne ne lit le site en ce moment." } }
            @else if live.visitors < min_group {
                p { "Trop peu de visiteurs pour détailler les pages sans désigner quelqu'un." }
            }
            (live_pages(&live.pages, live.visitors, min_group))
            p { a.button href="/statistiques/en-ce-moment" { "Actualiser" } }
            p.data-note { "Les pages lues par moins de " (min_group) " visiteurs sont regroupées dans « Autres »." }
        },
    )
}

/// `?tableau=serie` and `?tableau=chiffres` of the export; `None` for any
/// other table.
pub fn series_csv(
    report: &Report,
    table: &str,
    separator: Separator,
) -> Option<Result<CsvDownload, CsvError>> {
    match table {
        "serie" => Some(daily_series_csv(report, separator)),
        "chiffres" => Some(headline_csv(report, separator)),
        _ => None,
    }
}

fn filename(report: &Report, what: &str) -> String {
    format!(
        "statistiques-{what}-{}-{}.csv",
        report.period.first_date().format("%Y-%m-%d"),
        report.period.last_date().format("%Y-%m-%d")
    )
}

/// One line per point of the chart (day, hour, week or month, dated the
/// ISO way): a hidden figure (fewer visitors than the minimum group) is an
/// empty cell, a point without visits is 0, a point still to come is left
/// out.
fn daily_series_csv(report: &Report, separator: Separator) -> Result<CsvDownload, CsvError> {
    let header = [report.granularity.column(), "Pages vues", "Visiteurs"];
    let mut csv = CsvDownload::new(filename(report, "serie"), separator, &header)?;
    for point in &report.series {
        let (views, visitors) = match &point.value {
            PointValue::Shown(c) => (Cell::Count(c.views), Cell::Count(c.visitors)),
            PointValue::Hidden => (Cell::Text(String::new()), Cell::Text(String::new())),
            PointValue::Future => continue,
        };
        csv.row([
            Cell::Text(iso_label(report.granularity, point)),
            views,
            visitors,
        ])?;
    }
    Ok(csv)
}

/// « 2026-02-26 », « 2026-02-26 14 h », « 2026-02 » (a week is named by its
/// first day in the period).
fn iso_label(granularity: Granularity, point: &SeriesPoint) -> String {
    let first = date_of_day(point.bucket.first);
    match (granularity, point.bucket.hour) {
        (Granularity::Month, _) => first.format("%Y-%m").to_string(),
        (_, Some(hour)) => format!("{} {hour} h", first.format("%Y-%m-%d")),
        _ => first.format("%Y-%m-%d").to_string(),
    }
}

/// One line per headline figure: the period, the previous one, the change
/// in percent. A hidden figure is an empty cell.
fn headline_csv(report: &Report, separator: Separator) -> Result<CsvDownload, CsvError> {
    let header = [
        "Indicateur",
        "Période",
        "Période précédente",
        "Évolution (%)",
    ];
    let mut csv = CsvDownload::new(filename(report, "chiffres"), separator, &header)?;
    // Nothing to compare with (« tout »): empty cells, as for a hidden one.
    let before = report.previous.unwrap_or(Headline {
        hidden: true,
        ..Headline::default()
    });
    let (now, before) = (&report.headline, &before);
    let empty = || Cell::Text(String::new());
    for figure in HeadlineFigure::ALL {
        let evolution = match change(figure.value(before), figure.value(now)) {
            Some(rate) if !now.hidden && !before.hidden => Cell::Decimal {
                value: rate * 100.0,
                places: 1,
            },
            _ => empty(),
        };
        csv.row([
            Cell::from(figure.csv_name()),
            if now.hidden {
                empty()
            } else {
                figure.cell(now)
            },
            if before.hidden {
                empty()
            } else {
                figure.cell(before)
            },
            evolution,
        ])?;
    }
    Ok(csv)
}
