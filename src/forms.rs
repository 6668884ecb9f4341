//! The forms of the site as people fill them in: raw text, kept as typed so
//! that a form sent back with errors shows everything again, and validated
//! into domain types in one place per form. A form is either entirely valid
//! or changes nothing.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::accounts::{NewCompany, NewRegistration};
use crate::domain::{
    commissioning_year, message_text, optional_text, required_text, years_of_experience, Civility,
    CompanyKind, Country, DeviceKind, DeviceStatus, Email, NewPassword, Phone, PostalCode,
};
use crate::inbox::{NewApplication, NewQuestion};

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

const NAME_MAX: usize = 100;
const LINE_MAX: usize = 200;

/// The company's fields, as `/inscription` and `/profil/donnees/modifier`
/// both ask them.
struct CompanyFields<'a> {
    societe: &'a str,
    type_societe: &'a str,
    adresse: &'a str,
    complement: &'a str,
    ville: &'a str,
    code_postal: &'a str,
    pays: &'a str,
}

impl CompanyFields<'_> {
    fn validate(&self, e: &mut FormErrors) -> Option<NewCompany> {
        let name = e.check("societe", required_text(self.societe, LINE_MAX));
        let kind = e.check("type_societe", CompanyKind::parse(self.type_societe));
        let address = e.check("adresse", required_text(self.adresse, LINE_MAX));
        let extra = e.check("complement", optional_text(self.complement, LINE_MAX));
        let city = e.check("ville", required_text(self.ville, NAME_MAX));
        let country = e.check("pays", Country::parse(self.pays));
        let postal_code = match country {
            Some(country) => e.check("code_postal", PostalCode::parse(country, self.code_postal)),
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

/// `/inscription`, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub prenom: String,
    pub nom: String,
    pub sexe: String,
    pub role: String,
    pub email: String,
    pub telephone: String,
    pub societe: String,
    pub type_societe: String,
    pub adresse: String,
    pub complement: String,
    pub ville: String,
    pub code_postal: String,
    pub pays: String,
    pub mot_de_passe: String,
    pub confirmation: String,
}

/// A registration whose every field is valid; the password is still clear,
/// to be hashed by the caller.
pub struct ValidRegistration {
    pub password: NewPassword,
    /// Everything but the password hash.
    pub registration: NewRegistration,
}

impl RegistrationForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("prenom", "Prénom"),
        ("nom", "Nom"),
        ("sexe", "Civilité"),
        ("role", "Rôle dans la société"),
        ("email", "Adresse e-mail"),
        ("telephone", "Téléphone"),
        ("societe", "Nom de la société"),
        ("type_societe", "Type de société"),
        ("adresse", "Adresse"),
        ("complement", "Informations complémentaires"),
        ("ville", "Ville"),
        ("code_postal", "Code postal"),
        ("pays", "Pays"),
        ("mot_de_passe", "Mot de passe"),
        ("confirmation", "Confirmation du mot de passe"),
    ];

    pub fn validate(&self) -> Result<ValidRegistration, FormErrors> {
        let mut e = FormErrors::default();
        let first_name = e.check("prenom", required_text(&self.prenom, NAME_MAX));
        let last_name = e.check("nom", required_text(&self.nom, NAME_MAX));
        let civility = e.check("sexe", Civility::parse(&self.sexe));
        let job_title = e.check("role", required_text(&self.role, NAME_MAX));
        let email = e.check("email", Email::parse(&self.email));
        let phone = e.check("telephone", Phone::parse(&self.telephone));
        let company = CompanyFields {
            societe: &self.societe,
            type_societe: &self.type_societe,
            adresse: &self.adresse,
            complement: &self.complement,
            ville: &self.ville,
            code_postal: &self.code_postal,
            pays: &self.pays,
        }
        .validate(&mut e);
        let personal = [
            self.prenom.as_str(),
            self.nom.as_str(),
            self.email.as_str(),
            self.societe.as_str(),
            self.ville.as_str(),
        ];
        let password = e.check(
            "mot_de_passe",
            NewPassword::parse(&self.mot_de_passe, &personal),
        );
        if password.is_some() && self.confirmation != self.mot_de_passe {
            e.add(
                "confirmation",
                "Les deux mots de passe ne sont pas identiques.",
            );
        }
        match (
            first_name, last_name, civility, job_title, email, phone, company, password,
        ) {
            (
                Some(first_name),
                Some(last_name),
                Some(civility),
                Some(job_title),
                Some(email),
                Some(phone),
                Some(company),
                Some(password),
            ) if e.is_empty() => Ok(ValidRegistration {
                password,
                registration: NewRegistration {
                    email,
                    password_hash: String::new(),
                    first_name,
                    last_name,
                    civility,
                    job_title,
                    phone,
                    company,
                },
            }),
            _ => Err(e),
        }
    }
}

