//! Cross-site request forgery. Every POST of the site passes two checks, in
//! a middleware that the router puts on every resource with a POST route, so
//! that no POST route can forget them; a refused request reaches no handler,
//! so nothing is written:
//!
//! 1. where it comes from: a browser says it in `Sec-Fetch-Site` and
//!    `Origin`; a POST from another site is refused before its body is read
//!    (see [`super::origin`]);
//! 2. its `csrf` field: a token derived from a secret of the session that
//!    drew the form (logged in: a secret kept in the server-side session
//!    state; before login: a random secret in the browser's `wm_csrf`
//!    cookie, replaced at login). A token taken from another browser, the
//!    attacker's own included, is worthless in this one.
//!
//! Each form carries its token masked by a one-time pad, so that the token's
//! bytes differ in every response: a compressed page that also reflects
//! input cannot be used to guess them (BREACH).
//!
//! The cookie is set only when a page with a form is shown and is strictly
//! necessary to the form: it needs no consent.

use std::time::Duration;

use actix_session::SessionExt;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::roles::Viewer;
use super::session::{SessionNotWritten, SiteSession};
use crate::state::AppState;
use crate::views::errors::expired_form_page;

/// The pre-session cookie's name over plain http (tests, a local network).
pub const CSRF_COOKIE: &str = "wm_csrf";
pub const CSRF_FIELD: &str = "csrf";
/// Forms of this site are small; a bigger body is refused before parsing.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// The pre-session cookie's name: behind TLS a `__Host-` cookie, which a
/// subdomain or a plain-http page cannot plant or overwrite.
pub fn csrf_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-wm_csrf"
    } else {
        CSRF_COOKIE
    }
}

const SECRET_BYTES: usize = 32;
const TOKEN_BYTES: usize = 32;

/// A random secret a token is derived from; never written into a page.
struct Secret([u8; SECRET_BYTES]);

impl Secret {
    fn random() -> Self {
        let mut bytes = [0u8; SECRET_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    fn decode(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }
}

/// The key tokens are derived with, from the site's secret.
#[derive(Clone)]
pub struct CsrfKey(Vec<u8>);

impl CsrfKey {
    pub fn new(key: Vec<u8>) -> Self {
        Self(key)
    }

    fn token_of(&self, secret: &Secret) -> CsrfToken {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(&secret.0);
        CsrfToken(mac.finalize().into_bytes().into())
    }
}

/// The token of this request's session, for the page's forms. It is never
/// written as it is: each form gets a freshly masked copy ([`Self::masked`]).
#[derive(Clone)]
pub struct CsrfToken([u8; TOKEN_BYTES]);

impl std::fmt::Debug for CsrfToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfToken(…)")
    }
}

impl CsrfToken {
    /// `pad || pad XOR token`, with a new random pad at each call.
    pub fn masked(&self) -> String {
        let mut out = [0u8; 2 * TOKEN_BYTES];
        let (pad, masked) = out.split_at_mut(TOKEN_BYTES);
        rand::rngs::OsRng.fill_bytes(pad);
        for ((m, p), t) in masked.iter_mut().zip(pad.iter()).zip(self.0.iter()) {
            *m = p ^ t;
        }
        URL_SAFE_NO_PAD.encode(out)
    }

    /// The token a masked copy stands for, if it is one.
    fn unmask(submitted: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(submitted.trim()).ok()?;
        if bytes.len() != 2 * TOKEN_BYTES {
            return None;
        }
        let (pad, masked) = bytes.split_at(TOKEN_BYTES);
        let mut token = [0u8; TOKEN_BYTES];
        for ((t, p), m) in token.iter_mut().zip(pad).zip(masked) {
            *t = p ^ m;
        }
        Some(Self(token))
    }

    fn matches(&self, other: &CsrfToken) -> bool {
        self.0.ct_eq(&other.0).into()
    }

    /// The token of `req`'s session, creating its secret when there is
    /// none yet (in the session state, or as a cookie the middleware sets).
    pub fn of_request(req: &HttpRequest) -> Result<Self, actix_web::Error> {
        let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| {
            actix_web::error::ErrorInternalServerError("application state missing")
        })?;
        if let Some(secret) = current_secret(req, state) {
            return Ok(state.csrf_key.token_of(&secret));
        }
        let secret = Secret::random();
        if req.extensions().get::<Viewer>().is_some() {
            SiteSession::new(req.get_session())
                .set_csrf_secret(secret.encode())
                .map_err(actix_web::error::ErrorInternalServerError)?;
        } else {
            req.extensions_mut().insert(Minted(secret.encode()));
        }
        Ok(state.csrf_key.token_of(&secret))
    }
}

