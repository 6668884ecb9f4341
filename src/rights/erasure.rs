//! Erasure of an Utilisateur's account, from the Profile: everything about
//! the person goes in one transaction, except what a law or another person's
//! rights require to keep, and the person gets a statement per category
//! saying which.

use chrono::{DateTime, Utc};

use super::{first_due_date, RightKind, RightsError};
use crate::audit::AuditEvent;
use crate::auth::digest;
use crate::db::{millis, on_pool, BeginWrite, Db};
use crate::privacy::{Purpose, Register};
use crate::views::forms::french_date;

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

/// Erases the account `user_id`. Its sessions end with it: the session
/// store finds no account any more.
pub async fn erase_account(
    db: &Db,
    register: &Register,
    now: DateTime<Utc>,
    user_id: i64,
    ip: &str,
) -> Result<ErasureStatement, RightsError> {
    let evidence_until = register
        .retention(Purpose::ContractEvidence)
        .period
        .after(now);
    let requests_until = register
        .retention(Purpose::RightsRequests)
        .period
        .after(now);
    let security_period = register.retention(Purpose::Security).period.in_french();
    let requests_period = register
        .retention(Purpose::RightsRequests)
        .period
        .in_french();
    let evidence_period = register
        .retention(Purpose::ContractEvidence)
        .period
        .in_french();
    let security_until = register.retention(Purpose::Security).period.after(now);

    let statement = on_pool!(db, |pool| {
        async {
        let mut tx = pool.begin_write().await?;
        let person: Option<(String, String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT email, first_name, company_id, email_confirmed_at FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((email, first_name, company_id, confirmed_at)) = person else {
            return Ok::<_, sqlx::Error>(None);
        };
        // What was sent with the address goes with the account only if the
        // account proved it owns the address; `= NULL` matches nothing.
        let proven = confirmed_at.map(|_| email.clone());
        let fingerprint = address_fingerprint(&email);
        let others: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE company_id = $1 AND id <> $2",
        )
        .bind(company_id.unwrap_or(-1))
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        let signatures: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM contract_signatures WHERE company_id = $1",
        )
        .bind(company_id.unwrap_or(-1))
        .fetch_one(&mut *tx)
        .await?;

        for table in ["sessions", "password_resets", "email_changes"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let sole_user = company_id.is_some() && others == 0;
        if let (Some(company), true) = (company_id, sole_user) {
            // The company goes with its last account, and its contract ends:
            // the evidence's retention starts now.
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
                sqlx::query(statement)
                    .bind(company)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "UPDATE contract_signatures SET expires_at = $1 \
                 WHERE company_id = $2 AND expires_at IS NULL",
            )
            .bind(millis(evidence_until))
            .bind(company)
            .execute(&mut *tx)
            .await?;
        } else {
            for statement in [
                "UPDATE maintenance_requests SET created_by = NULL WHERE created_by = $1",
                "UPDATE request_messages SET author_id = NULL WHERE author_id = $1",
                "UPDATE proposal_requests SET created_by = NULL WHERE created_by = $1",
            ] {
                sqlx::query(statement)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if let (Some(company), true) = (company_id, sole_user) {
            if signatures == 0 {
                sqlx::query("DELETE FROM companies WHERE id = $1")
                    .bind(company)
                    .execute(&mut *tx)
                    .await?;
            } else {
                // The kept signatures refer to the company by id, without a
                // foreign key. An emptied row holds the id until the
                // evidence goes, so that SQLite, which reuses the highest
                // rowid, cannot give it to a new company that would then
                // read this contract as its own.
                sqlx::query(
                    "UPDATE companies SET name = 'Société effacée', kind = 'agence', address = '', \
                       address_extra = NULL, city = '', postal_code = '', country = 'FR', \
                       expires_at = $1 WHERE id = $2",
                )
                .bind(millis(evidence_until))
                .bind(company)
                .execute(&mut *tx)
                .await?;
            }
        }
        for table in ["registrations", "contact_messages", "technician_applications"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE email = $1"))
                .bind(&proven)
                .execute(&mut *tx)
                .await?;
        }
        // The security log keeps its events, without the address typed at
        // a login, nor the account's id, which SQLite may give to a new
        // account (whose copy would then list these events).
        for statement in [
            "UPDATE audit_log SET subject = NULL WHERE subject = $1",
            "UPDATE audit_log SET subject_user_id = NULL WHERE subject_user_id = $2",
            "UPDATE audit_log SET actor_user_id = NULL WHERE actor_user_id = $2",
        ] {
            sqlx::query(statement)
                .bind(&proven)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        // Earlier rights requests stay as proof they were answered, without
        // what identifies the person.
        sqlx::query(
            "UPDATE rights_requests SET email = $1, user_id = NULL, visit_description = NULL, \
               message = NULL, info_request = NULL WHERE user_id = $2 OR email = $3",
        )
        .bind(&fingerprint)
        .bind(user_id)
        .bind(&proven)
        .execute(&mut *tx)
        .await?;

        let company_line = match (company_id, sole_user) {
            (None, _) => None,
            (Some(_), true) => Some(Outcome::Erased),
            (Some(_), false) => Some(Outcome::Kept {
                why: format!(
                    "Ils appartiennent à votre société, dont {others} autre(s) utilisateur(s) \
                     gardent l'accès ; vos demandes n'y sont plus rattachées à votre compte."
                ),
            }),
        };
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
        if let Some(outcome) = company_line {
            lines.push(StatementLine {
                category: "Votre société, ses bâtiments, Appareils, demandes de maintenance, \
                           propositions et rapports",
                outcome,
            });
        }
        lines.push(StatementLine {
            category: "Contrats de maintenance signés en ligne",
            outcome: if signatures == 0 {
                Outcome::Erased
            } else if sole_user {
                Outcome::Kept {
                    why: format!(
                        "Obligation légale : la preuve de la signature (texte signé, nom, adresse \
                         e-mail, date et adresse IP) est conservée {evidence_period} après la fin \
                         du contrat, soit jusqu'au {}, puis supprimée.",
                        french_date(millis(evidence_until))
                    ),
                }
            } else {
                Outcome::Kept {
                    why: format!(
                        "Obligation légale : la preuve de la signature est conservée \
                         {evidence_period} après la fin du contrat de votre société, puis supprimée."
                    ),
                }
            },
        });
        lines.push(StatementLine {
            category: "Demandes d'inscription, messages de contact et candidatures envoyés avec \
                       votre adresse",
            outcome: if proven.is_some() {
                Outcome::Erased
            } else {
                Outcome::Kept {
                    why: "Votre compte n'a jamais confirmé son adresse e-mail : ce qui a été \
                          envoyé avec elle ne lui est pas rattaché. Pour l'effacer, faites une \
                          demande depuis la page « Vos données personnelles » du site : un lien \
                          sera envoyé à l'adresse pour prouver qu'elle est la vôtre."
                        .to_owned(),
                }
            },
        });
        lines.push(StatementLine {
            category: "Journal de sécurité (connexions et actions sensibles)",
            outcome: Outcome::Kept {
                why: format!(
                    "Intérêt légitime (sécurité du site) : les événements restent {security_period} \
                     au plus, jusqu'au {} au plus tard, sans votre adresse e-mail.",
                    french_date(millis(security_until))
                ),
            },
        });
        lines.push(StatementLine {
            category: "Vos demandes d'exercice de droits, dont celle-ci",
            outcome: Outcome::Kept {
                why: format!(
                    "Obligation légale (preuve de la réponse) : conservées {requests_period}, \
                     sans votre nom ni votre message ; votre adresse y est remplacée par une \
                     empreinte illisible."
                ),
            },
        });
        let statement = ErasureStatement {
            email: email.clone(),
            first_name,
            lines,
        };

        sqlx::query(
            "INSERT INTO rights_requests (kind, user_id, email, status, created_at, received_at, \
               due_at, closed_at, outcome, expires_at) \
             VALUES ($1, $2, $3, 'close', $4, $4, $5, $4, $6, $7)",
        )
        .bind(RightKind::Erasure.key())
        .bind(None::<i64>)
        .bind(&fingerprint)
        .bind(millis(now))
        .bind(millis(first_due_date(now)))
        .bind(format!(
            "Effacement fait depuis le Profil.\n{}",
            statement.as_text()
        ))
        .bind(millis(requests_until))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO audit_log (occurred_at, expires_at, event, actor_user_id, subject_user_id, \
               subject, ip, detail) VALUES ($1, $2, $3, NULL, NULL, NULL, $4, NULL)",
        )
        .bind(millis(now))
        .bind(millis(security_until))
        .bind(AuditEvent::AccountErased.key())
        .bind(ip)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(statement))
    }
    .await
    })?;
    statement.ok_or(RightsError::NotFound)
}
