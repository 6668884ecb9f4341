//! Cross-site request forgery: a form's token is bound to the session that
//! drew it (or, before login, to the browser's own pre-session secret),
//! masked anew in every page, and every POST coming from another site is
//! refused on its `Sec-Fetch-Site` or `Origin` before its body is read.

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use reqwest::StatusCode;
use wemaintain::auth::Role;

use crate::helpers::{
    client_of_company, create_account, csrf_in, scalar, spawn_app, spawn_app_with, Backend,
    Browser, TestApp, DESKTOP_CHROME, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_token_minted_in_another_browser_does_not_work_in_a_session,
    each_page_masks_the_token_anew_and_every_mask_works,
    posts_from_another_site_are_refused_whatever_their_token,
    cookies_carry_the_host_prefix_behind_https,
);

const VICTIM: &str = "victime.csrf@syndic-exemple.fr";
const ATTACKER: &str = "attaquant.csrf@autre-syndic.fr";
const FORM_REFUSED: &str = "Formulaire expiré";

/// A browser whose cookies the test can read.
fn browser_with_jar(app: &TestApp) -> (Browser, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let browser = Browser {
        client: reqwest::Client::builder()
            .user_agent(DESKTOP_CHROME)
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client"),
        address: app.address.clone(),
    };
    (browser, jar)
}

/// The `name=value` pair of one cookie of a jar.
fn cookie_of(app: &TestApp, jar: &Jar, name: &str) -> String {
    let site: reqwest::Url = app.address.parse().expect("the site's address");
    let cookies = jar.cookies(&site).expect("the browser holds cookies");
    cookies
        .to_str()
        .expect("ASCII cookies")
        .split("; ")
        .find(|pair| pair.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {cookies:?}"))
        .to_owned()
}

/// A client without cookies of its own: every cookie is in `cookie`.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(DESKTOP_CHROME)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

fn news_objection(email: &str) -> String {
    format!("SELECT COALESCE(news_objected_at, 0) FROM users WHERE email = '{email}'")
}

/// The attacker's browser (anonymous, or logged into their own account)
/// gives its cookie and its field; the victim's browser is made to post them
/// along with its own session cookie. Nothing may change for the victim.
async fn a_token_minted_in_another_browser_does_not_work_in_a_session(backend: Backend) {
    let app = spawn_app(backend).await;
    client_of_company(&app, VICTIM, "Syndic Victime").await;
    client_of_company(&app, ATTACKER, "Syndic Attaquant").await;
    let (victim, victim_jar) = browser_with_jar(&app);
    victim.login_ok(VICTIM, PASSWORD).await;
    let victim_session = cookie_of(&app, &victim_jar, "wm_session");

    let (anonymous, anonymous_jar) = browser_with_jar(&app);
    let (logged_in, logged_in_jar) = browser_with_jar(&app);
    logged_in.login_ok(ATTACKER, PASSWORD).await;
    let audit_rows = app.count("audit_log").await;
    for (who, attacker, jar) in [
        ("an anonymous browser", &anonymous, &anonymous_jar),
        ("the attacker's own session", &logged_in, &logged_in_jar),
    ] {
        let token = attacker.csrf_token().await;
        let attacker_csrf = cookie_of(&app, jar, "wm_csrf");
        for (path, fields) in [
            (
                "/profil/donnees/actualites",
                vec![("choix", "opposition"), ("csrf", token.as_str())],
            ),
            ("/deconnexion", vec![("csrf", token.as_str())]),
        ] {
            let response = bare_client()
                .post(app.url(path))
                .header("cookie", format!("{attacker_csrf}; {victim_session}"))
                .form(&fields)
                .send()
                .await
                .expect("the server answers");
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "POST {path} with a token of {who}"
            );
            let page = response.text().await.expect("a page");
            assert!(page.contains(FORM_REFUSED), "{page}");
        }
    }
    assert_eq!(scalar(&app.db, &news_objection(VICTIM)).await, 0);
    assert_eq!(app.count("audit_log").await, audit_rows, "nothing written");
    let (status, _) = victim.get_page("/profil").await;
    assert_eq!(status, StatusCode::OK, "the victim is still logged in");

    // The victim's own form still works.
    let response = victim
        .post_form("/profil/donnees/actualites", &[("choix", "opposition")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_ne!(scalar(&app.db, &news_objection(VICTIM)).await, 0);

    // A secret planted before login is worthless after it: the login
    // replaces the browser's pre-session cookie.
    let (fresh, fresh_jar) = browser_with_jar(&app);
    fresh.csrf_token().await;
    let before_login = cookie_of(&app, &fresh_jar, "wm_csrf");
    fresh.login_ok(VICTIM, PASSWORD).await;
    assert_ne!(cookie_of(&app, &fresh_jar, "wm_csrf"), before_login);
}

/// The token of the first form of a page.
async fn page(browser: &Browser, path: &str) -> String {
    let (status, page) = browser.get_page(path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    csrf_in(&page).expect("a form carries a csrf field")
}

/// BREACH: a page that reflects input and is compressed must not carry the
/// same token bytes twice; every masked copy stays valid.
async fn each_page_masks_the_token_anew_and_every_mask_works(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, VICTIM, "Syndic Victime").await;
    let first = page(&client, "/profil/donnees").await;
    let second = page(&client, "/profil/donnees").await;
    assert_ne!(first, second, "each page masks the token anew");
    for (token, choice) in [(&first, "opposition"), (&second, "accord")] {
        let response = client
            .client
            .post(client.url("/profil/donnees/actualites"))
            .form(&[("choix", choice), ("csrf", token.as_str())])
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{choice}");
    }
    assert_eq!(scalar(&app.db, &news_objection(VICTIM)).await, 0);

    // Before login too.
    let visitor = app.browser();
    let first = page(&visitor, "/confidentialite/opposition").await;
    let second = page(&visitor, "/confidentialite/opposition").await;
    assert_ne!(first, second);
    for token in [&first, &second] {
        let response = visitor
            .client
            .post(visitor.url("/confidentialite/opposition"))
            .form(&[("choix", "opposition"), ("csrf", token.as_str())])
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
}

/// Browsers say where a POST comes from; the site's own origin is
/// `WM_PUBLIC_URL`, never what the request says its host is.
async fn posts_from_another_site_are_refused_whatever_their_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, VICTIM, "Syndic Victime").await;
    let audit_rows = app.count("audit_log").await;
    let own = app.address.as_str();
    let refused: [&[(&str, &str)]; 6] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("sec-fetch-site", "cross-site"), ("origin", own)],
        &[("origin", "http://evil.example")],
        &[("origin", "null")],
        &[
            ("x-forwarded-host", "evil.example"),
            ("origin", "http://evil.example"),
        ],
    ];
    for headers in refused {
        let token = client.csrf_token().await;
        let mut request = client
            .client
            .post(client.url("/profil/donnees/actualites"))
            .form(&[("choix", "opposition"), ("csrf", token.as_str())]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the server answers");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
        let page = response.text().await.expect("a page");
        assert!(page.contains(FORM_REFUSED), "{headers:?}: {page}");

        // An anonymous form too.
        let visitor = app.browser();
        let token = visitor.csrf_token().await;
        let mut request = visitor
            .client
            .post(visitor.url("/confidentialite/opposition"))
            .form(&[("choix", "opposition"), ("csrf", token.as_str())]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the server answers");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
    }
    assert_eq!(scalar(&app.db, &news_objection(VICTIM)).await, 0);
    assert_eq!(app.count("audit_log").await, audit_rows, "nothing written");

    let accepted: [&[(&str, &str)]; 4] = [
        &[("origin", own)],
        &[("sec-fetch-site", "same-origin"), ("origin", own)],
        &[("sec-fetch-site", "none")],
        // A client that is not a browser says neither: the token decides.
        &[],
    ];
    for headers in accepted {
        let token = client.csrf_token().await;
        let mut request = client
            .client
            .post(client.url("/profil/donnees/actualites"))
            .form(&[("choix", "opposition"), ("csrf", token.as_str())]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the server answers");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{headers:?}");
    }
    assert_ne!(scalar(&app.db, &news_objection(VICTIM)).await, 0);
}

/// The value of each `Set-Cookie` header.
fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .map(str::to_owned)
        .collect()
}

