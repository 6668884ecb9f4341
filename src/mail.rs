//! Outgoing e-mail through lettre: SMTP when `WM_SMTP_URL` is set, otherwise
//! each message is written as an `.eml` file under `WM_DATA_DIR/outbox/`,
//! so that a fresh machine works without a mail server and tests can read
//! what was sent.
//!
//! Messages go out from a background task: a page never waits for a mail
//! server, and a form answers in the same time whether it sent a message or
//! not (which would otherwise tell whether an address has an account).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;
use crate::metrics::Metrics;
use crate::views::typography;

/// Waits before the second, third and fourth attempts at a message: a mail
/// server restarting or a network hiccup gets a minute and a half.
const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_secs(2),
    Duration::from_secs(15),
    Duration::from_secs(75),
];

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("WM_SMTP_URL : {0}")]
    SmtpUrl(#[source] lettre::transport::smtp::Error),
    #[error("impossible de créer la boîte d'envoi « {} » : {source}", path.display())]
    Outbox {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("« {0} » n'est pas une adresse e-mail")]
    Address(String),
    #[error("« {0} » n'est pas un nom d'en-tête")]
    HeaderName(String),
    #[error("impossible de composer le message : {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP : {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("boîte d'envoi : {0}")]
    File(#[from] lettre::transport::file::Error),
}

/// One plain-text message in French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>),
}

/// Sends the site's e-mails. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
    staff: Arc<Vec<String>>,
    metrics: Arc<Metrics>,
    /// Messages not sent yet, and a signal when the count changes, so that
    /// a server stop can wait for them.
    in_flight: Arc<(AtomicUsize, Notify)>,
    /// The runtime the application was built on. Handlers run on actix's
    /// per-worker runtimes, which a server stop shuts down with whatever
    /// they still run: a message spawned there would die mid-send.
    runtime: tokio::runtime::Handle,
}

