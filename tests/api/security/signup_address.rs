//! Item 1 of the attack report: nobody could prove they owned the address
//! they signed up with, so whoever typed someone else's address got, once
//! staff validated the account, every question, application and rights
//! request sent with it (and could erase them).

use chrono::Duration;
use wemaintain::auth::Role;
use wemaintain::metrics::Metrics;
use wemaintain::privacy::purge::{purge, PurgeMode};
use wemaintain::privacy::Register;

use crate::helpers::PlainText;
use crate::helpers::{
    client_of_company, create_account, header, scalar, spawn_app, token_in, wait, Backend, Browser,
    TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_sign_up_reaches_staff_only_once_its_address_is_proven,
    an_unconfirmed_sign_up_is_purged_after_seven_days,
    a_stranger_cannot_hold_an_address_with_an_unconfirmed_sign_up,
    an_account_gets_what_was_sent_with_its_address_only_once_proven,
);

const VICTIM: &str = "claire.victime@copro-exemple.fr";
const STAFF: &str = "equipe@wemaintain.com";

fn sign_up<'a>(first_name: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("prenom", first_name),
        ("nom", "Lambert"),
        ("sexe", "madame"),
        ("role", "Gestionnaire"),
        ("email", email),
        ("telephone", "06 12 34 56 78"),
        ("societe", "Copro Exemple"),
        ("type_societe", "agence"),
        ("adresse", "8 rue des Lilas"),
        ("ville", "Lyon"),
        ("code_postal", "69003"),
        ("pays", "FR"),
        ("mot_de_passe", PASSWORD),
        ("confirmation", PASSWORD),
    ]
}

async fn staff(app: &TestApp) -> Browser {
    create_account(app, Role::Admin, STAFF).await;
    let staff = app.browser();
    staff.login_ok(STAFF, PASSWORD).await;
    staff
}

fn mails_to(app: &TestApp, to: &str) -> usize {
    app.outbox()
        .iter()
        .filter(|m| m.contains(&format!("To: {to}")))
        .count()
}

async fn a_sign_up_reaches_staff_only_once_its_address_is_proven(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = staff(&app).await;
    let visitor = app.browser();
    let sent = visitor
        .post_form("/inscription", &sign_up("Claire", VICTIM))
        .await;
    assert_eq!(header(sent.headers(), "location"), "/inscription/envoyee");
    let id = scalar(&app.db, "SELECT MAX(id) FROM registrations").await;

    // Before the link is opened, staff see nothing and hear of nothing.
    let token = app.link_token(VICTIM, "/inscription/confirmer").await;
    assert!(token.len() >= 40, "a long random token: {token:?}");
    let (_, list) = staff.get_page("/admin/inscriptions").await;
    assert!(!list.contains("Claire"), "an unproven sign-up is listed");
    let (status, _) = staff.get_page(&format!("/admin/inscriptions/{id}")).await;
    assert_eq!(status, 404);
    let validated = staff
        .post_form(&format!("/admin/inscriptions/{id}/valider"), &[])
        .await;
    assert_eq!(
        header(validated.headers(), "location"),
        "/admin/inscriptions?fait=deja",
        "an unproven sign-up is validated"
    );
    assert_eq!(app.count("users").await, 1, "no account was opened");
    assert_eq!(mails_to(&app, STAFF), 0, "staff were told too early");
    let login = visitor.login(VICTIM, PASSWORD).await;
    assert_eq!(login.status(), 200);
    assert!(login
        .plain_text()
        .await
        .contains("n'est pas encore confirmée"));

    // Opening the link shows a button; only its POST confirms.
    let (status, page) = app
        .browser()
        .get_page(&format!("/inscription/confirmer?jeton={token}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!(r#"name="jeton" value="{token}""#)));
    assert_eq!(mails_to(&app, STAFF), 0);
    let confirmed = app
        .browser()
        .post_form("/inscription/confirmer", &[("jeton", &token)])
        .await;
    assert_eq!(confirmed.status(), 200);
    assert!(confirmed.plain_text().await.contains("Adresse confirmée"));
    let told = app.wait_for_mail(STAFF, "Nouvelle demande de compte").await;
    assert!(
        told.contains(&format!("/admin/inscriptions/{id}")),
        "{told}"
    );
    let (_, list) = staff.get_page("/admin/inscriptions").await;
    assert!(list.contains("Claire"));

    // The link serves once.
    let again = app
        .browser()
        .post_form("/inscription/confirmer", &[("jeton", &token)])
        .await;
    assert_eq!(again.status(), 404);

    // Validated, the account knows its address was proven.
    let validated = staff
        .post_form(&format!("/admin/inscriptions/{id}/valider"), &[])
        .await;
    assert_eq!(validated.status(), 303);
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM users WHERE email = '{VICTIM}' AND email_confirmed_at IS NOT NULL")
        )
        .await,
        1
    );
}

