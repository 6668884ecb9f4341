//! The client company's Bâtiments and the Appareils in them (tables
//! `buildings` and `devices`, purpose `account`). Every query is scoped to
//! the company: a building or a device of another company is not found,
//! exactly as one that does not exist, so ids are never confirmed.

pub mod forms;
pub mod routes;
pub mod views;

use chrono::{DateTime, Utc};

use crate::db::pagination::{fetch_page, ListSql, PageRequest, Paged};
use crate::db::record_of_company;
use crate::db::{millis, on_pool, Db, DbError};
use crate::domain::{Country, DeviceKind, DeviceStatus, PostalCode};

/// A validated building form.
#[derive(Debug, Clone)]
pub struct NewBuilding {
    pub name: String,
    pub address: String,
    pub postal_code: PostalCode,
    pub city: String,
    pub country: Country,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Building {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub created_at: i64,
    pub archived_at: Option<i64>,
    /// Devices in the building.
    pub devices: i64,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildingOrder {
    Name,
    City,
    Newest,
}

impl BuildingOrder {
    pub const ALL: [BuildingOrder; 3] = [
        BuildingOrder::Name,
        BuildingOrder::City,
        BuildingOrder::Newest,
    ];

    pub fn parse(key: Option<&str>) -> Self {
        match key {
            Some("ville") => BuildingOrder::City,
            Some("recents") => BuildingOrder::Newest,
            _ => BuildingOrder::Name,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            BuildingOrder::Name => "nom",
            BuildingOrder::City => "ville",
            BuildingOrder::Newest => "recents",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BuildingOrder::Name => "Nom",
            BuildingOrder::City => "Ville",
            BuildingOrder::Newest => "Les plus récents",
        }
    }

    fn sql(self) -> &'static str {
        match self {
            BuildingOrder::Name => "b.name, b.id",
            BuildingOrder::City => "b.city, b.name, b.id",
            BuildingOrder::Newest => "b.created_at DESC, b.id DESC",
        }
    }
}

const BUILDING_COLUMNS: &str = "b.id, b.name, b.address, b.postal_code, b.city, b.country, \
    b.created_at, b.archived_at, (SELECT COUNT(*) FROM devices d WHERE d.building_id = b.id) AS devices";

/// The company's buildings, current or archived, one page of them. A page
/// number past the end gives the last page.
pub async fn buildings(
    db: &Db,
    company_id: i64,
    archived: bool,
    order: BuildingOrder,
    page: PageRequest,
) -> Result<Paged<Building>, DbError> {
    let from = if archived {
        "FROM buildings b WHERE b.company_id = $1 AND b.archived_at IS NOT NULL"
    } else {
        "FROM buildings b WHERE b.company_id = $1 AND b.archived_at IS NULL"
    };
    let list = ListSql {
        columns: BUILDING_COLUMNS,
        from,
        order_by: order.sql(),
        args: &[Some(company_id)],
    };
    fetch_page(db, list, page).await
}

pub async fn building(db: &Db, company_id: i64, id: i64) -> Result<Option<Building>, DbError> {
    let sql =
        format!("SELECT {BUILDING_COLUMNS} FROM buildings b WHERE b.id = $1 AND b.company_id = $2");
    record_of_company(db, sql, id, company_id).await
}

pub async fn create_building(
    db: &Db,
    company_id: i64,
    now: DateTime<Utc>,
    new: &NewBuilding,
) -> Result<i64, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_scalar(
        "INSERT INTO buildings (company_id, name, address, postal_code, city, country, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
    )
    .bind(company_id)
    .bind(&new.name)
    .bind(&new.address)
    .bind(new.postal_code.as_str())
    .bind(&new.city)
    .bind(new.country.code())
    .bind(millis(now))
    .fetch_all(pool)
    .await.and_then(crate::db::one)
    })?)
}

