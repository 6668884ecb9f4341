//! Demandes de Maintenance, from the client's request to staff handling it.

use wemaintain::auth::Role;
use wemaintain::db::Db;

use crate::helpers::PlainText;
use crate::helpers::{
    client_of_company, create_account, header, spawn_app, Backend, Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_request_goes_from_the_client_to_staff_and_back,
    a_request_form_keeps_what_was_typed,
    a_person_stuck_is_reported_without_a_device_and_staff_attach_it_later,
);

async fn scalar(db: &Db, sql: &str) -> i64 {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect(sql)
}

/// A fresh client, as registration and staff validation make one, with one
/// building and one device; returns the browser and the device id.
async fn client_with_a_device(app: &TestApp, staff: &Browser) -> (Browser, String) {
    let visitor = app.browser();
    let fields = [
        ("prenom", "Marie"),
        ("nom", "Durand"),
        ("sexe", "madame"),
        ("role", "Gestionnaire"),
        ("email", "marie@syndic.fr"),
        ("telephone", "06 12 34 56 78"),
        ("societe", "Syndic Exemple"),
        ("type_societe", "agence"),
        ("adresse", "3 rue de la Paix"),
        ("ville", "Paris"),
        ("code_postal", "75002"),
        ("pays", "FR"),
        ("mot_de_passe", PASSWORD),
        ("confirmation", PASSWORD),
    ];
    assert_eq!(
        visitor.post_form("/inscription", &fields).await.status(),
        303
    );
    app.confirm_registration("marie@syndic.fr").await;
    let id = scalar(&app.db, "SELECT MAX(id) FROM registrations").await;
    let validated = staff
        .post_form(&format!("/admin/inscriptions/{id}/valider"), &[])
        .await;
    assert_eq!(validated.status(), 303);
    visitor.login_ok("marie@syndic.fr", PASSWORD).await;
    let building = visitor.declare_building().await;
    let device = visitor
        .declare_lift(&app.db, building, &[])
        .await
        .to_string();
    (visitor, device)
}

