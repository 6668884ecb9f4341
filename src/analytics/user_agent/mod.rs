//! What a User-Agent string says about the visitor's device, as the policy
//! lists it: browser, operating system, and on mobile the device type and its
//! manufacturer. Robots are recognised by two maintained lists
//! (`crawlers`), browsers by their tokens (`browsers`), systems and device
//! classes by theirs (`platform`), makers by Google Play's device list and
//! their model codes (`manufacturers`); `woothee` names robots and whatever
//! the tables here do not know.
//!
//! Versions are kept coarse on purpose (browser major version, OS
//! major.minor): enough for statistics, less to single a visitor out.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

mod browsers;
mod crawlers;
mod manufacturers;
mod platform;
pub mod score;

/// Longer User-Agent strings are cut here before anything else reads them.
pub const MAX_USER_AGENT_LEN: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceType {
    Pc,
    Smartphone,
    Tablet,
    Mobilephone,
    Crawler,
    Other,
}

impl DeviceType {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceType::Pc => "pc",
            DeviceType::Smartphone => "smartphone",
            DeviceType::Tablet => "tablet",
            DeviceType::Mobilephone => "mobilephone",
            DeviceType::Crawler => "crawler",
            DeviceType::Other => "other",
        }
    }

    pub fn is_mobile(self) -> bool {
        matches!(
            self,
            DeviceType::Smartphone | DeviceType::Tablet | DeviceType::Mobilephone
        )
    }
}

/// The device fields of a visitor-log row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub device_type: DeviceType,
    pub manufacturer: Option<String>,
}

/// Classifies User-Agent headers, remembering the answer for each distinct
/// string; the cache holds a bounded number of entries.
pub struct UserAgentClassifier {
    // Keyed by the raw header (cut to MAX_USER_AGENT_LEN), so a hit costs
    // no decoding and no allocation.
    cache: quick_cache::sync::Cache<Box<[u8]>, Arc<Device>>,
}

impl UserAgentClassifier {
    pub const DEFAULT_CAPACITY: usize = 10_000;

    pub fn new(capacity: usize) -> Self {
        Self {
            cache: quick_cache::sync::Cache::new(capacity.max(1)),
        }
    }

    /// The raw header bytes (possibly not UTF-8, possibly huge) → a device.
    pub fn classify_header(&self, header: Option<&[u8]>) -> Arc<Device> {
        let raw = header.unwrap_or_default();
        let raw = &raw[..raw.len().min(MAX_USER_AGENT_LEN)];
        if let Some(device) = self.cache.get(raw) {
            return device;
        }
        let device = Arc::new(classify(&sanitize(raw)));
        self.cache.insert(raw.into(), device.clone());
        device
    }
}

