//! Steps several journeys share, each done as a person does it in the
//! browser: asking for an account and confirming its address, logging in, staff validating a sign-up,
//! adding a building, a device, a maintenance request.

use anyhow::{ensure, Result};

use crate::browser::Browser;
use crate::harness::{Server, PASSWORD};

/// The staff accounts the journeys create with `create-user`.
pub const ADMIN: &str = "admin@wemaintain.com";
pub const MARKETING: &str = "marketing@wemaintain.com";
/// A client account made from the command line with its company.
pub const CLIENT_OF_COMPANY: &str = "gestion@syndic-exemple.fr";

/// Someone asking for a client account.
pub struct Person {
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: &'static str,
    pub company: &'static str,
}

pub const CLIENT: Person = Person {
    first_name: "Hélène",
    last_name: "Lefebvre",
    email: "helene.lefebvre@syndic-lumiere.fr",
    company: "Syndic Lumière",
};

/// Fills every field of `/inscription` and sends it.
pub async fn ask_for_an_account(b: &Browser, p: &Person) -> Result<()> {
    b.wait_for_path("/inscription").await?;
    b.fill("#prenom", p.first_name).await?;
    b.fill("#nom", p.last_name).await?;
    b.choose("#sexe", "madame").await?;
    b.fill("#role", "Gestionnaire de copropriété").await?;
    b.fill("#email", p.email).await?;
    b.fill("#telephone", "06 12 34 56 78").await?;
    b.fill("#societe", p.company).await?;
    b.choose("#type_societe", "agence").await?;
    b.fill("#adresse", "12 rue de la Roquette").await?;
    b.fill("#complement", "Bâtiment B, 3e étage").await?;
    b.fill("#code_postal", "75011").await?;
    b.fill("#ville", "Paris").await?;
    b.choose("#pays", "FR").await?;
    b.fill("#mot_de_passe", PASSWORD).await?;
    b.fill("#confirmation", PASSWORD).await?;
    b.click("form[action='/inscription'] button[type=submit]")
        .await?;
    b.wait_for_path("/inscription/envoyee").await?;
    b.wait_for_text(
        "p.notice",
        "ouvrez le lien qu'il contient pour confirmer votre adresse",
    )
    .await?;
    Ok(())
}

/// Opens the link mailed to `p` at sign-up and confirms the address, as the
/// owner of the mailbox does: only then do staff hear of the request.
pub async fn confirm_address(b: &Browser, server: &Server, p: &Person) -> Result<()> {
    let mail = server
        .wait_for_mail(p.email, "/inscription/confirmer?jeton=")
        .await?;
    b.goto(&mail.link(&format!("{}/inscription/confirmer", server.url))?)
        .await?;
    b.click("form[action='/inscription/confirmer'] button[type=submit]")
        .await?;
    b.wait_for_text("h1", "Adresse confirmée").await?;
    Ok(())
}

/// Logs in at `/connexion` and waits for the page the role lands on.
pub async fn log_in(b: &Browser, email: &str, home: &str) -> Result<()> {
    b.open("/connexion").await?;
    b.fill("#email", email).await?;
    b.fill("#mot_de_passe", PASSWORD).await?;
    b.click("form[action='/connexion'] button[type=submit]")
        .await?;
    b.wait_for_path(home).await
}

/// Logs out with the header's button and waits for the login page.
pub async fn log_out(b: &Browser) -> Result<()> {
    b.click("form[action='/deconnexion'] button[type=submit]")
        .await?;
    b.wait_for_path("/connexion").await
}

