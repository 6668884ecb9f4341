//! Who made a mobile device, from the model a User-Agent carries.
//!
//! Three sources, most precise first: Google Play's list of Android devices
//! (`data/android-models.tsv`: the exact `Build.MODEL` → brand, which tells
//! an Honor from a Huawei and a OnePlus `CPH…` from an Oppo one), the brand
//! words phones print before their model, and the model-code conventions of
//! the main makers for models newer than the list.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::bytes::{RegexSet, RegexSetBuilder};

static MODELS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("data/android-models.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .collect()
});

/// Words a model name starts with, and the brand they mean (lower case,
/// longest first where one is the start of another).
const BRAND_WORDS: &[(&str, &str)] = &[
    ("sonyericsson", "Sony Ericsson"),
    ("sony ericsson", "Sony Ericsson"),
    ("samsung", "Samsung"),
    ("galaxy", "Samsung"),
    ("huawei", "Huawei"),
    ("honor", "Honor"),
    ("xiaomi", "Xiaomi"),
    ("redmi", "Xiaomi"),
    ("poco", "Xiaomi"),
    ("mi ", "Xiaomi"),
    ("oneplus", "OnePlus"),
    ("oppo", "Oppo"),
    ("realme", "Realme"),
    ("vivo", "Vivo"),
    ("iqoo", "Vivo"),
    ("motorola", "Motorola"),
    ("moto", "Motorola"),
    ("nokia", "Nokia"),
    ("xperia", "Sony"),
    ("sony", "Sony"),
    ("lge", "LG"),
    ("lg-", "LG"),
    ("lg ", "LG"),
    ("htc", "HTC"),
    ("lenovo", "Lenovo"),
    ("zte", "ZTE"),
    ("nubia", "Nubia"),
    ("alcatel", "Alcatel"),
    ("one touch", "Alcatel"),
    ("tcl", "TCL"),
    ("tecno", "Tecno"),
    ("infinix", "Infinix"),
    ("itel", "Itel"),
    ("asus", "Asus"),
    ("zenfone", "Asus"),
    ("pixel", "Google"),
    ("nexus", "Google"),
    ("fairphone", "Fairphone"),
    ("nothing", "Nothing"),
    ("crosscall", "Crosscall"),
    ("wiko", "Wiko"),
    ("blackview", "Blackview"),
    ("oscal", "Blackview"),
    ("ulefone", "Ulefone"),
    ("doogee", "Doogee"),
    ("cubot", "Cubot"),
    ("kingkong", "Cubot"),
    ("umidigi", "Umidigi"),
    ("oukitel", "Oukitel"),
    ("hisense", "Hisense"),
    ("sharp", "Sharp"),
    ("kyocera", "Kyocera"),
    ("meizu", "Meizu"),
    ("micromax", "Micromax"),
    ("lava", "Lava"),
    ("archos", "Archos"),
    ("logicom", "Logicom"),
    ("blackberry", "BlackBerry"),
    ("lumia", "Microsoft"),
    ("microsoft", "Microsoft"),
    ("amazon", "Amazon"),
    ("kindle", "Amazon"),
    ("google", "Google"),
    ("gionee", "Gionee"),
    ("coolpad", "Coolpad"),
    ("condor", "Condor"),
    ("acer", "Acer"),
    ("panasonic", "Panasonic"),
    ("philips", "Philips"),
    ("surface", "Microsoft"),
    ("l-ement", "Logicom"),
    ("power armor", "Ulefone"),
    ("armor", "Ulefone"),
    ("bison", "Umidigi"),
    ("iphone", "Apple"),
    ("ipad", "Apple"),
    ("ipod", "Apple"),
];

