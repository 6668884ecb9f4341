//! Who may open what: the whole route × role matrix, drawn from the route
//! table; the way back to the page asked for after logging in; the CSRF
//! check that every form of the site goes through.

use std::sync::Arc;

use reqwest::cookie::Jar;
use reqwest::StatusCode;
use wemaintain::auth::csrf::CSRF_COOKIE;
use wemaintain::auth::{encode_query_value, Access, Role};
use wemaintain::routes::{RouteSpec, Verb, ROUTES};

use crate::helpers::{
    create_account, csrf_in, header, spawn_app, Backend, Browser, TestApp, DESKTOP_CHROME, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    every_route_answers_each_role_as_the_route_table_says,
    a_logged_out_visitor_comes_back_to_the_page_asked_for,
    every_post_route_refuses_a_missing_or_wrong_csrf_token,
    a_wrong_method_is_405_not_a_csrf_error,
    a_valid_form_under_the_64_kib_limit_is_read_whole,
);

const CLIENT: &str = "client@example.fr";
const MARKETING: &str = "marketing@example.fr";
const ADMIN: &str = "admin@example.fr";

/// What the access guard says to a logged-in role it does not let in.
const ROLE_REFUSED: &str = "Accès réservé";
/// What the CSRF check says to a form it refuses.
const FORM_REFUSED: &str = "Formulaire expiré";

/// A token of the right shape that the site never signed.
const FORGED: &str = "forged.AAAA";

/// Every table that a form of the site writes to.
const FORM_TABLES: [&str; 10] = [
    "users",
    "buildings",
    "devices",
    "registrations",
    "contact_messages",
    "technician_applications",
    "sessions",
    "password_resets",
    "audit_log",
    "rate_limits",
];

/// One browser of the matrix: anonymous, or logged in with a role.
struct Visitor {
    who: &'static str,
    role: Option<Role>,
    email: &'static str,
    browser: Browser,
    /// The CSRF token of the browser's session (a login gives a new one).
    token: String,
}

impl Visitor {
    async fn new(
        app: &TestApp,
        who: &'static str,
        role: Option<Role>,
        email: &'static str,
    ) -> Visitor {
        let browser = app.browser();
        if let Some(role) = role {
            create_account(app, role, email).await;
            browser.login_ok(email, PASSWORD).await;
        }
        let token = browser.csrf_token().await;
        Visitor {
            who,
            role,
            email,
            browser,
            token,
        }
    }

    /// Whether the browser is still logged in: the login page sends a
    /// logged-in person to their space, and shows the form to anyone else.
    async fn is_logged_in(&self) -> bool {
        let response = self.browser.get("/connexion").await;
        response.status() == StatusCode::SEE_OTHER
    }
}

/// What a request got back.
struct Answer {
    status: StatusCode,
    location: String,
    body: String,
}

fn verb_name(verb: Verb) -> &'static str {
    match verb {
        Verb::Read => "GET",
        Verb::Post => "POST",
    }
}

/// Sends the request `spec` answers, at its example path: a GET, or a POST
/// carrying the browser's valid CSRF token and no other field.
async fn call(visitor: &Visitor, spec: &RouteSpec) -> Answer {
    let path = spec.example_path();
    let response = match spec.verb {
        Verb::Read => visitor.browser.get(&path).await,
        Verb::Post => visitor
            .browser
            .client
            .post(visitor.browser.url(&path))
            .form(&[("csrf", visitor.token.as_str())])
            .send()
            .await
            .expect("the server answers"),
    };
    let status = response.status();
    let location = header(response.headers(), "location").to_owned();
    let body = response.text().await.unwrap_or_default();
    Answer {
        status,
        location,
        body,
    }
}

/// The decoded `suite` of a `/connexion?suite=…` location.
fn suite_of(location: &str) -> Option<String> {
    let url = reqwest::Url::parse(&format!("http://site.invalid{location}")).ok()?;
    if url.path() != "/connexion" {
        return None;
    }
    url.query_pairs()
        .find(|(key, _)| key == "suite")
        .map(|(_, value)| value.into_owned())
}

