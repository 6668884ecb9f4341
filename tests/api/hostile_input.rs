//! Hostile input against the real server: oversized and malformed bodies,
//! invalid UTF-8, huge and binary headers, forged session cookies, HTML and
//! SQL in fields and query strings, path traversal, unexpected methods and
//! absurd path parameters. Whatever is sent, the site never answers 500,
//! never writes half a record and never echoes markup unescaped.
//!
//! The role matrix and the CSRF refusal of every POST route are in
//! `access.rs`; this file does not repeat them.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use wemaintain::auth::session::SESSION_COOKIE;
use wemaintain::auth::{Access, Role};
use wemaintain::db::Db;
use wemaintain::routes::{RouteSpec, Verb, ROUTES};

use crate::helpers::plain;
use crate::helpers::{
    client_of_company, create_account, header, read_visits, spawn_app, spawn_app_with, Backend,
    Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    oversized_forms_are_refused_with_413_and_write_nothing,
    invalid_utf8_in_forms_and_query_strings_is_a_4xx_and_writes_nothing,
    huge_and_binary_headers_never_fail_and_log_only_valid_addresses,
    malformed_session_cookies_are_treated_as_logged_out,
    markup_is_stored_verbatim_and_always_shown_escaped,
    sql_metacharacters_are_stored_verbatim_and_break_no_query,
    path_traversal_on_static_files_finds_nothing,
    unexpected_methods_are_405_on_every_route,
    absurd_path_parameters_never_fail,
);

const ADMIN: &str = "admin.hostile@example.fr";
const CLIENT: &str = "client.hostile@syndic.fr";

const SCRIPT: &str = "<script>alert(1)</script>";
const SCRIPT_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";
const IMG: &str = r#""><img src=x onerror=alert(1)>"#;
const IMG_ESCAPED: &str = "&lt;img src=x onerror=alert(1)&gt;";

const SQL_VALUES: [&str; 5] = [
    "'; DROP TABLE users; --",
    "%",
    "_",
    "\\",
    "O'Brien 100% _x_ \\' \"; --",
];

/// The tables the public forms write to.
const FORM_TABLES: [&str; 4] = [
    "contact_messages",
    "technician_applications",
    "registrations",
    "rights_requests",
];

/// Valid values for the fields of every public form at once (each form
/// reads its own and ignores the others).
const VALID_FIELDS: [(&str, &str); 19] = [
    ("prenom", "Claire"),
    ("nom", "Durand"),
    ("sexe", "madame"),
    ("role", "Responsable technique"),
    ("email", "claire.durand@example.fr"),
    ("telephone", "06 12 34 56 78"),
    ("societe", "Syndic Durand"),
    ("type_societe", "agence"),
    ("adresse", "12 rue de la Paix"),
    ("ville", "Paris"),
    ("code_postal", "75002"),
    ("pays", "FR"),
    ("mot_de_passe", "Phare-vert-9-Quai-Neige"),
    (
        "message",
        "Bonjour, pouvez-vous m'envoyer un devis de maintenance ?",
    ),
    ("experience", "12"),
    ("entreprise", "Ascenseurs Durand"),
    ("droit", "acces"),
    ("visite", "IP 192.0.2.7, le 1er mars vers 10 h"),
    ("suite", "/admin"),
];

/// The public forms a visitor can send.
const PUBLIC_FORMS: [&str; 6] = [
    "/contact",
    "/techniciens",
    "/inscription",
    "/connexion",
    "/confidentialite/demande",
    "/mot-de-passe-oublie",
];

const BUILDING: [(&str, &str); 5] = [
    ("nom", "Résidence Les Tilleuls"),
    ("adresse", "12 avenue des Tilleuls"),
    ("code_postal", "92200"),
    ("ville", "Neuilly-sur-Seine"),
    ("pays", "FR"),
];

/// Path parameters no page of the site links to.
const ABSURD_PARAMETERS: [&str; 11] = [
    "99999999999999999999",
    "-1",
    "abc",
    "0",
    "9223372036854775807",
    "-9223372036854775808",
    "1.5",
    "1e3",
    "%00",
    "%FF%FE",
    "1%27%20OR%20%271%27%3D%271",
];

fn verb_name(verb: Verb) -> &'static str {
    match verb {
        Verb::Read => "GET",
        Verb::Post => "POST",
    }
}

