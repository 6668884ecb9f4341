//! `/statistiques/tableau/{clé}` (a breakdown's full table and its CSV) and
//! `/statistiques/en-ce-moment`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::analytics::filters::Filters;
use crate::analytics::period::PeriodAsked;
use crate::analytics::routes::statistics::period_of;

use crate::analytics::live::live_now;
use crate::analytics::reports::{full_table, BreakdownRow, Period};
use crate::analytics::rollup::Dimension;
use crate::analytics::tables::{page_of, select, TableRequest};
use crate::analytics::views::statistics::{dimension_of_table, value_label};
use crate::analytics::views::statistics_tables::{self as view, FullTable};
use crate::auth::Viewer;
use crate::http::csv_download::Separator;
use crate::http::{html, PageError};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct TableQuery {
    #[serde(rename = "periode")]
    period: Option<String>,
    #[serde(rename = "du")]
    from: Option<String>,
    #[serde(rename = "au")]
    to: Option<String>,
    #[serde(rename = "decalage")]
    shift: Option<String>,
    q: Option<String>,
    #[serde(rename = "tri")]
    sort: Option<String>,
    #[serde(rename = "ordre")]
    order: Option<String>,
    /// Anything but a number is the first page.
    page: Option<String>,
    #[serde(rename = "separateur")]
    separator: Option<String>,
}

/// The table's period (a wrong one falls back to 30 days and says why),
/// its search and sort, and its lines.
struct Selected {
    period: Period,
    error: Option<String>,
    request: TableRequest,
    rows: Vec<BreakdownRow>,
    /// The view has too few visitors for any table.
    too_few: bool,
}

impl TableQuery {
    fn asked(&self) -> PeriodAsked<'_> {
        PeriodAsked {
            kind: self.period.as_deref(),
            shift: self.shift.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
        }
    }

    fn request(&self) -> TableRequest {
        TableRequest::parse(
            self.q.as_deref(),
            self.sort.as_deref(),
            self.order.as_deref(),
        )
    }

    fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
    }
}

/// The table's lines for the period, searched and sorted.
async fn selected(
    state: &AppState,
    key: &str,
    query: &TableQuery,
    filters: &Filters,
) -> Result<(Dimension, Selected), PageError> {
    let dimension = dimension_of_table(key).ok_or(PageError::NotFound)?;
    let now = state.clock.now();
    let (period, error) = period_of(state, query.asked()).await?;
    let request = query.request();
    let audience = super::statistics::audience(state);
    let rows = full_table(&audience, &period, filters, now, dimension).await?;
    let too_few = rows.is_none();
    let rows = select(rows.unwrap_or_default(), &request, |value| {
        value_label(dimension, value)
    });
    Ok((
        dimension,
        Selected {
            period,
            error,
            request,
            rows,
            too_few,
        },
    ))
}

/// `GET /statistiques/tableau/{clé}`.
pub async fn full(
    key: web::Path<String>,
    query: web::Query<TableQuery>,
    filters: Filters,
    state: web::Data<AppState>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let (dimension, s) = selected(&state, &key, &query, &filters).await?;
    let page = page_of(s.rows, query.page());
    let table = FullTable {
        dimension,
        period: &s.period,
        period_error: s.error.as_deref(),
        request: &s.request,
        page: &page,
        filters: &filters,
        too_few: s.too_few.then_some(state.min_group),
    };
    let status = match s.error {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    Ok(html(status, view::full_table_page(&viewer, &table)))
}

/// `GET /statistiques/tableau/{clé}/export`: every searched line, as CSV.
pub async fn export(
    key: web::Path<String>,
    query: web::Query<TableQuery>,
    filters: Filters,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let (dimension, s) = selected(&state, &key, &query, &filters).await?;
    if s.error.is_some() {
        // Only a hand-made link gets here: the page's links are valid.
        return Err(PageError::BadRequest);
    }
    let separator = match query.separator.as_deref() {
        Some("virgule") => Separator::Comma,
        _ => Separator::Semicolon,
    };
    let csv = view::full_table_csv(dimension, &s.period, &s.rows, separator)?;
    Ok(csv.into_response()?)
}

/// `GET /statistiques/en-ce-moment`.
pub async fn live(state: web::Data<AppState>, viewer: Viewer) -> Result<HttpResponse, PageError> {
    let live = live_now(&state.db, state.clock.now(), state.min_group).await?;
    Ok(html(
        StatusCode::OK,
        view::live_page(&viewer, &live, state.min_group),
    ))
}
