//! What every form of the site shares. Forms are read as people fill them in: raw text, kept as typed so
//! that a form sent back with errors shows everything again, and validated
//! into domain types in one place per form. A form is either entirely valid
//! or changes nothing.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::accounts::NewCompany;
use crate::domain::{optional_text, required_text, CompanyKind, Country, PostalCode};

/// The messages of a form, by field name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(BTreeMap<&'static str, String>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
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
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
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
        let name = e.check("societe", required_text(&self.name, LINE_MAX));
        let kind = e.check("type_societe", CompanyKind::parse(&self.kind));
        let address = e.check("adresse", required_text(&self.address, LINE_MAX));
        let extra = e.check("complement", optional_text(&self.address_extra, LINE_MAX));
        let city = e.check("ville", required_text(&self.city, NAME_MAX));
        let country = e.check("pays", Country::parse(&self.country));
        let postal_code = match country {
            Some(country) => e.check("code_postal", PostalCode::parse(country, &self.postal_code)),
            None => None,
        };
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
