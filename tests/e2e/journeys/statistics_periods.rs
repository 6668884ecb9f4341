//! Marketing changes the period of `/statistiques` by its presets and its
//! arrows: the heading and the figures follow, and « Période suivante »
//! brings the same figures back.

use std::sync::Arc;

use anyhow::{ensure, Result};

use crate::flows::{self, MARKETING};
use crate::harness::Journey;

pub async fn arrows(j: Arc<Journey>) -> Result<()> {
    let b = j.browser("marketing").await?;
    flows::log_in(&b, MARKETING, "/statistiques").await?;
    b.follow("7 derniers jours").await?;
    b.wait_for_path("/statistiques?periode=7j").await?;
    let lead = b.wait_for_text("p.lead", "7 derniers jours").await?;
    let figures = b.text("ul.figures").await?;

    b.click("a[rel=prev]").await?;
    b.wait_for_path("/statistiques?periode=7j&decalage=-1")
        .await?;
    let before = b.wait_for_text("p.lead", "7 jours").await?;
    ensure!(before != lead, "the heading stays {lead:?}");
    let figures_before = b.text("ul.figures").await?;
    ensure!(
        figures_before != figures,
        "the figures stay the same: {figures}"
    );
    let title: String = b.js("return document.title;").await?;
    ensure!(
        title.contains("Statistiques de fréquentation du"),
        "{title}"
    );

    b.click("a[rel=next]").await?;
    b.wait_for_path("/statistiques?periode=7j").await?;
    b.wait_for_text("p.lead", "7 derniers jours").await?;
    ensure!(b.text("ul.figures").await? == figures, "back to the 7 days");
    ensure!(
        b.texts("a[rel=next]").await?.is_empty(),
        "no « Période suivante » link past today"
    );

    b.follow("Le mois dernier").await?;
    b.wait_for_path("/statistiques?periode=mois-precedent")
        .await?;
    b.wait_for_text("p.lead", "Le mois dernier").await?;
    b.click("a[rel=prev]").await?;
    b.wait_for_path("/statistiques?periode=mois-precedent&decalage=-1")
        .await?;
    b.wait_for_text("h2", "Évolution").await?;
    Ok(())
}