async fn form_counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in FORM_TABLES.into_iter().chain(["users", "buildings"]) {
        counts.push((table, app.count(table).await));
    }
    counts
}

/// One text column of every row a query returns, on either backend.
async fn strings(db: &Db, sql: &str) -> Vec<String> {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .expect(sql)
}

/// A client that keeps no cookies: each request carries only what the
/// test puts in it.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// POSTs `body` as a urlencoded form, exactly as given.
async fn post_raw(browser: &Browser, path: &str, body: Vec<u8>) -> (StatusCode, String) {
    let response = browser
        .client
        .post(browser.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        // A body refused before it is read whole may end the connection:
        // none is reused after it.
        .header("connection", "close")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

/// `fields` urlencoded, the CSRF token first.
fn encoded(token: &str, fields: &[(&str, &str)]) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("csrf", token);
    for (name, value) in fields {
        form.append_pair(name, value);
    }
    form.finish()
}

/// Percent-encodes a whole query value.
fn q(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Sends bytes on a fresh connection, as no HTTP client would normalise
/// them (`..` segments, raw bytes), and returns the status and the whole
/// raw response.
async fn raw_request(app: &TestApp, request: Vec<u8>) -> (u16, String) {
    let address = app
        .address
        .strip_prefix("http://")
        .expect("an http address")
        .to_owned();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&address).expect("connect to the site");
        // A safety net against a hang, never a wait: the server closes the
        // connection as soon as it has answered (`Connection: close`).
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("read timeout");
        stream.write_all(&request).expect("send the request");
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no HTTP status in {text:?}"));
        (status, text)
    })
    .await
    .expect("the raw request task")
}

/// `GET target` on the wire, the target sent byte for byte.
fn raw_get(target: &[u8]) -> Vec<u8> {
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(target);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    request
}

async fn admin_and_client(app: &TestApp) -> (Browser, Browser) {
    create_account(app, Role::Admin, ADMIN).await;
    let admin = app.browser();
    admin.login_ok(ADMIN, PASSWORD).await;
    let (_, client) = client_of_company(app, CLIENT, "Syndic Hostile").await;
    (admin, client)
}

/// Who may call a route: the client for the client area, the admin for
/// everything else.
fn allowed<'a>(spec: &RouteSpec, admin: &'a Browser, client: &'a Browser) -> &'a Browser {
    if spec.access == Access::Client {
        client
    } else {
        admin
    }
}

/// Logs a browser back in when a request logged it out (`/deconnexion`).
async fn stay_logged_in(browser: &Browser, email: &str) {
    if browser.get("/connexion").await.status() != StatusCode::SEE_OTHER {
        browser.login_ok(email, PASSWORD).await;
    }
}

// 1. Oversized bodies ------------------------------------------------------

async fn oversized_forms_are_refused_with_413_and_write_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, CLIENT, "Syndic Hostile").await;
    let before = form_counts(&app).await;
    let padding = "a".repeat(wemaintain::auth::csrf::MAX_FORM_BYTES + 1024);

    let visitor = app.browser();
    let token = visitor.csrf_token().await;
    let client_token = client.csrf_token().await;
    let mut cases: Vec<(&Browser, &str, &str)> = PUBLIC_FORMS
        .iter()
        .map(|path| (&visitor, *path, token.as_str()))
        .collect();
    cases.push((&client, "/profil/batiments/nouveau", client_token.as_str()));
    for (browser, path, token) in cases {
        // Every field valid, the message padded past the limit; and the
        // padding in a field no form reads.
        for extra in ["message", "rembourrage"] {
            let mut fields: Vec<(&str, &str)> = VALID_FIELDS
                .iter()
                .chain(BUILDING.iter())
                .copied()
                .filter(|(name, _)| *name != extra)
                .collect();
            fields.push((extra, &padding));
            let (status, page) =
                post_raw(browser, path, encoded(token, &fields).into_bytes()).await;
            assert_eq!(
                status,
                StatusCode::PAYLOAD_TOO_LARGE,
                "POST {path} ({extra})"
            );
            assert!(
                page.contains("Envoi trop volumineux"),
                "POST {path}: a French page: {page}"
            );
        }
        // Not a form at all, still too big.
        let response = browser
            .client
            .post(browser.url(path))
            .header("content-type", "application/json")
            .header("connection", "close")
            .body(format!(r#"{{"csrf":"{token}","x":"{padding}"}}"#))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(
            response.status(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "JSON to {path}"
        );
    }
    assert_eq!(
        form_counts(&app).await,
        before,
        "an oversized form writes nothing"
    );

    // The same forms under the limit do go through: the refusals were
    // about the size alone.
    let response = visitor.post_form("/contact", &VALID_FIELDS).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = client
        .post_form("/profil/batiments/nouveau", &BUILDING)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("contact_messages").await, 1);
    assert_eq!(app.count("buildings").await, 1);
}

