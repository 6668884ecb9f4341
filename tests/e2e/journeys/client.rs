//! A client's whole life on the site: asks for an account, is validated by
//! staff, declares a building and a lift, files a maintenance request,
//! reads the report staff publish, signs the contract, downloads a copy of
//! their data and erases their account, after which they cannot log in.

use std::sync::Arc;

use anyhow::{ensure, Result};

use crate::flows::{self, ADMIN, CLIENT};
use crate::harness::{Journey, PASSWORD};

const BUILDING: &str = "Résidence Les Tilleuls";
const LOCATION: &str = "Escalier B, du rez-de-chaussée au 6e";
const PROBLEM: &str = "La cabine s'arrête entre le 3e et le 4e étage depuis ce matin.";
const WORK_DONE: &str =
    "Remplacement du contacteur de porte palière du 4e étage, essais de fonctionnement.";

pub async fn account_lifecycle(j: Arc<Journey>) -> Result<()> {
    let me = &CLIENT;
    let client = j.browser("client").await?;

    // A visitor asks for an account, from the footer of the home page.
    client.open("/").await?;
    client.follow("Demander un compte client").await?;
    flows::ask_for_an_account(&client, me).await?;
    flows::confirm_address(&client, &j.server, me).await?;
    j.server
        .wait_for_mail(
            ADMIN,
            "Une nouvelle demande de compte client attend votre examen",
        )
        .await?;

    // Until staff validate it, the account cannot be used.
    client.open("/connexion").await?;
    client.fill("#email", me.email).await?;
    client.fill("#mot_de_passe", PASSWORD).await?;
    client
        .click("form[action='/connexion'] button[type=submit]")
        .await?;
    client
        .wait_for_text(
            "[role=alert]",
            "Votre demande de compte est en cours d'examen",
        )
        .await?;

    // Staff validate it, in their own browser.
    let admin = j.browser("admin").await?;
    flows::log_in(&admin, ADMIN, "/admin").await?;
    flows::validate_sign_up(&admin, me.email).await?;

    // The client is told by e-mail, and logs in from its link.
    let mail = j
        .server
        .wait_for_mail(me.email, "Votre demande de compte a été validée")
        .await?;
    let link = mail.link(&format!("{}/connexion", j.server.url))?;
    client.goto(&link).await?;
    client.fill("#email", me.email).await?;
    client.fill("#mot_de_passe", PASSWORD).await?;
    client
        .click("form[action='/connexion'] button[type=submit]")
        .await?;
    client.wait_for_path("/profil").await?;
    client
        .wait_for_text("h1", &format!("Bonjour {}", me.first_name))
        .await?;

    // A building, a lift in it, a maintenance request about the lift.
    flows::add_building(&client, BUILDING).await?;
    flows::add_device(&client, LOCATION).await?;
    flows::file_request(&client, BUILDING, PROBLEM).await?;
    client.wait_for_text("p.message-text", PROBLEM).await?;

    // Staff publish a report on the lift.
    admin.follow("Rapports").await?;
    admin.wait_for_path("/admin/rapports").await?;
    admin.follow("Publier un rapport").await?;
    admin.wait_for_path("/admin/rapports/nouveau").await?;
    admin.choose_containing("#appareil", BUILDING).await?;
    admin.choose("#prestation", "reparation").await?;
    let date = admin.find("#date").await?.prop("value").await?;
    ensure!(
        date.is_some_and(|d| !d.is_empty()),
        "the report's date is not filled with today"
    );
    admin.fill("#travaux", WORK_DONE).await?;
    admin.fill("#pieces", "Contacteur de porte palière").await?;
    admin.choose("#etat", "en_service").await?;
    admin
        .click("form[action='/admin/rapports'] button[type=submit]")
        .await?;
    admin.wait_for_path("/admin/rapports?fait=publie").await?;
    admin.wait_for_text("p.notice", "Rapport publié").await?;

    // The client reads it.
    client.follow("Rapports").await?;
    client.wait_for_path("/profil/rapports").await?;
    client.wait_for_text("table td", "Réparation").await?;
    client.click("table a[href^='/profil/rapports/']").await?;
    client
        .wait_for_text("h1", "Rapport d'intervention n°")
        .await?;
    client.wait_for_text("article.report", WORK_DONE).await?;
    client.wait_for_text("article.report", BUILDING).await?;

    // The client reads the contract, which names the company and the lift,
    // and signs it.
    client.follow("Contrat").await?;
    client.wait_for_path("/profil/contrat").await?;
    // The clauses, then the client's own values in the annexes' tables.
    client
        .wait_for_text("pre.contract-text", "Article 1 — Objet")
        .await?;
    client
        .wait_for_text("section.contract-annex td", me.company)
        .await?;
    client
        .wait_for_text("section.contract-annex td", LOCATION)
        .await?;
    let full_name = format!("{} {}", me.first_name, me.last_name);
    client.fill("#nom_complet", &full_name).await?;
    client.tick("#accepte").await?;
    client
        .click("form[action='/profil/contrat/signer'] button[type=submit]")
        .await?;
    client
        .wait_for_path_where("the signed contract", |p| {
            p.starts_with("/profil/contrat/") && p != "/profil/contrat/signer"
        })
        .await?;
    client
        .wait_for_text("p.signed-line", "Signé électroniquement le")
        .await?;
    client.wait_for_text("p.signed-line", &full_name).await?;
    client
        .follow("Vérifier que ce contrat n'a pas été modifié")
        .await?;
    client.wait_for_path("/profil/contrat/verifier").await?;
    client.wait_for_text("table td", "Conforme").await?;

    // A copy of their data, the password asked again.
    client.open("/profil").await?;
    client
        .follow("Consulter, télécharger, corriger ou effacer mes données")
        .await?;
    client.wait_for_path("/profil/donnees").await?;
    client.tick("#format-html").await?;
    client.fill("#mot_de_passe", PASSWORD).await?;
    client
        .click("form[action='/profil/donnees/copie'] button[type=submit]")
        .await?;
    client
        .wait_for_text("h1", "Copie de mes données personnelles")
        .await?;
    client.wait_for_text("h3", BUILDING).await?;
    let copy = client.body_text().await?;
    for expected in [
        me.email,
        me.company,
        LOCATION,
        PROBLEM,
        WORK_DONE,
        "Contrats signés (1)",
    ] {
        ensure!(
            copy.contains(expected),
            "the copy of the data does not show {expected:?}"
        );
    }

    // The client erases the account.
    client.open("/profil/donnees").await?;
    client.fill("#mot_de_passe_effacement", PASSWORD).await?;
    client.tick("#confirmation").await?;
    client
        .click("form[action='/profil/donnees/effacer'] button[type=submit]")
        .await?;
    client
        .wait_for_text("h1", "Votre compte est effacé")
        .await?;
    client.wait_for_text("table", "Effacé").await?;
    j.server
        .wait_for_mail(me.email, "Votre compte WeMaintain a été effacé")
        .await?;

    // The session is over, and logging in fails.
    client.open("/profil").await?;
    client.wait_for_path("/connexion").await?;
    client.fill("#email", me.email).await?;
    client.fill("#mot_de_passe", PASSWORD).await?;
    client
        .click("form[action='/connexion'] button[type=submit]")
        .await?;
    client
        .wait_for_text("[role=alert]", "Adresse e-mail ou mot de passe incorrect")
        .await?;
    ensure!(
        client.path().await?.starts_with("/connexion"),
        "a login after erasure left /connexion"
    );

    // The signed contract is kept as evidence, for staff.
    admin.follow("Contrats").await?;
    admin.wait_for_path("/admin/contrats").await?;
    admin.wait_for_text("table td", &full_name).await?;
    Ok(())
}
