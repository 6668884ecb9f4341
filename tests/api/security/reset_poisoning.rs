//! What held in the attack, kept: a reset link is built from
//! `WM_PUBLIC_URL`, never from the `Host` or `X-Forwarded-Host` a request
//! carries, so that a forged request cannot mail the owner a link to
//! another site that would capture the token.

use wemaintain::auth::Role;

use crate::helpers::{create_account, spawn_app, Backend};
use crate::on_both_backends;

on_both_backends!(a_reset_link_never_points_where_the_request_says);

async fn a_reset_link_never_points_where_the_request_says(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, "marie@syndic.fr").await;
    let browser = app.browser();
    let token = browser.csrf_token().await;
    let response = browser
        .client
        .post(browser.url("/mot-de-passe-oublie"))
        .header("Host", "evil.example")
        .header("X-Forwarded-Host", "evil.example")
        .header("X-Forwarded-Proto", "https")
        .form(&[("email", "marie@syndic.fr"), ("csrf", token.as_str())])
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 303);
    let mail = app
        .wait_for_mail("marie@syndic.fr", "/mot-de-passe-oublie/nouveau?jeton=")
        .await;
    assert!(!mail.contains("evil.example"), "{mail}");
    assert!(
        mail.contains(&format!(
            "{}/mot-de-passe-oublie/nouveau?jeton=",
            app.address
        )),
        "{mail}"
    );
}