async fn a_request_goes_from_the_client_to_staff_and_back(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let (client, device) = client_with_a_device(&app, &staff).await;

    let (status, form) = client
        .get_page(&format!("/profil/demandes/nouvelle?appareil={device}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        form.contains(&format!(r#"<option value="{device}" selected>"#)),
        "the device is chosen"
    );
    let filed = client
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("appareil", &device),
                ("nature", "panne"),
                ("urgence", "appareil_arret"),
                ("description", "L'ascenseur reste bloqué au 3e étage."),
            ],
        )
        .await;
    let location = header(filed.headers(), "location").to_owned();
    assert!(
        location.starts_with("/profil/demandes/") && location.ends_with("?fait=envoyee"),
        "{location}"
    );
    let request = scalar(&app.db, "SELECT MAX(id) FROM maintenance_requests").await;
    app.wait_for_mail(
        "equipe@wemaintain.com",
        &format!("/admin/demandes/{request}"),
    )
    .await;
    let (_, page) = client.get_page(&location).await;
    for expected in [
        "Reçue",
        "Panne",
        "Appareil à l'arrêt",
        "bloqué au 3e étage",
        "Résidence Les Tilleuls",
    ] {
        assert!(page.contains(expected), "{expected} missing");
    }

    // Staff see it among open requests, move it along the flow, reply.
    let (_, list) = staff.get_page("/admin/demandes").await;
    assert!(list.contains("Syndic Exemple") && list.contains(&format!("N° {request}")));
    let (status, _) = staff.get_page(&format!("/admin/demandes/{request}")).await;
    assert_eq!(status, 200);
    let skip = staff
        .post_form(
            &format!("/admin/demandes/{request}/statut"),
            &[("depuis", "recue"), ("statut", "resolue")],
        )
        .await;
    assert_eq!(
        header(skip.headers(), "location"),
        format!("/admin/demandes/{request}?fait=deja"),
        "no step is skipped"
    );
    for (from, to, label) in [
        ("recue", "planifiee", "Planifiée"),
        ("planifiee", "en_cours", "En cours"),
    ] {
        let moved = staff
            .post_form(
                &format!("/admin/demandes/{request}/statut"),
                &[("depuis", from), ("statut", to)],
            )
            .await;
        assert_eq!(
            header(moved.headers(), "location"),
            format!("/admin/demandes/{request}?fait=statut")
        );
        app.wait_for_mail("marie@syndic.fr", &format!("est maintenant : {label}"))
            .await;
    }
    // A second staff member acting on a stale page changes nothing.
    let stale = staff
        .post_form(
            &format!("/admin/demandes/{request}/statut"),
            &[("depuis", "recue"), ("statut", "annulee")],
        )
        .await;
    assert_eq!(
        header(stale.headers(), "location"),
        format!("/admin/demandes/{request}?fait=deja")
    );
    let reply = staff
        .post_form(
            &format!("/admin/demandes/{request}/messages"),
            &[("message", "Un technicien passe demain à 9 h.")],
        )
        .await;
    assert_eq!(reply.status(), 303);
    app.wait_for_mail("marie@syndic.fr", "L'équipe WeMaintain vous a écrit")
        .await;

    // The dashboard says the team waits for the client.
    let (_, home) = client.get_page("/profil").await;
    assert!(
        home.contains("attend votre réponse")
            && home.contains(&format!("/profil/demandes/{request}"))
    );
    assert!(home.contains("Demandes en cours") && home.contains("Escalier B"));

    // The client reads the thread and answers.
    let (_, page) = client
        .get_page(&format!("/profil/demandes/{request}"))
        .await;
    assert!(page.contains("En cours") && page.contains("Un technicien passe demain à 9 h."));
    let answer = client
        .post_form(
            &format!("/profil/demandes/{request}/messages"),
            &[("message", "Merci, le gardien sera là.")],
        )
        .await;
    assert_eq!(answer.status(), 303);
    let (_, page) = staff.get_page(&format!("/admin/demandes/{request}")).await;
    assert!(page.contains("Merci, le gardien sera là.") && page.contains("Marie Durand"));
    let (_, home) = client.get_page("/profil").await;
    assert!(!home.contains("attend votre réponse"), "answered");

    // Staff publish the report of the intervention; the client reads it.
    let published = staff
        .post_form(
            "/admin/rapports",
            &[
                ("appareil", device.as_str()),
                ("prestation", "reparation"),
                ("date", "2026-03-02"),
                (
                    "travaux",
                    "Remplacement du contacteur de porte palière du 3e étage.",
                ),
                ("pieces", "Contacteur de porte"),
                ("etat", "en_service"),
            ],
        )
        .await;
    assert_eq!(published.status(), 303);
    let (_, reports) = client.get_page("/profil/rapports").await;
    assert!(reports.contains("02/03/2026") && reports.contains("Réparation"));
    let report = scalar(&app.db, "SELECT MAX(id) FROM reports").await;
    let (status, printable) = client.get_page(&format!("/profil/rapports/{report}")).await;
    assert_eq!(status, 200);
    assert!(printable.contains("contacteur de porte palière du 3e étage"));
    let (_, home) = client.get_page("/profil").await;
    assert!(
        home.contains("Derniers rapports") && home.contains(&format!("/profil/rapports/{report}"))
    );

    // Resolved: closed for the client's thread, listed among finished ones.
    staff
        .post_form(
            &format!("/admin/demandes/{request}/statut"),
            &[("depuis", "en_cours"), ("statut", "resolue")],
        )
        .await;
    let late = client
        .post_form(
            &format!("/profil/demandes/{request}/messages"),
            &[("message", "Encore un mot.")],
        )
        .await;
    assert_eq!(late.status(), 400);
    let (_, finished) = client.get_page("/profil/demandes?closes=1").await;
    assert!(finished.contains(&format!("N° {request}")) && finished.contains("Résolue"));
    let (_, open) = client.get_page("/profil/demandes").await;
    assert!(!open.contains(&format!("N° {request}")));
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM request_messages").await,
        2
    );
    // Staff see the company with its users and devices; opening it is audited.
    let (_, companies) = staff.get_page("/admin/societes").await;
    assert!(companies.contains("Syndic Exemple"));
    let company = scalar(&app.db, "SELECT id FROM companies").await;
    let (status, page) = staff.get_page(&format!("/admin/societes/{company}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("marie@syndic.fr")
            && page.contains("Escalier B")
            && page.contains("Résidence Les Tilleuls")
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE subject LIKE 'company:%'"
        )
        .await,
        1
    );
    assert_eq!(
        client
            .get(&format!("/admin/societes/{company}"))
            .await
            .status(),
        403
    );

    let viewed = scalar(
        &app.db,
        "SELECT COUNT(*) FROM audit_log WHERE subject LIKE 'maintenance_request:%'",
    )
    .await;
    assert!(viewed >= 1, "staff opening the request is audited");
}

