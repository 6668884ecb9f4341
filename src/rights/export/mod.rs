//! The copy of everything WeMaintain holds about an Utilisateur (rights of
//! access and portability), as one value that is written out as JSON (its
//! schema is published at [`SCHEMA_PATH`]) or drawn as an HTML page.
//!
//! It reads every table that holds something about the person in one place,
//! on purpose: a copy assembled from here is complete or fails, and the
//! test that types a marker into every form checks it against this one
//! function.

use chrono::{DateTime, SecondsFormat, Utc};

mod data;

pub use data::*;

use super::RightsError;
use crate::db::{from_millis, Db, Sql};

/// The version of the export's format; bumped on any change of its shape.
pub const SCHEMA_VERSION: &str = "1";
/// Where the JSON Schema of the export is published.
pub const SCHEMA_PATH: &str = "/confidentialite/schema-export-v1.json";
/// The JSON Schema itself, kept in `docs/` with the other documentation.
pub const SCHEMA: &str = include_str!("../../../docs/export-schema-v1.json");

fn timestamp(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn timestamp_opt(ms: Option<i64>) -> Option<String> {
    ms.map(timestamp)
}

type BuildingRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
);
type DeviceRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    i64,
);
/// id, device, building, location, nature, urgency, description, status, created.
type RequestRow = (
    i64,
    Opt,
    Opt,
    Option<String>,
    String,
    String,
    String,
    String,
    i64,
);
type Opt = Option<i64>;
type ProposalRow = (
    i64,
    Option<String>,
    bool,
    Option<String>,
    String,
    Option<String>,
    i64,
    Option<i64>,
);
type ReportRow = (i64, i64, String, i64, String, Option<String>, String, i64);
type SignatureRow = (i64, String, String, String, String, String, i64, String);
type ContactRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
);
type ApplicationRow = (i64, String, String, String, String, i64, String);

/// Everything held about the account `user_id`; `None` if it does not exist.
pub async fn personal_data(
    db: &Db,
    now: DateTime<Utc>,
    public_url: &str,
    user_id: i64,
) -> Result<Option<PersonalDataExport>, RightsError> {
    let Some(account) = account(db, user_id).await? else {
        return Ok(None);
    };
    // Records sent with an address are this account's only once it has
    // proven it owns that address; otherwise `email = NULL` matches nothing.
    let email = crate::accounts::proven_address(db, user_id).await?;
    let company_id = account.company_id.unwrap_or(-1);
    Ok(Some(PersonalDataExport {
        schema: format!("{public_url}{SCHEMA_PATH}"),
        schema_version: SCHEMA_VERSION,
        generated_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        controller: "WeMaintain, 20 bis, rue Louis Philippe, 92200 Neuilly-sur-Seine",
        company: company(db, company_id).await?,
        buildings: buildings(db, company_id).await?,
        maintenance_requests: maintenance_requests(db, company_id).await?,
        proposals: proposals(db, company_id).await?,
        information_reports: information_reports(db, company_id).await?,
        contract_signatures: contract_signatures(db, company_id).await?,
        rights_requests: rights_requests(db, user_id, email.as_deref()).await?,
        contact_messages: contact_messages(db, &email).await?,
        technician_applications: technician_applications(db, &email).await?,
        security_events: security_events(db, user_id, &email).await?,
        account,
    }))
}

async fn account(db: &Db, user_id: i64) -> Result<Option<AccountData>, sqlx::Error> {
    let account: Option<AccountData> = Sql::new(
        "SELECT email, civility, first_name, last_name, job_title, phone, role, company_id, \
           created_at AS created_ms, news_objected_at AS news_objected_ms \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(account.map(|mut account| {
        account.created_at = timestamp(account.created_ms);
        account.service_news_objected_at = timestamp_opt(account.news_objected_ms);
        account
    }))
}

async fn company(db: &Db, company_id: i64) -> Result<Option<CompanyData>, sqlx::Error> {
    Sql::new(
        "SELECT name, kind, address, address_extra, city, postal_code, country \
         FROM companies WHERE id = $1",
    )
    .bind(company_id)
    .fetch_optional(db)
    .await
}

