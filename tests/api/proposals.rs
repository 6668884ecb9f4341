//! Demandes de proposition commerciale and pré-visites.

use wemaintain::auth::Role;

use crate::helpers::{
    client_of_company, create_account, header, scalar, spawn_app, Backend, Browser, TestApp,
    PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(a_proposal_with_a_previsit_is_asked_and_answered);

/// A logged-in client of `company` with two devices; returns their ids.
async fn client(app: &TestApp, email: &str, company: &str) -> (Browser, Vec<i64>) {
    let (company_id, browser) = client_of_company(app, email, company).await;
    browser
        .post_form(
            "/profil/batiments/nouveau",
            &[
                ("nom", "Résidence du Parc"),
                ("adresse", "8 allée du Parc"),
                ("code_postal", "33000"),
                ("ville", "Bordeaux"),
                ("pays", "FR"),
            ],
        )
        .await;
    let building = scalar(
        &app.db,
        &format!("SELECT id FROM buildings WHERE company_id = {company_id}"),
    )
    .await;
    for location in ["Escalier A", "Escalier B"] {
        browser
            .post_form(
                &format!("/profil/batiments/{building}/appareils/nouveau"),
                &[
                    ("type_appareil", "ascenseur"),
                    ("emplacement", location),
                    ("etat", "en_service"),
                ],
            )
            .await;
    }
    let first = scalar(
        &app.db,
        &format!("SELECT MIN(id) FROM devices WHERE building_id = {building}"),
    )
    .await;
    (browser, vec![first, first + 1])
}

async fn a_proposal_with_a_previsit_is_asked_and_answered(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let (client, devices) = client(&app, "achat@syndic.fr", "Syndic Exemple").await;
    let (_, other_devices) = self::client(&app, "b@syndic-b.fr", "Syndic B").await;
    let (a, b) = (devices[0].to_string(), devices[1].to_string());

    // Nothing ticked; a pré-visite without dates.
    let response = client
        .post_form(
            "/profil/propositions/nouvelle",
            &[
                ("pre_visite", "oui"),
                ("message", "Deux ascenseurs vieillissants."),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Cochez au moins un appareil concerné")
            && page.contains(r#"id="dates-erreur""#)
    );
    assert!(
        page.contains("Deux ascenseurs vieillissants.")
            && page.contains(r#"name="pre_visite" value="oui" checked"#)
    );

    // Another company's device among them: refused, nothing kept.
    let foreign = other_devices[0].to_string();
    let response = client
        .post_form(
            "/profil/propositions/nouvelle",
            &[("appareils", &a), ("appareils", &foreign)],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM proposal_requests").await,
        0
    );
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM proposal_devices").await,
        0
    );

    let response = client
        .post_form(
            "/profil/propositions/nouvelle",
            &[
                ("appareils", &a),
                ("appareils", &b),
                ("pre_visite", "oui"),
                ("dates", "Semaine du 16 mars, le matin"),
                ("message", "Deux ascenseurs vieillissants."),
            ],
        )
        .await;
    let location = header(response.headers(), "location").to_owned();
    let id = scalar(&app.db, "SELECT MAX(id) FROM proposal_requests").await;
    assert_eq!(location, format!("/profil/propositions/{id}/envoyee"));
    let (status, sent) = client.get_page(&location).await;
    assert_eq!(status, 200);
    assert!(sent.contains("Votre demande est envoyée"), "{sent}");
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM proposal_devices").await,
        2
    );
    app.wait_for_mail("equipe@wemaintain.com", "avec pré-visite")
        .await;

    let (_, list) = staff.get_page("/admin/propositions").await;
    assert!(list.contains("Syndic Exemple") && list.contains("En attente de réponse"));
    let (_, page) = staff.get_page(&format!("/admin/propositions/{id}")).await;
    assert!(
        page.contains("Escalier A")
            && page.contains("Escalier B")
            && page.contains("Semaine du 16 mars")
    );
    let empty = staff
        .post_form(
            &format!("/admin/propositions/{id}/reponse"),
            &[("reponse", "")],
        )
        .await;
    assert_eq!(empty.status(), 422);
    let answered = staff
        .post_form(
            &format!("/admin/propositions/{id}/reponse"),
            &[(
                "reponse",
                "Un technicien passera le 17 mars à 9 h ; la proposition suivra.",
            )],
        )
        .await;
    assert_eq!(
        header(answered.headers(), "location"),
        format!("/admin/propositions/{id}?fait=repondue")
    );
    let again = staff
        .post_form(
            &format!("/admin/propositions/{id}/reponse"),
            &[("reponse", "Une seconde réponse.")],
        )
        .await;
    assert_eq!(
        header(again.headers(), "location"),
        format!("/admin/propositions/{id}?fait=deja")
    );
    app.wait_for_mail(
        "achat@syndic.fr",
        "a répondu à votre demande de proposition",
    )
    .await;

    let (_, page) = client.get_page(&format!("/profil/propositions/{id}")).await;
    assert!(
        page.contains("Répondue")
            && page.contains("passera le 17 mars")
            && !page.contains("Une seconde réponse.")
    );
    let viewed = scalar(
        &app.db,
        "SELECT COUNT(*) FROM audit_log WHERE subject LIKE 'proposal:%'",
    )
    .await;
    assert!(viewed >= 1);
}
