//! Rapports d'Information: staff publish, the client company reads.

use wemaintain::auth::Role;

use crate::helpers::{
    client_of_company, create_account, scalar, spawn_app, Backend, Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    staff_publish_a_report_and_only_its_company_reads_it,
    a_report_form_keeps_what_was_typed,
);

/// A logged-in client of a new company with one building and one device;
/// returns (browser, building id, device id).
async fn client_with_device(app: &TestApp, email: &str, company: &str) -> (Browser, i64, i64) {
    let (company_id, browser) = client_of_company(app, email, company).await;
    browser
        .post_form(
            "/profil/batiments/nouveau",
            &[
                ("nom", &format!("Immeuble {company}")),
                ("adresse", "5 rue Haute"),
                ("code_postal", "69001"),
                ("ville", "Lyon"),
                ("pays", "FR"),
            ],
        )
        .await;
    let building = scalar(
        &app.db,
        &format!("SELECT id FROM buildings WHERE company_id = {company_id}"),
    )
    .await;
    browser
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &[
                ("type_appareil", "monte_charge"),
                ("emplacement", "Quai de livraison"),
                ("etat", "a_l_arret"),
            ],
        )
        .await;
    let device = scalar(
        &app.db,
        &format!("SELECT MAX(id) FROM devices WHERE building_id = {building}"),
    )
    .await;
    (browser, building, device)
}

async fn publish(staff: &Browser, device: i64, date: &str, work: &str) -> reqwest::Response {
    let device = device.to_string();
    staff
        .post_form(
            "/admin/rapports",
            &[
                ("appareil", device.as_str()),
                ("prestation", "reparation"),
                ("date", date),
                ("travaux", work),
                ("pieces", "Contacteur de porte"),
                ("etat", "en_service"),
            ],
        )
        .await
}

async fn staff_publish_a_report_and_only_its_company_reads_it(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let (client, building, device) = client_with_device(&app, "a@syndic-a.fr", "Syndic A").await;
    let (other, _, _) = client_with_device(&app, "b@syndic-b.fr", "Syndic B").await;

    let (status, form) = staff.get_page("/admin/rapports/nouveau").await;
    assert_eq!(status, 200);
    assert!(form.contains("Syndic A — Immeuble Syndic A — Quai de livraison"));
    let published = publish(
        &staff,
        device,
        "2026-02-20",
        "Remplacement du contacteur de porte palière, essais de fonctionnement.",
    )
    .await;
    assert_eq!(published.status(), 303);
    publish(
        &staff,
        device,
        "2026-01-05",
        "Visite d'entretien trimestrielle, graissage des guides.",
    )
    .await;
    let report = scalar(&app.db, "SELECT MIN(id) FROM reports").await;

    let (status, list) = client.get_page("/profil/rapports").await;
    assert_eq!(status, 200);
    assert!(
        list.contains("20/02/2026") && list.contains("05/01/2026") && list.contains("Réparation")
    );
    let (_, filtered) = client
        .get_page("/profil/rapports?du=2026-02-01&au=2026-02-28")
        .await;
    assert!(filtered.contains("20/02/2026") && !filtered.contains("05/01/2026"));
    let (_, by_device) = client
        .get_page(&format!(
            "/profil/rapports?appareil={device}&batiment={building}"
        ))
        .await;
    assert!(by_device.contains("2 rapports"));
    let (status, bad) = client
        .get_page("/profil/rapports?du=2026-03-01&au=2026-01-01")
        .await;
    assert_eq!(status, 422);
    assert!(bad.contains("La date de début doit précéder la date de fin."));

    let (status, printable) = client.get_page(&format!("/profil/rapports/{report}")).await;
    assert_eq!(status, 200);
    for expected in [
        "Remplacement du contacteur",
        "Contacteur de porte",
        "En service",
        "Monte-charge — Quai de livraison",
        "20/02/2026",
    ] {
        assert!(printable.contains(expected), "{expected} missing");
    }

    // Another company sees none of it.
    let (_, list) = other.get_page("/profil/rapports").await;
    assert!(list.contains("Aucun rapport"));
    assert_eq!(
        other
            .get(&format!("/profil/rapports/{report}"))
            .await
            .status(),
        404
    );
}

async fn a_report_form_keeps_what_was_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let (_, _, device) = client_with_device(&app, "a@syndic-a.fr", "Syndic A").await;
    let work = "Remplacement du câble de traction et réglage du frein.";
    let future = publish(&staff, device, "2030-01-01", work).await;
    assert_eq!(future.status(), 422);
    let page = future.text().await.unwrap();
    assert!(page.contains(r#"id="date-erreur""#) && page.contains(work));
    let short = publish(&staff, device, "2026-02-20", "court").await;
    assert_eq!(short.status(), 422);
    assert!(short
        .text()
        .await
        .unwrap()
        .contains(r#"id="travaux-erreur""#));
    let unknown = publish(&staff, 999_999, "2026-02-20", work).await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM reports").await, 0);
}
