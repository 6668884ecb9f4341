//! Lists shown a page at a time: the page asked for ([`PageRequest`]),
//! where it falls once the total is known ([`PageWindow`]), the page itself
//! ([`Paged`]), and [`fetch_page`], which runs the count and the page's
//! query from one description of the list ([`ListSql`]).

use serde::{Deserialize, Deserializer};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::FromRow;

use super::{on_pool, Db, DbError};

/// Items per page of every list.
pub const PAGE_SIZE: i64 = 20;

/// The page a list was asked for (`?page=`), 1-based, not yet checked
/// against the total. Read from a query string, anything but a number is
/// the first page (as is a missing `page`, with `#[serde(default)]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest(i64);

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest::FIRST
    }
}

impl<'de> Deserialize<'de> for PageRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(PageRequest::parse(Some(&text)))
    }
}

impl PageRequest {
    pub const FIRST: PageRequest = PageRequest(1);

    pub fn new(number: i64) -> Self {
        PageRequest(number)
    }

    /// `?page=` as typed: anything but a number is the first page.
    pub fn parse(text: Option<&str>) -> Self {
        PageRequest(text.and_then(|text| text.parse().ok()).unwrap_or(1))
    }

    /// Where the page falls among `total` items: a number past the end gives
    /// the last page, below 1 the first.
    pub fn window(self, total: i64) -> PageWindow {
        let (page, pages) = page_window(total, self.0);
        PageWindow { page, pages, total }
    }
}

/// The page to show (a number past the end gives the last page, below 1
/// the first) and how many pages `total` items make.
pub fn page_window(total: i64, page: i64) -> (i64, i64) {
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    (page.clamp(1, pages), pages)
}

/// A page placed among the list's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageWindow {
    /// 1-based, within 1..=pages.
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

impl PageWindow {
    pub fn limit(self) -> i64 {
        PAGE_SIZE
    }

    pub fn offset(self) -> i64 {
        (self.page - 1) * PAGE_SIZE
    }

    pub fn with<T>(self, items: Vec<T>) -> Paged<T> {
        Paged {
            items,
            page: self.page,
            pages: self.pages,
            total: self.total,
        }
    }
}

/// One page of a list, and how many pages there are.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// 1-based, within 1..=pages.
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

/// A list's SQL, in the parts the count and the page share.
#[derive(Debug, Clone, Copy)]
pub struct ListSql<'a> {
    pub columns: &'a str,
    /// `FROM … WHERE …`: the rows of the list, for the count and the page.
    pub from: &'a str,
    pub order_by: &'a str,
    /// The values of `$1`, `$2`… in `from` (ids and days, `None` for a
    /// filter not set); `LIMIT` and `OFFSET` take the next two.
    pub args: &'a [Option<i64>],
}

/// Counts the list's rows, then reads the page `request` asks for (the last
/// one when it asks past the end).
pub async fn fetch_page<T>(
    db: &Db,
    list: ListSql<'_>,
    request: PageRequest,
) -> Result<Paged<T>, DbError>
where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    let count_sql = format!("SELECT COUNT(*) {}", list.from);
    let total: i64 = on_pool!(db, |pool| {
        let mut query = sqlx::query_scalar(&count_sql);
        for arg in list.args {
            query = query.bind(*arg);
        }
        query.fetch_one(pool).await
    })?;
    let window = request.window(total);
    let sql = format!(
        "SELECT {} {} ORDER BY {} LIMIT ${} OFFSET ${}",
        list.columns,
        list.from,
        list.order_by,
        list.args.len() + 1,
        list.args.len() + 2
    );
    let items = on_pool!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for arg in list.args {
            query = query.bind(*arg);
        }
        query
            .bind(window.limit())
            .bind(window.offset())
            .fetch_all(pool)
            .await
    })?;
    Ok(window.with(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_past_either_end_is_the_nearest_one() {
        assert_eq!(PageRequest::new(9).window(41).page, 3);
        assert_eq!(PageRequest::new(0).window(41).page, 1);
        assert_eq!(PageRequest::new(2).window(0).pages, 1);
        assert_eq!(PageRequest::new(2).window(41).offset(), 20);
        assert_eq!(PageRequest::parse(Some("x")), PageRequest::FIRST);
        assert_eq!(PageRequest::parse(None), PageRequest::FIRST);
    }
}
