//! « En ce moment »: the pages read in the last 30 minutes, from the raw
//! rows, as numbers of visitors per page. Pages read by fewer than the
//! minimum group are merged into « Autres », and any figure below it reads
//! « moins de … »: a single person's reading is never shown.

use chrono::{DateTime, Duration, Utc};

use super::reports::{suppress, BreakdownRow, OTHERS};
use super::rollup::{count_audience, Counts, Dimension};
use crate::db::{Db, DbError};

/// How far back « en ce moment » looks.
pub const WINDOW_MINUTES: i64 = 30;

/// What is being read now.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveNow {
    /// Visitors over the window, counted as for the day.
    pub visitors: i64,
    /// Per page, most visitors first, « Autres » last.
    pub pages: Vec<BreakdownRow>,
}

/// The pages read from `now` minus 30 minutes to `now`.
pub async fn live_now(db: &Db, now: DateTime<Utc>, min_group: i64) -> Result<LiveNow, DbError> {
    let counts = count_audience(
        db,
        &std::sync::Arc::new(crate::analytics::goals::Goals::default()),
        now - Duration::minutes(WINDOW_MINUTES),
        now + Duration::seconds(1),
    )
    .await?;
    let pages: Vec<(String, Counts)> = counts
        .0
        .iter()
        .filter(|((dimension, _), _)| *dimension == Dimension::Page)
        .map(|((_, value), c)| (value.clone(), c.clone()))
        .collect();
    let mut pages = suppress(pages, min_group, usize::MAX);
    pages.sort_by(|a, b| {
        (a.value == OTHERS)
            .cmp(&(b.value == OTHERS))
            .then(b.visitors.cmp(&a.visitors))
            .then_with(|| a.value.cmp(&b.value))
    });
    Ok(LiveNow {
        visitors: counts.get(Dimension::Total, "").visitors,
        pages,
    })
}
