//! Marketing filters `/statistiques` by clicking rows: a browser, then a
//! device type (two filters); the labels say so and the figures change;
//! the browser's ✕ removes only it, and a period arrow keeps the device.

use std::sync::Arc;

use anyhow::{ensure, Context, Result};

use crate::browser::Browser;
use crate::flows::{self, MARKETING};
use crate::harness::Journey;

/// The first row link of the table whose caption starts with `title`: its
/// `href` (as written in the page) and its text.
async fn first_row(b: &Browser, title: &str) -> Result<(String, String)> {
    let found: Option<(String, String)> = b
        .js_with(
            r#"
            const title = arguments[0];
            for (const table of document.querySelectorAll('table')) {
                const caption = table.querySelector('caption');
                if (!caption || !caption.textContent.trim().startsWith(title)) continue;
                const link = table.querySelector('tbody a.filter-add');
                if (link) return [link.getAttribute('href'), link.textContent.trim()];
            }
            return null;
            "#,
            vec![title.into()],
        )
        .await?;
    found.with_context(|| format!("no row link in the table « {title} »"))
}

/// The labels of the active filters.
async fn labels(b: &Browser) -> Result<Vec<String>> {
    b.texts("section.active-filters span.filter-label").await
}

pub async fn by_click(j: Arc<Journey>) -> Result<()> {
    let b = j.browser("marketing").await?;
    flows::log_in(&b, MARKETING, "/statistiques").await?;
    b.follow("30 derniers jours").await?;
    b.wait_for_path("/statistiques?periode=30j").await?;
    let figures = b.text("ul.figures").await?;
    ensure!(labels(&b).await?.is_empty(), "no filter yet");

    // A browser row.
    let (browser_href, browser) = first_row(&b, "Navigateurs,").await?;
    b.click(&format!("a.filter-add[href=\"{browser_href}\"]"))
        .await?;
    b.wait_for_path(&browser_href).await?;
    let browser_label = format!("Navigateur : {browser}");
    b.wait_for_text("section.active-filters", &browser_label)
        .await?;
    let by_browser = b.text("ul.figures").await?;
    ensure!(
        by_browser != figures,
        "the figures stay the same: {figures}"
    );

    // A device row: both filters.
    let (device_href, device) = first_row(&b, "Types d").await?;
    ensure!(
        device_href.contains("navigateur=") && device_href.contains("appareil="),
        "the device row drops the browser: {device_href}"
    );
    b.click(&format!("a.filter-add[href=\"{device_href}\"]"))
        .await?;
    b.wait_for_path(&device_href).await?;
    let device_label = format!("Appareil : {device}");
    b.wait_for_text("section.active-filters", &device_label)
        .await?;
    ensure!(
        labels(&b).await? == [browser_label.clone(), device_label.clone()],
        "the labels: {:?}",
        labels(&b).await?
    );

    // The browser's ✕: the device stays.
    b.click(&format!(
        "a.filter-remove[aria-label=\"Retirer le filtre {browser_label}\"]"
    ))
    .await?;
    let only_device = b
        .wait_for_path_where("the view without the browser", |path| {
            !path.contains("navigateur=") && path.contains("appareil=")
        })
        .await?;
    ensure!(
        only_device.contains("periode=30j"),
        "the period is lost: {only_device}"
    );
    ensure!(
        labels(&b).await? == [device_label.clone()],
        "the labels: {:?}",
        labels(&b).await?
    );

    // A period arrow keeps the device filter.
    b.click("a[rel=prev]").await?;
    b.wait_for_path_where("the previous 30 days with the device", |path| {
        path.contains("decalage=-1") && path.contains("appareil=")
    })
    .await?;
    b.wait_for_text("p.lead", "30 jours").await?;
    ensure!(
        labels(&b).await? == [device_label],
        "the labels: {:?}",
        labels(&b).await?
    );
    Ok(())
}
