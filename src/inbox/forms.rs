//! The public contact and application forms, as typed.

use serde::Deserialize;

use crate::domain::{message_text, required_text, years_of_experience, Email, Phone};
use crate::forms::{FormErrors, LINE_MAX, NAME_MAX};
use crate::inbox::{NewApplication, NewQuestion};

/// `/contact`, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    #[serde(flatten)]
    pub person: PersonForm,
    pub message: String,
}

impl QuestionForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("prenom", "Prénom"),
        ("nom", "Nom"),
        ("telephone", "Téléphone"),
        ("email", "Adresse e-mail"),
        ("message", "Votre question"),
    ];

    pub fn validate(&self) -> Result<NewQuestion, FormErrors> {
        let mut e = FormErrors::default();
        let person = self.person.validate(&mut e);
        let message = e.required(
            "message",
            &self.message,
            "Écrivez votre question : ce que vous souhaitez savoir ou le problème rencontré.",
            message_text(&self.message, 10, 5_000),
        );
        match (person, message) {
            (Some(p), Some(message)) => Ok(NewQuestion {
                first_name: p.first_name,
                last_name: p.last_name,
                phone: p.phone,
                email: p.email,
                message,
            }),
            _ => Err(e),
        }
    }
}

/// `/techniciens`, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    #[serde(flatten)]
    pub person: PersonForm,
    pub experience: String,
    #[serde(rename = "entreprise")]
    pub current_company: String,
}

impl ApplicationForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("prenom", "Prénom"),
        ("nom", "Nom"),
        ("telephone", "Téléphone"),
        ("email", "Adresse e-mail"),
        ("experience", "Années d'expérience dans l'ascenseur"),
        ("entreprise", "Entreprise actuelle"),
    ];

    pub fn validate(&self) -> Result<NewApplication, FormErrors> {
        let mut e = FormErrors::default();
        let person = self.person.validate(&mut e);
        let years = e.check("experience", years_of_experience(&self.experience));
        let company = e.required(
            "entreprise",
            &self.current_company,
            "Indiquez l'entreprise où vous travaillez aujourd'hui (ou « sans emploi »).",
            required_text(&self.current_company, LINE_MAX),
        );
        match (person, years, company) {
            (Some(p), Some(years), Some(company)) => Ok(NewApplication {
                first_name: p.first_name,
                last_name: p.last_name,
                phone: p.phone,
                email: p.email,
                years_experience: years,
                current_company: company,
            }),
            _ => Err(e),
        }
    }
}

/// Who writes and how to answer them, as typed: the fields both forms ask
/// first.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    #[serde(rename = "prenom")]
    pub first_name: String,
    #[serde(rename = "nom")]
    pub last_name: String,
    #[serde(rename = "telephone")]
    pub phone: String,
    pub email: String,
}

pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub phone: Phone,
    pub email: Email,
}

impl PersonForm {
    /// Every field is checked, so that the form shows all its errors at once.
    pub fn validate(&self, e: &mut FormErrors) -> Option<Person> {
        let first_name = e.required(
            "prenom",
            &self.first_name,
            "Indiquez votre prénom.",
            required_text(&self.first_name, NAME_MAX),
        );
        let last_name = e.required(
            "nom",
            &self.last_name,
            "Indiquez votre nom.",
            required_text(&self.last_name, NAME_MAX),
        );
        let phone = e.check("telephone", Phone::parse(&self.phone));
        let email = e.required(
            "email",
            &self.email,
            "Indiquez l'adresse e-mail à laquelle vous répondre.",
            Email::parse(&self.email),
        );
        Some(Person {
            first_name: first_name?,
            last_name: last_name?,
            phone: phone?,
            email: email?,
        })
    }
}
