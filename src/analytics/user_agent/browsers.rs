//! Which browser a User-Agent names. Every browser built on Chromium says
//! "Chrome/", every WebKit browser says "Safari/", and in-app browsers say
//! both plus their app's token: the most specific token present wins, found
//! in one pass over the string.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{major, version_after};

/// Where a browser's version is read.
#[derive(Clone, Copy)]
enum VersionAt {
    /// Right after its token.
    Token,
    /// After another token (`Trident/7.0` is IE `rv:11`).
    After(&'static str),
    /// The first of two tokens that is present.
    EitherOf(&'static str, &'static str),
    /// Nowhere a version of the browser can be read.
    Unknown,
}

use VersionAt::{After, EitherOf, Token, Unknown};

/// Most specific first: when several are present, the earliest in this list
/// names the browser.
const TOKENS: &[(&str, &str, VersionAt)] = &[
    // In-app browsers and search apps, which embed a WebView or Safari.
    ("FBAN/", "Facebook", After("FBAV/")),
    ("FBAV/", "Facebook", Token),
    ("FB_IAB", "Facebook", After("FBAV/")),
    ("Instagram ", "Instagram", Token),
    ("MicroMessenger/", "WeChat", Token),
    ("LinkedInApp", "LinkedIn", After("LinkedInApp/")),
    ("Snapchat/", "Snapchat", Token),
    ("musical_ly", "TikTok", After("musical_ly_")),
    ("BytedanceWebview", "TikTok", Unknown),
    ("trill_", "TikTok", Token),
    ("[Pinterest/", "Pinterest", Token),
    (" Line/", "Line", Token),
    ("KAKAOTALK", "KakaoTalk", After("KAKAOTALK ")),
    ("NAVER(inapp", "Naver", Unknown),
    ("GSA/", "Google App", Token),
    ("YaApp_Android/", "Yandex App", Token),
    ("YaApp_iOS/", "Yandex App", Token),
    ("YaSearchBrowser/", "Yandex App", Token),
    ("DuckDuckGo/", "DuckDuckGo", Token),
    ("Ddg/", "DuckDuckGo", Token),
    ("baiduboxapp/", "Baidu", Token),
    ("BIDUBrowser", "Baidu", After("BIDUBrowser/")),
    ("baidubrowser/", "Baidu", Token),
    // Browsers that name themselves before the engine they are built on.
    ("OculusBrowser/", "Oculus Browser", Token),
    ("PlayStation", "PlayStation Browser", Unknown),
    ("PLAYSTATION", "PlayStation Browser", Unknown),
    ("SamsungBrowser/", "Samsung Internet", Token),
    ("Silk/", "Silk", Token),
    ("MQQBrowser/", "QQ Browser", Token),
    ("QQBrowser/", "QQ Browser", Token),
    ("UCBrowser/", "UC Browser", Token),
    ("UCWEB", "UC Browser", After("UCWEB/")),
    ("UC Browser", "UC Browser", Token),
    ("Opera Mini/", "Opera Mini", Token),
    ("OPiOS/", "Opera Mini", Token),
    ("OPT/", "Opera", Token),
    ("OPX/", "Opera", Token),
    ("Opera Mobi", "Opera", After("Version/")),
    ("OPR/", "Opera", Token),
    ("Opera/", "Opera", EitherOf("Version/", "Opera/")),
    ("Opera ", "Opera", Token),
    ("EdgA/", "Edge", Token),
    ("EdgiOS/", "Edge", Token),
    ("Edg/", "Edge", Token),
    ("Edge/", "Edge", Token),
    ("YaBrowser/", "Yandex Browser", Token),
    ("Whale/", "Whale", Token),
    ("Brave/", "Brave", Token),
    ("Brave Chrome/", "Brave", After("Chrome/")),
    ("Vivaldi/", "Vivaldi", Token),
    ("coc_coc_browser/", "Coc Coc", Token),
    ("SznProhlizec/", "Seznam", Token),
    ("Puffin/", "Puffin", Token),
    ("Maxthon", "Maxthon", EitherOf("Maxthon/", "Maxthon ")),
    ("MxBrowser/", "Maxthon", Token),
    ("MetaSr", "Sogou Explorer", Unknown),
    ("SogouMobileBrowser/", "Sogou Explorer", Token),
    ("QihooBrowser", "360 Browser", After("QihooBrowser/")),
    ("360SE", "360 Browser", Unknown),
    ("360EE", "360 Browser", Unknown),
    ("QHBrowser", "360 Browser", Unknown),
    ("AvastSecureBrowser/", "Avast Secure Browser", Token),
    ("Avast/", "Avast Secure Browser", Token),
    ("AVG/", "AVG Secure Browser", Token),
    ("Ecosia ", "Ecosia", Unknown),
    ("Focus/", "Firefox Focus", Token),
    ("Klar/", "Firefox Focus", Token),
    ("PaleMoon/", "Pale Moon", Token),
    ("Waterfox/", "Waterfox", Token),
    ("SeaMonkey/", "SeaMonkey", Token),
    ("Epiphany/", "Epiphany", Token),
    ("Konqueror/", "Konqueror", Token),
    ("Falkon/", "Falkon", Token),
    ("QupZilla/", "Falkon", Token),
    ("MiuiBrowser/", "MIUI Browser", Token),
    ("HuaweiBrowser/", "Huawei Browser", Token),
    ("VivoBrowser/", "Vivo Browser", Token),
    ("HeyTapBrowser/", "HeyTap Browser", Token),
    ("OppoBrowser/", "HeyTap Browser", Token),
    ("Quark/", "Quark", Token),
    ("Kindle/", "Kindle", Token),
    ("BlackBerry", "BlackBerry Browser", After("Version/")),
    ("BB10;", "BlackBerry Browser", After("Version/")),
    ("PlayBook", "BlackBerry Browser", After("Version/")),
    ("NokiaBrowser/", "Nokia Browser", Token),
    ("BrowserNG/", "Nokia Browser", Token),
    ("S40OviBrowser/", "Nokia Browser", Token),
    ("NintendoBrowser/", "Nintendo Browser", Token),
    ("Nintendo ", "Nintendo Browser", Unknown),
    ("NetFront/", "NetFront", Token),
    ("IEMobile/", "Internet Explorer", Token),
    ("MSIE ", "Internet Explorer", Token),
    ("Trident/", "Internet Explorer", After("rv:")),
    ("CriOS/", "Chrome", Token),
    ("FxiOS/", "Firefox", Token),
    ("Firefox/", "Firefox", Token),
    ("Chromium/", "Chromium", Token),
];

static FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(TOKENS.iter().map(|(token, _, _)| token))
        .expect("the browser tokens build an automaton")
});

