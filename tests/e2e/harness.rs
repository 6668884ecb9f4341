//! The harness: finds Chromium and chromedriver (or skips), builds the
//! release server once per test process, and for each journey starts its
//! own server (fresh data directory and database, on loopback port 0: it
//! says which port it got) and chromedriver (likewise), opens browser sessions on demand, and cleans everything up.
//! A failing journey saves a screenshot and the page source of each of its
//! browsers under `target/e2e/` before the test fails.

use std::fs::File;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::browser::Browser;
use crate::common::backends::Backend;
use crate::common::database::fresh_postgres_database;
use crate::common::mail::{self, Mail};
use crate::common::skips::{self, Need};
use anyhow::{anyhow, bail, Context, Result};
use fantoccini::{Client, ClientBuilder};

pub use crate::common::accounts::PASSWORD;

/// How long a server or chromedriver has to start answering.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the harness looks again while waiting for something.
pub use crate::common::wait::POLL;
/// A journey that takes longer than this has hung: it fails with artifacts.
const JOURNEY_TIMEOUT: Duration = Duration::from_secs(240);
/// Saving artifacts from a browser that no longer answers gives up after this.
const ARTIFACT_TIMEOUT: Duration = Duration::from_secs(15);

/// The size of a desktop browser window.
const DESKTOP: (u32, u32) = (1280, 900);

/// Generates, for each `name => path::to::journey`, a module `name` with the
/// tests `sqlite` and `postgres` (through the one per-backend runner,
/// `on_both_backends!`). A journey is an
/// `async fn(Arc<Journey>) -> anyhow::Result<()>`; `setup` lists the
/// commands of the server binary run before the server starts.
#[macro_export]
macro_rules! journeys {
    ($($name:ident => $journey:path, setup: $setup:expr;)*) => {
        $(
            async fn $name(backend: $crate::common::backends::Backend) {
                $crate::harness::run(stringify!($name), backend, $setup, $journey).await
            }
        )*
        $crate::on_both_backends!(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)] $($name),*
        );
    };
}

// --- Chromium and chromedriver -----------------------------------------------

struct Tools {
    chromedriver: PathBuf,
    chromium: PathBuf,
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Chromium and chromedriver, or `None` after saying that this journey is
/// skipped (a failure when the run requires the browser: see `skips`).
fn tools_or_skip() -> Option<&'static Tools> {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    let found = TOOLS.get_or_init(|| {
        let chromium = Some(PathBuf::from("/usr/bin/chromium"))
            .filter(|p| p.is_file())
            .or_else(|| find_in_path("chromium"))
            .or_else(|| find_in_path("chromium-browser"));
        let chromedriver = find_in_path("chromedriver");
        match (chromium, chromedriver) {
            (Some(chromium), Some(chromedriver)) => Ok(Tools {
                chromedriver,
                chromium,
            }),
            (None, Some(_)) => Err("chromium not found".to_owned()),
            (Some(_), None) => Err("chromedriver not found".to_owned()),
            (None, None) => Err("chromium and chromedriver not found".to_owned()),
        }
    });
    match found {
        Ok(tools) => Some(tools),
        Err(missing) => {
            skips::skip(Need::Browser, missing);
            None
        }
    }
}

// --- The release server binary -------------------------------------------------

/// `target/release/wemaintain`, built once per test process.
fn server_binary() -> &'static Path {
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
fn artifacts_dir() -> PathBuf {
    server_binary()
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(target_dir)
        .join("e2e")
}

// --- Processes -----------------------------------------------------------------

