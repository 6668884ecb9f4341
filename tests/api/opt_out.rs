//! `/confidentialite/opposition`: the visitor objects, or withdraws, in one click.

use crate::helpers::PlainText;
use crate::helpers::{csrf_in, header, spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_visitor_objects_and_withdraws_with_one_button,
    the_page_says_when_the_browser_already_refuses,
    the_choice_cannot_be_changed_from_another_site_or_with_a_bad_form,
);

/// Posts the opt-out form with `choix` and extra request headers.
async fn choose(
    app: &TestApp,
    token: &str,
    choice: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/confidentialite/opposition"))
        .form(&[("choix", choice), ("csrf", token)]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("the server answers")
}

async fn a_visitor_objects_and_withdraws_with_one_button(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, _, page) = app.get_page("/confidentialite/opposition").await;
    assert_eq!(status, 200);
    assert!(page.contains("La mesure d'audience est active pour ce navigateur"));
    assert!(page.contains(r#"name="choix" value="opposition""#));
    // The page says how long each kind of row is kept, from the register.
    assert!(page.contains("13 mois à compter de la collecte"));
    assert!(page.contains("6 mois à compter de la collecte"));
    let token = csrf_in(&page).expect("the form carries a CSRF token");

    let response = choose(&app, &token, "opposition", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        header(response.headers(), "location"),
        "/confidentialite/opposition?enregistre=1"
    );
    let cookie = header(response.headers(), "set-cookie").to_owned();
    // The choice, and nothing that could identify the visitor.
    assert!(cookie.starts_with("wm_mesure_audience=refus;"), "{cookie}");
    assert!(cookie.contains("Max-Age=34214400"), "13 months: {cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let (_, _, page) = app
        .get_page("/confidentialite/opposition?enregistre=1")
        .await;
    assert!(page.contains("Votre choix est enregistré."));
    assert!(page.contains("Votre opposition à la mesure d'audience est enregistrée"));
    assert!(page.contains(r#"name="choix" value="mesure""#));

    // Counted no more.
    app.get("/services").await;

    let response = choose(&app, &token, "mesure", &[]).await;
    assert_eq!(response.status(), 303);
    assert!(header(response.headers(), "set-cookie").contains("Max-Age=0"));
    let (_, _, page) = app.get_page("/confidentialite/opposition").await;
    assert!(page.contains("La mesure d'audience est active pour ce navigateur"));

    let app = app.stop().await;
    let audience: Vec<String> = app
        .visits_of("audience")
        .await
        .into_iter()
        .map(|v| v.url)
        .collect();
    // The first view of the page, before the objection, and the last one, after the withdrawal.
    assert_eq!(
        audience,
        ["/confidentialite/opposition", "/confidentialite/opposition"]
    );
    // Every request, objection or not, is in the security log; the
    // `enregistre` marker is not an allowed parameter and is dropped.
    let security: Vec<String> = app
        .visits_of("security")
        .await
        .into_iter()
        .map(|v| v.url)
        .collect();
    assert_eq!(security.len(), 6, "{security:?}");
    assert!(security.iter().all(|url| !url.contains("enregistre")));
}

async fn the_page_says_when_the_browser_already_refuses(backend: Backend) {
    let app = spawn_app(backend).await;
    let page = app
        .get_with("/confidentialite/opposition", &[("Sec-GPC", "1")])
        .await
        .plain_text()
        .await;
    assert!(page.contains("Votre navigateur refuse la mesure d'audience"));
}

async fn the_choice_cannot_be_changed_from_another_site_or_with_a_bad_form(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.csrf_token().await;
    let forged = choose(
        &app,
        &token,
        "mesure",
        &[("Origin", "https://evil.example")],
    )
    .await;
    assert_eq!(forged.status(), 403);
    assert!(forged.headers().get("set-cookie").is_none());
    assert!(forged.text().await.unwrap().contains("Erreur 403"));

    let cross_site = choose(
        &app,
        &token,
        "opposition",
        &[("Sec-Fetch-Site", "cross-site")],
    )
    .await;
    assert_eq!(cross_site.status(), 403);

    let same_origin = choose(
        &app,
        &token,
        "opposition",
        &[
            ("Origin", app.address.as_str()),
            ("Sec-Fetch-Site", "same-origin"),
        ],
    )
    .await;
    assert_eq!(same_origin.status(), 303);

    for body in ["choix=peut-etre", "", "choix="] {
        let bad = app
            .client
            .post(app.url("/confidentialite/opposition"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("{body}&csrf={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 400, "{body:?}");
        assert!(bad.headers().get("set-cookie").is_none());
        assert!(bad.text().await.unwrap().contains("Requête incorrecte"));
    }
}
