//! The command line: what each command does, as library functions so tests
//! can call them, and the one place where a failure becomes an exit status.

use std::io::{BufRead, Write};

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::analytics::user_agent::{classify, MAX_USER_AGENT_LEN};
use crate::auth::Role;
use crate::config::{ConfigError, Settings};
use crate::db::{Db, DbError};
use crate::metrics::Metrics;
use crate::privacy::purge::{purge, PurgeMode};
use crate::privacy::Register;
use crate::startup::{self, Application, StartupError};
use crate::telemetry;

mod create_user;
mod french;

pub use create_user::{create_account, create_user, CompanyArgs, CreateUserError, UserRequest};

/// Le site et la plateforme client de WeMaintain.
#[derive(Parser)]
#[command(
    name = "wemaintain",
    version,
    about = "Le site et la plateforme client de WeMaintain, avec une mesure d'audience interne, conforme à la politique de confidentialité.",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Affiche l'aide (résumée avec -h, complète avec --help).
    #[arg(short = 'h', long, action = ArgAction::Help, global = true, display_order = 900)]
    help: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long, action = ArgAction::Version, display_order = 901)]
    version: Option<bool>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Sert le site en HTTP (ce que fait `wemaintain` seul) : applique
    /// d'abord les migrations en attente, puis sert jusqu'à SIGINT ou SIGTERM.
    Serve,
    /// Applique les migrations en attente à la base WM_DATABASE_URL, puis
    /// s'arrête.
    Migrate,
    /// Supprime une fois, pour chaque finalité du registre, les données dont
    /// la durée de conservation est passée, puis s'arrête. Le serveur le
    /// fait aussi toutes les WM_PURGE_INTERVAL.
    Purge {
        /// Affiche, par finalité, combien de lignes seraient supprimées ; ne
        /// supprime rien.
        #[arg(long)]
        dry_run: bool,
    },
    /// Lit un User-Agent par ligne sur l'entrée standard et écrit, par
    /// ligne, le JSON que le journal des visites garderait : browser,
    /// browser_version, os, os_version, device_type, manufacturer (null
    /// quand inconnu). Avec --score, mesure plutôt la justesse sur des
    /// User-Agents étiquetés.
    ParseUa {
        /// Fichiers TSV étiquetés (poids, navigateur, système, appareil,
        /// fabricant, User-Agent ; voir tests/user_agents/README.md) :
        /// affiche la part juste par classe.
        #[arg(long, value_name = "FICHIER", num_args = 1..)]
        score: Vec<std::path::PathBuf>,
        /// Avec --score : liste aussi chaque réponse fausse.
        #[arg(long, requires = "score")]
        misses: bool,
    },
    /// Crée un compte actif (le premier administrateur, l'équipe marketing,
    /// ou un client à la main, rattaché à sa société). Le mot de passe vient
    /// de WM_PASSWORD, ou est demandé deux fois au terminal, sans écho.
    CreateUser {
        /// admin, marketing ou client.
        #[arg(long, value_parser = parse_role, value_name = "RÔLE")]
        role: Role,
        /// Adresse e-mail du compte (son identifiant de connexion).
        #[arg(long, value_name = "ADRESSE")]
        email: String,
        /// Prénom (par défaut : Équipe).
        #[arg(
            long,
            default_value = "Équipe",
            value_name = "PRÉNOM",
            hide_default_value = true
        )]
        first_name: String,
        /// Nom (par défaut : WeMaintain).
        #[arg(
            long,
            default_value = "WeMaintain",
            value_name = "NOM",
            hide_default_value = true
        )]
        last_name: String,
        #[command(flatten)]
        company: Box<CompanyArgs>,
    },
    /// Remplit le journal des visites d'une audience synthétique réaliste,
    /// pour les démonstrations et les mesures, puis affiche la vitesse
    /// atteinte. Refuse un journal qui contient déjà des visites, sauf avec
    /// --append.
    SeedDemo {
        /// Pages vues à écrire, de 1 à 100000000.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=crate::demo::MAX_EVENTS))]
        events: u64,
        /// Les étaler sur les N derniers jours, jusqu'à maintenant (1 à
        /// 800, par défaut : 30).
        #[arg(
            long,
            value_name = "N",
            hide_default_value = true,
            default_value_t = crate::demo::DEFAULT_DAYS,
            value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::demo::MAX_DAYS))
        )]
        days: u32,
        /// La même graine donne les mêmes lignes (par défaut : 42).
        #[arg(
            long,
            value_name = "GRAINE",
            default_value_t = crate::demo::DEFAULT_SEED,
            hide_default_value = true
        )]
        seed: u64,
        /// Écrire même si le journal contient déjà des visites.
        #[arg(long)]
        append: bool,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(value)
        .ok_or_else(|| format!("« {value} » n'est pas un rôle (admin, marketing ou client)"))
}

