//! The full table of a breakdown: every line of the period (not only the
//! top ones), searched by name, sorted by a column, shown 50 at a time.
//! « Autres » is not a name: a search never matches it, and it stays last
//! whatever the order.

use super::reports::{BreakdownRow, OTHERS};

/// Lines per page of a full table.
pub const TABLE_PAGE_SIZE: usize = 50;

/// The longest search kept; a longer one is cut.
const MAX_SEARCH_CHARS: usize = 200;

/// The column a table is sorted by (`?tri=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Views,
    Visitors,
}

impl SortKey {
    pub const ALL: [SortKey; 3] = [SortKey::Name, SortKey::Views, SortKey::Visitors];

    pub fn key(self) -> &'static str {
        match self {
            SortKey::Name => "nom",
            SortKey::Views => "vues",
            SortKey::Visitors => "visiteurs",
        }
    }

    /// Names A to Z, figures largest first.
    pub fn natural_order(self) -> Order {
        match self {
            SortKey::Name => Order::Ascending,
            _ => Order::Descending,
        }
    }
}

/// `?ordre=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Ascending,
    Descending,
}

impl Order {
    pub fn key(self) -> &'static str {
        match self {
            Order::Ascending => "asc",
            Order::Descending => "desc",
        }
    }

    /// The `aria-sort` value.
    pub fn aria(self) -> &'static str {
        match self {
            Order::Ascending => "ascending",
            Order::Descending => "descending",
        }
    }

    pub fn reversed(self) -> Order {
        match self {
            Order::Ascending => Order::Descending,
            Order::Descending => Order::Ascending,
        }
    }
}

/// What a full table was asked for. Anything unknown falls back to the
/// defaults: page views, largest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRequest {
    pub search: String,
    pub sort: SortKey,
    pub order: Order,
}

impl TableRequest {
    pub fn parse(search: Option<&str>, sort: Option<&str>, order: Option<&str>) -> Self {
        let sort = SortKey::ALL
            .into_iter()
            .find(|k| Some(k.key()) == sort)
            .unwrap_or(SortKey::Views);
        let order = match order {
            Some("asc") => Order::Ascending,
            Some("desc") => Order::Descending,
            _ => sort.natural_order(),
        };
        let search: String = search
            .unwrap_or_default()
            .trim()
            .chars()
            .take(MAX_SEARCH_CHARS)
            .collect();
        TableRequest {
            search,
            sort,
            order,
        }
    }
}

/// The lines matching the search (never « Autres » when there is one),
/// sorted, « Autres » last. `label` is the name as shown.
pub fn select(
    rows: Vec<BreakdownRow>,
    request: &TableRequest,
    label: impl Fn(&str) -> String,
) -> Vec<BreakdownRow> {
    let needle = request.search.to_lowercase();
    let mut named: Vec<(String, BreakdownRow)> = Vec::new();
    let mut others = None;
    for row in rows {
        if row.value == OTHERS {
            others = Some(row);
            continue;
        }
        let name = label(&row.value).to_lowercase();
        if name.contains(&needle) {
            named.push((name, row));
        }
    }
    named.sort_by(|(a_name, a), (b_name, b)| {
        let by_name = a_name.cmp(b_name).then_with(|| a.value.cmp(&b.value));
        let ordering = match request.sort {
            SortKey::Name => by_name,
            SortKey::Views => a.views.cmp(&b.views),
            SortKey::Visitors => a.visitors.cmp(&b.visitors),
        };
        let ordering = match request.order {
            Order::Ascending => ordering,
            Order::Descending => ordering.reverse(),
        };
        ordering.then(by_name)
    });
    let mut selected: Vec<BreakdownRow> = named.into_iter().map(|(_, row)| row).collect();
    if needle.is_empty() {
        selected.extend(others);
    }
    selected
}

/// One page of a selection.
#[derive(Debug, Clone, PartialEq)]
pub struct TablePage {
    pub rows: Vec<BreakdownRow>,
    /// Lines of the whole selection.
    pub total: usize,
    /// 1-based, within 1..=pages.
    pub page: i64,
    pub pages: i64,
}

/// Page `page` of `rows` (a number past the end gives the last page, below
/// 1 the first).
pub fn page_of(rows: Vec<BreakdownRow>, page: i64) -> TablePage {
    let total = rows.len();
    let pages = total.div_ceil(TABLE_PAGE_SIZE).max(1) as i64;
    let page = page.clamp(1, pages);
    let rows = rows
        .into_iter()
        .skip((page as usize - 1) * TABLE_PAGE_SIZE)
        .take(TABLE_PAGE_SIZE)
        .collect();
    TablePage {
        rows,
        total,
        page,
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: &str, views: i64, visitors: i64) -> BreakdownRow {
        BreakdownRow {
            value: value.into(),
            views,
            visitors,
            share: 0.0,
            visits: 0,
            bounces: 0,
        }
    }

    fn values(rows: &[BreakdownRow]) -> Vec<&str> {
        rows.iter().map(|r| r.value.as_str()).collect()
    }

    #[test]
    fn others_stay_last_and_are_never_found() {
        let rows = vec![
            row("/b", 10, 6),
            row("/a", 20, 5),
            row(OTHERS, 50, 9),
            row("/autres-services", 7, 7),
        ];
        let by_name = TableRequest::parse(None, Some("nom"), Some("desc"));
        assert_eq!(
            values(&select(rows.clone(), &by_name, str::to_owned)),
            ["/b", "/autres-services", "/a", OTHERS]
        );
        let search = TableRequest::parse(Some(" AUTRES "), Some("zzz"), None);
        assert_eq!(search.sort, SortKey::Views);
        assert_eq!(
            values(&select(rows, &search, str::to_owned)),
            ["/autres-services"]
        );
    }

    #[test]
    fn pages_hold_fifty_lines() {
        let rows: Vec<BreakdownRow> = (0..120).map(|i| row(&format!("/{i}"), 1, 1)).collect();
        let last = page_of(rows.clone(), 9);
        assert_eq!((last.page, last.pages, last.total), (3, 3, 120));
        assert_eq!(last.rows.len(), 20);
        assert_eq!(page_of(rows, -2).rows.len(), 50);
    }
}
