use std::process::ExitCode;

use clap::{Parser, Subcommand};

use wemaintain::auth::Role;
use wemaintain::commands;
use wemaintain::config::Settings;
use wemaintain::startup::{self, Application};
use wemaintain::telemetry;

/// The WeMaintain website and client platform.
#[derive(Parser)]
#[command(
    name = "wemaintain",
    version,
    about = "The WeMaintain website and client platform, with first-party, privacy-compliant visitor analytics.",
    after_help = "Configuration comes from WM_* environment variables, over an optional TOML file named by WM_CONFIG:\n  \
    WM_BIND          address to listen on (default 127.0.0.1:8080)\n  \
    WM_DATA_DIR      directory of the default SQLite file (default ./data)\n  \
    WM_DATABASE_URL  sqlite://FILE or postgres://USER@HOST/DB (default: WM_DATA_DIR/wemaintain.db)\n  \
    WM_LOG           log filter (default info); WM_LOG_FORMAT pretty | json\n  \
    WM_HTTPS         true when served over TLS (adds HSTS)\n  \
    WM_RETENTION_<PURPOSE>  retention period replacing the register's default, e.g. WM_RETENTION_AUDIENCE='13 months'\n\
    See README.md for the full list."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
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
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=wemaintain::demo::MAX_EVENTS))]
        events: u64,
        /// Spread them over the last DAYS days, ending now (1 to 800).
        #[arg(
            long,
            default_value_t = wemaintain::demo::DEFAULT_DAYS,
            value_parser = clap::value_parser!(u32).range(1..=i64::from(wemaintain::demo::MAX_DAYS))
        )]
        days: u32,
        /// The same seed gives the same rows.
        #[arg(long, default_value_t = wemaintain::demo::DEFAULT_SEED)]
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
fn read_password() -> Result<String, String> {
    if let Ok(password) = std::env::var("WM_PASSWORD") {
        return Ok(password);
    }
    let first = rpassword::prompt_password("Mot de passe (12 caractères au moins) : ")
        .map_err(|e| format!("cannot read the password: {e} (or set WM_PASSWORD)"))?;
    let second = rpassword::prompt_password("Confirmez le mot de passe : ")
        .map_err(|e| format!("cannot read the password: {e}"))?;
    if first != second {
        return Err("the two passwords differ".into());
    }
    Ok(first)
}

/// Start-up problems (bad setting, unreachable database) exit with 2 after
/// one line that names the setting.
const EXIT_BAD_SETUP: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::ParseUa) = cli.command {
        // Needs no settings and no database.
        return match commands::parse_user_agents(std::io::stdin().lock(), std::io::stdout().lock())
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("wemaintain: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => return bad_setup(error),
    };
    if let Err(error) = telemetry::init(&settings.log_filter, settings.log_format) {
        return bad_setup(error);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("wemaintain: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => {
                let app = match Application::build(settings).await {
                    Ok(app) => app,
                    Err(error) => return bad_setup(error),
                };
                match app.run_until_stopped().await {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(error) => {
                        eprintln!("wemaintain: the server stopped on an error: {error}");
                        ExitCode::FAILURE
                    }
                }
            }
            Command::Migrate => match startup::migrate(&settings).await {
                Ok(db) => {
                    println!("Migrations applied ({:?}).", db.backend());
                    db.close().await;
                    ExitCode::SUCCESS
                }
                Err(error) => bad_setup(error),
            },
            Command::Purge { dry_run } => match startup::migrate(&settings).await {
                Ok(db) => {
                    let result = commands::purge_once(&db, &settings, dry_run).await;
                    db.close().await;
                    match result {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(error) => {
                            eprintln!("wemaintain: purge failed: {error}");
                            ExitCode::FAILURE
                        }
                    }
                }
                Err(error) => bad_setup(error),
            },
            Command::ParseUa => ExitCode::SUCCESS,
            Command::CreateUser {
                role,
                email,
                first_name,
                last_name,
            } => {
                let password = match read_password() {
                    Ok(password) => password,
                    Err(error) => {
                        eprintln!("wemaintain: {error}");
                        return ExitCode::FAILURE;
                    }
                };
                let db = match startup::migrate(&settings).await {
                    Ok(db) => db,
                    Err(error) => return bad_setup(error),
                };
                let created = commands::create_user(
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
                match created {
                    Ok(id) => {
                        println!(
                            "Account {id} created: {} ({}), active.",
                            email.trim().to_lowercase(),
                            role.key()
                        );
                        ExitCode::SUCCESS
                    }
                    Err(error) => {
                        eprintln!("wemaintain: create-user: {error}");
                        ExitCode::FAILURE
                    }
                }
            }
            Command::SeedDemo {
                events,
                days,
                seed,
                append,
            } => {
                let db = match startup::migrate(&settings).await {
                    Ok(db) => db,
                    Err(error) => return bad_setup(error),
                };
                let seeded =
                    wemaintain::demo::seed_demo_command(&db, &settings, events, days, seed, append)
                        .await;
                db.close().await;
                match seeded {
                    Ok(_) => ExitCode::SUCCESS,
                    Err(error) => {
                        eprintln!("wemaintain: seed-demo: {error}");
                        ExitCode::FAILURE
                    }
                }
            }
        }
    })
}

fn bad_setup(error: impl std::fmt::Display) -> ExitCode {
    eprintln!("wemaintain: {error}");
    ExitCode::from(EXIT_BAD_SETUP)
}
