//! `/statistiques`: the audience figures for marketing and staff.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::analytics::filters::Filters;
use crate::analytics::live::live_now;
use crate::analytics::period::PeriodAsked;
use crate::analytics::reports::{self, Audience, Granularity, Metric, Period};
use crate::analytics::rollup::{paris_day, Dimension};
use crate::analytics::routes::mail_reports;
use crate::analytics::views::statistics as view;
use crate::analytics::views::statistics::{dimension_of_table, StatisticsPage};
use crate::analytics::views::statistics_period::Choice;
use crate::analytics::views::statistics_tables::series_csv;
use crate::auth::{CsrfToken, Viewer};
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
    /// How many periods of the preset's kind back (the arrows), 0 or less.
    #[serde(rename = "decalage")]
    shift: Option<String>,
    #[serde(rename = "granularite")]
    granularity: Option<String>,
    #[serde(rename = "mesure")]
    metric: Option<String>,
    /// The breakdown table to export.
    #[serde(rename = "tableau")]
    table: Option<String>,
    #[serde(rename = "separateur")]
    separator: Option<String>,
}

impl PeriodQuery {
    /// The period asked for; a wrong one falls back to 30 days and says
    /// why. `tout` looks up where the figures begin.
    async fn period(&self, state: &AppState) -> Result<(Period, Option<String>), PageError> {
        let asked = PeriodAsked {
            kind: self.period.as_deref(),
            shift: self.shift.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
        };
        period_of(state, asked).await
    }

    /// The chart's and the links' choices.
    fn choice(&self, granularity: Granularity, filters: Filters, now: DateTime<Utc>) -> Choice {
        Choice {
            granularity: self.granularity.as_ref().map(|_| granularity),
            metric: Metric::parse(self.metric.as_deref()),
            today: paris_day(now),
            filters,
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

/// The period asked for; a wrong one falls back to 30 days and says why.
pub(super) async fn period_of(
    state: &AppState,
    asked: PeriodAsked<'_>,
) -> Result<(Period, Option<String>), PageError> {
    let today = paris_day(state.clock.now());
    let data_from = match asked.kind {
        Some("tout") => reports::data_from(&state.db, today).await?,
        _ => today,
    };
    Ok(match Period::parse(asked, today, data_from) {
        Ok(period) => (period, None),
        Err(error) => (
            Period::parse(PeriodAsked::default(), today, today).expect("a preset parses"),
            Some(error.to_string()),
        ),
    })
}

/// Where the statistics are read from.
pub(super) fn audience(state: &AppState) -> Audience<'_> {
    Audience {
        db: &state.db,
        register: &state.register,
        goals: &state.goals,
        min_group: state.min_group,
        days: &state.running_days,
    }
}

/// `GET /statistiques`.
pub async fn page(
    req: HttpRequest,
    query: web::Query<PeriodQuery>,
    filters: Filters,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let (period, error) = query.period(&state).await?;
    let granularity = Granularity::choose(query.granularity.as_deref(), &period);
    let report = reports::report(&audience(&state), &period, granularity, &filters, now).await?;
    let live = live_now(&state.db, now, state.min_group).await?;
    let page = StatisticsPage {
        report: &report,
        visitors_now: live.visitors,
        live_pages: &live.pages,
        min_group: state.min_group,
        period_error: error.as_deref(),
        mail_reports: mail_reports::dashboard_section(&req, &state, &viewer, &token).await?,
        choice: query.choice(granularity, filters, now),
    };
    let status = match error {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    Ok(html(status, view::statistics_page(&viewer, &page)))
}

/// What `/statistiques/export?tableau=…` gives: one breakdown table, the
/// series of the chart (`serie`) or the headline figures (`chiffres`).
/// The versions have no table of their own here: their full table has its
/// CSV.
fn exported(table: &str) -> Result<Option<Dimension>, PageError> {
    let dimension = dimension_of_table(table).filter(|d| Dimension::BREAKDOWNS.contains(d));
    if dimension.is_none() && !matches!(table, "serie" | "chiffres") {
        return Err(PageError::NotFound);
    }
    Ok(dimension)
}

/// `GET /statistiques/export?tableau=…`: one table as CSV, UTF-8 (with a
/// byte-order mark, which spreadsheets need to read it as UTF-8), French
/// headers, `;` and decimal commas by default (French spreadsheets), or `,`
/// and decimal points. The same filters and suppression as the page.
pub async fn export(
    query: web::Query<PeriodQuery>,
    filters: Filters,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let (period, error) = query.period(&state).await?;
    if error.is_some() {
        // Only a hand-made link gets here: the page's links are valid.
        return Err(PageError::BadRequest);
    }
    let table = query.table.as_deref().unwrap_or_default();
    let dimension = exported(table)?;
    let granularity = Granularity::choose(query.granularity.as_deref(), &period);
    let report = reports::report(&audience(&state), &period, granularity, &filters, now).await?;
    let csv = match (series_csv(&report, table, query.separator()), dimension) {
        (Some(csv), _) => csv?,
        (None, Some(dimension)) => view::table_csv(&report, dimension, query.separator())?,
        (None, None) => return Err(PageError::NotFound),
    };
    Ok(csv.into_response()?)
}