async fn a_request_form_keeps_what_was_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let (client, device) = client_with_a_device(&app, &staff).await;
    for (field, value, message) in [
        ("description", "court", "trop court"),
        ("nature", "autre", "Choisissez une réponse dans la liste."),
        ("urgence", "", "Choisissez l'urgence de la demande"),
        (
            "appareil",
            "999999",
            "Choisissez l'appareil concerné dans la liste.",
        ),
    ] {
        let mut fields = vec![
            ("appareil", device.as_str()),
            ("nature", "entretien"),
            ("urgence", "question"),
            ("description", "La porte palière grince au 2e étage."),
        ];
        for entry in fields.iter_mut() {
            if entry.0 == field {
                entry.1 = value;
            }
        }
        let response = client.post_form("/profil/demandes/nouvelle", &fields).await;
        assert_eq!(response.status(), 422, "{field}");
        let page = response.plain_text().await;
        assert!(
            page.contains(&format!(r#"id="{field}-erreur""#)) && page.contains(message),
            "{field}"
        );
        if field != "description" {
            assert!(
                page.contains("La porte palière grince au 2e étage."),
                "{field}: the description typed is kept"
            );
        }
    }
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM maintenance_requests").await,
        0
    );
}

/// The request's id in a redirect to its page.
fn request_id(response: &reqwest::Response) -> i64 {
    let location = header(response.headers(), "location");
    location
        .trim_start_matches("/profil/demandes/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a request's page: {location}"))
}

