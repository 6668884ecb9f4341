//! Where a request comes from, as the browser says it. Every current browser
//! sends `Sec-Fetch-Site` (`same-origin`, `same-site`, `cross-site`, or
//! `none` for an address typed or a bookmark) and, on a POST, `Origin`. A
//! request carrying neither is not a browser's cross-site request (an old
//! browser, a script): the CSRF token alone decides for it.
//!
//! The site's own origin is the one of `WM_PUBLIC_URL`, never the `Host` or
//! `X-Forwarded-Host` the request carries: those the sender chooses.

use actix_web::http::header::HeaderMap;
use actix_web::HttpRequest;

/// The site's own origin (`https://www.wemaintain.com`).
#[derive(Debug, Clone)]
pub struct SiteOrigin(url::Origin);

/// Why a POST was taken for one sent from another site.
#[derive(Debug, thiserror::Error)]
pub enum CrossSite {
    #[error("Sec-Fetch-Site: {0}")]
    FetchSite(String),
    #[error("Origin: {0}")]
    Origin(String),
}

impl SiteOrigin {
    /// The origin of the site's public address.
    pub fn of_public_url(public_url: &str) -> Result<Self, String> {
        let url = url::Url::parse(public_url)
            .map_err(|e| format!("'{public_url}' is not an address: {e}"))?;
        match url.origin() {
            origin @ url::Origin::Tuple(..) => Ok(Self(origin)),
            url::Origin::Opaque(_) => Err(format!("'{public_url}' has no origin")),
        }
    }

    /// Refuses a POST that a browser says comes from another site, or from
    /// another subdomain of this one (`same-site`: a sibling subdomain is
    /// not this site).
    pub fn check_post(&self, headers: &HeaderMap) -> Result<(), CrossSite> {
        if let Some(site) = fetch_site(headers) {
            if !matches!(site, "same-origin" | "none") {
                return Err(CrossSite::FetchSite(site.to_owned()));
            }
        }
        let Some(origin) = headers.get("origin") else {
            return Ok(());
        };
        let text = origin.to_str().unwrap_or_default().trim();
        // `null` (a sandboxed frame, a privacy-sensitive redirect) parses as
        // nothing and is refused like any other origin.
        let same = url::Url::parse(text).is_ok_and(|url| url.origin() == self.0);
        if same {
            Ok(())
        } else {
            Err(CrossSite::Origin(text.chars().take(200).collect()))
        }
    }
}

fn fetch_site(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Whether a page was opened from another site (a link, a redirect, a
/// form there): such a navigation must not run a search or open a record
/// whose reading is audited, on a logged-in person's behalf.
pub fn opened_from_another_site(req: &HttpRequest) -> bool {
    matches!(fetch_site(req.headers()), Some("cross-site" | "same-site"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        map
    }

    #[test]
    fn only_the_public_origin_may_post() {
        let site = SiteOrigin::of_public_url("https://www.wemaintain.com/").unwrap();
        for ok in [
            &[][..],
            &[("origin", "https://www.wemaintain.com")],
            &[("origin", "https://WWW.wemaintain.com:443")],
            &[("sec-fetch-site", "same-origin")],
            &[("sec-fetch-site", "none")],
        ] {
            assert!(site.check_post(&headers(ok)).is_ok(), "{ok:?}");
        }
        for refused in [
            &[("sec-fetch-site", "cross-site")][..],
            &[("sec-fetch-site", "same-site")],
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://www.wemaintain.com"),
            ],
            &[("origin", "http://www.wemaintain.com")],
            &[("origin", "https://www.wemaintain.com:8443")],
            &[("origin", "https://evil.example")],
            &[("origin", "https://wemaintain.com")],
            &[("origin", "null")],
            &[("origin", "")],
        ] {
            assert!(site.check_post(&headers(refused)).is_err(), "{refused:?}");
        }
        assert!(SiteOrigin::of_public_url("not a url").is_err());
        assert!(SiteOrigin::of_public_url("data:text/plain,x").is_err());
    }
}
