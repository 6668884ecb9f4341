//! Small pieces of markup reused across pages.

use maud::{html, Markup};

/// A table that scrolls sideways on a wide screen when it must, and turns
/// into stacked cards on a phone: each cell carries its column's label in
/// `data-label`, which the stylesheet shows before it below 40rem. The
/// ARIA roles of rows and cells repeat what they are, because browsers
/// (Safari among them) drop their semantics once CSS changes their
/// `display`: screen readers get a real table at every width.
/// The scrolling box takes keyboard focus (so it scrolls with the arrow
/// keys) and is announced as a region named by the caption.
pub fn table(caption: &str, headers: &[&str], rows: &[Vec<Markup>]) -> Markup {
    html! {
        div.table-scroll tabindex="0" role="region" aria-label=(caption) {
            table {
                caption { (caption) }
                thead {
                    tr role="row" { @for h in headers { th scope="col" role="columnheader" { (h) } } }
                }
                tbody {
                    @for row in rows {
                        tr role="row" {
                            @for (i, cell) in row.iter().enumerate() {
                                @let label = headers.get(i).copied().unwrap_or_default();
                                td role="cell" data-label=[(!label.is_empty()).then_some(label)] { (cell) }
                            }
                        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cell_carries_its_column_label() {
        let rows = vec![vec![
            html! { "Ascenseur" },
            html! { a href="/x" { "Modifier" } },
        ]];
        let markup = table("Appareils", &["Type", ""], &rows).into_string();
        assert!(
            markup.contains(r#"<td role="cell" data-label="Type">Ascenseur</td>"#),
            "{markup}"
        );
        assert!(
            markup.contains(r#"<td role="cell"><a href="/x">"#),
            "an action column without a header has no label: {markup}"
        );
        assert!(markup.contains(r#"<th scope="col" role="columnheader">Type</th>"#));
        assert!(
            markup.contains("<table><caption>"),
            "the table itself keeps its semantics"
        );
    }
}