/// Behind TLS the cookies are `__Host-` cookies: no subdomain of the site
/// (nor a plain-http page) can plant or overwrite them.
async fn cookies_carry_the_host_prefix_behind_https(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.https = true).await;
    create_account(&app, Role::Client, VICTIM).await;
    // The test client would not send `Secure` cookies back over http: the
    // cookies are sent by hand.
    let http = bare_client();
    let response = http.get(app.url("/connexion")).send().await.unwrap();
    let cookies = set_cookies(&response);
    let csrf = cookies
        .iter()
        .find(|c| c.contains("wm_csrf="))
        .unwrap_or_else(|| panic!("a csrf cookie: {cookies:?}"))
        .clone();
    assert!(csrf.starts_with("__Host-wm_csrf="), "{csrf}");
    for part in ["Path=/", "Secure", "HttpOnly"] {
        assert!(csrf.contains(part), "{part}: {csrf}");
    }
    assert!(!csrf.contains("Domain"), "{csrf}");
    let token = csrf_in(&response.text().await.unwrap()).expect("a csrf field");
    let pair = csrf.split(';').next().unwrap().to_owned();

    let response = http
        .post(app.url("/connexion"))
        .header("cookie", &pair)
        .form(&[
            ("email", VICTIM),
            ("mot_de_passe", PASSWORD),
            ("csrf", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookies = set_cookies(&response);
    let session = cookies
        .iter()
        .find(|c| c.contains("wm_session="))
        .unwrap_or_else(|| panic!("a session cookie: {cookies:?}"));
    assert!(session.starts_with("__Host-wm_session="), "{session}");
    for part in ["Path=/", "Secure", "HttpOnly"] {
        assert!(session.contains(part), "{part}: {session}");
    }
    assert!(!session.contains("Domain"), "{session}");
    assert!(
        cookies
            .iter()
            .all(|c| c.starts_with("__Host-") || !c.contains("wm_")),
        "{cookies:?}"
    );
}
