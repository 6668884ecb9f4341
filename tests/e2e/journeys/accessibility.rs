//! The axe-core audit (RGAA 4.1 / WCAG 2.1 AA) of every page of every
//! role at 390 px and 1280 px, and of the error state of every form sent
//! empty: one browser per role, its width changed between the two rounds.
//! Every violation is reported with its rule, impact, page, width and the
//! elements at fault (`tests/e2e/axe.rs`).

use std::sync::Arc;

use anyhow::{bail, Result};

use crate::axe::{self, Audit, WIDTHS};
use crate::browser::Browser;
use crate::flows::{self, ADMIN, CLIENT, MARKETING};
use crate::harness::Journey;

const BUILDING: &str = "Résidence des Acacias";

/// Audits each of `pages` at both widths, and each form on it sent empty.
async fn audit_pages(b: &Browser, role: &str, pages: &[String], audit: &mut Audit) -> Result<()> {
    for width in WIDTHS {
        axe::set_width(b, width).await?;
        for path in pages {
            b.open(path).await?;
            audit.check(b, width, role).await?;
            let forms = axe::forms_here(b).await?;
            for (index, action) in forms.iter().enumerate() {
                let Some(action) = action else { continue };
                if index > 0 || b.path().await? != *path {
                    b.open(path).await?;
                }
                axe::empty_submit(b, index, action).await?;
                audit
                    .check(b, width, &format!("{role}, {action} sent empty,"))
                    .await?;
            }
        }
    }
    Ok(())
}

fn owned(paths: &[&str]) -> Vec<String> {
    paths.iter().map(|p| (*p).to_owned()).collect()
}

/// The first link of the page at `list` whose path starts with `prefix`
/// followed by a number.
async fn first_item(b: &Browser, list: &str, prefix: &str) -> Result<String> {
    b.open(list).await?;
    let script = format!(
        "return [...document.querySelectorAll('main a[href]')].map((a) => a.pathname)\
         .find((p) => /^{}\\d+$/.test(p)) || null",
        prefix.replace('/', "\\/")
    );
    let found: Option<String> = b.js(&script).await?;
    match found {
        Some(path) => Ok(path),
        None => bail!("no link to {prefix}N, {}", b.here().await),
    }
}

