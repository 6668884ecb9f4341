//! Data rights from the Profile: copy, rectification, objection, erasure.

use chrono::Duration;
use wemaintain::auth::Role;
use wemaintain::db::Db;
use wemaintain::privacy::{Purpose, Register};

use crate::helpers::PlainText;
use crate::helpers::{
    client_of_company, create_account, execute, header, scalar, spawn_app, Backend, Browser,
    TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    the_copy_holds_every_value_typed_and_follows_its_schema,
    every_profile_field_is_rectified_and_an_invalid_one_changes_nothing,
    the_address_changes_only_once_the_link_is_confirmed,
    service_news_can_be_objected_to_and_accepted_again,
    erasing_the_last_user_leaves_nothing_but_the_contract_evidence,
    erasing_one_user_of_several_leaves_the_company_its_data,
    erasure_needs_the_password_and_the_confirmation,
);

const STAFF: &str = "equipe@wemaintain.com";
const CLIENT: &str = "camille.client@syndic-exemple.fr";

/// A distinct marker: lowercase letters and digits, 12 characters, so that
/// it passes every text field's validation (even the 10-character minimum
/// of a description) and no marker is a part of another.
fn marker(n: usize) -> String {
    format!("mk{n:02}qzxwvtr")
}

/// One text value, on either backend.
async fn text(db: &Db, sql: &str) -> Option<String> {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect(sql)
}

/// One nullable integer, on either backend.
async fn nullable(db: &Db, sql: &str) -> Option<i64> {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect(sql)
}

/// The id at the end of a `Location` such as `/profil/demandes/12?fait=…`.
fn id_in(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split(['?', '/']).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("an id after {prefix} in {location:?}"))
}

