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
    if !dry_run {
        // As in the server: the finished days are counted before raw rows go.
        crate::analytics::rollup::roll_up(db, &register, now).await?;
    }
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

/// Why `create-user` refused.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("--email: {0}")]
    Email(String),
    #[error("--first-name/--last-name: {0}")]
    Name(String),
    #[error("password: {0}")]
    Password(String),
    #[error("an account already uses {0}")]
    AddressTaken(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot hash the password: {0}")]
    Hash(#[from] crate::auth::password::PasswordError),
}

/// `wemaintain create-user`: an active account, for staff to bootstrap the
/// site (the first admin) or to open an account by hand.
pub async fn create_user(
    db: &Db,
    settings: &Settings,
    role: crate::auth::Role,
    email: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
) -> Result<i64, CreateUserError> {
    use crate::accounts::{self, AccountError, NewUser};
    use crate::domain::{required_text, Email, NewPassword};

    let email = Email::parse(email).map_err(|e| CreateUserError::Email(e.to_string()))?;
    let first_name =
        required_text(first_name, 100).map_err(|e| CreateUserError::Name(e.to_string()))?;
    let last_name =
        required_text(last_name, 100).map_err(|e| CreateUserError::Name(e.to_string()))?;
    let password = NewPassword::parse(password, &[email.as_str(), &first_name, &last_name])
        .map_err(|e| CreateUserError::Password(e.to_string()))?;
    let new = NewUser {
        role,
        email: email.clone(),
        first_name,
        last_name,
        password_hash: crate::auth::password::hash_password(password.expose().to_owned()).await?,
    };
    let now = chrono::Utc::now();
    let id = match accounts::create_user(db, now, &new).await {
        Ok(id) => id,
        Err(AccountError::AddressTaken) => {
            return Err(CreateUserError::AddressTaken(email.to_string()))
        }
        Err(AccountError::Db(e)) => return Err(e.into()),
        Err(other) => {
            return Err(CreateUserError::Db(DbError::Query(sqlx::Error::Protocol(
                other.to_string(),
            ))))
        }
    };
    let register = Register::with_overrides(&settings.retention);
    let entry = crate::audit::AuditEntry {
        subject_user: Some(id),
        detail: Some(format!("role {} from the command line", role.key())),
        ..Default::default()
    };
    crate::audit::record(
        db,
        &register,
        now,
        crate::audit::AuditEvent::AccountCreated,
        entry,
    )
    .await?;
    Ok(id)
}
