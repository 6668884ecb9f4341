//! The visitor's objection to audience measurement: a browser signal
//! (`Sec-GPC: 1`, `DNT: 1`) or the choice made on `/confidentialite/opposition`,
//! kept in a cookie that holds that choice and nothing else.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::header::{self, HeaderMap};

/// The cookie's name and its only value.
pub const OPT_OUT_COOKIE: &str = "wm_mesure_audience";
pub const OPT_OUT_VALUE: &str = "refus";
/// Thirteen months, as the CNIL recommends for such a choice.
pub const OPT_OUT_LIFETIME_DAYS: i64 = 396;

/// Whether a page view may be counted for audience measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudienceChoice {
    Measured,
    /// The visitor objected on the opt-out page.
    Objected,
    /// The browser asks every site not to track (GPC or DNT).
    BrowserSignal,
}

impl AudienceChoice {
    pub fn of_request(headers: &HeaderMap) -> Self {
        let signal = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim() == "1")
        };
        if has_objection_cookie(headers) {
            AudienceChoice::Objected
        } else if signal("sec-gpc") || signal("dnt") {
            AudienceChoice::BrowserSignal
        } else {
            AudienceChoice::Measured
        }
    }

    pub fn is_measured(self) -> bool {
        self == AudienceChoice::Measured
    }
}

/// Looks for `wm_mesure_audience=refus` among the request's cookies
/// without parsing them all: this runs on every request.
fn has_objection_cookie(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .any(|pair| {
            pair.trim()
                .split_once('=')
                .is_some_and(|(name, value)| name == OPT_OUT_COOKIE && value == OPT_OUT_VALUE)
        })
}

/// The cookie that records an objection, for 13 months.
pub fn objection_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build(OPT_OUT_COOKIE, OPT_OUT_VALUE)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(OPT_OUT_LIFETIME_DAYS))
        .finish()
}

/// The same cookie, expired: the objection is withdrawn.
pub fn withdrawal_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = objection_cookie(secure);
    cookie.make_removal();
    cookie
}
