//! The information report form, as staff type it.

use serde::Deserialize;

use crate::domain::{message_text, DeviceStatus};
use crate::forms::FormErrors;

/// An information report, as staff type it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    #[serde(rename = "appareil")]
    pub device: String,
    /// The kind of Prestation.
    #[serde(rename = "prestation")]
    pub kind: String,
    pub date: String,
    #[serde(rename = "travaux")]
    pub work_done: String,
    #[serde(rename = "pieces")]
    pub parts_replaced: String,
    #[serde(rename = "etat")]
    pub device_state: String,
    /// The maintenance request answered, by number; empty for none.
    #[serde(rename = "demande")]
    pub request: String,
    /// `oui` when staff tick « La demande est résolue ».
    #[serde(rename = "resolue")]
    pub resolves: String,
}

impl ReportForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("appareil", "Appareil"),
        ("prestation", "Prestation"),
        ("date", "Date de l'intervention"),
        ("travaux", "Travaux réalisés"),
        ("pieces", "Pièces remplacées"),
        ("etat", "État de l'appareil après l'intervention"),
        ("demande", "Demande de maintenance concernée"),
        ("resolue", "La demande est résolue"),
    ];

    /// The form filled with a published report, to correct it.
    pub fn of(report: &crate::information_reports::Report) -> ReportForm {
        ReportForm {
            device: report.device_id.to_string(),
            kind: report.kind.clone(),
            date: report.performed_on().format("%Y-%m-%d").to_string(),
            work_done: report.work_done.clone(),
            parts_replaced: report.parts_replaced.clone().unwrap_or_default(),
            device_state: report.device_state.clone(),
            request: report
                .request_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            resolves: String::new(),
        }
    }

    pub fn validate(
        &self,
        today: chrono::NaiveDate,
    ) -> Result<crate::information_reports::NewReport, FormErrors> {
        use crate::information_reports::{NewReport, Prestation};
        let mut e = FormErrors::default();
        let device_id = e.check(
            "appareil",
            self.device.trim().parse::<i64>().map_err(|_| {
                crate::domain::FieldError::new("Choisissez l'appareil dans la liste.")
            }),
        );
        let kind = e.required(
            "prestation",
            &self.kind,
            "Choisissez la prestation réalisée (maintenance, réparation…).",
            Prestation::parse(&self.kind),
        );
        let date = e.check(
            "date",
            chrono::NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
                .ok()
                .filter(|d| {
                    *d <= today && *d >= chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(*d)
                })
                .ok_or_else(|| {
                    crate::domain::FieldError::new(
                        "Indiquez la date de l'intervention (aujourd'hui au plus tard).",
                    )
                }),
        );
        let work_done = e.required(
            "travaux",
            &self.work_done,
            "Indiquez les travaux réalisés.",
            message_text(&self.work_done, 10, 10_000),
        );
        let parts = if self.parts_replaced.trim().is_empty() {
            Some(None)
        } else {
            e.check("pieces", message_text(&self.parts_replaced, 2, 5_000))
                .map(Some)
        };
        let state = e.required(
            "etat",
            &self.device_state,
            "Choisissez l'état de l'appareil après l'intervention.",
            DeviceStatus::parse(&self.device_state),
        );
        let (request_id, resolves) = self.request_link(&mut e);
        match (device_id, kind, date, work_done, parts, state) {
            (
                Some(device_id),
                Some(kind),
                Some(performed_on),
                Some(work_done),
                Some(parts_replaced),
                Some(device_state),
            ) if e.is_empty() => Ok(NewReport {
                device_id,
                kind,
                performed_on,
                work_done,
                parts_replaced,
                device_state,
                request_id,
                resolves,
            }),
            _ => Err(e),
        }
    }

    /// The request named (a number, or nothing) and whether it is resolved;
    /// « résolue » needs a request.
    fn request_link(&self, e: &mut FormErrors) -> (Option<i64>, bool) {
        let resolves = self.resolves == "oui";
        let request = match self.request.trim().trim_start_matches(['n', 'N', '°', ' ']) {
            "" => None,
            typed => e.check(
                "demande",
                typed
                    .parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or_else(|| {
                        crate::domain::FieldError::new(
                            "Indiquez le numéro de la demande, ou laissez « Aucune ».",
                        )
                    }),
            ),
        };
        if resolves && request.is_none() && self.request.trim().is_empty() {
            e.add(
                "resolue",
                "Choisissez la demande résolue, ou décochez « La demande est résolue ».",
            );
        }
        (request, resolves)
    }
}
