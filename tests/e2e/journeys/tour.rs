//! The pictures of `docs/tour.md`: a few pages of the client's, the staff's
//! and marketing's spaces, on a 390-px phone and a 1280-px screen, saved as
//! PNG in `WM_TOUR_DIR`. Runs only when that variable is set:
//! `WM_TOUR_DIR=docs/tour cargo test --test e2e tour_pictures`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::browser::Browser;
use crate::flows::{self, ADMIN, CLIENT, MARKETING};
use crate::harness::Journey;

const PHONE: (u32, u32) = (390, 844);
const BUILDING: &str = "Résidence du Parc, bâtiment A";

/// A page to picture: its name, its path, and what to scroll to (the top
/// of the page when `None`).
type Shot<'a> = (&'a str, &'a str, Option<&'a str>);

/// Saves what `b` shows of the page as `<dir>/<name>-<width>.png`.
async fn picture(b: &Browser, dir: &std::path::Path, shot: &Shot<'_>, width: u32) -> Result<()> {
    let (name, path, scroll) = shot;
    b.open(path).await?;
    b.find("footer.site-footer").await?;
    if let Some(css) = scroll {
        b.find(css).await?;
        let script = format!("document.querySelector('{css}').scrollIntoView(); return null;");
        b.js::<serde_json::Value>(&script).await?;
    }
    let png = b.client.screenshot().await.context("a screenshot")?;
    let file = dir.join(format!("{name}-{width}.png"));
    std::fs::write(&file, png).with_context(|| format!("write {}", file.display()))?;
    Ok(())
}

/// Pictures of `shots` in both browsers.
async fn pictures(pair: &[&Browser; 2], dir: &std::path::Path, shots: &[Shot<'_>]) -> Result<()> {
    for shot in shots {
        picture(pair[0], dir, shot, PHONE.0).await?;
        picture(pair[1], dir, shot, 1280).await?;
    }
    Ok(())
}

pub async fn pictures_of_the_spaces(j: Arc<Journey>, dir: PathBuf) -> Result<()> {
    std::fs::create_dir_all(&dir).with_context(|| format!("create {}", dir.display()))?;
    let phone = j.phone_for_pictures("phone", PHONE).await?;
    let desk = j.browser("desktop").await?;

    // A client with a building, a lift and a request.
    phone.open("/inscription").await?;
    flows::ask_for_an_account(&phone, &CLIENT).await?;
    flows::confirm_address(&phone, &j.server, &CLIENT).await?;
    flows::log_in(&desk, ADMIN, "/admin").await?;
    flows::validate_sign_up(&desk, CLIENT.email).await?;
    flows::log_in(&phone, CLIENT.email, "/profil").await?;
    let building = flows::add_building(&phone, BUILDING).await?;
    flows::add_device(&phone, "Hall d'entrée, du sous-sol au 9e étage").await?;
    let request = flows::file_request(
        &phone,
        BUILDING,
        "Bruit de frottement à la montée entre le 2e et le 5e étage.",
    )
    .await?;

    // Staff: both browsers as the admin.
    flows::log_out(&phone).await?;
    flows::log_in(&phone, ADMIN, "/admin").await?;
    let staff_request = request.replace("/profil/", "/admin/");
    pictures(
        &[&phone, &desk],
        &dir,
        &[
            ("staff-accueil", "/admin", None),
            ("staff-demandes", "/admin/demandes", None),
            ("staff-demande", &staff_request, None),
        ],
    )
    .await?;

    // The client.
    flows::log_out(&phone).await?;
    flows::log_out(&desk).await?;
    flows::log_in(&phone, CLIENT.email, "/profil").await?;
    flows::log_in(&desk, CLIENT.email, "/profil").await?;
    pictures(
        &[&phone, &desk],
        &dir,
        &[
            ("client-tableau-de-bord", "/profil", None),
            ("client-batiment", &building, None),
            ("client-demande", &request, None),
        ],
    )
    .await?;

    // Marketing.
    flows::log_out(&phone).await?;
    flows::log_out(&desk).await?;
    flows::log_in(&phone, MARKETING, "/statistiques").await?;
    flows::log_in(&desk, MARKETING, "/statistiques").await?;
    pictures(
        &[&phone, &desk],
        &dir,
        &[
            ("marketing-statistiques", "/statistiques", None),
            ("marketing-graphique", "/statistiques", Some("figure.chart")),
        ],
    )
    .await
}