async fn an_unconfirmed_sign_up_is_purged_after_seven_days(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    app.browser()
        .post_form("/inscription", &sign_up("Claire", VICTIM))
        .await;
    let token = app.link_token(VICTIM, "/inscription/confirmer").await;
    app.clock.advance(Duration::days(7) + Duration::minutes(1));
    let late = app
        .browser()
        .post_form("/inscription/confirmer", &[("jeton", &token)])
        .await;
    assert_eq!(late.status(), 404, "a link older than 7 days works");
    assert_eq!(app.count("registrations").await, 1);
    purge(
        &app.db,
        &Register::default(),
        app.clock_now(),
        100,
        PurgeMode::Delete,
        &Metrics::default(),
    )
    .await
    .expect("the purge runs");
    assert_eq!(
        app.count("registrations").await,
        0,
        "an unconfirmed sign-up outlives its 7 days"
    );
}

async fn a_stranger_cannot_hold_an_address_with_an_unconfirmed_sign_up(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = staff(&app).await;
    // Someone types the victim's address first…
    app.browser()
        .post_form("/inscription", &sign_up("Usurpateur", VICTIM))
        .await;
    let stranger_token = app.link_token(VICTIM, "/inscription/confirmer").await;
    // …then the owner asks for an account: the same answer, a fresh link.
    let sent = app
        .browser()
        .post_form("/inscription", &sign_up("Claire", VICTIM))
        .await;
    assert_eq!(header(sent.headers(), "location"), "/inscription/envoyee");
    let owner_token = second_link(&app, &stranger_token).await;
    let stale = app
        .browser()
        .post_form("/inscription/confirmer", &[("jeton", &stranger_token)])
        .await;
    assert_eq!(
        stale.status(),
        404,
        "the replaced sign-up's link still works"
    );
    let confirmed = app
        .browser()
        .post_form("/inscription/confirmer", &[("jeton", &owner_token)])
        .await;
    assert_eq!(confirmed.status(), 200);
    let (_, list) = staff.get_page("/admin/inscriptions").await;
    assert!(list.contains("Claire") && !list.contains("Usurpateur"));

    // A confirmed request holds the address: a new one is told apart only
    // in the e-mail to the address's owner.
    let known = app
        .browser()
        .post_form("/inscription", &sign_up("Usurpateur", VICTIM))
        .await;
    assert_eq!(header(known.headers(), "location"), "/inscription/envoyee");
    app.wait_for_mail(VICTIM, "déjà un compte ou une demande en cours")
        .await;
    assert_eq!(app.count("registrations").await, 1);
}

/// The sign-up link mailed to the victim other than `first`.
async fn second_link(app: &TestApp, first: &str) -> String {
    wait::until("a second sign-up link", || async {
        app.outbox()
            .iter()
            .filter(|m| m.contains(&format!("To: {VICTIM}")))
            .filter_map(|m| token_in(m, "/inscription/confirmer"))
            .find(|token| token != first)
    })
    .await
}