/// What is wrong with `answer` to `spec` for `role` (`None`: anonymous).
fn mismatch(spec: &RouteSpec, role: Option<Role>, answer: &Answer) -> Option<String> {
    let path = spec.example_path();
    let see_other = answer.status == StatusCode::SEE_OTHER;
    let forbidden = answer.status == StatusCode::FORBIDDEN;
    // The guard's redirect: `/connexion`, or `/connexion?suite=…`. The
    // logout's `/connexion?etat=deconnecte` is not one.
    let sent_to_login = see_other
        && (answer.location == "/connexion" || answer.location.starts_with("/connexion?suite="));
    let role_refused = forbidden && answer.body.contains(ROLE_REFUSED);
    let form_refused = forbidden && answer.body.contains(FORM_REFUSED);
    if answer.status.is_server_error() {
        return Some("a server error".to_owned());
    }
    match (spec.access, role) {
        (Access::Public, _) => {
            if sent_to_login {
                Some("a public route sent to the login page".to_owned())
            } else if role_refused {
                Some(format!("a public route refused with « {ROLE_REFUSED} »"))
            } else if form_refused {
                Some(format!("« {FORM_REFUSED} » although the token is valid"))
            } else {
                None
            }
        }
        (_, None) => match spec.verb {
            Verb::Read => {
                let ok = see_other
                    && answer.location.starts_with("/connexion?suite=")
                    && suite_of(&answer.location).as_deref() == Some(path.as_str());
                (!ok).then(|| {
                    format!(
                        "expected 303 to /connexion?suite={}",
                        encode_query_value(&path)
                    )
                })
            }
            Verb::Post => {
                let ok = see_other && answer.location == "/connexion";
                (!ok).then(|| "expected 303 to /connexion".to_owned())
            }
        },
        (access, Some(role)) if !access.allows(role) => (!role_refused)
            .then(|| format!("expected 403 « {ROLE_REFUSED} » ({access:?} refuses {role:?})")),
        (access, Some(_)) => {
            if forbidden {
                Some(format!("refused although {access:?} allows this role"))
            } else if answer.location.starts_with("/connexion") {
                Some(format!(
                    "sent to the login page although {access:?} allows this role"
                ))
            } else {
                None
            }
        }
    }
}

async fn every_route_answers_each_role_as_the_route_table_says(backend: Backend) {
    // The table covers what the issue asks: each area and its role.
    for spec in ROUTES {
        let expected = if spec.path.starts_with("/profil") {
            Some(Access::Client)
        } else if spec.path.starts_with("/admin") {
            Some(Access::Admin)
        } else if spec
            .path
            .starts_with("/statistiques/rapports/desabonnement/")
        {
            // The stop link of a statistics report mail works without login.
            Some(Access::Public)
        } else if spec.path.starts_with("/statistiques") {
            Some(Access::Statistics)
        } else {
            None
        };
        if let Some(expected) = expected {
            assert_eq!(
                spec.access,
                expected,
                "{} {}",
                verb_name(spec.verb),
                spec.path
            );
        }
    }
    assert!(
        ROUTES.iter().any(|spec| spec.access == Access::Client)
            && ROUTES.iter().any(|spec| spec.access == Access::Admin),
        "the table has client and admin routes"
    );

    let app = spawn_app(backend).await;
    let mut visitors = [
        Visitor::new(&app, "anonymous", None, "").await,
        Visitor::new(&app, "client", Some(Role::Client), CLIENT).await,
        Visitor::new(&app, "marketing", Some(Role::Marketing), MARKETING).await,
        Visitor::new(&app, "admin", Some(Role::Admin), ADMIN).await,
    ];

    let mut mismatches: Vec<String> = Vec::new();
    let mut calls = 0;
    for spec in ROUTES {
        for visitor in &mut visitors {
            let answer = call(visitor, spec).await;
            calls += 1;
            if let Some(problem) = mismatch(spec, visitor.role, &answer) {
                mismatches.push(format!(
                    "{} {} as {}: got {}{} — {problem}",
                    verb_name(spec.verb),
                    spec.example_path(),
                    visitor.who,
                    answer.status,
                    if answer.location.is_empty() {
                        String::new()
                    } else {
                        format!(" to {}", answer.location)
                    },
                ));
            }
            // HEAD is answered as GET, the body left out: the same status
            // (after HEAD, the guard sends to `/connexion` with no `suite`).
            if spec.verb == Verb::Read {
                let head = visitor
                    .browser
                    .client
                    .head(visitor.browser.url(&spec.example_path()))
                    .send()
                    .await
                    .expect("the server answers");
                if head.status() != answer.status {
                    mismatches.push(format!(
                        "HEAD {} as {}: got {}, but {} to GET",
                        spec.example_path(),
                        visitor.who,
                        head.status(),
                        answer.status
                    ));
                }
            }
            // `POST /deconnexion` logs the browser out, as it should: log
            // it back in so that the next routes still see its role. A POST
            // carrying nothing but the token must not end a session
            // anywhere else.
            if spec.verb == Verb::Post && visitor.role.is_some() && !visitor.is_logged_in().await {
                if spec.path != "/deconnexion" {
                    mismatches.push(format!(
                        "POST {} as {}: a form with nothing but its token logged the browser out",
                        spec.example_path(),
                        visitor.who
                    ));
                }
                visitor.browser.login_ok(visitor.email, PASSWORD).await;
                visitor.token = visitor.browser.csrf_token().await;
            }
        }
    }
    assert_eq!(calls, ROUTES.len() * visitors.len());
    assert!(
        mismatches.is_empty(),
        "{} of {calls} answers differ from the route table:\n  {}",
        mismatches.len(),
        mismatches.join("\n  ")
    );
}

