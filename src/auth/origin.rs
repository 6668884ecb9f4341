//! Cross-site request forgery, first line: a state-changing request must
//! come from a page of this site. Browsers say where a request comes from
//! in `Sec-Fetch-Site` (all current ones) or `Origin`; a request carrying
//! neither (an old browser, a script) is not a cross-site browser request.

use actix_web::HttpRequest;

pub fn is_same_origin(req: &HttpRequest) -> bool {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(site) = header("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match header("origin") {
        None => true,
        Some(origin) => {
            let host = req.connection_info().host().to_ascii_lowercase();
            origin
                .split_once("://")
                .is_some_and(|(_, authority)| authority.to_ascii_lowercase() == host)
        }
    }
}
