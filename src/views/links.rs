//! The pages of a single-use link sent by e-mail (a sign-up's address, a
//! rights request, a new address): a button confirms, then one sentence says
//! what happened.

use maud::{html, Markup};

use super::forms::csrf_field;
use super::{layout, Page};
use crate::auth::CsrfToken;

/// A confirmation link, opened: a button confirms (a link alone could be
/// opened by a mail filter).
pub fn link_page(
    title: &str,
    action: &str,
    link_token: &str,
    button: &str,
    token: &CsrfToken,
) -> Markup {
    let page = Page {
        title,
        description: title,
        path: action,
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { (title) }
                form.form method="post" action=(action) {
                    (csrf_field(token))
                    input type="hidden" name="jeton" value=(link_token);
                    button.button type="submit" { (button) }
                }
            } }
        },
    )
}

/// The end of a confirmation link: what happened, in one sentence.
pub fn link_result_page(path: &str, title: &str, text: &str) -> Markup {
    crate::inbox::views::sent_page(path, title, text)
}
