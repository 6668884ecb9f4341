//! The reports that answer a maintenance request, as the request's pages
//! list them (client and staff).

use crate::analytics::rollup::date_of_day;
use crate::db::{Db, DbError, Sql};

/// A report named as answering a request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkedReport {
    pub id: i64,
    pub kind: String,
    /// The day of the work, as days since 1970-01-01.
    pub performed_on: i64,
}

impl LinkedReport {
    pub fn performed_on(&self) -> chrono::NaiveDate {
        date_of_day(self.performed_on)
    }
}

/// The reports that name the request, oldest work first.
pub async fn reports_of_request(db: &Db, request_id: i64) -> Result<Vec<LinkedReport>, DbError> {
    Ok(Sql::new(
        "SELECT id, kind, performed_on FROM reports WHERE request_id = $1 \
         ORDER BY performed_on, id",
    )
    .bind(request_id)
    .fetch_all(db)
    .await?)
}
