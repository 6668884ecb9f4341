//! The Contrat de Maintenance signed online. Its text is generated from a
//! versioned template, the company and its devices; a signature keeps the
//! exact text, its SHA-256, the signer, the time and the IP (purpose
//! `contract_evidence`), and can never be edited (a database trigger
//! refuses any UPDATE). Anyone holding the text can recompute the hash.
//!
//! Since version 2026-12 the clauses contain no client text at all: they
//! refer to « la société désignée à l'annexe 1 » and « les appareils listés
//! à l'annexe 2 », and every value the client typed (company, building,
//! location, brand, serial number) is printed only inside those annexes,
//! one value per line behind its field name, between « », its line breaks
//! removed, so that no value can read as a clause of its own.

pub mod forms;
pub mod printable;
pub mod reading;
pub mod routes;
pub mod views;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::db::{millis, on_pool, Db, DbError};
use crate::domain::{CompanyKind, Country, DeviceKind};

/// The template in force. A new version is a new function in [`text_for`]
/// and a new key here; signatures keep the version they signed, and the
/// older functions stay, unchanged, to regenerate what was signed.
pub const CURRENT_VERSION: &str = "2026-12";

/// What the contract is about: the company and its devices.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Party {
    pub name: String,
    pub kind: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CoveredDevice {
    pub building: String,
    pub kind: String,
    pub location: String,
    pub brand: Option<String>,
    pub serial_number: Option<String>,
}

pub async fn party(db: &Db, company_id: i64) -> Result<Option<Party>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_as(
        "SELECT name, kind, address, postal_code, city, country FROM companies WHERE id = $1"
    )
    .bind(company_id)
    .fetch_optional(pool)
    .await)?)
}

pub async fn covered_devices(db: &Db, company_id: i64) -> Result<Vec<CoveredDevice>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT b.name AS building, d.kind, d.location, d.brand, d.serial_number FROM devices d \
         JOIN buildings b ON b.id = d.building_id WHERE b.company_id = $1 AND b.archived_at IS NULL \
         ORDER BY b.name, d.location, d.id"
    )
    .bind(company_id)
    .fetch_all(pool)
    .await
    })?)
}

/// The contract's text for a template version, or `None` for an unknown one.
pub fn text_for(version: &str, party: &Party, devices: &[CoveredDevice]) -> Option<String> {
    match version {
        "2026-11" => Some(text_2026_11(party, devices)),
        "2026-12" => Some(document_2026_12(party, devices).text()),
        _ => None,
    }
}

/// The current version's contract, as the page shows it: the clauses, then
/// the annexes as tables. Its [`ContractDocument::text`] is what is signed.
pub fn current_document(party: &Party, devices: &[CoveredDevice]) -> ContractDocument {
    document_2026_12(party, devices)
}

/// A contract: clauses written by WeMaintain only, and the annexes that
/// hold every value the client supplied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractDocument {
    pub clauses: String,
    pub annexes: Vec<Annex>,
}

/// A delimited table of client-supplied values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annex {
    pub number: u8,
    pub title: String,
    /// What each record is called in the text (« Appareil 1 »), when the
    /// annex lists several.
    pub record_label: Option<String>,
    pub fields: Vec<String>,
    /// One value per field, already made [`annex_value`]-safe; an empty
    /// value was not given.
    pub records: Vec<Vec<String>>,
}

/// How the annexes say what they are, in the text and on the page.
pub const ANNEX_NOTE: &str = "Informations déclarées par le Client dans son espace client,     reproduites telles quelles entre « » ; elles ne constituent pas des clauses du contrat.";