impl Default for UserAgentClassifier {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

/// Lossy UTF-8, control characters dropped.
fn sanitize(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Classifies one User-Agent string (already sanitized or not).
pub fn classify(ua: &str) -> Device {
    let ua = cut(ua);
    if ua.is_empty() {
        return Device::unknown(DeviceType::Other);
    }
    let items = model_items(ua);
    if crawlers::is_crawler(&masked(ua, &items)) {
        // Robots are rare and their names are woothee's.
        let base = woothee::parser::Parser::new().parse(ua);
        return Device {
            browser: base.and_then(|b| known(b.name)),
            ..Device::unknown(DeviceType::Crawler)
        };
    }
    let models: Vec<&str> = items.iter().map(|range| &ua[range.clone()]).collect();
    let (os, os_version) = match platform::operating_system(ua) {
        Some((os, version)) => (Some(os.to_owned()), version),
        None => (woothee_field(ua, |b| b.os), None),
    };
    let device_type = platform::device_type(ua, os.as_deref(), models.first().copied());
    let (browser, browser_version) = match browsers::browser(ua) {
        Some((name, version)) => (Some(name.to_owned()), version),
        None => (woothee_field(ua, |b| b.name), None),
    };
    let manufacturer = if device_type.is_mobile() {
        manufacturers::manufacturer(ua, os.as_deref(), &models).map(str::to_owned)
    } else {
        // The policy lists the manufacturer for mobile devices only.
        None
    };
    Device {
        browser,
        browser_version,
        os,
        os_version,
        device_type,
        manufacturer,
    }
}

/// Compiles the embedded lists, so that the first page view does not wait.
pub fn warm_up() {
    crawlers::warm_up();
    browsers::browser("");
    manufacturers::brand_of("sm-a515f");
}

impl Device {
    fn unknown(device_type: DeviceType) -> Self {
        Device {
            browser: None,
            browser_version: None,
            os: None,
            os_version: None,
            device_type,
            manufacturer: None,
        }
    }
}

fn cut(ua: &str) -> &str {
    if ua.len() <= MAX_USER_AGENT_LEN {
        return ua;
    }
    let mut end = MAX_USER_AGENT_LEN;
    while !ua.is_char_boundary(end) {
        end -= 1;
    }
    &ua[..end]
}

fn known(s: &str) -> Option<String> {
    (!s.is_empty() && s != "UNKNOWN").then(|| s.to_owned())
}

/// What woothee says of a User-Agent this module's own tables do not know.
fn woothee_field(
    ua: &str,
    field: for<'a> fn(&woothee::parser::WootheeResult<'a>) -> &'a str,
) -> Option<String> {
    woothee::parser::Parser::new()
        .parse(ua)
        .and_then(|base| known(field(&base)))
}

/// Items of a User-Agent that may name the device's model, as byte ranges:
/// on Android, those after "Android N" in the first parentheses ("SM-A515F"
/// of "SM-A515F Build/…"); in an Instagram User-Agent, its brand and model
/// fields; elsewhere, every item of the first parentheses and a leading
/// product token ("Nokia6300/2.0").
fn model_items(ua: &str) -> Vec<Range<usize>> {
    let mut items = Vec::new();
    if let Some(start) = ua.find(" Android (") {
        // Instagram: "Android (31/12; 450dpi; 1080x2177; samsung; SM-A525F; …)".
        let group = parenthesised(ua, start + " Android (".len());
        items.extend(split_items(ua, group).skip(3).take(2));
    }
    let Some(open) = ua.find('(') else {
        items.extend(leading_product(ua));
        return items;
    };
    let group = parenthesised(ua, open + 1);
    let android = ua.contains("Android") || ua.starts_with("Dalvik/");
    let mut after_android = !android;
    for item in split_items(ua, group) {
        let text = &ua[item.clone()];
        if text.starts_with("Android") || text.starts_with("HarmonyOS") {
            after_android = true;
            continue;
        }
        // "Storebot-Google/1.0" in a robot's parentheses is a product, not a model.
        let product = text.contains('/');
        if after_android
            && !product
            && !NOT_MODELS
                .iter()
                .any(|word| text.eq_ignore_ascii_case(word))
        {
            items.push(item);
        }
    }
    items.extend(leading_product(ua));
    items
}

/// Items that are never a device model.
const NOT_MODELS: &[&str] = &[
    "Linux",
    "U",
    "wv",
    "Mobile",
    "Tablet",
    "K",
    "compatible",
    "x64",
    "Win64",
];

/// The byte range of a parenthesised group's content, from just after its `(`.
fn parenthesised(ua: &str, start: usize) -> Range<usize> {
    let end = ua[start..].find(')').map_or(ua.len(), |i| start + i);
    start..end
}

/// The `;`-separated items of a group, trimmed, each cut before " Build/".
fn split_items(ua: &str, group: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut offset = group.start;
    ua[group].split(';').filter_map(move |item| {
        let start = offset + (item.len() - item.trim_start().len());
        offset += item.len() + 1;
        let text = item.trim();
        let text = text.split(" Build/").next().unwrap_or(text).trim_end();
        let no_model = text.is_empty() || text.starts_with("Build/") || text.starts_with("rv:");
        (!no_model).then(|| start..start + text.len())
    })
}

/// "Nokia6300/2.0 (…)" or "SAMSUNG-GT-E1200/1.0": basic phones name
/// themselves first.
fn leading_product(ua: &str) -> Option<Range<usize>> {
    let end = ua.find(['/', ' ']).unwrap_or(ua.len());
    let product = &ua[..end];
    let generic = ["Mozilla", "Opera", "Dalvik"].contains(&product);
    (!generic && product.len() >= 3).then_some(0..end)
}

/// The User-Agent without what looks like a robot's mark but is a
/// person's: an Android phone's model items (a "KINGKONG" or "Spider"
/// phone), each with its build id (shared by every phone of a release, and
/// one robot list names one as a robot's), and the "java_runtime_version"
/// of Nokia's Asha phones (isbot's "java" is for Java's HTTP client).
fn masked<'a>(ua: &'a str, items: &[Range<usize>]) -> std::borrow::Cow<'a, str> {
    let android = !items.is_empty() && (ua.contains("Android") || ua.starts_with("Dalvik/"));
    let java = ua.contains("java_runtime_version");
    if !android && !java {
        return std::borrow::Cow::Borrowed(ua);
    }
    let mut text = ua.to_owned();
    if android {
        let mut sorted: Vec<_> = items.iter().filter(|r| r.start > 0).cloned().collect();
        sorted.sort_by_key(|r| std::cmp::Reverse(r.start));
        sorted.dedup();
        for range in sorted {
            let end = ua[range.start..]
                .find([';', ')'])
                .map_or(ua.len(), |at| range.start + at);
            text.replace_range(range.start..end, "M");
        }
    }
    if java {
        text = text.replace("java_runtime_version", "runtime_version");
    }
    std::borrow::Cow::Owned(text)
}

/// The text after `token` up to the first character that is not part of a
/// version number: `version_after("Chrome/120.0.1 Safari", "Chrome/")` → `120.0.1`.
fn version_after<'a>(ua: &'a str, token: &str) -> Option<&'a str> {
    let start = ua.find(token)? + token.len();
    let rest = &ua[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(rest.len());
    let version = &rest[..end];
    (!version.is_empty() && version.starts_with(|c: char| c.is_ascii_digit())).then_some(version)
}

/// `17_1_2` or `17.1.2` → `17.1`.
fn major_minor(version: &str) -> String {
    version
        .split(['.', '_'])
        .filter(|part| !part.is_empty())
        .take(2)
        .collect::<Vec<_>>()
        .join(".")
}

/// `120.0.6099.144` → `120`.
fn major(version: &str) -> String {
    version
        .split(['.', '_'])
        .next()
        .unwrap_or(version)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_user_agents_never_panic() {
        let long = "Mozilla/5.0 ".repeat(10_000);
        let classifier = UserAgentClassifier::new(4);
        let device = classifier.classify_header(Some(long.as_bytes()));
        assert_eq!(device.device_type, DeviceType::Other);
        let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        classifier.classify_header(Some(&binary));
        classifier.classify_header(None);
        classify("é".repeat(600).as_str());
        classify("(((;;;)))Android Mobile Chrome/ Version/ iPhone OS _");
    }

    #[test]
    fn the_cache_stays_bounded() {
        let classifier = UserAgentClassifier::new(16);
        for i in 0..1000 {
            classifier.classify_header(Some(format!("Agent/{i}").as_bytes()));
        }
        assert!(classifier.cache.len() <= 32, "{}", classifier.cache.len());
    }
}