/// The signing form's fingerprint of the contract text.
fn fingerprint(page: &str) -> String {
    let start = page
        .find(r#"name="empreinte" value=""#)
        .expect("a signing form")
        + r#"name="empreinte" value=""#.len();
    page[start..start + 64].to_owned()
}

/// The token of the newest link to `path` mailed to `to`.
async fn link_token(app: &TestApp, to: &str, path: &str) -> String {
    app.link_token(to, path).await
}

/// What a filled-in account is made of.
struct Filled {
    browser: Browser,
    company_id: i64,
    /// Values typed at registration, overwritten by the rectification:
    /// nowhere in the copy, nowhere after the erasure.
    replaced: Vec<String>,
    /// Values that the copy must hold.
    held: Vec<String>,
    /// The name typed to sign the contract.
    signer: String,
    /// The name of the first building.
    building: String,
}

/// A staff account, logged in.
async fn staff(app: &TestApp) -> Browser {
    create_account(app, Role::Admin, STAFF).await;
    let staff = app.browser();
    staff.login_ok(STAFF, PASSWORD).await;
    staff
}

/// An account made through registration and staff validation, then a
/// marker typed into every form a client (and a visitor with the same
/// address) can fill in.
async fn fill_everything(app: &TestApp, staff: &Browser, email: &str) -> Filled {
    let mut n = 0;
    let mut next = || {
        n += 1;
        marker(n)
    };

    // Registration, validated by staff.
    let replaced: Vec<String> = (0..7).map(|_| next()).collect();
    let visitor = app.browser();
    let registration = [
        ("prenom", replaced[0].as_str()),
        ("nom", replaced[1].as_str()),
        ("sexe", "madame"),
        ("role", replaced[2].as_str()),
        ("email", email),
        ("telephone", "06 12 34 56 78"),
        ("societe", replaced[3].as_str()),
        ("type_societe", "agence"),
        ("adresse", replaced[4].as_str()),
        ("complement", replaced[5].as_str()),
        ("ville", replaced[6].as_str()),
        ("code_postal", "75002"),
        ("pays", "FR"),
        ("mot_de_passe", PASSWORD),
        ("confirmation", PASSWORD),
    ];
    let sent = visitor.post_form("/inscription", &registration).await;
    assert_eq!(sent.status(), 303, "the registration is accepted");
    app.confirm_registration(email).await;
    let registration_id = scalar(&app.db, "SELECT MAX(id) FROM registrations").await;
    let validated = staff
        .post_form(
            &format!("/admin/inscriptions/{registration_id}/valider"),
            &[],
        )
        .await;
    assert_eq!(validated.status(), 303);
    let client = app.browser();
    client.login_ok(email, PASSWORD).await;
    let company_id = scalar(
        &app.db,
        &format!("SELECT company_id FROM users WHERE email = '{email}'"),
    )
    .await;

    let mut held = Vec::new();
    let mut typed = |held: &mut Vec<String>| {
        let m = next();
        held.push(m.clone());
        m
    };

    // Rectification of the profile and the company.
    let (prenom, nom, role, societe, adresse, complement, ville) = (
        typed(&mut held),
        typed(&mut held),
        typed(&mut held),
        typed(&mut held),
        typed(&mut held),
        typed(&mut held),
        typed(&mut held),
    );
    let rectified = client
        .post_form(
            "/profil/donnees/modifier",
            &[
                ("prenom", &prenom),
                ("nom", &nom),
                ("sexe", "monsieur"),
                ("role", &role),
                ("telephone", "06 98 76 54 32"),
                ("societe", &societe),
                ("type_societe", "siege"),
                ("adresse", &adresse),
                ("complement", &complement),
                ("ville", &ville),
                ("code_postal", "69001"),
                ("pays", "FR"),
            ],
        )
        .await;
    assert_eq!(rectified.status(), 303, "the rectification is accepted");

    // A building and a device.
    let (building_name, building_address, building_city) =
        (typed(&mut held), typed(&mut held), typed(&mut held));
    let building = client
        .post_form(
            "/profil/batiments/nouveau",
            &[
                ("nom", &building_name),
                ("adresse", &building_address),
                ("code_postal", "92200"),
                ("ville", &building_city),
                ("pays", "FR"),
            ],
        )
        .await;
    assert_eq!(building.status(), 303, "the building is added");
    let building = id_in(header(building.headers(), "location"), "/profil/batiments/");
    let (location, brand, serial) = (typed(&mut held), typed(&mut held), typed(&mut held));
    let device = client
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &[
                ("type_appareil", "ascenseur"),
                ("emplacement", &location),
                ("marque", &brand),
                ("numero_serie", &serial),
                ("annee", "2004"),
                ("etat", "en_service"),
            ],
        )
        .await;
    assert_eq!(device.status(), 303, "the device is added");
    let device = scalar(
        &app.db,
        &format!("SELECT MAX(id) FROM devices WHERE building_id = {building}"),
    )
    .await
    .to_string();

    // A maintenance request and a message on its thread.
    let description = typed(&mut held);
    let filed = client
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("appareil", &device),
                ("nature", "panne"),
                ("urgence", "appareil_arret"),
                ("description", &description),
            ],
        )
        .await;
    assert_eq!(filed.status(), 303, "the request is filed");
    let request = id_in(header(filed.headers(), "location"), "/profil/demandes/");
    let thread_message = typed(&mut held);
    let answered = client
        .post_form(
            &format!("/profil/demandes/{request}/messages"),
            &[("message", &thread_message)],
        )
        .await;
    assert_eq!(answered.status(), 303, "the message is added");
    // A request on a device not declared, described by where it is.
    let (described_place, described_problem) = (typed(&mut held), typed(&mut held));
    let described = client
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("emplacement", &described_place),
                ("batiment", &building.to_string()),
                ("nature", "panne"),
                ("urgence", "personne_bloquee"),
                ("description", &described_problem),
            ],
        )
        .await;
    assert_eq!(described.status(), 303, "the described request is filed");

    // A proposal with a pré-visite.
    let (proposal_message, dates) = (typed(&mut held), typed(&mut held));
    let asked = client
        .post_form(
            "/profil/propositions/nouvelle",
            &[
                ("appareils", &device),
                ("pre_visite", "oui"),
                ("dates", &dates),
                ("message", &proposal_message),
            ],
        )
        .await;
    assert_eq!(asked.status(), 303, "the proposal is asked");

    // The contract, signed.
    let signer = typed(&mut held);
    let (_, contract) = client.get_page("/profil/contrat").await;
    let signed = client
        .post_form(
            "/profil/contrat/signer",
            &[
                ("nom_complet", &signer),
                ("accepte", "oui"),
                ("empreinte", &fingerprint(&contract)),
            ],
        )
        .await;
    assert_eq!(signed.status(), 303, "the contract is signed");

    // A question and a technician application sent with the same address.
    let (contact_first, contact_last, question) =
        (typed(&mut held), typed(&mut held), typed(&mut held));
    let stranger = app.browser();
    let asked = stranger
        .post_form(
            "/contact",
            &[
                ("prenom", &contact_first),
                ("nom", &contact_last),
                ("telephone", "06 11 22 33 44"),
                ("email", email),
                ("message", &question),
            ],
        )
        .await;
    assert_eq!(asked.status(), 303, "the question is sent");
    let answer = typed(&mut held);
    let question_id = scalar(&app.db, "SELECT MAX(id) FROM contact_messages").await;
    let answered = staff
        .post_form(
            &format!("/admin/messages/questions/{question_id}/reponse"),
            &[("reponse", &answer)],
        )
        .await;
    assert_eq!(answered.status(), 303, "staff answer the question");
    let (applicant_first, applicant_last, current_company) =
        (typed(&mut held), typed(&mut held), typed(&mut held));
    let applied = stranger
        .post_form(
            "/techniciens",
            &[
                ("prenom", &applicant_first),
                ("nom", &applicant_last),
                ("telephone", "06 55 44 33 22"),
                ("email", email),
                ("experience", "7"),
                ("entreprise", &current_company),
            ],
        )
        .await;
    assert_eq!(applied.status(), 303, "the application is sent");

    // A rights request from the public form, confirmed by its link.
    let (visit, request_message) = (typed(&mut held), typed(&mut held));
    let requested = stranger
        .post_form(
            "/confidentialite/demande",
            &[
                ("droit", "acces"),
                ("email", email),
                ("visite", &visit),
                ("message", &request_message),
            ],
        )
        .await;
    assert_eq!(requested.status(), 303, "the rights request is sent");
    let token = link_token(app, email, "/confidentialite/demande/confirmer").await;
    let confirmed = stranger
        .post_form("/confidentialite/demande/confirmer", &[("jeton", &token)])
        .await;
    assert_eq!(confirmed.status(), 200, "the rights request is confirmed");

    let mut all = held.clone();
    all.extend(replaced.iter().cloned());
    all.sort();
    all.dedup();
    assert_eq!(all.len(), held.len() + replaced.len(), "distinct markers");
    Filled {
        browser: client,
        company_id,
        replaced,
        held,
        signer,
        building: building_name,
    }
}

