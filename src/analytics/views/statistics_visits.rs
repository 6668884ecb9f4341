//! The visit tables of `/statistiques`: entry and exit pages, goals and
//! funnels, and what these estimates can get wrong.

use maud::{html, Markup};

use crate::analytics::dimension::Dimension;
use crate::analytics::reports::{french_number, Period};
use crate::analytics::views::figures::{device_name, duration, percent};
use crate::analytics::views::statistics_filters::FilterLinks;
use crate::analytics::visit_report::{FunnelRow, GoalRow, PageRow, SplitRow, VisitTables};
use crate::views::components::table;

/// The entry, exit, goal and funnel sections of the page.
pub fn visit_sections(
    tables: &VisitTables,
    period: &Period,
    links: &FilterLinks,
    min_group: i64,
) -> Markup {
    let when = period.in_french();
    html! {
        section.breakdown id="pages-entree" {
            h2 { "Pages d'entrée" }
            (entries(&tables.entries, &when, links))
        }
        section.breakdown id="pages-sortie" {
            h2 { "Pages de sortie" }
            (exits(&tables.exits, &when, links))
        }
        section.breakdown id="objectifs" {
            h2 { "Objectifs" }
            p { "Un objectif est atteint par une visite qui affiche sa page (une fois par visite). Taux de conversion : visites qui l'atteignent sur l'ensemble des visites (ou sur les visites de la campagne, de la page d'entrée, du type d'appareil)." }
            (goals(&tables.goals, &when, links, min_group))
        }
        section.breakdown id="tunnels" {
            h2 { "Tunnels" }
            p { "Visites qui ont franchi chaque étape dans l'ordre (d'autres pages peuvent s'intercaler), et celles perdues depuis l'étape précédente." }
            @for (i, funnel) in tables.funnels.iter().enumerate() {
                (funnel_table(i, funnel, &when, min_group))
            }
        }
        (caveats())
    }
}

fn entries(rows: &[PageRow], when: &str, links: &FilterLinks) -> Markup {
    if rows.is_empty() {
        return html! { p { "Aucune visite sur cette période." } };
    }
    table(
        &format!("Pages d'entrée, {when}"),
        &[
            "Page",
            "Visites",
            "Visiteurs",
            "Taux de rebond",
            "Durée moyenne",
        ],
        &rows
            .iter()
            .map(|row| {
                vec![
                    links.cell(Dimension::Entry, &row.path, &row.path),
                    html! { (french_number(row.visits)) },
                    html! { (french_number(row.visitors)) },
                    html! { (percent(row.bounce_rate)) },
                    html! { (duration(row.average_duration_s)) },
                ]
            })
            .collect::<Vec<_>>(),
    )
}

fn exits(rows: &[PageRow], when: &str, links: &FilterLinks) -> Markup {
    if rows.is_empty() {
        return html! { p { "Aucune visite sur cette période." } };
    }
    table(
        &format!("Pages de sortie, {when}"),
        &["Page", "Sorties", "Pages vues", "Taux de sortie"],
        &rows
            .iter()
            .map(|row| {
                vec![
                    links.cell(Dimension::Exit, &row.path, &row.path),
                    html! { (french_number(row.visits)) },
                    html! { (french_number(row.views)) },
                    html! { (percent(row.exit_rate())) },
                ]
            })
            .collect::<Vec<_>>(),
    )
}

fn goals(rows: &[GoalRow], when: &str, links: &FilterLinks, min_group: i64) -> Markup {
    let hidden = format!("moins de {min_group}");
    html! {
        (table(
            &format!("Objectifs, {when}"),
            &["Objectif", "Page", "Visites converties", "Visiteurs", "Taux de conversion"],
            &rows.iter().map(|row| vec![
                // A goal of fewer visitors than the minimum, or reached by
                // nobody, is not a filter to offer.
                if row.conversions.is_some_and(|n| n > 0) { links.cell(Dimension::Goal, &row.path, &row.name) } else { html! { (row.name) } },
                html! { (row.path) },
                html! { @match row.conversions { Some(n) => (french_number(n)), None => (hidden) } },
                html! { @if row.conversions.is_some() { (french_number(row.visitors)) } @else { (hidden) } },
                html! { @if row.conversions.is_some() { (percent(row.rate)) } @else { "—" } },
            ]).collect::<Vec<_>>(),
        ))
        @for row in rows.iter().filter(|row| row.conversions.is_some_and(|n| n > 0)) {
            details {
                summary { "« " (row.name) " » par campagne, page d'entrée et appareil" }
                (splits(&format!("« {} » par campagne, {when}", row.name), "Campagne", &row.by_campaign, |v| v.to_owned()))
                (splits(&format!("« {} » par page d'entrée, {when}", row.name), "Page d'entrée", &row.by_entry, |v| v.to_owned()))
                (splits(&format!("« {} » par type d'appareil, {when}", row.name), "Appareil", &row.by_device, |v| device_name(v).to_owned()))
            }
        }
    }
}

fn splits(
    caption: &str,
    column: &str,
    rows: &[SplitRow],
    label: impl Fn(&str) -> String,
) -> Markup {
    let rate = |row: &SplitRow| {
        if row.visits > 0 {
            percent(row.conversions as f64 / row.visits as f64)
        } else {
            "—".to_owned()
        }
    };
    table(
        caption,
        &[
            column,
            "Visites converties",
            "Visites",
            "Taux de conversion",
        ],
        &rows
            .iter()
            .map(|row| {
                vec![
                    html! { (label(&row.value)) },
                    html! { (french_number(row.conversions)) },
                    html! { (french_number(row.visits)) },
                    html! { (rate(row)) },
                ]
            })
            .collect::<Vec<_>>(),
    )
}

fn funnel_table(index: usize, funnel: &FunnelRow, when: &str, min_group: i64) -> Markup {
    let hidden = format!("moins de {min_group}");
    html! {
        div id=(format!("tunnel-{}", index + 1)) {
            (table(
                &format!("Tunnel « {} », {when}", funnel.name),
                &["Étape", "Pages", "Visites", "Perdues depuis l'étape précédente"],
                &funnel.steps.iter().enumerate().map(|(i, step)| vec![
                    html! { (i + 1) },
                    html! { (step.pages.join(" ou ")) },
                    html! { @match step.visits { Some(n) => (french_number(n)), None => (hidden) } },
                    html! {
                        @match step.drop_off {
                            Some((lost, share)) => { (french_number(lost)) " (" (percent(share)) ")" }
                            None => "—",
                        }
                    },
                ]).collect::<Vec<_>>(),
            ))
        }
    }
}

fn caveats() -> Markup {
    html! {
        details.data-note id="limites-visites" {
            summary { "Ce que ces chiffres peuvent fausser" }
            p {
                "Une visite est estimée sans cookie : mêmes adresse IP tronquée, navigateur, système et type d'appareil le même jour, "
                "pages vues sans pause de 30 minutes ou plus. Des personnes derrière un même réseau (entreprise, box, réseau mobile) "
                "avec le même navigateur sont comptées comme une seule ; une mise à jour du navigateur en cours de journée en fait deux. "
                "Une visite qui passe minuit compte pour deux. Le temps passé sur la dernière page n'est pas connu : la durée va "
                "de la première à la dernière page vue, elle est donc un minimum (un rebond compte 0 s)."
            }
        }
    }
}
