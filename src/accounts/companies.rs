//! Client companies as staff see them (table `companies`).

use super::{AccountSummary, NewCompany};
use crate::db::{on_pool, Db, DbError, Sql, Tx};

/// A client company as staff see it in the list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompanySummary {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub city: String,
    pub users: i64,
    pub buildings: i64,
    pub devices: i64,
}

const COMPANY_SUMMARY: &str = "SELECT c.id, c.name, c.kind, c.city, \
    (SELECT COUNT(*) FROM users u WHERE u.company_id = c.id) AS users, \
    (SELECT COUNT(*) FROM buildings b WHERE b.company_id = c.id) AS buildings, \
    (SELECT COUNT(*) FROM devices d JOIN buildings b ON b.id = d.building_id WHERE b.company_id = c.id) AS devices \
    FROM companies c";

pub async fn companies(db: &Db) -> Result<Vec<CompanySummary>, DbError> {
    let sql = format!("{COMPANY_SUMMARY} ORDER BY c.name, c.id LIMIT 1000");
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .fetch_all(pool)
        .await)?)
}

pub async fn company(db: &Db, id: i64) -> Result<Option<CompanySummary>, DbError> {
    let sql = format!("{COMPANY_SUMMARY} WHERE c.id = $1");
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

/// The users of a company.
pub async fn company_users(db: &Db, company_id: i64) -> Result<Vec<AccountSummary>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.status, u.company_id, c.name AS company_name, u.created_at \
         FROM users u LEFT JOIN companies c ON c.id = u.company_id WHERE u.company_id = $1 ORDER BY u.last_name, u.id"
    )
    .bind(company_id)
    .fetch_all(pool)
    .await
    })?)
}

/// A new client company (staff creating a client account with it).
pub(crate) async fn create_company(
    tx: &mut Tx,
    c: &NewCompany,
    now: i64,
) -> Result<i64, sqlx::Error> {
    Sql::new(
        "INSERT INTO companies (name, kind, address, address_extra, city, postal_code, country, \
           created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.name.as_str())
    .bind(c.kind.key())
    .bind(c.address.as_str())
    .bind(&c.address_extra)
    .bind(c.city.as_str())
    .bind(c.postal_code.as_str())
    .bind(c.country.code())
    .bind(now)
    .fetch_value(tx)
    .await
}
