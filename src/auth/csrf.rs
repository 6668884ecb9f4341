//! Cross-site request forgery: every form carries a token, and every POST
//! of the site is refused unless its `csrf` field matches the browser's
//! token cookie (a signed double-submit cookie). The check is a middleware
//! that the router puts on every resource with a POST route, so that no
//! POST route can forget it; a refused request reaches no handler, so
//! nothing is written.
//!
//! The cookie is set only when a page with a form is shown, holds a random
//! value and an HMAC of it, and is strictly necessary to the form: it needs
//! no consent.

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

use crate::startup::AppState;

pub const CSRF_COOKIE: &str = "wm_csrf";
pub const CSRF_FIELD: &str = "csrf";
/// Forms of this site are small; a bigger body is refused before parsing.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// The key that signs tokens, derived from the site's secret.
#[derive(Clone)]
pub struct CsrfKey(Vec<u8>);

impl CsrfKey {
    pub fn new(key: Vec<u8>) -> Self {
        Self(key)
    }

    fn sign(&self, nonce: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(nonce.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    fn mint(&self) -> String {
        let mut bytes = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let nonce = URL_SAFE_NO_PAD.encode(bytes);
        format!("{nonce}.{}", self.sign(&nonce))
    }

    fn is_genuine(&self, token: &str) -> bool {
        let Some((nonce, signature)) = token.split_once('.') else {
            return false;
        };
        let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(nonce.as_bytes());
        mac.verify_slice(&signature).is_ok()
    }
}

/// The token to put in the page's forms: the browser's, or a new one that
/// the middleware then sets as a cookie.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Marks a token minted during this request, for the middleware to set.
#[derive(Clone)]
struct Minted(String);

impl FromRequest for CsrfToken {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return std::future::ready(Err(actix_web::error::ErrorInternalServerError(
                "application state missing",
            )));
        };
        let key = &state.csrf_key;
        let existing = req
            .cookie(CSRF_COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|token| key.is_genuine(token));
        let token = match existing {
            Some(token) => token,
            None => {
                let token = key.mint();
                req.extensions_mut().insert(Minted(token.clone()));
                token
            }
        };
        std::future::ready(Ok(CsrfToken(token)))
    }
}

/// Refuses any POST whose form does not carry the browser's token (403),
/// is too big (413) or is not UTF-8 text (400). The router wraps every
/// resource that has a POST route in it.
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
        let cookie = req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned());
        let body = match read_body(&mut req).await {
            Ok(body) => body,
            Err(response) => return Ok(req.into_response(response)),
        };
        let submitted = form_field(&body, CSRF_FIELD);
        let valid = match (cookie, submitted) {
            (Some(cookie), Some(submitted)) => {
                constant_time_eq(cookie.as_bytes(), submitted.as_bytes())
                    && state.csrf_key.is_genuine(&cookie)
            }
            _ => false,
        };
        if !valid {
            tracing::info!(
                path = req.path(),
                "form refused: missing or wrong CSRF token"
            );
            let response = HttpResponse::Forbidden()
                .content_type("text/html; charset=utf-8")
                .body(crate::views::errors::expired_form_page(req.path()).into_string());
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

/// Sets the cookie of a token minted while drawing the page.
pub async fn set_minted_token(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let minted = response.request().extensions().get::<Minted>().cloned();
    if let Some(Minted(token)) = minted {
        let secure = response
            .request()
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.https);
        let cookie = Cookie::build(CSRF_COOKIE, token)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .finish();
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response)
}

/// The body of a form, up to [`MAX_FORM_BYTES`]; a bigger one gets 413.
async fn read_body(req: &mut ServiceRequest) -> Result<Bytes, HttpResponse> {
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    use futures_util::StreamExt as _;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| HttpResponse::BadRequest().finish())?;
        if body.len() + chunk.len() > MAX_FORM_BYTES {
            return Err(HttpResponse::PayloadTooLarge().finish());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a token would pass the check (for tests of this module).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_signed_by_the_key() {
        let key = CsrfKey::new(b"k1".to_vec());
        let token = key.mint();
        assert!(key.is_genuine(&token));
        assert!(!CsrfKey::new(b"k2".to_vec()).is_genuine(&token));
        assert!(!key.is_genuine("forged.c2lnbmF0dXJl"));
        assert!(!key.is_genuine(""));
        assert_ne!(token, key.mint());
    }

    #[test]
    fn the_field_is_read_from_a_urlencoded_body() {
        assert_eq!(
            form_field(b"a=1&csrf=x%2By&b=2", "csrf").as_deref(),
            Some("x+y")
        );
        assert_eq!(form_field(b"a=1", "csrf"), None);
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
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
