//! Rights forms: profile changes, public requests and staff decisions.

use serde::Deserialize;

use crate::domain::{message_text, optional_text, Email, Phone};
use crate::forms::{job_title, person, CompanyForm, FormErrors};

/// `/profil/donnees/modifier`: every field given at registration but the
/// address and the password, which have their own forms.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    #[serde(rename = "prenom")]
    pub first_name: String,
    #[serde(rename = "nom")]
    pub last_name: String,
    #[serde(rename = "sexe")]
    pub civility: String,
    #[serde(rename = "role")]
    pub job_title: String,
    #[serde(rename = "telephone")]
    pub phone: String,
    #[serde(flatten)]
    pub company: CompanyForm,
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
        ("code_postal", "Code postal"),
        ("ville", "Ville"),
        ("pays", "Pays"),
    ];

    /// The form filled with what is stored.
    pub fn of(p: &crate::accounts::Profile) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            civility: s(&p.civility),
            job_title: s(&p.job_title),
            phone: p
                .phone
                .clone()
                .map(|phone| Phone::from_stored(phone).display_international())
                .unwrap_or_default(),
            company: CompanyForm {
                name: s(&p.company_name),
                kind: s(&p.company_kind),
                address: s(&p.address),
                address_extra: s(&p.address_extra),
                city: s(&p.city),
                postal_code: s(&p.postal_code),
                country: s(&p.country),
            },
        }
    }

    /// `with_company`: the account belongs to a company, whose fields are
    /// then required too.
    pub fn validate(
        &self,
        with_company: bool,
    ) -> Result<crate::rights::profile_changes::ProfileUpdate, FormErrors> {
        let mut e = FormErrors::default();
        let (first_name, last_name, civility) =
            person(&mut e, &self.first_name, &self.last_name, &self.civility);
        let job_title = job_title(&mut e, &self.job_title);
        let phone = e.check("telephone", Phone::parse(&self.phone));
        let company = if with_company {
            self.company.validate(&mut e)
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
    #[serde(rename = "droit")]
    pub right: String,
    pub email: String,
    #[serde(rename = "visite")]
    pub visit: String,
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
        let kind = e.required(
            "droit",
            &self.right,
            "Choisissez le droit que vous exercez (accès, rectification, effacement…).",
            crate::rights::RightKind::parse(&self.right),
        );
        let email = e.required(
            "email",
            &self.email,
            "Indiquez l'adresse e-mail à laquelle vous répondre.",
            Email::parse(&self.email),
        );
        let visit = e.check("visite", optional_text(&self.visit, 1000));
        let message = e.required(
            "message",
            &self.message,
            "Décrivez votre demande : ce que vous voulez obtenir, et sur quelles données.",
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
    #[serde(rename = "mois")]
    pub months: String,
    /// The reason of an extension, the question or the outcome.
    #[serde(rename = "texte")]
    pub text: String,
}

impl RightsDecisionForm {
    /// The names of the three decision forms of a request's page (and the
    /// ends of their addresses), which prefix their ids.
    pub const CLOSE: &'static str = "clore";
    pub const QUESTION: &'static str = "informations";
    pub const EXTEND: &'static str = "prolonger";

    /// The extension: 1 or 2 months, and a written reason.
    pub fn extension(&self) -> Result<(u32, String), FormErrors> {
        let mut e = FormErrors::default().in_form(Self::EXTEND);
        let months = match self.months.trim() {
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
                &self.text,
                2000,
                "Indiquez le motif de la prolongation : il est envoyé au demandeur.",
            ),
        );
        match (months, reason) {
            (Some(months), Some(reason)) if e.is_empty() => Ok((months, reason)),
            _ => Err(e),
        }
    }

    /// The text of a question or an outcome, typed in the form named
    /// `form`; `missing` says what to write when it is left blank.
    pub fn text(&self, form: &'static str, missing: &str) -> Result<String, FormErrors> {
        let mut e = FormErrors::default().in_form(form);
        let text = e.check(
            "texte",
            decision_text(&self.text, crate::rights::MESSAGE_MAX, missing),
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
