//! The signature form, as typed.

use serde::Deserialize;

use crate::domain::required_text;
use crate::forms::FormErrors;

/// A signature, as typed: the signer's full name, the « J'ai lu et
/// j'accepte » box, and the fingerprint of the text the page showed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SignForm {
    #[serde(rename = "nom_complet")]
    pub full_name: String,
    #[serde(rename = "accepte")]
    pub accepted: String,
    #[serde(rename = "empreinte")]
    pub fingerprint: String,
}

impl SignForm {
    /// The signer's name, when the form is complete and signs exactly
    /// `text`, the contract as it is now (the fingerprint matches).
    pub fn validate(&self, text: &str) -> Result<String, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.required(
            "nom_complet",
            &self.full_name,
            "Indiquez vos nom et prénom : ils valent signature.",
            required_text(&self.full_name, 200),
        );
        if self.accepted != "oui" {
            errors.add("accepte", "Cochez « J'ai lu et j'accepte » pour signer.");
        }
        if super::sha256(text) != self.fingerprint.trim() {
            errors.add("empreinte", "Le contrat a changé depuis que vous l'avez ouvert (appareils ajoutés ou modifiés) : relisez-le avant de signer.");
        }
        match name {
            Some(name) if errors.is_empty() => Ok(name),
            _ => Err(errors),
        }
    }
}