/// Posts the login form with a `suite` field.
async fn log_in_with_suite(browser: &Browser, token: &str, suite: &str) -> reqwest::Response {
    browser
        .client
        .post(browser.url("/connexion"))
        .form(&[
            ("email", ADMIN),
            ("mot_de_passe", PASSWORD),
            ("suite", suite),
            ("csrf", token),
        ])
        .send()
        .await
        .expect("the server answers")
}

async fn a_logged_out_visitor_comes_back_to_the_page_asked_for(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, ADMIN).await;

    let visitor = app.browser();
    let response = visitor.get("/admin/inscriptions").await;
    assert_eq!(response.status(), 303);
    let location = header(response.headers(), "location").to_owned();
    assert_eq!(location, "/connexion?suite=%2Fadmin%2Finscriptions");

    let (status, page) = visitor.get_page(&location).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"name="suite" value="/admin/inscriptions""#),
        "the login form carries the page asked for: {page}"
    );
    let token = csrf_in(&page).expect("the login form carries a CSRF token");
    let response = log_in_with_suite(&visitor, &token, "/admin/inscriptions").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        header(response.headers(), "location"),
        "/admin/inscriptions"
    );
    let (status, _) = visitor.get_page("/admin/inscriptions").await;
    assert_eq!(status, 200);

    // The query string of the page asked for comes along.
    let response = app.browser().get("/admin/inscriptions?fait=valide").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        header(response.headers(), "location"),
        "/connexion?suite=%2Fadmin%2Finscriptions%3Ffait%3Dvalide"
    );

    // Never to another site: the role's home instead.
    for evil in [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
    ] {
        let login_page = format!("/connexion?suite={}", encode_query_value(evil));
        let visitor = app.browser();
        let (status, page) = visitor.get_page(&login_page).await;
        assert_eq!(status, 200, "{evil}");
        assert!(
            !page.contains(r#"name="suite""#),
            "{evil} is not carried by the form: {page}"
        );
        let token = csrf_in(&page).expect("the login form carries a CSRF token");
        let response = log_in_with_suite(&visitor, &token, evil).await;
        assert_eq!(response.status(), 303, "{evil}");
        assert_eq!(header(response.headers(), "location"), "/admin", "{evil}");

        // Already logged in, the login page sends home too.
        let response = visitor.get(&login_page).await;
        assert_eq!(response.status(), 303, "{evil}");
        assert_eq!(header(response.headers(), "location"), "/admin", "{evil}");
    }
}

