//! Reading the raw `audience` rows of the visitor log, in time order, one
//! at a time, for the counts of `rollup`, `slices` and `today`.

use chrono::{DateTime, Utc};
use futures_util::StreamExt;

use super::filters::{FilterKey, Filters};
use crate::db::{millis, on_sqlite_handle, Db, DbError};

/// A browser or OS the log does not name, as the statistics show it.
pub const UNKNOWN: &str = "Inconnu";

/// One raw audience row, as the aggregation reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AudienceRow {
    pub occurred_at: i64,
    pub ip: String,
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub device_type: String,
    pub manufacturer: Option<String>,
    pub url: String,
}

/// Hands the raw audience rows between two instants (of an id up to
/// `max_id`), in time order, to `add`, one at a time: a busy day's rows are never all in memory (with
/// them all loaded, each look at today's statistics took about 90 MB on a
/// day of 400,000 page views; bench/soak). On SQLite they are read through
/// rusqlite on sqlx's own connection, as the writer writes them: sqlx spends
/// about 9 µs a row handing each one over from its connection thread, which
/// made a day of 25,000 rows cost 0.2 s (docs/benchmarks.md).
pub(super) async fn stream_audience<S: Send + 'static>(
    db: &Db,
    span: (DateTime<Utc>, DateTime<Utc>),
    max_id: i64,
    state: S,
    add: fn(&mut S, &AudienceRow),
) -> Result<S, DbError> {
    stream_narrowed(db, span, max_id, &Narrowing::default(), state, add).await
}

/// What the rows of the visits some filters keep must hold: the fields of
/// the visitor (the same on every row of a visit) that the filters name.
/// Reading only those rows keeps every visit the filters keep, whole:
/// they all share them. Empty: any.
#[derive(Debug, Default, Clone)]
pub(super) struct Narrowing {
    device: String,
    browser: String,
    os: String,
}

impl Narrowing {
    pub(super) fn of(filters: &Filters) -> Narrowing {
        // « Inconnu » stands for an empty column: not narrowed.
        let known = |key| {
            filters
                .get(key)
                .filter(|value| *value != UNKNOWN)
                .unwrap_or_default()
                .to_owned()
        };
        Narrowing {
            device: known(FilterKey::Device),
            browser: known(FilterKey::Browser),
            os: known(FilterKey::Os),
        }
    }
}

/// [`stream_audience`], reading only the rows `narrowing` lets through.
pub(super) async fn stream_narrowed<S: Send + 'static>(
    db: &Db,
    (from, until): (DateTime<Utc>, DateTime<Utc>),
    max_id: i64,
    narrowing: &Narrowing,
    mut state: S,
    add: fn(&mut S, &AudienceRow),
) -> Result<S, DbError> {
    const SQL: &str = "SELECT occurred_at, ip, browser, browser_version, os, os_version, \
           device_type, manufacturer, url FROM visitor_log \
         WHERE purpose = 'audience' AND occurred_at >= $1 AND occurred_at < $2 AND id <= $3 \
           AND ($4 = '' OR device_type = $4) AND ($5 = '' OR browser = $5) \
           AND ($6 = '' OR os = $6) \
         ORDER BY occurred_at";
    let (from, until) = (millis(from), millis(until));
    let Narrowing {
        device,
        browser,
        os,
    } = narrowing.clone();
    match db {
        Db::Sqlite(pool) => {
            on_sqlite_handle(pool, move |sqlite| {
                let mut statement = sqlite.prepare_cached(SQL)?;
                let params = rusqlite::params![from, until, max_id, device, browser, os];
                let mut rows = statement.query(params)?;
                while let Some(row) = rows.next()? {
                    let row = AudienceRow {
                        occurred_at: row.get(0)?,
                        ip: row.get(1)?,
                        browser: row.get(2)?,
                        browser_version: row.get(3)?,
                        os: row.get(4)?,
                        os_version: row.get(5)?,
                        device_type: row.get(6)?,
                        manufacturer: row.get(7)?,
                        url: row.get(8)?,
                    };
                    add(&mut state, &row);
                }
                Ok(state)
            })
            .await
        }
        Db::Postgres(pool) => {
            let mut rows = sqlx::query_as::<_, AudienceRow>(SQL)
                .bind(from)
                .bind(until)
                .bind(max_id)
                .bind(device)
                .bind(browser)
                .bind(os)
                .fetch(pool);
            while let Some(row) = rows.next().await {
                add(&mut state, &row?);
            }
            Ok(state)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_visitor_fields_named_narrow_the_rows() {
        let filters = Filters::from_query(
            "appareil=pc&navigateur=Inconnu&systeme=Linux&chemin=%2F&fabricant=Samsung",
        );
        let narrowing = Narrowing::of(&filters);
        // An unknown browser is an empty column: every row is read.
        assert_eq!(
            (
                narrowing.device.as_str(),
                narrowing.browser.as_str(),
                narrowing.os.as_str()
            ),
            ("pc", "", "Linux")
        );
        let none = Narrowing::of(&Filters::from_query("chemin=%2F"));
        assert!(none.device.is_empty() && none.browser.is_empty() && none.os.is_empty());
    }
}
