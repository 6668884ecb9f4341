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
            // A DFA is the fastest, but for crawler-user-agents' 1,464 words
            // it takes 7 MB; the compact NFA takes 0.36 MB for 0.7 µs more.
            let kind = if words.len() > 500 {
                AhoCorasickKind::ContiguousNFA
            } else {
                AhoCorasickKind::DFA
            };
            AhoCorasick::builder()
                .ascii_case_insensitive(case_insensitive)
                .kind(Some(kind))
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

/// isbot's few alternatives with look-arounds ("bot" but not "Cubot").
static GUARDED: LazyLock<Vec<Guarded>> = LazyLock::new(|| {
    patterns(ISBOT)
        .filter(|p| has_look_around(p))
        .map(Guarded::new)
        .collect()
});

/// An alternative `(?<!BEHIND)CORE(?!AHEAD)`, which the regex crate cannot
/// run as it is: each match of CORE is kept unless the text before it ends
/// with BEHIND or the text after it starts with AHEAD. (A backtracking
/// engine took 15-20 µs each on a long User-Agent; this takes well under 1.)
struct Guarded {
    core: Regex,
    not_behind: Option<Regex>,
    not_ahead: Option<Regex>,
}

impl Guarded {
    fn new(pattern: &str) -> Self {
        let (behind, rest) = if pattern.starts_with("(?<!") {
            let end = group_end(pattern, 0);
            (Some(&pattern[4..end - 1]), &pattern[end..])
        } else {
            (None, pattern)
        };
        let (core, ahead) = match rest.rfind("(?!") {
            Some(at) if group_end(rest, at) == rest.len() => {
                (&rest[..at], Some(&rest[at + 3..rest.len() - 1]))
            }
            _ => (rest, None),
        };
        assert!(
            !has_look_around(core),
            "isbot's {pattern:?} has a look-around this module cannot run: see scripts/refresh-ua-data"
        );
        Guarded {
            core: compile(core, true),
            not_behind: behind.map(|behind| compile(&format!("(?:{behind})$"), true)),
            not_ahead: ahead.map(|ahead| compile(&format!("^(?:{ahead})"), true)),
        }
    }

    fn is_match(&self, text: &[u8]) -> bool {
        self.core.find_iter(text).any(|found| {
            let before = &text[..found.start()];
            let after = &text[found.end()..];
            !self.not_behind.as_ref().is_some_and(|b| b.is_match(before))
                && !self.not_ahead.as_ref().is_some_and(|a| a.is_match(after))
        })
    }
}

/// The index just after the `)` closing the group that opens at `start`.
fn group_end(pattern: &str, start: usize) -> usize {
    let mut depth = 0;
    let mut escaped = false;
    for (i, c) in pattern[start..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return start + i + 1;
                }
            }
            _ => {}
        }
    }
    pattern.len()
}

/// `text` is the User-Agent with its device model masked, so that a phone
/// named "Spider" or "KINGKONG" is not taken for a robot.
pub(super) fn is_crawler(text: &str) -> bool {
    let bytes = text.as_bytes();
    GENERIC.is_match(bytes)
        || LISTED.is_match(bytes)
        || GUARDED.iter().any(|guarded| guarded.is_match(bytes))
}

/// Compiles the lists now rather than on the first page view.
pub(super) fn warm_up() {
    LazyLock::force(&LISTED);
    LazyLock::force(&GENERIC);
    LazyLock::force(&GUARDED);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_arounds_are_checked_around_each_match() {
        let bot = Guarded::new("(?<! cu)bots?(?:\\b|_)");
        assert!(bot.is_match(b"Mozilla/5.0 (compatible; Googlebot/2.1)"));
        assert!(!bot.is_match(b"Linux; Android 12; CUBOT KINGKONG"));
        assert!(bot.is_match(b"CUBOT phone, then a bot"));
        let google = Guarded::new("(?<! channel/|google/)google(?!(?:wv|app|/google| pixel))");
        assert!(!google.is_match(b"NetType/WIFI Channel/googleplay"));
        assert!(!google.is_match(b"Android 14; Google Pixel 8"));
        assert!(google.is_match(b"Google-Site-Verification/1.0"));
        let java = Guarded::new("java(?!;)");
        assert!(java.is_match(b"Java/1.8.0_392"));
        assert!(!java.is_match(b"(Java; U; en)"));
        assert_eq!(group_end("(?<!a(b)c)d", 0), 10);
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
