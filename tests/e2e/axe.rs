//! The axe-core audit: the test injects axe-core (installed by
//! `npm ci --prefix tests/e2e`, never served by the site) into the page the
//! browser is on, runs the WCAG 2.0/2.1 A and AA rules and the best
//! practices, and collects every violation with its rule, impact, page,
//! width and the selectors of the elements at fault. The window's width is
//! changed through Chromium's device emulation (headless Chromium keeps
//! windows at least 500 px wide), so one browser per role sees both widths.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::wd::WebDriverCompatibleCommand;
use serde::Deserialize;

use crate::browser::{Browser, WAIT};
use crate::common::skips::{self, Need};
use crate::harness::POLL;

/// The widths every page is audited at: a phone, then a desktop.
pub const WIDTHS: [u32; 2] = [390, 1280];

/// The rules run: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
const TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/// axe-core's script, as `npm ci --prefix tests/e2e` installs it.
fn axe_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/node_modules/axe-core/axe.min.js")
}

/// The script of axe-core, or `None` after saying the journey is skipped
/// (a failure under `WM_TEST_REQUIRE_BROWSER=1`).
pub fn script_or_skip() -> Option<&'static str> {
    static SCRIPT: OnceLock<Option<String>> = OnceLock::new();
    let script = SCRIPT.get_or_init(|| std::fs::read_to_string(axe_path()).ok());
    if script.is_none() {
        skips::skip(
            Need::Browser,
            &format!(
                "axe-core not installed ({} missing: run `npm ci --prefix tests/e2e`)",
                axe_path().display()
            ),
        );
    }
    script.as_deref()
}

/// `url::ParseError`, which fantoccini's command trait names (reqwest
/// re-exports the `Url` type but not its error).
type UrlParseError = <reqwest::Url as std::str::FromStr>::Err;

/// A Chrome DevTools command sent through chromedriver.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &reqwest::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<reqwest::Url, UrlParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (reqwest::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (reqwest::Method::POST, Some(body.to_string()))
    }
}

/// Shows pages `width` px wide: a phone's screen (with its viewport meta
/// applied) below 500 px, the desktop window (1280 px) otherwise.
pub async fn set_width(b: &Browser, width: u32) -> Result<()> {
    let command = if width < 500 {
        Cdp {
            cmd: "Emulation.setDeviceMetricsOverride",
            params: serde_json::json!({
                "width": width, "height": 844, "deviceScaleFactor": 3, "mobile": true
            }),
        }
    } else {
        Cdp {
            cmd: "Emulation.clearDeviceMetricsOverride",
            params: serde_json::json!({}),
        }
    };
    b.client
        .issue_cmd(command)
        .await
        .with_context(|| format!("emulate a {width}-px-wide screen"))?;
    Ok(())
}

#[derive(Debug, Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    targets: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Outcome {
    error: Option<String>,
    #[serde(default)]
    violations: Vec<Violation>,
}

const RUN: &str = r#"
    const done = arguments[arguments.length - 1];
    axe.run(document, {
        runOnly: { type: 'tag', values: arguments[0] },
        resultTypes: ['violations'],
    }).then((r) => done({
        violations: r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map((n) => n.target.join(' ')),
        })),
    })).catch((e) => done({ error: String(e) }));
"#;

/// Every violation seen so far, and how many pages were audited.
pub struct Audit {
    started: Instant,
    pages: usize,
    found: Vec<String>,
    /// Elements at fault, by rule.
    by_rule: BTreeMap<String, usize>,
}

impl Default for Audit {
    fn default() -> Audit {
        Audit {
            started: Instant::now(),
            pages: 0,
            found: Vec::new(),
            by_rule: BTreeMap::new(),
        }
    }
}

impl Audit {
    /// Audits the page the browser is on, `what` naming it in the report.
    pub async fn check(&mut self, b: &Browser, width: u32, what: &str) -> Result<()> {
        let script = script_or_skip().context("axe-core is not installed")?;
        let loaded: bool = b.js("return typeof window.axe === 'object'").await?;
        if !loaded {
            if let Err(error) = b.client.execute(script, Vec::new()).await {
                bail!("inject axe-core, {}: {error}", b.here().await);
            }
        }
        let tags = serde_json::json!(TAGS);
        let value = match b.client.execute_async(RUN, vec![tags]).await {
            Ok(value) => value,
            Err(error) => bail!("run axe-core, {}: {error}", b.here().await),
        };
        let outcome: Outcome = serde_json::from_value(value).context("read axe's results")?;
        if let Some(error) = outcome.error {
            bail!("axe-core failed, {}: {error}", b.here().await);
        }
        self.pages += 1;
        let path = b.path().await?;
        for v in outcome.violations {
            *self.by_rule.entry(v.id.clone()).or_default() += v.targets.len();
            self.found.push(format!(
                "{} ({}) on {what} {path} at {width} px: {}\n      {}",
                v.id,
                v.impact.as_deref().unwrap_or("?"),
                v.help,
                v.targets.join("\n      ")
            ));
        }
        Ok(())
    }

