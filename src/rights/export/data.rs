//! The copy's shape: what each part of it holds, as written out in JSON
//! (see `docs/export-schema-v1.json`) and drawn in HTML.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct PersonalDataExport {
    pub schema: String,
    pub schema_version: &'static str,
    pub generated_at: String,
    pub controller: &'static str,
    pub account: AccountData,
    pub company: Option<CompanyData>,
    pub buildings: Vec<BuildingData>,
    pub maintenance_requests: Vec<MaintenanceRequestData>,
    pub proposals: Vec<ProposalData>,
    pub information_reports: Vec<ReportData>,
    pub contract_signatures: Vec<SignatureData>,
    pub rights_requests: Vec<RightsRequestData>,
    pub contact_messages: Vec<ContactMessageData>,
    pub technician_applications: Vec<ApplicationData>,
    pub security_events: Vec<SecurityEventData>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AccountData {
    pub email: String,
    pub civility: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub role: String,
    #[serde(skip)]
    pub company_id: Option<i64>,
    #[serde(skip)]
    pub created_ms: i64,
    #[serde(skip)]
    pub news_objected_ms: Option<i64>,
    #[sqlx(skip)]
    pub created_at: String,
    #[sqlx(skip)]
    pub service_news_objected_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CompanyData {
    pub name: String,
    pub kind: String,
    pub address: String,
    pub address_extra: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildingData {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub created_at: String,
    pub archived_at: Option<String>,
    pub devices: Vec<DeviceData>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceData {
    pub id: i64,
    pub kind: String,
    pub location: String,
    pub brand: Option<String>,
    pub serial_number: Option<String>,
    pub commissioned_year: Option<i64>,
    pub status: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MaintenanceRequestData {
    pub id: i64,
    pub device_id: Option<i64>,
    pub building_id: Option<i64>,
    /// Where the device is, as the client described it.
    pub location: Option<String>,
    pub nature: String,
    pub urgency: String,
    pub description: String,
    pub status: String,
    pub created_at: String,
    pub messages: Vec<MessageData>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessageData {
    pub from_staff: bool,
    pub body: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProposalData {
    pub id: i64,
    pub message: Option<String>,
    pub previsit: bool,
    pub preferred_dates: Option<String>,
    pub status: String,
    pub answer: Option<String>,
    pub created_at: String,
    pub answered_at: Option<String>,
    pub device_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub id: i64,
    pub device_id: i64,
    pub kind: String,
    pub performed_on: String,
    pub work_done: String,
    pub parts_replaced: Option<String>,
    pub device_state: String,
    pub published_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignatureData {
    pub id: i64,
    pub template_version: String,
    pub text: String,
    pub text_sha256: String,
    pub signer_name: String,
    pub signer_email: String,
    pub signed_at: String,
    pub ip: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RightsRequestData {
    pub id: i64,
    pub kind: String,
    pub email: String,
    pub visit_description: Option<String>,
    pub message: Option<String>,
    pub status: String,
    pub received_at: Option<String>,
    pub due_at: Option<String>,
    pub extension_reason: Option<String>,
    pub closed_at: Option<String>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactMessageData {
    pub received_at: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub message: String,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApplicationData {
    pub received_at: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub years_experience: i64,
    pub current_company: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecurityEventData {
    pub occurred_at: String,
    pub event: String,
    pub ip: Option<String>,
}
