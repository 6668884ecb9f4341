//! Item 7 of the attack report: SQLite gave the id of a deleted row to the
//! next one, so after the newest sign-up was validated, the next sign-up
//! got its number, and the staff e-mail's link for the first opened the
//! second. No id that appears in a URL or an e-mail is ever given again.

use wemaintain::auth::Role;

use crate::helpers::{
    client_of_company, create_account, scalar, spawn_app, Backend, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(ids_shown_in_links_are_never_given_again);

const STAFF: &str = "equipe@wemaintain.com";

async fn confirmed_sign_up(app: &TestApp, email: &str) -> i64 {
    let fields = [
        ("prenom", "Louise"),
        ("nom", "Garnier"),
        ("sexe", "madame"),
        ("role", "Gestionnaire"),
        ("email", email),
        ("telephone", "06 12 34 56 78"),
        ("societe", "Syndic des Halles"),
        ("type_societe", "agence"),
        ("adresse", "2 place des Halles"),
        ("ville", "Strasbourg"),
        ("code_postal", "67000"),
        ("pays", "FR"),
        ("mot_de_passe", PASSWORD),
        ("confirmation", PASSWORD),
    ];
    let sent = app.browser().post_form("/inscription", &fields).await;
    assert_eq!(sent.status(), 303);
    app.confirm_registration(email).await;
    scalar(
        &app.db,
        &format!("SELECT id FROM registrations WHERE email = '{email}'"),
    )
    .await
}

async fn ids_shown_in_links_are_never_given_again(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    let staff = app.browser();
    staff.login_ok(STAFF, PASSWORD).await;

    // A sign-up validated leaves the table; the next one gets a new number,
    // and the first one's staff link opens nothing.
    let first = confirmed_sign_up(&app, "premiere@syndic-halles.fr").await;
    let validated = staff
        .post_form(&format!("/admin/inscriptions/{first}/valider"), &[])
        .await;
    assert_eq!(validated.status(), 303);
    let second = confirmed_sign_up(&app, "seconde@syndic-halles.fr").await;
    assert!(second > first, "sign-up {second} reuses the id of {first}");
    let (status, _) = staff
        .get_page(&format!("/admin/inscriptions/{first}"))
        .await;
    assert_eq!(status, 404);

    // An erased account and its company leave no id to the next ones.
    let (company, client) = client_of_company(&app, "partante@copro.fr", "Copro Partante").await;
    let user = scalar(&app.db, "SELECT MAX(id) FROM users").await;
    let erased = client
        .post_form(
            "/profil/donnees/effacer",
            &[
                ("mot_de_passe_effacement", PASSWORD),
                ("confirmation", "oui"),
            ],
        )
        .await;
    assert!(erased.status().is_success(), "{}", erased.status());
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM users WHERE id = {user}")
        )
        .await,
        0
    );
    let (next_company, _) = client_of_company(&app, "arrivante@copro.fr", "Copro Arrivante").await;
    let next_user = scalar(&app.db, "SELECT MAX(id) FROM users").await;
    assert!(
        next_user > user,
        "account {next_user} reuses the id of {user}"
    );
    assert!(
        next_company > company,
        "company {next_company} reuses the id of {company}"
    );
}
