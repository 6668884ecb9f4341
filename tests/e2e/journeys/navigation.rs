//! Finding one's way: the on-call number in every header, one menu per
//! space with the current entry marked and drawn as selected, the header
//! saying who is logged in, and a form sent back with errors putting the
//! focus on its summary.

use std::sync::Arc;

use anyhow::{ensure, Result};

use crate::browser::Browser;
use crate::flows::{self, ADMIN, CLIENT_OF_COMPANY};
use crate::harness::Journey;
use crate::server::ON_CALL_TEL;

/// The header's on-call link on the current page.
async fn on_call_link(b: &Browser) -> Result<String> {
    let link = b.find("header.site-header a[href^='tel:']").await?;
    Ok(link.attr("href").await?.unwrap_or_default())
}

/// The menu `label`: its entries' texts and the one marked current.
async fn menu(b: &Browser, label: &str) -> Result<(Vec<String>, Vec<String>)> {
    let entries = b.texts(&format!("nav[aria-label='{label}'] a")).await?;
    let current = b
        .texts(&format!("nav[aria-label='{label}'] a[aria-current='page']"))
        .await?;
    Ok((entries, current))
}

/// Whether the current entry of `label` is drawn unlike the others (its
/// background), not only announced.
const LOOKS_SELECTED: &str = r#"
    const [label] = arguments;
    const links = [...document.querySelectorAll(`nav[aria-label='${label}'] a`)];
    const current = links.find(a => a.getAttribute('aria-current') === 'page');
    const other = links.find(a => a !== current);
    if (!current || !other) return false;
    const bg = a => getComputedStyle(a).backgroundColor;
    const weight = a => getComputedStyle(a).fontWeight;
    return bg(current) !== bg(other) && weight(current) !== weight(other);
"#;

async fn looks_selected(b: &Browser, label: &str) -> Result<bool> {
    b.js_with(LOOKS_SELECTED, vec![serde_json::json!(label)])
        .await
}

/// Walks every entry of the menu `label` from the menu itself: each page
/// marks exactly its own entry, and draws it as selected.
async fn walk_menu(b: &Browser, label: &str) -> Result<()> {
    let (entries, _) = menu(b, label).await?;
    ensure!(entries.len() > 1, "the menu « {label} » has {entries:?}");
    for entry in &entries {
        b.click(&format!(
            "nav[aria-label='{label}'] a[href='{}']",
            href_of(b, label, entry).await?
        ))
        .await?;
        b.wait_for_text(
            &format!("nav[aria-label='{label}'] a[aria-current='page']"),
            entry,
        )
        .await?;
        let (_, current) = menu(b, label).await?;
        ensure!(
            current == [entry.clone()],
            "on {}, « {label} » marks {current:?} instead of « {entry} »",
            b.here().await
        );
        ensure!(
            looks_selected(b, label).await?,
            "on {}, the current entry of « {label} » does not look selected",
            b.here().await
        );
        ensure!(
            on_call_link(b).await? == ON_CALL_TEL,
            "no on-call number on {}",
            b.here().await
        );
    }
    Ok(())
}

async fn href_of(b: &Browser, label: &str, text: &str) -> Result<String> {
    b.js_with(
        "const [label, text] = arguments; \
         return [...document.querySelectorAll(`nav[aria-label='${label}'] a`)] \
           .find(a => a.textContent.trim() === text).getAttribute('href');",
        vec![serde_json::json!(label), serde_json::json!(text)],
    )
    .await
}

pub async fn spaces(j: Arc<Journey>) -> Result<()> {
    // A visitor: the on-call number and the way to log in.
    let visitor = j.browser("visitor").await?;
    visitor.open("/").await?;
    ensure!(on_call_link(&visitor).await? == ON_CALL_TEL);
    visitor
        .find("header.site-header a[href='/connexion']")
        .await?;

    // A form sent back with errors puts the focus on its summary.
    visitor.open("/contact").await?;
    visitor
        .click("form[action='/contact'] button[type=submit]")
        .await?;
    visitor.find("div.error-summary").await?;
    let focused: bool = visitor
        .js("return document.activeElement.classList.contains('error-summary')")
        .await?;
    ensure!(focused, "the error summary does not have the focus");
    let title: String = visitor.js("return document.title").await?;
    ensure!(title.starts_with("Erreur"), "the title is « {title} »");

    // A client: their name in the header, the Profile's menu.
    let client = j.browser("client").await?;
    flows::log_in(&client, CLIENT_OF_COMPANY, "/profil").await?;
    let person = client.text("header.site-header .person-link").await?;
    ensure!(
        person.contains("Espace client"),
        "the header says « {person} »"
    );
    ensure!(
        client
            .texts("header.site-header a[href='/connexion']")
            .await?
            .is_empty(),
        "a logged-in client is offered the login page"
    );
    walk_menu(&client, "Espace client").await?;
    client.open("/").await?;
    client.find("header.site-header a[href='/profil']").await?;

    // Staff: the administration's menu on every staff page.
    let admin = j.browser("admin").await?;
    flows::log_in(&admin, ADMIN, "/admin").await?;
    walk_menu(&admin, "Administration").await?;
    Ok(())
}