impl ContractDocument {
    /// The plain text signed and kept as evidence.
    pub fn text(&self) -> String {
        let mut text = self.clauses.clone();
        for annex in &self.annexes {
            text.push_str(&format!(
                "\nANNEXE {} — {}\n({ANNEX_NOTE})\n",
                annex.number, annex.title
            ));
            for (n, record) in annex.records.iter().enumerate() {
                let indent = match &annex.record_label {
                    Some(label) => {
                        text.push_str(&format!("{label} {}\n", n + 1));
                        "    "
                    }
                    None => "  ",
                };
                for (field, value) in annex.fields.iter().zip(record) {
                    if value.is_empty() {
                        text.push_str(&format!("{indent}{field} : non renseigné\n"));
                    } else {
                        text.push_str(&format!("{indent}{field} : « {value} »\n"));
                    }
                }
            }
            text.push_str(&format!("FIN DE L'ANNEXE {}\n", annex.number));
        }
        text
    }
}

/// A client value as an annex prints it: on one line (every line break and
/// control character becomes a space) and unable to close its « » quotes.
pub fn annex_value(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => ' ',
            '«' => '‹',
            '»' => '›',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Articles 3 to 5, the same in every version of the contract so far (a
/// macro, so that each version's text stays one literal).
macro_rules! articles_3_to_5 {
    () => {
        "Article 3 — Prestations\n\
        Visites d'entretien périodiques, dépannages, suivi des demandes de maintenance et rapports \
        d'intervention publiés dans l'espace client.\n\n\
        Article 4 — Durée\n\
        Le contrat prend effet à sa signature pour une durée d'un an, renouvelable par tacite reconduction.\n\n\
        Article 5 — Données personnelles\n\
        Les données nécessaires à l'exécution du contrat sont traitées selon la politique de \
        confidentialité de WeMaintain ; la preuve de la signature est conservée cinq ans après la fin du contrat.\n"
    };
}

fn document_2026_12(party: &Party, devices: &[CoveredDevice]) -> ContractDocument {
    let clauses = concat!(
        "CONTRAT DE MAINTENANCE — version 2026-12\n\n\
        Entre WeMaintain, 20 bis, rue Louis Philippe, 92200 Neuilly-sur-Seine, ci-après « WeMaintain »,\n\
        et la société désignée à l'annexe 1, ci-après « le Client ».\n\
        Les annexes 1 et 2 reproduisent les informations déclarées par le Client ; elles désignent \
        le Client et les appareils couverts, et rien de ce qu'elles contiennent ne modifie les \
        articles du contrat.\n\n\
        Article 1 — Objet\n\
        WeMaintain assure la maintenance des appareils listés à l'annexe 2, dans le respect des \
        obligations réglementaires d'entretien des ascenseurs.\n\n\
        Article 2 — Appareils couverts\n\
        Sont couverts les appareils listés à l'annexe 2, tels que le Client les a déclarés à la date \
        de la signature.\n\n",
        articles_3_to_5!()
    )
    .to_owned();
    let company = vec![
        annex_value(&party.name),
        CompanyKind::parse(&party.kind)
            .map(|k| k.label().to_owned())
            .unwrap_or_else(|_| annex_value(&party.kind)),
        annex_value(&party.address),
        annex_value(&party.postal_code),
        annex_value(&party.city),
        Country::parse(&party.country)
            .map(|c| c.name().to_owned())
            .unwrap_or_else(|_| annex_value(&party.country)),
    ];
    let devices = devices
        .iter()
        .map(|device| {
            vec![
                annex_value(&device.building),
                DeviceKind::parse(&device.kind)
                    .map(|k| k.label().to_owned())
                    .unwrap_or_else(|_| annex_value(&device.kind)),
                annex_value(&device.location),
                annex_value(device.brand.as_deref().unwrap_or_default()),
                annex_value(device.serial_number.as_deref().unwrap_or_default()),
            ]
        })
        .collect();
    ContractDocument {
        clauses,
        annexes: vec![
            Annex {
                number: 1,
                title: "Société désignée".to_owned(),
                record_label: None,
                fields: owned(&[
                    "Raison sociale",
                    "Type",
                    "Adresse",
                    "Code postal",
                    "Ville",
                    "Pays",
                ]),
                records: vec![company],
            },
            Annex {
                number: 2,
                title: "Appareils couverts".to_owned(),
                record_label: Some("Appareil".to_owned()),
                fields: owned(&["Bâtiment", "Type", "Emplacement", "Marque", "N° de série"]),
                records: devices,
            },
        ],
    }
}

fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// The text of version 2026-11, kept as it was so that the contracts
/// signed with it can be regenerated; client values sit in its clauses.
fn text_2026_11(party: &Party, devices: &[CoveredDevice]) -> String {
    let kind = CompanyKind::parse(&party.kind)
        .map(|k| k.label())
        .unwrap_or("Société");
    let country = Country::parse(&party.country)
        .map(|c| c.name())
        .unwrap_or("");
    let mut text = format!(
        "CONTRAT DE MAINTENANCE — version 2026-11\n\n\
         Entre WeMaintain, 20 bis, rue Louis Philippe, 92200 Neuilly-sur-Seine, ci-après « WeMaintain »,\n\
         et {name} ({kind}), {address}, {postal} {city}, {country}, ci-après « le Client ».\n\n\
         Article 1 — Objet\n\
         WeMaintain assure la maintenance des appareils listés à l'article 2, dans le respect des \
         obligations réglementaires d'entretien des ascenseurs.\n\n\
         Article 2 — Appareils couverts\n",
        name = party.name,
        address = party.address,
        postal = party.postal_code,
        city = party.city,
    );
    for (n, device) in devices.iter().enumerate() {
        let kind = DeviceKind::parse(&device.kind)
            .map(|k| k.label())
            .unwrap_or("Appareil");
        text.push_str(&format!(
            "{}. {} — {} — {}{}{}\n",
            n + 1,
            device.building,
            kind,
            device.location,
            device
                .brand
                .as_deref()
                .map(|b| format!(" — marque {b}"))
                .unwrap_or_default(),
            device
                .serial_number
                .as_deref()
                .map(|s| format!(" — n° de série {s}"))
                .unwrap_or_default(),
        ));
    }
    text.push_str(concat!("\n", articles_3_to_5!()));
    text
}

/// The hex SHA-256 of a text, as the signature record keeps it.
pub fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Signature {
    pub id: i64,
    pub company_id: i64,
    pub template_version: String,
    pub text: String,
    pub text_sha256: String,
    pub signer_name: String,
    pub signer_email: String,
    pub signed_at: i64,
    pub ip: String,
}

impl Signature {
    /// The hash recomputed from the text kept: equal to the one recorded
    /// unless the record was tampered with outside the site.
    pub fn verifies(&self) -> bool {
        sha256(&self.text) == self.text_sha256
    }
}

/// What is signed.
#[derive(Debug, Clone)]
pub struct NewSignature<'a> {
    pub company_id: i64,
    pub text: &'a str,
    pub signer_id: i64,
    pub signer_name: &'a str,
    pub signer_email: &'a str,
    pub ip: &'a str,
}

impl<'a> NewSignature<'a> {
    /// `viewer` signs `text` for `company_id`, under the name `name`.
    pub fn by(
        viewer: &'a crate::auth::Viewer,
        company_id: i64,
        text: &'a str,
        name: &'a str,
        ip: &'a str,
    ) -> Self {
        NewSignature {
            company_id,
            text,
            signer_id: viewer.id,
            signer_name: name,
            signer_email: &viewer.email,
            ip,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("this version is already signed for the company")]
    AlreadySigned,
}

/// Records a signature of the current version; once per company and version.
pub async fn sign(
    db: &Db,
    now: DateTime<Utc>,
    new: &NewSignature<'_>,
) -> Result<i64, ContractError> {
    let inserted = on_pool!(db, |pool| {
        sqlx::query_scalar(
        "INSERT INTO contract_signatures (company_id, template_version, text, text_sha256, signer_id, \
           signer_name, signer_email, signed_at, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
    )
    .bind(new.company_id)
    .bind(CURRENT_VERSION)
    .bind(new.text)
    .bind(sha256(new.text))
    .bind(new.signer_id)
    .bind(new.signer_name)
    .bind(new.signer_email)
    .bind(millis(now))
    .bind(new.ip)
    .fetch_all(pool)
    .await.and_then(crate::db::one)
    });
    match inserted {
        Ok(id) => Ok(id),
        Err(error)
            if error
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation()) =>
        {
            Err(ContractError::AlreadySigned)
        }
        Err(error) => Err(ContractError::Db(DbError::Query(error))),
    }
}

const COLUMNS: &str =
    "id, company_id, template_version, text, text_sha256, signer_name, signer_email, signed_at, ip";

/// The company's signatures (or everyone's, for staff), newest first.
pub async fn signatures(db: &Db, company_id: Option<i64>) -> Result<Vec<Signature>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM contract_signatures WHERE ($1 IS NULL OR company_id = $1) \
         ORDER BY signed_at DESC, id DESC LIMIT 500"
    );
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(company_id)
        .fetch_all(pool)
        .await)?)
}