/// `/contact`, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    pub prenom: String,
    pub nom: String,
    pub telephone: String,
    pub email: String,
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
        let first_name = e.check("prenom", required_text(&self.prenom, NAME_MAX));
        let last_name = e.check("nom", required_text(&self.nom, NAME_MAX));
        let phone = e.check("telephone", Phone::parse(&self.telephone));
        let email = e.check("email", Email::parse(&self.email));
        let message = e.check("message", message_text(&self.message, 10, 5_000));
        match (first_name, last_name, phone, email, message) {
            (Some(first_name), Some(last_name), Some(phone), Some(email), Some(message)) => {
                Ok(NewQuestion {
                    first_name,
                    last_name,
                    phone,
                    email,
                    message,
                })
            }
            _ => Err(e),
        }
    }
}

/// `/techniciens`, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub prenom: String,
    pub nom: String,
    pub telephone: String,
    pub email: String,
    pub experience: String,
    pub entreprise: String,
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
        let first_name = e.check("prenom", required_text(&self.prenom, NAME_MAX));
        let last_name = e.check("nom", required_text(&self.nom, NAME_MAX));
        let phone = e.check("telephone", Phone::parse(&self.telephone));
        let email = e.check("email", Email::parse(&self.email));
        let years = e.check("experience", years_of_experience(&self.experience));
        let company = e.check("entreprise", required_text(&self.entreprise, LINE_MAX));
        match (first_name, last_name, phone, email, years, company) {
            (
                Some(first_name),
                Some(last_name),
                Some(phone),
                Some(email),
                Some(years),
                Some(company),
            ) => Ok(NewApplication {
                first_name,
                last_name,
                phone,
                email,
                years_experience: years,
                current_company: company,
            }),
            _ => Err(e),
        }
    }
}

/// A new password typed twice (reset and change forms).
pub fn new_password(
    errors: &mut FormErrors,
    password: &str,
    confirmation: &str,
    personal: &[&str],
) -> Option<NewPassword> {
    let password = errors.check("mot_de_passe", NewPassword::parse(password, personal))?;
    if password.expose() != confirmation {
        errors.add(
            "confirmation",
            "Les deux mots de passe ne sont pas identiques.",
        );
        return None;
    }
    Some(password)
}

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

/// A maintenance request, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    pub appareil: String,
    pub nature: String,
    pub urgence: String,
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
            self.appareil.trim().parse::<i64>().map_err(|_| {
                crate::domain::FieldError::new("Choisissez l'appareil concerné dans la liste.")
            }),
        );
        let nature = e.check("nature", Nature::parse(&self.nature));
        let urgency = e.check("urgence", Urgency::parse(&self.urgence));
        let description = e.check("description", message_text(&self.description, 10, 5_000));
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
        match e.check("message", message_text(&self.message, 2, 5_000)) {
            Some(text) => Ok(text),
            None => Err(e),
        }
    }
}

/// An information report, as staff type it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    pub appareil: String,
    pub prestation: String,
    pub date: String,
    pub travaux: String,
    pub pieces: String,
    pub etat: String,
}

