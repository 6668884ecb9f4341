//! The binary itself: start-up errors, `--help`, `migrate`, and what the
//! request log may contain.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{fresh_database, wait, Backend};
use crate::on_both_backends;

const BIN: &str = env!("CARGO_BIN_EXE_wemaintain");

/// Runs the binary with only the given WM_* variables.
pub fn run(args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).stdin(Stdio::null());
    for (key, _) in std::env::vars() {
        if key.starts_with("WM_") {
            command.env_remove(key);
        }
    }
    command.envs(vars.iter().copied());
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    wait_bounded(child, Duration::from_secs(60))
}

pub fn wait_bounded(mut child: std::process::Child, limit: Duration) -> Output {
    let exited = wait::blocking_until("the binary's exit", limit, || {
        child.try_wait().expect("wait")
    });
    if let Err(error) = exited {
        let _ = child.kill();
        panic!("{error}");
    }
    child.wait_with_output().expect("output")
}

fn assert_bad_setup(output: &Output, variable: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected, got: {stderr}");
    assert!(
        lines[0].contains(variable),
        "{variable} not named in: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Starts the real binary on a free port with JSON logs and the given
/// variables; returns it once it listens, with its port and its log lines.
pub fn start_binary(
    vars: &[(&str, &str)],
) -> (
    std::process::Child,
    u16,
    std::io::Lines<BufReader<std::process::ChildStdout>>,
) {
    let mut command = Command::new(BIN);
    for (key, _) in std::env::vars() {
        if key.starts_with("WM_") {
            command.env_remove(key);
        }
    }
    let mut child = command
        .env("WM_BIND", "127.0.0.1:0")
        .env("WM_LOG_FORMAT", "json")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    let port = loop {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no start-up line"
        );
        let line = lines.next().expect("a log line").unwrap();
        let event: serde_json::Value = serde_json::from_str(&line).expect("JSON log lines");
        if let Some(address) = event["address"].as_str() {
            break address.rsplit(':').next().unwrap().parse::<u16>().unwrap();
        }
    };
    (child, port, lines)
}

#[test]
fn a_bad_bind_address_exits_2_naming_wm_bind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for bind in ["not an address", "127.0.0.1", "127.0.0.1:99999"] {
        let output = run(&[], &[("WM_BIND", bind), ("WM_DATA_DIR", data)]);
        assert_bad_setup(&output, "WM_BIND");
    }
}

/// Forms are accepted only from the site's own origin: listening on every
/// address, the site cannot tell it without `WM_PUBLIC_URL`.
#[test]
fn every_address_without_a_public_url_exits_2_naming_wm_public_url() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let output = run(
        &["serve"],
        &[("WM_BIND", "0.0.0.0:0"), ("WM_DATA_DIR", data)],
    );
    assert_bad_setup(&output, "WM_PUBLIC_URL");
}

#[test]
fn a_busy_port_exits_2_naming_wm_bind() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        &["serve"],
        &[
            ("WM_BIND", &addr),
            ("WM_DATA_DIR", dir.path().to_str().unwrap()),
        ],
    );
    assert_bad_setup(&output, "WM_BIND");
}

#[test]
fn a_bad_database_url_exits_2_naming_wm_database_url() {
    let dir = tempfile::tempdir().unwrap();
    let missing_dir = dir.path().join("no/such/dir/wm.db");
    let missing = format!("sqlite://{}", missing_dir.display());
    for url in [
        "mysql://root@localhost/wemaintain",
        "just-a-word",
        // Nothing listens on port 1: connection refused.
        "postgres://wemaintain:secret@127.0.0.1:1/wemaintain",
        missing.as_str(),
    ] {
        let output = run(&["migrate"], &[("WM_DATABASE_URL", url)]);
        assert_bad_setup(&output, "WM_DATABASE_URL");
        assert!(!String::from_utf8_lossy(&output.stderr).contains("secret"));
    }
}

#[test]
fn other_bad_settings_exit_2_naming_their_variable() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for (var, value) in [
        ("WM_LOG_FORMAT", "xml"),
        ("WM_LOG", "wemaintain=loud"),
        ("WM_HTTPS", "perhaps"),
        ("WM_RETENTION_AUDIENCE", "forever"),
        ("WM_CONFIG", "/nonexistent/wemaintain.toml"),
    ] {
        let output = run(&[], &[(var, value), ("WM_DATA_DIR", data)]);
        assert_bad_setup(&output, var);
    }
}

