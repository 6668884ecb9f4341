//! What the axe-core audit of the browser tests asked for and the HTML
//! shows: a table's scrolling box takes keyboard focus and is a region named
//! by the table's caption; no table header is empty.

use wemaintain::auth::Role;

use crate::helpers::{client_with_a_lift, create_account, spawn_app, Backend, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    a_scrolling_table_is_a_focusable_region_named_by_its_caption,
    no_table_header_is_empty,
);

/// Every `<tag …>…</tag>` of `html` (not nested), whole.
fn elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        // `<th` must not match `<thead`.
        if !after.starts_with([' ', '>']) {
            rest = after;
            continue;
        }
        let end = after.find(&close).expect("a closed element") + close.len();
        found.push(&rest[start..start + open.len() + end]);
        rest = &after[end..];
    }
    found
}

/// The text of a piece of HTML, tags removed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// The pages with tables, for a client and for staff.
async fn pages_with_tables(backend: Backend) -> Vec<(String, String)> {
    let app = spawn_app(backend).await;
    let (client, building, _) = client_with_a_lift(&app, "marie@syndic.fr", "Syndic Exemple").await;
    let building = format!("/profil/batiments/{building}");
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let mut pages = Vec::new();
    for (who, path) in [
        (&client, building.as_str()),
        (&client, "/profil/batiments"),
        (&staff, "/admin/comptes"),
        (&staff, "/admin/journal"),
    ] {
        let (status, page) = who.get_page(path).await;
        assert_eq!(status, 200, "{path}");
        pages.push((path.to_owned(), page));
    }
    pages
}

async fn a_scrolling_table_is_a_focusable_region_named_by_its_caption(backend: Backend) {
    let mut wrappers = 0;
    for (path, page) in pages_with_tables(backend).await {
        let mut rest = page.as_str();
        while let Some(start) = rest.find(r#"<div class="table-scroll""#) {
            rest = &rest[start..];
            let tag = &rest[..rest.find('>').unwrap() + 1];
            let caption = text(elements(rest, "caption")[0]);
            assert!(
                tag.contains(r#"tabindex="0""#) && tag.contains(r#"role="region""#),
                "{path}: the table's scrolling box cannot take focus: {tag}"
            );
            assert!(
                tag.contains(&format!(r#"aria-label="{caption}""#)),
                "{path}: the region is not named by the caption {caption:?}: {tag}"
            );
            wrappers += 1;
            rest = &rest[tag.len()..];
        }
    }
    assert!(wrappers >= 4, "only {wrappers} tables seen");
}

async fn no_table_header_is_empty(backend: Backend) {
    let mut headers = 0;
    for (path, page) in pages_with_tables(backend).await {
        for th in elements(&page, "th") {
            assert!(!text(th).is_empty(), "{path}: an empty table header: {th}");
            headers += 1;
        }
    }
    assert!(headers > 10, "only {headers} table headers seen");
}