impl ReportForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("appareil", "Appareil"),
        ("prestation", "Prestation"),
        ("date", "Date de l'intervention"),
        ("travaux", "Travaux réalisés"),
        ("pieces", "Pièces remplacées"),
        ("etat", "État de l'appareil après l'intervention"),
    ];

    pub fn validate(
        &self,
        today: chrono::NaiveDate,
    ) -> Result<crate::information_reports::NewReport, FormErrors> {
        use crate::information_reports::{NewReport, Prestation};
        let mut e = FormErrors::default();
        let device_id = e.check(
            "appareil",
            self.appareil.trim().parse::<i64>().map_err(|_| {
                crate::domain::FieldError::new("Choisissez l'appareil dans la liste.")
            }),
        );
        let kind = e.check("prestation", Prestation::parse(&self.prestation));
        let date = e.check(
            "date",
            chrono::NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
                .ok()
                .filter(|d| {
                    *d <= today && *d >= chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(*d)
                })
                .ok_or_else(|| {
                    crate::domain::FieldError::new(
                        "Indiquez la date de l'intervention (aujourd'hui au plus tard).",
                    )
                }),
        );
        let work_done = e.check("travaux", message_text(&self.travaux, 10, 10_000));
        let parts = if self.pieces.trim().is_empty() {
            Some(None)
        } else {
            e.check("pieces", message_text(&self.pieces, 2, 5_000))
                .map(Some)
        };
        let state = e.check("etat", DeviceStatus::parse(&self.etat));
        match (device_id, kind, date, work_done, parts, state) {
            (
                Some(device_id),
                Some(kind),
                Some(performed_on),
                Some(work_done),
                Some(parts_replaced),
                Some(device_state),
            ) => Ok(NewReport {
                device_id,
                kind,
                performed_on,
                work_done,
                parts_replaced,
                device_state,
            }),
            _ => Err(e),
        }
    }
}

/// A request for a commercial proposal, as typed. Several devices can be
/// ticked, so it is read from the raw form body (repeated `appareils`).
#[derive(Debug, Clone, Default)]
pub struct ProposalForm {
    pub appareils: Vec<String>,
    pub pre_visite: bool,
    pub dates: String,
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
                "appareils" => form.appareils.push(value.into_owned()),
                "pre_visite" => form.pre_visite = value == "oui",
                "dates" => form.dates = value.into_owned(),
                "message" => form.message = value.into_owned(),
                _ => {}
            }
        }
        form
    }

    pub fn validate(&self) -> Result<crate::proposals::NewProposal, FormErrors> {
        let mut e = FormErrors::default();
        let devices: Result<Vec<i64>, _> = self
            .appareils
            .iter()
            .map(|a| a.trim().parse::<i64>())
            .collect();
        let devices = match devices {
            Ok(devices) if !devices.is_empty() && devices.len() <= 200 => Some(devices),
            _ => {
                e.add("appareils", "Cochez au moins un appareil.");
                None
            }
        };
        let preferred_dates = if self.pre_visite {
            e.check("dates", required_text(&self.dates, LINE_MAX))
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
                    previsit: self.pre_visite,
                    preferred_dates,
                    message,
                })
            }
            _ => Err(e),
        }
    }
}

/// `/profil/donnees/modifier`: every field given at registration but the
/// address and the password, which have their own forms.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub prenom: String,
    pub nom: String,
    pub sexe: String,
    pub role: String,
    pub telephone: String,
    pub societe: String,
    pub type_societe: String,
    pub adresse: String,
    pub complement: String,
    pub ville: String,
    pub code_postal: String,
    pub pays: String,
}

