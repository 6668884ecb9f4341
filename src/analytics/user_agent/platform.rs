//! The operating system a User-Agent names, and the kind of device it runs
//! on (computer, phone, tablet, basic mobile phone).

use super::{major_minor, version_after, DeviceType};

/// The OS family and its major.minor version, when the User-Agent names one.
/// Order matters: Windows Phone and HarmonyOS also say "Android", Tizen and
/// webOS also say "Linux".
pub(super) fn operating_system(ua: &str) -> Option<(&'static str, Option<String>)> {
    mobile_system(ua).or_else(|| other_system(ua))
}

fn named(name: &'static str, version: Option<&str>) -> Option<(&'static str, Option<String>)> {
    Some((name, version.map(major_minor)))
}

/// Phones' and tablets' systems, and the consoles that pose as one.
fn mobile_system(ua: &str) -> Option<(&'static str, Option<String>)> {
    if ua.contains("Windows Phone") {
        // Windows Phone 8.1 also says "Android 4.0" and "like iPhone OS".
        return named(
            "Windows Phone",
            version_after(ua, "Windows Phone OS ").or_else(|| version_after(ua, "Windows Phone ")),
        );
    }
    if ua.contains("Nintendo") {
        return named("Nintendo", None);
    }
    if ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod") {
        let version = version_after(ua, "iPhone OS ")
            .or_else(|| version_after(ua, "CPU OS "))
            .or_else(|| version_after(ua, "FBSV/"));
        return named("iOS", version);
    }
    if ua.contains("KAIOS") || ua.contains("KaiOS") {
        return named(
            "KaiOS",
            version_after(ua, "KAIOS/").or_else(|| version_after(ua, "KaiOS/")),
        );
    }
    if ua.contains("HarmonyOS") || ua.contains("OpenHarmony") {
        return named("HarmonyOS", version_after(ua, "HarmonyOS "));
    }
    if is_android(ua) {
        let version = version_after(ua, "Android ").or_else(|| version_after(ua, "Adr "));
        return named("Android", version);
    }
    if ua.contains("BlackBerry") || ua.contains("BB10") || ua.contains("RIM Tablet OS") {
        return named("BlackBerry", version_after(ua, "Version/"));
    }
    if ["Symbian", "Series60", "Series 60", "S60;"]
        .iter()
        .any(|token| ua.contains(token))
    {
        return named("Symbian", version_after(ua, "SymbianOS/"));
    }
    let nokia_java = ua.starts_with("Nokia") && ua.contains("MIDP");
    if ua.contains("Series40") || ua.contains("S40OviBrowser") || nokia_java {
        return named("Series 40", None);
    }
    None
}

/// Televisions', consoles' and computers' systems.
fn other_system(ua: &str) -> Option<(&'static str, Option<String>)> {
    if ua.contains("Tizen") {
        return named("Tizen", version_after(ua, "Tizen "));
    }
    if ua.contains("Web0S") || ua.contains("webOS") || ua.contains("hpwOS") {
        return named("webOS", None);
    }
    if ua.contains("PlayStation") || ua.contains("PLAYSTATION") {
        return named("PlayStation", None);
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
            "5.0" => "2000",
            other => other,
        };
        return Some(("Windows", Some(version.to_owned())));
    }
    if ua.contains("Windows")
        || ua.contains("Win64")
        || ua.contains("Win32")
        || ua.contains("Win98")
    {
        return named("Windows", None);
    }
    if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        return named("macOS", version_after(ua, "Mac OS X "));
    }
    if ua.contains("FreeBSD") || ua.contains("OpenBSD") || ua.contains("NetBSD") {
        return named("FreeBSD", None);
    }
    if ua.contains("Linux") || ua.contains("X11") {
        return named("Linux", None);
    }
    None
}

/// Android, or an Android app's client; not the Kindle's "like Android".
pub(super) fn is_android(ua: &str) -> bool {
    ua.starts_with("Dalvik/")
        || ua.contains("; Adr ")
        || ua
            .match_indices("Android")
            .any(|(at, _)| !ua[..at].ends_with("like "))
}

/// Marks of basic mobile phones: Java ME, Series 40, KaiOS, WAP browsers.
const FEATURE_PHONE_TOKENS: &[&str] = &[
    "J2ME/",
    "MIDP",
    "CLDC",
    "Series40",
    "S40OviBrowser",
    "UP.Browser",
    "Obigo",
    "NetFront",
    "Profile/",
    "MAUI",
    "SPRD",
    "Nokia_",
    "KAIOS",
    "KaiOS",
];

/// Marks of a television or a set-top box, counted as "other".
const TV_TOKENS: &[&str] = &[
    "SMART-TV",
    "SmartTV",
    "Smart TV",
    "SmartHub",
    "Web0S",
    "webOS.TV",
    "HbbTV",
    "NetCast",
    "BRAVIA",
    "CrKey",
    "GoogleTV",
    "Android TV",
    "AndroidTV",
    "AFT",
    "Roku",
    "AppleTV",
    "Apple TV",
    "Tizen",
    "Xbox",
    "PlayStation",
    "PLAYSTATION",
    "Nintendo",
    "OculusBrowser",
    "Tesla/",
    "Viera",
];

