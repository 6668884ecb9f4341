//! The command line: what each command does, as library functions so tests
//! can call them, and the one place where a failure becomes an exit status.

use std::io::{BufRead, Write};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::analytics::user_agent::{classify, MAX_USER_AGENT_LEN};
use crate::auth::Role;
use crate::config::{ConfigError, Settings};
use crate::db::{Db, DbError};
use crate::metrics::Metrics;
use crate::privacy::purge::{purge, PurgeMode};
use crate::privacy::Register;
use crate::startup::{self, Application, StartupError};
use crate::telemetry;

/// The WeMaintain website and client platform.
#[derive(Parser)]
#[command(
    name = "wemaintain",
    version,
    about = "The WeMaintain website and client platform, with first-party, privacy-compliant visitor analytics."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the site over HTTP (what a bare `wemaintain` does). Applies the
    /// pending database migrations first, then serves until SIGINT or SIGTERM.
    Serve,
    /// Apply the pending database migrations to WM_DATABASE_URL, then exit.
    Migrate,
    /// Delete every record whose retention window has passed, for every
    /// purpose of the register, once, then exit. The server also does this
    /// every WM_PURGE_INTERVAL.
    Purge {
        /// Print, per purpose, how many rows would be deleted; delete nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Read one User-Agent per line on stdin and print, per line, the JSON
    /// the visitor log would store: browser, browser_version, os,
    /// os_version, device_type, manufacturer (null when unknown).
    ParseUa,
    /// Create an active account (the first admin, marketing staff, or a
    /// client by hand). The password comes from WM_PASSWORD, or is asked
    /// for twice on the terminal, without echo.
    CreateUser {
        /// admin, marketing or client.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Équipe")]
        first_name: String,
        #[arg(long, default_value = "WeMaintain")]
        last_name: String,
    },
    /// Fill the visitor log with realistic synthetic audience traffic, for
    /// demos and benchmarks, then print how fast it went. Refuses a visitor
    /// log that already holds audience rows unless --append is given.
    SeedDemo {
        /// Page views to write, 1 to 100000000.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=crate::demo::MAX_EVENTS))]
        events: u64,
        /// Spread them over the last DAYS days, ending now (1 to 800).
        #[arg(
            long,
            default_value_t = crate::demo::DEFAULT_DAYS,
            value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::demo::MAX_DAYS))
        )]
        days: u32,
        /// The same seed gives the same rows.
        #[arg(long, default_value_t = crate::demo::DEFAULT_SEED)]
        seed: u64,
        /// Write even if the visitor log already holds audience rows.
        #[arg(long)]
        append: bool,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(value)
        .ok_or_else(|| format!("'{value}' is not a role (admin, marketing or client)"))
}

/// WM_PASSWORD, or a prompt (twice, without echo).
fn read_password() -> Result<String, CommandError> {
    if let Ok(password) = std::env::var("WM_PASSWORD") {
        return Ok(password);
    }
    let first =
        rpassword::prompt_password("Mot de passe (12 caractères au moins) : ").map_err(|e| {
            CommandError::Password(format!(
                "cannot read the password: {e} (or set WM_PASSWORD)"
            ))
        })?;
    let second = rpassword::prompt_password("Confirmez le mot de passe : ")
        .map_err(|e| CommandError::Password(format!("cannot read the password: {e}")))?;
    if first != second {
        return Err(CommandError::Password("the two passwords differ".into()));
    }
    Ok(first)
}

/// Why a command failed. [`CommandError::exit_code`] is the one mapping of
/// failures to exit statuses.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Settings(#[from] ConfigError),
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("the server stopped on an error: {0}")]
    Server(std::io::Error),
    #[error("{0}")]
    ParseUa(std::io::Error),
    #[error("purge failed: {0}")]
    Purge(DbError),
    #[error("{0}")]
    Password(String),
    #[error("create-user: {0}")]
    CreateUser(#[from] CreateUserError),
    #[error("seed-demo: {0}")]
    SeedDemo(#[from] crate::demo::DemoError),
}

/// Start-up problems (bad setting, unreachable database) exit with 2 after
/// one line that names the setting.
const EXIT_BAD_SETUP: u8 = 2;
const EXIT_FAILURE: u8 = 1;

impl CommandError {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Settings(_) | Self::Startup(_) => EXIT_BAD_SETUP,
            _ => EXIT_FAILURE,
        }
    }
}

impl Cli {
    /// The command line of this process; `--help` lists every setting.
    pub fn from_args() -> Self {
        let command = Self::command()
            .after_help("Configuration comes from WM_* environment variables: `wemaintain --help` lists them.")
            .after_long_help(crate::config::help_text());
        Self::from_arg_matches(&command.get_matches()).unwrap_or_else(|error| error.exit())
    }
}

/// Runs one command: loads the settings, starts the logs, then does the
/// command's work on a fresh async runtime.
pub fn run(cli: Cli) -> Result<(), CommandError> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::ParseUa = command {
        // Needs no settings and no database.
        return parse_user_agents(std::io::stdin().lock(), std::io::stdout().lock())
            .map_err(CommandError::ParseUa);
    }
    let settings = Settings::from_env()?;
    telemetry::init(&settings.log_filter, settings.log_format)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CommandError::Runtime)?;
    runtime.block_on(run_with_settings(command, settings))
}

async fn run_with_settings(command: Command, settings: Settings) -> Result<(), CommandError> {
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let db = startup::migrate(&settings).await?;
            println!("Migrations applied ({:?}).", db.backend());
            db.close().await;
            Ok(())
        }
        Command::Purge { dry_run } => {
            let db = startup::migrate(&settings).await?;
            let result = purge_once(&db, &settings, dry_run).await;
            db.close().await;
            result.map_err(CommandError::Purge)
        }
        Command::ParseUa => Ok(()),
        Command::CreateUser {
            role,
            email,
            first_name,
            last_name,
        } => {
            let password = read_password()?;
            let db = startup::migrate(&settings).await?;
            let created = create_user(
                &db,
                &settings,
                role,
                &email,
                &first_name,
                &last_name,
                &password,
            )
            .await;
            db.close().await;
            let id = created?;
            println!(
                "Account {id} created: {} ({}), active.",
                email.trim().to_lowercase(),
                role.key()
            );
            Ok(())
        }
        Command::SeedDemo {
            events,
            days,
            seed,
            append,
        } => {
            let db = startup::migrate(&settings).await?;
            let seeded =
                crate::demo::seed_demo_command(&db, &settings, events, days, seed, append).await;
            db.close().await;
            seeded.map(|_| ()).map_err(CommandError::from)
        }
    }
}

/// `wemaintain serve`: builds the site and serves until stopped.
async fn serve(settings: Settings) -> Result<(), CommandError> {
    let app = Application::build(settings).await?;
    app.run_until_stopped().await.map_err(CommandError::Server)
}

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
    role: Role,
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
