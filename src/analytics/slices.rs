//! A day counted for the whole site and under every single filter at once
//! (a « slice »: the visits one filter keeps), and stored in
//! `audience_daily`: a view filtered on one value then reads counts, as an
//! unfiltered one does, instead of its period's raw rows. Each visit is
//! counted in the site's tallies and in those of every filter that keeps it
//! ([`Visit::filter_values`]), so a slice's figures are exactly what the
//! raw rows give with that filter. Two filters at once are still counted
//! from the raw rows (`counting::filtered_counts`).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::filters::{FilterKey, Filters};
use super::goals::Goals;
use super::rollup::{split, stream_audience, AudienceRow, Counts, Day, DayCounts};
use super::visits::{FastMap, Splitter, Tallies, Visit};
use sqlx::PgPool;

use crate::db::{millis, on_sqlite_handle, Db, DbError};

/// What a slice is counted under: `("", "")` for the whole site, else a
/// filter's parameter (`appareil`) and value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slice {
    pub key: &'static str,
    pub value: String,
}

impl Slice {
    pub fn site() -> Slice {
        Slice {
            key: "",
            value: String::new(),
        }
    }

    pub fn of(key: FilterKey, value: &str) -> Slice {
        Slice {
            key: key.param(),
            value: value.to_owned(),
        }
    }

    /// The slice a view's filters read, when they are none or one; two or
    /// more have none.
    pub fn of_filters(filters: &Filters) -> Option<Slice> {
        let mut filters = filters.iter();
        match (filters.next(), filters.next()) {
            (None, _) => Some(Slice::site()),
            (Some((key, value)), None) => Some(Slice::of(key, value)),
            _ => None,
        }
    }

    pub fn is_site(&self) -> bool {
        self.key.is_empty()
    }
}

/// A day's counts for the site and for each filter value seen that day.
#[derive(Debug, Default)]
pub struct SlicedDay {
    pub site: DayCounts,
    pub by_filter: Vec<((FilterKey, String), DayCounts)>,
}

/// Counts rows, in time order, into visits and each visit into the site's
/// tallies and those of every filter that keeps it.
pub struct SliceCounter {
    goals: Arc<Goals>,
    splitter: Splitter,
    site: Tallies,
    by_filter: FastMap<(FilterKey, String), Tallies>,
}

impl SliceCounter {
    pub fn new(goals: Arc<Goals>) -> Self {
        Self {
            goals,
            splitter: Splitter::default(),
            site: Tallies::default(),
            by_filter: FastMap::default(),
        }
    }

    pub fn add(&mut self, row: &AudienceRow) {
        let (goals, site, by_filter) = (&self.goals, &mut self.site, &mut self.by_filter);
        split(&mut self.splitter, row, &mut |visit| {
            count_visit(goals, site, by_filter, &visit)
        });
    }

    pub fn finish(self) -> SlicedDay {
        let (goals, mut site, mut by_filter) = (self.goals, self.site, self.by_filter);
        self.splitter
            .finish(&mut |visit| count_visit(&goals, &mut site, &mut by_filter, &visit));
        SlicedDay {
            site: DayCounts::from(site),
            by_filter: by_filter
                .into_iter()
                .map(|(filter, tallies)| (filter, DayCounts::from(tallies)))
                .collect(),
        }
    }
}

fn count_visit(
    goals: &Goals,
    site: &mut Tallies,
    by_filter: &mut FastMap<(FilterKey, String), Tallies>,
    visit: &Visit,
) {
    let touched = visit.touched(goals);
    site.add_touched(visit, &touched);
    for filter in visit.filter_values(goals) {
        by_filter
            .entry(filter)
            .or_default()
            .add_touched(visit, &touched);
    }
}