impl Mailer {
    /// Call from the application's runtime: messages are sent on it.
    pub fn from_settings(settings: &Settings, metrics: Arc<Metrics>) -> Result<Self, MailError> {
        let transport = match &settings.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(MailError::SmtpUrl)?
                    .build(),
            ),
            None => {
                let path = outbox_dir(settings);
                std::fs::create_dir_all(&path).map_err(|source| MailError::Outbox {
                    path: path.clone(),
                    source,
                })?;
                Transport::Outbox(AsyncFileTransport::new(path))
            }
        };
        let from = settings
            .mail_from
            .parse()
            .map_err(|_| MailError::Address(settings.mail_from.clone()))?;
        Ok(Self {
            transport: Arc::new(transport),
            from,
            staff: Arc::new(settings.staff_email.clone()),
            metrics,
            in_flight: Arc::new((AtomicUsize::new(0), Notify::new())),
            runtime: tokio::runtime::Handle::current(),
        })
    }

    /// `WM_STAFF_EMAIL`, when set (otherwise staff are the admin accounts).
    pub fn configured_staff(&self) -> &[String] {
        &self.staff
    }

    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        self.send_with_headers(mail, &[]).await
    }

    /// As [`Mailer::send`], with more headers (`List-Unsubscribe`), at once:
    /// the caller learns whether the message left.
    pub async fn send_with_headers(
        &self,
        mail: &OutgoingMail,
        headers: &[(&str, String)],
    ) -> Result<(), MailError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(typography::text(&mail.subject))
            .header(ContentType::TEXT_PLAIN);
        for (name, value) in headers {
            let name = HeaderName::new_from_ascii((*name).to_owned())
                .map_err(|_| MailError::HeaderName((*name).to_owned()))?;
            builder = builder.raw_header(HeaderValue::new(name, value.clone()));
        }
        for to in &mail.to {
            let mailbox: Mailbox = to.parse().map_err(|_| MailError::Address(to.clone()))?;
            builder = builder.to(mailbox);
        }
        // Lines under 76 bytes let lettre send the French text as 8bit,
        // readable as is; a longer word (a link) makes it choose
        // quoted-printable.
        let text = wrap(&typography::text(&mail.text));
        let body = Body::new_with_encoding(text, ContentTransferEncoding::EightBit)
            .unwrap_or_else(Body::new);
        let message = builder.body(body)?;
        match self.transport.as_ref() {
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
            }
            Transport::Outbox(outbox) => {
                outbox.send(message).await?;
            }
        }
        Ok(())
    }

    /// Sends from a background task, trying again after 2 s, 15 s and 75 s
    /// before giving up; a failure is logged with the subject, never the
    /// addresses, and counted. A server stop waits for the messages still
    /// in flight ([`Mailer::flush`]); a crash loses them.
    pub fn send_later(&self, mail: OutgoingMail) {
        self.spawn_send(mail, true);
    }

    /// As [`Mailer::send_later`], for a message whose very sending tells
    /// something a form's answer hides (a reset link goes only to an
    /// account): sent, retried and logged alike, but counted in no metric,
    /// so that `/metrics` does not tell who has an account.
    pub fn send_later_discreetly(&self, mail: OutgoingMail) {
        self.spawn_send(mail, false);
    }

    fn spawn_send(&self, mail: OutgoingMail, counted: bool) {
        if mail.to.is_empty() {
            tracing::warn!(subject = %mail.subject, "e-mail with no recipient not sent (set WM_STAFF_EMAIL or create an admin account)");
            return;
        }
        // An address that does not parse never will: no retry.
        if mail.to.iter().any(|to| to.parse::<Mailbox>().is_err()) {
            if counted {
                self.metrics.mail_failed();
            }
            tracing::error!(subject = %mail.subject, "e-mail not sent: a recipient is not an e-mail address");
            return;
        }
        let mailer = self.clone();
        self.in_flight.0.fetch_add(1, Ordering::SeqCst);
        self.runtime.spawn(async move {
            let mut delays = RETRY_DELAYS.iter();
            loop {
                match mailer.send(&mail).await {
                    Ok(()) => {
                        if counted {
                            mailer.metrics.mail_sent();
                        }
                        break;
                    }
                    Err(error) => match delays.next() {
                        Some(delay) => {
                            tracing::warn!(subject = %mail.subject, %error, retry_in_s = delay.as_secs(), "e-mail not sent yet");
                            tokio::time::sleep(*delay).await;
                        }
                        None => {
                            if counted {
                                mailer.metrics.mail_failed();
                            }
                            tracing::error!(subject = %mail.subject, %error, "e-mail not sent, given up");
                            break;
                        }
                    },
                }
            }
            mailer.in_flight.0.fetch_sub(1, Ordering::SeqCst);
            mailer.in_flight.1.notify_waiters();
        });
    }

    /// Waits until every message handed to [`Mailer::send_later`] is sent or
    /// given up, for at most `limit`; returns how many are still pending.
    pub async fn flush(&self, limit: Duration) -> usize {
        let (count, changed) = &*self.in_flight;
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = changed.notified();
            let pending = count.load(Ordering::SeqCst);
            if pending == 0 {
                return 0;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return count.load(Ordering::SeqCst);
            }
        }
    }
}

/// Wraps each line at spaces so that it fits in 72 bytes where it can.
fn wrap(text: &str) -> String {
    const WIDTH: usize = 72;
    let mut out = String::with_capacity(text.len() + text.len() / WIDTH);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut width = 0;
        for (j, word) in line.split(' ').enumerate() {
            if j > 0 {
                if width + 1 + word.len() > WIDTH {
                    out.push('\n');
                    width = 0;
                } else {
                    out.push(' ');
                    width += 1;
                }
            }
            out.push_str(word);
            width += word.len();
        }
    }
    out
}

/// Where messages go when there is no SMTP server.
pub fn outbox_dir(settings: &Settings) -> PathBuf {
    settings.data_dir.join("outbox")
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_lines_are_wrapped_at_spaces() {
        let text = "Une demande de compte client vient d'être faite avec votre adresse e-mail, qui a déjà un compte.\nhttps://www.wemaintain.com/un/lien/tres/long/qui/ne/se/coupe/pas/meme/s/il/depasse/la/largeur";
        let wrapped = wrap(text);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(
            lines[..lines.len() - 1].iter().all(|l| l.len() <= 72),
            "{wrapped}"
        );
        assert_eq!(lines.last().unwrap(), &text.lines().nth(1).unwrap());
        assert_eq!(wrapped.replace('\n', " "), text.replace('\n', " "));
    }
}