/// Sends a question, an application and a confirmed rights request with
/// `email`, as its owner would from the public forms.
async fn send_everything_with(app: &TestApp, email: &str) {
    let visitor = app.browser();
    let asked = visitor
        .post_form(
            "/contact",
            &[
                ("prenom", "Claire"),
                ("nom", "Lambert"),
                ("telephone", "06 11 22 33 44"),
                ("email", email),
                ("message", "Question confidentielle sur notre ascenseur"),
            ],
        )
        .await;
    assert_eq!(asked.status(), 303);
    let applied = visitor
        .post_form(
            "/techniciens",
            &[
                ("prenom", "Claire"),
                ("nom", "Lambert"),
                ("telephone", "06 55 44 33 22"),
                ("email", email),
                ("experience", "7"),
                ("entreprise", "Ascenseurs du Rhône"),
            ],
        )
        .await;
    assert_eq!(applied.status(), 303);
    let requested = visitor
        .post_form(
            "/confidentialite/demande",
            &[
                ("droit", "acces"),
                ("email", email),
                ("message", "Merci de me transmettre mes données"),
            ],
        )
        .await;
    assert_eq!(requested.status(), 303);
    let token = app
        .link_token(email, "/confidentialite/demande/confirmer")
        .await;
    let confirmed = visitor
        .post_form("/confidentialite/demande/confirmer", &[("jeton", &token)])
        .await;
    assert_eq!(confirmed.status(), 200);
}

async fn copy(browser: &Browser) -> serde_json::Value {
    let response = browser
        .post_form(
            "/profil/donnees/copie",
            &[("format", "json"), ("mot_de_passe", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("a JSON copy")
}

fn held(copy: &serde_json::Value) -> [usize; 3] {
    [
        "contact_messages",
        "technician_applications",
        "rights_requests",
    ]
    .map(|key| copy[key].as_array().map_or(0, Vec::len))
}

async fn an_account_gets_what_was_sent_with_its_address_only_once_proven(backend: Backend) {
    let app = spawn_app(backend).await;
    send_everything_with(&app, VICTIM).await;
    // An account whose address nobody proved (made before the check, or
    // from the command line) holds the victim's address.
    let (_, holder) = client_of_company(&app, VICTIM, "Copro Exemple").await;
    assert_eq!(
        held(&copy(&holder).await),
        [0, 0, 0],
        "a stranger's records leak"
    );
    let (_, page) = holder.get_page("/profil/donnees").await;
    assert!(page.contains("n'est pas encore confirmée"));

    // Erasing such an account leaves the owner's records.
    let (_, eraser) = client_of_company(&app, "autre@copro-exemple.fr", "Autre Copro").await;
    assert_eq!(held(&copy(&eraser).await), [0, 0, 0]);
    let erased = holder
        .post_form(
            "/profil/donnees/effacer",
            &[
                ("mot_de_passe_effacement", PASSWORD),
                ("confirmation", "oui"),
            ],
        )
        .await;
    assert!(erased.status().is_success(), "{}", erased.status());
    assert_eq!(app.count("contact_messages").await, 1);
    assert_eq!(app.count("technician_applications").await, 1);
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM rights_requests WHERE email = '{VICTIM}'")
        )
        .await,
        1
    );

    // The owner, once they prove the address from their account, gets them.
    let (_, owner) = client_of_company(&app, VICTIM, "Copro Exemple").await;
    let asked = owner
        .post_form("/profil/donnees/email/confirmer", &[])
        .await;
    assert_eq!(
        header(asked.headers(), "location"),
        "/profil/donnees?fait=lien"
    );
    let (_, page) = owner.get_page("/profil/donnees?fait=lien").await;
    assert!(page.contains("Un lien de confirmation a été envoyé à"));
    let token = app.link_token(VICTIM, "/compte/adresse/confirmer").await;
    let confirmed = app
        .browser()
        .post_form("/compte/adresse/confirmer", &[("jeton", &token)])
        .await;
    assert_eq!(confirmed.status(), 200);
    assert!(confirmed
        .plain_text()
        .await
        .contains("Adresse e-mail confirmée"));
    assert_eq!(owner.get("/profil").await.status(), 200, "still logged in");
    assert_eq!(held(&copy(&owner).await), [1, 1, 1]);
}
