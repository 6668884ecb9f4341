//! French typography for what people read: the one pass every page (through
//! the layout's frame) and every e-mail (through the mailer) goes through.
//!
//! Rules, applied to text only: a narrow no-break space (U+202F) before
//! `; : ! ? %` and inside « », a no-break space (U+00A0) around the « h » of
//! « 17 h 25 », after « n° » and between a number and its unit (« 5 ans »,
//! « 12 € »), a narrow no-break space between the groups of « 1 234 »,
//! and a typographic apostrophe (’) between letters.
//!
//! In a page, only text nodes change: tag names, attributes (so links and
//! form values), comments and the content of `<pre>`, `<code>`, `<kbd>`,
//! `<samp>`, `<textarea>`, `<option>`, `<script>` and `<style>` are copied
//! byte for byte. In any text, a word that looks like an address or code
//! (an `@`, a `/`, `://`, `=`, `_`, `::`…) is copied as it is, and a colon
//! glued between two characters (« 9:30 », « https: ») is left alone.
//! Applying a pass twice changes nothing.

/// Narrow no-break space, before `; : ! ? %` and inside « ».
pub const NNBSP: char = '\u{202f}';
/// No-break space, between a number and its unit.
pub const NBSP: char = '\u{a0}';

/// Units kept on the line of their number (« 5 ans », « 64 Kio »).
const UNITS: &[&str] = &[
    "an", "ans", "mois", "semaine", "semaines", "jour", "jours", "heure", "heures", "h", "min",
    "minute", "minutes", "seconde", "secondes", "ms", "€", "EUR", "octet", "octets", "Kio", "Mio",
    "Gio", "Ko", "Mo", "Go", "cm", "mm", "km", "kg", "m²", "étage", "étages",
];

/// « 0 demande », « 1 demande », « 2 demandes »: in French, 0 and 1 take
/// the singular.
pub fn plural(n: i64, singular: &str, plural: &str) -> String {
    format!("{n} {}", plural_word(n, singular, plural))
}

/// The word alone, for when the number is shown apart from it.
pub fn plural_word<'a>(n: i64, singular: &'a str, plural: &'a str) -> &'a str {
    if n.abs() < 2 {
        singular
    } else {
        plural
    }
}

/// A whole rendered HTML page with French typography in its text nodes.
pub fn page(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut setter = Typesetter::default();
    let mut pos = 0;
    while pos < html.len() {
        let Some(offset) = html[pos..].find('<') else {
            setter.run(&html[pos..], true, &mut out);
            break;
        };
        setter.run(&html[pos..pos + offset], true, &mut out);
        pos += offset;
        let end = if html[pos..].starts_with("<!--") {
            html[pos..].find("-->").map_or(html.len(), |e| pos + e + 3)
        } else {
            tag_end(html, pos)
        };
        let tag = &html[pos..end];
        out.push_str(tag);
        pos = end;
        if let Some(name) = raw_element(tag) {
            let close = format!("</{name}");
            let stop = html[pos..].find(&close).map_or(html.len(), |e| pos + e);
            out.push_str(&html[pos..stop]);
            pos = stop;
        }
    }
    out
}

/// Plain text (an e-mail) with French typography.
pub fn text(plain: &str) -> String {
    let mut out = String::with_capacity(plain.len() + plain.len() / 16);
    Typesetter::default().run(plain, false, &mut out);
    out
}

/// The index just after the `>` closing the tag that starts at `start`.
/// Maud escapes `>` inside attribute values, so the first one closes it.
fn tag_end(html: &str, start: usize) -> usize {
    html[start..]
        .find('>')
        .map_or(html.len(), |e| start + e + 1)
}

/// The name of an opening tag whose content stays as it is.
fn raw_element(tag: &str) -> Option<&'static str> {
    let bytes = tag.as_bytes();
    let mut end = 1;
    while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
        end += 1;
    }
    if tag.ends_with("/>") {
        return None;
    }
    // Maud writes tag names in lowercase.
    match &bytes[1..end] {
        b"pre" => Some("pre"),
        b"code" => Some("code"),
        b"kbd" => Some("kbd"),
        b"samp" => Some("samp"),
        b"textarea" => Some("textarea"),
        b"option" => Some("option"),
        b"script" => Some("script"),
        b"style" => Some("style"),
        _ => None,
    }
}

/// The characters a rule starts from.
fn is_special(c: char) -> bool {
    matches!(
        c,
        ' ' | NBSP | '\'' | ';' | ':' | '!' | '?' | '%' | '«' | '»'
    )
}

/// Bytes that may start a special character: the ASCII ones, and 0xC2,
/// which starts U+00A0, « and ».
fn may_be_special(b: u8) -> bool {
    matches!(b, b' ' | b'\'' | b';' | b':' | b'!' | b'?' | b'%' | 0xC2)
}

fn is_space(c: char) -> bool {
    c == ' ' || c == NBSP || c == NNBSP || c.is_whitespace()
}

/// Whether a word is copied as it is: an address, a path, code.
fn is_protected_word(word: &str) -> bool {
    word.contains(['@', '/', '\\', '=', '_', '`', '{'])
        || word.contains("::")
        || word.contains("&&")
        || word.starts_with("www.")
}

/// The whitespace-delimited word around byte `at` of `text`.
fn word_at(text: &str, at: usize) -> &str {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| is_space(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..].find(is_space).map_or(text.len(), |e| at + e);
    &text[start..end]
}

/// Whether the character at byte `at` is copied as it is: in a protected
/// word, or (in HTML) the `;` ending an entity.
fn is_protected_at(text: &str, at: usize, html: bool) -> bool {
    if html && text[at..].starts_with(';') {
        let mut from = at.saturating_sub(12);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let before = &text[from..at];
        if let Some(amp) = before.rfind('&') {
            let name = &before[amp + 1..];
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#') {
                return true;
            }
        }
    }
    at < text.len()
        && !is_space(text[at..].chars().next().unwrap_or(' '))
        && is_protected_word(word_at(text, at))
}

