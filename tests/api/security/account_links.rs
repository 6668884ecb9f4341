//! Item 7 of the attack report, on the account's links and notices: a
//! confirmed address change left the other sessions and the reset links
//! alive, and `/profil/donnees?lien=<any text>` printed that text inside a
//! trusted notice.

use crate::helpers::{client_of_company, header, spawn_app, token_in, Backend, TestApp, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    a_new_address_ends_every_session_and_reset_link,
    the_data_page_prints_no_notice_from_the_query,
);

const OLD: &str = "ancienne@copro-exemple.fr";
const NEW: &str = "nouvelle@copro-exemple.fr";

/// The newest reset link's token mailed to `to`.
async fn reset_token(app: &TestApp, to: &str) -> String {
    app.wait_for_mail(to, "/mot-de-passe-oublie/nouveau?jeton=")
        .await;
    app.outbox()
        .iter()
        .rev()
        .find_map(|m| {
            m.contains(&format!("To: {to}"))
                .then(|| token_in(m, "/mot-de-passe-oublie/nouveau"))
                .flatten()
        })
        .expect("a reset link")
}

async fn a_new_address_ends_every_session_and_reset_link(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, OLD, "Copro Exemple").await;
    let elsewhere = app.browser();
    elsewhere.login_ok(OLD, PASSWORD).await;
    let asked = app
        .browser()
        .post_form("/mot-de-passe-oublie", &[("email", OLD)])
        .await;
    assert_eq!(asked.status(), 303);
    let reset = reset_token(&app, OLD).await;

    let asked = client
        .post_form(
            "/profil/donnees/email",
            &[("nouvel_email", NEW), ("mot_de_passe_email", PASSWORD)],
        )
        .await;
    assert_eq!(
        header(asked.headers(), "location"),
        "/profil/donnees?fait=lien"
    );
    let token = app.link_token(NEW, "/compte/adresse/confirmer").await;
    let confirmed = app
        .browser()
        .post_form("/compte/adresse/confirmer", &[("jeton", &token)])
        .await;
    assert_eq!(confirmed.status(), 200);

    for (who, browser) in [("the requester", &client), ("another device", &elsewhere)] {
        assert_eq!(
            browser.get("/profil").await.status(),
            303,
            "{who}'s session outlives the address change"
        );
    }
    let (status, page) = app
        .browser()
        .get_page(&format!("/mot-de-passe-oublie/nouveau?jeton={reset}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        !page.contains(r#"name="jeton""#),
        "a reset link asked under the old address still works"
    );
    app.browser().login_ok(NEW, PASSWORD).await;
}

async fn the_data_page_prints_no_notice_from_the_query(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, OLD, "Copro Exemple").await;
    let forged = "Votre compte sera suspendu : appelez le 08 99 00 00 00";
    let (status, page) = client
        .get_page(&format!(
            "/profil/donnees?lien={}&fait=lien",
            forged.replace(' ', "%20")
        ))
        .await;
    assert_eq!(status, 200);
    assert!(!page.contains("appelez le 08 99"), "the query is printed");
    assert!(
        !page.contains("Un lien de confirmation a été envoyé"),
        "a notice without a link sent"
    );
}