/// A command that does not inherit the caller's `WM_*` settings.
fn clean_command(program: &Path) -> Command {
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
struct Process {
    child: Child,
    log: PathBuf,
}

impl Process {
    fn spawn(mut command: Command, log: PathBuf) -> Result<Process> {
        let out = File::create(&log).with_context(|| format!("create {}", log.display()))?;
        let child = command
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .with_context(|| format!("start {:?}", command.get_program()))?;
        Ok(Process { child, log })
    }

    fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The last `n` lines of its output.
    fn tail(&self, n: usize) -> String {
        let output = self.output();
        let lines: Vec<&str> = output.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits until a line of its output gives what `find` looks for (the
    /// port it bound, as it reports it); fails when it exits first or after
    /// [`READY_TIMEOUT`].
    async fn wait_for_output<T>(
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
    async fn start(dir: &Path, backend: &Backend, setup: &[&[&str]]) -> Result<Server> {
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
            .env("WM_PASSWORD", PASSWORD);
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

// --- chromedriver and browser sessions ------------------------------------------

struct Driver {
    url: String,
    process: Process,
}

impl Driver {
    async fn start(tools: &Tools, dir: &Path) -> Result<Driver> {
        // Port 0 here too: chromedriver says which port it got
        // ("ChromeDriver was started successfully on port PORT.").
        let mut command = clean_command(&tools.chromedriver);
        command.arg("--port=0");
        let mut process = Process::spawn(command, dir.join("chromedriver.log"))?;
        let port = process
            .wait_for_output("the port it listens on", |line| {
                let (_, port) = line.split_once("started successfully on port ")?;
                port.trim().trim_end_matches('.').parse::<u16>().ok()
            })
            .await?;
        Ok(Driver {
            url: format!("http://127.0.0.1:{port}"),
            process,
        })
    }
}

/// What a journey is given: its server, and browsers on demand.
pub struct Journey {
    pub name: String,
    pub server: Server,
    driver: Driver,
    chromium: PathBuf,
    dir: tempfile::TempDir,
    /// Every browser opened, with its label, to save artifacts and close.
    browsers: Mutex<Vec<(String, Client)>>,
}

impl Journey {
    /// A new desktop browser session (its own profile, so its own cookies).
    pub async fn browser(&self, label: &str) -> Result<Browser> {
        self.open_browser(label, DESKTOP, false).await
    }

    /// A new browser session showing pages as a phone `width` × `height`
    /// CSS pixels does. Headless Chromium keeps windows at least 500 px
    /// wide, so the phone's screen is emulated (chromedriver's
    /// `mobileEmulation`): the viewport is `width` wide and the page's
    /// `<meta name="viewport">` applies, as on a phone.
    pub async fn phone(&self, label: &str, size: (u32, u32)) -> Result<Browser> {
        self.open_browser(label, size, true).await
    }

    async fn open_browser(
        &self,
        label: &str,
        (width, height): (u32, u32),
        phone: bool,
    ) -> Result<Browser> {
        let profile = self
            .dir
            .path()
            .join(format!("chromium-{}", uuid::Uuid::new_v4().simple()));
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-quic".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={width},{height}"),
        ];
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "chrome".into());
        let mut options = serde_json::json!({ "binary": self.chromium, "args": args });
        if phone {
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 3.0, "touch": true, "mobile": true }
            });
        }
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.driver.url)
            .await
            .with_context(|| {
                format!(
                    "open a Chromium session; chromedriver says:\n{}",
                    self.driver.process.tail(30)
                )
            })?;
        self.browsers
            .lock()
            .unwrap()
            .push((label.to_owned(), client.clone()));
        Ok(Browser::new(client, &self.server.url, label))
    }

    /// Saves a screenshot and the page source of every browser; returns
    /// what was saved (or why not), one line each.
    async fn save_artifacts(&self) -> Vec<String> {
        let dir = artifacts_dir();
        if let Err(error) = std::fs::create_dir_all(&dir) {
            return vec![format!("cannot create {}: {error}", dir.display())];
        }
        let browsers = self.browsers.lock().unwrap().clone();
        let mut saved = Vec::new();
        for (i, (label, client)) in browsers.iter().enumerate() {
            let stem = if i == 0 {
                self.name.clone()
            } else {
                format!("{}.{label}", self.name)
            };
            let screenshot = dir.join(format!("{stem}.png"));
            match tokio::time::timeout(ARTIFACT_TIMEOUT, client.screenshot()).await {
                Ok(Ok(png)) => match std::fs::write(&screenshot, png) {
                    Ok(()) => saved.push(format!("screenshot ({label}): {}", screenshot.display())),
                    Err(e) => saved.push(format!("cannot write {}: {e}", screenshot.display())),
                },
                Ok(Err(e)) => saved.push(format!("no screenshot ({label}): {e}")),
                Err(_) => saved.push(format!(
                    "no screenshot ({label}): the browser did not answer"
                )),
            }
            let source = dir.join(format!("{stem}.html"));
            let page = async {
                let url = client.current_url().await?;
                let html = client.source().await?;
                Ok::<_, fantoccini::error::CmdError>(format!("<!-- {url} -->\n{html}"))
            };
            match tokio::time::timeout(ARTIFACT_TIMEOUT, page).await {
                Ok(Ok(html)) => match std::fs::write(&source, html) {
                    Ok(()) => saved.push(format!("page source ({label}): {}", source.display())),
                    Err(e) => saved.push(format!("cannot write {}: {e}", source.display())),
                },
                Ok(Err(e)) => saved.push(format!("no page source ({label}): {e}")),
                Err(_) => saved.push(format!(
                    "no page source ({label}): the browser did not answer"
                )),
            }
        }
        if browsers.is_empty() {
            saved.push("no browser was open".to_owned());
        }
        saved
    }

    /// Ends every browser session (chromedriver then quits Chromium).
    async fn close_browsers(&self) {
        let browsers = std::mem::take(&mut *self.browsers.lock().unwrap());
        for (_, client) in browsers {
            let _ = tokio::time::timeout(ARTIFACT_TIMEOUT, client.close()).await;
        }
    }
}

