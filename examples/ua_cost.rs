//! What classifying a User-Agent costs when it is not in the cache, next to
//! woothee alone, and what a flood of distinct User-Agents costs the cache.
//!
//!     cargo run --release --example ua_cost [FILE…]
//!
//! FILE: labelled User-Agents (default: tests/user_agents/browsers.tsv and
//! tests/user_agents/crawlers.tsv and tests/user_agents/holdout.tsv). Each round classifies every User-Agent
//! once with `user_agent::classify` (no cache); the figure is the median
//! round's mean per User-Agent. Then 1,000,000 distinct User-Agents (the
//! corpus's, each made unique by a number) go through the site's bounded
//! `UserAgentClassifier`, as an attacker's would, and a known User-Agent is
//! looked up between them.

use std::hint::black_box;
use std::time::{Duration, Instant};

use wemaintain::analytics::user_agent::score::parse_cases;
use wemaintain::analytics::user_agent::{classify, warm_up, UserAgentClassifier};

const ROUNDS: usize = 9;
const FLOOD: usize = 1_000_000;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let files = if files.is_empty() {
        vec![
            "tests/user_agents/browsers.tsv".to_owned(),
            "tests/user_agents/crawlers.tsv".to_owned(),
            "tests/user_agents/holdout.tsv".to_owned(),
        ]
    } else {
        files
    };
    let mut agents = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let cases = parse_cases(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        agents.extend(cases.into_iter().map(|case| case.user_agent));
    }
    let started = Instant::now();
    warm_up();
    println!(
        "{} User-Agents from {}; embedded lists compiled in {:.1} ms",
        agents.len(),
        files.join(", "),
        started.elapsed().as_secs_f64() * 1e3
    );

    let ours = per_agent(&agents, |ua| {
        black_box(classify(ua));
    });
    let woothee = per_agent(&agents, |ua| {
        black_box(woothee::parser::Parser::new().parse(ua));
    });
    println!(
        "uncached, mean per User-Agent (median of {ROUNDS} rounds): classify {:.2} µs, woothee alone {:.2} µs",
        micros(ours),
        micros(woothee)
    );
    let slowest = agents
        .iter()
        .map(|ua| (best_of(5, || drop(black_box(classify(ua)))), ua))
        .max_by_key(|(time, _)| *time)
        .expect("a User-Agent at least");
    println!(
        "slowest User-Agent: {:.2} µs: {}",
        micros(slowest.0),
        slowest.1
    );
    flood(&agents);
    hostile();
}

/// User-Agents an attacker would forge to make classification slow: 512
/// random printable bytes (the longest kept), and a browser's User-Agent
/// with a long random model, which the robots' automata read to the end.
fn hostile() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let printable: Vec<String> = (0..20_000)
        .map(|_| {
            (0..512)
                .map(|_| char::from(b' ' + (next() % 95) as u8))
                .collect()
        })
        .collect();
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let disguised: Vec<String> = (0..20_000)
        .map(|_| {
            let model: String = (0..400)
                .map(|_| char::from(ALNUM[(next() % ALNUM.len() as u64) as usize]))
                .collect();
            format!(
                "Mozilla/5.0 (Linux; Android 14; {model}) AppleWebKit/537.36 \
                 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
            )
        })
        .collect();
    let sets = [
        ("512 random printable bytes", &printable),
        ("a browser's with a random 400-character model", &disguised),
    ];
    for (name, agents) in sets {
        let started = Instant::now();
        for ua in agents {
            black_box(classify(ua));
        }
        println!(
            "hostile: {} User-Agents of {name}, {:.2} µs each",
            agents.len(),
            micros(started.elapsed() / agents.len() as u32)
        );
    }
}

/// The median round's mean time per User-Agent.
fn per_agent(agents: &[String], mut work: impl FnMut(&str)) -> Duration {
    let mut rounds: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            for ua in agents {
                work(ua);
            }
            started.elapsed() / agents.len() as u32
        })
        .collect();
    rounds.sort();
    rounds[ROUNDS / 2]
}

fn best_of(times: usize, mut work: impl FnMut()) -> Duration {
    (0..times)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn micros(time: Duration) -> f64 {
    time.as_secs_f64() * 1e6
}

/// A million distinct User-Agents through the site's cache, and a regular
/// visitor's User-Agent looked up between them.
fn flood(agents: &[String]) {
    let classifier = UserAgentClassifier::default();
    let regular = agents[0].as_bytes();
    classifier.classify_header(Some(regular));
    let mut hits = Duration::ZERO;
    let started = Instant::now();
    for i in 0..FLOOD {
        let ua = format!("{} {i}", agents[i % agents.len()]);
        black_box(classifier.classify_header(Some(ua.as_bytes())));
        if i % 100 == 0 {
            let hit = Instant::now();
            black_box(classifier.classify_header(Some(regular)));
            hits += hit.elapsed();
        }
    }
    let total = started.elapsed() - hits;
    println!(
        "flood: {FLOOD} distinct User-Agents through the cache in {:.1} s, {:.2} µs each; a regular visitor's lookup between them: {:.3} µs",
        total.as_secs_f64(),
        micros(total / FLOOD as u32),
        micros(hits / (FLOOD / 100) as u32)
    );
}