async fn a_person_stuck_is_reported_without_a_device_and_staff_attach_it_later(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let (_, client) = client_of_company(&app, "gardien@syndic.fr", "Syndic Neuf").await;

    // No device declared: the form asks where the problem is.
    let (status, form) = client.get_page("/profil/demandes/nouvelle").await;
    assert_eq!(status, 200);
    assert!(form.contains("Où se trouve") && form.contains(r#"name="emplacement""#));
    assert!(
        !form.contains(r#"name="appareil""#),
        "no empty list of devices"
    );
    let problem = ("description", "Une personne est bloquée dans la cabine.");
    let urgent = [
        ("nature", "panne"),
        ("urgence", "personne_bloquee"),
        problem,
    ];

    // Neither a device nor a place: refused, what was typed kept.
    let refused = client.post_form("/profil/demandes/nouvelle", &urgent).await;
    assert_eq!(refused.status(), 422);
    let page = refused.plain_text().await;
    assert!(page.contains(r#"id="emplacement-erreur""#), "{page}");
    assert!(page.contains("Indiquez où se trouve"), "{page}");
    assert!(page.contains("Une personne est bloquée dans la cabine."));
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM maintenance_requests").await,
        0
    );

    let short = [
        ("nature", "panne"),
        ("urgence", "personne_bloquee"),
        ("description", "court"),
        ("emplacement", "Hall B, ascenseur de droite"),
    ];
    let refused = client.post_form("/profil/demandes/nouvelle", &short).await;
    assert_eq!(refused.status(), 422);
    let page = refused.plain_text().await;
    assert!(
        page.contains(r#"value="Hall B, ascenseur de droite""#),
        "the place typed is kept: {page}"
    );

    // The place in words: accepted, staff told.
    let place = "12 rue des Lilas, escalier B, ascenseur de gauche";
    let mut fields = urgent.to_vec();
    fields.push(("emplacement", place));
    let filed = client.post_form("/profil/demandes/nouvelle", &fields).await;
    assert_eq!(filed.status(), 303);
    let request = request_id(&filed);
    app.wait_for_mail(
        "equipe@wemaintain.com",
        &format!("/admin/demandes/{request}"),
    )
    .await;
    assert_eq!(
        scalar(&app.db, &format!("SELECT COUNT(*) FROM maintenance_requests WHERE id = {request} AND device_id IS NULL")).await,
        1
    );
    let (_, page) = client
        .get_page(&format!("/profil/demandes/{request}"))
        .await;
    assert!(
        page.contains(place) && page.contains("appareil à rattacher"),
        "{page}"
    );
    let (_, page) = staff.get_page(&format!("/admin/demandes/{request}")).await;
    assert!(
        page.contains(place) && page.contains("aucun appareil"),
        "{page}"
    );

    // The client declares the building and the device; staff attach it.
    let building = client
        .post_form(
            "/profil/batiments/nouveau",
            &[
                ("nom", "Les Lilas"),
                ("adresse", "12 rue des Lilas"),
                ("code_postal", "75020"),
                ("ville", "Paris"),
                ("pays", "FR"),
            ],
        )
        .await;
    let building = header(building.headers(), "location")
        .trim_start_matches("/profil/batiments/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let added = client
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &[
                ("type_appareil", "ascenseur"),
                ("emplacement", "Escalier B, gauche"),
                ("etat", "en_service"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let device = scalar(&app.db, "SELECT MAX(id) FROM devices")
        .await
        .to_string();
    let (_, page) = staff.get_page(&format!("/admin/demandes/{request}")).await;
    assert!(
        page.contains("Rattacher") && page.contains(&format!(r#"<option value="{device}">"#)),
        "{page}"
    );
    let attach = format!("/admin/demandes/{request}/appareil");
    let wrong = staff.post_form(&attach, &[("appareil", "999999")]).await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong
        .plain_text()
        .await
        .contains("Choisissez un appareil de la société dans la liste."));
    let attached_lines = "SELECT COUNT(*) FROM audit_log WHERE event = 'request_device_attached'";
    assert_eq!(
        scalar(&app.db, attached_lines).await,
        0,
        "nothing changed, nothing audited"
    );
    let done = staff.post_form(&attach, &[("appareil", &device)]).await;
    assert_eq!(
        header(done.headers(), "location"),
        format!("/admin/demandes/{request}?fait=appareil")
    );
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT device_id FROM maintenance_requests WHERE id = {request}")
        )
        .await
        .to_string(),
        device
    );
    assert_eq!(
        scalar(&app.db, &format!("SELECT COUNT(*) FROM audit_log WHERE event = 'request_device_attached' AND subject = 'maintenance_request:{request}' AND detail = 'appareil {device}'")).await,
        1
    );
    let (_, page) = client
        .get_page(&format!("/profil/demandes/{request}"))
        .await;
    assert!(
        page.contains("Les Lilas — Escalier B, gauche") && !page.contains("appareil à rattacher"),
        "{page}"
    );

    // With a building chosen: the building shows; one not the company's is refused.
    let mut fields = urgent.to_vec();
    fields.extend([
        ("emplacement", "Hall, ascenseur de droite"),
        ("batiment", building.as_str()),
    ]);
    let filed = client.post_form("/profil/demandes/nouvelle", &fields).await;
    assert_eq!(filed.status(), 303);
    let (_, page) = client
        .get_page(&format!("/profil/demandes/{}", request_id(&filed)))
        .await;
    assert!(
        page.contains("Les Lilas — Hall, ascenseur de droite"),
        "{page}"
    );
    for foreign in ["999999", "le mien"] {
        let mut fields = urgent.to_vec();
        fields.extend([("emplacement", "Hall"), ("batiment", foreign)]);
        let refused = client.post_form("/profil/demandes/nouvelle", &fields).await;
        assert_eq!(refused.status(), 422, "{foreign}");
        assert!(
            refused
                .plain_text()
                .await
                .contains(r#"id="batiment-erreur""#),
            "{foreign}"
        );
    }
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM maintenance_requests").await,
        2
    );
}