/// The secret this request's tokens derive from: the session's for a
/// logged-in person, else the browser's pre-session cookie (or the one
/// minted earlier in this request).
fn current_secret(req: &HttpRequest, state: &AppState) -> Option<Secret> {
    if req.extensions().get::<Viewer>().is_some() {
        let secret = SiteSession::new(req.get_session()).csrf_secret()?;
        return Secret::decode(&secret);
    }
    if let Some(Minted(secret)) = req.extensions().get::<Minted>() {
        return Secret::decode(secret);
    }
    let cookie = req.cookie(csrf_cookie_name(state.https))?;
    Secret::decode(cookie.value())
}

/// At login: the session gets its own secret, and the browser's
/// pre-session secret is replaced, so that one planted before login
/// (a cookie set by a subdomain, say) is worthless after it.
pub fn bind_to_new_session(
    req: &HttpRequest,
    session: &SiteSession,
) -> Result<(), SessionNotWritten> {
    session.set_csrf_secret(Secret::random().encode())?;
    req.extensions_mut()
        .insert(Minted(Secret::random().encode()));
    Ok(())
}

/// Marks a pre-session secret minted during this request, for the
/// middleware to set as a cookie.
#[derive(Clone)]
struct Minted(String);

impl FromRequest for CsrfToken {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Self::of_request(req))
    }
}

/// Refuses any POST that comes from another site or whose form does not
/// carry this session's token (403), whose body is too big (413), too slow
/// to arrive (408) or not UTF-8 text (400). The router wraps every resource
/// that has a POST route in it.
pub async fn check_csrf(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() == Method::POST {
        let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
            return Err(actix_web::error::ErrorInternalServerError(
                "application state missing",
            ));
        };
        if is_link_with_token(req.path()) {
            // Its own secret is in the address; a mail client posts it from
            // nowhere, without cookies (RFC 8058 one-click).
            let body = match read_body(&mut req, state.body_timeout).await {
                Ok(body) => body,
                Err(response) => return Ok(req.into_response(response)),
            };
            if !is_text_form(&body) {
                return Ok(req.into_response(HttpResponse::BadRequest().finish()));
            }
            req.set_payload(Payload::from(body));
            return next.call(req).await;
        }
        if let Err(refusal) = state.site_origin.check_post(req.headers()) {
            tracing::info!(path = req.path(), %refusal, "form refused: sent from another site");
            let response = refused(req.path());
            return Ok(req.into_response(response));
        }
        let body = match read_body(&mut req, state.body_timeout).await {
            Ok(body) => body,
            Err(response) => return Ok(req.into_response(response)),
        };
        // The session holds the secret: while the database cannot be read,
        // nobody can tell whether the form is genuine, so the answer is
        // "unavailable", as for the pages, not "expired".
        if req
            .extensions()
            .get::<super::roles::SessionUnreadable>()
            .is_some()
        {
            return Ok(req.into_response(HttpResponse::ServiceUnavailable().finish()));
        }
        let expected =
            current_secret(req.request(), &state).map(|secret| state.csrf_key.token_of(&secret));
        let submitted = form_field(&body, CSRF_FIELD).and_then(|field| CsrfToken::unmask(&field));
        let valid = match (expected, submitted) {
            (Some(expected), Some(submitted)) => expected.matches(&submitted),
            _ => false,
        };
        if !valid {
            tracing::info!(
                path = req.path(),
                "form refused: missing or wrong CSRF token"
            );
            let response = refused(req.path());
            return Ok(req.into_response(response));
        }
        if !is_text_form(&body) {
            tracing::info!(path = req.path(), "form refused: not UTF-8 text");
            return Ok(req.into_response(HttpResponse::BadRequest().finish()));
        }
        req.set_payload(Payload::from(body));
    }
    next.call(req).await
}

/// The addresses that carry their own unguessable secret (the stop link of
/// a report mail): a POST to them cannot be forged by another site, which
/// does not know it, so neither the origin nor the session's token is
/// asked for.
const LINKS_WITH_TOKEN: &[&str] = &["/statistiques/rapports/desabonnement/"];

fn is_link_with_token(path: &str) -> bool {
    LINKS_WITH_TOKEN.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|token| !token.is_empty() && !token.contains('/'))
    })
}

/// The page of `views::errors`, answered here rather than with
/// `crate::http::html`: `http` reaches the views that import this module.
fn refused(path: &str) -> HttpResponse {
    HttpResponse::Forbidden()
        .content_type("text/html; charset=utf-8")
        .body(expired_form_page(path).into_string())
}

/// Sets the cookie of a pre-session secret minted while drawing the page.
pub async fn set_minted_token(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let minted = response.request().extensions().get::<Minted>().cloned();
    if let Some(Minted(secret)) = minted {
        let https = response
            .request()
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.https);
        // `__Host-` asks for Secure, Path=/ and no Domain.
        let cookie = Cookie::build(csrf_cookie_name(https), secret)
            .path("/")
            .http_only(true)
            .secure(https)
            .same_site(SameSite::Lax)
            .finish();
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response)
}

