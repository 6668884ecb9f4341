//! Today's figures (and those of a day compared until the same hour),
//! counted as the day goes: each look at the statistics reads only the rows
//! written since the one before, by id, instead of counting the whole day
//! again. A busy day's answer then costs what arrived in the meantime, not
//! the day's traffic (docs/benchmarks.md, `bench/stats`).
//!
//! A running count holds the day's counter (per value, its visitors'
//! hashes, as the roll-up does; never stored) up to a settled instant, 30
//! seconds ago: rows younger than that may still be on their way from the
//! visitor-log writer. They are kept apart and counted into each answer
//! without changing the counter (`DayCounter::snapshot`). A row that shows
//! up late, older than the settled instant, makes the day counted again
//! from its rows: the answer stays exact. Each instance keeps its own
//! counts; the nightly roll-up counts every finished day again anyway.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tokio::sync::Mutex;

use super::filters::Filters;
use super::goals::Goals;
use super::rollup::{
    count_audience_by_day, day_start, stream_audience, AudienceRow, Day, DayCounter, DayCounts,
};
use crate::db::{millis, on_pool, Db, DbError};

/// How long a row may take from the request to the table.
const SETTLING: Duration = Duration::seconds(30);

/// How many days are kept counting: today, the day it is compared with,
/// and a day not rolled up yet, unfiltered and for the filters looked at
/// last. Each costs a day's visitors' hashes at most (a filtered one, only
/// those of its visits).
const KEPT: usize = 16;

/// Rows read by id at once; more means a long pause: the day is counted
/// again from the time index instead.
const NEW_ROWS_AT_ONCE: i64 = 200_000;

/// The days being counted, for the whole server.
#[derive(Default)]
pub struct RunningDays(Mutex<Vec<RunningDay>>);

struct RunningDay {
    day: Day,
    /// Rows before this instant (ms) are in the counter.
    counted_until: i64,
    /// Rows up to this id were in the table when the count began: they are
    /// read by time; later ones by id.
    start_id: i64,
    /// The last id read.
    last_id: i64,
    /// The visits counted are those these keep.
    filters: Filters,
    counter: DayCounter,
    /// Rows read by id, not settled yet.
    pending: Vec<AudienceRow>,
}

#[derive(sqlx::FromRow)]
struct NewRow {
    id: i64,
    purpose: String,
    #[sqlx(flatten)]
    row: AudienceRow,
}

