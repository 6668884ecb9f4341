//! Pages and e-mails set French typography (’, no-break spaces before
//! « : » and inside « »); tests write their expected texts with a straight
//! apostrophe and plain spaces. [`plain`] maps what is read to that form
//! before a test compares; the typography tests read the raw text instead.

/// The text with ’ as ' and no-break spaces (U+00A0, U+202F) as spaces.
pub fn plain(text: &str) -> String {
    text.replace('’', "'").replace(['\u{a0}', '\u{202f}'], " ")
}

/// A response's body read as [`plain`] text.
#[allow(async_fn_in_trait)]
pub trait PlainText {
    async fn plain_text(self) -> String;
}

impl PlainText for reqwest::Response {
    async fn plain_text(self) -> String {
        plain(&self.text().await.expect("a text body"))
    }
}