/// The body of a form, up to [`MAX_FORM_BYTES`] (a bigger one gets 413),
/// whole within `deadline` (actix-web's own timeout covers the head only: a
/// body sent a byte at a time would hold the connection for ever; a late
/// one gets 408 and the connection is closed).
async fn read_body(req: &mut ServiceRequest, deadline: Duration) -> Result<Bytes, HttpResponse> {
    use futures_util::StreamExt as _;
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    let whole = async {
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| HttpResponse::BadRequest().finish())?;
            if body.len() + chunk.len() > MAX_FORM_BYTES {
                return Err(HttpResponse::PayloadTooLarge().finish());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(())
    };
    match tokio::time::timeout(deadline, whole).await {
        Ok(Ok(())) => Ok(body.freeze()),
        Ok(Err(response)) => Err(response),
        Err(_) => {
            tracing::info!(path = req.path(), "form refused: body too slow");
            Err(HttpResponse::RequestTimeout().force_close().finish())
        }
    }
}

/// Whether a urlencoded body is UTF-8 text once its `%XX` escapes are
/// decoded. `web::Form` would quietly turn invalid bytes into U+FFFD and
/// the form would store altered text; a NUL, which no one types, SQLite
/// would store and PostgreSQL refuse (a 503). Such a body is refused (400),
/// the same on both backends.
fn is_text_form(body: &[u8]) -> bool {
    let mut decoded = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let escaped = match body.get(i..i + 3) {
            Some([b'%', high, low]) => (*high as char)
                .to_digit(16)
                .zip((*low as char).to_digit(16))
                .map(|(high, low)| (high * 16 + low) as u8),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(body[i]);
                i += 1;
            }
        }
    }
    !decoded.contains(&0) && std::str::from_utf8(&decoded).is_ok()
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_stop_link_with_its_token_skips_the_form_token() {
        assert!(is_link_with_token(
            "/statistiques/rapports/desabonnement/abc123"
        ));
        assert!(!is_link_with_token("/statistiques/rapports/desabonnement/"));
        assert!(!is_link_with_token(
            "/statistiques/rapports/desabonnement/a/b"
        ));
        assert!(!is_link_with_token("/statistiques/rapports"));
        assert!(!is_link_with_token("/contact"));
    }

    #[test]
    fn tokens_are_derived_from_the_secret_by_the_key() {
        let secret = Secret::random();
        let key = CsrfKey::new(b"k1".to_vec());
        let token = key.token_of(&secret);
        assert!(token.matches(&key.token_of(&secret)));
        assert!(!token.matches(&CsrfKey::new(b"k2".to_vec()).token_of(&secret)));
        assert!(!token.matches(&key.token_of(&Secret::random())));
        let decoded = Secret::decode(&secret.encode()).expect("a secret");
        assert!(token.matches(&key.token_of(&decoded)));
        assert!(Secret::decode("short").is_none());
    }

    #[test]
    fn every_masked_copy_differs_and_unmasks_to_the_token() {
        let token = CsrfKey::new(b"k".to_vec()).token_of(&Secret::random());
        let (a, b) = (token.masked(), token.masked());
        assert_ne!(a, b);
        for copy in [a, b] {
            assert!(CsrfToken::unmask(&copy).is_some_and(|t| t.matches(&token)));
        }
        assert!(CsrfToken::unmask("").is_none());
        assert!(CsrfToken::unmask("forged.c2lnbmF0dXJl").is_none());
        assert!(CsrfToken::unmask(&URL_SAFE_NO_PAD.encode([0u8; 63])).is_none());
    }

    #[test]
    fn the_field_is_read_from_a_urlencoded_body() {
        assert_eq!(
            form_field(b"a=1&csrf=x%2By&b=2", "csrf").as_deref(),
            Some("x+y")
        );
        assert_eq!(form_field(b"a=1", "csrf"), None);
    }

    #[test]
    fn only_utf8_text_forms_are_read() {
        assert!(is_text_form(
            b"a=1&b=%C3%A9t%C3%A9+x&c=%&d=%4&e=%zz&f=100%25"
        ));
        assert!(is_text_form("nom=été".as_bytes()));
        assert!(is_text_form(b""));
        assert!(!is_text_form(b"a=%FF%FE"));
        assert!(!is_text_form(b"a=\xff\xfe"));
        assert!(!is_text_form(b"a=ok%C3%28"));
        assert!(!is_text_form(b"a=%C3"));
        assert!(!is_text_form(b"%FF=1"));
        assert!(!is_text_form(b"a=x%00y"));
        assert!(!is_text_form(b"a=\0"));
    }
}
