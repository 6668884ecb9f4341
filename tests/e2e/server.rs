//! The processes a journey runs: the release server binary (built once per
//! test process), each journey's server on a fresh data directory and
//! database, and the child processes' plumbing (killed when dropped, output
//! in a file, ports read from what they print).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

use crate::common::backends::Backend;
use crate::common::database::fresh_postgres_database;
use crate::common::mail::{self, Mail};
use crate::harness::{PASSWORD, POLL, READY_TIMEOUT};

// --- The release server binary -------------------------------------------------

/// `target/release/wemaintain`, built once per test process.
pub(crate) fn server_binary() -> &'static Path {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BINARY.get_or_init(build_server) {
        Ok(path) => path,
        Err(error) => panic!("{error}"),
    }
}

fn build_server() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let mut command = Command::new(&cargo);
    // Cargo gives this test process the variables of the package being
    // tested (CARGO_MANIFEST_DIR, CARGO_PKG_NAME…). Some build scripts (ring)
    // rebuild when those change, so a build that inherits them and a plain
    // `cargo build --release` would keep rebuilding each other's crates.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_BIN_")
            || name.starts_with("CARGO_CRATE_")
            || name.starts_with("CARGO_MANIFEST_")
            || name.starts_with("CARGO_CFG_")
            || name == "OUT_DIR"
            || name == "CARGO_PRIMARY_PACKAGE"
            || name == "CARGO_TARGET_TMPDIR"
        {
            command.env_remove(&*name);
        }
    }
    let output = command
        .args([
            "build",
            "--release",
            "--bin",
            "wemaintain",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cargo.to_string_lossy()))?;
    if !output.status.success() {
        return Err(format!(
            "cargo build --release --bin wemaintain failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // Cargo says where it put the binary; the target directory otherwise.
    let from_cargo = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "wemaintain")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from));
    let binary = from_cargo.unwrap_or_else(|| target_dir().join("release").join("wemaintain"));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("the server binary is not at {}", binary.display()))
    }
}

/// `CARGO_TARGET_DIR` (relative to the package) or `target`.
fn target_dir() -> PathBuf {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => package.join(dir),
        None => package.join("target"),
    }
}

/// Where failing journeys leave their screenshots and page sources.
pub(crate) fn artifacts_dir() -> PathBuf {
    server_binary()
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(target_dir)
        .join("e2e")
}

// --- Processes -----------------------------------------------------------------

/// A command that does not inherit the caller's `WM_*` settings.
pub(crate) fn clean_command(program: &Path) -> Command {
    let mut command = Command::new(program);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("WM_") {
            command.env_remove(name);
        }
    }
    command.stdin(Stdio::null());
    command
}

/// A child process killed when dropped, with its output in a file.
pub(crate) struct Process {
    child: Child,
    log: PathBuf,
}

impl Process {
    pub(crate) fn spawn(mut command: Command, log: PathBuf) -> Result<Process> {
        let out = File::create(&log).with_context(|| format!("create {}", log.display()))?;
        let child = command
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .with_context(|| format!("start {:?}", command.get_program()))?;
        Ok(Process { child, log })
    }

