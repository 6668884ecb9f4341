//! The filters of `/admin/journal` as typed, and the audit filter they
//! make: who acted, what, and when.

use serde::Deserialize;

use crate::audit::{AuditEvent, AuditFilter};
use crate::db::pagination::PageRequest;
use crate::domain::DateRange;

/// The filters as typed (`?qui=&quoi=&du=&au=&page=`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct JournalQuery {
    #[serde(rename = "qui")]
    pub actor: String,
    #[serde(rename = "quoi")]
    pub event: String,
    #[serde(rename = "du")]
    pub from: String,
    #[serde(rename = "au")]
    pub to: String,
    pub page: PageRequest,
}

impl JournalQuery {
    /// The filter, leaving out each value that is wrong, and why, by field.
    pub fn filter(&self) -> (AuditFilter, Vec<(&'static str, String)>) {
        let mut filter = AuditFilter::default();
        let mut errors = Vec::new();
        match self.actor.trim() {
            "" => {}
            typed => match typed.parse::<i64>() {
                Ok(id) if id > 0 => filter.actor = Some(id),
                _ => errors.push((
                    "qui",
                    "Choisissez un membre de l'équipe dans la liste.".into(),
                )),
            },
        }
        match self.event.trim() {
            "" => {}
            typed => match AuditEvent::parse(typed) {
                Some(event) => filter.event = Some(event),
                None => errors.push(("quoi", "Choisissez une action dans la liste.".into())),
            },
        }
        match DateRange::parse_open(&self.from, &self.to) {
            Ok((first, last)) => {
                filter.from = first.map(crate::paris::day_start);
                filter.until =
                    last.map(|last| crate::paris::day_start(last.succ_opt().unwrap_or(last)));
            }
            Err(error) => errors.push((error.field(), error.to_string())),
        }
        (filter, errors)
    }
}
