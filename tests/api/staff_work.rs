//! The staff side as a work tool: the home's queues, the list of
//! maintenance requests by urgency with its filters, and who to call about
//! a request.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use wemaintain::auth::Role;

use crate::helpers::{
    client_with_a_lift, create_account, execute, scalar, spawn_app, Backend, Browser, TestApp,
    PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    the_home_lists_what_needs_action_people_stuck_first,
    requests_are_listed_by_urgency_then_age_and_filtered,
    a_request_page_says_who_to_call_and_where_to_go,
);

const STAFF: &str = "equipe@wemaintain.com";

fn paris(day: u32, hour: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

async fn staff(app: &TestApp) -> Browser {
    let browser = app.browser();
    browser.login_ok(STAFF, PASSWORD).await;
    browser
}

/// A client of « Syndic Exemple » with one building and one device;
/// returns the browser and the device's id.
async fn client_with_device(app: &TestApp) -> (Browser, String) {
    let (client, _, device) = client_with_a_lift(app, "gestion@syndic.fr", "Syndic Exemple").await;
    (client, device.to_string())
}

/// Files a request of that urgency now; returns its id.
async fn file(app: &TestApp, client: &Browser, device: &str, urgency: &str) -> i64 {
    let filed = client
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("appareil", device),
                ("nature", "panne"),
                ("urgence", urgency),
                ("description", "La cabine s'arrête entre deux étages."),
            ],
        )
        .await;
    assert_eq!(filed.status(), 303, "{urgency}");
    scalar(&app.db, "SELECT MAX(id) FROM maintenance_requests").await
}

/// Where `needle` first appears in `page`.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("{needle} missing from {page}"))
}