/// What a text pass remembers from one text node to the next: the last
/// character written, so that « <strong>Nom</strong>: » is seen whole.
struct Typesetter {
    prev: char,
}

impl Default for Typesetter {
    fn default() -> Self {
        Self { prev: '\n' }
    }
}

impl Typesetter {
    /// Sets `input` into `out`. Only special characters are looked at;
    /// the runs between them are copied whole.
    fn run(&mut self, input: &str, html: bool, out: &mut String) {
        let bytes = input.as_bytes();
        let mut copied = 0;
        let mut at = 0;
        while at < bytes.len() {
            if !may_be_special(bytes[at]) {
                at += 1;
                continue;
            }
            let c = input[at..].chars().next().unwrap_or(' ');
            let len = c.len_utf8();
            if !is_special(c) {
                at += len;
                continue;
            }
            if copied < at {
                out.push_str(&input[copied..at]);
                self.prev = input[..at].chars().next_back().unwrap_or(self.prev);
            }
            copied = at + len;
            if is_protected_at(input, at, html) {
                self.push(out, c);
            } else {
                self.set(input, at, c, html, out);
            }
            at += len;
        }
        if copied < input.len() {
            out.push_str(&input[copied..]);
            self.prev = input.chars().next_back().unwrap_or(self.prev);
        }
    }

    /// Writes the special character `c` found at byte `at` of `text`.
    fn set(&mut self, text: &str, at: usize, c: char, html: bool, out: &mut String) {
        let rest = &text[at + c.len_utf8()..];
        let next = rest.chars().next();
        match c {
            ' ' | NBSP => {
                let space = self.space(text, at, c, html);
                self.push(out, space);
            }
            ';' | ':' | '!' | '?' => {
                if attaches(self.prev) && ends_clause(next) {
                    self.push(out, NNBSP);
                }
                self.push(out, c);
            }
            '%' => {
                if self.prev.is_ascii_digit() && !next.is_some_and(char::is_alphanumeric) {
                    self.push(out, NNBSP);
                }
                self.push(out, c);
            }
            '«' => {
                self.push(out, c);
                if next.is_some_and(|n| !is_space(n)) {
                    self.push(out, NNBSP);
                }
            }
            '»' => {
                if !is_space(self.prev) {
                    self.push(out, NNBSP);
                }
                self.push(out, c);
            }
            '\'' if self.prev.is_alphabetic()
                && next.is_some_and(|n| n.is_alphabetic() || n == '«') =>
            {
                self.push(out, '’');
            }
            _ => self.push(out, c),
        }
    }

    fn push(&mut self, out: &mut String, c: char) {
        out.push(c);
        self.prev = c;
    }

    /// What a space (or a no-break space) at byte `at` becomes.
    fn space(&self, text: &str, at: usize, c: char, html: bool) -> char {
        let after = at + c.len_utf8();
        let rest = &text[after..];
        let mut ahead = rest.chars();
        let (next, next2) = (ahead.next(), ahead.next());
        let mut behind = text[..at].chars().rev().skip(1);
        let (back1, back2) = (behind.next(), behind.next());
        let prev = self.prev;
        let punctuation = matches!(next, Some(';' | ':' | '!' | '?'));
        if punctuation && ends_clause(next2) && !is_protected_at(text, after, html) {
            return NNBSP;
        }
        if next == Some('»') || prev == '«' || (next == Some('%') && prev.is_ascii_digit()) {
            return NNBSP;
        }
        if prev.is_ascii_digit() {
            if unit_follows(rest) {
                return NBSP;
            }
            if thousands_follow(&text[..at], rest) {
                return NNBSP;
            }
        }
        let digit = |c: Option<char>| c.is_some_and(|d| d.is_ascii_digit());
        // « 17 h 25 »: the space after the « h ».
        if prev == 'h' && back1.is_some_and(is_space) && digit(back2) && leading_digits(rest) == 2 {
            return NBSP;
        }
        // « n° 12 ».
        if prev == '°' && matches!(back1, Some('n' | 'N')) && digit(next) {
            return NBSP;
        }
        c
    }
}

/// Whether `; : ! ?` after this character takes a narrow no-break space
/// before it (it follows a word).
fn attaches(prev: char) -> bool {
    prev.is_alphanumeric() || matches!(prev, ')' | ']' | '»' | '’' | '"' | '*')
}

/// Whether what follows `; : ! ?` shows it ends a clause (not « 9:30 »,
/// « https://… », « a:b »).
fn ends_clause(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(n) => is_space(n) || matches!(n, ';' | ':' | '!' | '?' | '»' | ')' | '"' | '.' | ','),
    }
}

fn leading_digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// Whether `rest` starts with a unit word that ends there (« ans », not
/// « ansible »).
fn unit_follows(rest: &str) -> bool {
    let end = rest
        .find(|c: char| !(c.is_alphabetic() || matches!(c, '€' | '²')))
        .unwrap_or(rest.len());
    let after = rest[end..].chars().next();
    end > 0
        && UNITS.contains(&&rest[..end])
        && !after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '\'' | '’' | '-'))
}

/// « 1 234 »: a space after a group of at most 3 digits (not ending a
/// word) and before a group of exactly 3.
fn thousands_follow(before: &str, rest: &str) -> bool {
    let group = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    let word_before = before[..before.len() - group]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let after = rest[leading_digits(rest)..].chars().next();
    group <= 3
        && !word_before
        && leading_digits(rest) == 3
        && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
#[path = "typography_tests.rs"]
mod tests;
