//! Who may do what: password hashes, sessions, roles, CSRF tokens, login
//! (`login::attempt`) and password changes, login throttling and form
//! limits, and where a request comes from.

pub mod client_company;
pub mod csrf;
pub mod login;
pub mod origin;
pub mod password;
pub mod password_change;
pub mod rate_limit;
pub mod roles;
pub mod secret;
pub mod session;
pub mod throttle;

pub use client_company::ClientCompany;
pub use csrf::{CsrfKey, CsrfToken};
pub use origin::{opened_from_another_site, SiteOrigin};
pub use roles::{Access, Role, Viewer};
pub use secret::SiteSecret;

use sha2::{Digest, Sha256};

/// A hex SHA-256, for values kept only to be compared (tokens, keys).
pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A new random token for a single-use link sent by e-mail (256 bits,
/// URL-safe); only its [`digest`] is stored.
pub fn link_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// `value` made safe for a query string (`/profil?a=b` → `%2Fprofil%3Fa%3Db`).
pub fn encode_query_value(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A page to return to after login: only a path of this site, never an
/// address elsewhere (`//evil.example`, `https://…`), or an open redirect.
pub fn safe_return_path(value: &str) -> Option<&str> {
    let value = value.trim();
    let ok = value.starts_with('/')
        && !value.starts_with("//")
        && !value.starts_with("/\\")
        && !value.chars().any(|c| c.is_control() || c == '\\')
        && value.len() <= 2_000;
    ok.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return_path("/profil?x=1"), Some("/profil?x=1"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "profil",
            "",
            "/a\nb",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }
}