/// Every public page and public form, as a visitor.
pub async fn visitor(j: Arc<Journey>) -> Result<()> {
    if axe::script_or_skip().is_none() {
        return Ok(());
    }
    let b = j.browser("visitor").await?;
    b.open("/").await?;
    let mut pages: Vec<String> = b
        .js(r#"
            return [...new Set([...document.querySelectorAll('a[href]')]
                .filter(a => a.origin === location.origin && a.pathname.startsWith('/services'))
                .map(a => a.pathname))];
        "#)
        .await?;
    pages.insert(0, "/".to_owned());
    pages.extend(owned(&[
        "/politique-de-confidentialite",
        "/confidentialite/opposition",
        "/confidentialite/demande",
        "/confidentialite/demande/envoyee",
        "/contact",
        "/contact/envoye",
        "/techniciens",
        "/techniciens/envoye",
        "/inscription",
        "/inscription/envoyee",
        "/connexion",
        "/mot-de-passe-oublie",
        "/page-qui-n-existe-pas",
    ]));
    let mut audit = Audit::default();
    audit_pages(&b, "visitor", &pages, &mut audit).await?;
    audit.finish()
}

/// The client asks for a proposal, signs the contract, asks for a copy of
/// their data (a rights request, confirmed from its e-mail) and asks a
/// question from `/contact`; returns the proposal's and contract's pages.
async fn proposal_contract_and_questions(
    j: &Journey,
    client: &Browser,
) -> Result<(String, String)> {
    client.open("/profil/propositions/nouvelle").await?;
    client.click("#appareils input[type=checkbox]").await?;
    client.click("form.form button[type=submit]").await?;
    let proposal = client
        .wait_for_path_where("the proposal's page", |p| {
            p.starts_with("/profil/propositions/") && !p.ends_with("/nouvelle")
        })
        .await?;

    client.open("/profil/contrat").await?;
    client.fill("#nom_complet", "Hélène Lefebvre").await?;
    client.tick("#accepte").await?;
    client
        .click("form[action='/profil/contrat/signer'] button[type=submit]")
        .await?;
    let contract = client
        .wait_for_path_where("the signed contract", |p| {
            p.starts_with("/profil/contrat/") && p != "/profil/contrat/signer"
        })
        .await?;

    client.open("/confidentialite/demande").await?;
    client.choose("#droit", "acces").await?;
    client
        .fill("#message", "Je souhaite une copie de mes données.")
        .await?;
    client.click("form.form button[type=submit]").await?;
    client
        .wait_for_path("/confidentialite/demande/envoyee")
        .await?;
    let mail = j
        .server
        .wait_for_mail(CLIENT.email, "/confidentialite/demande/confirmer?jeton=")
        .await?;
    client
        .goto(&mail.link(&format!(
            "{}/confidentialite/demande/confirmer",
            j.server.url
        ))?)
        .await?;
    client.click("form.form button[type=submit]").await?;
    client
        .wait_for_path_where("the confirmed request", |p| {
            p == "/confidentialite/demande/confirmer"
        })
        .await?;

    client.open("/contact").await?;
    client.fill("#prenom", "Hélène").await?;
    client.fill("#nom", "Lefebvre").await?;
    client.fill("#telephone", "06 12 34 56 78").await?;
    client.fill("#email", CLIENT.email).await?;
    client
        .fill(
            "#message",
            "Faites-vous la maintenance des portes de garage ?",
        )
        .await?;
    client.click("form.form button[type=submit]").await?;
    client.wait_for_path("/contact/envoye").await?;
    Ok((proposal, contract))
}

/// The client's data: a building, a device, a request, a proposal, a
/// signed contract, a rights request and a question; staff publish a
/// report. Returns the client's pages.
async fn client_data(j: &Journey, client: &Browser, admin: &Browser) -> Result<Vec<String>> {
    client.open("/inscription").await?;
    flows::ask_for_an_account(client, &CLIENT).await?;
    flows::confirm_address(client, &j.server, &CLIENT).await?;
    flows::log_in(admin, ADMIN, "/admin").await?;
    flows::validate_sign_up(admin, CLIENT.email).await?;
    flows::log_in(client, CLIENT.email, "/profil").await?;
    let building = flows::add_building(client, BUILDING).await?;
    flows::add_device(client, "Hall, du rez-de-chaussée au 7e").await?;
    let device: String = client
        .find("main a[href$='/modifier'][href^='/profil/appareils/']")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    let request = flows::file_request(client, BUILDING, "La porte cabine se rouvre seule.").await?;

    let (proposal, contract) = proposal_contract_and_questions(j, client).await?;

    admin.open("/admin/rapports/nouveau").await?;
    admin.choose_containing("#appareil", BUILDING).await?;
    admin.choose("#prestation", "maintenance").await?;
    admin
        .fill("#travaux", "Réglage de l'opérateur de porte cabine.")
        .await?;
    admin.choose("#etat", "en_service").await?;
    admin
        .click("form[action='/admin/rapports'] button[type=submit]")
        .await?;
    admin.wait_for_path("/admin/rapports?fait=publie").await?;
    let report = first_item(client, "/profil/rapports", "/profil/rapports/").await?;

    let mut pages = owned(&[
        "/profil",
        "/profil/batiments",
        "/profil/batiments/nouveau",
        "/profil/demandes",
        "/profil/demandes/nouvelle",
        "/profil/propositions",
        "/profil/propositions/nouvelle",
        "/profil/rapports",
        "/profil/contrat",
        "/profil/contrat/verifier",
        "/profil/donnees",
        "/profil/donnees/modifier",
        "/compte/mot-de-passe",
    ]);
    pages.extend([
        format!("{building}/modifier"),
        format!("{building}/appareils/nouveau"),
        building,
        device,
        request,
        proposal,
        contract,
        report,
    ]);
    Ok(pages)
}

/// Staff's pages, with an item of each list.
async fn staff_pages(admin: &Browser) -> Result<Vec<String>> {
    let mut pages = owned(&[
        "/admin",
        "/admin/inscriptions",
        "/admin/messages",
        "/admin/societes",
        "/admin/comptes",
        "/admin/demandes",
        "/admin/demandes?statut=ouverte",
        "/admin/propositions",
        "/admin/contrats",
        "/admin/rapports",
        "/admin/rapports/nouveau",
        "/admin/droits",
        "/admin/droits/visites",
        "/admin/droits/visites?ip=192.0.2.7",
        "/admin/journal",
        "/admin/registre",
        "/statistiques",
    ]);
    for (list, prefix) in [
        ("/admin/societes", "/admin/societes/"),
        ("/admin/comptes", "/admin/comptes/"),
        ("/admin/demandes", "/admin/demandes/"),
        ("/admin/propositions", "/admin/propositions/"),
        ("/admin/contrats", "/admin/contrats/"),
        ("/admin/rapports", "/admin/rapports/"),
        ("/admin/droits", "/admin/droits/"),
    ] {
        let item = first_item(admin, list, prefix).await?;
        if prefix == "/admin/rapports/" {
            pages.push(format!("{item}/modifier"));
        }
        pages.push(item);
    }
    Ok(pages)
}

/// Every page of the client, staff and marketing spaces, with data in them.
pub async fn spaces(j: Arc<Journey>) -> Result<()> {
    if axe::script_or_skip().is_none() {
        return Ok(());
    }
    let client = j.browser("client").await?;
    let admin = j.browser("admin").await?;
    let client_pages = client_data(&j, &client, &admin).await?;
    let staff = staff_pages(&admin).await?;

    let mut audit = Audit::default();
    audit_pages(&client, "client", &client_pages, &mut audit).await?;
    audit_pages(&admin, "staff", &staff, &mut audit).await?;

    let marketing = j.browser("marketing").await?;
    flows::log_in(&marketing, MARKETING, "/statistiques").await?;
    let pages = owned(&[
        "/statistiques",
        "/statistiques?periode=12m",
        "/compte/mot-de-passe",
    ]);
    audit_pages(&marketing, "marketing", &pages, &mut audit).await?;
    audit.finish()
}
