//! Maintenance request and thread forms, as typed.

use serde::Deserialize;

use crate::domain::{message_text, optional_text, FieldError};
use crate::forms::FormErrors;
use crate::maintenance::{Nature, NewRequest, Place, Urgency};

/// A maintenance request, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    #[serde(rename = "appareil")]
    pub device: String,
    /// Where the device is, in words, when it is not in the list.
    #[serde(rename = "emplacement")]
    pub location: String,
    #[serde(rename = "batiment")]
    pub building: String,
    pub nature: String,
    #[serde(rename = "urgence")]
    pub urgency: String,
    pub description: String,
}

const LOCATION_MAX: usize = 300;

impl RequestForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("appareil", "Appareil"),
        ("emplacement", "Où se trouve l'appareil ?"),
        ("batiment", "Bâtiment"),
        ("nature", "Nature de la demande"),
        ("urgence", "Urgence"),
        ("description", "Description"),
    ];

    /// The request; `devices_declared` says whether the form offered a
    /// list of devices (the messages differ).
    pub fn validate(&self, devices_declared: bool) -> Result<NewRequest, FormErrors> {
        let mut e = FormErrors::default();
        let place = self.place(&mut e, devices_declared);
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
        match (place, nature, urgency, description) {
            (Some(place), Some(nature), Some(urgency), Some(description)) if e.is_empty() => {
                Ok(NewRequest {
                    place,
                    nature,
                    urgency,
                    description,
                })
            }
            _ => Err(e),
        }
    }

    /// A device from the list, or the place in words (and a building if
    /// chosen): one of the two is needed.
    fn place(&self, e: &mut FormErrors, devices_declared: bool) -> Option<Place> {
        let location = e.check("emplacement", optional_text(&self.location, LOCATION_MAX));
        let building = match self.building.trim() {
            "" => Some(None),
            typed => e.check(
                "batiment",
                typed.parse::<i64>().map(Some).map_err(|_| {
                    FieldError::new(
                        "Choisissez le bâtiment dans la liste, ou laissez le champ vide.",
                    )
                }),
            ),
        };
        if !self.device.trim().is_empty() {
            let device = self
                .device
                .trim()
                .parse::<i64>()
                .map_err(|_| FieldError::new("Choisissez l'appareil concerné dans la liste."));
            return e.check("appareil", device).map(Place::Device);
        }
        match (location?, building?) {
            (Some(location), building) => Some(Place::Described { location, building }),
            (None, _) if devices_declared => {
                e.add(
                    "appareil",
                    "Choisissez l'appareil concerné, ou indiquez plus bas où il se trouve.",
                );
                e.add(
                    "emplacement",
                    "Indiquez où se trouve l'appareil s'il n'est pas dans la liste.",
                );
                None
            }
            (None, _) => {
                e.add(
                    "emplacement",
                    "Indiquez où se trouve l'appareil : adresse de l'immeuble, escalier, \
                     quel ascenseur.",
                );
                None
            }
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
