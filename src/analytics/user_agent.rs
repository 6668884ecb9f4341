//! What a User-Agent string says about the visitor's device, as the policy
//! lists it: browser, operating system, and on mobile the device type and its
//! manufacturer. `woothee` does the base classification (categories,
//! crawlers, old and exotic devices); modern browser tokens, OS versions and
//! the manufacturer table are refined here.
//!
//! Versions are kept coarse on purpose (browser major version, OS
//! major.minor): enough for statistics, less to single a visitor out.

use std::sync::Arc;

use serde::Serialize;

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
    let ua = if ua.len() > MAX_USER_AGENT_LEN {
        let mut end = MAX_USER_AGENT_LEN;
        while !ua.is_char_boundary(end) {
            end -= 1;
        }
        &ua[..end]
    } else {
        ua
    };
    let base = woothee::parser::Parser::new().parse(ua);
    let known = |s: &str| (!s.is_empty() && s != "UNKNOWN").then(|| s.to_owned());

    if ua.is_empty() {
        return Device {
            browser: None,
            browser_version: None,
            os: None,
            os_version: None,
            device_type: DeviceType::Other,
            manufacturer: None,
        };
    }
    if is_crawler(ua, base.as_ref().map(|b| b.category)) {
        return Device {
            browser: base.as_ref().and_then(|b| known(b.name)),
            browser_version: None,
            os: None,
            os_version: None,
            device_type: DeviceType::Crawler,
            manufacturer: None,
        };
    }

    let (os, os_version) = operating_system(ua)
        .or_else(|| base.as_ref().and_then(|b| known(b.os)).map(|os| (os, None)))
        .unwrap_or((String::new(), None));
    let os = (!os.is_empty()).then_some(os);

    let device_type = device_type(ua, os.as_deref(), base.as_ref().map(|b| b.category));
    let (browser, browser_version) = browser(ua).unwrap_or_else(|| {
        let name = base.as_ref().and_then(|b| known(b.name));
        let version = base
            .as_ref()
            .and_then(|b| known(b.version))
            .map(|v| major(&v));
        (name, version)
    });
    let manufacturer = if device_type.is_mobile() {
        manufacturer(ua).map(str::to_owned)
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

const CRAWLER_TOKENS: &[&str] = &[
    "bot/",
    "bot;",
    "bot)",
    "bot ",
    "bot-",
    "spider",
    "crawl",
    "slurp",
    "headlesschrome",
    "lighthouse",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "httpx",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "httpclient",
    "facebookexternalhit",
    "scrapy",
    "axios/",
    "node-fetch",
    "phantomjs",
    "feedfetcher",
    "mediapartners",
    "ia_archiver",
];

fn is_crawler(ua: &str, category: Option<&str>) -> bool {
    if category == Some("crawler") {
        return true;
    }
    let lower = ua.to_ascii_lowercase();
    lower.ends_with("bot") || CRAWLER_TOKENS.iter().any(|token| lower.contains(token))
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

fn operating_system(ua: &str) -> Option<(String, Option<String>)> {
    let named = |name: &str, version: Option<String>| Some((name.to_owned(), version));
    if ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod") {
        let version = version_after(ua, "iPhone OS ")
            .or_else(|| version_after(ua, "CPU OS "))
            .map(major_minor);
        return named("iOS", version);
    }
    if ua.contains("KAIOS") || ua.contains("KaiOS") {
        return named(
            "KaiOS",
            version_after(ua, "KAIOS/")
                .or_else(|| version_after(ua, "KaiOS/"))
                .map(major_minor),
        );
    }
    if ua.contains("Windows Phone") {
        return named(
            "Windows Phone",
            version_after(ua, "Windows Phone OS ")
                .or_else(|| version_after(ua, "Windows Phone "))
                .map(major_minor),
        );
    }
    if ua.contains("Android") {
        return named("Android", version_after(ua, "Android ").map(major_minor));
    }
    if ua.contains("CrOS") {
        return named("ChromeOS", None);
    }
    if let Some(nt) = version_after(ua, "Windows NT ") {
        let version = match nt {
            "10.0" => "10",
            "6.3" => "8.1",
            "6.2" => "8",
            "6.1" => "7",
            "6.0" => "Vista",
            "5.1" | "5.2" => "XP",
            other => other,
        };
        return named("Windows", Some(version.to_owned()));
    }
    if ua.contains("Windows") {
        return named("Windows", None);
    }
    if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        return named("macOS", version_after(ua, "Mac OS X ").map(major_minor));
    }
    if ua.contains("Linux") || ua.contains("X11") {
        return named("Linux", None);
    }
    None
}