/// Valid values for the fields of every form of the site at once (each
/// form reads its own and ignores the others), so that a form let through
/// without its token would write something.
fn every_form_field(email: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("prenom", "Claire"),
        ("nom", "Durand"),
        ("sexe", "madame"),
        ("role", "Responsable technique"),
        ("email", email),
        ("telephone", "06 12 34 56 78"),
        ("societe", "Syndic Durand"),
        ("type_societe", "agence"),
        ("adresse", "12 rue de la Paix"),
        ("complement", ""),
        ("ville", "Paris"),
        ("code_postal", "75002"),
        ("pays", "FR"),
        ("actuel", PASSWORD),
        ("mot_de_passe", "Phare-vert-9-Quai-Neige"),
        ("confirmation", "Phare-vert-9-Quai-Neige"),
        (
            "message",
            "Bonjour, pouvez-vous m'envoyer un devis de maintenance ?",
        ),
        ("experience", "12"),
        ("entreprise", "Ascenseurs Durand"),
        ("motif", "Société inconnue de nos services."),
        ("choix", "opposition"),
        ("suite", "/admin"),
    ]
}

async fn count_form_tables(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in FORM_TABLES {
        counts.push((table, app.count(table).await));
    }
    counts
}

async fn post_fields(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    browser
        .client
        .post(browser.url(path))
        .form(fields)
        .send()
        .await
        .expect("the server answers")
}

