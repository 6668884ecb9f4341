//! Speaking HTTP to the site as a browser does: pages, forms with their
//! CSRF token, the tokens of mailed links, and other browsers with their
//! own cookie jars.

use crate::common::app::{http_client, TestApp};
use crate::common::text::plain;

/// The token of the last link to `path` in a mail's text.
pub fn token_in(mail: &str, path: &str) -> Option<String> {
    let needle = format!("{path}?jeton=");
    let start = mail.rfind(&needle)? + needle.len();
    Some(
        mail[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

/// The value of the `csrf` hidden field in a page.
pub fn csrf_in(page: &str) -> Option<String> {
    let start = page.find(r#"name="csrf" value=""#)? + r#"name="csrf" value=""#.len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned())
}

/// A page with each form's CSRF token blanked: the token is masked anew in
/// every response, so two pages otherwise the same differ there.
pub fn without_csrf(page: &str) -> String {
    const FIELD: &str = r#"name="csrf" value=""#;
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(start) = rest.find(FIELD) {
        let value = start + FIELD.len();
        out.push_str(&rest[..value]);
        rest = &rest[value..];
        rest = &rest[rest.find('"').unwrap_or(0)..];
    }
    out.push_str(rest);
    out
}

/// The value of a header, or "" when it is missing.
pub fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.same_browser().get(path).await
    }

    /// GET with extra request headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("the server answers")
    }

    /// GET, then the body as text along with the response's head; the
    /// text with plain apostrophes and spaces ([`plain`]).
    pub async fn get_page(
        &self,
        path: &str,
    ) -> (reqwest::StatusCode, reqwest::header::HeaderMap, String) {
        let (status, headers, body) = self.get_page_raw(path).await;
        (status, headers, plain(&body))
    }

    /// GET, the body exactly as the server sent it.
    pub async fn get_page_raw(
        &self,
        path: &str,
    ) -> (reqwest::StatusCode, reqwest::header::HeaderMap, String) {
        let response = self.get(path).await;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("a text body");
        (status, headers, body)
    }

    /// This client's CSRF token, as the site's forms carry it (the first
    /// call has the cookie set, as a browser showing a form would).
    pub async fn csrf_token(&self) -> String {
        self.same_browser().csrf_token().await
    }

    /// POSTs a form as the site's own pages do: with the CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.same_browser().post_form(path, fields).await
    }

    /// This client as a [`Browser`] (a clone of a client shares its cookies).
    fn same_browser(&self) -> Browser {
        Browser {
            client: self.client.clone(),
            address: self.address.clone(),
        }
    }

    /// Another browser on the same site: its own cookie jar.
    pub fn browser(&self) -> Browser {
        Browser {
            client: http_client(),
            address: self.address.clone(),
        }
    }
}

/// Another browser on the same site: its own cookie jar.
pub struct Browser {
    pub client: reqwest::Client,
    pub address: String,
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers")
    }

    /// GET, the body with plain apostrophes and spaces ([`plain`]).
    pub async fn get_page(&self, path: &str) -> (reqwest::StatusCode, String) {
        let (status, body) = self.get_page_raw(path).await;
        (status, plain(&body))
    }

    /// GET, the body exactly as the server sent it.
    pub async fn get_page_raw(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("a text body"))
    }

    /// The CSRF token of this browser (a form page sets it the first time).
    pub async fn csrf_token(&self) -> String {
        let (status, page) = self.get_page("/contact").await;
        assert_eq!(status, 200, "the contact page shows a form");
        csrf_in(&page).expect("a form carries a csrf field")
    }

    /// POSTs a form with this browser's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_with(path, fields, None).await
    }

    /// POSTs a form with this browser's CSRF token, as sent through a
    /// trusted proxy for the client address `ip` (`X-Forwarded-For`).
    pub async fn post_form_from(
        &self,
        ip: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        self.post_form_with(path, fields, Some(ip)).await
    }

    async fn post_form_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        forwarded_for: Option<&str>,
    ) -> reqwest::Response {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        let mut request = self.client.post(self.url(path));
        if let Some(ip) = forwarded_for {
            request = request.header("X-Forwarded-For", ip);
        }
        request.form(&all).send().await.expect("the server answers")
    }
}

/// `page` with its table cells' attributes (role, column label) removed, so
/// that a test can look for `<td>a</td><td>b</td>`.
pub fn bare_cells(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(start) = rest.find("<td ") {
        out.push_str(&rest[..start]);
        out.push_str("<td>");
        let tag = &rest[start..];
        rest = &tag[tag.find('>').map_or(tag.len(), |end| end + 1)..];
    }
    out.push_str(rest);
    out
}