// 2. Invalid UTF-8 -------------------------------------------------------

async fn invalid_utf8_in_forms_and_query_strings_is_a_4xx_and_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, client) = admin_and_client(&app).await;
    let before = form_counts(&app).await;

    let visitor = app.browser();
    let token = visitor.csrf_token().await;
    let mut problems: Vec<String> = Vec::new();
    for path in PUBLIC_FORMS {
        for field in [
            "prenom",
            "nom",
            "email",
            "message",
            "telephone",
            "droit",
            "suite",
        ] {
            let valid: Vec<(&str, &str)> = VALID_FIELDS
                .iter()
                .copied()
                .filter(|(name, _)| *name != field)
                .collect();
            // The bytes raw, and percent-encoded.
            for bad in [&b"\xff\xfe"[..], b"%FF%FE", b"ok%C3%28", b"\xc3", b"a%00b"] {
                let mut body = encoded(&token, &valid).into_bytes();
                body.extend_from_slice(format!("&{field}=").as_bytes());
                body.extend_from_slice(bad);
                let (status, page) = post_raw(&visitor, path, body).await;
                let refused = status.is_client_error()
                    || (status == StatusCode::OK && page.contains("erreur"));
                let french =
                    status != StatusCode::BAD_REQUEST || page.contains("Requête incorrecte");
                if !refused || !french || status.is_server_error() {
                    problems.push(format!(
                        "POST {path} with {field}={}: {status}",
                        String::from_utf8_lossy(bad)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // A browser's invalid sign-in attempt may count for throttling, but no
    // form wrote a record.
    assert_eq!(
        form_counts(&app).await,
        before,
        "invalid UTF-8 writes nothing"
    );

    // The same invalid bytes in the query string of every page.
    for (spec, query) in ROUTES
        .iter()
        .filter(|spec| spec.verb == Verb::Read)
        .flat_map(|spec| {
            [
                "?tri=%FF%FE&page=%FF&periode=%FE&du=%FF&au=%FE&ip=%FF&suite=%FF%FE\
                 &jeton=%FF&fait=%FF&statut=%FE&tableau=%FF&archives=%FF&%FF=%FE",
                "?tri=%00&page=%00&periode=%00&du=%00&au=%00&ip=%00&suite=%00\
                 &jeton=a%00b&fait=%00&statut=%00&tableau=%00&archives=%00&%00=%00",
            ]
            .map(|query| (spec, query))
        })
    {
        let path = format!("{}{query}", spec.example_path());
        for (who, browser) in [
            ("anonymous", &visitor),
            ("admin", &admin),
            ("client", &client),
        ] {
            let status = browser.get(&path).await.status();
            if status.is_server_error() {
                problems.push(format!("GET {path} as {who}: {status}"));
            }
        }
    }
    // And raw, as no browser sends them.
    for target in [
        &b"/contact?x=\xff\xfe"[..],
        b"/connexion?suite=\xff\xfe",
        b"/mot-de-passe-oublie/nouveau?jeton=\xff",
        b"/\xff\xfe",
        b"/static/\xff\xfe",
    ] {
        let (status, _) = raw_request(&app, raw_get(target)).await;
        if status >= 500 {
            problems.push(format!(
                "raw GET {}: {status}",
                String::from_utf8_lossy(target)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(form_counts(&app).await, before, "a GET writes nothing");
}

// 3. Headers ---------------------------------------------------------------

async fn huge_and_binary_headers_never_fail_and_log_only_valid_addresses(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.trusted_proxies = vec![
            "127.0.0.0/8".parse().expect("a network"),
            "10.0.0.0/8".parse().expect("a network"),
        ];
    })
    .await;
    create_account(&app, Role::Admin, ADMIN).await;

    let long = "A".repeat(16 * 1024);
    let binary: Vec<u8> = (0x80..=0xffu8).chain(b"visible".iter().copied()).collect();
    let long_binary: Vec<u8> = binary.iter().copied().cycle().take(16 * 1024).collect();
    let many_untrusted = vec!["203.0.113.9"; 300].join(", ");
    let many_trusted = vec!["10.0.0.1"; 300].join(",");
    let many_garbage = vec!["x"; 300].join(",");
    let long_list = "192.0.2.1, ".repeat(16 * 1024 / 11);
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    for name in ["user-agent", "cookie", "referer", "x-forwarded-for"] {
        cases.push((name, long.clone().into_bytes()));
        cases.push((name, binary.clone()));
        cases.push((name, long_binary.clone()));
        cases.push((name, Vec::new()));
    }
    for value in [
        "'; DROP TABLE visitor_log; --",
        "999.1.1.1",
        "unknown",
        "",
        " , ,, ",
        "1.2.3.4:99999",
        "[::1",
        "::ffff:999.1.1.1",
        "fe80::1%eth0",
        "2001:db8::1/64",
        "0x7f.1",
        many_untrusted.as_str(),
        many_trusted.as_str(),
        many_garbage.as_str(),
        long_list.as_str(),
    ] {
        cases.push(("x-forwarded-for", value.as_bytes().to_vec()));
    }
    cases.push(("cookie", b"wm_csrf=\xff\xfe; wm_session=\x80".to_vec()));
    cases.push(("cookie", b";;;==;=;".to_vec()));
    cases.push(("referer", b"javascript:alert(1)".to_vec()));

    let mut problems: Vec<String> = Vec::new();
    let mut answered = 0;
    for (name, value) in &cases {
        let shown = String::from_utf8_lossy(&value[..value.len().min(40)]).into_owned();
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_bytes(value).expect("a header value"),
        );
        // A header refused by the HTTP parser ends the connection: none is
        // reused after a hostile request.
        headers.insert(
            reqwest::header::CONNECTION,
            HeaderValue::from_static("close"),
        );
        let client = bare_client();
        // A page, a form page, a 404, and a login attempt (which reads the
        // client's address for throttling and the audit log).
        for path in ["/", "/contact", "/absent"] {
            let response = client
                .get(app.url(path))
                .headers(headers.clone())
                .send()
                .await
                .expect("the server answers");
            answered += 1;
            if response.status().is_server_error() {
                problems.push(format!(
                    "GET {path} with {name}: {shown}…: {}",
                    response.status()
                ));
            }
        }
        let browser = app.browser();
        let token = browser.csrf_token().await;
        let response = browser
            .client
            .post(browser.url("/connexion"))
            .headers(headers.clone())
            .form(&[
                ("email", ADMIN),
                ("mot_de_passe", "pas le bon"),
                ("csrf", token.as_str()),
            ])
            .send()
            .await
            .expect("the server answers");
        if response.status().is_server_error() {
            problems.push(format!(
                "POST /connexion with {name}: {shown}…: {}",
                response.status()
            ));
        }
    }
    assert!(answered > 100);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The audit log holds addresses only.
    for ip in strings(&app.db, "SELECT ip FROM audit_log WHERE ip IS NOT NULL").await {
        assert!(ip.parse::<IpAddr>().is_ok(), "an invalid address {ip:?}");
    }
    let stopped = app.stop().await;
    let visits = read_visits(&stopped.db).await;
    assert!(!visits.is_empty(), "the pages were logged");
    for visit in &visits {
        assert!(
            visit.ip.parse::<IpAddr>().is_ok(),
            "a visitor-log row with an invalid address: {visit:?}"
        );
        assert!(
            visit.browser.as_deref().is_none_or(|b| b.len() < 1024)
                && visit.os.as_deref().is_none_or(|o| o.len() < 1024),
            "a 16 KiB header stored whole: {visit:?}"
        );
    }
}

async fn malformed_session_cookies_are_treated_as_logged_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, CLIENT, "Syndic Hostile").await;
    assert_eq!(client.get("/profil").await.status(), StatusCode::OK);

    let long = "A".repeat(16 * 1024);
    let long_base64 = "QUFB".repeat(4 * 1024);
    let mut cookies: Vec<Vec<u8>> = [
        "garbage",
        "",
        "=",
        "!!!@@@###$$$",
        "%FF%FE%00",
        "AAAA",
        "eyJ1c2VyX2lkIjoxfQ==",
        "eyJ1c2VyX2lkIjoxfQ",
        "\"quoted\"",
        long.as_str(),
        long_base64.as_str(),
    ]
    .iter()
    .map(|value| format!("{SESSION_COOKIE}={value}").into_bytes())
    .collect();
    cookies.push(b"id=garbage".to_vec());
    cookies.push(format!("{SESSION_COOKIE}=a; {SESSION_COOKIE}=b").into_bytes());
    cookies.push(SESSION_COOKIE.as_bytes().to_vec());
    let mut binary = format!("{SESSION_COOKIE}=").into_bytes();
    binary.extend(0x80..=0xffu8);
    cookies.push(binary);

    let bare = bare_client();
    let mut problems: Vec<String> = Vec::new();
    for cookie in &cookies {
        let shown = String::from_utf8_lossy(&cookie[..cookie.len().min(40)]).into_owned();
        for path in ["/profil", "/profil/batiments", "/admin"] {
            let response = bare
                .get(app.url(path))
                .header("cookie", HeaderValue::from_bytes(cookie).expect("a header"))
                .send()
                .await
                .expect("the server answers");
            let status = response.status();
            let location = header(response.headers(), "location").to_owned();
            if status != StatusCode::SEE_OTHER || !location.starts_with("/connexion") {
                problems.push(format!("GET {path} with {shown}…: {status} {location}"));
            }
        }
        // A form with a forged session: refused, never a server error.
        let response = bare
            .post(app.url("/profil/batiments/nouveau"))
            .header("cookie", HeaderValue::from_bytes(cookie).expect("a header"))
            .form(&BUILDING)
            .send()
            .await
            .expect("the server answers");
        let status = response.status();
        if status.is_success() || status.is_server_error() {
            problems.push(format!("POST with {shown}…: {status}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(app.count("buildings").await, 0);
    // The genuine session is still fine.
    assert_eq!(client.get("/profil").await.status(), StatusCode::OK);
}

// 4. HTML and script injection ----------------------------------------------

/// `page` shows none of the injected markup raw, and each of `expected`.
fn assert_escaped(page: &str, what: &str, expected: &[&str]) {
    for raw in ["<script>alert(1)", "<img src=x"] {
        assert!(!page.contains(raw), "{what} shows {raw} unescaped");
    }
    for escaped in expected {
        assert!(page.contains(escaped), "{what} does not show {escaped}");
    }
}

async fn markup_is_stored_verbatim_and_always_shown_escaped(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, client) = admin_and_client(&app).await;

    // A question from a visitor.
    let visitor = app.browser();
    let message = format!("Bonjour {SCRIPT} et {IMG}");
    let mut fields: Vec<(&str, &str)> = VALID_FIELDS
        .iter()
        .copied()
        .filter(|(name, _)| !["prenom", "nom", "message"].contains(name))
        .collect();
    fields.extend([("prenom", SCRIPT), ("nom", IMG), ("message", &message)]);
    let response = visitor.post_form("/contact", &fields).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the question is accepted"
    );
    assert_eq!(
        strings(&app.db, "SELECT first_name FROM contact_messages").await,
        [SCRIPT]
    );
    assert_eq!(
        strings(&app.db, "SELECT last_name FROM contact_messages").await,
        [IMG]
    );
    assert_eq!(
        strings(&app.db, "SELECT message FROM contact_messages").await,
        [message.as_str()]
    );
    let (status, page) = admin.get_page("/admin/messages").await;
    assert_eq!(status, StatusCode::OK);
    assert_escaped(&page, "/admin/messages", &[SCRIPT_ESCAPED, IMG_ESCAPED]);

    // A building of the client.
    let mut building: Vec<(&str, &str)> = BUILDING.to_vec();
    building[0] = ("nom", SCRIPT);
    building[1] = ("adresse", IMG);
    let response = client
        .post_form("/profil/batiments/nouveau", &building)
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the building is accepted"
    );
    let location = header(response.headers(), "location").to_owned();
    let id = location
        .strip_prefix("/profil/batiments/")
        .and_then(|rest| rest.split('?').next())
        .expect("the new building's page")
        .to_owned();
    assert_eq!(
        strings(&app.db, "SELECT name FROM buildings").await,
        [SCRIPT]
    );
    assert_eq!(
        strings(&app.db, "SELECT address FROM buildings").await,
        [IMG]
    );
    for (path, expected) in [
        ("/profil/batiments".to_owned(), vec![SCRIPT_ESCAPED]),
        (location.clone(), vec![SCRIPT_ESCAPED, IMG_ESCAPED]),
        (
            format!("/profil/batiments/{id}/modifier"),
            vec![SCRIPT_ESCAPED, IMG_ESCAPED],
        ),
        (
            format!("/profil/batiments/{id}/appareils/nouveau"),
            vec![SCRIPT_ESCAPED],
        ),
    ] {
        let (status, page) = client.get_page(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_escaped(&page, &path, &expected);
    }
    // Wherever else the site may show them: never raw.
    for path in ["/profil", "/profil/demandes/nouvelle", "/profil/donnees"] {
        let (status, page) = client.get_page(path).await;
        assert!(!status.is_server_error(), "{path}: {status}");
        assert_escaped(&page, path, &[]);
    }
    for path in ["/admin", "/admin/societes", "/admin/journal"] {
        let (status, page) = admin.get_page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_escaped(&page, path, &[]);
    }

    // Re-shown with an error, the typed values are escaped too.
    let mut invalid = building.clone();
    invalid[2] = ("code_postal", "pas un code");
    let response = client
        .post_form("/profil/batiments/nouveau", &invalid)
        .await;
    let status = response.status();
    let page = response.text().await.unwrap();
    assert!(status.is_client_error(), "{status}");
    assert_escaped(&page, "the invalid building form", &[SCRIPT_ESCAPED]);
    assert_eq!(app.count("buildings").await, 1);
}

// 5. SQL metacharacters -----------------------------------------------------

async fn sql_metacharacters_are_stored_verbatim_and_break_no_query(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, client) = admin_and_client(&app).await;
    let users = app.count("users").await;

    let visitor = app.browser();
    for value in SQL_VALUES {
        let message = format!("Question {value}");
        let mut fields: Vec<(&str, &str)> = VALID_FIELDS
            .iter()
            .copied()
            .filter(|(name, _)| !["nom", "message"].contains(name))
            .collect();
        fields.extend([("nom", value), ("message", message.as_str())]);
        let response = visitor.post_form("/contact", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{value}");

        let mut building: Vec<(&str, &str)> = BUILDING.to_vec();
        building[0] = ("nom", value);
        let response = client
            .post_form("/profil/batiments/nouveau", &building)
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{value}");

        // The sign-in form: a refusal, no server error.
        let response = visitor
            .post_form("/connexion", &[("email", value), ("mot_de_passe", value)])
            .await;
        assert!(response.status().is_client_error() || response.status() == StatusCode::OK);
    }
    let stored_names = strings(
        &app.db,
        "SELECT last_name FROM contact_messages ORDER BY id",
    )
    .await;
    assert_eq!(stored_names, SQL_VALUES);
    let stored_messages =
        strings(&app.db, "SELECT message FROM contact_messages ORDER BY id").await;
    let expected: Vec<String> = SQL_VALUES.iter().map(|v| format!("Question {v}")).collect();
    assert_eq!(stored_messages, expected);
    assert_eq!(
        strings(&app.db, "SELECT name FROM buildings ORDER BY id").await,
        SQL_VALUES
    );

    // In query strings, on every page that reads one.
    let mut problems: Vec<String> = Vec::new();
    for value in SQL_VALUES {
        let v = q(value);
        let query = format!(
            "?tri={v}&page={v}&archives={v}&periode={v}&du={v}&au={v}&ip={v}&tableau={v}\
             &separateur={v}&statut={v}&fait={v}&suite={v}&jeton={v}&q={v}"
        );
        for spec in ROUTES.iter().filter(|spec| spec.verb == Verb::Read) {
            let path = format!("{}{query}", spec.example_path());
            let browser = allowed(spec, &admin, &client);
            let status = browser.get(&path).await.status();
            if status.is_server_error() {
                problems.push(format!("GET {path}: {status}"));
            }
        }
        for path in [
            format!("/profil/batiments?tri={v}&page=2"),
            format!("/profil/batiments?tri=nom&page={v}"),
            format!("/statistiques?periode={v}"),
            format!("/statistiques?periode=personnalisee&du={v}&au={v}"),
            format!("/admin/droits/visites?ip={v}&du=2026-03-01&au=2026-03-02"),
            format!("/admin/droits/visites?ip=192.0.2.0%2F24&du={v}&au=2026-03-02"),
            format!("/admin/droits/visites/export?ip={v}&du=2026-03-01&au=2026-03-02"),
        ] {
            let browser = if path.starts_with("/profil") {
                &client
            } else {
                &admin
            };
            let status = browser.get(&path).await.status();
            if status.is_server_error() {
                problems.push(format!("GET {path}: {status}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Every table is still there, the accounts untouched, and the pages
    // that list what was stored show it.
    assert_eq!(app.count("users").await, users);
    for table in FORM_TABLES.into_iter().chain(["buildings", "visitor_log"]) {
        app.count(table).await;
    }
    let (status, page) = client.get_page("/profil/batiments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&plain(&wemaintain::views::typography::text(
            "'; DROP TABLE users; --"
        ))),
        "shown as typed, French typography aside"
    );
    let (status, _) = admin.get_page("/admin/messages").await;
    assert_eq!(status, StatusCode::OK);
}

// 6. Path traversal ------------------------------------------------------

async fn path_traversal_on_static_files_finds_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let targets: [&[u8]; 14] = [
        b"/static/..%2f..%2fCargo.toml",
        b"/static/..%2F..%2FCargo.toml",
        b"/static/%2e%2e/%2e%2e/etc/passwd",
        b"/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        b"/static/../src/main.rs",
        b"/static/../../Cargo.toml",
        b"/static/..\\..\\Cargo.toml",
        b"/static/..%5c..%5cCargo.toml",
        b"/static/site.css%00.png",
        b"/static/site.css%00",
        b"/static//etc/passwd",
        b"/static/%252e%252e%252fCargo.toml",
        b"/static/....//....//Cargo.toml",
        b"/static/site.css/..",
    ];
    for target in targets {
        let shown = String::from_utf8_lossy(target).into_owned();
        let (status, response) = raw_request(&app, raw_get(target)).await;
        assert!(
            status == 404 || status == 400,
            "GET {shown}: {status}\n{response}"
        );
        for leaked in ["[package]", "[dependencies]", "root:x:", "fn main"] {
            assert!(
                !response.contains(leaked),
                "GET {shown} leaks a file ({leaked})"
            );
        }
        // The same through an HTTP client (which normalises `..`).
        let response = app.get(&shown).await;
        let status = response.status();
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST,
            "client GET {shown}: {status}"
        );
        let body = response.text().await.unwrap_or_default();
        assert!(
            !body.contains("[package]") && !body.contains("root:"),
            "{shown}"
        );
    }
    // The embedded files are still served.
    let (status, response) = raw_request(&app, raw_get(b"/static/site.css")).await;
    assert_eq!(status, 200, "{response}");
}

// 7. Methods -------------------------------------------------------------

async fn unexpected_methods_are_405_on_every_route(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, client) = admin_and_client(&app).await;
    let anonymous = app.browser();
    let admin_token = admin.csrf_token().await;
    let client_token = client.csrf_token().await;

    let mut paths: Vec<&RouteSpec> = Vec::new();
    for spec in ROUTES {
        if !paths.iter().any(|seen| seen.path == spec.path) {
            paths.push(spec);
        }
    }
    let mut problems: Vec<String> = Vec::new();
    for spec in &paths {
        let path = spec.example_path();
        let (browser, token) = if spec.access == Access::Client {
            (&client, &client_token)
        } else {
            (&admin, &admin_token)
        };
        for method in [
            reqwest::Method::PUT,
            reqwest::Method::DELETE,
            reqwest::Method::PATCH,
            reqwest::Method::OPTIONS,
            reqwest::Method::from_bytes(b"PROPFIND").expect("a method"),
        ] {
            // Allowed in: the route answers that it has no such action.
            let status = browser
                .client
                .request(method.clone(), browser.url(&path))
                .form(&[("csrf", token.as_str())])
                .send()
                .await
                .expect("the server answers")
                .status();
            if status != StatusCode::METHOD_NOT_ALLOWED {
                problems.push(format!("{method} {path}: {status}"));
            }
            // Not let in: refused one way or another, never served.
            let status = anonymous
                .client
                .request(method.clone(), anonymous.url(&path))
                .send()
                .await
                .expect("the server answers")
                .status();
            if status.is_success() || status.is_server_error() {
                problems.push(format!("{method} {path} anonymously: {status}"));
            }
        }
        // A POST where the path has no form.
        if !ROUTES
            .iter()
            .any(|other| other.path == spec.path && other.verb == Verb::Post)
        {
            let status = browser
                .client
                .post(browser.url(&path))
                .form(&[("csrf", token.as_str())])
                .send()
                .await
                .expect("the server answers")
                .status();
            if status != StatusCode::METHOD_NOT_ALLOWED {
                problems.push(format!("POST {path}: {status}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Nothing was done: both browsers are still logged in.
    assert_eq!(admin.get("/admin").await.status(), StatusCode::OK);
    assert_eq!(client.get("/profil").await.status(), StatusCode::OK);
}

// 8. Absurd path parameters --------------------------------------------------

/// `spec.path` with every `{parameter}` replaced by `value`; `{inbox}` by
/// a real inbox when `keep_inbox`.
fn path_with(spec: &RouteSpec, value: &str, keep_inbox: bool) -> String {
    spec.path
        .split('/')
        .map(|segment| match segment {
            "{inbox}" if keep_inbox => "questions",
            s if s.starts_with('{') => value,
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn absurd_path_parameters_never_fail(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, client) = admin_and_client(&app).await;
    let before = form_counts(&app).await;

    let mut problems: Vec<String> = Vec::new();
    let mut calls = 0;
    for spec in ROUTES.iter().filter(|spec| spec.path.contains('{')) {
        let mut paths: Vec<String> = Vec::new();
        for value in ABSURD_PARAMETERS {
            paths.push(path_with(spec, value, false));
            if spec.path.contains("{inbox}") {
                paths.push(path_with(spec, value, true));
            }
        }
        for path in paths {
            for (who, email, browser) in [("admin", ADMIN, &admin), ("client", CLIENT, &client)] {
                let response = match spec.verb {
                    Verb::Read => browser.get(&path).await,
                    Verb::Post => {
                        // The session's own token: a POST that logged the
                        // browser out and back in changed it.
                        let token = browser.csrf_token().await;
                        let body = encoded(
                            &token,
                            &[
                                ("statut", "'; DROP TABLE users; --"),
                                ("role", "superadmin"),
                                ("etat", "%"),
                                ("jours", "99999999999999999999"),
                                ("message", "_"),
                                ("motif", "\\"),
                                ("reponse", "-1"),
                                ("confirmation", "non"),
                            ],
                        );
                        browser
                            .client
                            .post(browser.url(&path))
                            .header("content-type", "application/x-www-form-urlencoded")
                            .body(body)
                            .send()
                            .await
                            .expect("the server answers")
                    }
                };
                calls += 1;
                let status = response.status();
                if status.is_server_error() {
                    problems.push(format!(
                        "{} {path} as {who}: {status}",
                        verb_name(spec.verb)
                    ));
                }
                if spec.verb == Verb::Post {
                    stay_logged_in(browser, email).await;
                }
            }
        }
    }
    // The example paths (parameter 1, which exists for no one here) with
    // an empty form and with a junk one.
    for spec in ROUTES.iter().filter(|spec| spec.verb == Verb::Post) {
        let path = spec.example_path();
        let (browser, email) = if spec.access == Access::Client {
            (&client, CLIENT)
        } else {
            (&admin, ADMIN)
        };
        for junk in ["", "&&&=&==&a=b=c&%FF=%FE&email=&mot_de_passe="] {
            let token = browser.csrf_token().await;
            let body = format!("csrf={token}{junk}");
            let response = browser
                .client
                .post(browser.url(&path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("the server answers");
            calls += 1;
            if response.status().is_server_error() {
                problems.push(format!("POST {path} (junk form): {}", response.status()));
            }
            stay_logged_in(browser, email).await;
        }
    }
    assert!(calls > 200, "{calls} calls");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(form_counts(&app).await, before, "junk writes nothing");
}