/// The company's buildings, each with its devices.
async fn buildings(db: &Db, company_id: i64) -> Result<Vec<BuildingData>, sqlx::Error> {
    let building_rows: Vec<BuildingRow> = Sql::new(
        "SELECT id, name, address, postal_code, city, country, created_at, archived_at \
         FROM buildings WHERE company_id = $1 ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    let device_rows: Vec<DeviceRow> = Sql::new(
        "SELECT d.id, d.building_id, d.kind, d.location, d.brand, d.serial_number, \
           CAST(d.commissioned_year AS BIGINT), d.status, d.created_at \
         FROM devices d JOIN buildings b ON b.id = d.building_id \
         WHERE b.company_id = $1 ORDER BY d.id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok(building_rows
        .into_iter()
        .map(
            |(id, name, address, postal_code, city, country, created, archived)| BuildingData {
                id,
                name,
                address,
                postal_code,
                city,
                country,
                created_at: timestamp(created),
                archived_at: timestamp_opt(archived),
                devices: device_rows
                    .iter()
                    .filter(|d| d.1 == id)
                    .map(device)
                    .collect(),
            },
        )
        .collect())
}

fn device(d: &DeviceRow) -> DeviceData {
    DeviceData {
        id: d.0,
        kind: d.2.clone(),
        location: d.3.clone(),
        brand: d.4.clone(),
        serial_number: d.5.clone(),
        commissioned_year: d.6,
        status: d.7.clone(),
        created_at: timestamp(d.8),
    }
}

/// The company's maintenance requests, each with its messages.
async fn maintenance_requests(
    db: &Db,
    company_id: i64,
) -> Result<Vec<MaintenanceRequestData>, sqlx::Error> {
    let request_rows: Vec<RequestRow> = Sql::new(
        "SELECT id, device_id, building_id, location, nature, urgency, description, status, \
           created_at FROM maintenance_requests WHERE company_id = $1 ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    let message_rows: Vec<(i64, bool, String, i64)> = Sql::new(
        "SELECT m.request_id, m.from_staff, m.body, m.created_at \
         FROM request_messages m JOIN maintenance_requests r ON r.id = m.request_id \
         WHERE r.company_id = $1 ORDER BY m.id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok(request_rows
        .into_iter()
        .map(|r| MaintenanceRequestData {
            id: r.0,
            device_id: r.1,
            building_id: r.2,
            location: r.3,
            nature: r.4,
            urgency: r.5,
            description: r.6,
            status: r.7,
            created_at: timestamp(r.8),
            messages: message_rows
                .iter()
                .filter(|m| m.0 == r.0)
                .map(|m| MessageData {
                    from_staff: m.1,
                    body: m.2.clone(),
                    created_at: timestamp(m.3),
                })
                .collect(),
        })
        .collect())
}

/// The company's requests for proposals, each with the devices it names.
async fn proposals(db: &Db, company_id: i64) -> Result<Vec<ProposalData>, sqlx::Error> {
    let proposal_rows: Vec<ProposalRow> = Sql::new(
        "SELECT id, message, previsit, preferred_dates, status, answer, created_at, answered_at \
         FROM proposal_requests WHERE company_id = $1 ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    let proposal_devices: Vec<(i64, i64)> = Sql::new(
        "SELECT pd.proposal_id, pd.device_id FROM proposal_devices pd \
         JOIN proposal_requests p ON p.id = pd.proposal_id WHERE p.company_id = $1 ORDER BY pd.id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok(proposal_rows
        .into_iter()
        .map(
            |(id, message, previsit, preferred_dates, status, answer, created, answered)| {
                ProposalData {
                    id,
                    message,
                    previsit,
                    preferred_dates,
                    status,
                    answer,
                    created_at: timestamp(created),
                    answered_at: timestamp_opt(answered),
                    device_ids: proposal_devices
                        .iter()
                        .filter(|(p, _)| *p == id)
                        .map(|(_, d)| *d)
                        .collect(),
                }
            },
        )
        .collect())
}

