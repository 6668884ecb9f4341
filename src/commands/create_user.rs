//! `wemaintain create-user`: an active account made from the command line,
//! for staff to bootstrap the site (the first admin) or to open a client's
//! account by hand, attached to an existing company or to one created with
//! it.

use crate::accounts::{self, AccountError, CompanyOfNewUser, NewUser};
use crate::audit::{Audit, AuditEvent, PendingAudit};
use crate::auth::Role;
use crate::config::Settings;
use crate::db::{Db, DbError};
use crate::forms::{CompanyForm, FormErrors};
use crate::privacy::Register;

/// The company of a client account, on the command line: an existing one
/// (`--company-id`), or a new one (`--company-name` and its address).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CompanyArgs {
    /// Rattache le compte client à la société n° N (voir /admin/societes).
    #[arg(long, value_name = "N", conflicts_with = "company_name")]
    pub company_id: Option<i64>,
    /// Crée la société du compte client, de ce nom (il faut aussi
    /// --company-address, --company-postal-code et --company-city).
    #[arg(long, value_name = "NOM")]
    pub company_name: Option<String>,
    /// Type de la nouvelle société : agence ou siege (par défaut : siege).
    #[arg(long, value_name = "TYPE")]
    pub company_kind: Option<String>,
    /// Adresse de la nouvelle société (numéro et voie).
    #[arg(long, value_name = "ADRESSE")]
    pub company_address: Option<String>,
    /// Complément d'adresse de la nouvelle société (facultatif).
    #[arg(long, value_name = "COMPLÉMENT")]
    pub company_address_extra: Option<String>,
    /// Code postal de la nouvelle société.
    #[arg(long, value_name = "CODE")]
    pub company_postal_code: Option<String>,
    /// Ville de la nouvelle société.
    #[arg(long, value_name = "VILLE")]
    pub company_city: Option<String>,
    /// Pays de la nouvelle société, en code ISO (par défaut : FR).
    #[arg(long, value_name = "PAYS")]
    pub company_country: Option<String>,
}

/// The option of the command line behind each field of the company form.
const OPTIONS: [(&str, &str); 7] = [
    ("societe", "--company-name"),
    ("type_societe", "--company-kind"),
    ("adresse", "--company-address"),
    ("complement", "--company-address-extra"),
    ("code_postal", "--company-postal-code"),
    ("ville", "--company-city"),
    ("pays", "--company-country"),
];

impl CompanyArgs {
    fn any_new_company_field(&self) -> bool {
        [
            &self.company_name,
            &self.company_kind,
            &self.company_address,
            &self.company_address_extra,
            &self.company_postal_code,
            &self.company_city,
            &self.company_country,
        ]
        .iter()
        .any(|field| field.is_some())
    }

    /// Where an account of `role` goes, or what is wrong with the options.
    pub fn company_of(&self, role: Role) -> Result<CompanyOfNewUser, CreateUserError> {
        let new_company = self.any_new_company_field();
        if role != Role::Client && (self.company_id.is_some() || new_company) {
            return Err(CreateUserError::StaffCompany);
        }
        if let Some(id) = self.company_id {
            if new_company {
                return Err(CreateUserError::Company(
                    "--company-id rattache à une société existante : les options d'une nouvelle société ne s'y ajoutent pas".into(),
                ));
            }
            return Ok(CompanyOfNewUser::Existing(id));
        }
        if !new_company {
            return Ok(CompanyOfNewUser::None);
        }
        self.new_company().map(CompanyOfNewUser::New)
    }

    fn new_company(&self) -> Result<accounts::NewCompany, CreateUserError> {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let form = CompanyForm {
            name: text(&self.company_name),
            kind: self.company_kind.clone().unwrap_or_else(|| "siege".into()),
            address: text(&self.company_address),
            address_extra: text(&self.company_address_extra),
            city: text(&self.company_city),
            postal_code: text(&self.company_postal_code),
            country: self
                .company_country
                .as_deref()
                .unwrap_or("FR")
                .trim()
                .to_uppercase(),
        };
        let mut errors = FormErrors::default();
        match form.validate(&mut errors) {
            Some(company) if errors.is_empty() => Ok(company),
            _ => Err(CreateUserError::Company(company_errors(&errors))),
        }
    }
}

