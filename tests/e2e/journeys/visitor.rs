//! A visitor reads the home page and the privacy policy, then objects to
//! audience measurement; the choice holds across pages and reloads.

use std::sync::Arc;

use anyhow::{ensure, Result};

use crate::harness::Journey;

const MEASURED: &str = "La mesure d'audience est active pour ce navigateur";
const OBJECTED: &str = "Votre opposition à la mesure d'audience est enregistrée";

pub async fn objects(j: Arc<Journey>) -> Result<()> {
    let b = j.browser("visitor").await?;

    b.open("/").await?;
    b.wait_for_text("h1", "Des ascenseurs entretenus, un suivi transparent")
        .await?;

    // The policy, from the main navigation.
    b.follow("Confidentialité").await?;
    b.wait_for_path("/politique-de-confidentialite").await?;
    b.wait_for_text("h1", "Politique de confidentialité")
        .await?;
    // Its retention table is generated from the register.
    let policy = b.body_text().await?;
    ensure!(
        policy.contains("13 mois"),
        "the policy does not state the 13 months of the audience log"
    );

    // The objection page, from the footer.
    b.follow("Mesure d'audience : s'opposer").await?;
    b.wait_for_path("/confidentialite/opposition").await?;
    b.wait_for_text(".status-box h2", MEASURED).await?;
    b.click(".status-box form button[type=submit]").await?;

    b.wait_for_path("/confidentialite/opposition?enregistre=1")
        .await?;
    b.wait_for_text("p.notice", "Votre choix est enregistré.")
        .await?;
    b.wait_for_text(".status-box h2", OBJECTED).await?;
    b.wait_for_text(".status-box button", "Retirer mon opposition")
        .await?;

    // The choice is a cookie of this browser, and nothing else.
    let cookie = b.client.get_named_cookie("wm_mesure_audience").await?;
    ensure!(
        cookie.value() == "refus",
        "the objection cookie holds {:?}",
        cookie.value()
    );

    // It holds on reload, and on a later visit of the page.
    b.reload().await?;
    b.wait_for_text(".status-box h2", OBJECTED).await?;
    b.open("/").await?;
    b.wait_for_text("h1", "Des ascenseurs entretenus").await?;
    b.open("/confidentialite/opposition").await?;
    b.wait_for_text(".status-box h2", OBJECTED).await?;
    ensure!(
        b.texts("p.notice").await?.is_empty(),
        "a later visit still says the choice was just saved"
    );
    Ok(())
}
