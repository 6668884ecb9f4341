//! Browser and OS versions, kept as « Firefox 121 » or « Android 14 »: the
//! family and its major version only (fewer values, and a rare minor
//! version would single a visitor out), listed under their family.

use std::collections::HashMap;

/// The version part of a value whose version was not sent.
pub const UNKNOWN_VERSION: &str = "(version inconnue)";

/// « Firefox 121 » from `Firefox` and `121.0.1`; nothing without a family.
pub fn version_value(family: Option<&str>, version: Option<&str>) -> Option<String> {
    let family = family.map(str::trim).filter(|f| !f.is_empty())?;
    let major = version
        .and_then(|v| v.split(['.', '_']).next())
        .map(str::trim)
        .filter(|m| !m.is_empty());
    Some(format!("{family} {}", major.unwrap_or(UNKNOWN_VERSION)))
}

/// The family a version value belongs to: the longest family it starts
/// with, followed by a space (« Chrome Mobile 120 » is not Chrome's).
pub fn family_of<'a>(value: &str, families: &[&'a str]) -> Option<&'a str> {
    families
        .iter()
        .filter(|f| {
            value
                .strip_prefix(**f)
                .is_some_and(|rest| rest.starts_with(' '))
        })
        .max_by_key(|f| f.len())
        .copied()
}

/// Version values grouped by their family.
pub fn group_by_family<T>(
    families: &[&str],
    versions: Vec<(String, T)>,
) -> HashMap<String, Vec<(String, T)>> {
    let mut groups: HashMap<String, Vec<(String, T)>> = HashMap::new();
    for (value, item) in versions {
        if let Some(family) = family_of(&value, families) {
            groups
                .entry(family.to_owned())
                .or_default()
                .push((value, item));
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_major_version_is_kept() {
        assert_eq!(
            version_value(Some("Firefox"), Some("121.0.1")).as_deref(),
            Some("Firefox 121")
        );
        assert_eq!(
            version_value(Some("Android"), Some("14")).as_deref(),
            Some("Android 14")
        );
        assert_eq!(
            version_value(Some("Linux"), None).as_deref(),
            Some("Linux (version inconnue)")
        );
        assert_eq!(version_value(None, Some("3")), None);
    }

    #[test]
    fn a_version_goes_to_its_longest_family() {
        let families = ["Chrome", "Chrome Mobile", "Samsung Internet"];
        assert_eq!(
            family_of("Chrome Mobile 120", &families),
            Some("Chrome Mobile")
        );
        assert_eq!(family_of("Chrome 120", &families), Some("Chrome"));
        assert_eq!(family_of("Chromium 120", &families), None);
        assert_eq!(
            family_of("Samsung Internet 23", &families),
            Some("Samsung Internet")
        );
    }
}