pub(super) fn device_type(ua: &str, os: Option<&str>, model: Option<&str>) -> DeviceType {
    if ua.contains("iPad") {
        return DeviceType::Tablet;
    }
    if ua.contains("Kindle/") {
        return DeviceType::Tablet;
    }
    let smartphone_os = matches!(os, Some("Android" | "BlackBerry" | "Symbian"));
    if FEATURE_PHONE_TOKENS.iter().any(|token| ua.contains(token)) && !smartphone_os {
        return DeviceType::Mobilephone;
    }
    let television = || TV_TOKENS.iter().any(|token| ua.contains(token));
    match os {
        Some("iOS") if ua.contains("AppleTV") || ua.contains("Apple TV") => DeviceType::Other,
        Some("iOS" | "Windows Phone") => DeviceType::Smartphone,
        Some("KaiOS" | "Series 40") => DeviceType::Mobilephone,
        Some("BlackBerry") if ua.contains("PlayBook") || ua.contains("RIM Tablet") => {
            DeviceType::Tablet
        }
        Some("BlackBerry" | "Symbian") => DeviceType::Smartphone,
        Some("Android" | "HarmonyOS") if television() => DeviceType::Other,
        Some("Android" | "HarmonyOS") => android_device(ua, model),
        Some("PlayStation" | "Nintendo" | "Tizen" | "webOS") => DeviceType::Other,
        Some("Windows") if ua.contains("Xbox") => DeviceType::Other,
        Some("Windows") if ua.contains("IEMobile") || ua.contains("Windows CE") => {
            DeviceType::Smartphone
        }
        Some("Windows") if ua.contains("ARM; Touch") || ua.contains("Windows NT 6.2; ARM") => {
            DeviceType::Tablet
        }
        Some("Windows" | "macOS" | "ChromeOS") => DeviceType::Pc,
        Some("FreeBSD" | "Linux") if television() => DeviceType::Other,
        Some("FreeBSD") => DeviceType::Pc,
        Some("Linux") if ua.contains("Mobile") => DeviceType::Smartphone,
        Some("Linux") => DeviceType::Pc,
        _ if ua.contains("Kindle") => DeviceType::Tablet,
        _ if television() => DeviceType::Other,
        _ => DeviceType::Other,
    }
}

/// Model names and codes of Android tablets (lower case): Samsung's SM-T/P/X,
/// Lenovo's TB-, Huawei's MediaPad and MatePad series, Amazon's Fire (KF…).
const TABLET_MODELS: &[&str] = &[
    "sm-t",
    "sm-p",
    "sm-x",
    "gt-p",
    "gt-n51",
    "gt-n80",
    "tab",
    "pad",
    "tb-",
    "tb3-",
    "tb2-",
    "kf",
    "bah",
    "ags",
    "agr",
    "agm",
    "kob",
    "dbr",
    "bzt",
    "scm",
    "cmr",
    "mrx",
    "bah3",
    "got-",
    "nexus 7",
    "nexus 9",
    "nexus 10",
    "pixel c",
    "pixel tablet",
    "a7 lite",
    "21051182",
    "22081283",
    "2307bre",
    "23043rp34",
    "m2105k81",
    "lenovo yt",
    "yt-",
    "mediapad",
    "matepad",
    "kindle",
    "sgp",
    "so-05f",
    "tpad",
    "ipad",
];

/// Whether a model name or code is a tablet's: it starts with one of
/// [`TABLET_MODELS`] or has one as a word ("Redmi Pad SE", "Lenovo Tab M10").
fn is_tablet_model(model: &str) -> bool {
    // Model names are short; a longer item is no model (and costs no more).
    let mut end = model.len().min(48);
    while !model.is_char_boundary(end) {
        end -= 1;
    }
    let model = model[..end].to_ascii_lowercase();
    let words: Vec<&str> = model.split([' ', '_', '-']).collect();
    TABLET_MODELS
        .iter()
        .any(|prefix| model.starts_with(prefix) || words.contains(&prefix.trim_end_matches('-')))
}

fn android_device(ua: &str, model: Option<&str>) -> DeviceType {
    let tablet_model = model.is_some_and(is_tablet_model);
    if tablet_model || ua.contains("Tablet") || ua.contains("Silk/") {
        return DeviceType::Tablet;
    }
    // Android phones' browsers say "Mobile"; tablets' browsers do not. Apps'
    // own clients (Dalvik, in-app) say neither, and most of them are phones.
    if ua.contains("Mobile")
        || ua.starts_with("Dalvik/")
        || ua.contains("FBAN/")
        || ua.contains("Instagram ")
    {
        return DeviceType::Smartphone;
    }
    if ["Opera Mini", "Opera Mobi", "UCBrowser", "UCWEB"]
        .iter()
        .any(|token| ua.contains(token))
    {
        return DeviceType::Smartphone;
    }
    DeviceType::Tablet
}
