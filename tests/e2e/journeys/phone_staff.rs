//! The staff side on a phone: every `/admin…` page (with a request, a
//! report, a rights request, an account and a company in them, the journal
//! with a filter) and `/statistiques` for an admin, plus how tall the header
//! is for each space.

use anyhow::{ensure, Context, Result};

use crate::browser::Browser;
use crate::flows::{self, ADMIN};
use crate::harness::Journey;

/// A visitor's question and rights request, so that `/admin/messages` and
/// `/admin/droits/{id}` have something to show.
pub async fn visitor_writes(j: &Journey, b: &Browser) -> Result<()> {
    const EMAIL: &str = "paul.martin@exemple.fr";
    b.open("/contact").await?;
    b.fill("#prenom", "Paul").await?;
    b.fill("#nom", "Martin").await?;
    b.fill("#telephone", "06 98 76 54 32").await?;
    b.fill("#email", EMAIL).await?;
    b.fill("#message", "Entretenez-vous des monte-charges ?")
        .await?;
    b.click("form[action='/contact'] button[type=submit]")
        .await?;
    b.wait_for_path_where("the question's receipt", |p| p != "/contact")
        .await?;
    b.open("/confidentialite/demande").await?;
    b.choose("#droit", "acces").await?;
    b.fill("#email", EMAIL).await?;
    b.fill("#message", "Je souhaite une copie de mes données.")
        .await?;
    b.click("form[action='/confidentialite/demande'] button[type=submit]")
        .await?;
    let mail = j
        .server
        .wait_for_mail(EMAIL, "/confidentialite/demande/confirmer?jeton=")
        .await?;
    let link = mail.link(&format!(
        "{}/confidentialite/demande/confirmer",
        j.server.url
    ))?;
    b.goto(&link).await?;
    b.click("form[action='/confidentialite/demande/confirmer'] button[type=submit]")
        .await?;
    b.wait_for_text("h1", "Demande confirmée").await?;
    Ok(())
}

/// The first link of the page's table whose address starts with `prefix`.
async fn first_link(b: &Browser, list: &str, prefix: &str) -> Result<String> {
    b.open(list).await?;
    let href = b
        .find(&format!("table a[href^='{prefix}']"))
        .await?
        .attr("href")
        .await?
        .with_context(|| format!("no link to {prefix}… on {list}"))?;
    Ok(href)
}

/// Every staff page the phone opens, the client's `request` and `report`
/// (their `/profil/…` paths) seen from the staff side.
pub async fn staff_pages(b: &Browser, request: &str, report: &str) -> Result<Vec<String>> {
    flows::log_in(b, ADMIN, "/admin").await?;
    let staff_request = request.replace("/profil/demandes/", "/admin/demandes/");
    let staff_report = report.replace("/profil/rapports/", "/admin/rapports/");
    let account = first_link(b, "/admin/comptes", "/admin/comptes/").await?;
    let company = first_link(b, "/admin/societes", "/admin/societes/").await?;
    let rights = first_link(b, "/admin/droits", "/admin/droits/").await?;
    let mut pages: Vec<String> = [
        "/admin",
        "/admin/demandes",
        "/admin/demandes?statut=terminees",
        "/admin/inscriptions",
        "/admin/messages",
        "/admin/societes",
        "/admin/comptes",
        "/admin/propositions",
        "/admin/contrats",
        "/admin/rapports",
        "/admin/rapports/nouveau",
        "/admin/droits",
        "/admin/droits/visites",
        "/admin/journal",
        "/admin/journal?quoi=login_succeeded",
        "/admin/registre",
        "/statistiques",
        "/statistiques?periode=12m",
    ]
    .map(String::from)
    .to_vec();
    pages.extend([
        staff_request,
        staff_report.clone(),
        format!("{staff_report}/modifier"),
        account,
        company,
        rights,
    ]);
    Ok(pages)
}

/// How tall the header (brand line and menu) is on the page the browser
/// shows, in CSS pixels.
pub async fn header_height(b: &Browser) -> Result<f64> {
    let height: f64 = b
        .js("return document.querySelector('header.site-header').getBoundingClientRect().height")
        .await?;
    ensure!(height > 0.0, "no header on {}", b.here().await);
    Ok(height)
}