/// `false` when the building is not the company's.
pub async fn update_building(
    db: &Db,
    company_id: i64,
    id: i64,
    new: &NewBuilding,
) -> Result<bool, DbError> {
    let changed = on_pool!(db, |pool| {
        sqlx::query(
        "UPDATE buildings SET name = $1, address = $2, postal_code = $3, city = $4, country = $5 \
         WHERE id = $6 AND company_id = $7"
    )
    .bind(&new.name)
    .bind(&new.address)
    .bind(new.postal_code.as_str())
    .bind(&new.city)
    .bind(new.country.code())
    .bind(id)
    .bind(company_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(changed == 1)
}

/// Archives (or brings back) a building; `false` when it is not the company's.
pub async fn set_archived(
    db: &Db,
    company_id: i64,
    id: i64,
    archived_at: Option<DateTime<Utc>>,
) -> Result<bool, DbError> {
    let changed = on_pool!(db, |pool| sqlx::query(
        "UPDATE buildings SET archived_at = $1 WHERE id = $2 AND company_id = $3"
    )
    .bind(archived_at.map(millis))
    .bind(id)
    .bind(company_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(changed == 1)
}

/// A validated device form.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub kind: DeviceKind,
    pub location: String,
    pub brand: Option<String>,
    pub serial_number: Option<String>,
    pub commissioned_year: Option<i32>,
    pub status: DeviceStatus,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Device {
    pub id: i64,
    pub building_id: i64,
    pub kind: String,
    pub location: String,
    pub brand: Option<String>,
    pub serial_number: Option<String>,
    pub commissioned_year: Option<i32>,
    pub status: String,
    pub created_at: i64,
}

const DEVICE_COLUMNS: &str = "d.id, d.building_id, d.kind, d.location, d.brand, d.serial_number, \
    d.commissioned_year, d.status, d.created_at";

pub async fn devices_of(
    db: &Db,
    company_id: i64,
    building_id: i64,
) -> Result<Vec<Device>, DbError> {
    let sql = format!(
        "SELECT {DEVICE_COLUMNS} FROM devices d JOIN buildings b ON b.id = d.building_id \
         WHERE d.building_id = $1 AND b.company_id = $2 ORDER BY d.location, d.id"
    );
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(building_id)
        .bind(company_id)
        .fetch_all(pool)
        .await)?)
}

pub async fn device(db: &Db, company_id: i64, id: i64) -> Result<Option<Device>, DbError> {
    let sql = format!(
        "SELECT {DEVICE_COLUMNS} FROM devices d JOIN buildings b ON b.id = d.building_id \
         WHERE d.id = $1 AND b.company_id = $2"
    );
    record_of_company(db, sql, id, company_id).await
}

/// Adds a device to a building of the company; `None` when the building is
/// not the company's (or archived).
pub async fn create_device(
    db: &Db,
    company_id: i64,
    building_id: i64,
    now: DateTime<Utc>,
    new: &NewDevice,
) -> Result<Option<i64>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_scalar(
        "INSERT INTO devices (building_id, kind, location, brand, serial_number, commissioned_year, status, created_at) \
         SELECT b.id, $1, $2, $3, $4, $5, $6, $7 FROM buildings b \
         WHERE b.id = $8 AND b.company_id = $9 AND b.archived_at IS NULL RETURNING id"
    )
    .bind(new.kind.key())
    .bind(&new.location)
    .bind(&new.brand)
    .bind(&new.serial_number)
    .bind(new.commissioned_year)
    .bind(new.status.key())
    .bind(millis(now))
    .bind(building_id)
    .bind(company_id)
    .fetch_all(pool)
    .await.map(crate::db::first)
    })?)
}

/// `false` when the device is not the company's.
pub async fn update_device(
    db: &Db,
    company_id: i64,
    id: i64,
    new: &NewDevice,
) -> Result<bool, DbError> {
    let changed = on_pool!(db, |pool| sqlx::query(
        "UPDATE devices SET kind = $1, location = $2, brand = $3, serial_number = $4, \
           commissioned_year = $5, status = $6 \
         WHERE id = $7 AND building_id IN (SELECT id FROM buildings WHERE company_id = $8)"
    )
    .bind(new.kind.key())
    .bind(&new.location)
    .bind(&new.brand)
    .bind(&new.serial_number)
    .bind(new.commissioned_year)
    .bind(new.status.key())
    .bind(id)
    .bind(company_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(changed == 1)
}

/// The company's buildings in service and the devices in them.
pub async fn counts(db: &Db, company_id: i64) -> Result<(i64, i64), DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM buildings WHERE company_id = $1 AND archived_at IS NULL), \
                (SELECT COUNT(*) FROM devices d JOIN buildings b ON b.id = d.building_id \
                  WHERE b.company_id = $1 AND b.archived_at IS NULL)"
    )
    .bind(company_id)
    .fetch_one(pool)
    .await)?)
}

/// Every device of the company with its building's name, for staff.
pub async fn company_devices(db: &Db, company_id: i64) -> Result<Vec<(String, Device)>, DbError> {
    let sql = format!(
        "SELECT b.name, {DEVICE_COLUMNS} FROM devices d JOIN buildings b ON b.id = d.building_id \
         WHERE b.company_id = $1 ORDER BY b.name, d.location, d.id"
    );
    let rows: Vec<BuildingDevice> = on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(company_id)
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(|row| (row.name, row.device)).collect())
}

#[derive(sqlx::FromRow)]
struct BuildingDevice {
    name: String,
    #[sqlx(flatten)]
    device: Device,
}

/// A device of the company and the building it is in.
pub async fn device_in_building(
    db: &Db,
    company_id: i64,
    id: i64,
) -> Result<Option<(Device, Building)>, DbError> {
    let Some(device) = device(db, company_id, id).await? else {
        return Ok(None);
    };
    Ok(building(db, company_id, device.building_id)
        .await?
        .map(|building| (device, building)))
}

/// The company's current buildings, for a choice in a form: (id, name).
pub async fn building_choices(db: &Db, company_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_as(
        "SELECT id, name FROM buildings WHERE company_id = $1 AND archived_at IS NULL \
         ORDER BY name, id"
    )
    .bind(company_id)
    .fetch_all(pool)
    .await)?)
}
