//! Erasure of an Utilisateur's account, from the Profile: everything about
//! the person goes in one transaction, except what a law or another person's
//! rights require to keep, and the person gets a statement per category
//! saying which.

use chrono::{DateTime, Utc};

use super::{first_due_date, RightKind, RightsError};
use crate::audit::{Audit, AuditEvent};
use crate::auth::digest;
use crate::db::{millis, Db, Sql, Tx};
use crate::privacy::{Purpose, Register};
use crate::views::forms::french_date;
use crate::views::typography::{plural, plural_word};

/// What became of one category of data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Erased,
    Kept { why: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    pub category: &'static str,
    pub outcome: Outcome,
}

/// The answer to an erasure, category by category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureStatement {
    pub email: String,
    pub first_name: String,
    pub lines: Vec<StatementLine>,
}

impl ErasureStatement {
    /// The statement as plain text, for the e-mail and the kept proof.
    pub fn as_text(&self) -> String {
        self.lines
            .iter()
            .map(|line| match &line.outcome {
                Outcome::Erased => format!("- {} : effacé.", line.category),
                Outcome::Kept { why } => format!("- {} : conservé. {why}", line.category),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// What stands in for an erased person's address in the records that must
/// be kept: enough to recognise the address if the person writes again,
/// not enough to read it.
pub fn address_fingerprint(email: &str) -> String {
    format!("empreinte:{}", digest(&email.trim().to_lowercase()))
}

/// The retention windows an erasure starts or tells about.
struct Windows {
    evidence_until: DateTime<Utc>,
    requests_until: DateTime<Utc>,
    security_until: DateTime<Utc>,
    evidence_period: String,
    requests_period: String,
    security_period: String,
}

impl Windows {
    fn new(register: &Register, now: DateTime<Utc>) -> Windows {
        let period = |purpose| register.retention(purpose).period;
        Windows {
            evidence_until: period(Purpose::ContractEvidence).after(now),
            requests_until: period(Purpose::RightsRequests).after(now),
            security_until: period(Purpose::Security).after(now),
            evidence_period: period(Purpose::ContractEvidence).in_french(),
            requests_period: period(Purpose::RightsRequests).in_french(),
            security_period: period(Purpose::Security).in_french(),
        }
    }
}

/// The account being erased, as read before anything goes.
struct Person {
    id: i64,
    email: String,
    first_name: String,
    company_id: Option<i64>,
    /// The address, if the account proved it owns it: what was sent with
    /// it goes with the account only then (`= NULL` matches nothing).
    proven: Option<String>,
    fingerprint: String,
    /// The other accounts of the company.
    others: i64,
    /// The contracts the company signed online.
    signatures: i64,
}

impl Person {
    /// The company to erase with its last account.
    fn sole_company(&self) -> Option<i64> {
        self.company_id.filter(|_| self.others == 0)
    }
}

/// Erases the account `user_id`. Its sessions end with it: the session
/// store finds no account any more. One transaction: all of it, or nothing.
pub async fn erase_account(
    db: &Db,
    register: &Register,
    now: DateTime<Utc>,
    user_id: i64,
    ip: &str,
) -> Result<ErasureStatement, RightsError> {
    let windows = Windows::new(register, now);
    let mut tx = db.begin_write().await?;
    let person = read_person(&mut tx, user_id)
        .await?
        .ok_or(RightsError::NotFound)?;
    delete_sign_in_records(&mut tx, person.id).await?;
    match person.sole_company() {
        Some(company) => delete_company_records(&mut tx, company, &windows).await?,
        None => detach_from_company_records(&mut tx, person.id).await?,
    }
    Sql::new("DELETE FROM users WHERE id = $1")
        .bind(person.id)
        .execute(&mut tx)
        .await?;
    if let Some(company) = person.sole_company() {
        delete_or_empty_company(&mut tx, company, person.signatures, &windows).await?;
    }
    delete_records_sent_with_address(&mut tx, &person).await?;
    strip_security_log(&mut tx, &person).await?;
    strip_rights_requests(&mut tx, &person).await?;
    let statement = statement(&person, &windows);
    record_erasure_request(&mut tx, now, &person, &statement, &windows).await?;
    Audit::new(AuditEvent::AccountErased)
        .ip(ip)
        .record_in(&mut tx, register, now)
        .await?;
    tx.commit().await?;
    Ok(statement)
}

async fn read_person(tx: &mut Tx, user_id: i64) -> Result<Option<Person>, sqlx::Error> {
    let row: Option<(String, String, Option<i64>, Option<i64>)> = Sql::new(
        "SELECT email, first_name, company_id, email_confirmed_at FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((email, first_name, company_id, confirmed_at)) = row else {
        return Ok(None);
    };
    let others: i64 = Sql::new("SELECT COUNT(*) FROM users WHERE company_id = $1 AND id <> $2")
        .bind(company_id.unwrap_or(-1))
        .bind(user_id)
        .fetch_value(&mut *tx)
        .await?;
    let signatures: i64 =
        Sql::new("SELECT COUNT(*) FROM contract_signatures WHERE company_id = $1")
            .bind(company_id.unwrap_or(-1))
            .fetch_value(&mut *tx)
            .await?;
    Ok(Some(Person {
        id: user_id,
        proven: confirmed_at.map(|_| email.clone()),
        fingerprint: address_fingerprint(&email),
        email,
        first_name,
        company_id,
        others,
        signatures,
    }))
}

async fn delete_sign_in_records(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    for table in ["sessions", "password_resets", "email_changes"] {
        Sql::new(format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// The company goes with its last account, and its contract ends: the
/// evidence's retention starts now.
async fn delete_company_records(
    tx: &mut Tx,
    company: i64,
    windows: &Windows,
) -> Result<(), sqlx::Error> {
    for statement in [
        "DELETE FROM proposal_devices WHERE proposal_id IN \
           (SELECT id FROM proposal_requests WHERE company_id = $1)",
        "DELETE FROM proposal_requests WHERE company_id = $1",
        "DELETE FROM reports WHERE company_id = $1",
        "DELETE FROM request_messages WHERE request_id IN \
           (SELECT id FROM maintenance_requests WHERE company_id = $1)",
        "DELETE FROM maintenance_requests WHERE company_id = $1",
        "DELETE FROM devices WHERE building_id IN \
           (SELECT id FROM buildings WHERE company_id = $1)",
        "DELETE FROM buildings WHERE company_id = $1",
    ] {
        Sql::new(statement).bind(company).execute(&mut *tx).await?;
    }
    Sql::new(
        "UPDATE contract_signatures SET expires_at = $1 \
         WHERE company_id = $2 AND expires_at IS NULL",
    )
    .bind(millis(windows.evidence_until))
    .bind(company)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The company stays with its other accounts; its records no longer name
/// the erased one.
async fn detach_from_company_records(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    for statement in [
        "UPDATE maintenance_requests SET created_by = NULL WHERE created_by = $1",
        "UPDATE request_messages SET author_id = NULL WHERE author_id = $1",
        "UPDATE proposal_requests SET created_by = NULL WHERE created_by = $1",
    ] {
        Sql::new(statement).bind(user_id).execute(&mut *tx).await?;
    }
    Ok(())
}

async fn delete_or_empty_company(
    tx: &mut Tx,
    company: i64,
    signatures: i64,
    windows: &Windows,
) -> Result<(), sqlx::Error> {
    if signatures == 0 {
        Sql::new("DELETE FROM companies WHERE id = $1")
            .bind(company)
            .execute(&mut *tx)
            .await?;
        return Ok(());
    }
    // The kept signatures refer to the company by id, without a foreign
    // key. An emptied row holds the id until the evidence goes, so that
    // SQLite, which reuses the highest rowid, cannot give it to a new
    // company that would then read this contract as its own.
    Sql::new(
        "UPDATE companies SET name = 'Société effacée', kind = 'agence', address = '', \
           address_extra = NULL, city = '', postal_code = '', country = 'FR', \
           expires_at = $1 WHERE id = $2",
    )
    .bind(millis(windows.evidence_until))
    .bind(company)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn delete_records_sent_with_address(tx: &mut Tx, person: &Person) -> Result<(), sqlx::Error> {
    for table in [
        "registrations",
        "contact_messages",
        "technician_applications",
    ] {
        Sql::new(format!("DELETE FROM {table} WHERE email = $1"))
            .bind(&person.proven)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// The security log keeps its events, without the address typed at a
/// login, nor the account's id, which SQLite may give to a new account
/// (whose copy would then list these events).
async fn strip_security_log(tx: &mut Tx, person: &Person) -> Result<(), sqlx::Error> {
    for statement in [
        "UPDATE audit_log SET subject = NULL WHERE subject = $1",
        "UPDATE audit_log SET subject_user_id = NULL WHERE subject_user_id = $2",
        "UPDATE audit_log SET actor_user_id = NULL WHERE actor_user_id = $2",
    ] {
        Sql::new(statement)
            .bind(&person.proven)
            .bind(person.id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Earlier rights requests stay as proof they were answered, without what
/// identifies the person.
async fn strip_rights_requests(tx: &mut Tx, person: &Person) -> Result<(), sqlx::Error> {
    Sql::new(
        "UPDATE rights_requests SET email = $1, user_id = NULL, visit_description = NULL, \
           message = NULL, info_request = NULL WHERE user_id = $2 OR email = $3",
    )
    .bind(person.fingerprint.as_str())
    .bind(person.id)
    .bind(&person.proven)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// This erasure, kept as a closed request: the proof it was answered.
async fn record_erasure_request(
    tx: &mut Tx,
    now: DateTime<Utc>,
    person: &Person,
    statement: &ErasureStatement,
    windows: &Windows,
) -> Result<(), sqlx::Error> {
    Sql::new(
        "INSERT INTO rights_requests (kind, user_id, email, status, created_at, received_at, \
           due_at, closed_at, outcome, expires_at) \
         VALUES ($1, $2, $3, 'close', $4, $4, $5, $4, $6, $7)",
    )
    .bind(RightKind::Erasure.key())
    .bind(None::<i64>)
    .bind(person.fingerprint.as_str())
    .bind(millis(now))
    .bind(millis(first_due_date(now)))
    .bind(format!(
        "Effacement fait depuis l'espace client.\n{}",
        statement.as_text()
    ))
    .bind(millis(windows.requests_until))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// What the person is told, category by category.
fn statement(person: &Person, windows: &Windows) -> ErasureStatement {
    let mut lines = vec![
        StatementLine {
            category: "Votre profil (identité, coordonnées, rôle, mot de passe)",
            outcome: Outcome::Erased,
        },
        StatementLine {
            category: "Vos sessions de connexion",
            outcome: Outcome::Erased,
        },
    ];
    if person.company_id.is_some() {
        lines.push(StatementLine {
            category: "Votre société, ses bâtiments, appareils, demandes de maintenance, \
                       propositions et rapports",
            outcome: company_outcome(person),
        });
    }
    lines.push(StatementLine {
        category: "Contrats de maintenance signés en ligne",
        outcome: contracts_outcome(person, windows),
    });
    lines.push(StatementLine {
        category: "Demandes d'inscription, messages de contact et candidatures envoyés avec \
                   votre adresse",
        outcome: sent_with_address_outcome(person),
    });
    lines.push(StatementLine {
        category: "Journal de sécurité (connexions et actions sensibles)",
        outcome: Outcome::Kept {
            why: format!(
                "Intérêt légitime (sécurité du site) : les événements restent {} \
                 au plus, jusqu'au {} au plus tard, sans votre adresse e-mail.",
                windows.security_period,
                french_date(millis(windows.security_until))
            ),
        },
    });
    lines.push(StatementLine {
        category: "Vos demandes d'exercice de droits, dont celle-ci",
        outcome: Outcome::Kept {
            why: format!(
                "Obligation légale (preuve de la réponse) : conservées {}, \
                 sans votre nom ni votre message ; votre adresse y est remplacée par une \
                 empreinte illisible.",
                windows.requests_period
            ),
        },
    });
    ErasureStatement {
        email: person.email.clone(),
        first_name: person.first_name.clone(),
        lines,
    }
}

fn company_outcome(person: &Person) -> Outcome {
    if person.sole_company().is_some() {
        return Outcome::Erased;
    }
    Outcome::Kept {
        why: format!(
            "Ils appartiennent à votre société, dont {} {} l'accès ; vos demandes \
             n'y sont plus rattachées à votre compte.",
            plural(person.others, "autre utilisateur", "autres utilisateurs"),
            plural_word(person.others, "garde", "gardent")
        ),
    }
}

fn contracts_outcome(person: &Person, windows: &Windows) -> Outcome {
    let evidence_period = &windows.evidence_period;
    if person.signatures == 0 {
        Outcome::Erased
    } else if person.sole_company().is_some() {
        Outcome::Kept {
            why: format!(
                "Obligation légale : la preuve de la signature (texte signé, nom, adresse \
                 e-mail, date et adresse IP) est conservée {evidence_period} après la fin \
                 du contrat, soit jusqu'au {}, puis supprimée.",
                french_date(millis(windows.evidence_until))
            ),
        }
    } else {
        Outcome::Kept {
            why: format!(
                "Obligation légale : la preuve de la signature est conservée \
                 {evidence_period} après la fin du contrat de votre société, puis supprimée."
            ),
        }
    }
}

fn sent_with_address_outcome(person: &Person) -> Outcome {
    if person.proven.is_some() {
        return Outcome::Erased;
    }
    Outcome::Kept {
        why: "Votre compte n'a jamais confirmé son adresse e-mail : ce qui a été \
              envoyé avec elle ne lui est pas rattaché. Pour l'effacer, faites une \
              demande depuis la page « Vos données personnelles » du site : un lien \
              sera envoyé à l'adresse pour prouver qu'elle est la vôtre."
            .to_owned(),
    }
}