/// Staff open the pending sign-ups from the admin home, open the one of
/// `email` and validate it.
pub async fn validate_sign_up(admin: &Browser, email: &str) -> Result<()> {
    admin.open("/admin").await?;
    admin
        .wait_for_text("ul.cards", "1 demande à examiner")
        .await?;
    admin
        .click("ul.cards a[href='/admin/inscriptions']")
        .await?;
    admin.wait_for_path("/admin/inscriptions").await?;
    let row = admin
        .find_by(
            fantoccini::Locator::XPath(&format!("//tr[td[normalize-space()='{email}']]//a")),
            &format!("the pending sign-up of {email}"),
        )
        .await?;
    row.click().await?;
    admin
        .wait_for_path_where("a sign-up's page", |p| {
            p.starts_with("/admin/inscriptions/")
        })
        .await?;
    admin.wait_for_text("dl.definitions", email).await?;
    admin
        .click("form[action$='/valider'] button[type=submit]")
        .await?;
    admin
        .wait_for_path("/admin/inscriptions?fait=valide")
        .await?;
    admin
        .wait_for_text("p.notice", "Demande validée : le compte est ouvert")
        .await?;
    Ok(())
}

/// From the Profile's home, adds a building; returns its page's path.
pub async fn add_building(b: &Browser, name: &str) -> Result<String> {
    b.open("/profil").await?;
    b.follow("Gérer les bâtiments et les appareils").await?;
    b.wait_for_path("/profil/batiments").await?;
    b.follow("Ajouter un bâtiment").await?;
    b.wait_for_path("/profil/batiments/nouveau").await?;
    b.fill("#nom", name).await?;
    b.fill("#adresse", "3 avenue des Tilleuls").await?;
    b.fill("#code_postal", "69003").await?;
    b.fill("#ville", "Lyon").await?;
    b.choose("#pays", "FR").await?;
    b.click("form.form button[type=submit]").await?;
    let path = b
        .wait_for_path_where("the new building's page", |p| {
            p.starts_with("/profil/batiments/") && p.ends_with("?fait=cree")
        })
        .await?;
    b.wait_for_text("p.notice", "Bâtiment ajouté.").await?;
    ensure!(
        b.text("h1").await? == name,
        "the building's page is not titled {name:?}"
    );
    Ok(path.trim_end_matches("?fait=cree").to_owned())
}

/// On a building's page, adds a lift at `location`.
pub async fn add_device(b: &Browser, location: &str) -> Result<()> {
    b.follow("Ajouter un appareil").await?;
    b.wait_for_path_where("the new device form", |p| p.ends_with("/appareils/nouveau"))
        .await?;
    b.choose("#type_appareil", "ascenseur").await?;
    b.fill("#emplacement", location).await?;
    b.fill("#marque", "Schindler").await?;
    b.fill("#numero_serie", "SCH-2019-0042").await?;
    b.fill("#annee", "2019").await?;
    b.choose("#etat", "en_service").await?;
    b.click("form.form button[type=submit]").await?;
    b.wait_for_path_where("the building's page", |p| p.ends_with("?fait=appareil"))
        .await?;
    b.wait_for_text("p.notice", "Appareil enregistré.").await?;
    b.wait_for_text("table td", location).await?;
    Ok(())
}

/// From the Profile's menu, files a maintenance request for the device of
/// `building`; returns the request's path.
pub async fn file_request(b: &Browser, building: &str, description: &str) -> Result<String> {
    b.follow("Demandes").await?;
    b.wait_for_path("/profil/demandes").await?;
    b.follow("Nouvelle demande").await?;
    b.wait_for_path("/profil/demandes/nouvelle").await?;
    b.choose_containing("#appareil", building).await?;
    b.choose("#nature", "panne").await?;
    b.choose("#urgence", "appareil_arret").await?;
    b.fill("#description", description).await?;
    b.click("form.form button[type=submit]").await?;
    let path = b
        .wait_for_path_where("the new request's page", |p| {
            p.starts_with("/profil/demandes/") && p.ends_with("?fait=envoyee")
        })
        .await?;
    b.wait_for_text("p.notice", "Votre demande est envoyée")
        .await?;
    Ok(path.trim_end_matches("?fait=envoyee").to_owned())
}
