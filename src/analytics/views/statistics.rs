//! `/statistiques`: aggregated audience figures for marketing and staff.
//! Only counts appear here: never an IP address, never a single visit.

use maud::{html, Markup};

use crate::accounts::views::account::account_bar;
use crate::analytics::reports::{change, french_number, Headline, Period, PeriodKind, Report};
use crate::analytics::rollup::Dimension;
use crate::auth::{CsrfToken, Viewer};
use crate::views::charts::{bar_chart, share_bar, Bar};
use crate::views::components::table;
use crate::views::layout::POLICY_PATH;
use crate::views::{layout, Page};

/// The title of a breakdown table and the name of its first column.
pub fn dimension_labels(dimension: Dimension) -> (&'static str, &'static str) {
    match dimension {
        Dimension::Page => ("Pages les plus vues", "Page"),
        Dimension::Campaign => ("Campagnes", "Source / support / campagne"),
        Dimension::Browser => ("Navigateurs", "Navigateur"),
        Dimension::Os => ("Systèmes d'exploitation", "Système"),
        Dimension::Device => ("Types d'appareils", "Appareil"),
        Dimension::Manufacturer => ("Fabricants des mobiles", "Fabricant"),
        Dimension::Total | Dimension::Hour => ("Ensemble du site", "—"),
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
        Dimension::Total | Dimension::Hour => "site",
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
            2 => (decimal(h.pages_per_visit), h.pages_per_visit),
            _ => (percent(h.mobile_share), h.mobile_share),
        }
    };
    let names = [
        "Pages vues",
        "Visiteurs",
        "Pages par visite",
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

fn period_picker(period: &Period, error: Option<&str>, from: &str, to: &str) -> Markup {
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
    pub custom_from: &'a str,
    pub custom_to: &'a str,
}

pub fn statistics_page(viewer: &Viewer, token: &CsrfToken, p: &StatisticsPage) -> Markup {
    let page = Page {
        title: "Statistiques de fréquentation",
        description: "Statistiques agrégées de fréquentation du site WeMaintain.",
        path: "/statistiques",
    };
    let report = p.report;
    let period = &report.period;
    let query = period_query(period);
    let bars: Vec<Bar> = report
        .series
        .iter()
        .map(|point| Bar {
            label: &point.label,
            primary: point.views,
            secondary: point.visitors,
        })
        .collect();
    let unit = if period.kind == PeriodKind::Today {
        "par heure"
    } else {
        "par jour"
    };
    let chart_title = format!("Pages vues et visiteurs {unit}, {}", period.in_french());
    let totals = if report.headline.hidden {
        format!("moins de {} visiteurs en tout", p.min_group)
    } else {
        format!(
            "{} pages vues, {} visiteurs",
            french_number(report.headline.views),
            french_number(report.headline.visitors)
        )
    };
    let chart_description = if p.min_group > 1 {
        format!(
            "Barres : pages vues ; ligne : visiteurs. Total : {totals}. Les valeurs de moins de {} visiteurs ne sont pas affichées.",
            p.min_group
        )
    } else {
        format!("Barres : pages vues ; ligne : visiteurs. Total : {totals}.")
    };
    let hidden = format!("moins de {}", p.min_group);
    layout(
        &page,
        html! {
            section.section { div.wrap {
                (account_bar(viewer, token))
                h1 { "Statistiques de fréquentation" }
                (period_picker(period, p.period_error, p.custom_from, p.custom_to))
                p.lead { strong { (period.kind.label()) } " : " (period.in_french()) ", comparé à la période précédente de même durée (" (period.previous().in_french()) ")." }
                p.data-note {
                    "Ces chiffres ne comptent que les visiteurs qui ne se sont pas opposés à la mesure d'audience ; "
                    "les robots d'indexation et les visiteurs dont le navigateur refuse le suivi n'y figurent pas ("
                    a href={ (POLICY_PATH) "#donnees" } { "politique de confidentialité" } "). "
                    "Un visiteur est compté une fois par jour ; les lignes de moins de " (p.min_group)
                    " visiteurs sont regroupées dans « Autres »."
                }
                p.now {
                    "En ce moment (30 dernières minutes) : "
                    strong {
                        @if p.visitors_now < p.min_group && p.visitors_now > 0 { (hidden) " visiteurs" }
                        @else { (french_number(p.visitors_now)) " visiteur" @if p.visitors_now > 1 { "s" } }
                    }
                }
                (headline_cards(&report.headline, &report.previous, p.min_group))
                h2 { "Évolution " (unit) }
                (bar_chart(&chart_title, &chart_description, "pages vues", "visiteurs", &bars))
                details {
                    summary { "Voir les chiffres " (unit) }
                    (table(
                        &chart_title,
                        &[if period.kind == PeriodKind::Today { "Heure" } else { "Jour" }, "Pages vues", "Visiteurs"],
                        &report.series.iter().map(|point| vec![
                            html! { (point.label) },
                            html! { (point.views.map(french_number).unwrap_or_else(|| hidden.clone())) },
                            html! { (point.visitors.map(french_number).unwrap_or_else(|| hidden.clone())) },
                        ]).collect::<Vec<_>>(),
                    ))
                }
                @for (dimension, rows) in &report.breakdowns {
                    @let (title, column) = dimension_labels(*dimension);
                    section.breakdown {
                        h2 { (title) }
                        @if rows.is_empty() {
                            p { "Aucune visite sur cette période." }
                        } @else {
                            (table(
                                &format!("{title}, {}", period.in_french()),
                                &[column, "Pages vues", "Part", "Visiteurs"],
                                &rows.iter().map(|row| vec![
                                    html! { (value_label(*dimension, &row.value)) },
                                    html! { (french_number(row.views)) },
                                    html! { (share_bar(row.share)) " " (percent(row.share)) },
                                    html! { (french_number(row.visitors)) },
                                ]).collect::<Vec<_>>(),
                            ))
                        }
                        p.export {
                            "Télécharger ce tableau (CSV) : "
                            a href={ "/statistiques/export?tableau=" (table_key(*dimension)) "&" (query) } { "séparateur point-virgule (Excel en français)" }
                            " · "
                            a href={ "/statistiques/export?tableau=" (table_key(*dimension)) "&" (query) "&separateur=virgule" } { "séparateur virgule" }
                        }
                    }
                }
            } }
        },
    )
}