    /// Fails with every violation found, and the count by rule.
    pub fn finish(self) -> Result<()> {
        skips::say(&format!(
            "axe-core: {} page(s) audited in {} s, {} violation(s)",
            self.pages,
            self.started.elapsed().as_secs(),
            self.found.len()
        ));
        if self.found.is_empty() {
            return Ok(());
        }
        let counts: Vec<String> = self
            .by_rule
            .iter()
            .map(|(rule, n)| format!("{rule}: {n}"))
            .collect();
        bail!(
            "axe-core found {} violation(s) on {} audited page(s) (elements by rule: {}):\n  {}",
            self.found.len(),
            self.pages,
            counts.join(", "),
            self.found.join("\n  ")
        )
    }
}

/// The forms whose empty submit shows an error state (by their `action`,
/// exactly or as its end); the others (log out, validate, archive…) act.
pub fn submits_safely(action: &str) -> bool {
    const EXACT: &[&str] = &[
        "/contact",
        "/techniciens",
        "/inscription",
        "/connexion",
        "/mot-de-passe-oublie",
        "/confidentialite/demande",
        "/profil/demandes/nouvelle",
        "/profil/propositions/nouvelle",
        "/profil/contrat/signer",
        "/profil/donnees/copie",
        "/profil/donnees/email",
        "/profil/donnees/effacer",
        "/compte/mot-de-passe",
        "/admin/rapports",
    ];
    const ENDS: &[&str] = &[
        "/nouveau",
        "/modifier",
        "/messages",
        "/reponse",
        "/prolonger",
        "/informations",
        "/clore",
        "/societe",
    ];
    EXACT.contains(&action) || ENDS.iter().any(|end| action.ends_with(end))
}

/// The actions of the page's forms, in document order (`None` for a search
/// form, or a form whose empty submit would act).
pub async fn forms_here(b: &Browser) -> Result<Vec<Option<String>>> {
    let actions: Vec<String> = b
        .js("return [...document.forms].map((f) => f.method === 'post' ? f.getAttribute('action') || '' : '')")
        .await?;
    Ok(actions
        .into_iter()
        .map(|a| submits_safely(&a).then_some(a))
        .collect())
}

const EMPTY_SUBMIT: &str = r#"
    const form = document.forms[arguments[0]];
    for (const el of form.elements) {
        if (el.type === 'hidden' || el.tagName === 'BUTTON' || el.tagName === 'FIELDSET') continue;
        if (el.type === 'checkbox' || el.type === 'radio') { el.checked = false; continue; }
        el.value = '';
    }
    window.__wmEmptySubmit = true;
    form.submit();
"#;

/// Empties the form at `index` (of `document.forms`) and sends it; waits
/// for the answer's page, which must be an error state.
pub async fn empty_submit(b: &Browser, index: usize, action: &str) -> Result<()> {
    b.client
        .execute(EMPTY_SUBMIT, vec![serde_json::json!(index)])
        .await
        .with_context(|| format!("submit the form {action} empty"))?;
    let deadline = Instant::now() + WAIT;
    loop {
        let fresh: Result<bool> = b
            .js("return !window.__wmEmptySubmit && document.readyState === 'complete'")
            .await;
        if fresh.unwrap_or(false) {
            break;
        }
        if Instant::now() > deadline {
            bail!("the empty form {action} got no answer, {}", b.here().await);
        }
        tokio::time::sleep(POLL.min(Duration::from_millis(50))).await;
    }
    // §5 of issue 18: every form sent back says « Erreur » in its title and
    // lists its errors in a summary.
    let shows_error: bool = b
        .js("return document.title.startsWith('Erreur') \
             && !!document.querySelector('.error-summary')")
        .await?;
    if !shows_error {
        bail!(
            "the form {action}, sent empty, did not answer with an « Erreur » title and an error summary, {}",
            b.here().await
        );
    }
    Ok(())
}
