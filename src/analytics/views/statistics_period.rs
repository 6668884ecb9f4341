//! The period controls of `/statistiques`: the presets and chosen dates,
//! the « période précédente / suivante » arrows, what is compared with
//! what, the change of a figure, and the chart's granularity and metric.
//! Every link keeps the other choices.

use maud::{html, Markup};

use crate::analytics::filters::Filters;
use crate::analytics::period::days_in_french;
use crate::analytics::reports::{change, Granularity, Metric, Period, PeriodKind, Report};
use crate::analytics::rollup::Day;
use crate::paris;

/// The chart choices of the page, kept by every link.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The granularity the person chose (`None`: automatic).
    pub granularity: Option<Granularity>,
    pub metric: Metric,
    pub today: Day,
    /// The dashboard's filters, kept by every link.
    pub filters: Filters,
}

/// The link to `period` with the other choices kept.
pub fn href(period: &Period, choice: &Choice) -> String {
    let mut link = format!("/statistiques?{}", period.query());
    if let Some(granularity) = choice.granularity {
        link.push_str("&granularite=");
        link.push_str(granularity.key());
    }
    if choice.metric != Metric::Pages {
        link.push_str("&mesure=");
        link.push_str(choice.metric.key());
    }
    link.push_str(&choice.filters.query());
    link
}

pub fn period_picker(period: &Period, choice: &Choice, error: Option<&str>) -> Markup {
    let from = period.first_date().format("%Y-%m-%d").to_string();
    let to = period.last_date().format("%Y-%m-%d").to_string();
    let preset = |kind| Period::preset(kind, 0, choice.today, choice.today);
    html! {
        nav.period-picker aria-label="Période" {
            ul {
                @for kind in PeriodKind::PRESETS {
                    li {
                        a href=(href(&preset(kind), choice))
                          aria-current=[(period.kind == kind && period.offset == 0).then_some("page")] { (kind.label()) }
                    }
                }
            }
            form method="get" action="/statistiques" {
                input type="hidden" name="periode" value="perso";
                @if let Some(granularity) = choice.granularity {
                    input type="hidden" name="granularite" value=(granularity.key());
                }
                @if choice.metric != Metric::Pages {
                    input type="hidden" name="mesure" value=(choice.metric.key());
                }
                @for (key, value) in choice.filters.iter() {
                    input type="hidden" name=(key.param()) value=(value);
                }
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
            (arrows(period, choice))
        }
    }
}

/// « ← Période précédente » and « Période suivante → »; no link past today.
fn arrows(period: &Period, choice: &Choice) -> Markup {
    let before = period.step(-1, choice.today);
    let after = period.step(1, choice.today);
    html! {
        @if before.is_some() || after.is_some() {
            p.period-arrows {
                @match before {
                    Some(before) => a rel="prev" href=(href(&before, choice)) {
                        "← Période précédente" span.visually-hidden { " : " (before.in_french()) }
                    },
                    None => span.disabled { "← Période précédente" },
                }
                @match after {
                    Some(after) => a rel="next" href=(href(&after, choice)) {
                        "Période suivante →" span.visually-hidden { " : " (after.in_french()) }
                    },
                    None => span.disabled { "Période suivante →" span.visually-hidden { " (pas au-delà d'aujourd'hui)" } },
                }
            }
        }
    }
}

/// What the period is and what it is compared with, in words.
pub fn comparison_text(report: &Report) -> Markup {
    let period = &report.period;
    html! {
        p.lead {
            strong { (period.title()) } " : " (period.in_french())
            (compared_with(report))
        }
        @if report.whole_days {
            p.data-note {
                "Les visites détaillées de la période de comparaison ne sont plus conservées : "
                "elle est comptée en journées entières, ce qui avantage la période précédente."
            }
        }
    }
}

fn compared_with(report: &Report) -> String {
    let Some(c) = &report.comparison else {
        return ". Rien à comparer : il n'y a pas de période avant le début des statistiques."
            .to_owned();
    };
    let span = days_in_french(c.first, c.last);
    match c.cut {
        Some(cut) if !report.whole_days => {
            let hour = paris::time_text(cut);
            format!(
                ", jusqu'à {hour}, comparé à la même durée juste avant : {span} jusqu'à {hour}."
            )
        }
        _ => format!(", comparé à la période précédente de même durée ({span})."),
    }
}

/// The change from `before` to `after`: an arrow, words and a colour;
/// « stable » when it rounds to zero; « — » and why when there is nothing
/// to compare (`why_not`).
pub fn change_badge(before: f64, after: f64, why_not: Option<&str>) -> Markup {
    if let Some(reason) = why_not {
        return html! { span.evolution { "— " span.reason { "(" (reason) ")" } } };
    }
    let Some(rate) = change(before, after) else {
        return html! { span.evolution { "— " span.reason { "(aucune visite avant)" } } };
    };
    let figure = format!("{:.1}", rate.abs() * 100.0).replace('.', ",");
    if figure == "0,0" {
        return html! { span.evolution.stable { span aria-hidden="true" { "=" } " stable" } };
    }
    if rate > 0.0 {
        html! { span.evolution.up { span aria-hidden="true" { "↑" } " en hausse de " (figure) " %" } }
    } else {
        html! { span.evolution.down { span aria-hidden="true" { "↓" } " en baisse de " (figure) " %" } }
    }
}

/// The granularities that suit the period and the metrics, as links.
pub fn chart_choice(report: &Report, choice: &Choice) -> Markup {
    let period = &report.period;
    let with_granularity = |g| Choice {
        granularity: Some(g),
        ..choice.clone()
    };
    let with_metric = |m| Choice {
        metric: m,
        ..choice.clone()
    };
    html! {
        nav.chart-choice aria-label="Présentation du graphique" {
            ul {
                @for g in Granularity::ALL.into_iter().filter(|g| g.suits(period)) {
                    li { a href=(href(period, &with_granularity(g)))
                        aria-current=[(g == report.granularity).then_some("true")] { "Par " (g.column().to_lowercase()) } }
                }
            }
            ul {
                @for m in Metric::ALL {
                    li { a href=(href(period, &with_metric(m)))
                        aria-current=[(m == choice.metric).then_some("true")] { (capitalised(m.name())) } }
                }
            }
        }
    }
}

/// « Pages vues » from « pages vues ».
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_says_its_direction_in_words() {
        let text = |m: Markup| m.into_string();
        assert!(text(change_badge(100.0, 112.3, None)).contains("↑</span> en hausse de 12,3 %"));
        assert!(text(change_badge(100.0, 96.0, None)).contains("↓</span> en baisse de 4,0 %"));
        let stable = text(change_badge(10_000.0, 10_002.0, None));
        assert!(
            stable.contains("stable") && !stable.contains("0,0"),
            "{stable}"
        );
        assert!(text(change_badge(0.0, 5.0, None)).contains("aucune visite avant"));
    }
}
