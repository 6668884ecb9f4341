//! The Profile's buildings and devices: what a client does with them, and
//! that no one of another company ever reaches them.

use wemaintain::auth::Role;
use wemaintain::buildings::{create_building, NewBuilding};
use wemaintain::domain::{Country, PostalCode};
use wemaintain::routes::{Verb, ROUTES};

use crate::helpers::PlainText;
use crate::helpers::{
    client_of_company, create_account, execute, header, scalar, spawn_app, Backend, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_client_manages_the_buildings_and_devices_of_the_company,
    invalid_forms_come_back_with_what_was_typed,
    another_company_gets_404_on_every_object_route,
    lists_are_paginated_and_sorted,
);

const BUILDING: [(&str, &str); 5] = [
    ("nom", "Résidence Les Tilleuls"),
    ("adresse", "12 avenue des Tilleuls"),
    ("code_postal", "92200"),
    ("ville", "Neuilly-sur-Seine"),
    ("pays", "FR"),
];

const DEVICE: [(&str, &str); 6] = [
    ("type_appareil", "ascenseur"),
    ("emplacement", "Escalier B, du rez-de-chaussée au 6e"),
    ("marque", "Schindler"),
    ("numero_serie", "SCH-4521-B"),
    ("annee", "1998"),
    ("etat", "en_service"),
];

fn location_id(response: &reqwest::Response, prefix: &str) -> i64 {
    let location = header(response.headers(), "location");
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location:?}"))
}

async fn a_client_manages_the_buildings_and_devices_of_the_company(backend: Backend) {
    let app = spawn_app(backend).await;
    let (company, client) = client_of_company(&app, "gestion@syndic.fr", "Syndic Exemple").await;
    let (status, empty) = client.get_page("/profil/batiments").await;
    assert_eq!(status, 200);
    assert!(empty.contains("Aucun bâtiment pour le moment"));

    let created = client
        .post_form("/profil/batiments/nouveau", &BUILDING)
        .await;
    assert_eq!(created.status(), 303);
    let building = location_id(&created, "/profil/batiments/");
    let (_, page) = client
        .get_page(&format!("/profil/batiments/{building}?fait=cree"))
        .await;
    assert!(page.contains("Bâtiment ajouté.") && page.contains("92200 Neuilly-sur-Seine"));

    let added = client
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &DEVICE,
        )
        .await;
    assert_eq!(
        header(added.headers(), "location"),
        format!("/profil/batiments/{building}?fait=appareil")
    );
    let device = scalar(&app.db, "SELECT MAX(id) FROM devices").await;
    let (_, page) = client
        .get_page(&format!("/profil/batiments/{building}"))
        .await;
    for expected in [
        "Ascenseur",
        "Escalier B, du rez-de-chaussée au 6e",
        "Schindler",
        "SCH-4521-B",
        "1998",
        "En service",
    ] {
        assert!(page.contains(expected), "{expected} missing");
    }

    // A colleague of the same company sees the same buildings.
    let colleague = create_account(&app, Role::Client, "collegue@syndic.fr").await;
    execute(
        &app.db,
        &format!("UPDATE users SET company_id = {company} WHERE id = {colleague}"),
    )
    .await
    .unwrap();
    let other = app.browser();
    other.login_ok("collegue@syndic.fr", PASSWORD).await;
    let (status, list) = other.get_page("/profil/batiments").await;
    assert_eq!(status, 200);
    assert!(list.contains("Résidence Les Tilleuls"));

    // Edits.
    let mut renamed = BUILDING;
    renamed[0] = ("nom", "Résidence Les Tilleuls, bâtiment A");
    let edited = other
        .post_form(&format!("/profil/batiments/{building}/modifier"), &renamed)
        .await;
    assert_eq!(
        header(edited.headers(), "location"),
        format!("/profil/batiments/{building}?fait=modifie")
    );
    let mut stopped = DEVICE;
    stopped[5] = ("etat", "a_l_arret");
    let edited = client
        .post_form(&format!("/profil/appareils/{device}/modifier"), &stopped)
        .await;
    assert_eq!(edited.status(), 303);
    let (_, page) = client
        .get_page(&format!("/profil/batiments/{building}"))
        .await;
    assert!(page.contains("bâtiment A") && page.contains("À l'arrêt"));

    // Archived: out of the list, into the archive, no new device.
    let archived = client
        .post_form(
            &format!("/profil/batiments/{building}/archive"),
            &[("archive", "oui")],
        )
        .await;
    assert_eq!(
        header(archived.headers(), "location"),
        "/profil/batiments?fait=archive"
    );
    let (_, list) = client.get_page("/profil/batiments").await;
    assert!(!list.contains("bâtiment A"));
    let (_, list) = client.get_page("/profil/batiments?archives=1").await;
    assert!(list.contains("bâtiment A"));
    let refused = client
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &DEVICE,
        )
        .await;
    assert_eq!(refused.status(), 404);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM devices").await, 1);
    let back = client
        .post_form(
            &format!("/profil/batiments/{building}/archive"),
            &[("archive", "non")],
        )
        .await;
    assert_eq!(back.status(), 303);
    let (_, list) = client.get_page("/profil/batiments").await;
    assert!(list.contains("bâtiment A"));
}