/// Counts the raw rows between two instants for the site and every slice.
pub async fn count_sliced(
    db: &Db,
    goals: &Arc<Goals>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<SlicedDay, DbError> {
    let counter = SliceCounter::new(goals.clone());
    let counter = stream_audience(db, (from, until), i64::MAX, counter, SliceCounter::add).await?;
    Ok(counter.finish())
}

/// One row of `audience_daily` to write.
struct DailyRow {
    filter_key: &'static str,
    filter_value: String,
    dimension: &'static str,
    value: String,
    counts: Counts,
}

impl DailyRow {
    /// The site's total: it marks the day as counted, slices included.
    fn is_site_total(&self) -> bool {
        self.filter_key.is_empty() && self.dimension == "total"
    }
}

/// The PostgreSQL advisory lock keys of the roll-up: this plus the day.
const ROLLUP_LOCK: i64 = 0x5745_4d41_0000_0000;

const COLUMNS: &str = "audience_daily (day, day_start, filter_key, filter_value, dimension, \
     value, views, visitors, visits, bounces, duration_s, filters_counted, expires_at)";

/// Replaces a day's rows of `audience_daily` with `counted`, in one
/// transaction. A day holds tens of thousands of rows with its slices:
/// they go through one prepared statement on SQLite and `COPY` on
/// PostgreSQL (sqlx's bound INSERTs cost about 9 µs a row, most of the
/// roll-up's time).
pub async fn store_day(
    db: &Db,
    (day, start): (Day, DateTime<Utc>),
    expires_at: i64,
    counted: SlicedDay,
) -> Result<(), DbError> {
    let day = StoredDay {
        day,
        day_start: millis(start),
        expires_at,
        rows: rows_of(counted),
    };
    match db {
        Db::Sqlite(pool) => on_sqlite_handle(pool, move |sqlite| day.write_sqlite(sqlite)).await,
        Db::Postgres(pool) => day.write_postgres(pool).await,
    }
}

/// A day's rows, the site's and every slice's.
fn rows_of(counted: SlicedDay) -> Vec<DailyRow> {
    let mut rows: Vec<DailyRow> = Vec::new();
    let site = std::iter::once(("", String::new(), counted.site));
    let slices = counted
        .by_filter
        .into_iter()
        .map(|((key, value), counts)| (key.param(), value, counts));
    for (filter_key, filter_value, day_counts) in site.chain(slices) {
        for ((dimension, value), counts) in day_counts.0 {
            rows.push(DailyRow {
                filter_key,
                filter_value: filter_value.clone(),
                dimension: dimension.key(),
                value,
                counts,
            });
        }
    }
    // An empty day still gets its site total: it marks the day as counted.
    if !rows.iter().any(DailyRow::is_site_total) {
        rows.push(DailyRow {
            filter_key: "",
            filter_value: String::new(),
            dimension: "total",
            value: String::new(),
            counts: Counts::default(),
        });
    }
    rows
}

/// A day to write: its rows and what every row of it carries.
struct StoredDay {
    day: Day,
    day_start: i64,
    expires_at: i64,
    rows: Vec<DailyRow>,
}

impl StoredDay {
    fn write_sqlite(&self, sqlite: &rusqlite::Connection) -> rusqlite::Result<()> {
        let tx =
            rusqlite::Transaction::new_unchecked(sqlite, rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM audience_daily WHERE day = ?1", [self.day])?;
        {
            let mut insert = tx.prepare(&format!(
                "INSERT INTO {COLUMNS} VALUES \
                 (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ))?;
            for row in &self.rows {
                insert.execute(rusqlite::params![
                    self.day,
                    self.day_start,
                    row.filter_key,
                    row.filter_value,
                    row.dimension,
                    row.value,
                    row.counts.views,
                    row.counts.visitors,
                    row.counts.visits,
                    row.counts.bounces,
                    row.counts.duration_s,
                    row.is_site_total(),
                    self.expires_at,
                ])?;
            }
        }
        tx.commit()
    }

    async fn write_postgres(&self, pool: &PgPool) -> Result<(), DbError> {
        let mut tx = pool.begin().await?;
        // Two instances counting the same day take turns: without the lock,
        // the second one's rows would hit the first one's (unique index).
        // SQLite's write lock does this already.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(ROLLUP_LOCK + self.day)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM audience_daily WHERE day = $1")
            .bind(self.day)
            .execute(&mut *tx)
            .await?;
        let mut copy = tx
            .copy_in_raw(&format!("COPY {COLUMNS} FROM STDIN (FORMAT csv)"))
            .await?;
        for chunk in self.rows.chunks(2000) {
            let mut data = String::new();
            for row in chunk {
                self.csv_line(&mut data, row);
            }
            copy.send(data.into_bytes()).await?;
        }
        copy.finish().await?;
        tx.commit().await?;
        Ok(())
    }

    /// A row as a line of PostgreSQL's CSV format, every text quoted (an
    /// unquoted empty field would be NULL).
    fn csv_line(&self, out: &mut String, row: &DailyRow) {
        use std::fmt::Write;
        let (day, day_start, expires_at) = (self.day, self.day_start, self.expires_at);
        let quoted = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
        let c = &row.counts;
        // Writing into a String cannot fail.
        let _ = writeln!(
            out,
            "{day},{day_start},{},{},{},{},{},{},{},{},{},{},{expires_at}",
            quoted(row.filter_key),
            quoted(&row.filter_value),
            quoted(row.dimension),
            quoted(&row.value),
            c.views,
            c.visitors,
            c.visits,
            c.bounces,
            c.duration_s,
            row.is_site_total(),
        );
    }
}