/// POSTs the copy form; the response.
async fn copy(browser: &Browser, format: &str, password: &str) -> reqwest::Response {
    browser
        .post_form(
            "/profil/donnees/copie",
            &[("format", format), ("mot_de_passe", password)],
        )
        .await
}

async fn the_copy_holds_every_value_typed_and_follows_its_schema(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = staff(&app).await;
    let filled = fill_everything(&app, &staff, CLIENT).await;
    let client = &filled.browser;

    // JSON, as an attachment.
    let response = copy(client, "json", PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert!(header(response.headers(), "content-type").starts_with("application/json"));
    let disposition = header(response.headers(), "content-disposition").to_owned();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains(".json"),
        "{disposition}"
    );
    assert_eq!(header(response.headers(), "cache-control"), "no-store");
    let body = response.plain_text().await;
    for m in &filled.held {
        assert!(body.contains(m.as_str()), "{m} missing from the JSON copy");
    }
    for m in &filled.replaced {
        assert!(!body.contains(m.as_str()), "{m}: a value replaced is gone");
    }
    assert!(body.contains(CLIENT));
    let instance: serde_json::Value = serde_json::from_str(&body).expect("the copy is JSON");
    assert_eq!(instance["account"]["email"], CLIENT);
    assert_eq!(instance["account"]["civility"], "monsieur");
    assert_eq!(instance["account"]["phone"], "+33698765432");
    assert_eq!(instance["company"]["kind"], "siege");
    assert_eq!(instance["proposals"][0]["previsit"], true);
    assert_eq!(instance["contact_messages"].as_array().unwrap().len(), 1);
    assert_eq!(
        instance["technician_applications"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(instance["rights_requests"].as_array().unwrap().len(), 1);
    assert_eq!(instance["contract_signatures"].as_array().unwrap().len(), 1);

    // It follows the published schema.
    let schema = app
        .browser()
        .get("/confidentialite/schema-export-v1.json")
        .await;
    assert_eq!(schema.status(), 200, "the schema is public");
    let schema: serde_json::Value = schema.json().await.expect("the schema is JSON");
    assert!(
        instance["schema"]
            .as_str()
            .unwrap()
            .ends_with("/confidentialite/schema-export-v1.json"),
        "the copy names its schema"
    );
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "the copy breaks its schema: {errors:#?}");
    assert!(validator.is_valid(&instance));
    // The schema is not a blank check: a copy without its account fails.
    let mut broken = instance.clone();
    broken.as_object_mut().unwrap().remove("account");
    assert!(!validator.is_valid(&broken));

    // HTML, readable.
    let response = copy(client, "html", PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert!(header(response.headers(), "content-type").starts_with("text/html"));
    assert!(header(response.headers(), "content-disposition").is_empty());
    let page = response.plain_text().await;
    assert!(page.contains("Copie de mes données personnelles"));
    for m in &filled.held {
        assert!(page.contains(m.as_str()), "{m} missing from the HTML copy");
    }
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'data_exported'"
        )
        .await,
        2
    );

    // A wrong password: the data page again, no copy.
    let response = copy(client, "json", "Pas-le-bon-mot-de-passe-9").await;
    assert_eq!(response.status(), 422);
    assert!(header(response.headers(), "content-type").starts_with("text/html"));
    assert!(header(response.headers(), "content-disposition").is_empty());
    let page = response.plain_text().await;
    assert!(
        page.contains("Ce n&#39;est pas votre mot de passe.")
            || page.contains("Ce n'est pas votre mot de passe.")
    );
    assert!(!page.contains(&filled.building), "no building in the page");
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'data_exported'"
        )
        .await,
        2,
        "a refused copy is not a copy"
    );
    // Nor for someone logged out.
    let stranger = app.browser();
    let response = copy(&stranger, "json", PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert!(header(response.headers(), "location").starts_with("/connexion"));
}

/// The fields of the rectification form.
fn profile_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("prenom", "Léa"),
        ("nom", "Moreau-Petit"),
        ("sexe", "non_precise"),
        ("role", "Directrice technique"),
        ("telephone", "+32 2 555 12 12"),
        ("societe", "Gestion Moreau"),
        ("type_societe", "siege"),
        ("adresse", "14 avenue Louise"),
        ("complement", "Bâtiment C"),
        ("ville", "Bruxelles"),
        ("code_postal", "1050"),
        ("pays", "BE"),
    ];
    for (name, value) in changes {
        for field in fields.iter_mut() {
            if field.0 == *name {
                field.1 = value;
            }
        }
    }
    fields
}

