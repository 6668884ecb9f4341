//! `spawn_app`: starts the site as `main` does, on port 0, with a fresh
//! database, and returns a client with a cookie jar.

use std::io::Write;
use std::sync::{Arc, Once};

use actix_web::dev::ServerHandle;
use chrono::{TimeZone, Utc};
use sqlx::Connection;
use wemaintain::clock::ManualClock;
use wemaintain::config::{DatabaseUrl, Settings};
use wemaintain::db::Db;
use wemaintain::metrics::Metrics;
use wemaintain::startup::Application;

/// What the test client says it is, unless a test says otherwise.
pub const DESKTOP_CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// The URL of a PostgreSQL server where the test may create databases.
    Postgres(String),
}

/// The PostgreSQL server to test on, or `None` (said once per run) when
/// there is none. In CI a missing server is a failure, not a skip.
pub fn postgres_or_skip() -> Option<Backend> {
    match std::env::var("WM_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(Backend::Postgres(url)),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true but WM_TEST_POSTGRES_URL is not set: PostgreSQL must be tested in CI (run the tests under scripts/with-postgres)");
            }
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                // Straight to stderr, past the test harness's output capture.
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL skipped: WM_TEST_POSTGRES_URL is not set (scripts/with-postgres cargo test runs them)"
                );
            });
            None
        }
    }
}

/// Generates, for each named `async fn test(backend: Backend)`, a module
/// with one test per backend: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        $(
            mod $test {
                #[tokio::test]
                async fn sqlite() {
                    super::$test($crate::helpers::Backend::Sqlite).await
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some(backend) = $crate::helpers::postgres_or_skip() {
                        super::$test(backend).await
                    }
                }
            }
        )*
    };
}

/// A fresh, empty database for one test, and settings that use it.
pub struct TestDatabase {
    pub settings: Settings,
    // Holds the SQLite file (and data directory) until the test ends.
    pub _dir: tempfile::TempDir,
}

pub async fn fresh_database(backend: &Backend) -> TestDatabase {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut settings = Settings::defaults(dir.path().join("data"));
    settings.bind = "127.0.0.1:0".parse().expect("loopback address");
    settings.workers = Some(1);
    settings.db_max_connections = 4;
    // The test client speaks plain http: cookies must not be `Secure`.
    settings.https = false;
    if let Backend::Postgres(admin_url) = backend {
        let name = format!("wm_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("WM_TEST_POSTGRES_URL does not answer");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create the test database");
        let _ = admin.close().await;
        settings.database_url = DatabaseUrl::Postgres(with_database(admin_url, &name));
    }
    TestDatabase {
        settings,
        _dir: dir,
    }
}

/// `postgres://u@h:1/postgres?x=y` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| base[start..].find('/').map(|i| start + i))
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub clock: Arc<ManualClock>,
    pub client: reqwest::Client,
    pub metrics: Arc<Metrics>,
    pub settings: Settings,
    server: ServerHandle,
    running: tokio::task::JoinHandle<std::io::Result<()>>,
    /// `None` for a second instance, which shares its first's database.
    _database: Option<TestDatabase>,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Starts the site with settings changed by `configure`.
pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let mut database = fresh_database(&backend).await;
    configure(&mut database.settings);
    start(database).await
}

/// Starts the site on a database (and data directory) that already exists.
async fn start(database: TestDatabase) -> TestApp {
    let settings = database.settings.clone();
    let mut app = start_on(settings).await;
    app._database = Some(database);
    app
}

async fn start_on(settings: Settings) -> TestApp {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap(),
    ));
    let app = Application::build_with_clock(settings.clone(), clock.clone())
        .await
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    let metrics = app.metrics();
    let server = app.handle();
    let running = tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .user_agent(DESKTOP_CHROME)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    TestApp {
        address,
        db,
        clock,
        client,
        metrics,
        settings,
        server,
        running,
        _database: None,
    }
}

