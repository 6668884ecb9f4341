//! A browser session with the gestures the journeys need. Every gesture
//! waits by polling (never a fixed sleep) and fails with a message that says
//! what was missing and on which page the browser was.

use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde::de::DeserializeOwned;

use crate::common::text::plain;
use crate::harness::POLL;

/// How long a page has to show what a gesture waits for.
pub const WAIT: Duration = Duration::from_secs(15);

#[derive(Clone)]
pub struct Browser {
    pub client: Client,
    base: String,
    label: String,
}

impl Browser {
    pub fn new(client: Client, base: &str, label: &str) -> Browser {
        Browser {
            client,
            base: base.trim_end_matches('/').to_owned(),
            label: label.to_owned(),
        }
    }

    /// Opens a path of the site under test.
    pub async fn open(&self, path: &str) -> Result<()> {
        self.goto(&format!("{}{path}", self.base)).await
    }

    /// Opens an absolute address (a link from an e-mail).
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("[{}] open {url}", self.label))
    }

    pub async fn reload(&self) -> Result<()> {
        if let Err(error) = self.client.refresh().await {
            bail!("reload, {}: {error}", self.here().await);
        }
        Ok(())
    }

    /// The current path with its query string.
    pub async fn path(&self) -> Result<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        })
    }

    /// « on /path (h1 « … ») », for error messages.
    pub async fn here(&self) -> String {
        let path = self
            .path()
            .await
            .unwrap_or_else(|e| format!("<unknown page: {e}>"));
        let h1 = match self.client.find(Locator::Css("h1")).await {
            Ok(h1) => h1.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let alert = match self.client.find(Locator::Css("[role=alert]")).await {
            Ok(alert) => alert.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let mut here = format!("[{}] on {path} (h1 {h1:?})", self.label);
        if !alert.is_empty() {
            here.push_str(&format!(", alert {alert:?}"));
        }
        here
    }

    pub async fn find(&self, css: &str) -> Result<Element> {
        self.find_by(Locator::Css(css), css).await
    }

    /// Waits for an element; `what` names it in the error.
    pub async fn find_by(&self, locator: Locator<'_>, what: &str) -> Result<Element> {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .every(POLL)
            .for_element(locator)
            .await
        {
            Ok(element) => Ok(element),
            Err(error) => Err(anyhow!(
                "{what} not found within {} s, {}: {error}",
                WAIT.as_secs(),
                self.here().await
            )),
        }
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self.find(css).await?;
        element
            .click()
            .await
            .with_context(|| format!("click {css}"))
    }

    /// Follows the first link whose text is exactly `text` (written with
    /// plain apostrophes and spaces, found as the site sets it).
    pub async fn follow(&self, text: &str) -> Result<()> {
        let shown = wemaintain::views::typography::text(text);
        let link = self
            .find_by(Locator::LinkText(&shown), &format!("the link « {text} »"))
            .await?;
        link.click()
            .await
            .with_context(|| format!("follow the link « {text} »"))
    }

    /// Types `value` into an empty field.
    pub async fn fill(&self, css: &str, value: &str) -> Result<()> {
        let field = self.find(css).await?;
        field
            .clear()
            .await
            .with_context(|| format!("clear {css}"))?;
        field
            .send_keys(value)
            .await
            .with_context(|| format!("type into {css}"))
    }

    /// Picks the option of a `select` whose value is `value`.
    pub async fn choose(&self, css: &str, value: &str) -> Result<()> {
        let select = self.find(css).await?;
        if let Err(error) = select.select_by_value(value).await {
            bail!("choose {value:?} in {css}, {}: {error}", self.here().await);
        }
        Ok(())
    }

    /// Picks the first option of a `select` whose label contains `needle`.
    pub async fn choose_containing(&self, css: &str, needle: &str) -> Result<()> {
        let select = self.find(css).await?;
        let mut labels = Vec::new();
        for option in select.find_all(Locator::Css("option")).await? {
            let label = option.text().await?;
            if label.contains(needle) {
                let value = option.attr("value").await?.unwrap_or_default();
                return select
                    .select_by_value(&value)
                    .await
                    .with_context(|| format!("choose {label:?} in {css}"));
            }
            labels.push(label);
        }
        bail!(
            "no option containing {needle:?} in {css} (options: {labels:?}), {}",
            self.here().await
        )
    }

    /// Ticks a checkbox (or radio button) unless it already is.
    pub async fn tick(&self, css: &str) -> Result<()> {
        let box_ = self.find(css).await?;
        if !box_.is_selected().await? {
            box_.click().await.with_context(|| format!("tick {css}"))?;
        }
        Ok(())
    }

    /// The rendered text of the first element matching `css`, its
    /// typography made plain (`common::text::plain`).
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(plain(&self.find(css).await?.text().await?))
    }

    /// The rendered text of every element matching `css` (none: empty).
    pub async fn texts(&self, css: &str) -> Result<Vec<String>> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await? {
            texts.push(plain(&element.text().await?));
        }
        Ok(texts)
    }

    /// Waits until the current path (with its query string when `expected`
    /// has one) is `expected`.
    pub async fn wait_for_path(&self, expected: &str) -> Result<()> {
        self.wait_for_path_where(expected, |path| {
            if expected.contains('?') {
                path == expected
            } else {
                path.split('?').next() == Some(expected)
            }
        })
        .await
        .map(|_| ())
    }

    /// Waits until the current path satisfies `accept`; returns it.
    pub async fn wait_for_path_where(
        &self,
        what: &str,
        accept: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(path) = self.path().await {
                if accept(&path) {
                    return Ok(path);
                }
            }
            if Instant::now() > deadline {
                bail!(
                    "the browser did not reach {what} within {} s, {}",
                    WAIT.as_secs(),
                    self.here().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until an element matching `css` shows a text containing
    /// `needle`; returns that text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            // A page being replaced can make an element stale: look again.
            if let Ok(texts) = self.texts(css).await {
                if let Some(text) = texts.into_iter().find(|t| t.contains(needle)) {
                    return Ok(text);
                }
            }
            if Instant::now() > deadline {
                let seen = self.texts(css).await.unwrap_or_default();
                bail!(
                    "no {css} showing {needle:?} within {} s (seen: {seen:?}), {}",
                    WAIT.as_secs(),
                    self.here().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Runs a script in the page (its `return` value, deserialized).
    pub async fn js<T: DeserializeOwned>(&self, script: &str) -> Result<T> {
        self.js_with(script, Vec::new()).await
    }

    /// Runs `script` with `args` (its `arguments`); returns its result.
    pub async fn js_with<T: DeserializeOwned>(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> Result<T> {
        let value = match self.client.execute(script, args).await {
            Ok(value) => value,
            Err(error) => bail!("a script failed, {}: {error}", self.here().await),
        };
        serde_json::from_value(value).context("read the script's result")
    }

    /// The page's visible text, its typography made plain.
    pub async fn body_text(&self) -> Result<String> {
        Ok(plain(
            &self.js::<String>("return document.body.innerText").await?,
        ))
    }
}
