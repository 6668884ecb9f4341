//! Counters of the background work, exported at `/metrics` in Prometheus
//! text format: what the visitor-log writer and the purge have done.
//!
//! No counter may tell a person who can trigger a request something that
//! request's answer hides: a counter moves alike whether or not an address
//! has an account. So resets are counted when asked, not when a mail goes
//! to an account, and the mails whose sending depends on an account are
//! not counted (see [`crate::mail::Mailer::send_later_discreetly`]).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::privacy::Purpose;

#[derive(Debug, Default)]
pub struct Metrics {
    events_written: [AtomicU64; Purpose::ALL.len()],
    events_dropped: AtomicU64,
    batches_written: AtomicU64,
    write_errors: AtomicU64,
    purge_runs: AtomicU64,
    purge_failures: AtomicU64,
    rows_purged: [AtomicU64; Purpose::ALL.len()],
    mail_sent: AtomicU64,
    mail_failed: AtomicU64,
    password_reset_requests: AtomicU64,
}

impl Metrics {
    pub fn event_written(&self, purpose: Purpose, count: u64) {
        self.events_written[purpose as usize].fetch_add(count, Ordering::Relaxed);
    }

    pub fn events_dropped(&self, count: u64) {
        self.events_dropped.fetch_add(count, Ordering::Relaxed);
    }

    pub fn batch_written(&self) {
        self.batches_written.fetch_add(1, Ordering::Relaxed);
    }

    pub fn write_error(&self) {
        self.write_errors.fetch_add(1, Ordering::Relaxed);
    }

    pub fn purge_run(&self, succeeded: bool) {
        self.purge_runs.fetch_add(1, Ordering::Relaxed);
        if !succeeded {
            self.purge_failures.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// An e-mail handed to the SMTP server or written to the outbox.
    pub fn mail_sent(&self) {
        self.mail_sent.fetch_add(1, Ordering::Relaxed);
    }

    /// An e-mail given up on after its last attempt.
    pub fn mail_failed(&self) {
        self.mail_failed.fetch_add(1, Ordering::Relaxed);
    }

    /// A valid password-reset form, whether the address has an account or not.
    pub fn password_reset_requested(&self) {
        self.password_reset_requests.fetch_add(1, Ordering::Relaxed);
    }

    pub fn rows_purged(&self, purpose: Purpose, count: u64) {
        self.rows_purged[purpose as usize].fetch_add(count, Ordering::Relaxed);
    }

    pub fn written(&self, purpose: Purpose) -> u64 {
        self.events_written[purpose as usize].load(Ordering::Relaxed)
    }

    pub fn dropped(&self) -> u64 {
        self.events_dropped.load(Ordering::Relaxed)
    }

    /// The Prometheus text exposition of every counter, plus the queue depth
    /// read at the time of the scrape.
    pub fn render(&self, queue_depth: usize, queue_capacity: usize) -> String {
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        let mut out = String::new();
        family(
            &mut out,
            "wm_visitor_events_written_total",
            "counter",
            "Visitor-log rows written, by purpose.",
        );
        for purpose in [Purpose::Audience, Purpose::Security] {
            sample(
                &mut out,
                "wm_visitor_events_written_total",
                Some(purpose),
                self.written(purpose),
            );
        }
        let single = [
            ("wm_visitor_events_dropped_total", "counter",
             "Visitor events dropped because the queue was full or the database kept refusing them.",
             self.dropped()),
            ("wm_visitor_queue_depth", "gauge", "Visitor events waiting for the writer.",
             queue_depth as u64),
            ("wm_visitor_queue_capacity", "gauge", "Visitor events the queue can hold.",
             queue_capacity as u64),
            ("wm_visitor_batches_written_total", "counter",
             "Batches (one transaction each) written by the visitor-log writer.",
             load(&self.batches_written)),
            ("wm_visitor_write_errors_total", "counter",
             "Failed batch writes; each is retried before its events are dropped.",
             load(&self.write_errors)),
            ("wm_purge_runs_total", "counter", "Purge runs.", load(&self.purge_runs)),
            ("wm_purge_failures_total", "counter", "Purge runs that stopped on a database error.",
             load(&self.purge_failures)),
            ("wm_mail_sent_total", "counter",
             "E-mails handed to the SMTP server or written to the outbox (not those whose sending depends on an account: reset links, sign-up answers).",
             load(&self.mail_sent)),
            ("wm_mail_failures_total", "counter",
             "E-mails given up on after every attempt failed (same scope as wm_mail_sent_total).",
             load(&self.mail_failed)),
            ("wm_password_reset_requests_total", "counter",
             "Valid password-reset forms, for an address with an account or not.",
             load(&self.password_reset_requests)),
        ];
        for (name, kind, help, value) in single {
            family(&mut out, name, kind, help);
            sample(&mut out, name, None, value);
        }
        let name = "wm_purge_rows_deleted_total";
        family(
            &mut out,
            name,
            "counter",
            "Rows deleted by the purge, by purpose.",
        );
        for purpose in Purpose::ALL {
            sample(
                &mut out,
                name,
                Some(purpose),
                load(&self.rows_purged[purpose as usize]),
            );
        }
        out
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, purpose: Option<Purpose>, value: u64) {
    let _ = match purpose {
        Some(purpose) => writeln!(out, "{name}{{purpose=\"{purpose}\"}} {value}"),
        None => writeln!(out, "{name} {value}"),
    };
}