/// The form's messages, each named by its option: `--company-city : …`.
fn company_errors(errors: &FormErrors) -> String {
    let mut lines = Vec::new();
    for (field, option) in OPTIONS {
        let Some(message) = errors.get(field) else {
            continue;
        };
        let message = match field {
            "type_societe" => "indiquez agence ou siege.",
            "pays" => "indiquez le code ISO du pays (FR, BE, CH, LU, MC…).",
            _ => message,
        };
        lines.push(format!("{option} : {message}"));
    }
    lines.join(" ; ")
}

/// Why `create-user` refused; nothing was created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("--email : {0}")]
    Email(String),
    #[error("--first-name/--last-name : {0}")]
    Name(String),
    #[error("mot de passe : {0}")]
    Password(String),
    #[error("un compte utilise déjà l'adresse {0}")]
    AddressTaken(String),
    #[error("--company-id : aucune société n'a le n° {0} (voir /admin/societes) ; aucun compte n'a été créé")]
    UnknownCompany(i64),
    #[error("seul un compte client (--role client) se rattache à une société : les comptes de l'équipe n'en ont pas")]
    StaffCompany,
    #[error("{0}")]
    Company(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("impossible de chiffrer le mot de passe : {0}")]
    Hash(#[from] crate::auth::password::PasswordError),
}

/// An account as `create-user` is asked for it.
pub struct UserRequest<'a> {
    pub role: Role,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub password: &'a str,
    pub company: CompanyOfNewUser,
}

/// `wemaintain create-user` without a company: an active account.
pub async fn create_user(
    db: &Db,
    settings: &Settings,
    role: Role,
    email: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
) -> Result<i64, CreateUserError> {
    let request = UserRequest {
        role,
        email,
        first_name,
        last_name,
        password,
        company: CompanyOfNewUser::None,
    };
    create_account(db, settings, request).await
}

/// `wemaintain create-user`: an active account, in its company if given,
/// its creation audited; the account's id.
pub async fn create_account(
    db: &Db,
    settings: &Settings,
    request: UserRequest<'_>,
) -> Result<i64, CreateUserError> {
    use crate::domain::{required_text, Email, NewPassword};

    let email = Email::parse(request.email).map_err(|e| CreateUserError::Email(e.to_string()))?;
    let name = |text| required_text(text, 100).map_err(|e| CreateUserError::Name(e.to_string()));
    let (first_name, last_name) = (name(request.first_name)?, name(request.last_name)?);
    let password = NewPassword::parse(request.password, &[email.as_str(), &first_name, &last_name])
        .map_err(|e| CreateUserError::Password(e.to_string()))?;
    let role = request.role;
    let new = NewUser {
        role,
        email: email.clone(),
        first_name,
        last_name,
        password_hash: crate::auth::password::hash_password(password.expose().to_owned()).await?,
        company: request.company,
    };
    let register = Register::with_overrides(&settings.retention);
    let audit = PendingAudit {
        audit: Audit::new(AuditEvent::AccountCreated)
            .detail(format!("rôle {}, créé en ligne de commande", role.key())),
        register: &register,
        now: chrono::Utc::now(),
    };
    accounts::create_user(db, &new, audit)
        .await
        .map_err(|error| match error {
            AccountError::AddressTaken => CreateUserError::AddressTaken(email.to_string()),
            AccountError::UnknownCompany(id) => CreateUserError::UnknownCompany(id),
            AccountError::Db(e) => CreateUserError::Db(e),
            other => CreateUserError::Db(DbError::Query(sqlx::Error::Protocol(other.to_string()))),
        })
}

/// Creates the account and says so on the terminal, in French.
pub(super) async fn create_and_tell(
    db: &Db,
    settings: &Settings,
    request: UserRequest<'_>,
) -> Result<(), super::CommandError> {
    let (role, email) = (request.role, request.email.trim().to_lowercase());
    let company = request.company.clone();
    let id = create_account(db, settings, request).await?;
    let company_id = crate::accounts::account_summary(db, id)
        .await
        .map_err(CreateUserError::Db)?
        .and_then(|account| account.company_id);
    println!("Compte n° {id} créé : {email} ({}), actif.", role.label());
    match (company_id, company) {
        (Some(company), CompanyOfNewUser::New(_)) => {
            println!("Société n° {company} créée, et le compte y est rattaché.")
        }
        (Some(company), _) => println!("Le compte est rattaché à la société n° {company}."),
        (None, _) if role == Role::Client => println!(
            "Ce compte client n'est rattaché à aucune société : rattachez-le depuis /admin/comptes/{id} \
             (ou recréez-le avec --company-id ou --company-name)."
        ),
        (None, _) => {}
    }
    Ok(())
}
