//! The one-shot commands of the CLI, as library functions so tests can call
//! them and `main.rs` stays a parser.

use std::io::{BufRead, Write};

use crate::analytics::user_agent::{classify, MAX_USER_AGENT_LEN};
use crate::config::Settings;
use crate::db::{Db, DbError};
use crate::metrics::Metrics;
use crate::privacy::purge::{purge, PurgeMode};
use crate::privacy::Register;

/// `wemaintain parse-ua`: one User-Agent per input line → one JSON object
/// per output line, with the classification the visitor log uses.
pub fn parse_user_agents(input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    for line in input.split(b'\n') {
        let line = line?;
        let line = line.strip_suffix(b"\r").unwrap_or(&line);
        let text = String::from_utf8_lossy(&line[..line.len().min(MAX_USER_AGENT_LEN)]);
        let device = classify(text.trim());
        serde_json::to_writer(&mut output, &device)?;
        output.write_all(b"\n")?;
    }
    output.flush()
}

/// `wemaintain purge [--dry-run]`: one purge as of now, printing per purpose
/// how many rows were (or would be) deleted.
pub async fn purge_once(db: &Db, settings: &Settings, dry_run: bool) -> Result<(), DbError> {
    let register = Register::with_overrides(&settings.retention);
    let mode = if dry_run {
        PurgeMode::DryRun
    } else {
        PurgeMode::Delete
    };
    let now = chrono::Utc::now();
    let outcomes = purge(
        db,
        &register,
        now,
        settings.purge_batch,
        mode,
        &Metrics::default(),
    )
    .await?;
    let verb = if dry_run { "would delete" } else { "deleted" };
    for outcome in outcomes {
        let window = register.retention(outcome.purpose).in_french();
        println!(
            "{:<22} {verb} {:>10} rows  (retention: {window})",
            outcome.purpose.key(),
            outcome.rows
        );
    }
    Ok(())
}
