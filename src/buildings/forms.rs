//! Building and device forms, as typed.

use serde::Deserialize;

use crate::domain::{
    commissioning_year, optional_text, required_text, Country, DeviceKind, DeviceStatus, PostalCode,
};
use crate::forms::{FormErrors, LINE_MAX, NAME_MAX};

/// A building, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BuildingForm {
    pub nom: String,
    pub adresse: String,
    pub code_postal: String,
    pub ville: String,
    pub pays: String,
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
            nom: building.name.clone(),
            adresse: building.address.clone(),
            code_postal: building.postal_code.clone(),
            ville: building.city.clone(),
            pays: building.country.clone(),
        }
    }

    pub fn validate(&self) -> Result<crate::buildings::NewBuilding, FormErrors> {
        let mut e = FormErrors::default();
        let name = e.check("nom", required_text(&self.nom, LINE_MAX));
        let address = e.check("adresse", required_text(&self.adresse, LINE_MAX));
        let city = e.check("ville", required_text(&self.ville, NAME_MAX));
        let country = e.check("pays", Country::parse(&self.pays));
        let postal_code = match country {
            Some(country) => e.check("code_postal", PostalCode::parse(country, &self.code_postal)),
            None => None,
        };
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
    pub type_appareil: String,
    pub emplacement: String,
    pub marque: String,
    pub numero_serie: String,
    pub annee: String,
    pub etat: String,
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
            type_appareil: device.kind.clone(),
            emplacement: device.location.clone(),
            marque: device.brand.clone().unwrap_or_default(),
            numero_serie: device.serial_number.clone().unwrap_or_default(),
            annee: device
                .commissioned_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            etat: device.status.clone(),
        }
    }

    pub fn validate(&self, this_year: i32) -> Result<crate::buildings::NewDevice, FormErrors> {
        let mut e = FormErrors::default();
        let kind = e.check("type_appareil", DeviceKind::parse(&self.type_appareil));
        let location = e.check("emplacement", required_text(&self.emplacement, LINE_MAX));
        let brand = e.check("marque", optional_text(&self.marque, NAME_MAX));
        let serial_number = e.check("numero_serie", optional_text(&self.numero_serie, NAME_MAX));
        let year = e.check("annee", commissioning_year(&self.annee, this_year));
        let status = e.check("etat", DeviceStatus::parse(&self.etat));
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
