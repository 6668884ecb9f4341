//! Building and device forms, as typed.

use serde::Deserialize;

use crate::domain::{
    commissioning_year, optional_text, required_text, Country, DeviceKind, DeviceStatus,
};
use crate::forms::{postal_code, FormErrors, LINE_MAX, NAME_MAX};

/// A building, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BuildingForm {
    #[serde(rename = "nom")]
    pub name: String,
    #[serde(rename = "adresse")]
    pub address: String,
    #[serde(rename = "code_postal")]
    pub postal_code: String,
    #[serde(rename = "ville")]
    pub city: String,
    #[serde(rename = "pays")]
    pub country: String,
}

impl BuildingForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("nom", "Nom du bâtiment"),
        ("adresse", "Adresse"),
        ("code_postal", "Code postal"),
        ("ville", "Ville"),
        ("pays", "Pays"),
    ];

    pub fn of(building: &crate::buildings::Building) -> Self {
        Self {
            name: building.name.clone(),
            address: building.address.clone(),
            postal_code: building.postal_code.clone(),
            city: building.city.clone(),
            country: building.country.clone(),
        }
    }

    pub fn validate(&self) -> Result<crate::buildings::NewBuilding, FormErrors> {
        let mut e = FormErrors::default();
        let name = e.required(
            "nom",
            &self.name,
            "Indiquez le nom du bâtiment (par exemple « Résidence Les Tilleuls »).",
            required_text(&self.name, LINE_MAX),
        );
        let address = e.required(
            "adresse",
            &self.address,
            "Indiquez l'adresse du bâtiment (numéro et rue).",
            required_text(&self.address, LINE_MAX),
        );
        let city = e.required(
            "ville",
            &self.city,
            "Indiquez la ville du bâtiment.",
            required_text(&self.city, NAME_MAX),
        );
        let country = e.required(
            "pays",
            &self.country,
            "Choisissez le pays du bâtiment.",
            Country::parse(&self.country),
        );
        let postal_code = postal_code(&mut e, country, &self.postal_code, "du bâtiment");
        match (name, address, postal_code, city, country) {
            (Some(name), Some(address), Some(postal_code), Some(city), Some(country)) => {
                Ok(crate::buildings::NewBuilding {
                    name,
                    address,
                    postal_code,
                    city,
                    country,
                })
            }
            _ => Err(e),
        }
    }
}

/// A device, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeviceForm {
    #[serde(rename = "type_appareil")]
    pub kind: String,
    #[serde(rename = "emplacement")]
    pub location: String,
    #[serde(rename = "marque")]
    pub brand: String,
    #[serde(rename = "numero_serie")]
    pub serial_number: String,
    /// The year of commissioning.
    #[serde(rename = "annee")]
    pub year: String,
    #[serde(rename = "etat")]
    pub status: String,
}

impl DeviceForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("type_appareil", "Type d'appareil"),
        ("emplacement", "Emplacement dans le bâtiment"),
        ("marque", "Marque"),
        ("numero_serie", "Numéro de série"),
        ("annee", "Année de mise en service"),
        ("etat", "État"),
    ];

    pub fn of(device: &crate::buildings::Device) -> Self {
        Self {
            kind: device.kind.clone(),
            location: device.location.clone(),
            brand: device.brand.clone().unwrap_or_default(),
            serial_number: device.serial_number.clone().unwrap_or_default(),
            year: device
                .commissioned_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            status: device.status.clone(),
        }
    }

    pub fn validate(&self, this_year: i32) -> Result<crate::buildings::NewDevice, FormErrors> {
        let mut e = FormErrors::default();
        let kind = e.required(
            "type_appareil",
            &self.kind,
            "Choisissez le type d'appareil (ascenseur, monte-charge…).",
            DeviceKind::parse(&self.kind),
        );
        let location = e.required(
            "emplacement",
            &self.location,
            "Indiquez où se trouve l'appareil dans le bâtiment (par exemple « Cage B »).",
            required_text(&self.location, LINE_MAX),
        );
        let brand = e.check("marque", optional_text(&self.brand, NAME_MAX));
        let serial_number = e.check("numero_serie", optional_text(&self.serial_number, NAME_MAX));
        let year = e.check("annee", commissioning_year(&self.year, this_year));
        let status = e.required(
            "etat",
            &self.status,
            "Choisissez l'état de l'appareil.",
            DeviceStatus::parse(&self.status),
        );
        match (kind, location, brand, serial_number, year, status) {
            (
                Some(kind),
                Some(location),
                Some(brand),
                Some(serial_number),
                Some(year),
                Some(status),
            ) => Ok(crate::buildings::NewDevice {
                kind,
                location,
                brand,
                serial_number,
                commissioned_year: year,
                status,
            }),
            _ => Err(e),
        }
    }
}