/// Model codes without a brand word, by maker (lower case, whole item).
const MODEL_CODES: &[(&str, &str)] = &[
    (r"^(sm|gt|sgh|sch|shv|shw|sph|scv)-[a-z0-9]", "Samsung"),
    (r"^sc-\d\d[a-z]$", "Samsung"),
    (r"^rmx\d{4}", "Realme"),
    (r"^cph\d{4}$", "Oppo"),
    (r"^p[a-z]{3}\d0$", "Oppo"),
    (r"^(in|kb|le|hd|gm|ne|ac|be|dn|eb|ph)\d{4}$", "OnePlus"),
    (r"^v\d{4}[a-z]{0,2}$", "Vivo"),
    (r"^i\d{4}$", "Vivo"),
    (
        r"^m?(1[5-9]|2[0-6])(0[1-9]|1[0-2])[0-9]*[a-z][0-9a-z]{1,6}$",
        "Xiaomi",
    ),
    (r"^(lt|mt|st|sk|wt)\d{2}[a-z]{1,2}$", "Sony"),
    (r"^xt\d{4}", "Motorola"),
    (r"^ta-\d{4}$", "Nokia"),
    (r"^xq-[a-z0-9]{2}\d\d$", "Sony"),
    (r"^(so|sgp)-?\d", "Sony"),
    (r"^so[glv]\d\d$", "Sony"),
    (r"^[cdefgh]\d{4}$", "Sony"),
    (r"^(lm|lg)-[a-z]\d", "LG"),
    (r"^(tb|yt)\d?-[a-z0-9]", "Lenovo"),
    (r"^blade", "ZTE"),
    (r"^nx\d{3}j", "Nubia"),
    (r"^\d{4}[a-z]$", "Alcatel"),
    (r"^t\d{3}[a-z]$", "TCL"),
    (r"^x\d{3,4}[a-z]?$", "Infinix"),
    (r"^(kf[a-z]{2,6}|aft[a-z]{1,5})$", "Amazon"),
    (r"^fp\d\+?$", "Fairphone"),
    (r"^a(0[5-9]|1[0-4])\d$", "Nothing"),
    (r"^w-[a-z]\d{3}", "Wiko"),
    (r"^(asus|zenfone|rog)", "Asus"),
    (r"^(mi|m)\d", "Xiaomi"),
];

/// Huawei's model codes, which Honor's share: three letters, a dash, a
/// network letter or two and digits ("ELE-L29", "NTH-NX9", "TAH-N29m").
static HUAWEI_CODE: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(r"^[a-z]{3}\d?-(l|al|tl|lx|nx|an|cl|dl|tn|bd|bx|n|w)\d{1,2}[a-z]?$")
        .expect("the Huawei code pattern compiles")
});

static CODES: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSetBuilder::new(MODEL_CODES.iter().map(|(pattern, _)| pattern))
        .unicode(false)
        .build()
        .expect("the model-code patterns compile")
});

/// Brand names printed elsewhere than in a model item ("Series60/5.2
/// NokiaN8-00", "SAMSUNG-GT-E1200"), case as the makers write them.
const BRANDS_ANYWHERE: &[(&str, &str)] = &[
    ("Nokia", "Nokia"),
    ("NOKIA", "Nokia"),
    ("SAMSUNG", "Samsung"),
    ("HUAWEI", "Huawei"),
    ("XiaoMi", "Xiaomi"),
    ("OnePlus", "OnePlus"),
    ("SonyEricsson", "Sony Ericsson"),
    ("BlackBerry", "BlackBerry"),
    ("Kindle", "Amazon"),
    ("Silk/", "Amazon"),
];

/// The maker of the device: Apple for iOS, else the first model item that
/// names one, else a brand printed elsewhere.
pub(super) fn manufacturer(ua: &str, os: Option<&str>, items: &[&str]) -> Option<&'static str> {
    match os {
        Some("iOS") => return Some("Apple"),
        Some("BlackBerry") => return Some("BlackBerry"),
        _ => {}
    }
    // HarmonyOS NEXT ("OpenHarmony") names no model and runs on Huawei's alone.
    let harmony = || (os == Some("HarmonyOS") && ua.contains("HuaweiBrowser")).then_some("Huawei");
    if ua.contains("Build/HONOR") {
        // Honor's build numbers carry its name; its model codes look like Huawei's.
        return Some("Honor");
    }
    items
        .iter()
        .find_map(|item| brand_of(item))
        .or_else(|| {
            BRANDS_ANYWHERE
                .iter()
                .find(|(word, _)| ua.contains(word))
                .map(|(_, brand)| *brand)
        })
        .or_else(harmony)
}

/// The brand a model item names, if any source knows it: Huawei's code
/// format first (Honor shares it, and the list tells them apart), then a
/// brand word (a Nexus is Google's whoever built it), then Google Play's
/// list, then the makers' model codes.
pub(super) fn brand_of(item: &str) -> Option<&'static str> {
    let model = item.trim().to_ascii_lowercase();
    if model.len() < 2 {
        return None;
    }
    if HUAWEI_CODE.is_match(model.as_bytes()) {
        // "LGE-NX9" is an Honor code, not an LG: Huawei's format wins.
        return Some(MODELS.get(model.as_str()).copied().unwrap_or("Huawei"));
    }
    if let Some((word, brand)) = BRAND_WORDS.iter().find(|(word, _)| model.starts_with(word)) {
        // "HUAWEI JSN-L21" is an Honor: the list knows the model alone.
        let rest = model[word.len()..].trim_start_matches([' ', '_', '-']);
        let honor = *brand == "Huawei" && MODELS.get(rest) == Some(&"Honor");
        return Some(if honor { "Honor" } else { brand });
    }
    if let Some(brand) = MODELS.get(model.as_str()) {
        return Some(brand);
    }
    let matched = CODES.matches(model.as_bytes());
    matched.iter().next().map(|index| MODEL_CODES[index].1)
}
