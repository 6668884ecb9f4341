//! What a local run may lack (a PostgreSQL server, Chromium): the tests that
//! need it return at once, loudly. Stable libtest cannot mark a test ignored
//! at run time, so such a test is reported as passed; it is named on stderr
//! when skipped and counted in a summary printed when the test binary exits
//! (after libtest's own `test result:` line).
//!
//! `WM_TEST_REQUIRE_POSTGRES=1` / `WM_TEST_REQUIRE_BROWSER=1` (set by
//! `.ci/run`), or `CI=true`, turn a skip into a failure.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

/// Something a test needs that a machine may lack.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    Postgres,
    Browser,
}

static SKIPPED: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];

impl Need {
    fn index(self) -> usize {
        self as usize
    }

    /// The variable that makes the lack a failure.
    pub fn require_var(self) -> &'static str {
        match self {
            Need::Postgres => "WM_TEST_REQUIRE_POSTGRES",
            Need::Browser => "WM_TEST_REQUIRE_BROWSER",
        }
    }

    fn how_to_run(self) -> &'static str {
        match self {
            Need::Postgres => "scripts/with-postgres cargo test runs them",
            Need::Browser => "apt-get install chromium chromium-driver",
        }
    }

    fn tests(self) -> &'static str {
        match self {
            Need::Postgres => "PostgreSQL test(s)",
            Need::Browser => "browser test(s)",
        }
    }

    /// True when a skip for this need must fail the test.
    pub fn is_required(self) -> bool {
        let set = |name: &str| std::env::var(name).is_ok_and(|v| v == "1" || v == "true");
        set(self.require_var()) || std::env::var("CI").is_ok_and(|v| v == "true")
    }
}

/// Straight to stderr, past libtest's output capture.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The running test lacks `need` (`reason` says what is missing): panics
/// when the run requires it, else counts the skip and says so.
pub fn skip(need: Need, reason: &str) {
    if need.is_required() {
        panic!(
            "{reason}, and {} (or CI=true) says that this test must run here",
            need.require_var()
        );
    }
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    say(&format!("ignored: {test}: {reason}"));
    SKIPPED[need.index()].fetch_add(1, Ordering::Relaxed);
    static SUMMARY: Once = Once::new();
    SUMMARY.call_once(|| {
        // SAFETY: `atexit` is given a plain function that only reads atomics
        // and writes to stderr, which stays usable until the process ends.
        unsafe {
            atexit(summary);
        }
    });
    let _ = REASON[need.index()].set(reason.to_owned());
}

/// The first reason given for each need, for the summary.
static REASON: [std::sync::OnceLock<String>; 2] =
    [std::sync::OnceLock::new(), std::sync::OnceLock::new()];

extern "C" {
    fn atexit(callback: extern "C" fn()) -> std::os::raw::c_int;
}

/// Printed when the test binary exits: how many tests passed without running.
extern "C" fn summary() {
    for need in [Need::Postgres, Need::Browser] {
        let count = SKIPPED[need.index()].load(Ordering::Relaxed);
        if count > 0 {
            let reason = REASON[need.index()].get().map_or("", String::as_str);
            say(&format!(
                "\nignored: {count} {} reported as passed without running ({reason}; {}; {}=1 makes this a failure)",
                need.tests(),
                need.how_to_run(),
                need.require_var()
            ));
        }
    }
}
