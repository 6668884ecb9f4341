//! The mail outbox (`<data dir>/outbox/*.eml`, where the site writes its
//! e-mails in tests) read as the recipient would, and the one wait for a
//! mail that the API and browser tests share.

use std::path::Path;

use anyhow::anyhow;

use crate::common::text::plain;
use crate::common::wait;

/// An e-mail of the outbox, its body decoded (quoted-printable or base64).
#[derive(Debug, Clone)]
pub struct Mail {
    /// The head as written (continued header lines not unfolded).
    pub head: String,
    pub to: String,
    pub subject: String,
    /// The body as the recipient reads it, with `\n` line ends, its
    /// typography made plain ([`plain`]).
    pub text: String,
    /// The body as sent (decoded), with its French typography.
    pub raw_text: String,
}

impl Mail {
    pub fn parse(eml: &str) -> Mail {
        let (head, body) = eml.split_once("\r\n\r\n").unwrap_or((eml, ""));
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let header = |name: &str| {
            unfolded
                .lines()
                .find_map(|line| {
                    let (key, value) = line.split_once(':')?;
                    key.eq_ignore_ascii_case(name)
                        .then(|| value.trim().to_owned())
                })
                .unwrap_or_default()
        };
        let text = match header("Content-Transfer-Encoding")
            .to_ascii_lowercase()
            .as_str()
        {
            "quoted-printable" => {
                quoted_printable::decode(body, quoted_printable::ParseMode::Robust)
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .unwrap_or_else(|_| body.to_owned())
            }
            "base64" => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(body.replace("\r\n", ""))
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .unwrap_or_else(|_| body.to_owned())
            }
            _ => body.to_owned(),
        };
        Mail {
            head: head.to_owned(),
            to: header("To"),
            subject: plain(&header("Subject")),
            text: plain(&text.replace("\r\n", "\n")),
            raw_text: text.replace("\r\n", "\n"),
        }
    }

    /// The head and the decoded body, as one text.
    pub fn full(&self) -> String {
        format!("{}\r\n\r\n{}", self.head, self.text)
    }

    /// Sent to `to`, and `needle` in its head or text.
    pub fn is(&self, to: &str, needle: &str) -> bool {
        self.to.contains(to) && (self.text.contains(needle) || self.head.contains(needle))
    }

    /// The first link of the text that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> anyhow::Result<String> {
        self.text
            .split_whitespace()
            .find(|word| word.starts_with(prefix))
            .map(|word| word.trim_end_matches(['.', ',', ')', '>']).to_owned())
            .ok_or_else(|| {
                anyhow!(
                    "no link starting with {prefix} in the e-mail:\n{}",
                    self.text
                )
            })
    }
}

/// Every message of `<data_dir>/outbox` so far, oldest first.
pub fn outbox(data_dir: &Path) -> Vec<Mail> {
    let mut mails: Vec<(std::time::SystemTime, Mail)> = std::fs::read_dir(data_dir.join("outbox"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .filter_map(|e| {
                    let modified = e.metadata().ok()?.modified().ok()?;
                    Some((
                        modified,
                        Mail::parse(&std::fs::read_to_string(e.path()).ok()?),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    mails.sort_by_key(|(modified, _)| *modified);
    mails.into_iter().map(|(_, mail)| mail).collect()
}

/// Waits (mails leave from a background task) for the first message of the
/// outbox that `accept` takes; `Err` naming `what` and listing the outbox
/// after [`wait::WAIT`].
pub async fn wait_for_where(
    data_dir: &Path,
    what: &str,
    accept: impl Fn(&Mail) -> bool,
) -> Result<Mail, String> {
    let found = wait::until_within(what, wait::WAIT, || {
        let found = outbox(data_dir).into_iter().find(|m| accept(m));
        async move { found }
    })
    .await;
    found.map_err(|error| {
        let seen: Vec<String> = outbox(data_dir)
            .iter()
            .map(|m| format!("to {}: {:?}", m.to, m.subject))
            .collect();
        format!("{error}; outbox: {seen:#?}")
    })
}

/// Waits for a message to `to` whose head or text contains `needle`.
pub async fn wait_for(data_dir: &Path, to: &str, needle: &str) -> Result<Mail, String> {
    wait_for_where(
        data_dir,
        &format!("an e-mail to {to} containing {needle:?}"),
        |m| m.is(to, needle),
    )
    .await
}

impl crate::common::app::TestApp {
    /// Every message written to the outbox so far, oldest first, each as
    /// its head and decoded body.
    pub fn outbox(&self) -> Vec<String> {
        outbox(&self.settings.data_dir)
            .iter()
            .map(Mail::full)
            .collect()
    }

    /// Waits for a message to `to` whose text contains `needle`; returns it
    /// as its head and decoded body.
    pub async fn wait_for_mail(&self, to: &str, needle: &str) -> String {
        match wait_for(&self.settings.data_dir, to, needle).await {
            Ok(mail) => mail.full(),
            Err(error) => panic!("{error}"),
        }
    }

    /// Waits for the first message that `accept` takes (given the head and
    /// decoded body); `what` names it in the failure.
    pub async fn wait_for_mail_where(&self, what: &str, accept: impl Fn(&str) -> bool) -> String {
        match wait_for_where(&self.settings.data_dir, what, |m| accept(&m.full())).await {
            Ok(mail) => mail.full(),
            Err(error) => panic!("{error}"),
        }
    }

    /// Waits until the mails the site queued so far have been written, as
    /// far as the outside can tell: a mail queued now behind them (a
    /// password-reset link for `account`, which must exist) has been.
    /// Lets a test assert that some action sent no mail.
    pub async fn wait_for_mails_queued_so_far(&self, account: &str) {
        const LINK: &str = "/mot-de-passe-oublie/nouveau?jeton=";
        let count = || {
            outbox(&self.settings.data_dir)
                .iter()
                .filter(|m| m.is(account, LINK))
                .count()
        };
        let before = count();
        let asked = self
            .browser()
            .post_form("/mot-de-passe-oublie", &[("email", account)])
            .await;
        assert_eq!(asked.status(), 303, "a reset link for {account} is asked");
        let what = format!("a marker mail (reset link) to {account}");
        wait::until_true(&what, || async { count() > before }).await;
    }
}