impl ProfileForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("prenom", "Prénom"),
        ("nom", "Nom"),
        ("sexe", "Civilité"),
        ("role", "Rôle dans la société"),
        ("telephone", "Téléphone"),
        ("societe", "Nom de la société"),
        ("type_societe", "Type de société"),
        ("adresse", "Adresse"),
        ("complement", "Informations complémentaires"),
        ("ville", "Ville"),
        ("code_postal", "Code postal"),
        ("pays", "Pays"),
    ];

    /// The form filled with what is stored.
    pub fn of(p: &crate::accounts::Profile) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            prenom: p.first_name.clone(),
            nom: p.last_name.clone(),
            sexe: s(&p.civility),
            role: s(&p.job_title),
            telephone: p
                .phone
                .clone()
                .map(|phone| Phone::from_stored(phone).display_international())
                .unwrap_or_default(),
            societe: s(&p.company_name),
            type_societe: s(&p.company_kind),
            adresse: s(&p.address),
            complement: s(&p.address_extra),
            ville: s(&p.city),
            code_postal: s(&p.postal_code),
            pays: s(&p.country),
        }
    }

    /// `with_company`: the account belongs to a company, whose fields are
    /// then required too.
    pub fn validate(
        &self,
        with_company: bool,
    ) -> Result<crate::rights::profile_changes::ProfileUpdate, FormErrors> {
        let mut e = FormErrors::default();
        let first_name = e.check("prenom", required_text(&self.prenom, NAME_MAX));
        let last_name = e.check("nom", required_text(&self.nom, NAME_MAX));
        let civility = e.check("sexe", Civility::parse(&self.sexe));
        let job_title = e.check("role", required_text(&self.role, NAME_MAX));
        let phone = e.check("telephone", Phone::parse(&self.telephone));
        let company = if with_company {
            CompanyFields {
                societe: &self.societe,
                type_societe: &self.type_societe,
                adresse: &self.adresse,
                complement: &self.complement,
                ville: &self.ville,
                code_postal: &self.code_postal,
                pays: &self.pays,
            }
            .validate(&mut e)
        } else {
            None
        };
        match (first_name, last_name, civility, job_title, phone) {
            (Some(first_name), Some(last_name), Some(civility), Some(job_title), Some(phone))
                if e.is_empty() =>
            {
                Ok(crate::rights::profile_changes::ProfileUpdate {
                    first_name,
                    last_name,
                    civility,
                    job_title,
                    phone,
                    company,
                })
            }
            _ => Err(e),
        }
    }
}

/// `/confidentialite/demande`, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RightsRequestForm {
    pub droit: String,
    pub email: String,
    pub visite: String,
    pub message: String,
}

impl RightsRequestForm {
    pub const LABELS: &'static [(&'static str, &'static str)] = &[
        ("droit", "Droit exercé"),
        ("email", "Adresse e-mail"),
        ("visite", "Votre visite du site"),
        ("message", "Votre demande"),
    ];

    pub fn validate(&self) -> Result<crate::rights::NewRightsRequest, FormErrors> {
        let mut e = FormErrors::default();
        let kind = e.check("droit", crate::rights::RightKind::parse(&self.droit));
        let email = e.check("email", Email::parse(&self.email));
        let visit = e.check("visite", optional_text(&self.visite, 1000));
        let message = e.check(
            "message",
            message_text(&self.message, 10, crate::rights::MESSAGE_MAX),
        );
        match (kind, email, visit, message) {
            (Some(kind), Some(email), Some(visit_description), Some(message)) if e.is_empty() => {
                Ok(crate::rights::NewRightsRequest {
                    kind,
                    email,
                    visit_description,
                    message,
                })
            }
            _ => Err(e),
        }
    }
}

/// A staff decision on a rights request: an extension (months and reason),
/// a question to the requester, or the outcome that closes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RightsDecisionForm {
    pub mois: String,
    pub texte: String,
}

impl RightsDecisionForm {
    /// The extension: 1 or 2 months, and a written reason.
    pub fn extension(&self) -> Result<(u32, String), FormErrors> {
        let mut e = FormErrors::default();
        let months = match self.mois.trim() {
            "1" => Some(1),
            "2" => Some(2),
            _ => {
                e.add("mois", "Choisissez une prolongation d'un ou deux mois.");
                None
            }
        };
        let reason = e.check(
            "texte",
            decision_text(
                &self.texte,
                2000,
                "Écrivez le motif de la prolongation : il est envoyé au demandeur.",
            ),
        );
        match (months, reason) {
            (Some(months), Some(reason)) if e.is_empty() => Ok((months, reason)),
            _ => Err(e),
        }
    }

    /// The text of a question or an outcome.
    pub fn text(&self, what: &'static str) -> Result<String, FormErrors> {
        let mut e = FormErrors::default();
        let text = e.check(
            "texte",
            decision_text(&self.texte, crate::rights::MESSAGE_MAX, what),
        );
        text.ok_or(e)
    }
}

/// A staff text sent to a requester: `when_empty` says what to write.
fn decision_text(input: &str, max_chars: usize, when_empty: &str) -> Result<String, String> {
    if input.trim().is_empty() {
        return Err(when_empty.to_owned());
    }
    message_text(input, 10, max_chars).map_err(|e| e.to_string())
}
