//! The Profile's dashboard: what the company has, what is going on, and
//! what waits for the client, gathered from the modules that own each.

pub mod routes;
pub mod views;

use crate::buildings;
use crate::contract::{self, Signature};
use crate::db::pagination::{PageRequest, Paged};
use crate::db::{Db, DbError};
use crate::information_reports::{self, Report, ReportFilter};
use crate::maintenance::{self, MaintenanceRequest};

pub struct Dashboard {
    pub buildings: i64,
    pub devices: i64,
    pub open_requests: Paged<MaintenanceRequest>,
    /// Open requests where staff wrote last.
    pub awaiting_answer: Vec<i64>,
    pub latest_reports: Vec<Report>,
    /// The signature of the contract's current version, if signed.
    pub contract: Option<Signature>,
}

pub async fn dashboard(db: &Db, company_id: i64) -> Result<Dashboard, DbError> {
    let (buildings, devices) = buildings::counts(db, company_id).await?;
    let open_requests =
        maintenance::requests(db, Some(company_id), true, PageRequest::FIRST).await?;
    let awaiting_answer = maintenance::awaiting_client(db, company_id).await?;
    let mut latest_reports = information_reports::reports(
        db,
        Some(company_id),
        &ReportFilter::default(),
        PageRequest::FIRST,
    )
    .await?
    .items;
    latest_reports.truncate(3);
    let contract = contract::signatures(db, Some(company_id))
        .await?
        .into_iter()
        .find(|s| s.template_version == contract::CURRENT_VERSION);
    Ok(Dashboard {
        contract,
        buildings,
        devices,
        open_requests,
        awaiting_answer,
        latest_reports,
    })
}