async fn information_reports(db: &Db, company_id: i64) -> Result<Vec<ReportData>, sqlx::Error> {
    let rows: Vec<ReportRow> = Sql::new(
        "SELECT id, device_id, kind, performed_on, work_done, parts_replaced, device_state, \
           published_at FROM reports WHERE company_id = $1 ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReportData {
            id: r.0,
            device_id: r.1,
            kind: r.2,
            performed_on: chrono::NaiveDate::default()
                .checked_add_days(chrono::Days::new(r.3.max(0) as u64))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            work_done: r.4,
            parts_replaced: r.5,
            device_state: r.6,
            published_at: timestamp(r.7),
        })
        .collect())
}

async fn contract_signatures(db: &Db, company_id: i64) -> Result<Vec<SignatureData>, sqlx::Error> {
    let rows: Vec<SignatureRow> = Sql::new(
        "SELECT id, template_version, text, text_sha256, signer_name, signer_email, signed_at, ip \
         FROM contract_signatures WHERE company_id = $1 ORDER BY id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|s| SignatureData {
            id: s.0,
            template_version: s.1,
            text: s.2,
            text_sha256: s.3,
            signer_name: s.4,
            signer_email: s.5,
            signed_at: timestamp(s.6),
            ip: s.7,
        })
        .collect())
}

async fn rights_requests(
    db: &Db,
    user_id: i64,
    email: Option<&str>,
) -> Result<Vec<RightsRequestData>, RightsError> {
    Ok(super::of_person(db, user_id, email)
        .await?
        .into_iter()
        .map(|r| RightsRequestData {
            id: r.id,
            kind: r.kind,
            email: r.email,
            visit_description: r.visit_description,
            message: r.message,
            status: r.status,
            received_at: timestamp_opt(r.received_at),
            due_at: timestamp_opt(r.due_at),
            extension_reason: r.extension_reason,
            closed_at: timestamp_opt(r.closed_at),
            outcome: r.outcome,
        })
        .collect())
}

async fn contact_messages(
    db: &Db,
    email: &Option<String>,
) -> Result<Vec<ContactMessageData>, sqlx::Error> {
    let rows: Vec<ContactRow> = Sql::new(
        "SELECT received_at, first_name, last_name, phone, email, message, answer, answered_at \
         FROM contact_messages WHERE email = $1 ORDER BY id",
    )
    .bind(email)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|c| ContactMessageData {
            received_at: timestamp(c.0),
            first_name: c.1,
            last_name: c.2,
            phone: c.3,
            email: c.4,
            message: c.5,
            answer: c.6,
            answered_at: timestamp_opt(c.7),
        })
        .collect())
}

async fn technician_applications(
    db: &Db,
    email: &Option<String>,
) -> Result<Vec<ApplicationData>, sqlx::Error> {
    let rows: Vec<ApplicationRow> = Sql::new(
        "SELECT received_at, first_name, last_name, phone, email, \
           CAST(years_experience AS BIGINT), current_company \
         FROM technician_applications WHERE email = $1 ORDER BY id",
    )
    .bind(email)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|a| ApplicationData {
            received_at: timestamp(a.0),
            first_name: a.1,
            last_name: a.2,
            phone: a.3,
            email: a.4,
            years_experience: a.5,
            current_company: a.6,
        })
        .collect())
}

async fn security_events(
    db: &Db,
    user_id: i64,
    email: &Option<String>,
) -> Result<Vec<SecurityEventData>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<String>)> = Sql::new(
        "SELECT occurred_at, event, ip FROM audit_log \
         WHERE subject_user_id = $1 OR actor_user_id = $1 OR subject = $2 ORDER BY id",
    )
    .bind(user_id)
    .bind(email)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, event, ip)| SecurityEventData {
            occurred_at: timestamp(at),
            event,
            ip,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_schema_is_json_and_names_its_version() {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        assert_eq!(
            schema["properties"]["schema_version"]["const"],
            SCHEMA_VERSION
        );
    }
}