/// A visitor-log row as the tests read it back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LoggedVisit {
    pub purpose: String,
    pub occurred_at: i64,
    pub expires_at: i64,
    pub ip: String,
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub device_type: String,
    pub manufacturer: Option<String>,
    pub url: String,
}

/// The site after a graceful stop: every queued event has been written.
pub struct StoppedApp {
    pub db: Db,
    pub settings: Settings,
    pub metrics: Arc<Metrics>,
    _database: Option<TestDatabase>,
}

impl StoppedApp {
    /// Starts the site again on the same database and data directory, with
    /// settings changed by `configure`, as a restart would.
    pub async fn restart(self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        self.db.close().await;
        let mut database = self
            ._database
            .expect("restart the instance that owns the database");
        configure(&mut database.settings);
        start(database).await
    }

    pub async fn visits(&self) -> Vec<LoggedVisit> {
        read_visits(&self.db).await
    }

    pub async fn visits_of(&self, purpose: &str) -> Vec<LoggedVisit> {
        self.visits()
            .await
            .into_iter()
            .filter(|v| v.purpose == purpose)
            .collect()
    }
}

pub async fn read_visits(db: &Db) -> Vec<LoggedVisit> {
    const SQL: &str = "SELECT purpose, occurred_at, expires_at, ip, browser, browser_version, \
        os, os_version, device_type, manufacturer, url FROM visitor_log ORDER BY id";
    match db {
        Db::Sqlite(pool) => sqlx::query_as(SQL).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(SQL).fetch_all(pool).await,
    }
    .expect("read visitor_log")
}

pub async fn count_visits(db: &Db, purpose: &str) -> i64 {
    const SQL: &str = "SELECT COUNT(*) FROM visitor_log WHERE purpose = $1";
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(SQL).bind(purpose).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(SQL).bind(purpose).fetch_one(pool).await,
    }
    .expect("count visitor_log rows")
}

impl TestApp {
    /// Stops the server as SIGTERM would, waits until the visitor-log queue
    /// is written, and reopens the database for the test to read.
    pub async fn stop(self) -> StoppedApp {
        self.server.stop(true).await;
        self.finish().await
    }

    /// Waits for the end of a stop started through [`TestApp::server_handle`].
    pub async fn finish(self) -> StoppedApp {
        self.running
            .await
            .expect("the server task")
            .expect("the server stops cleanly");
        let db = Db::connect(&self.settings.database_url, 2)
            .await
            .expect("reopen the database");
        StoppedApp {
            db,
            settings: self.settings,
            metrics: self.metrics,
            _database: self._database,
        }
    }

    /// A second instance of the site on the same database and data
    /// directory (so the same generated secret), on its own port, sharing
    /// no memory with this one. Its clock starts at the same instant.
    pub async fn another_instance(&self) -> TestApp {
        start_on(self.settings.clone()).await
    }

    pub fn server_handle(&self) -> ServerHandle {
        self.server.clone()
    }

    /// GET with extra request headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("the server answers")
    }

    /// This client's CSRF token, as the site's forms carry it (the first
    /// call has the cookie set, as a browser showing a form would).
    pub async fn csrf_token(&self) -> String {
        let (status, _, page) = self.get_page("/contact").await;
        assert_eq!(status, 200, "the contact page shows a form");
        csrf_in(&page).expect("a form carries a csrf field")
    }

    /// POSTs a form as the site's own pages do: with the CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("the server answers")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers")
    }

    /// GET, then the body as text along with the response's head.
    pub async fn get_page(
        &self,
        path: &str,
    ) -> (reqwest::StatusCode, reqwest::header::HeaderMap, String) {
        let response = self.get(path).await;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("a text body");
        (status, headers, body)
    }
}