pub async fn signature(
    db: &Db,
    company_id: Option<i64>,
    id: i64,
) -> Result<Option<Signature>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM contract_signatures WHERE id = $1 AND ($2 IS NULL OR company_id = $2)");
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .bind(company_id)
        .fetch_optional(pool)
        .await)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annex_values_stay_on_their_line_and_inside_their_quotes() {
        assert_eq!(
            annex_value(" Hall.\r\nArticle 6\u{2028}x\u{2029}y\u{85}z\tw "),
            "Hall.  Article 6 x y z w"
        );
        assert_eq!(annex_value("a » b « c"), "a › b ‹ c");
    }

    #[test]
    fn the_text_follows_the_company_and_its_devices() {
        let party = Party {
            name: "Syndic Exemple".into(),
            kind: "agence".into(),
            address: "3 rue de la Paix".into(),
            postal_code: "75002".into(),
            city: "Paris".into(),
            country: "FR".into(),
        };
        let devices = vec![CoveredDevice {
            building: "Résidence Les Tilleuls".into(),
            kind: "ascenseur".into(),
            location: "Escalier B".into(),
            brand: Some("Schindler".into()),
            serial_number: None,
        }];
        let old = text_for("2026-11", &party, &devices).unwrap();
        assert!(old.starts_with("CONTRAT DE MAINTENANCE — version 2026-11\n"));
        assert!(old.contains("Syndic Exemple (Agence), 3 rue de la Paix, 75002 Paris, France"));
        assert!(
            old.contains("1. Résidence Les Tilleuls — Ascenseur — Escalier B — marque Schindler\n")
        );
        assert_eq!(
            sha256(&old),
            "9ea10bd4b9659a23591bdabd04521bcd98907c1de598a2e6660d39a548a8187e",
            "the text of 2026-11 signed contracts never changes"
        );

        let text = text_for(CURRENT_VERSION, &party, &devices).unwrap();
        assert_eq!(text, current_document(&party, &devices).text());
        assert!(text.contains("et la société désignée à l'annexe 1, ci-après « le Client »."));
        assert!(
            text.contains("\nANNEXE 1 — Société désignée\n(Informations déclarées par le Client")
        );
        assert!(text.contains("  Raison sociale : « Syndic Exemple »\n  Type : « Agence »\n"));
        assert!(text.contains(
            "Appareil 1\n    Bâtiment : « Résidence Les Tilleuls »\n    Type : « Ascenseur »\n    \
             Emplacement : « Escalier B »\n    Marque : « Schindler »\n    N° de série : non renseigné\n\
             FIN DE L'ANNEXE 2\n"
        ));
        assert_eq!(
            text,
            text_for(CURRENT_VERSION, &party, &devices).unwrap(),
            "deterministic"
        );
        assert!(text_for("1999-01", &party, &devices).is_none());
        assert_eq!(
            sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
