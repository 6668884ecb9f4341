//! What every form of the site shares. Forms are read as people fill them in: raw text, kept as typed so
//! that a form sent back with errors shows everything again, and validated
//! into domain types in one place per form. A form is either entirely valid
//! or changes nothing.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::accounts::NewCompany;
use crate::domain::{optional_text, required_text, Civility, CompanyKind, Country, PostalCode};

/// The messages of a form, by field name, and which form of the page they
/// belong to when a page has several (see [`FormErrors::in_form`]). The
/// summary lists them in the order of the form's fields, not of this map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    form: Option<&'static str>,
    messages: BTreeMap<&'static str, String>,
}

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.messages.entry(field).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.messages.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Marks these errors as those of one form of a page that has several
    /// (`"clore"`, `"prolonger"`…): only that form shows them, and the ids
    /// of its fields, which the summary links to, start with its name.
    pub fn in_form(mut self, form: &'static str) -> Self {
        self.form = Some(form);
        self
    }

    /// The form these errors belong to, when the page has several.
    pub fn form(&self) -> Option<&'static str> {
        self.form
    }

    /// Runs the parser of a field that must be filled in: left blank, the
    /// field gets `missing`, a sentence naming what to fill in (« Indiquez
    /// le nom du bâtiment. »), instead of the parser's general message.
    pub fn required<T, E: std::fmt::Display>(
        &mut self,
        field: &'static str,
        typed: &str,
        missing: &str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        if typed.trim().is_empty() {
            self.add(field, missing);
            return None;
        }
        self.check(field, parsed)
    }

    /// Runs a parser on a field's value, keeping its message on failure.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &'static str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.to_string());
                None
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.messages.iter().map(|(k, v)| (*k, v.as_str()))
    }
}

pub(crate) const NAME_MAX: usize = 100;
pub(crate) const LINE_MAX: usize = 200;

/// The company's fields, as `/inscription` and `/profil/donnees/modifier`
/// both ask them (each form takes them with `#[serde(flatten)]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CompanyForm {
    #[serde(rename = "societe")]
    pub name: String,
    #[serde(rename = "type_societe")]
    pub kind: String,
    #[serde(rename = "adresse")]
    pub address: String,
    #[serde(rename = "complement")]
    pub address_extra: String,
    #[serde(rename = "ville")]
    pub city: String,
    #[serde(rename = "code_postal")]
    pub postal_code: String,
    #[serde(rename = "pays")]
    pub country: String,
}

impl CompanyForm {
    pub fn validate(&self, e: &mut FormErrors) -> Option<NewCompany> {
        let name = e.required(
            "societe",
            &self.name,
            "Indiquez le nom de la société.",
            required_text(&self.name, LINE_MAX),
        );
        let kind = e.required(
            "type_societe",
            &self.kind,
            "Choisissez le type de société.",
            CompanyKind::parse(&self.kind),
        );
        let address = e.required(
            "adresse",
            &self.address,
            "Indiquez l'adresse de la société (numéro et rue).",
            required_text(&self.address, LINE_MAX),
        );
        let extra = e.check("complement", optional_text(&self.address_extra, LINE_MAX));
        let city = e.required(
            "ville",
            &self.city,
            "Indiquez la ville de la société.",
            required_text(&self.city, NAME_MAX),
        );
        let country = e.required(
            "pays",
            &self.country,
            "Choisissez le pays de la société.",
            Country::parse(&self.country),
        );
        let postal_code = postal_code(e, country, &self.postal_code, "de la société");
        Some(NewCompany {
            name: name?,
            kind: kind?,
            address: address?,
            address_extra: extra?,
            city: city?,
            postal_code: postal_code?,
            country: country?,
        })
    }
}

/// Reads the postal code of whatever `of` names (« du bâtiment »), once the
/// country is known; left blank, the message says the expected shape.
pub(crate) fn postal_code(
    e: &mut FormErrors,
    country: Option<Country>,
    typed: &str,
    of: &str,
) -> Option<PostalCode> {
    let Some(country) = country else {
        // Without a country the code cannot be read; only its absence is told.
        if typed.trim().is_empty() {
            e.add("code_postal", format!("Indiquez le code postal {of}."));
        }
        return None;
    };
    let missing = format!(
        "Indiquez le code postal {of} ({}).",
        country.postal_code_shape()
    );
    e.required(
        "code_postal",
        typed,
        &missing,
        PostalCode::parse(country, typed),
    )
}

/// A person's first name, last name and civility, as the sign-up and the
/// profile form ask them.
pub(crate) fn person(
    e: &mut FormErrors,
    first_name: &str,
    last_name: &str,
    civility: &str,
) -> (Option<String>, Option<String>, Option<Civility>) {
    let first = e.required(
        "prenom",
        first_name,
        "Indiquez votre prénom.",
        required_text(first_name, NAME_MAX),
    );
    let last = e.required(
        "nom",
        last_name,
        "Indiquez votre nom.",
        required_text(last_name, NAME_MAX),
    );
    let civility = e.required(
        "sexe",
        civility,
        "Choisissez votre civilité.",
        Civility::parse(civility),
    );
    (first, last, civility)
}

/// The job title a person gives, as the sign-up and the profile ask it.
pub(crate) fn job_title(e: &mut FormErrors, typed: &str) -> Option<String> {
    e.required(
        "role",
        typed,
        "Indiquez votre rôle dans la société (par exemple : gestionnaire de copropriété).",
        required_text(typed, NAME_MAX),
    )
}
