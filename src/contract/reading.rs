//! A signed contract read back from the exact text kept as evidence: its
//! title, the opening lines, the numbered articles and the annexes, so the
//! page can show what was signed as a contract (headings, tables) without
//! regenerating anything from today's data. The text and its fingerprint
//! stay as they were signed; this only reads them.

use super::Annex;

/// The parts of a signed text, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignedDocument {
    /// The first line: « CONTRAT DE MAINTENANCE — version 2026-12 ».
    pub title: String,
    /// The paragraphs before the first article (who the parties are).
    pub preamble: Vec<String>,
    pub articles: Vec<Article>,
    pub annexes: Vec<Annex>,
}

/// « Article 1 — Objet » and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub heading: String,
    /// Each paragraph's lines joined by `\n`, as they were written.
    pub paragraphs: Vec<String>,
}

impl SignedDocument {
    /// The client company as annex 1 declares it: (field, value) pairs, a
    /// value empty when not given. Empty for texts without that annex.
    pub fn client(&self) -> Vec<(&str, &str)> {
        self.annexes
            .iter()
            .find(|annex| annex.number == 1 && annex.record_label.is_none())
            .and_then(|annex| Some((&annex.fields, annex.records.first()?)))
            .map(|(fields, record)| {
                fields
                    .iter()
                    .zip(record)
                    .map(|(field, value)| (field.as_str(), value.as_str()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Reads a text written by [`super::ContractDocument::text`] (or by an
/// older version's template). Lines it does not recognise stay lines of the
/// part they are in, so nothing signed is ever left out.
pub fn read(text: &str) -> SignedDocument {
    let mut lines = text.lines();
    let mut document = SignedDocument {
        title: lines.next().unwrap_or_default().trim().to_owned(),
        ..Default::default()
    };
    let mut annex: Option<Annex> = None;
    let mut new_paragraph = true;
    for line in lines {
        if let Some(open) = annex.as_mut() {
            if line.starts_with("FIN DE L'ANNEXE") {
                document.annexes.extend(annex.take());
            } else {
                annex_line(open, line);
            }
        } else if let Some(started) = annex_heading(line) {
            annex = Some(started);
        } else if is_article_heading(line) {
            document.articles.push(Article {
                heading: line.trim().to_owned(),
                paragraphs: Vec::new(),
            });
            new_paragraph = true;
        } else if line.trim().is_empty() {
            new_paragraph = true;
        } else {
            let part = match document.articles.last_mut() {
                Some(article) => &mut article.paragraphs,
                None => &mut document.preamble,
            };
            match part.last_mut() {
                Some(paragraph) if !new_paragraph => {
                    paragraph.push('\n');
                    paragraph.push_str(line.trim());
                }
                _ => part.push(line.trim().to_owned()),
            }
            new_paragraph = false;
        }
    }
    // An annex whose end line is missing is shown all the same.
    document.annexes.extend(annex);
    document
}

/// « Article 3 — Prestations », at the start of a line.
fn is_article_heading(line: &str) -> bool {
    line.strip_prefix("Article ")
        .and_then(|rest| rest.split_once(" — "))
        .is_some_and(|(number, _)| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
}

/// « ANNEXE 2 — Appareils couverts ».
fn annex_heading(line: &str) -> Option<Annex> {
    let (number, title) = line.strip_prefix("ANNEXE ")?.split_once(" — ")?;
    Some(Annex {
        number: number.parse().ok()?,
        title: title.trim().to_owned(),
        record_label: None,
        fields: Vec::new(),
        records: Vec::new(),
    })
}

/// One line inside an annex: its note, a record's label (« Appareil 1 »),
/// or a field and its value (`  Ville : « Paris »`, `  Marque : non renseigné`).
fn annex_line(annex: &mut Annex, line: &str) {
    let indented = line.starts_with(' ');
    if !indented {
        if line.starts_with('(') {
            return; // the note, the same in every annex: the page writes its own
        }
        let label = line.trim_end_matches(|c: char| c.is_ascii_digit()).trim();
        annex.record_label = Some(label.to_owned());
        annex.records.push(Vec::new());
        return;
    }
    let Some((field, value)) = line.trim().split_once(" : ") else {
        return;
    };
    let value = match value {
        "non renseigné" => String::new(),
        quoted => quoted
            .strip_prefix("« ")
            .and_then(|v| v.strip_suffix(" »"))
            .unwrap_or(quoted)
            .to_owned(),
    };
    if annex.records.is_empty() {
        annex.records.push(Vec::new());
    }
    let first_record = annex.records.len() == 1;
    if first_record && !annex.fields.iter().any(|f| f == field) {
        annex.fields.push(field.to_owned());
    }
    if let Some(record) = annex.records.last_mut() {
        record.push(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{current_document, text_for, CoveredDevice, Party};

    fn party() -> Party {
        Party {
            name: "Syndic Exemple".into(),
            kind: "agence".into(),
            address: "3 rue de la Paix".into(),
            postal_code: "75002".into(),
            city: "Paris".into(),
            country: "FR".into(),
        }
    }

    fn devices() -> Vec<CoveredDevice> {
        vec![
            CoveredDevice {
                building: "Résidence Les Tilleuls".into(),
                kind: "ascenseur".into(),
                location: "Hall : « Article 6 — Tarif » ".into(),
                brand: Some("Schindler".into()),
                serial_number: None,
            },
            CoveredDevice {
                building: "Résidence Les Tilleuls".into(),
                kind: "monte_charge".into(),
                location: "Cour".into(),
                brand: None,
                serial_number: Some("MC-12".into()),
            },
        ]
    }

    #[test]
    fn the_current_version_reads_back_as_it_was_built() {
        let built = current_document(&party(), &devices());
        let read = read(&built.text());
        assert_eq!(read.title, "CONTRAT DE MAINTENANCE — version 2026-12");
        assert!(read.preamble[0].starts_with("Entre WeMaintain, 20 bis"));
        assert!(read.preamble[0].contains("« WeMaintain »,\net la société désignée"));
        let headings: Vec<&str> = read.articles.iter().map(|a| a.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "Article 1 — Objet",
                "Article 2 — Appareils couverts",
                "Article 3 — Prestations",
                "Article 4 — Durée",
                "Article 5 — Données personnelles",
            ]
        );
        assert_eq!(read.annexes, built.annexes, "the annexes, value for value");
        assert_eq!(read.client()[0], ("Raison sociale", "Syndic Exemple"));
        assert_eq!(read.annexes[1].records[1][3], "", "a value not given");
    }

    #[test]
    fn an_older_version_keeps_every_line() {
        let text = text_for("2026-11", &party(), &devices()).unwrap();
        let read = read(&text);
        assert_eq!(read.articles.len(), 5);
        assert!(read.annexes.is_empty() && read.client().is_empty());
        let devices: Vec<&str> = read.articles[1].paragraphs[0].lines().collect();
        assert!(devices[0].starts_with("1. Résidence Les Tilleuls — Ascenseur"));
        assert!(devices[1].starts_with("2. Résidence Les Tilleuls — Monte-charge"));
        let lines =
            |paragraphs: &[String]| paragraphs.iter().map(|p| p.lines().count()).sum::<usize>();
        let kept: usize = lines(&read.preamble)
            + read
                .articles
                .iter()
                .map(|a| 1 + lines(&a.paragraphs))
                .sum::<usize>();
        let written = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        assert_eq!(kept, written);
    }
}
