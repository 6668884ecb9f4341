//! Rapports d'Information: staff publish what was done on a device (a
//! Prestation), the client company reads them. Table `reports` (purpose
//! `account`), client queries scoped to the company.

pub mod forms;
pub mod link_views;
pub mod links;
pub mod publishing;
pub mod routes;
pub mod staff_routes;
pub mod staff_views;
pub mod views;

use chrono::NaiveDate;

use crate::analytics::rollup::{date_of_day, day_of_date};
use crate::db::pagination::{fetch_page, ListSql, PageRequest, Paged};
use crate::db::record_of_company;
use crate::db::{on_pool, Db, DbError};
use crate::domain::{DeviceStatus, FieldError};

/// The kind of Prestation a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prestation {
    Maintenance,
    Installation,
    Reparation,
    Travaux,
}

impl Prestation {
    pub const ALL: [Prestation; 4] = [
        Prestation::Maintenance,
        Prestation::Installation,
        Prestation::Reparation,
        Prestation::Travaux,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Prestation::Maintenance => "maintenance",
            Prestation::Installation => "installation",
            Prestation::Reparation => "reparation",
            Prestation::Travaux => "travaux",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Prestation::Maintenance => "Maintenance",
            Prestation::Installation => "Installation",
            Prestation::Reparation => "Réparation",
            Prestation::Travaux => "Travaux",
        }
    }

    pub fn parse(key: &str) -> Result<Prestation, FieldError> {
        Prestation::ALL
            .into_iter()
            .find(|p| p.key() == key)
            .ok_or_else(|| FieldError::new("Choisissez une réponse dans la liste."))
    }
}

/// A validated report.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub device_id: i64,
    pub kind: Prestation,
    pub performed_on: NaiveDate,
    pub work_done: String,
    pub parts_replaced: Option<String>,
    pub device_state: DeviceStatus,
    /// The maintenance request the report answers, if staff named one.
    pub request_id: Option<i64>,
    /// Staff said the request is resolved by this work.
    pub resolves: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub company_id: i64,
    pub device_id: i64,
    pub kind: String,
    pub performed_on: i64,
    pub work_done: String,
    pub parts_replaced: Option<String>,
    pub device_state: String,
    pub published_at: i64,
    pub building_id: i64,
    pub building_name: String,
    pub device_location: String,
    pub device_kind: String,
    pub company_name: String,
    pub request_id: Option<i64>,
    pub corrected_at: Option<i64>,
}

impl Report {
    pub fn performed_on(&self) -> NaiveDate {
        date_of_day(self.performed_on)
    }
}

const COLUMNS: &str = "r.id, r.company_id, r.device_id, r.kind, r.performed_on, r.work_done, \
    r.parts_replaced, r.device_state, r.published_at, b.id AS building_id, b.name AS building_name, \
    d.location AS device_location, d.kind AS device_kind, c.name AS company_name, r.request_id, \
    r.corrected_at";
const FROM: &str = "FROM reports r JOIN devices d ON d.id = r.device_id \
    JOIN buildings b ON b.id = d.building_id JOIN companies c ON c.id = r.company_id";

/// What the client filters the list by.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub building: Option<i64>,
    pub device: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The company's reports (or everyone's, for staff), most recent work
/// first, filtered, one page.
pub async fn reports(
    db: &Db,
    company_id: Option<i64>,
    filter: &ReportFilter,
    page: PageRequest,
) -> Result<Paged<Report>, DbError> {
    let from = format!(
        "{FROM} WHERE ($1 IS NULL OR r.company_id = $1) AND ($2 IS NULL OR b.id = $2) \
         AND ($3 IS NULL OR d.id = $3) AND ($4 IS NULL OR r.performed_on >= $4) \
         AND ($5 IS NULL OR r.performed_on <= $5)"
    );
    let list = ListSql {
        columns: COLUMNS,
        from: &from,
        order_by: "r.performed_on DESC, r.id DESC",
        args: &[
            company_id,
            filter.building,
            filter.device,
            filter.from.map(day_of_date),
            filter.to.map(day_of_date),
        ],
    };
    fetch_page(db, list, page).await
}

pub async fn report(db: &Db, company_id: Option<i64>, id: i64) -> Result<Option<Report>, DbError> {
    let sql =
        format!("SELECT {COLUMNS} {FROM} WHERE r.id = $1 AND ($2 IS NULL OR r.company_id = $2)");
    record_of_company(db, sql, id, company_id).await
}

/// Every device, for the staff form: (id, "company — building — location").
pub async fn all_devices(db: &Db) -> Result<Vec<(i64, String)>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_as(
        "SELECT d.id, c.name || ' — ' || b.name || ' — ' || d.location FROM devices d \
         JOIN buildings b ON b.id = d.building_id JOIN companies c ON c.id = b.company_id \
         ORDER BY c.name, b.name, d.location, d.id LIMIT 5000"
    )
    .fetch_all(pool)
    .await)?)
}

/// The company's buildings and devices, for the client's filters.
pub async fn filter_choices(
    db: &Db,
    company_id: i64,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>), DbError> {
    let buildings = on_pool!(db, |pool| sqlx::query_as(
        "SELECT id, name FROM buildings WHERE company_id = $1 ORDER BY name, id"
    )
    .bind(company_id)
    .fetch_all(pool)
    .await)?;
    let devices = on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT d.id, b.name || ' — ' || d.location FROM devices d JOIN buildings b ON b.id = d.building_id \
         WHERE b.company_id = $1 ORDER BY b.name, d.location, d.id"
    )
    .bind(company_id)
    .fetch_all(pool)
    .await
    })?;
    Ok((buildings, devices))
}