impl RunningDays {
    /// The counts of `day`'s raw rows before `until`, at `now`.
    pub async fn counts(
        &self,
        db: &Db,
        goals: &Arc<Goals>,
        day: Day,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<DayCounts, DbError> {
        let filters = Filters::default();
        self.filtered_counts(db, goals, &filters, day, until, now)
            .await
    }

    /// The counts of the visits `filters` keep among `day`'s raw rows
    /// before `until`, at `now`: each combination of filters looked at
    /// today is counted as it goes too, the most recent ones kept.
    pub async fn filtered_counts(
        &self,
        db: &Db,
        goals: &Arc<Goals>,
        filters: &Filters,
        day: Day,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<DayCounts, DbError> {
        let mut days = self.0.lock().await;
        let settled = until
            .min(now - SETTLING)
            .max(day_start(day))
            .min(day_start(day + 1));
        let kept = days
            .iter()
            .position(|d| d.day == day && d.filters == *filters)
            .map(|i| days.remove(i))
            // A day asked until an earlier time than counted: counted again.
            .filter(|d| d.counted_until <= millis(settled));
        let mut running = match kept {
            Some(running) => running,
            None => RunningDay::start(db, goals, filters, day).await?,
        };
        if !running.catch_up(db, settled).await? {
            // A row came late: the day is counted again, once.
            running = RunningDay::start(db, goals, filters, day).await?;
            if !running.catch_up(db, settled).await? {
                let (from, to) = (day_start(day), until.min(day_start(day + 1)));
                let by_day = count_audience_by_day(db, goals, filters, from, to).await?;
                return Ok(by_day.get(&day).cloned().unwrap_or_default());
            }
        }
        let counts = running.snapshot(db, settled, until).await?;
        days.insert(0, running);
        days.truncate(KEPT);
        Ok(counts)
    }
}

impl RunningDay {
    async fn start(
        db: &Db,
        goals: &Arc<Goals>,
        filters: &Filters,
        day: Day,
    ) -> Result<Self, DbError> {
        let start_id: Option<i64> = on_pool!(db, |pool| sqlx::query_scalar(
            "SELECT MAX(id) FROM visitor_log"
        )
        .fetch_one(pool)
        .await)?;
        let start_id = start_id.unwrap_or(0);
        Ok(RunningDay {
            day,
            counted_until: millis(day_start(day)),
            start_id,
            last_id: start_id,
            filters: filters.clone(),
            counter: DayCounter::filtered(goals.clone(), filters.clone()),
            pending: Vec::new(),
        })
    }

    /// Counts the rows up to `settled`; `false` when a row older than what
    /// was counted showed up (the count must begin again).
    async fn catch_up(&mut self, db: &Db, settled: DateTime<Utc>) -> Result<bool, DbError> {
        let new = new_rows(db, self.last_id).await?;
        if new.len() as i64 >= NEW_ROWS_AT_ONCE {
            return Ok(false);
        }
        let (first, end) = (millis(day_start(self.day)), millis(day_start(self.day + 1)));
        for NewRow { id, purpose, row } in new {
            self.last_id = self.last_id.max(id);
            if purpose != "audience" || row.occurred_at < first || row.occurred_at >= end {
                continue;
            }
            if row.occurred_at < self.counted_until {
                return Ok(false);
            }
            self.pending.push(row);
        }
        let settled_ms = millis(settled);
        if settled_ms > self.counted_until {
            let from =
                DateTime::<Utc>::from_timestamp_millis(self.counted_until).unwrap_or(settled);
            let mut rows = read(db, (from, settled), self.start_id).await?;
            self.pending.sort_by_key(|row| row.occurred_at);
            let now_settled = self.pending.partition_point(|r| r.occurred_at < settled_ms);
            rows.extend(self.pending.drain(..now_settled));
            rows.sort_by_key(|row| row.occurred_at);
            for row in &rows {
                self.counter.add(row);
            }
            self.counted_until = settled_ms;
        }
        Ok(true)
    }

    /// The counts until `until`: the counter, and the rows after `settled`.
    async fn snapshot(
        &self,
        db: &Db,
        settled: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<DayCounts, DbError> {
        let until_ms = millis(until);
        let mut tail = if until > settled {
            read(db, (settled, until), self.start_id).await?
        } else {
            Vec::new()
        };
        tail.extend(
            self.pending
                .iter()
                .filter(|row| row.occurred_at < until_ms)
                .cloned(),
        );
        tail.sort_by_key(|row| row.occurred_at);
        Ok(self.counter.snapshot(&tail))
    }
}

/// The audience rows between two instants of an id up to `max_id`.
async fn read(
    db: &Db,
    span: (DateTime<Utc>, DateTime<Utc>),
    max_id: i64,
) -> Result<Vec<AudienceRow>, DbError> {
    stream_audience(db, span, max_id, Vec::new(), |rows, row| {
        rows.push(row.clone())
    })
    .await
}

/// The rows written after `last_id`, by id: an index range, so it costs
/// what was written since, whatever the day's traffic. The purpose is not
/// in the condition: SQLite would then walk its (purpose, occurred_at)
/// index, the whole audience log, instead of the ids (1.7 s a look at 10
/// million rows, bench/stats). The id is written into the statement, not
/// bound, so that PostgreSQL plans the read for that id rather than once for
/// any value: a look at today took 173 ms bound, 25 ms written in, at 10
/// million rows (bench/stats).
async fn new_rows(db: &Db, last_id: i64) -> Result<Vec<NewRow>, DbError> {
    let sql = format!(
        "SELECT id, purpose, occurred_at, ip, browser, browser_version, os, os_version, \
         device_type, manufacturer, url FROM visitor_log WHERE id > {last_id} \
         ORDER BY id LIMIT {NEW_ROWS_AT_ONCE}"
    );
    let rows = on_pool!(db, |pool| sqlx::query_as(&sql)
        .persistent(false)
        .fetch_all(pool)
        .await)?;
    Ok(rows)
}