    pub(crate) fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The last `n` lines of its output.
    pub(crate) fn tail(&self, n: usize) -> String {
        let output = self.output();
        let lines: Vec<&str> = output.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    pub(crate) fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits until a line of its output gives what `find` looks for (the
    /// port it bound, as it reports it); fails when it exits first or after
    /// [`READY_TIMEOUT`].
    pub(crate) async fn wait_for_output<T>(
        &mut self,
        what: &str,
        find: impl Fn(&str) -> Option<T>,
    ) -> Result<T> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(found) = self.output().lines().find_map(&find) {
                return Ok(found);
            }
            if let Some(status) = self.exited() {
                bail!(
                    "{:?} exited ({status}) before saying {what}; its output:\n{}",
                    self.child_name(),
                    self.output()
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "{:?} did not say {what} within {} s; its output:\n{}",
                    self.child_name(),
                    READY_TIMEOUT.as_secs(),
                    self.output()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    fn child_name(&self) -> String {
        self.log
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- The server ----------------------------------------------------------------

/// One server process with its own data directory and database.
pub struct Server {
    /// `http://127.0.0.1:PORT`, the address it bound (port 0: the system
    /// chose) and so its public URL.
    pub url: String,
    data_dir: PathBuf,
    process: Process,
}

impl Server {
    pub(crate) async fn start(dir: &Path, backend: &Backend, setup: &[&[&str]]) -> Result<Server> {
        let data_dir = dir.join("data");
        std::fs::create_dir_all(&data_dir)?;
        let database_url = match backend {
            Backend::Postgres(server) => Some(
                fresh_postgres_database(server, "e2e")
                    .await
                    .map_err(|error| anyhow!(error))?,
            ),
            Backend::Sqlite => None,
        };
        let server_env = ServerEnv {
            data_dir: data_dir.clone(),
            database_url,
        };
        for args in setup {
            server_env.cli(args).await?;
        }
        // Port 0: the system picks a port no other process holds, and the
        // server logs the address it got, its public URL when WM_PUBLIC_URL
        // is unset ("… listening on http://127.0.0.1:PORT").
        let mut command = server_env.command();
        command.arg("serve").env("WM_BIND", "127.0.0.1:0");
        let mut process = Process::spawn(command, dir.join("server.log"))?;
        let url = process
            .wait_for_output("the address it listens on", listening_url)
            .await?;
        let mut server = Server {
            url,
            data_dir,
            process,
        };
        server.wait_until_healthy().await?;
        Ok(server)
    }

    /// Polls `GET /healthz` until it answers 200.
    async fn wait_until_healthy(&mut self) -> Result<()> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let health = format!("{}/healthz", self.url);
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(status) = self.process.exited() {
                bail!(
                    "the server exited ({status}) before answering /healthz; its output:\n{}",
                    self.process.output()
                );
            }
            if let Ok(response) = http.get(&health).send().await {
                if response.status() == reqwest::StatusCode::OK {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                bail!(
                    "the server did not answer 200 on /healthz within {} s; its output:\n{}",
                    READY_TIMEOUT.as_secs(),
                    self.process.output()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The last lines the server wrote.
    pub fn log_tail(&self, lines: usize) -> String {
        self.process.tail(lines)
    }

    /// Waits (e-mails leave from a background task) for a message to `to`
    /// whose text contains `needle`.
    pub async fn wait_for_mail(&self, to: &str, needle: &str) -> Result<Mail> {
        mail::wait_for(&self.data_dir, to, needle)
            .await
            .map_err(|error| anyhow!(error))
    }
}

/// The URL in the server's start-up line, `… listening on http://ADDRESS …`.
fn listening_url(line: &str) -> Option<String> {
    let (_, rest) = line.split_once("listening on ")?;
    let url = rest.split_whitespace().next()?;
    url.starts_with("http://").then(|| url.to_owned())
}

/// What a server process and the binary's other commands are given.
struct ServerEnv {
    data_dir: PathBuf,
    database_url: Option<String>,
}

impl ServerEnv {
    fn command(&self) -> Command {
        let mut command = clean_command(server_binary());
        command
            .env("WM_DATA_DIR", &self.data_dir)
            // Warnings, and the start-up line that says the address bound.
            .env("WM_LOG", "warn,wemaintain::startup=info")
            .env("WM_PASSWORD", PASSWORD)
            // The on-call line in every header, as in production.
            .env("WM_EMERGENCY_PHONE", "+33 1 23 45 67 89");
        if let Some(url) = &self.database_url {
            command.env("WM_DATABASE_URL", url);
        }
        command
    }

    async fn cli(&self, args: &[&str]) -> Result<String> {
        let mut command = self.command();
        command.args(args);
        let shown = args.join(" ");
        let output = tokio::task::spawn_blocking(move || command.output())
            .await?
            .with_context(|| format!("run wemaintain {shown}"))?;
        if !output.status.success() {
            bail!(
                "wemaintain {shown} failed ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}