/// A command that fails once started (not a setting) exits 1, with one line
/// naming the command.
#[test]
fn a_failing_command_exits_1_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let output = run(
        &[
            "create-user",
            "--role",
            "admin",
            "--email",
            "pas une adresse",
        ],
        &[
            ("WM_DATA_DIR", data),
            ("WM_PASSWORD", "un mot de passe assez long"),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("wemaintain : create-user : --email"),
        "{stderr}"
    );
}

/// A command line clap refuses is told in French, with clap's status (2).
#[test]
fn a_refused_command_line_is_told_in_french() {
    for (args, said) in [
        (&["--bogus"][..], "option inconnue : --bogus"),
        (&["frobnicate"][..], "commande inconnue : frobnicate"),
        (
            &["create-user", "--email", "a@b.fr"][..],
            "option obligatoire manquante : --role",
        ),
        (
            &["create-user", "--role", "root", "--email", "a@b.fr"][..],
            "« root » n'est pas un rôle",
        ),
        (
            &["seed-demo", "--events", "0"][..],
            "(attendu : de 1 à 100000000)",
        ),
    ] {
        let output = run(args, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("wemaintain : "), "{args:?}: {stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("error:") && !stderr.contains("Usage"),
            "{stderr}"
        );
    }
}

#[test]
fn help_explains_each_command() {
    let output = run(&["--help"], &[]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("serve") && help.contains("Sert le site"),
        "{help}"
    );
    assert!(
        help.contains("migrate") && help.contains("migrations"),
        "{help}"
    );
    assert!(help.contains("WM_DATABASE_URL"), "{help}");
    // In French, as every message of the commands.
    for french in [
        "Utilisation :",
        "Commandes :",
        "Options :",
        "par défaut :",
        "Affiche l'aide",
    ] {
        assert!(help.contains(french), "{french} missing from: {help}");
    }
    for english in [
        "Usage:",
        "Print help",
        "(default:",
        "Configuration comes from",
    ] {
        assert!(!help.contains(english), "{english} in: {help}");
    }
    for setting in wemaintain::config::SETTINGS {
        assert!(
            help.contains(setting.var),
            "{} missing from: {help}",
            setting.var
        );
    }
    let output = run(&["create-user", "--help"], &[]);
    let create_user = String::from_utf8_lossy(&output.stdout);
    assert!(
        create_user.contains("--company-id") && create_user.contains("--company-name"),
        "{create_user}"
    );
    assert!(!create_user.contains("[default:"), "{create_user}");
}

on_both_backends!(migrate_applies_the_migrations_and_exits);

async fn migrate_applies_the_migrations_and_exits(backend: Backend) {
    let database = fresh_database(&backend).await;
    let url = database.settings.database_url.as_str().to_owned();
    let data = database.settings.data_dir.to_str().unwrap().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        run(
            &["migrate"],
            &[("WM_DATABASE_URL", &url), ("WM_DATA_DIR", &data)],
        )
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Migrations appliquées"));

    // The migrations table exists and matches what the binary embeds.
    let db = wemaintain::db::Db::connect(&database.settings.database_url, 1)
        .await
        .unwrap();
    let applied: i64 = match &db {
        wemaintain::db::Db::Sqlite(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await
                .unwrap()
        }
        wemaintain::db::Db::Postgres(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await
                .unwrap()
        }
    };
    let on_disk = std::fs::read_dir(match backend {
        Backend::Sqlite => "migrations/sqlite",
        Backend::Postgres(_) => "migrations/postgres",
    })
    .unwrap()
    .filter(|e| {
        e.as_ref()
            .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".sql"))
    })
    .count();
    assert_eq!(applied as usize, on_disk);
    // Running it again is harmless.
    db.close().await;
}

/// The request log names the route, never the client IP or the query string.
#[test]
fn the_request_log_holds_no_ip_and_no_query_string() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (mut child, port, mut lines) = start_binary(&[("WM_DATA_DIR", data), ("WM_LOG", "info")]);
    let url =
        format!("http://127.0.0.1:{port}/services?email=jean.dupont%40example.com&utm_source=x");
    let status = std::thread::spawn(move || {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async { reqwest::get(url).await.unwrap().status() })
    })
    .join()
    .unwrap();
    assert_eq!(status, 200);

    let request_line = loop {
        let line = lines.next().expect("the request line").unwrap();
        if line.contains("request handled") {
            break line;
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    let event: serde_json::Value = serde_json::from_str(&request_line).unwrap();
    assert_eq!(event["span"]["route"], "/services", "{request_line}");
    assert_eq!(event["span"]["status"], 200, "{request_line}");
    assert_eq!(event["span"]["method"], "GET", "{request_line}");
    for secret in ["jean", "example.com", "utm_source", "127.0.0.1"] {
        assert!(!request_line.contains(secret), "{secret} in {request_line}");
    }
}