/// WM_PASSWORD, or a prompt (twice, without echo).
fn read_password() -> Result<String, CommandError> {
    if let Ok(password) = std::env::var("WM_PASSWORD") {
        return Ok(password);
    }
    let first =
        rpassword::prompt_password("Mot de passe (12 caractères au moins) : ").map_err(|e| {
            CommandError::Password(format!(
                "impossible de lire le mot de passe : {e} (ou indiquez-le dans WM_PASSWORD)"
            ))
        })?;
    let second = rpassword::prompt_password("Confirmez le mot de passe : ")
        .map_err(|e| CommandError::Password(format!("impossible de lire le mot de passe : {e}")))?;
    if first != second {
        return Err(CommandError::Password(
            "les deux mots de passe diffèrent".into(),
        ));
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
    #[error("impossible de démarrer l'exécution asynchrone : {0}")]
    Runtime(std::io::Error),
    #[error("le serveur s'est arrêté sur une erreur : {0}")]
    Server(std::io::Error),
    #[error("parse-ua --score : {0}")]
    Labels(String),
    #[error("parse-ua : {0}")]
    ParseUa(std::io::Error),
    #[error("purge : échec : {0}")]
    Purge(DbError),
    #[error("create-user : {0}")]
    Password(String),
    #[error("create-user : {0}")]
    CreateUser(#[from] CreateUserError),
    #[error("seed-demo : {0}")]
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
    /// The command line of this process; `--help` lists every setting. A
    /// command line that cannot be read is told in French, exit status 2.
    pub fn from_args() -> Self {
        let command = french::in_french(Self::command())
            .after_help("Les réglages viennent des variables d'environnement WM_* : « wemaintain --help » les liste.")
            .after_long_help(crate::config::help_text());
        let matches = command
            .try_get_matches()
            .and_then(|m| Self::from_arg_matches(&m));
        matches.unwrap_or_else(|error| {
            if !error.use_stderr() {
                error.exit(); // --help, --version
            }
            eprintln!("{}", french::refusal(&error));
            std::process::exit(error.exit_code());
        })
    }
}

/// Runs one command: loads the settings, starts the logs, then does the
/// command's work on a fresh async runtime.
pub fn run(cli: Cli) -> Result<(), CommandError> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::ParseUa { score, misses } = &command {
        // Needs no settings and no database.
        if !score.is_empty() {
            return score_user_agents(score, *misses, std::io::stdout().lock());
        }
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
            let backend = match db.backend() {
                crate::db::Backend::Sqlite => "SQLite",
                crate::db::Backend::Postgres => "PostgreSQL",
            };
            println!("Migrations appliquées ({backend}).");
            db.close().await;
            Ok(())
        }
        Command::Purge { dry_run } => {
            let db = startup::migrate(&settings).await?;
            let result = purge_once(&db, &settings, dry_run).await;
            db.close().await;
            result.map_err(CommandError::Purge)
        }
        Command::ParseUa { .. } => Ok(()),
        Command::CreateUser {
            role,
            email,
            first_name,
            last_name,
            company,
        } => {
            let company = company.company_of(role)?;
            let password = read_password()?;
            let db = startup::migrate(&settings).await?;
            let request = UserRequest {
                role,
                email: &email,
                first_name: &first_name,
                last_name: &last_name,
                password: &password,
                company,
            };
            let created = create_user::create_and_tell(&db, &settings, request).await;
            db.close().await;
            created
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

/// `wemaintain parse-ua --score FILE…`: the classifier's share right per
/// class on labelled User-Agents, and with `misses` each wrong answer.
pub fn score_user_agents(
    files: &[std::path::PathBuf],
    misses: bool,
    mut output: impl Write,
) -> Result<(), CommandError> {
    use crate::analytics::user_agent::score;
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|error| {
            CommandError::Labels(format!("{} : fichier illisible ({error})", file.display()))
        })?;
        let parsed = score::parse_cases(&text)
            .map_err(|error| CommandError::Labels(format!("{} : {error}", file.display())))?;
        cases.extend(parsed);
    }
    let score = score::score(&cases);
    let mut write = || -> std::io::Result<()> {
        if misses {
            for miss in &score.misses {
                writeln!(
                    output,
                    "{}\t{} attendu, {} trouvé\t{}",
                    miss.field, miss.expected, miss.got, miss.user_agent
                )?;
            }
        }
        write!(output, "{score}")
    };
    write().map_err(CommandError::ParseUa)
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
        // As in the server: the coming months exist, and the finished days
        // are counted before raw rows go.
        crate::analytics::partitions::ensure_coming_months(db, now).await?;
        let goals = std::sync::Arc::new(settings.analytics_goals.clone());
        crate::analytics::rollup::roll_up_with(db, &register, &goals, now).await?;
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
    for outcome in outcomes {
        let window = register.retention(outcome.purpose).in_french();
        println!(
            "{:<22} {:>10} {}  (conservation : {window})",
            outcome.purpose.key(),
            outcome.rows,
            rows_deleted(outcome.rows, dry_run)
        );
    }
    Ok(())
}

/// « lignes supprimées », « ligne à supprimer »: French agrees 0 and 1 in
/// the singular.
fn rows_deleted(rows: u64, dry_run: bool) -> &'static str {
    match (rows > 1, dry_run) {
        (false, true) => "ligne à supprimer",
        (true, true) => "lignes à supprimer",
        (false, false) => "ligne supprimée",
        (true, false) => "lignes supprimées",
    }
}
