//! `/statistiques`: the audience figures for marketing and staff.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::PageError;
use crate::analytics::reports::{self, Period};
use crate::analytics::rollup::paris_day;
use crate::auth::{CsrfToken, Viewer};
use crate::startup::AppState;
use crate::views::statistics::{self as view, dimension_of_table, StatisticsPage};

#[derive(Deserialize)]
pub struct PeriodQuery {
    periode: Option<String>,
    du: Option<String>,
    au: Option<String>,
    tableau: Option<String>,
    separateur: Option<String>,
}

impl PeriodQuery {
    /// The period asked for; a wrong custom range falls back to 30 days
    /// and says why.
    fn period(&self, today: i64) -> (Period, Option<String>) {
        match Period::parse(
            self.periode.as_deref(),
            self.du.as_deref(),
            self.au.as_deref(),
            today,
        ) {
            Ok(period) => (period, None),
            Err(error) => (
                Period::parse(Some("30j"), None, None, today).expect("a preset always parses"),
                Some(error.to_string()),
            ),
        }
    }
}

/// `GET /statistiques`.
pub async fn page(
    query: web::Query<PeriodQuery>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let (period, error) = query.period(paris_day(now));
    let report = reports::report(&state.db, &state.register, &period, now, state.min_group).await?;
    let visitors_now = reports::visitors_now(&state.db, now).await?;
    let (from, to) = (period.first_date(), period.last_date());
    let markup = view::statistics_page(
        &viewer,
        &token,
        &StatisticsPage {
            report: &report,
            visitors_now,
            min_group: state.min_group,
            period_error: error.as_deref(),
            custom_from: &from.format("%Y-%m-%d").to_string(),
            custom_to: &to.format("%Y-%m-%d").to_string(),
        },
    );
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string()))
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
        .tableau
        .as_deref()
        .and_then(dimension_of_table)
        .ok_or(PageError::NotFound)?;
    let comma = query.separateur.as_deref() == Some("virgule");
    let report = reports::report(&state.db, &state.register, &period, now, state.min_group).await?;
    let rows = report
        .breakdowns
        .iter()
        .find(|(d, _)| *d == dimension)
        .map(|(_, rows)| rows.as_slice())
        .unwrap_or_default();
    let (_, column) = view::dimension_labels(dimension);
    let mut csv = csv::WriterBuilder::new()
        .delimiter(if comma { b',' } else { b';' })
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let write = |csv: &mut csv::Writer<Vec<u8>>, record: [String; 4]| csv.write_record(record);
    let share = |share: f64| {
        let text = format!("{:.1}", share * 100.0);
        if comma {
            text
        } else {
            text.replace('.', ",")
        }
    };
    let result = write(
        &mut csv,
        [
            column.to_owned(),
            "Pages vues".into(),
            "Part des pages vues (%)".into(),
            "Visiteurs".into(),
        ],
    )
    .and_then(|_| {
        rows.iter().try_for_each(|row| {
            write(
                &mut csv,
                [
                    spreadsheet_safe(view::value_label(dimension, &row.value)),
                    row.views.to_string(),
                    share(row.share),
                    row.visitors.to_string(),
                ],
            )
        })
    });
    let body = result
        .map_err(|_| PageError::BadRequest)
        .and_then(|_| csv.into_inner().map_err(|_| PageError::BadRequest))?;
    let filename = format!(
        "statistiques-{}-{}-{}.csv",
        view::table_key(dimension),
        period.first_date().format("%Y-%m-%d"),
        period.last_date().format("%Y-%m-%d")
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body))
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return first) gets a leading apostrophe: campaign names
/// come from visitors' links, and `=HYPERLINK(…)` must stay text.
fn spreadsheet_safe(value: String) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_stay_text_in_the_csv() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-1+1".into()), "'-1+1");
        assert_eq!(
            spreadsheet_safe("newsletter / email / hiver".into()),
            "newsletter / email / hiver"
        );
        assert_eq!(spreadsheet_safe("/services".into()), "/services");
    }
}
