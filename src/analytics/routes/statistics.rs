//! `/statistiques`: the audience figures for marketing and staff.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::analytics::reports::{self, Period};
use crate::analytics::rollup::paris_day;
use crate::analytics::views::statistics as view;
use crate::analytics::views::statistics::{dimension_of_table, StatisticsPage};
use crate::auth::Viewer;
use crate::http::csv_download::Separator;
use crate::http::{html, PageError};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct PeriodQuery {
    /// A preset key (`7j`, …) or `perso`.
    #[serde(rename = "periode")]
    period: Option<String>,
    /// The custom period's first and last dates.
    #[serde(rename = "du")]
    from: Option<String>,
    #[serde(rename = "au")]
    to: Option<String>,
    /// The breakdown table to export.
    #[serde(rename = "tableau")]
    table: Option<String>,
    #[serde(rename = "separateur")]
    separator: Option<String>,
}

impl PeriodQuery {
    /// The period asked for; a wrong custom range falls back to 30 days
    /// and says why.
    fn period(&self, today: i64) -> (Period, Option<String>) {
        match Period::parse(
            self.period.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
            today,
        ) {
            Ok(period) => (period, None),
            Err(error) => (
                Period::parse(Some("30j"), None, None, today).expect("a preset always parses"),
                Some(error.to_string()),
            ),
        }
    }

    /// `;` unless the link asks for `,`.
    fn separator(&self) -> Separator {
        match self.separator.as_deref() {
            Some("virgule") => Separator::Comma,
            _ => Separator::Semicolon,
        }
    }
}

/// `GET /statistiques`.
pub async fn page(
    query: web::Query<PeriodQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let (period, error) = query.period(paris_day(now));
    let (db, register, goals) = (&state.db, &state.register, &state.goals);
    let report = reports::report(db, register, goals, &period, now, state.min_group).await?;
    let visitors_now = reports::visitors_now(&state.db, now).await?;
    let page = StatisticsPage {
        report: &report,
        visitors_now,
        min_group: state.min_group,
        period_error: error.as_deref(),
    };
    let status = match error {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    Ok(html(status, view::statistics_page(&viewer, &page)))
}

/// `GET /statistiques/export?tableau=…`: one table as CSV, UTF-8 (with a
/// byte-order mark, which spreadsheets need to read it as UTF-8), French
/// headers, `;` and decimal commas by default (French spreadsheets), or `,`
/// and decimal points. The same suppression as the page.
pub async fn export(
    query: web::Query<PeriodQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let (period, error) = query.period(paris_day(now));
    if error.is_some() {
        // Only a hand-made link gets here: the page's links are valid.
        return Err(PageError::BadRequest);
    }
    let dimension = query
        .table
        .as_deref()
        .and_then(dimension_of_table)
        .ok_or(PageError::NotFound)?;
    let (db, register, goals) = (&state.db, &state.register, &state.goals);
    let report = reports::report(db, register, goals, &period, now, state.min_group).await?;
    let csv = view::table_csv(&report, dimension, query.separator())?;
    Ok(csv.into_response()?)
}
