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

/// Elements whose content is shown or sent exactly as written.
const RAW_ELEMENTS: &[&str] = &[
    "pre", "code", "kbd", "samp", "textarea", "option", "script", "style",
];

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
            // Maud writes tag names in lowercase.
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

/// The index just after the `>` closing the tag that starts at `start`,
/// quotes in attribute values respected.
fn tag_end(html: &str, start: usize) -> usize {
    let Some(close) = html[start..].find('>').map(|e| start + e) else {
        return html.len();
    };
    // The common case, no quoted `>`: the first `>` with no quote before it,
    // or with balanced quotes (maud escapes `"` inside values).
    let head = &html.as_bytes()[start..close];
    let quotes = head.iter().filter(|b| **b == b'"').count();
    if quotes % 2 == 0 && !head.contains(&b'\'') {
        return close + 1;
    }
    let mut quote = None;
    for (i, b) in html.as_bytes()[start + 1..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(*b),
            (Some(q), b) if q == *b => quote = None,
            (None, b'>') => return start + 1 + i + 1,
            _ => {}
        }
    }
    html.len()
}

/// The name of an opening tag whose content stays as it is.
fn raw_element(tag: &str) -> Option<&'static str> {
    if tag.starts_with("</") || tag.ends_with("/>") {
        return None;
    }
    let name = tag[1..]
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    RAW_ELEMENTS
        .iter()
        .copied()
        .find(|raw| raw.eq_ignore_ascii_case(name))
}

/// The characters a rule starts from.
fn is_special(c: char) -> bool {
    matches!(
        c,
        ' ' | NBSP | '\'' | ';' | ':' | '!' | '?' | '%' | '«' | '»'
    )
}

fn is_space(c: char) -> bool {
    c == ' ' || c == NBSP || c == NNBSP || c.is_whitespace()
}

/// Whether a word is copied as it is: an address, a path, code.
fn is_protected_word(word: &[char]) -> bool {
    word.iter()
        .any(|c| matches!(c, '@' | '/' | '\\' | '=' | '_' | '`' | '{'))
        || word.windows(2).any(|w| w == [':', ':'] || w == ['&', '&'])
        || word.starts_with(&['w', 'w', 'w', '.'])
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
    fn run(&mut self, input: &str, html: bool, out: &mut String) {
        if !input.contains(is_special) {
            out.push_str(input);
            if let Some(last) = input.chars().last() {
                self.prev = last;
            }
            return;
        }
        let chars: Vec<char> = input.chars().collect();
        let protected = protected(&chars, html);
        // Characters no rule looks at are copied by runs, not one by one.
        let mut run = 0;
        for (i, (at, c)) in input.char_indices().enumerate() {
            if protected[i] || !is_special(c) {
                continue;
            }
            if run < at {
                out.push_str(&input[run..at]);
                self.prev = chars[i - 1];
            }
            run = at + c.len_utf8();
            let next = chars.get(i + 1).copied();
            match c {
                ' ' | NBSP => {
                    let space = self.space(&chars, &protected, i, c);
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
        if run < input.len() {
            out.push_str(&input[run..]);
            self.prev = chars[chars.len() - 1];
        }
    }

    fn push(&mut self, out: &mut String, c: char) {
        out.push(c);
        self.prev = c;
    }

    /// What a space (or a no-break space) at `i` becomes.
    fn space(&self, chars: &[char], protected: &[bool], i: usize, c: char) -> char {
        let at = |j: usize| chars.get(j).copied();
        let next = at(i + 1);
        let free_next = next.is_some() && !protected[i + 1];
        let prev = self.prev;
        if free_next && matches!(next, Some(';' | ':' | '!' | '?')) && ends_clause(at(i + 2)) {
            return NNBSP;
        }
        if next == Some('»') || prev == '«' || (next == Some('%') && prev.is_ascii_digit()) {
            return NNBSP;
        }
        if prev.is_ascii_digit() {
            if unit_follows(chars, i + 1) {
                return NBSP;
            }
            if thousands_follow(chars, i) {
                return NNBSP;
            }
        }
        let digits_at = |j: usize| at(j).is_some_and(|d| d.is_ascii_digit());
        // « 17 h 25 »: the space after the « h ».
        if prev == 'h'
            && i >= 3
            && is_space(chars[i - 2])
            && digits_at(i - 3)
            && digits_at(i + 1)
            && digits_at(i + 2)
            && !digits_at(i + 3)
        {
            return NBSP;
        }
        // « n° 12 ».
        if prev == '°' && i >= 2 && matches!(chars[i - 2], 'n' | 'N') && digits_at(i + 1) {
            return NBSP;
        }
        c
    }
}

/// Characters inside entities (in HTML) and inside protected words.
fn protected(chars: &[char], html: bool) -> Vec<bool> {
    let mut protected = vec![false; chars.len()];
    // Most text holds none of the marks: no word to look at.
    if !chars
        .iter()
        .any(|c| matches!(c, '@' | '/' | '\\' | '=' | '_' | '`' | '{' | ':' | '&'))
    {
        return protected;
    }
    let mut start = 0;
    for end in 0..=chars.len() {
        if end < chars.len() && !is_space(chars[end]) {
            continue;
        }
        if end > start && is_protected_word(&chars[start..end]) {
            protected[start..end].fill(true);
        }
        start = end + 1;
    }
    if html {
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '&' {
                let len = chars[i + 1..]
                    .iter()
                    .take(12)
                    .position(|c| *c == ';')
                    .filter(|len| {
                        chars[i + 1..i + 1 + len]
                            .iter()
                            .all(|c| c.is_ascii_alphanumeric() || *c == '#')
                    });
                if let Some(len) = len {
                    protected[i..i + len + 2].fill(true);
                    i += len + 2;
                    continue;
                }
            }
            i += 1;
        }
    }
    protected
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

/// Whether a unit word starts at `i` and ends there (« ans », not « ansible »).
fn unit_follows(chars: &[char], i: usize) -> bool {
    let len = chars[i.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_alphabetic() || matches!(c, '€' | '²'))
        .count();
    if len == 0 {
        return false;
    }
    let word: String = chars[i..i + len].iter().collect();
    let after = chars.get(i + len).copied();
    UNITS.contains(&word.as_str())
        && !after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '\'' | '’' | '-'))
}

/// « 1 234 »: the space at `i` follows a group of at most 3 digits and
/// comes before a group of exactly 3.
fn thousands_follow(chars: &[char], i: usize) -> bool {
    let group = |from: usize| {
        chars[from.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let before = chars[..i]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let preceded_by_word = i > before && chars[i - before - 1].is_alphanumeric();
    before <= 3
        && !preceded_by_word
        && group(i + 1) == 3
        && !chars.get(i + 4).is_some_and(|c| c.is_alphanumeric())
}

#[cfg(test)]
#[path = "typography_tests.rs"]
mod tests;