/// Runs one journey: skips without a browser (or PostgreSQL for that
/// backend), starts a server and chromedriver, runs the journey (as a task,
/// so that a panic is caught like an error), saves artifacts on failure,
/// closes the browsers and stops the processes, then fails with a message
/// that says where the artifacts are.
pub async fn run<F, Fut>(journey_name: &str, backend: Backend, setup: &[&[&str]], journey: F)
where
    F: FnOnce(Arc<Journey>) -> Fut,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    let Some(tools) = tools_or_skip() else {
        return;
    };
    let name = format!("{journey_name}.{}", backend.name());
    let binary_ready = tokio::task::spawn_blocking(|| {
        server_binary();
    })
    .await;
    if let Err(error) = binary_ready {
        panic!(
            "{name}: the release server could not be built: {}",
            panic_message(error)
        );
    }
    remove_old_artifacts(&name);
    let dir = tempfile::Builder::new()
        .prefix("wm-e2e-")
        .tempdir()
        .expect("a temporary directory");
    let server = match Server::start(dir.path(), &backend, setup).await {
        Ok(server) => server,
        Err(error) => panic!("{name}: the server did not start: {error:#}"),
    };
    let driver = match Driver::start(tools, dir.path()).await {
        Ok(driver) => driver,
        Err(error) => panic!("{name}: chromedriver did not start: {error:#}"),
    };
    let journey_state = Arc::new(Journey {
        name: name.clone(),
        server,
        driver,
        chromium: tools.chromium.clone(),
        dir,
        browsers: Mutex::new(Vec::new()),
    });

    let mut task = tokio::spawn(journey(journey_state.clone()));
    let failure = match tokio::time::timeout(JOURNEY_TIMEOUT, &mut task).await {
        Ok(Ok(Ok(()))) => None,
        Ok(Ok(Err(error))) => Some(format!("{error:#}")),
        Ok(Err(join)) => Some(panic_message(join)),
        Err(_) => {
            task.abort();
            let _ = task.await;
            Some(format!(
                "the journey did not end within {} s",
                JOURNEY_TIMEOUT.as_secs()
            ))
        }
    };
    let artifacts = match failure {
        Some(_) => journey_state.save_artifacts().await,
        None => Vec::new(),
    };
    journey_state.close_browsers().await;
    let server_log = journey_state.server.log_tail(40);
    // The last reference: stops the server and chromedriver, removes the
    // temporary directory.
    drop(journey_state);
    if let Some(failure) = failure {
        panic!(
            "journey {name} failed: {failure}\n\nartifacts:\n  {}\n\nserver output (last lines):\n{server_log}",
            artifacts.join("\n  ")
        );
    }
}

/// Removes what an earlier failure of this journey left, so that the
/// artifacts directory only shows current failures.
fn remove_old_artifacts(name: &str) {
    let prefix = format!("{name}.");
    if let Ok(entries) = std::fs::read_dir(artifacts_dir()) {
        for entry in entries.filter_map(Result::ok) {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

fn panic_message(error: tokio::task::JoinError) -> String {
    match error.try_into_panic() {
        Ok(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .map(|message| format!("panicked: {message}"))
            .unwrap_or_else(|| "panicked".to_owned()),
        Err(error) => format!("the journey's task failed: {error}"),
    }
}