/// An .eml file with its body decoded (quoted-printable or base64), so that
/// tests read the text as the recipient would.
fn decoded(eml: &str) -> String {
    let Some((head, body)) = eml.split_once("\r\n\r\n") else {
        return eml.to_owned();
    };
    let body = if head.contains("Content-Transfer-Encoding: quoted-printable") {
        let bytes = quoted_printable::decode(body, quoted_printable::ParseMode::Robust)
            .expect("quoted-printable body");
        String::from_utf8(bytes).expect("UTF-8 body")
    } else if head.contains("Content-Transfer-Encoding: base64") {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body.replace("\r\n", ""))
            .expect("base64 body");
        String::from_utf8(bytes).expect("UTF-8 body")
    } else {
        body.to_owned()
    };
    format!("{head}\r\n\r\n{}", body.replace("\r\n", "\n"))
}

/// The token of the last link to `path` in a mail's text.
pub fn token_in(mail: &str, path: &str) -> Option<String> {
    let needle = format!("{path}?jeton=");
    let start = mail.rfind(&needle)? + needle.len();
    Some(
        mail[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

/// The value of the `csrf` hidden field in a page.
pub fn csrf_in(page: &str) -> Option<String> {
    let start = page.find(r#"name="csrf" value=""#)? + r#"name="csrf" value=""#.len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned())
}

/// A page with each form's CSRF token blanked: the token is masked anew in
/// every response, so two pages otherwise the same differ there.
pub fn without_csrf(page: &str) -> String {
    const FIELD: &str = r#"name="csrf" value=""#;
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(start) = rest.find(FIELD) {
        let value = start + FIELD.len();
        out.push_str(&rest[..value]);
        rest = &rest[value..];
        rest = &rest[rest.find('"').unwrap_or(0)..];
    }
    out.push_str(rest);
    out
}

/// The value of a header, or "" when it is missing.
pub fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[test]
fn database_names_are_replaced_in_postgres_urls() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "t2"),
        "postgres://u:p@h/t2?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "t3"), "postgres://h/t3");
}

/// A password every test account uses: long and not guessable.
pub const PASSWORD: &str = "Grue-bleue-7-Toit-Orage";

/// Creates an active account with [`PASSWORD`], as `wemaintain create-user` does.
pub async fn create_account(app: &TestApp, role: wemaintain::auth::Role, email: &str) -> i64 {
    wemaintain::commands::create_user(
        &app.db,
        &app.settings,
        role,
        email,
        "Camille",
        "Martin",
        PASSWORD,
    )
    .await
    .expect("create the account")
}

/// Another browser on the same site: its own cookie jar.
pub struct Browser {
    pub client: reqwest::Client,
    pub address: String,
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .user_agent(DESKTOP_CHROME)
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("HTTP client"),
            address: self.address.clone(),
        }
    }

    /// Every message written to the outbox so far, oldest first.
    pub fn outbox(&self) -> Vec<String> {
        let dir = self.settings.data_dir.join("outbox");
        let mut files: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| {
                        let modified = e.metadata().ok()?.modified().ok()?;
                        Some((modified, decoded(&std::fs::read_to_string(e.path()).ok()?)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort_by_key(|(modified, _)| *modified);
        files.into_iter().map(|(_, text)| text).collect()
    }

    /// Waits (up to 10 s: e-mails leave from a background task) for a
    /// message to `to` whose text contains `needle`.
    pub async fn wait_for_mail(&self, to: &str, needle: &str) -> String {
        for _ in 0..200 {
            if let Some(mail) = self
                .outbox()
                .into_iter()
                .find(|m| m.contains(&format!("To: {to}")) && m.contains(needle))
            {
                return mail;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "no e-mail to {to} containing {needle:?}; outbox: {:#?}",
            self.outbox()
        );
    }

    /// The token of the newest link to `path` mailed to `to`.
    pub async fn link_token(&self, to: &str, path: &str) -> String {
        let needle = format!("{path}?jeton=");
        self.wait_for_mail(to, &needle).await;
        let mail = self
            .outbox()
            .into_iter()
            .rev()
            .find(|m| m.contains(&format!("To: {to}")) && m.contains(&needle))
            .expect("the mail just seen");
        token_in(&mail, path).expect("a link")
    }

    /// Opens the sign-up link mailed to `email` and confirms, as the
    /// address's owner would: the request then goes to staff.
    pub async fn confirm_registration(&self, email: &str) {
        let token = self.link_token(email, "/inscription/confirmer").await;
        let confirmed = self
            .browser()
            .post_form("/inscription/confirmer", &[("jeton", &token)])
            .await;
        assert_eq!(confirmed.status(), 200, "the sign-up link of {email} works");
    }

    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        use wemaintain::clock::Clock;
        self.clock.now()
    }

    /// Waits until the server's own purge schedule has done its run at start
    /// (roll-up, then purge), so that it does not run over the test's rows.
    pub async fn settled(&self) {
        let storing = wemaintain::privacy::Register::default()
            .activities()
            .iter()
            .filter(|a| !a.stored_in.is_empty())
            .count();
        for _ in 0..200 {
            let runs = wemaintain::privacy::purge::recent_runs(&self.db, 100)
                .await
                .expect("purge runs");
            if runs.len() >= storing {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the purge schedule did not run at start");
    }

    /// Counts the rows of a table.
    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        match &self.db {
            Db::Sqlite(pool) => sqlx::query_scalar(&sql).fetch_one(pool).await,
            Db::Postgres(pool) => sqlx::query_scalar(&sql).fetch_one(pool).await,
        }
        .expect("count rows")
    }
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers")
    }

    pub async fn get_page(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("a text body"))
    }

    /// The CSRF token of this browser (a form page sets it the first time).
    pub async fn csrf_token(&self) -> String {
        let (status, page) = self.get_page("/contact").await;
        assert_eq!(status, 200);
        csrf_in(&page).expect("a form carries a csrf field")
    }

    /// POSTs a form with this browser's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("the server answers")
    }

    /// POSTs a form with this browser's CSRF token, as sent through a
    /// trusted proxy for the client address `ip` (`X-Forwarded-For`).
    pub async fn post_form_from(
        &self,
        ip: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.client
            .post(self.url(path))
            .header("X-Forwarded-For", ip)
            .form(&all)
            .send()
            .await
            .expect("the server answers")
    }

    /// Logs in; returns the login POST's response (303 on success).
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/connexion",
            &[("email", email), ("mot_de_passe", password)],
        )
        .await
    }

    /// Logs in and checks it worked.
    pub async fn login_ok(&self, email: &str, password: &str) {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), 303, "login of {email} fails");
    }
}

/// Runs one SQL statement on either backend.
pub async fn execute(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    match db {
        Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
    }
}

/// One integer from a query, on either backend.
pub async fn scalar(db: &Db, sql: &str) -> i64 {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect(sql)
}

/// A client account (password [`PASSWORD`]) of a new company `company`,
/// logged in; returns the company's id and the browser.
pub async fn client_of_company(app: &TestApp, email: &str, company: &str) -> (i64, Browser) {
    execute(
        &app.db,
        &format!(
            "INSERT INTO companies (name, kind, address, city, postal_code, country, created_at) \
             VALUES ('{company}', 'agence', '3 rue de la Paix', 'Paris', '75002', 'FR', 0)"
        ),
    )
    .await
    .expect("insert the company");
    let company_id = scalar(
        &app.db,
        &format!("SELECT id FROM companies WHERE name = '{company}'"),
    )
    .await;
    let user = create_account(app, wemaintain::auth::Role::Client, email).await;
    execute(
        &app.db,
        &format!("UPDATE users SET company_id = {company_id} WHERE id = {user}"),
    )
    .await
    .expect("attach the account to the company");
    let browser = app.browser();
    browser.login_ok(email, PASSWORD).await;
    (company_id, browser)
}