/// The request numbers of a list, in their order.
fn listed(page: &str) -> Vec<i64> {
    page.split(r#"href="/admin/demandes/"#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// A rights request from `email`, sent and confirmed now.
async fn rights_request(app: &TestApp, email: &str) {
    let sent = app
        .browser()
        .post_form(
            "/confidentialite/demande",
            &[
                ("droit", "acces"),
                ("email", email),
                ("message", "Je souhaite obtenir une copie de mes données."),
            ],
        )
        .await;
    assert_eq!(sent.status(), 303);
    let token = app
        .link_token(email, "/confidentialite/demande/confirmer")
        .await;
    let confirmed = app
        .browser()
        .post_form("/confidentialite/demande/confirmer", &[("jeton", &token)])
        .await;
    assert_eq!(confirmed.status(), 200);
}

async fn the_home_lists_what_needs_action_people_stuck_first(backend: Backend) {
    let app = spawn_app(backend).await;
    app.clock.set(paris(2, 9));
    create_account(&app, Role::Admin, STAFF).await;
    let (_, home) = staff(&app).await.get_page("/admin").await;
    assert_eq!(
        home.matches("Rien à traiter").count(),
        11,
        "every queue is empty: {home}"
    );

    // Something in every queue.
    rights_request(&app, "ancien@exemple.fr").await;
    app.clock.set(paris(6, 9));
    rights_request(&app, "recent@exemple.fr").await;
    let (client, device) = client_with_device(&app).await;
    for urgency in ["question", "personne_bloquee", "personne_bloquee"] {
        file(&app, &client, &device, urgency).await;
    }
    let asked = client
        .post_form(
            "/profil/propositions/nouvelle",
            &[("appareils", &device), ("message", "Une modernisation ?")],
        )
        .await;
    assert_eq!(asked.status(), 303);
    let question = app
        .browser()
        .post_form(
            "/contact",
            &[
                ("prenom", "Paul"),
                ("nom", "Petit"),
                ("telephone", "06 11 22 33 44"),
                ("email", "paul@exemple.fr"),
                ("message", "Entretenez-vous des monte-charges ?"),
            ],
        )
        .await;
    assert_eq!(question.status(), 303);

    // A month after the first rights request: it is late, the second due soon.
    app.clock
        .set(paris(2, 9) + Duration::days(31) + Duration::hours(1));
    let (status, page) = staff(&app).await.get_page("/admin").await;
    assert_eq!(status, 200);
    // The queues, after the menus.
    let home = &page[at(&page, "<h1")..];
    let stuck = at(home, r#"href="/admin/demandes?urgence=personne_bloquee""#);
    for later in [
        r#"href="/admin/demandes?urgence=appareil_arret""#,
        r#"href="/admin/demandes?urgence=question""#,
        r#"href="/admin/demandes?reponse=attendue""#,
        r#"href="/admin/inscriptions""#,
        r#"href="/admin/propositions""#,
        r#"href="/admin/messages""#,
        r#"href="/admin/droits""#,
    ] {
        assert!(stuck < at(home, later), "people stuck come before {later}");
    }
    let after_stuck = &home[stuck..];
    assert!(
        after_stuck.find("2 demandes en cours") < after_stuck.find("1 demande en cours"),
        "two people stuck, one question: {home}"
    );
    for expected in [
        "3 demandes",
        "1 demande sans réponse",
        "1 demande en retard",
        "1 demande à rendre",
        "1 question",
    ] {
        assert!(home.contains(expected), "{expected} missing: {home}");
    }
    assert!(!home.contains("demande(s)"), "real plurals");
    // Still empty: devices at a standstill, dysfunctions, sign-ups, applications.
    assert_eq!(home.matches("Rien à traiter").count(), 4, "{home}");
}

async fn requests_are_listed_by_urgency_then_age_and_filtered(backend: Backend) {
    let app = spawn_app(backend).await;
    app.clock.set(paris(2, 9));
    create_account(&app, Role::Admin, STAFF).await;
    let (client, device) = client_with_device(&app).await;
    let mut ids = Vec::new();
    for (hour, urgency) in [
        (9, "dysfonctionnement"),
        (10, "personne_bloquee"),
        (11, "appareil_arret"),
        (12, "personne_bloquee"),
        (13, "question"),
    ] {
        app.clock.set(paris(2, hour));
        ids.push(file(&app, &client, &device, urgency).await);
    }
    let [dysfunction, stuck, standstill, stuck_later, question] = ids[..] else {
        unreachable!()
    };
    let staff = staff(&app).await;

    let (_, list) = staff.get_page("/admin/demandes").await;
    assert_eq!(
        listed(&list),
        vec![stuck, stuck_later, standstill, dysfunction, question],
        "the most urgent first, then the oldest"
    );
    assert!(list.contains("Personne bloquée dans l") && list.contains("5 demandes"));

    // By urgency: the form keeps the choice.
    let (_, list) = staff
        .get_page("/admin/demandes?urgence=personne_bloquee")
        .await;
    assert_eq!(listed(&list), vec![stuck, stuck_later]);
    assert!(list.contains(r#"<option value="personne_bloquee" selected>"#));

    // By status.
    let moved = staff
        .post_form(
            &format!("/admin/demandes/{standstill}/statut"),
            &[("depuis", "recue"), ("statut", "planifiee")],
        )
        .await;
    assert_eq!(moved.status(), 303);
    staff
        .post_form(
            &format!("/admin/demandes/{question}/statut"),
            &[("depuis", "recue"), ("statut", "annulee")],
        )
        .await;
    let (_, list) = staff.get_page("/admin/demandes?statut=planifiee").await;
    assert_eq!(listed(&list), vec![standstill]);
    assert!(list.contains(r#"<option value="planifiee" selected>"#));
    let (_, list) = staff.get_page("/admin/demandes?statut=terminees").await;
    assert_eq!(listed(&list), vec![question]);
    let (_, list) = staff.get_page("/admin/demandes").await;
    assert_eq!(
        listed(&list),
        vec![stuck, stuck_later, standstill, dysfunction]
    );

    // Waiting for the team: new and untouched, or the client wrote last.
    staff
        .post_form(
            &format!("/admin/demandes/{stuck}/messages"),
            &[("message", "Le technicien est en route.")],
        )
        .await;
    client
        .post_form(
            &format!("/profil/demandes/{standstill}/messages"),
            &[("message", "Le gardien a un double des clés.")],
        )
        .await;
    let (_, list) = staff.get_page("/admin/demandes?reponse=attendue").await;
    assert_eq!(listed(&list), vec![stuck_later, standstill, dysfunction]);
    assert!(list.contains(r#"name="reponse" value="attendue" checked"#));

    // Filters that the form never sends: ignored, said, never a 500.
    for query in [
        "urgence=bidon",
        "statut=%27%20OR%201=1",
        "reponse=peut-etre",
    ] {
        let (status, list) = staff.get_page(&format!("/admin/demandes?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert!(
            list.contains("Un filtre demandé n&#39;existe pas")
                || list.contains("Un filtre demandé n'existe pas"),
            "{query}: {list}"
        );
        assert_eq!(listed(&list).len(), 4, "{query}");
    }

    // The pages of a filtered list keep the filter.
    for n in 0..21 {
        execute(
            &app.db,
            &format!(
                "INSERT INTO maintenance_requests (company_id, device_id, created_by, nature, \
                   urgency, description, status, created_at, updated_at) \
                 SELECT company_id, device_id, created_by, nature, 'question', description, \
                   'recue', created_at + {n}, updated_at FROM maintenance_requests WHERE id = {stuck}"
            ),
        )
        .await
        .expect("one more request");
    }
    let (_, list) = staff.get_page("/admin/demandes?urgence=question").await;
    assert_eq!(listed(&list).len(), 20);
    assert!(
        list.contains(r#"href="/admin/demandes?urgence=question&amp;page=2""#),
        "{list}"
    );
    let (_, second) = staff
        .get_page("/admin/demandes?urgence=question&page=2")
        .await;
    assert_eq!(listed(&second).len(), 1);
    assert!(second.contains(r#"<option value="question" selected>"#));
}

async fn a_request_page_says_who_to_call_and_where_to_go(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    let (client, device) = client_with_device(&app).await;
    execute(
        &app.db,
        "UPDATE users SET first_name = 'Marie', last_name = 'Durand', phone = '+33612345678' \
         WHERE email = 'gestion@syndic.fr'",
    )
    .await
    .expect("a phone number");
    let request = file(&app, &client, &device, "personne_bloquee").await;
    let (status, page) = staff(&app)
        .await
        .get_page(&format!("/admin/demandes/{request}"))
        .await;
    assert_eq!(status, 200);
    for expected in [
        "Marie Durand",
        r#"href="mailto:gestion@syndic.fr""#,
        r#"href="tel:+33612345678""#,
        "Résidence Les Tilleuls",
        "12 avenue des Tilleuls, 92200 Neuilly-sur-Seine",
        "Personne bloquée dans l",
    ] {
        assert!(page.contains(expected), "{expected} missing: {page}");
    }
}