/// The browser family and its major version, when the User-Agent names one.
pub(super) fn browser(ua: &str) -> Option<(&'static str, Option<String>)> {
    let first = FINDER
        .find_overlapping_iter(ua)
        .map(|found| found.pattern().as_usize())
        .min();
    if let Some(index) = first {
        let (token, family, at) = TOKENS[index];
        if token == "OPR/" && ua.contains("; wv)") {
            // Opera Mini for Android is a WebView; Opera for Android is not.
            return Some(("Opera Mini", version_after(ua, token).map(major)));
        }
        let version = match at {
            Token => version_after(ua, token),
            After(other) => version_after(ua, other),
            EitherOf(one, other) => version_after(ua, one).or_else(|| version_after(ua, other)),
            Unknown => None,
        };
        return Some((family, version.map(major)));
    }
    engine_browser(ua)
}

/// Browsers known only by the engine tokens they send.
fn engine_browser(ua: &str) -> Option<(&'static str, Option<String>)> {
    let chrome = version_after(ua, "Chrome/").map(major);
    if ua.starts_with("Dalvik/") {
        // An Android app's own HTTP client: counted with the built-in browser.
        return Some(("Android Browser", None));
    }
    if ua.contains("Android") {
        if chrome.is_some() && (ua.contains("; wv)") || ua.contains("Version/4.0 Chrome/")) {
            return Some(("Android WebView", chrome));
        }
        if chrome.is_none() && ua.contains("AppleWebKit/") {
            // The browser Android shipped before Chrome (AOSP), up to 4.4.
            return Some(("Android Browser", version_after(ua, "Version/").map(major)));
        }
    }
    if chrome.is_some() {
        return Some(("Chrome", chrome));
    }
    if ua.starts_with("Nokia") && ua.contains("MIDP") {
        // A Series 40 phone's own browser names the phone only.
        return Some(("Nokia Browser", None));
    }
    if ua.contains("Series60") || ua.contains("SymbianOS") {
        // The browser Nokia built into S60 ("Web Browser for S60").
        return Some(("Nokia Browser", None));
    }
    if ua.contains("Safari/") || (ua.contains("AppleWebKit/") && ua.contains("Mobile/")) {
        let version = version_after(ua, "Version/").map(major);
        if ua.contains("X11") || (ua.contains("Linux") && !ua.contains("Android")) {
            // GNOME Web says it is Safari on Linux; Safari never runs there.
            return Some(("Epiphany", version));
        }
        return Some(("Safari", version));
    }
    None
}