fn device_type(ua: &str, os: Option<&str>, category: Option<&str>) -> DeviceType {
    if ua.contains("iPad") {
        return DeviceType::Tablet;
    }
    match os {
        Some("iOS") | Some("Windows Phone") => return DeviceType::Smartphone,
        Some("KaiOS") => return DeviceType::Mobilephone,
        // Android phones say "Mobile"; Android tablets do not.
        Some("Android") if ua.contains("Mobile") => return DeviceType::Smartphone,
        Some("Android") => return DeviceType::Tablet,
        _ => {}
    }
    if ua.contains("Tablet") || ua.contains("Kindle") || ua.contains("Silk/") {
        return DeviceType::Tablet;
    }
    match category {
        Some("pc") => DeviceType::Pc,
        Some("smartphone") => DeviceType::Smartphone,
        Some("mobilephone") => DeviceType::Mobilephone,
        _ => match os {
            Some("Windows" | "macOS" | "Linux" | "ChromeOS") => DeviceType::Pc,
            _ => DeviceType::Other,
        },
    }
}

/// Browser tokens, most specific first: Chromium-based browsers all say
/// "Chrome/", and every WebKit browser says "Safari/".
const BROWSER_TOKENS: &[(&str, &str)] = &[
    ("SamsungBrowser/", "Samsung Internet"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("Edg/", "Edge"),
    ("Edge/", "Edge"),
    ("OPR/", "Opera"),
    ("OPiOS/", "Opera"),
    ("Opera/", "Opera"),
    ("YaBrowser/", "Yandex Browser"),
    ("Vivaldi/", "Vivaldi"),
    ("Brave/", "Brave"),
    ("UCBrowser/", "UC Browser"),
    ("MiuiBrowser/", "MIUI Browser"),
    ("HuaweiBrowser/", "Huawei Browser"),
    ("CriOS/", "Chrome"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("MSIE ", "Internet Explorer"),
    ("Trident/", "Internet Explorer"),
];

fn browser(ua: &str) -> Option<(Option<String>, Option<String>)> {
    for (token, name) in BROWSER_TOKENS {
        if ua.contains(token) {
            let version = match *token {
                // Trident/7.0 is IE 11; the engine version is not the browser's.
                "Trident/" => version_after(ua, "rv:").map(major),
                "Chrome/" if ua.contains("; wv)") => {
                    return Some((
                        Some("Android WebView".to_owned()),
                        version_after(ua, token).map(major),
                    ))
                }
                _ => version_after(ua, token).map(major),
            };
            return Some((Some((*name).to_owned()), version));
        }
    }
    if ua.contains("Safari/") || (ua.contains("AppleWebKit/") && ua.contains("Mobile/")) {
        return Some((
            Some("Safari".to_owned()),
            version_after(ua, "Version/").map(major),
        ));
    }
    None
}

/// Device-model tokens of the main manufacturers, matched case-insensitively
/// against the device part of the User-Agent (the first parenthesised group,
/// item by item, " Build/…" removed).
const MANUFACTURER_PREFIXES: &[(&str, &str)] = &[
    ("iphone", "Apple"),
    ("ipad", "Apple"),
    ("ipod", "Apple"),
    ("samsung", "Samsung"),
    ("sm-", "Samsung"),
    ("gt-", "Samsung"),
    ("sgh-", "Samsung"),
    ("sch-", "Samsung"),
    ("galaxy", "Samsung"),
    ("pixel", "Google"),
    ("nexus", "Google"),
    ("redmi", "Xiaomi"),
    ("xiaomi", "Xiaomi"),
    ("poco", "Xiaomi"),
    ("mi ", "Xiaomi"),
    ("huawei", "Huawei"),
    ("honor", "Honor"),
    ("oneplus", "OnePlus"),
    ("cph", "Oppo"),
    ("oppo", "Oppo"),
    ("rmx", "Realme"),
    ("realme", "Realme"),
    ("vivo", "Vivo"),
    ("moto", "Motorola"),
    ("xt1", "Motorola"),
    ("xt2", "Motorola"),
    ("sony", "Sony"),
    ("xperia", "Sony"),
    ("xq-", "Sony"),
    ("so-", "Sony"),
    ("nokia", "Nokia"),
    ("ta-1", "Nokia"),
    ("lumia", "Microsoft"),
    ("lg-", "LG"),
    ("lm-", "LG"),
    ("asus", "Asus"),
    ("zenfone", "Asus"),
    ("lenovo", "Lenovo"),
    ("fairphone", "Fairphone"),
    ("fp3", "Fairphone"),
    ("fp4", "Fairphone"),
    ("fp5", "Fairphone"),
    ("wiko", "Wiko"),
    ("alcatel", "Alcatel"),
    ("kf", "Amazon"),
];

fn manufacturer(ua: &str) -> Option<&'static str> {
    let device_part = ua
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(inside, _)| inside)
        .unwrap_or("");
    for item in device_part.split(';') {
        let model = item
            .split(" Build/")
            .next()
            .unwrap_or(item)
            .trim()
            .to_ascii_lowercase();
        if model.is_empty() {
            continue;
        }
        if let Some((_, name)) = MANUFACTURER_PREFIXES
            .iter()
            .find(|(prefix, _)| model.starts_with(prefix))
        {
            return Some(name);
        }
        if let Some(name) = manufacturer_by_model_code(&model) {
            return Some(name);
        }
    }
    // Some browsers put the brand outside the parentheses ("SAMSUNG SM-…").
    let lower = ua.to_ascii_lowercase();
    [
        "samsung", "huawei", "xiaomi", "nokia", "oneplus", "motorola",
    ]
    .iter()
    .zip([
        "Samsung", "Huawei", "Xiaomi", "Nokia", "OnePlus", "Motorola",
    ])
    .find(|(token, _)| lower.contains(*token))
    .map(|(_, name)| name)
}

