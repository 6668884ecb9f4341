//! The text of a report mail, in French: a list of sections (headline
//! figures, top pages, campaigns…), each a title and its lines, so that a
//! new part of the report is one more section.

use chrono::{Datelike, NaiveDate};

use super::Frequency;
use crate::analytics::reports::{change, french_number, BreakdownRow, Headline, Report, OTHERS};
use crate::analytics::rollup::Dimension;
use crate::analytics::views::figures::{percent, HeadlineFigure};
use crate::analytics::views::statistics::{dimension_labels, value_label};
use crate::mail::OutgoingMail;
use crate::paris::MONTHS;

/// How many pages the mail lists.
const TOP_PAGES: usize = 10;

/// One part of the mail: a title and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub lines: Vec<String>,
}

/// What a report mail says.
pub struct ReportMail<'a> {
    pub frequency: Frequency,
    pub report: &'a Report,
    /// The headline of the previous week or calendar month.
    pub previous: &'a Headline,
    pub min_group: i64,
}

impl ReportMail<'_> {
    /// « la semaine du lundi 2 au dimanche 8 mars 2026 », « le mois de mars 2026 ».
    pub fn period_in_words(&self) -> String {
        let period = &self.report.period;
        let (first, last) = (period.first_date(), period.last_date());
        match self.frequency {
            Frequency::Monthly => format!("le mois de {}", month_year(first)),
            Frequency::Weekly => {
                let start = if first.year() != last.year() {
                    format!("{} {}", day_month(first), first.year())
                } else if first.month() != last.month() {
                    day_month(first)
                } else {
                    day_number(first)
                };
                format!(
                    "la semaine du lundi {start} au dimanche {} {}",
                    day_month(last),
                    last.year()
                )
            }
        }
    }

    /// « par rapport à la semaine précédente ».
    fn compared_with(&self) -> &'static str {
        match self.frequency {
            Frequency::Weekly => "par rapport à la semaine précédente",
            Frequency::Monthly => "par rapport au mois précédent",
        }
    }

    /// The sections, in the order of the page.
    pub fn sections(&self) -> Vec<Section> {
        vec![
            self.headline_section(),
            self.breakdown_section(Dimension::Page, TOP_PAGES),
            self.breakdown_section(Dimension::Campaign, usize::MAX),
            self.goals_section(),
        ]
    }

    /// Each goal: its conversions and their rate of the visits, or « moins
    /// de 5 » when fewer visitors than the minimum group reached it.
    fn goals_section(&self) -> Section {
        let mut lines: Vec<String> = self
            .report
            .visits
            .goals
            .iter()
            .map(|goal| match goal.conversions {
                Some(conversions) => format!(
                    "{} : {} conversion{} ({} des visites)",
                    goal.name,
                    french_number(conversions),
                    if conversions > 1 { "s" } else { "" },
                    percent(goal.rate)
                ),
                None => format!("{} : moins de {}", goal.name, self.min_group),
            })
            .collect();
        if self.report.headline.hidden {
            lines = vec![self.too_few()];
        } else if lines.is_empty() {
            lines.push("Aucun objectif défini.".to_owned());
        }
        Section {
            title: "Objectifs".to_owned(),
            lines,
        }
    }

    fn headline_section(&self) -> Section {
        let (now, before) = (&self.report.headline, self.previous);
        let hidden = format!("moins de {}", self.min_group);
        let lines = HeadlineFigure::ALL
            .iter()
            .map(|figure| {
                let name = figure.name();
                if now.hidden {
                    // A ratio of a hidden count is not shown either.
                    return if figure.is_count() {
                        format!("{name} : {hidden}")
                    } else {
                        format!("{name} : non affiché ({hidden} visiteurs)")
                    };
                }
                let (text, after) = (figure.text(now), figure.value(now));
                let evolution = match change(figure.value(before), after) {
                    _ if before.hidden => format!("{} : {hidden}", self.previous_name()),
                    _ if before.visitors == 0 => {
                        format!("aucune visite {}", self.previous_name_of())
                    }
                    Some(rate) => format!("{} {}", arrow_and_rate(rate), self.compared_with()),
                    None => format!("{} {}", figure.text(before), self.previous_name_of()),
                };
                format!("{name} : {text} ({evolution})")
            })
            .collect();
        Section {
            title: "Chiffres clés".to_owned(),
            lines,
        }
    }

    /// What a table says when the period had too few visitors to show one.
    fn too_few(&self) -> String {
        format!(
            "Non affiché : moins de {} visiteurs sur la période.",
            self.min_group
        )
    }

    fn previous_name(&self) -> &'static str {
        match self.frequency {
            Frequency::Weekly => "semaine précédente",
            Frequency::Monthly => "mois précédent",
        }
    }

    fn previous_name_of(&self) -> &'static str {
        match self.frequency {
            Frequency::Weekly => "la semaine précédente",
            Frequency::Monthly => "le mois précédent",
        }
    }

    /// A breakdown as the page shows it (small groups already in
    /// « Autres »), at most `limit` named rows.
    fn breakdown_section(&self, dimension: Dimension, limit: usize) -> Section {
        let rows: &[BreakdownRow] = self
            .report
            .breakdowns
            .iter()
            .find(|(d, _)| *d == dimension)
            .map(|(_, rows)| rows.as_slice())
            .unwrap_or_default();
        let (title, _) = dimension_labels(dimension);
        let mut lines: Vec<String> = rows
            .iter()
            .filter(|row| row.value != OTHERS)
            .take(limit)
            .enumerate()
            .map(|(i, row)| {
                format!(
                    "{}. {} : {} ({})",
                    i + 1,
                    value_label(dimension, &row.value),
                    views_and_visitors(row),
                    percent(row.share)
                )
            })
            .collect();
        if let Some(others) = rows.iter().find(|row| row.value == OTHERS) {
            lines.push(format!(
                "{OTHERS} (lignes de moins de {} visiteurs) : {}",
                self.min_group,
                views_and_visitors(others)
            ));
        }
        if self.report.headline.hidden {
            lines.push(self.too_few());
        } else if lines.is_empty() {
            lines.push("Aucune visite sur cette période.".to_owned());
        }
        Section {
            title: title.to_owned(),
            lines,
        }
    }

    /// The whole mail to `to`.
    pub fn mail(
        &self,
        to: &str,
        first_name: &str,
        view_link: &str,
        stop_link: &str,
    ) -> OutgoingMail {
        let period = self.period_in_words();
        let mut text = format!(
            "Bonjour {first_name},\n\nVoici le rapport {} de fréquentation du site WeMaintain pour {period}.\n",
            self.frequency.adjective()
        );
        for section in self.sections() {
            text.push_str(&format!("\n{}\n", section.title));
            for line in &section.lines {
                text.push_str(&format!("- {line}\n"));
            }
        }
        text.push_str(&format!(
            "\nLes lignes de moins de {} visiteurs sont regroupées dans « Autres », comme sur la page.\n\
             \nVoir ces chiffres sur le site :\n{view_link}\n\
             \nPour ne plus recevoir ce rapport {} :\n{stop_link}\n",
            self.min_group,
            self.frequency.adjective()
        ));
        OutgoingMail {
            to: vec![to.to_owned()],
            subject: format!("Statistiques du site WeMaintain : {period}"),
            text,
        }
    }
}

fn views_and_visitors(row: &BreakdownRow) -> String {
    format!(
        "{} pages vues, {} visiteurs",
        french_number(row.views),
        french_number(row.visitors)
    )
}

/// « ↑ +12,3 % », « ↓ -4,0 % », « = 0,0 % ».
fn arrow_and_rate(rate: f64) -> String {
    let arrow = if rate > 0.0005 {
        "↑ +"
    } else if rate < -0.0005 {
        "↓ "
    } else {
        "= "
    };
    format!("{arrow}{}", percent(rate))
}

fn day_number(date: NaiveDate) -> String {
    match date.day() {
        1 => "1er".to_owned(),
        day => day.to_string(),
    }
}

fn day_month(date: NaiveDate) -> String {
    format!("{} {}", day_number(date), MONTHS[date.month0() as usize])
}

fn month_year(date: NaiveDate) -> String {
    format!("{} {}", MONTHS[date.month0() as usize], date.year())
}