async fn every_profile_field_is_rectified_and_an_invalid_one_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (company, client) = client_of_company(&app, CLIENT, "Syndic Exemple").await;
    let user = scalar(
        &app.db,
        &format!("SELECT id FROM users WHERE email = '{CLIENT}'"),
    )
    .await;

    let (status, form) = client.get_page("/profil/donnees/modifier").await;
    assert_eq!(status, 200);
    assert!(form.contains(r#"value="Camille""#) && form.contains(r#"value="Syndic Exemple""#));

    let done = client
        .post_form("/profil/donnees/modifier", &profile_fields(&[]))
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(
        header(done.headers(), "location"),
        "/profil/donnees?fait=corrige"
    );
    let (_, page) = client.get_page("/profil/donnees?fait=corrige").await;
    assert!(page.contains("Vos corrections sont enregistrées."));

    let user_column = |column: &str| format!("SELECT {column} FROM users WHERE id = {user}");
    let company_column =
        |column: &str| format!("SELECT {column} FROM companies WHERE id = {company}");
    for (sql, expected) in [
        (user_column("first_name"), "Léa"),
        (user_column("last_name"), "Moreau-Petit"),
        (user_column("civility"), "non_precise"),
        (user_column("job_title"), "Directrice technique"),
        (user_column("phone"), "+3225551212"),
        (user_column("email"), CLIENT),
        (company_column("name"), "Gestion Moreau"),
        (company_column("kind"), "siege"),
        (company_column("address"), "14 avenue Louise"),
        (company_column("address_extra"), "Bâtiment C"),
        (company_column("city"), "Bruxelles"),
        (company_column("postal_code"), "1050"),
        (company_column("country"), "BE"),
    ] {
        assert_eq!(
            text(&app.db, &sql).await.as_deref(),
            Some(expected),
            "{sql}"
        );
    }
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'profile_rectified'"
        )
        .await,
        1
    );

    let (_, home) = client.get_page("/profil").await;
    for expected in [
        "Bonjour Léa",
        "Léa Moreau-Petit",
        "Directrice technique",
        "Gestion Moreau",
        "Siège",
        "14 avenue Louise",
        "Bâtiment C",
        "1050 Bruxelles",
        "Belgique",
    ] {
        assert!(home.contains(expected), "{expected} missing from /profil");
    }
    let (_, form) = client.get_page("/profil/donnees/modifier").await;
    assert!(form.contains(r#"value="Moreau-Petit""#) && form.contains(r#"value="1050""#));

    // An optional field emptied is emptied.
    let done = client
        .post_form(
            "/profil/donnees/modifier",
            &profile_fields(&[("complement", "")]),
        )
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(text(&app.db, &company_column("address_extra")).await, None);

    // A French postal code for a Belgian address, with other changes typed:
    // refused, everything typed shown again, nothing stored.
    let refused = client
        .post_form(
            "/profil/donnees/modifier",
            &profile_fields(&[
                ("prenom", "Hugo"),
                ("ville", "Namur"),
                ("code_postal", "75002"),
            ]),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.plain_text().await;
    assert!(page.contains(r#"id="code_postal-erreur""#), "{page}");
    assert!(page.contains("4 chiffres"));
    for kept in [
        r#"value="Hugo""#,
        r#"value="Namur""#,
        r#"value="75002""#,
        r#"value="Directrice technique""#,
    ] {
        assert!(page.contains(kept), "{kept}: what was typed is kept");
    }
    assert_eq!(
        text(&app.db, &user_column("first_name")).await.as_deref(),
        Some("Léa")
    );
    assert_eq!(
        text(&app.db, &company_column("city")).await.as_deref(),
        Some("Bruxelles")
    );
    assert_eq!(
        text(&app.db, &company_column("postal_code"))
            .await
            .as_deref(),
        Some("1050")
    );
    // Nor can a required field be emptied.
    let refused = client
        .post_form("/profil/donnees/modifier", &profile_fields(&[("nom", " ")]))
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        text(&app.db, &user_column("last_name")).await.as_deref(),
        Some("Moreau-Petit")
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'profile_rectified'"
        )
        .await,
        2
    );
}

/// Whether a login with `email` and the test password succeeds.
async fn logs_in(app: &TestApp, email: &str) -> bool {
    app.browser().login(email, PASSWORD).await.status() == 303
}

async fn the_address_changes_only_once_the_link_is_confirmed(backend: Backend) {
    let app = spawn_app(backend).await;
    const OLD: &str = "ancienne@syndic-exemple.fr";
    const NEW: &str = "nouvelle@syndic-exemple.fr";
    const TAKEN: &str = "collegue@syndic-exemple.fr";
    const LINK: &str = "/compte/adresse/confirmer";
    let (_, client) = client_of_company(&app, OLD, "Syndic Exemple").await;
    create_account(&app, Role::Client, TAKEN).await;
    let user = scalar(
        &app.db,
        &format!("SELECT id FROM users WHERE email = '{OLD}'"),
    )
    .await;

    // Refused: a wrong password, an address already an account's, the same.
    let wrong = client
        .post_form(
            "/profil/donnees/email",
            &[
                ("nouvel_email", NEW),
                ("mot_de_passe_email", "Faux-mot-de-passe-1"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let page = wrong.plain_text().await;
    assert!(page.contains(r#"id="mot_de_passe_email-erreur""#));
    assert!(
        page.contains(&format!(r#"value="{NEW}""#)),
        "the address typed is kept"
    );
    let taken = client
        .post_form(
            "/profil/donnees/email",
            &[("nouvel_email", TAKEN), ("mot_de_passe_email", PASSWORD)],
        )
        .await;
    assert_eq!(taken.status(), 422);
    assert!(taken
        .plain_text()
        .await
        .contains("Cette adresse est déjà celle d'un autre compte."));
    let same = client
        .post_form(
            "/profil/donnees/email",
            &[("nouvel_email", OLD), ("mot_de_passe_email", PASSWORD)],
        )
        .await;
    assert_eq!(same.status(), 422);
    assert_eq!(app.count("email_changes").await, 0);

    // Asked: a link goes to the new address; nothing changes yet.
    let asked = client
        .post_form(
            "/profil/donnees/email",
            &[
                ("nouvel_email", "Nouvelle@Syndic-Exemple.fr"),
                ("mot_de_passe_email", PASSWORD),
            ],
        )
        .await;
    assert!(
        header(asked.headers(), "location") == "/profil/donnees?fait=lien",
        "the link is sent"
    );
    let location = header(asked.headers(), "location").to_owned();
    assert!(location == "/profil/donnees?fait=lien", "{location}");
    let (_, page) = client.get_page(&location).await;
    assert!(page.contains("Un lien de confirmation a été envoyé à"));
    assert!(page.contains(&format!("En attente de confirmation : {NEW}")));
    let token = link_token(&app, NEW, LINK).await;
    assert!(token.len() >= 40, "a long random token: {token:?}");
    assert!(
        !app.outbox()
            .iter()
            .any(|m| m.contains(&format!("To: {OLD}")) && m.contains("jeton=")),
        "the link goes to the new address only"
    );
    assert!(logs_in(&app, OLD).await, "the old address still logs in");
    assert!(!logs_in(&app, NEW).await, "the new one does not yet");

    // The link shows a button; only its POST changes the address.
    let (status, button) = app
        .browser()
        .get_page(&format!("{LINK}?jeton={token}"))
        .await;
    assert_eq!(status, 200);
    assert!(button.contains(&format!(r#"name="jeton" value="{token}""#)));
    assert!(
        logs_in(&app, OLD).await,
        "opening the link alone changes nothing"
    );

    let confirmed = app.browser().post_form(LINK, &[("jeton", &token)]).await;
    assert_eq!(confirmed.status(), 200);
    let page = confirmed.plain_text().await;
    assert!(page.contains("Adresse e-mail changée") && page.contains(NEW));
    assert_eq!(
        text(
            &app.db,
            &format!("SELECT email FROM users WHERE id = {user}")
        )
        .await
        .as_deref(),
        Some(NEW)
    );
    assert!(logs_in(&app, NEW).await, "the new address logs in");
    assert!(!logs_in(&app, OLD).await, "the old one no longer does");
    let notice = app.wait_for_mail(OLD, NEW).await;
    assert!(notice.contains("est désormais"), "{notice}");
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM audit_log WHERE event = 'email_changed' AND subject_user_id = {user}")
        )
        .await,
        1
    );

    // Once only.
    let again = app.browser().post_form(LINK, &[("jeton", &token)]).await;
    assert_eq!(again.status(), 404);
    assert!(again.plain_text().await.contains("Lien invalide"));

    // A link expires after 24 hours: still good just before.
    let client = app.browser();
    client.login_ok(NEW, PASSWORD).await;
    let asked = client
        .post_form(
            "/profil/donnees/email",
            &[
                ("nouvel_email", "tardive@syndic-exemple.fr"),
                ("mot_de_passe_email", PASSWORD),
            ],
        )
        .await;
    assert!(
        header(asked.headers(), "location") == "/profil/donnees?fait=lien",
        "the link is sent"
    );
    let late = link_token(&app, "tardive@syndic-exemple.fr", LINK).await;
    app.clock
        .advance(Duration::hours(24) + Duration::seconds(1));
    let expired = app.browser().post_form(LINK, &[("jeton", &late)]).await;
    assert_eq!(expired.status(), 404);
    assert_eq!(
        text(
            &app.db,
            &format!("SELECT email FROM users WHERE id = {user}")
        )
        .await
        .as_deref(),
        Some(NEW)
    );
    let client = app.browser();
    client.login_ok(NEW, PASSWORD).await;
    let asked = client
        .post_form(
            "/profil/donnees/email",
            &[
                ("nouvel_email", "ponctuelle@syndic-exemple.fr"),
                ("mot_de_passe_email", PASSWORD),
            ],
        )
        .await;
    assert!(
        header(asked.headers(), "location") == "/profil/donnees?fait=lien",
        "the link is sent"
    );
    let timely = link_token(&app, "ponctuelle@syndic-exemple.fr", LINK).await;
    app.clock
        .advance(Duration::hours(23) + Duration::minutes(59));
    let done = app.browser().post_form(LINK, &[("jeton", &timely)]).await;
    assert_eq!(done.status(), 200);
    assert!(logs_in(&app, "ponctuelle@syndic-exemple.fr").await);

    // An address taken by another account between the request and the click.
    let client = app.browser();
    client
        .login_ok("ponctuelle@syndic-exemple.fr", PASSWORD)
        .await;
    let asked = client
        .post_form(
            "/profil/donnees/email",
            &[
                ("nouvel_email", "disputee@syndic-exemple.fr"),
                ("mot_de_passe_email", PASSWORD),
            ],
        )
        .await;
    assert!(
        header(asked.headers(), "location") == "/profil/donnees?fait=lien",
        "the link is sent"
    );
    let disputed = link_token(&app, "disputee@syndic-exemple.fr", LINK).await;
    create_account(&app, Role::Client, "disputee@syndic-exemple.fr").await;
    let conflict = app.browser().post_form(LINK, &[("jeton", &disputed)]).await;
    assert_eq!(conflict.status(), 409);
    assert_eq!(
        text(
            &app.db,
            &format!("SELECT email FROM users WHERE id = {user}")
        )
        .await
        .as_deref(),
        Some("ponctuelle@syndic-exemple.fr")
    );
}

async fn service_news_can_be_objected_to_and_accepted_again(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, CLIENT, "Syndic Exemple").await;
    let objected = format!("SELECT news_objected_at FROM users WHERE email = '{CLIENT}'");
    assert_eq!(nullable(&app.db, &objected).await, None);

    let (status, page) = client.get_page("/profil/donnees").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"action="/profil/donnees/actualites""#));
    assert!(page.contains("Je ne veux plus recevoir ces e-mails"));
    // The audience measurement has its own objection, per browser.
    assert!(page.contains(r#"action="/confidentialite/opposition""#));
    assert!(page.contains("Je m'oppose à la mesure d'audience"));

    let response = client
        .post_form("/profil/donnees/actualites", &[("choix", "opposition")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        header(response.headers(), "location"),
        "/profil/donnees?fait=choix#choix"
    );
    assert_eq!(
        nullable(&app.db, &objected).await,
        Some(app.clock_now().timestamp_millis())
    );
    let (_, page) = client.get_page("/profil/donnees?fait=choix").await;
    assert!(page.contains("Votre choix est enregistré."));
    assert!(page.contains(
        "Vous ne recevez pas nos e-mails d'actualité du service (choix fait le 02/03/2026)"
    ));
    assert!(page.contains("Recevoir à nouveau les actualités"));

    let response = client
        .post_form("/profil/donnees/actualites", &[("choix", "accord")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(nullable(&app.db, &objected).await, None);
    let (_, page) = client.get_page("/profil/donnees").await;
    assert!(page.contains("Je ne veux plus recevoir ces e-mails"));

    let response = client
        .post_form("/profil/donnees/actualites", &[("choix", "peut-etre")])
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(nullable(&app.db, &objected).await, None);
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'news_objection_changed'"
        )
        .await,
        2
    );

    // The audience objection, from the form the data page shows.
    let response = client
        .post_form("/confidentialite/opposition", &[("choix", "opposition")])
        .await;
    assert_eq!(response.status(), 303);
    let (_, page) = client.get_page("/profil/donnees").await;
    assert!(page.contains("Retirer mon opposition"));
    assert!(page.contains(r#"name="choix" value="mesure""#));
}

/// Every text value of every table, as `(table.column, value)`.
async fn every_text(db: &Db) -> Vec<(String, String)> {
    let columns: Vec<(String, String)> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(
                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND upper(p.type) NOT LIKE '%BLOB%' \
             AND upper(p.type) NOT LIKE '%INT%'",
            )
            .fetch_all(pool)
            .await
        }
        Db::Postgres(pool) => {
            sqlx::query_as(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')",
            )
            .fetch_all(pool)
            .await
        }
    }
    .expect("list the text columns");
    assert!(
        columns
            .iter()
            .any(|(t, c)| t == "contract_signatures" && c == "signer_name")
            && columns.iter().any(|(t, c)| t == "users" && c == "email")
            && columns
                .iter()
                .any(|(t, c)| t == "audit_log" && c == "detail"),
        "every table is read: {columns:?}"
    );
    let mut values = Vec::new();
    for (table, column) in columns {
        let sql = format!(
            "SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\" WHERE \"{column}\" IS NOT NULL"
        );
        let found: Vec<String> = match db {
            Db::Sqlite(pool) => sqlx::query_scalar(&sql).fetch_all(pool).await,
            Db::Postgres(pool) => sqlx::query_scalar(&sql).fetch_all(pool).await,
        }
        .expect(&sql);
        values.extend(found.into_iter().map(|v| (format!("{table}.{column}"), v)));
    }
    values
}

/// Where `needle` still is, outside `contract_signatures`.
fn holders(values: &[(String, String)], needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    values
        .iter()
        .filter(|(at, v)| {
            !at.starts_with("contract_signatures.") && v.to_lowercase().contains(&needle)
        })
        .map(|(at, _)| at.clone())
        .collect()
}

/// Posts the erasure form.
async fn erase(browser: &Browser, password: &str, confirmed: bool) -> reqwest::Response {
    let mut fields = vec![("mot_de_passe_effacement", password)];
    if confirmed {
        fields.push(("confirmation", "oui"));
    }
    browser.post_form("/profil/donnees/effacer", &fields).await
}

async fn erasing_the_last_user_leaves_nothing_but_the_contract_evidence(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = staff(&app).await;
    let filled = fill_everything(&app, &staff, CLIENT).await;
    let company = filled.company_id;
    let user = scalar(
        &app.db,
        &format!("SELECT id FROM users WHERE email = '{CLIENT}'"),
    )
    .await;
    // Some security events about the account.
    assert_ne!(
        app.browser()
            .login(CLIENT, "Mauvais-mot-de-passe-3")
            .await
            .status(),
        303
    );
    let other_session = app.browser();
    other_session.login_ok(CLIENT, PASSWORD).await;
    assert_eq!(other_session.get("/profil").await.status(), 200);
    let signatures = app.count("contract_signatures").await;
    assert_eq!(signatures, 1);
    // The scan sees what is stored: every marker, before the erasure.
    let before = every_text(&app.db).await;
    for m in &filled.held {
        assert!(
            before.iter().any(|(_, v)| v.contains(m.as_str())),
            "{m} is stored before the erasure"
        );
    }
    assert!(!holders(&before, CLIENT).is_empty());

    let response = erase(&filled.browser, PASSWORD, true).await;
    assert_eq!(response.status(), 200);
    let page = response.plain_text().await;
    assert!(page.contains("Votre compte est effacé"), "{page}");
    assert!(page.contains("Effacé") && page.contains("Conservé"));
    assert!(page.contains("Contrats de maintenance signés en ligne"));
    assert!(page.contains("Obligation légale"));
    let now = app.clock_now();

    // Nothing typed remains, nor the address, but in the signed contract.
    let values = every_text(&app.db).await;
    for m in filled.held.iter().chain(filled.replaced.iter()) {
        let found = holders(&values, m);
        assert!(found.is_empty(), "{m} is still in {found:?}");
    }
    let found = holders(&values, CLIENT);
    assert!(found.is_empty(), "the address is still in {found:?}");
    let kept = text(&app.db, "SELECT signer_name FROM contract_signatures").await;
    assert_eq!(
        kept.as_deref(),
        Some(filled.signer.as_str()),
        "the signer is kept"
    );
    assert_eq!(
        text(&app.db, "SELECT signer_email FROM contract_signatures")
            .await
            .as_deref(),
        Some(CLIENT)
    );

    // The evidence stays five years from now, the contract having ended.
    assert_eq!(app.count("contract_signatures").await, signatures);
    let expires = nullable(&app.db, "SELECT expires_at FROM contract_signatures")
        .await
        .expect("the end of the evidence's retention is set");
    let expected = Register::default()
        .retention(Purpose::ContractEvidence)
        .period
        .after(now);
    assert_eq!(expires, expected.timestamp_millis());
    let five_years = (now + Duration::days(5 * 365)).timestamp_millis();
    assert!(
        (five_years..=five_years + Duration::days(2).num_milliseconds()).contains(&expires),
        "about five years: {expires}"
    );

    // The account, the company's data and its sessions are gone.
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM users WHERE id = {user}")
        )
        .await,
        0
    );
    for table in [
        "buildings",
        "devices",
        "maintenance_requests",
        "request_messages",
        "proposal_requests",
        "proposal_devices",
        "contact_messages",
        "technician_applications",
        "registrations",
        "email_changes",
        "password_resets",
    ] {
        assert_eq!(app.count(table).await, 0, "{table}");
    }
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM sessions WHERE user_id = {user}")
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE subject_user_id = {user} OR actor_user_id = {user}"
            )
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'account_erased'"
        )
        .await,
        1
    );
    assert_eq!(
        text(
            &app.db,
            &format!("SELECT name FROM companies WHERE id = {company}")
        )
        .await
        .as_deref(),
        Some("Société effacée"),
        "the company's id is held by an emptied row while the evidence is kept"
    );
    // The rights request is kept as proof, without what identifies.
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM rights_requests WHERE email LIKE 'empreinte:%'"
        )
        .await,
        2
    );

    // Both sessions are over; the old credentials open nothing.
    for browser in [&filled.browser, &other_session] {
        let response = browser.get("/profil").await;
        assert_eq!(response.status(), 303);
        assert!(header(response.headers(), "location").starts_with("/connexion"));
    }
    assert_ne!(app.browser().login(CLIENT, PASSWORD).await.status(), 303);

    // The statement is mailed.
    let mail = app
        .wait_for_mail(CLIENT, "Votre compte WeMaintain a été effacé")
        .await;
    // Read across the 72-byte line wrap.
    let mail = mail.replace('\n', " ");
    assert!(mail.contains("Contrats de maintenance signés en ligne : conservé."));
    assert!(mail.contains("Votre profil (identité, coordonnées, rôle, mot de passe) : effacé."));

    // The person's own request, still open, is answered without a mail:
    // only a fingerprint of the address is left to write to.
    let open = scalar(
        &app.db,
        "SELECT id FROM rights_requests WHERE status = 'ouverte' AND email LIKE 'empreinte:%'",
    )
    .await;
    let mails_before = app.outbox().len();
    let closed = staff
        .post_form(
            &format!("/admin/droits/{open}/clore"),
            &[(
                "texte",
                "Votre compte a été effacé, ce qui répond à la demande.",
            )],
        )
        .await;
    assert_eq!(closed.status(), 303);
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM rights_requests WHERE id = {open} AND status = 'close'"),
        )
        .await,
        1
    );
    app.settled().await;
    assert_eq!(app.outbox().len(), mails_before, "no mail to a fingerprint");
    let exposition = app.metrics.render(0, 0);
    assert!(
        exposition.contains("wm_mail_failures_total 0"),
        "not even tried: {exposition}"
    );
}

async fn erasing_one_user_of_several_leaves_the_company_its_data(backend: Backend) {
    let app = spawn_app(backend).await;
    const COLLEAGUE: &str = "collegue@syndic-exemple.fr";
    let (company, client) = client_of_company(&app, CLIENT, "Syndic Exemple").await;
    let colleague_id = create_account(&app, Role::Client, COLLEAGUE).await;
    execute(
        &app.db,
        &format!("UPDATE users SET company_id = {company} WHERE id = {colleague_id}"),
    )
    .await
    .unwrap();
    let user = scalar(
        &app.db,
        &format!("SELECT id FROM users WHERE email = '{CLIENT}'"),
    )
    .await;

    let building = client
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
    let building = id_in(header(building.headers(), "location"), "/profil/batiments/");
    client
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &[
                ("type_appareil", "ascenseur"),
                ("emplacement", "Escalier A"),
                ("etat", "en_service"),
            ],
        )
        .await;
    let device = scalar(&app.db, "SELECT MAX(id) FROM devices")
        .await
        .to_string();
    let filed = client
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("appareil", &device),
                ("nature", "panne"),
                ("urgence", "appareil_arret"),
                ("description", "La cabine s'arrête entre deux étages."),
            ],
        )
        .await;
    let request = id_in(header(filed.headers(), "location"), "/profil/demandes/");
    client
        .post_form(
            &format!("/profil/demandes/{request}/messages"),
            &[("message", "Le gardien est prévenu.")],
        )
        .await;
    client
        .post_form(
            "/profil/propositions/nouvelle",
            &[("appareils", &device), ("message", "Une modernisation ?")],
        )
        .await;
    let counts = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            let mut counts = Vec::new();
            for table in [
                "buildings",
                "devices",
                "maintenance_requests",
                "request_messages",
                "proposal_requests",
            ] {
                counts.push(scalar(&db, &format!("SELECT COUNT(*) FROM {table}")).await);
            }
            counts
        }
    };
    let before = counts(&app).await;
    assert_eq!(before, vec![1, 1, 1, 1, 1]);

    let response = erase(&client, PASSWORD, true).await;
    assert_eq!(response.status(), 200);
    let page = response.plain_text().await;
    assert!(page.contains("1 autre utilisateur garde"), "{page}");

    assert_eq!(counts(&app).await, before, "the company keeps its data");
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM users WHERE id = {user}")
        )
        .await,
        0
    );
    assert_eq!(
        text(
            &app.db,
            &format!("SELECT name FROM companies WHERE id = {company}")
        )
        .await
        .as_deref(),
        Some("Syndic Exemple")
    );
    assert_eq!(
        nullable(
            &app.db,
            &format!("SELECT created_by FROM maintenance_requests WHERE id = {request}")
        )
        .await,
        None
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM request_messages WHERE author_id IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM proposal_requests WHERE created_by IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM users WHERE id = {colleague_id} AND company_id = {company}"
            )
        )
        .await,
        1
    );

    // The colleague still reads the request, the building and the device.
    let colleague = app.browser();
    colleague.login_ok(COLLEAGUE, PASSWORD).await;
    let (status, page) = colleague
        .get_page(&format!("/profil/demandes/{request}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("La cabine s") && page.contains("Le gardien est prévenu."));
    let (_, page) = colleague
        .get_page(&format!("/profil/batiments/{building}"))
        .await;
    assert!(page.contains("Résidence du Parc") && page.contains("Escalier A"));
    assert_ne!(app.browser().login(CLIENT, PASSWORD).await.status(), 303);
    assert_eq!(client.get("/profil").await.status(), 303);
    app.wait_for_mail(CLIENT, "Votre compte WeMaintain a été effacé")
        .await;
}

async fn erasure_needs_the_password_and_the_confirmation(backend: Backend) {
    let app = spawn_app(backend).await;
    let (company, client) = client_of_company(&app, CLIENT, "Syndic Exemple").await;
    client
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
    let users = app.count("users").await;

    for (password, confirmed, field, message) in [
        (
            "Mauvais-mot-de-passe-4",
            true,
            "mot_de_passe_effacement",
            "Ce n'est pas votre mot de passe.",
        ),
        (
            PASSWORD,
            false,
            "confirmation",
            "Cochez la case pour confirmer que vous voulez effacer votre compte.",
        ),
        (
            "",
            false,
            "mot_de_passe_effacement",
            "Indiquez votre mot de passe : il confirme que c'est bien vous.",
        ),
    ] {
        let response = erase(&client, password, confirmed).await;
        assert_eq!(response.status(), 422, "{field}");
        let page = response.plain_text().await;
        assert!(
            page.contains(&format!(r#"id="{field}-erreur""#)),
            "{field}: {page}"
        );
        assert!(
            page.contains(message) || page.contains(&message.replace('\'', "&#39;")),
            "{message}"
        );
        assert!(!page.contains("Votre compte est effacé"));
    }

    assert_eq!(app.count("users").await, users);
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM buildings WHERE company_id = {company}")
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'account_erased'"
        )
        .await,
        0
    );
    assert_eq!(client.get("/profil").await.status(), 200, "still logged in");
    assert!(logs_in(&app, CLIENT).await);
    assert!(
        !app.outbox()
            .iter()
            .any(|m| m.contains(&format!("To: {CLIENT}"))),
        "no statement mailed"
    );
}
