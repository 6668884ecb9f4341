//! `wemaintain parse-ua`: the classification the visitor log keeps for a
//! User-Agent, and `--score`, its share right on the labelled User-Agents of
//! tests/user_agents/ against the targets of the device-classification issue.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::cli::{run, wait_bounded};

const BIN: &str = env!("CARGO_BIN_EXE_wemaintain");

/// Runs `wemaintain parse-ua` with `input` on its standard input.
fn parse_ua(input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .arg("parse-ua")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, input).unwrap();
    drop(stdin);
    wait_bounded(child, Duration::from_secs(30))
}

/// `parse-ua` on real User-Agent strings of phones, tablets, desktops and bots.
#[test]
fn parse_ua_names_families_and_manufacturers_as_people_do() {
    let cases: &[(&str, [Option<&str>; 6])] = &[
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
         [Some("Safari"), Some("17"), Some("iOS"), Some("17.1"), Some("smartphone"), Some("Apple")]),
        ("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
         [Some("Safari"), Some("16"), Some("iOS"), Some("16.6"), Some("tablet"), Some("Apple")]),
        ("Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
         [Some("Samsung Internet"), Some("23"), Some("Android"), Some("13"), Some("smartphone"), Some("Samsung")]),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
         [Some("Chrome"), Some("120"), Some("Android"), Some("14"), Some("smartphone"), Some("Google")]),
        ("Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Mobile Safari/537.36",
         [Some("Chrome"), Some("108"), Some("Android"), Some("12"), Some("smartphone"), Some("Xiaomi")]),
        ("Mozilla/5.0 (Linux; Android 10; ELE-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.101 Mobile Safari/537.36",
         [Some("Chrome"), Some("87"), Some("Android"), Some("10"), Some("smartphone"), Some("Huawei")]),
        ("Mozilla/5.0 (Linux; Android 12; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Safari/537.36",
         [Some("Chrome"), Some("110"), Some("Android"), Some("12"), Some("tablet"), Some("Samsung")]),
        ("Mozilla/5.0 (Linux; Android 11; IN2023) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
         [Some("Chrome"), Some("120"), Some("Android"), Some("11"), Some("smartphone"), Some("OnePlus")]),
        ("Mozilla/5.0 (Linux; Android 12; moto g(60)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36",
         [Some("Chrome"), Some("119"), Some("Android"), Some("12"), Some("smartphone"), Some("Motorola")]),
        ("Mozilla/5.0 (Linux; Android 13; XQ-CT54) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
         [Some("Chrome"), Some("120"), Some("Android"), Some("13"), Some("smartphone"), Some("Sony")]),
        // CPH is Oppo's prefix, but Oppo also numbers OnePlus phones: CPH2449 is the OnePlus 11.
        ("Mozilla/5.0 (Linux; Android 13; CPH2387) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
         [Some("Chrome"), Some("120"), Some("Android"), Some("13"), Some("smartphone"), Some("Oppo")]),
        ("Mozilla/5.0 (Linux; Android 13; CPH2449) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
         [Some("Chrome"), Some("120"), Some("Android"), Some("13"), Some("smartphone"), Some("OnePlus")]),
        ("Mozilla/5.0 (Mobile; Nokia_8110_4G; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5",
         [Some("Firefox"), Some("48"), Some("KaiOS"), Some("2.5"), Some("mobilephone"), Some("Nokia")]),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
         [Some("Edge"), Some("120"), Some("Windows"), Some("10"), Some("pc"), None]),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0",
         [Some("Opera"), Some("106"), Some("Windows"), Some("10"), Some("pc"), None]),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
         [Some("Safari"), Some("17"), Some("macOS"), Some("10.15"), Some("pc"), None]),
        ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
         [Some("Firefox"), Some("121"), Some("Linux"), None, Some("pc"), None]),
        ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
         [Some("Chrome"), Some("120"), Some("ChromeOS"), None, Some("pc"), None]),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
         [Some("Googlebot"), None, None, None, Some("crawler"), None]),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
         [Some("bingbot"), None, None, None, Some("crawler"), None]),
        ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
         [None, None, None, None, Some("crawler"), None]),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
         [None, None, None, None, Some("crawler"), None]),
        ("",
         [None, None, None, None, Some("other"), None]),
    ];
    let input: String = cases.iter().map(|(ua, _)| format!("{ua}\n")).collect();
    let output = parse_ua(input.as_bytes());
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), cases.len());
    let keys = [
        "browser",
        "browser_version",
        "os",
        "os_version",
        "device_type",
        "manufacturer",
    ];
    for ((ua, expected), got) in cases.iter().zip(&lines) {
        let object = got.as_object().unwrap();
        assert_eq!(object.len(), keys.len(), "{got}");
        for (key, want) in keys.iter().zip(expected) {
            if key == &"browser" && expected[4] == Some("crawler") && want.is_none() {
                continue; // a crawler's name is whatever woothee knows, if anything
            }
            let want = want.map_or(serde_json::Value::Null, serde_json::Value::from);
            assert_eq!(object[*key], want, "{key} of {ua:?}: {got}");
        }
    }
}

#[test]
fn parse_ua_survives_binary_and_huge_lines() {
    let mut input: Vec<u8> = (0..=255u8).filter(|b| *b != b'\n').collect();
    input.push(b'\n');
    input.extend(std::iter::repeat_n(b'A', 1_000_000));
    input.push(b'\n');
    let output = parse_ua(&input);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8(output.stdout).unwrap().lines().count(), 2);
}

