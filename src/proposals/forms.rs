//! The proposal request form, as typed.

use crate::domain::{message_text, required_text};
use crate::forms::{FormErrors, LINE_MAX};

/// A request for a commercial proposal, as typed. Several devices can be
/// ticked, so it is read from the raw form body (repeated `appareils`).
#[derive(Debug, Clone, Default)]
pub struct ProposalForm {
    /// `appareils`, repeated.
    pub devices: Vec<String>,
    /// `pre_visite=oui`.
    pub previsit: bool,
    /// `dates`.
    pub preferred_dates: String,
    pub message: String,
}

impl ProposalForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("appareils", "Appareils concernés"),
        ("dates", "Dates souhaitées pour la pré-visite"),
        ("message", "Précisions"),
    ];

    pub fn from_body(body: &[u8]) -> Self {
        let mut form = Self::default();
        for (key, value) in form_urlencoded::parse(body) {
            match key.as_ref() {
                "appareils" => form.devices.push(value.into_owned()),
                "pre_visite" => form.previsit = value == "oui",
                "dates" => form.preferred_dates = value.into_owned(),
                "message" => form.message = value.into_owned(),
                _ => {}
            }
        }
        form
    }

    pub fn validate(&self) -> Result<crate::proposals::NewProposal, FormErrors> {
        let mut e = FormErrors::default();
        let devices: Result<Vec<i64>, _> = self
            .devices
            .iter()
            .map(|a| a.trim().parse::<i64>())
            .collect();
        let devices = match devices {
            Ok(devices) if !devices.is_empty() && devices.len() <= 200 => Some(devices),
            _ => {
                e.add(
                    "appareils",
                    "Cochez au moins un appareil concerné par la proposition.",
                );
                None
            }
        };
        let preferred_dates = if self.previsit {
            let missing = "Indiquez les jours et heures qui vous conviennent pour la pré-visite.";
            let dates = required_text(&self.preferred_dates, LINE_MAX);
            e.required("dates", &self.preferred_dates, missing, dates)
                .map(Some)
        } else {
            Some(None)
        };
        let message = if self.message.trim().is_empty() {
            Some(None)
        } else {
            e.check("message", message_text(&self.message, 2, 5_000))
                .map(Some)
        };
        match (devices, preferred_dates, message) {
            (Some(devices), Some(preferred_dates), Some(message)) if e.is_empty() => {
                Ok(crate::proposals::NewProposal {
                    devices,
                    previsit: self.previsit,
                    preferred_dates,
                    message,
                })
            }
            _ => Err(e),
        }
    }
}