async fn every_post_route_refuses_a_missing_or_wrong_csrf_token(backend: Backend) {
    let app = spawn_app(backend).await;
    // Something for the admin forms to act on: registration 1, question 1,
    // sent by a visitor (the app's own client).
    let seeded = app
        .post_form(
            "/inscription",
            &every_form_field("claire.durand@example.fr"),
        )
        .await;
    assert_eq!(seeded.status(), 303, "the registration is accepted");
    let seeded = app
        .post_form("/contact", &every_form_field("claire.durand@example.fr"))
        .await;
    assert_eq!(seeded.status(), 303, "the question is accepted");
    assert_eq!(app.count("registrations").await, 1);
    assert_eq!(app.count("contact_messages").await, 1);

    create_account(&app, Role::Admin, ADMIN).await;
    let admin = app.browser();
    admin.login_ok(ADMIN, PASSWORD).await;
    let own = admin.csrf_token().await;
    let foreign = app.browser().csrf_token().await;
    assert_ne!(own, foreign, "each browser has its own token");

    // The client area's forms are tried by a client: the access guard
    // would refuse anyone else before the CSRF check.
    const CLIENT: &str = "client.csrf@example.fr";
    create_account(&app, Role::Client, CLIENT).await;
    let client = app.browser();
    client.login_ok(CLIENT, PASSWORD).await;

    // A browser whose cookie was planted: the same forged value as cookie
    // and as field, which a bare double-submit check would take.
    let planted_for = |email: &'static str| {
        let app = &app;
        async move {
            let jar = Arc::new(Jar::default());
            let planted = Browser {
                client: reqwest::Client::builder()
                    .user_agent(DESKTOP_CHROME)
                    .cookie_provider(jar.clone())
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .expect("HTTP client"),
                address: app.address.clone(),
            };
            planted.login_ok(email, PASSWORD).await;
            let site: reqwest::Url = app.address.parse().expect("the site's address");
            jar.add_cookie_str(&format!("{CSRF_COOKIE}={FORGED}; Path=/"), &site);
            planted
        }
    };
    let planted = planted_for(ADMIN).await;
    let planted_client = planted_for(CLIENT).await;

    let before = count_form_tables(&app).await;
    // The stop link of a report mail carries its own secret instead (a
    // wrong one is a 404, and a mail client's one-click POST has no form
    // token: tests/api/statistics_mail_reports.rs).
    let post_routes: Vec<&RouteSpec> = ROUTES
        .iter()
        .filter(|spec| spec.verb == Verb::Post)
        .filter(|spec| {
            !spec
                .path
                .starts_with("/statistiques/rapports/desabonnement/")
        })
        .collect();
    assert!(
        post_routes.len() >= 10,
        "the table lists the forms of the site"
    );
    let mut failures: Vec<String> = Vec::new();
    for spec in &post_routes {
        let path = spec.example_path();
        let (user, planted) = if spec.access == Access::Client {
            (&client, &planted_client)
        } else {
            (&admin, &planted)
        };
        for email in [ADMIN, "nouvelle.personne@example.fr"] {
            for (case, browser, token) in [
                ("no csrf field", user, None),
                ("a forged token", user, Some(FORGED)),
                ("another browser's token", user, Some(foreign.as_str())),
                ("a forged token in cookie and field", planted, Some(FORGED)),
            ] {
                let mut fields = every_form_field(email);
                if let Some(token) = token {
                    fields.push(("csrf", token));
                }
                let response = post_fields(browser, &path, &fields).await;
                let status = response.status();
                let body = response.text().await.unwrap_or_default();
                if status != StatusCode::FORBIDDEN || !body.contains(FORM_REFUSED) {
                    failures.push(format!("POST {path} with {case} ({email}): got {status}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "forms let through without their token:\n  {}",
        failures.join("\n  ")
    );
    assert_eq!(
        count_form_tables(&app).await,
        before,
        "a refused form writes nothing"
    );

    // Over 64 KiB, a form is refused before it is read, token or not.
    let body = format!("csrf={own}&message={}", "a".repeat(70 * 1024));
    let response = admin
        .client
        .post(admin.url("/contact"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        count_form_tables(&app).await,
        before,
        "a refused form writes nothing"
    );

    // The refusals were about the token alone: the browsers are still
    // logged in, and the same fields with a genuine token go through.
    for browser in [&admin, &planted] {
        let (status, _) = browser.get_page("/admin").await;
        assert_eq!(status, 200, "still logged in");
    }
    let response = post_fields(
        &admin,
        "/contact",
        &[every_form_field(ADMIN), vec![("csrf", own.as_str())]].concat(),
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.count("contact_messages").await, 2);
}

async fn a_wrong_method_is_405_not_a_csrf_error(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, ADMIN).await;
    let admin = app.browser();
    admin.login_ok(ADMIN, PASSWORD).await;
    let token = admin.csrf_token().await;

    let anonymous = app.browser();
    let response = post_fields(&anonymous, "/services", &[]).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body = response.text().await.unwrap();
    assert!(!body.contains(FORM_REFUSED), "{body}");
    assert!(body.contains("Action non permise"), "{body}");

    // With a valid token too, and past the access guard.
    let response = post_fields(&admin, "/services", &[("csrf", &token)]).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let response = post_fields(&admin, "/admin", &[("csrf", &token)]).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);

    for browser in [&anonymous, &admin] {
        let response = browser.get("/deconnexion").await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        let body = response.text().await.unwrap();
        assert!(!body.contains(FORM_REFUSED), "{body}");
    }
    // A GET does not log out.
    let (status, _) = admin.get_page("/admin").await;
    assert_eq!(status, 200);
}

async fn a_valid_form_under_the_64_kib_limit_is_read_whole(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.csrf_token().await;
    // 3,000 characters: within the question's 5,000, but some 18 KB once
    // URL-encoded (each « é » is `%C3%A9`), far below the 64 KiB limit.
    let message = "é".repeat(3_000);
    let mut fields: Vec<(&str, &str)> = every_form_field("claire.durand@example.fr")
        .into_iter()
        .filter(|(name, _)| *name != "message")
        .collect();
    fields.push(("message", &message));
    fields.push(("csrf", &token));
    let response = app
        .client
        .post(app.url("/contact"))
        .form(&fields)
        .send()
        .await
        .expect("the server answers");
    // A regression test: without a `web::FormConfig` (src/startup.rs),
    // `web::Form` keeps actix-web's 16 KiB default and refuses this valid
    // question with 413, although the CSRF check reads up to
    // MAX_FORM_BYTES (64 KiB).
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "a valid question of 3,000 accented characters is refused"
    );
    assert_eq!(header(response.headers(), "location"), "/contact/envoye");
    assert_eq!(app.count("contact_messages").await, 1);
}
