//! Maintenance request and thread forms, as typed.

use serde::Deserialize;

use crate::domain::message_text;
use crate::forms::FormErrors;

/// A maintenance request, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    #[serde(rename = "appareil")]
    pub device: String,
    pub nature: String,
    #[serde(rename = "urgence")]
    pub urgency: String,
    pub description: String,
}

impl RequestForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("appareil", "Appareil"),
        ("nature", "Nature de la demande"),
        ("urgence", "Urgence"),
        ("description", "Description"),
    ];

    pub fn validate(&self) -> Result<crate::maintenance::NewRequest, FormErrors> {
        use crate::maintenance::{Nature, Urgency};
        let mut e = FormErrors::default();
        let device_id = e.check(
            "appareil",
            self.device.trim().parse::<i64>().map_err(|_| {
                crate::domain::FieldError::new("Choisissez l'appareil concerné dans la liste.")
            }),
        );
        let nature = e.required(
            "nature",
            &self.nature,
            "Choisissez la nature de la demande (panne, entretien…).",
            Nature::parse(&self.nature),
        );
        let urgency = e.required(
            "urgence",
            &self.urgency,
            "Choisissez l'urgence de la demande (« Personne bloquée » si quelqu'un est coincé dans l'appareil).",
            Urgency::parse(&self.urgency),
        );
        let description = e.required(
            "description",
            &self.description,
            "Décrivez le problème : ce que vous constatez, depuis quand.",
            message_text(&self.description, 10, 5_000),
        );
        match (device_id, nature, urgency, description) {
            (Some(device_id), Some(nature), Some(urgency), Some(description)) => {
                Ok(crate::maintenance::NewRequest {
                    device_id,
                    nature,
                    urgency,
                    description,
                })
            }
            _ => Err(e),
        }
    }
}

/// A message on a request's thread, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ThreadMessageForm {
    pub message: String,
}

impl ThreadMessageForm {
    pub fn validate(&self) -> Result<String, FormErrors> {
        let mut e = FormErrors::default();
        let message = e.required(
            "message",
            &self.message,
            "Écrivez votre message avant de l'envoyer.",
            message_text(&self.message, 2, 5_000),
        );
        match message {
            Some(text) => Ok(text),
            None => Err(e),
        }
    }
}
