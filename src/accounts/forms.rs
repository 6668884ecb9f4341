//! Account forms: sign-up and new passwords, as typed.

use serde::Deserialize;

use crate::accounts::NewRegistration;
use crate::domain::{Email, NewPassword, Phone};
use crate::forms::{job_title, person, CompanyForm, FormErrors};

/// `/inscription`, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    #[serde(rename = "prenom")]
    pub first_name: String,
    #[serde(rename = "nom")]
    pub last_name: String,
    #[serde(rename = "sexe")]
    pub civility: String,
    #[serde(rename = "role")]
    pub job_title: String,
    pub email: String,
    #[serde(rename = "telephone")]
    pub phone: String,
    #[serde(flatten)]
    pub company: CompanyForm,
    #[serde(rename = "mot_de_passe")]
    pub password: String,
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
        ("code_postal", "Code postal"),
        ("ville", "Ville"),
        ("pays", "Pays"),
        ("mot_de_passe", "Mot de passe"),
        ("confirmation", "Confirmation du mot de passe"),
    ];

    pub fn validate(&self) -> Result<ValidRegistration, FormErrors> {
        let mut e = FormErrors::default();
        let (first_name, last_name, civility) =
            person(&mut e, &self.first_name, &self.last_name, &self.civility);
        let job_title = job_title(&mut e, &self.job_title);
        let email = e.required(
            "email",
            &self.email,
            "Indiquez votre adresse e-mail professionnelle.",
            Email::parse(&self.email),
        );
        let phone = e.check("telephone", Phone::parse(&self.phone));
        let company = self.company.validate(&mut e);
        let personal = [
            self.first_name.as_str(),
            self.last_name.as_str(),
            self.email.as_str(),
            self.company.name.as_str(),
            self.company.city.as_str(),
        ];
        let password = new_password(&mut e, &self.password, &self.confirmation, &personal);
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

/// A new password typed twice (reset and change forms).
/// A new password and its confirmation. A confirmation that differs is
/// reported with the other errors of the form, even when the password
/// itself is refused, so that one submit tells everything.
pub fn new_password(
    errors: &mut FormErrors,
    password: &str,
    confirmation: &str,
    personal: &[&str],
) -> Option<NewPassword> {
    let typed = password;
    let password = errors.required(
        "mot_de_passe",
        typed,
        "Choisissez un mot de passe (12 caractères au moins).",
        NewPassword::parse(typed, personal),
    );
    if typed.is_empty() {
        return None;
    }
    if confirmation.is_empty() {
        errors.add(
            "confirmation",
            "Tapez le mot de passe une seconde fois pour le confirmer.",
        );
        return None;
    }
    if confirmation != typed {
        errors.add(
            "confirmation",
            "Les deux mots de passe ne sont pas identiques.",
        );
        return None;
    }
    password
}