/// Model codes without a brand word: Huawei's `ele-l29`, OnePlus's
/// `in2023`, Xiaomi's `m2101k20g` and `2201117tg`.
fn manufacturer_by_model_code(model: &str) -> Option<&'static str> {
    let bytes = model.as_bytes();
    let letters = |range: std::ops::Range<usize>| {
        range.end <= bytes.len() && bytes[range].iter().all(u8::is_ascii_alphabetic)
    };
    let digits = |range: std::ops::Range<usize>| {
        range.end <= bytes.len() && bytes[range].iter().all(u8::is_ascii_digit)
    };
    // Huawei: three letters, a dash, then L/AL/TL/LX/NX/AN and digits.
    if letters(0..3) && bytes.get(3) == Some(&b'-') {
        let rest = &model[4..];
        if ["l", "al", "tl", "lx", "nx", "an"].iter().any(|p| {
            rest.starts_with(p) && rest[p.len()..].starts_with(|c: char| c.is_ascii_digit())
        }) {
            return Some("Huawei");
        }
    }
    // OnePlus: two letters and four digits, in their known series.
    if letters(0..2)
        && digits(2..6)
        && bytes.len() == 6
        && ["in", "kb", "le", "hd", "gm", "ne", "ac", "be", "dn", "eb"]
            .iter()
            .any(|p| model.starts_with(p))
    {
        return Some("OnePlus");
    }
    // Xiaomi: M + four digits + a letter, or seven or eight digits + letters.
    if bytes.first() == Some(&b'm') && digits(1..5) && letters(5..6) {
        return Some("Xiaomi");
    }
    let leading_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (7..=8).contains(&leading_digits) && letters(leading_digits..bytes.len()) {
        return Some("Xiaomi");
    }
    None
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
