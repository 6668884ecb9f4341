//! How right the classifier is on labelled User-Agents: the figures of
//! `wemaintain parse-ua --score FILE…`, read from TSV files of
//! `weight, browser, os, device, manufacturer, user-agent` (`-` for none;
//! see tests/user_agents/README.md).

use std::collections::BTreeMap;
use std::fmt;

use super::{classify, Device};

/// One labelled User-Agent.
#[derive(Debug, Clone)]
pub struct LabelledCase {
    pub weight: u32,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub device: String,
    pub manufacturer: Option<String>,
    pub user_agent: String,
}

#[derive(Debug, thiserror::Error)]
#[error("ligne {line} : {reason}")]
pub struct LabelError {
    pub line: usize,
    pub reason: String,
}

/// Reads a labelled file; comment lines start with `#`.
pub fn parse_cases(text: &str) -> Result<Vec<LabelledCase>, LabelError> {
    let label = |s: &str| (s != "-").then(|| s.to_owned());
    let mut cases = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let error = |reason: &str| LabelError {
            line: index + 1,
            reason: reason.to_owned(),
        };
        let fields: Vec<&str> = line.splitn(6, '\t').collect();
        let [weight, browser, os, device, manufacturer, user_agent] = fields[..] else {
            return Err(error("6 colonnes séparées par des tabulations attendues"));
        };
        let weight = weight
            .parse()
            .ok()
            .filter(|w| *w > 0)
            .ok_or_else(|| error("le poids doit être un entier positif"))?;
        cases.push(LabelledCase {
            weight,
            browser: label(browser),
            os: label(os),
            device: device.to_owned(),
            manufacturer: label(manufacturer),
            user_agent: user_agent.to_owned(),
        });
    }
    Ok(cases)
}

/// Right and total, as counts or as weights.
#[derive(Debug, Default, Clone, Copy)]
pub struct Share {
    pub right: u64,
    pub total: u64,
}

impl Share {
    fn add(&mut self, right: bool, weight: u64) {
        self.total += weight;
        if right {
            self.right += weight;
        }
    }

    /// In percent; 100 when there was nothing to get right.
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.right as f64 / self.total as f64
        }
    }
}

/// One wrong answer, for `--misses`.
#[derive(Debug, Clone)]
pub struct Miss {
    pub field: &'static str,
    pub expected: String,
    pub got: String,
    pub user_agent: String,
}

#[derive(Debug, Default)]
pub struct Score {
    pub browsers: usize,
    pub robots: usize,
    /// Weighted by traffic, on people's User-Agents.
    pub browser: Share,
    pub os: Share,
    pub manufacturer: Share,
    pub device_class: Share,
    /// Counted, not weighted.
    pub robots_recognised: Share,
    pub people_called_robots: Share,
    /// Browser family right, per family (counted).
    pub per_browser: BTreeMap<String, Share>,
    pub misses: Vec<Miss>,
}

impl Score {
    /// Browser family right, averaged over families rather than traffic.
    pub fn browser_averaged(&self) -> f64 {
        let shares: Vec<f64> = self.per_browser.values().map(Share::percent).collect();
        if shares.is_empty() {
            100.0
        } else {
            shares.iter().sum::<f64>() / shares.len() as f64
        }
    }
}

/// Classifies every case and compares.
pub fn score(cases: &[LabelledCase]) -> Score {
    let mut score = Score::default();
    for case in cases {
        let device = classify(&case.user_agent);
        if case.device == "crawler" {
            score.robots += 1;
            let right = device.device_type.as_str() == "crawler";
            score.robots_recognised.add(right, 1);
            score.note(right, "robot", "crawler", device.device_type.as_str(), case);
        } else {
            score.browsers += 1;
            score.person(case, &device);
        }
    }
    score
}

impl Score {
    fn person(&mut self, case: &LabelledCase, device: &Device) {
        let weight = u64::from(case.weight);
        let called_robot = device.device_type.as_str() == "crawler";
        self.people_called_robots.add(called_robot, 1);
        let same = |want: &Option<String>, got: &Option<String>| want == got;
        let browser_right = same(&case.browser, &device.browser);
        self.browser.add(browser_right, weight);
        let family = case.browser.clone().unwrap_or_else(|| "-".to_owned());
        self.per_browser
            .entry(family)
            .or_default()
            .add(browser_right, 1);
        self.note(
            browser_right,
            "browser",
            &show(&case.browser),
            &show(&device.browser),
            case,
        );
        let os_right = same(&case.os, &device.os);
        self.os.add(os_right, weight);
        self.note(os_right, "os", &show(&case.os), &show(&device.os), case);
        // The visitor log has no class of its own for televisions and consoles.
        let class = match case.device.as_str() {
            "tv" | "console" => "other",
            class => class,
        };
        let class_right = device.device_type.as_str() == class;
        self.device_class.add(class_right, weight);
        self.note(
            class_right,
            "device",
            class,
            device.device_type.as_str(),
            case,
        );
        if ["smartphone", "tablet", "mobilephone"].contains(&case.device.as_str()) {
            let right = same(&case.manufacturer, &device.manufacturer);
            self.manufacturer.add(right, weight);
            let (want, got) = (show(&case.manufacturer), show(&device.manufacturer));
            self.note(right, "manufacturer", &want, &got, case);
        }
    }

    fn note(
        &mut self,
        right: bool,
        field: &'static str,
        expected: &str,
        got: &str,
        case: &LabelledCase,
    ) {
        if !right {
            self.misses.push(Miss {
                field,
                expected: expected.to_owned(),
                got: got.to_owned(),
                user_agent: case.user_agent.clone(),
            });
        }
    }
}

fn show(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "-".to_owned())
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = |f: &mut fmt::Formatter<'_>, what: &str, share: &Share| {
            if share.total == 0 {
                return writeln!(f, "{what:<52}      -    (aucun cas)");
            }
            writeln!(
                f,
                "{what:<52} {:>6.1} %  ({} / {})",
                share.percent(),
                share.right,
                share.total
            )
        };
        writeln!(
            f,
            "{} User-Agents de personnes, {} de robots",
            self.browsers, self.robots
        )?;
        line(
            f,
            "famille de navigateur (pondérée par le trafic)",
            &self.browser,
        )?;
        line(f, "famille de système (pondérée)", &self.os)?;
        line(
            f,
            "fabricant, appareils mobiles (pondéré)",
            &self.manufacturer,
        )?;
        line(f, "classe d'appareil (pondérée)", &self.device_class)?;
        line(f, "robots reconnus", &self.robots_recognised)?;
        line(
            f,
            "personnes prises pour des robots",
            &self.people_called_robots,
        )?;
        writeln!(
            f,
            "{:<52} {:>6.1} %  ({} familles)",
            "famille de navigateur, moyenne par famille",
            self.browser_averaged(),
            self.per_browser.len()
        )
    }
}
