//! Static files (CSS, icons), embedded in the binary and served under
//! `/static/` with their content hash in the name, so they can be cached for
//! a year and still change the moment a new release changes them.

use std::sync::OnceLock;

use actix_web::http::header::{self, CacheDirective};
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};

struct Asset {
    /// The name under `static/`, e.g. `site.css`.
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "site.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../static/site.css"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../static/favicon.svg"),
    },
    Asset {
        name: "logo.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../static/logo.svg"),
    },
];

/// `site.css` → `site.1a2b3c4d5e6f.css`, computed once per process.
fn hashed_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        ASSETS
            .iter()
            .map(|asset| {
                let digest = Sha256::digest(asset.bytes);
                let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
                match asset.name.rsplit_once('.') {
                    Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                    None => format!("{}.{hash}", asset.name),
                }
            })
            .collect()
    })
}

/// The URL a page uses for a static file: its versioned name.
pub fn url(name: &str) -> String {
    match ASSETS.iter().position(|asset| asset.name == name) {
        Some(i) => format!("/static/{}", hashed_names()[i]),
        // A view naming a file that is not embedded is a programming error;
        // a plain URL answers 404 instead of stopping the page.
        None => format!("/static/{name}"),
    }
}

/// `GET /static/{file}`: the versioned name is immutable for a year; the
/// plain name is served too (for bookmarks and e-mails) but revalidated.
pub async fn serve(file: web::Path<String>) -> HttpResponse {
    let file = file.into_inner();
    let hashed = hashed_names();
    let found = ASSETS.iter().enumerate().find_map(|(i, asset)| {
        if hashed[i] == file {
            Some((asset, true))
        } else if asset.name == file {
            Some((asset, false))
        } else {
            None
        }
    });
    match found {
        Some((asset, versioned)) => {
            let cache = if versioned {
                vec![
                    CacheDirective::Public,
                    CacheDirective::MaxAge(365 * 24 * 3600),
                    CacheDirective::Extension("immutable".into(), None),
                ]
            } else {
                vec![CacheDirective::Public, CacheDirective::NoCache]
            };
            HttpResponse::Ok()
                .content_type(asset.content_type)
                .insert_header(header::CacheControl(cache))
                .body(asset.bytes)
        }
        // The error-page middleware draws the French 404.
        None => HttpResponse::NotFound().finish(),
    }
}