/// One JSON answer of `parse-ua` per User-Agent.
fn classify(agents: &[&str]) -> Vec<serde_json::Value> {
    let input: String = agents.iter().map(|ua| format!("{ua}\n")).collect();
    let output = parse_ua(input.as_bytes());
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The classes the first tables got wrong, one case each: phones named like
/// robots, robots hiding in a phone's parentheses, Honor's Huawei-like codes,
/// a Windows desktop that says "Tablet PC", Amazon's Silk, Opera Mini in a
/// WebView, the old Android browser, feature phones.
#[test]
fn parse_ua_gets_the_classes_the_hand_written_tables_missed() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("Mozilla/5.0 (Linux; Android 12; KINGKONG 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
         "Chrome", "smartphone", "Cubot"),
        ("Mozilla/5.0 (Linux; Android 9; Pixel 3 Build/PQ3A.190801.002; Storebot-Google/1.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Mobile Safari/537.36",
         "-", "crawler", "-"),
        ("Mozilla/5.0 (Linux; Android 10; HRY-LX1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Mobile Safari/537.36",
         "Chrome", "smartphone", "Honor"),
        ("Mozilla/5.0 (Linux; Android 10; ELE-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Mobile Safari/537.36",
         "Chrome", "smartphone", "Huawei"),
        ("Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; Tablet PC 2.0)",
         "Internet Explorer", "pc", "-"),
        ("Mozilla/5.0 (Linux; Android 11; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/118.4.1 like Chrome/118.0.5993.112 Safari/537.36",
         "Silk", "tablet", "Amazon"),
        ("Mozilla/5.0 (Linux; U; Android 12; SM-A135F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 OPR/75.0.2254.70345",
         "Opera Mini", "smartphone", "Samsung"),
        ("Mozilla/5.0 (Linux; U; Android 4.2.2; fr-fr; GT-I9195 Build/JDQ39) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30",
         "Android Browser", "smartphone", "Samsung"),
        ("Dalvik/2.1.0 (Linux; U; Android 13; 2201117TG Build/TKQ1.221114.001)",
         "Android Browser", "smartphone", "Xiaomi"),
        ("Nokia6300/2.0 (05.00) Profile/MIDP-2.0 Configuration/CLDC-1.1",
         "Nokia Browser", "mobilephone", "Nokia"),
        ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
         "Chrome", "tablet", "Samsung"),
    ];
    let answers = classify(&cases.iter().map(|case| case.0).collect::<Vec<_>>());
    for ((ua, browser, device, maker), got) in cases.iter().zip(&answers) {
        let text = |key: &str| got[key].as_str().unwrap_or("-").to_owned();
        assert_eq!(text("device_type"), *device, "{ua}: {got}");
        if *device != "crawler" {
            assert_eq!(text("browser"), *browser, "{ua}: {got}");
        }
        assert_eq!(text("manufacturer"), *maker, "{ua}: {got}");
    }
}

/// The share right of each line of `parse-ua --score`, by its label.
fn scores(output: &Output) -> Vec<(String, f64)> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter_map(|line| {
            let (label, rest) = line.split_once("  ")?;
            let percent = rest.trim_start().split(" %").next()?.trim().parse().ok()?;
            Some((label.trim().to_owned(), percent))
        })
        .collect()
}

/// The targets, on the project's own labelled User-Agents (written
/// from public documentation, not from any parser's test files).
#[test]
fn the_labelled_user_agents_meet_the_targets() {
    let files = [
        "tests/user_agents/browsers.tsv",
        "tests/user_agents/crawlers.tsv",
        "tests/user_agents/holdout.tsv",
    ];
    let mut args = vec!["parse-ua", "--score"];
    args.extend(files);
    let output = run(&args, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let scores = scores(&output);
    let targets: &[(&str, f64, bool)] = &[
        ("famille de navigateur (pondérée par le trafic)", 99.5, true),
        ("famille de système (pondérée)", 99.5, true),
        ("fabricant, appareils mobiles (pondéré)", 85.0, true),
        ("classe d'appareil (pondérée)", 99.0, true),
        ("robots reconnus", 80.0, true),
        ("personnes prises pour des robots", 0.05, false),
        ("famille de navigateur, moyenne par famille", 90.0, true),
    ];
    for (label, target, at_least) in targets {
        let (_, got) = scores
            .iter()
            .find(|(line, _)| line == label)
            .unwrap_or_else(|| panic!("no line {label:?} in:\n{stdout}"));
        let met = if *at_least {
            got >= target
        } else {
            got <= target
        };
        assert!(met, "{label}: {got} % (target {target} %)\n{stdout}");
    }
}

#[test]
fn a_malformed_label_file_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("labels.tsv");
    std::fs::write(
        &file,
        "# comment\n1\tChrome\tWindows\tpc\t-\tMozilla/5.0\nten\tChrome\tWindows\tpc\t-\tMozilla/5.0\n",
    )
    .unwrap();
    let output = run(&["parse-ua", "--score", file.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("ligne 3"), "{stderr}");
    assert!(stderr.contains("poids"), "{stderr}");
    assert!(output.stdout.is_empty());
    let missing = dir.path().join("absent.tsv");
    let output = run(&["parse-ua", "--score", missing.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("absent.tsv : fichier illisible"),
        "{stderr}"
    );
}
