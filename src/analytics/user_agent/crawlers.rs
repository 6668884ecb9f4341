//! Is a User-Agent a robot? Two maintained lists decide, both embedded from
//! the npm registry by `scripts/refresh-ua-data`: the community list
//! crawler-user-agents (one pattern per known robot) and isbot's pattern
//! (generic marks of tools, libraries and monitors). Each is compiled once
//! into one automaton, so a User-Agent is read once per list.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, StartKind};
use regex::bytes::{Regex, RegexBuilder};

const CRAWLER_USER_AGENTS: &str = include_str!("data/crawler-user-agents.txt");
const ISBOT: &str = include_str!("data/isbot.txt");
const EXTRA: &str = include_str!("data/robots-extra.txt");

fn patterns(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
}

fn has_look_around(pattern: &str) -> bool {
    ["(?=", "(?!", "(?<=", "(?<!"]
        .iter()
        .any(|mark| pattern.contains(mark))
}

fn alternation(patterns: impl Iterator<Item = String>) -> String {
    patterns
        .map(|pattern| format!("(?:{pattern})"))
        .collect::<Vec<_>>()
        .join("|")
}

fn compile(pattern: &str, case_insensitive: bool) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .case_insensitive(case_insensitive)
        .size_limit(64 << 20)
        .dfa_size_limit(16 << 20)
        .build()
        .expect("the embedded robot patterns compile")
}

/// The text a pattern without operators matches (`Googlebot\/` → `Googlebot/`).
fn as_literal(pattern: &str) -> Option<String> {
    let mut text = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) if escaped.is_ascii_punctuation() || escaped == ' ' => {
                    text.push(escaped)
                }
                _ => return None,
            },
            '.' | '^' | '$' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' => {
                return None
            }
            _ => text.push(c),
        }
    }
    (!text.is_empty()).then_some(text)
}

/// A list of patterns, split by what each needs: most are words to find
/// anywhere, or at the start, which Aho-Corasick finds in one linear pass
/// however many there are and whatever the text; the others go to one
/// regular expression. One big regular expression instead would have its
/// lazy automaton rebuilt again and again by random text (65 µs a
/// User-Agent of random bytes instead of 2).
struct PatternList {
    anywhere: AhoCorasick,
    at_start: AhoCorasick,
    others: Option<Regex>,
}

impl PatternList {
    fn new<'a>(patterns: impl Iterator<Item = &'a str>, case_insensitive: bool) -> Self {
        let (mut anywhere, mut at_start, mut others) = (Vec::new(), Vec::new(), Vec::new());
        for pattern in patterns {
            if let Some(word) = as_literal(pattern) {
                anywhere.push(word);
            } else if let Some(word) = pattern.strip_prefix('^').and_then(as_literal) {
                at_start.push(word);
            } else {
                others.push(pattern.to_owned());
            }
        }
        let words = |words: Vec<String>, start: StartKind| {
            AhoCorasick::builder()
                .ascii_case_insensitive(case_insensitive)
                .kind(Some(AhoCorasickKind::DFA))
                .start_kind(start)
                .build(words)
                .expect("the robots' words build an automaton")
        };
        PatternList {
            anywhere: words(anywhere, StartKind::Unanchored),
            at_start: words(at_start, StartKind::Anchored),
            others: (!others.is_empty())
                .then(|| compile(&alternation(others.into_iter()), case_insensitive)),
        }
    }

    fn is_match(&self, text: &[u8]) -> bool {
        self.anywhere.is_match(text)
            || self
                .at_start
                .find(Input::new(text).anchored(Anchored::Yes))
                .is_some()
            || self
                .others
                .as_ref()
                .is_some_and(|others| others.is_match(text))
    }
}

/// crawler-user-agents' patterns are written for a case-sensitive match.
static LISTED: LazyLock<PatternList> =
    LazyLock::new(|| PatternList::new(patterns(CRAWLER_USER_AGENTS), false));

/// isbot's alternatives that need no look-around, and our few additions.
static GENERIC: LazyLock<PatternList> = LazyLock::new(|| {
    let isbot = patterns(ISBOT).filter(|p| !has_look_around(p));
    PatternList::new(isbot.chain(patterns(EXTRA)), true)
});

/// isbot's few alternatives with look-arounds ("bot" but not "Cubot"):
/// the alternative without them first, a quick necessary condition, then
/// the exact one.
static LOOK_AROUND: LazyLock<Vec<(Regex, fancy_regex::Regex)>> = LazyLock::new(|| {
    patterns(ISBOT)
        .filter(|p| has_look_around(p))
        .map(|pattern| {
            let exact = fancy_regex::RegexBuilder::new(&format!("(?i){pattern}"))
                .build()
                .expect("isbot's look-around alternatives compile");
            (compile(&without_look_around(pattern), true), exact)
        })
        .collect()
});

/// The pattern with its look-around groups removed: it matches at least
/// wherever the pattern does.
fn without_look_around(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = ["(?=", "(?!", "(?<=", "(?<!"]
        .iter()
        .filter_map(|mark| rest.find(mark))
        .min()
    {
        out.push_str(&rest[..start]);
        let mut depth = 0;
        let mut escaped = false;
        let mut end = rest.len();
        for (i, c) in rest[start..].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `text` is the User-Agent with its device model masked, so that a phone
/// named "Spider" or "KINGKONG" is not taken for a robot.
pub(super) fn is_crawler(text: &str) -> bool {
    let bytes = text.as_bytes();
    GENERIC.is_match(bytes)
        || LISTED.is_match(bytes)
        || LOOK_AROUND
            .iter()
            .any(|(quick, exact)| quick.is_match(bytes) && exact.is_match(text).unwrap_or(true))
}

/// Compiles the lists now rather than on the first page view.
pub(super) fn warm_up() {
    LazyLock::force(&LISTED);
    LazyLock::force(&GENERIC);
    LazyLock::force(&LOOK_AROUND);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_arounds_are_removed_whole() {
        assert_eq!(
            without_look_around("(?<! cu)bots?(?:\\b|_)"),
            "bots?(?:\\b|_)"
        );
        assert_eq!(
            without_look_around("(?<! channel/|google/)google(?!(?:wv|app|/google| pixel))"),
            "google"
        );
        assert_eq!(without_look_around("java(?!;)"), "java");
    }

    #[test]
    fn literal_patterns_are_read_as_their_text() {
        assert_eq!(as_literal("Googlebot\\/").as_deref(), Some("Googlebot/"));
        assert_eq!(as_literal("2ip\\.ru").as_deref(), Some("2ip.ru"));
        assert_eq!(as_literal("[wW]get"), None);
        assert_eq!(as_literal("BlogTraffic\\/\\d"), None);
    }

    #[test]
    fn every_embedded_pattern_compiles() {
        warm_up();
        assert!(is_crawler(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        ));
        assert!(!is_crawler("Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"));
    }
}
