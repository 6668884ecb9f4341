//! What describes an Appareil (a lift in a building).

use super::FieldError;

const NOT_IN_LIST: &str = "Choisissez une réponse dans la liste.";

/// The kind of device WeMaintain maintains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKind {
    Ascenseur,
    MonteCharge,
    MontePersonne,
}

impl DeviceKind {
    pub const ALL: [DeviceKind; 3] = [
        DeviceKind::Ascenseur,
        DeviceKind::MonteCharge,
        DeviceKind::MontePersonne,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DeviceKind::Ascenseur => "ascenseur",
            DeviceKind::MonteCharge => "monte_charge",
            DeviceKind::MontePersonne => "monte_personne",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeviceKind::Ascenseur => "Ascenseur",
            DeviceKind::MonteCharge => "Monte-charge",
            DeviceKind::MontePersonne => "Monte-personne",
        }
    }

    pub fn parse(key: &str) -> Result<DeviceKind, FieldError> {
        DeviceKind::ALL
            .into_iter()
            .find(|kind| kind.key() == key)
            .ok_or_else(|| FieldError::new(NOT_IN_LIST))
    }
}

/// Whether a device is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    EnService,
    ALArret,
    HorsService,
}

impl DeviceStatus {
    pub const ALL: [DeviceStatus; 3] = [
        DeviceStatus::EnService,
        DeviceStatus::ALArret,
        DeviceStatus::HorsService,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DeviceStatus::EnService => "en_service",
            DeviceStatus::ALArret => "a_l_arret",
            DeviceStatus::HorsService => "hors_service",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeviceStatus::EnService => "En service",
            DeviceStatus::ALArret => "À l'arrêt",
            DeviceStatus::HorsService => "Hors service",
        }
    }

    pub fn parse(key: &str) -> Result<DeviceStatus, FieldError> {
        DeviceStatus::ALL
            .into_iter()
            .find(|status| status.key() == key)
            .ok_or_else(|| FieldError::new(NOT_IN_LIST))
    }
}

/// The year a device was put in service: optional, from 1850 to `this_year`.
pub fn commissioning_year(input: &str, this_year: i32) -> Result<Option<i32>, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    match input.parse::<i32>() {
        Ok(year) if (1850..=this_year).contains(&year) => Ok(Some(year)),
        _ => Err(FieldError::new(format!(
            "Indiquez une année entre 1850 et {this_year}, par exemple 1998."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_parse_their_keys_only() {
        for kind in DeviceKind::ALL {
            assert_eq!(DeviceKind::parse(kind.key()), Ok(kind));
        }
        for status in DeviceStatus::ALL {
            assert_eq!(DeviceStatus::parse(status.key()), Ok(status));
        }
        assert!(DeviceKind::parse("escalator").is_err());
        assert!(DeviceStatus::parse("").is_err());
    }

    #[test]
    fn years_are_bounded() {
        assert_eq!(commissioning_year("", 2026), Ok(None));
        assert_eq!(commissioning_year(" 1998 ", 2026), Ok(Some(1998)));
        assert!(commissioning_year("2027", 2026).is_err());
        assert!(commissioning_year("1849", 2026).is_err());
        assert!(commissioning_year("dix-neuf", 2026).is_err());
    }
}
