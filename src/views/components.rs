//! Small pieces of markup reused across pages.

use maud::{html, Markup};

/// A table that scrolls sideways on a phone instead of overflowing the page.
pub fn table(caption: &str, headers: &[&str], rows: &[Vec<Markup>]) -> Markup {
    html! {
        div.table-scroll {
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
