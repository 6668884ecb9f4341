//! The harness: finds Chromium and chromedriver (or skips), has the
//! release server built once per test process (`server.rs`), and for each
//! journey starts its own server (fresh data directory and database, on loopback port 0: it
//! says which port it got) and chromedriver (likewise), opens browser sessions on demand, and cleans everything up.
//! A failing journey saves a screenshot and the page source of each of its
//! browsers under `target/e2e/` before the test fails.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::browser::Browser;
use crate::common::backends::Backend;
use crate::common::skips::{self, Need};
pub use crate::server::Server;
use crate::server::{artifacts_dir, clean_command, server_binary, Process};
use anyhow::{Context, Result};
use fantoccini::{Client, ClientBuilder};

pub use crate::common::accounts::PASSWORD;

/// How long a server or chromedriver has to start answering.
pub const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the harness looks again while waiting for something.
pub use crate::common::wait::POLL;
/// A journey that takes longer than this has hung: it fails with artifacts.
/// (The accessibility audit of the client, staff and marketing spaces, some
/// 200 pages and error states, takes the longest.)
const JOURNEY_TIMEOUT: Duration = Duration::from_secs(420);
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
        self.open_browser(label, DESKTOP, None).await
    }

    /// A new browser session showing pages as a phone `width` × `height`
    /// CSS pixels does. Headless Chromium keeps windows at least 500 px
    /// wide, so the phone's screen is emulated (chromedriver's
    /// `mobileEmulation`): the viewport is `width` wide and the page's
    /// `<meta name="viewport">` applies, as on a phone.
    pub async fn phone(&self, label: &str, size: (u32, u32)) -> Result<Browser> {
        self.open_browser(label, size, Some(3.0)).await
    }

    /// A phone whose screenshots are `width` × `height` pixels (one pixel
    /// per CSS pixel), for the pictures of the documentation.
    pub async fn phone_for_pictures(&self, label: &str, size: (u32, u32)) -> Result<Browser> {
        self.open_browser(label, size, Some(1.0)).await
    }

    async fn open_browser(
        &self,
        label: &str,
        (width, height): (u32, u32),
        phone_pixel_ratio: Option<f64>,
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
        if let Some(ratio) = phone_pixel_ratio {
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": ratio, "touch": true, "mobile": true }
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