async fn invalid_forms_come_back_with_what_was_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, "gestion@syndic.fr", "Syndic Exemple").await;
    let mut wrong = BUILDING;
    wrong[2] = ("code_postal", "9220");
    let response = client.post_form("/profil/batiments/nouveau", &wrong).await;
    assert_eq!(response.status(), 422);
    let page = response.plain_text().await;
    assert!(page.contains(r#"id="code_postal-erreur""#) && page.contains("5 chiffres"));
    assert!(page.contains(r#"value="Résidence Les Tilleuls""#) && page.contains(r#"value="9220""#));
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM buildings").await, 0);

    let created = client
        .post_form("/profil/batiments/nouveau", &BUILDING)
        .await;
    let building = location_id(&created, "/profil/batiments/");
    for (field, value, message) in [
        ("emplacement", "", "Indiquez où se trouve l'appareil"),
        ("annee", "2099", "Indiquez une année entre 1850 et 2026"),
        (
            "type_appareil",
            "escalator",
            "Choisissez une réponse dans la liste.",
        ),
        ("etat", "", "Choisissez l'état de l'appareil."),
    ] {
        let mut fields = DEVICE;
        for entry in fields.iter_mut() {
            if entry.0 == field {
                entry.1 = value;
            }
        }
        let response = client
            .post_form(
                &format!("/profil/batiments/{building}/appareils/nouveau"),
                &fields,
            )
            .await;
        assert_eq!(response.status(), 422, "{field}");
        let page = response.plain_text().await;
        assert!(
            page.contains(&format!(r#"id="{field}-erreur""#)) && page.contains(message),
            "{field}"
        );
        assert!(
            page.contains(r#"value="SCH-4521-B""#),
            "{field}: the serial number typed is kept"
        );
    }
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM devices").await, 0);
}

async fn another_company_gets_404_on_every_object_route(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, owner) = client_of_company(&app, "a@syndic-a.fr", "Syndic A").await;
    let created = owner
        .post_form("/profil/batiments/nouveau", &BUILDING)
        .await;
    let building = location_id(&created, "/profil/batiments/");
    owner
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &DEVICE,
        )
        .await;
    let device = scalar(&app.db, "SELECT MAX(id) FROM devices").await;
    let device_text = device.to_string();
    let filed = owner
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("appareil", device_text.as_str()),
                ("nature", "panne"),
                ("urgence", "appareil_arret"),
                ("description", "L'ascenseur ne répond plus aux appels."),
            ],
        )
        .await;
    let request = location_id(&filed, "/profil/demandes/");
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let published = staff
        .post_form(
            "/admin/rapports",
            &[
                ("appareil", device_text.as_str()),
                ("prestation", "maintenance"),
                ("date", "2026-02-20"),
                ("travaux", "Visite d'entretien et essais."),
                ("etat", "en_service"),
            ],
        )
        .await;
    assert_eq!(published.status(), 303);
    let report = scalar(&app.db, "SELECT MAX(id) FROM reports").await;
    let asked = owner
        .post_form(
            "/profil/propositions/nouvelle",
            &[("appareils", device_text.as_str())],
        )
        .await;
    assert_eq!(asked.status(), 303);
    let proposal = scalar(&app.db, "SELECT MAX(id) FROM proposal_requests").await;
    let (_, contract_page) = owner.get_page("/profil/contrat").await;
    let start = contract_page
        .find(r#"name="empreinte" value=""#)
        .expect("a signing form")
        + r#"name="empreinte" value=""#.len();
    let fingerprint = contract_page[start..start + 64].to_owned();
    let signed = owner
        .post_form(
            "/profil/contrat/signer",
            &[
                ("nom_complet", "Camille Martin"),
                ("accepte", "oui"),
                ("empreinte", &fingerprint),
            ],
        )
        .await;
    assert_eq!(signed.status(), 303);
    let signature = scalar(&app.db, "SELECT MAX(id) FROM contract_signatures").await;
    let (_, stranger) = client_of_company(&app, "b@syndic-b.fr", "Syndic B").await;
    let token = stranger.csrf_token().await;

    let mut checked = 0;
    for spec in ROUTES
        .iter()
        .filter(|s| s.path.starts_with("/profil/") && s.path.contains("{id}"))
    {
        let id = if spec.path.starts_with("/profil/appareils/") {
            device
        } else if spec.path.starts_with("/profil/demandes/") {
            request
        } else if spec.path.starts_with("/profil/rapports/") {
            report
        } else if spec.path.starts_with("/profil/propositions/") {
            proposal
        } else if spec.path.starts_with("/profil/contrat/") {
            signature
        } else {
            building
        };
        let path = spec.path.replace("{id}", &id.to_string());
        let response = match spec.verb {
            Verb::Read => stranger.get(&path).await,
            Verb::Post => {
                let mut fields: Vec<(&str, &str)> = BUILDING.to_vec();
                fields.extend(DEVICE);
                fields.push(("archive", "oui"));
                fields.push(("message", "Un message d'une autre société."));
                fields.push(("csrf", &token));
                stranger
                    .client
                    .post(stranger.url(&path))
                    .form(&fields)
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(response.status(), 404, "{:?} {path}", spec.verb);
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} object routes");
    // Nothing of A's changed.
    let (_, page) = owner
        .get_page(&format!("/profil/batiments/{building}"))
        .await;
    assert!(page.contains("Résidence Les Tilleuls") && page.contains("Schindler"));
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM buildings WHERE archived_at IS NULL"
        )
        .await,
        1
    );
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM devices").await, 1);
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM request_messages").await,
        0
    );
    // Nor can B file a request on A's device.
    let device_text = device.to_string();
    let refused = stranger
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("appareil", device_text.as_str()),
                ("nature", "panne"),
                ("urgence", "question"),
                ("description", "Une demande sur l'appareil d'un autre."),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM maintenance_requests").await,
        1
    );
}

async fn lists_are_paginated_and_sorted(backend: Backend) {
    let app = spawn_app(backend).await;
    let (company, client) = client_of_company(&app, "gestion@syndic.fr", "Syndic Exemple").await;
    let now = app.clock_now();
    for n in 0..45 {
        let new = NewBuilding {
            name: format!("Bâtiment {n:02}"),
            address: "1 rue Test".into(),
            postal_code: PostalCode::parse(Country::France, "75001").unwrap(),
            city: if n % 2 == 0 {
                "Paris".into()
            } else {
                "Lyon".into()
            },
            country: Country::France,
        };
        create_building(&app.db, company, now, &new).await.unwrap();
    }
    let names = |page: &str| -> Vec<String> {
        page.match_indices("\">Bâtiment ")
            .map(|(at, _)| page[at + 2..at + 14].to_owned())
            .collect()
    };
    let (_, first) = client.get_page("/profil/batiments").await;
    assert_eq!(names(&first).len(), 20);
    assert_eq!(names(&first)[0], "Bâtiment 00");
    assert!(first.contains("Page 1 sur 3") && first.contains("45 bâtiments"));
    let (_, last) = client.get_page("/profil/batiments?page=3").await;
    assert_eq!(names(&last).len(), 5);
    assert_eq!(names(&last)[4], "Bâtiment 44");
    // Past the end: the last page; nonsense: the first.
    let (status, beyond) = client.get_page("/profil/batiments?page=99").await;
    assert_eq!(status, 200);
    assert!(beyond.contains("Page 3 sur 3"));
    let (status, nonsense) = client.get_page("/profil/batiments?page=-4").await;
    assert_eq!(status, 200);
    assert!(nonsense.contains("Page 1 sur 3"));
    let (_, garbage) = client.get_page("/profil/batiments?page=abc&tri=%00").await;
    assert!(garbage.contains("Page 1 sur 3"));
    // By city: Lyon (odd numbers) first.
    let (_, by_city) = client.get_page("/profil/batiments?tri=ville").await;
    assert_eq!(names(&by_city)[0], "Bâtiment 01");
}
