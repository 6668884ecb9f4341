use crate::helpers::{header, spawn_app, spawn_app_with, Backend};
use crate::on_both_backends;

on_both_backends!(
    every_response_carries_the_security_headers,
    hsts_is_sent_only_behind_https,
);

fn assert_security_headers(path: &str, headers: &reqwest::header::HeaderMap) {
    let csp = header(headers, "content-security-policy");
    assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{path}"
    );
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{path}");
    assert_eq!(header(headers, "referrer-policy"), "same-origin", "{path}");
    assert!(
        header(headers, "permissions-policy").contains("camera=()"),
        "{path}"
    );
    assert!(!header(headers, "x-request-id").is_empty(), "{path}");
}

async fn every_response_carries_the_security_headers(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, _, home) = app.get_page("/").await;
    let css = home
        .split('"')
        .find(|s| s.starts_with("/static/site.") && s.ends_with(".css"))
        .expect("the stylesheet link")
        .to_owned();
    for path in [
        "/",
        "/services",
        "/politique-de-confidentialite",
        "/healthz",
        "/absent",
        css.as_str(),
    ] {
        let response = app.get(path).await;
        assert_security_headers(path, response.headers());
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none(),
            "{path}"
        );
    }
    let response = app.client.delete(app.url("/")).send().await.unwrap();
    assert_security_headers("DELETE /", response.headers());
}

async fn hsts_is_sent_only_behind_https(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.https = true).await;
    for path in ["/", "/absent"] {
        let response = app.get(path).await;
        assert!(
            header(response.headers(), "strict-transport-security").starts_with("max-age="),
            "{path}"
        );
    }
}
