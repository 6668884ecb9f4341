//! Small pieces of markup reused across pages.

use maud::{html, Markup};

/// A table that scrolls sideways on a phone instead of overflowing the page.
/// The scrolling box takes keyboard focus (so it scrolls with the arrow
/// keys) and is announced as a region named by the caption.
pub fn table(caption: &str, headers: &[&str], rows: &[Vec<Markup>]) -> Markup {
    html! {
        div.table-scroll tabindex="0" role="region" aria-label=(caption) {
            table {
                caption { (caption) }
                thead { tr { @for h in headers { th scope="col" { (h) } } } }
                tbody {
                    @for row in rows {
                        tr { @for cell in row { td { (cell) } } }
                    }
                }
            }
        }
    }
}

/// A bulleted list of plain strings.
pub fn bullet_list<S: AsRef<str>>(items: &[S]) -> Markup {
    html! { ul { @for item in items { li { (item.as_ref()) } } } }
}

/// A card with a title and a short text, for grids of offers.
pub fn card(title: &str, text: &str) -> Markup {
    html! {
        li.card {
            h3 { (title) }
            p { (text) }
        }
    }
}

/// « Page 2 sur 5 » with links to the previous and next pages; `link`
/// builds the address of a page. Nothing when there is one page.
pub fn pagination(page: i64, pages: i64, link: impl Fn(i64) -> String) -> Markup {
    if pages <= 1 {
        return html! {};
    }
    html! {
        nav.pagination aria-label="Pages" {
            @if page > 1 { a rel="prev" href=(link(page - 1)) { "← Page précédente" } }
            span { "Page " (page) " sur " (pages) }
            @if page < pages { a rel="next" href=(link(page + 1)) { "Page suivante →" } }
        }
    }
}
