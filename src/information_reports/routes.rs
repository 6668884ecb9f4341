//! `/profil/rapports`: the client reads (staff pages are in `staff_routes`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::db::pagination::PageRequest;
use crate::domain::DateRange;
use crate::http::{html, ClientPage, PageError};
use crate::information_reports::views as view;
use crate::information_reports::views::FilterValues;
use crate::information_reports::{self, ReportFilter};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FilterQuery {
    #[serde(rename = "batiment")]
    building: String,
    #[serde(rename = "appareil")]
    device: String,
    #[serde(rename = "du")]
    from: String,
    #[serde(rename = "au")]
    to: String,
    page: PageRequest,
}

impl FilterQuery {
    /// The filter, and why the dates were ignored if they were.
    fn filter(&self) -> (ReportFilter, Option<String>) {
        let id = |text: &str| text.trim().parse::<i64>().ok();
        let (from, to, error) = match DateRange::parse_open(&self.from, &self.to) {
            Ok((from, to)) => (from, to, None),
            Err(error) => (None, None, Some(error.to_string())),
        };
        let filter = ReportFilter {
            building: id(&self.building),
            device: id(&self.device),
            from,
            to,
        };
        (filter, error)
    }

    /// The filter's fields as typed, for the form above the list.
    fn values<'a>(&'a self, error: Option<&'a str>) -> FilterValues<'a> {
        FilterValues {
            building: &self.building,
            device: &self.device,
            from: &self.from,
            to: &self.to,
            error,
        }
    }
}

/// `GET /profil/rapports`: a wrong filter value is ignored and said.
pub async fn client_list(
    query: web::Query<FilterQuery>,
    client: ClientPage,
) -> Result<HttpResponse, PageError> {
    let (filter, error) = query.filter();
    let list =
        information_reports::reports(&client.state.db, Some(client.company), &filter, query.page)
            .await?;
    let (buildings, devices) =
        information_reports::filter_choices(&client.state.db, client.company).await?;
    let values = query.values(error.as_deref());
    let page = view::client_list(&list, &buildings, &devices, &values);
    let status = match error {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    Ok(html(status, page))
}

/// `GET /profil/rapports/{id}`: printable.
pub async fn client_report(path: web::Path<i64>, client: ClientPage) -> Result<Markup, PageError> {
    let report =
        information_reports::report(&client.state.db, Some(client.company), path.into_inner())
            .await?
            .ok_or(PageError::NotFound)?;
    Ok(view::client_report(&report))
}
