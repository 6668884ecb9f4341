//! The frame of a logged-in space (the client's Profile, the staff pages):
//! the layout, the account bar, the space's menu, then the page.

use maud::{html, Markup};

use super::{layout, Page};

/// A space: what search engines read of it and its menu.
pub struct Space {
    pub description: &'static str,
    /// The menu's accessible name (« Espace client », « Administration »).
    pub menu: &'static str,
    /// The menu's entries: address and label.
    pub links: &'static [(&'static str, &'static str)],
}

/// A page of `space` under its account bar and menu.
pub fn space_page(space: &Space, title: &str, path: &str, bar: Markup, content: Markup) -> Markup {
    let page = Page {
        title,
        description: space.description,
        path,
    };
    layout(
        &page,
        html! {
            section.section { div.wrap {
                (bar)
                nav aria-label=(space.menu) {
                    p {
                        @for (i, (href, label)) in space.links.iter().enumerate() {
                            @if i > 0 { " · " }
                            a href=(href) { (label) }
                        }
                    }
                }
                (content)
            } }
        },
    )
}
