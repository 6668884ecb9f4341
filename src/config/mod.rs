//! Settings: read once at start from `WM_*` environment variables, over an
//! optional TOML file named by `WM_CONFIG`, and validated before anything
//! else runs. Every error names the variable (or file key) that is wrong, so
//! an operator can fix it from one line of output.

mod file;
mod french;
mod parse;
mod table;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ipnet::IpNet;

use crate::privacy::{Period, Purpose, RetentionOverrides};

use file::FileSettings;
pub use table::{help_text, markdown_table, DefaultValue, Setting, SETTINGS};

/// A configuration problem, always attached to the variable that caused it.
#[derive(Debug, thiserror::Error)]
#[error("{variable} : {problem}")]
pub struct ConfigError {
    pub variable: String,
    pub problem: String,
}

impl ConfigError {
    pub fn new(variable: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            variable: variable.into(),
            problem: problem.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Which database the site runs on; the scheme of `WM_DATABASE_URL` decides.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let scheme = url.split_once(':').map(|(scheme, _)| scheme).unwrap_or("");
        match scheme {
            "sqlite" => Ok(Self::Sqlite(url.to_owned())),
            "postgres" | "postgresql" => Ok(Self::Postgres(url.to_owned())),
            "" => Err(format!(
                "« {} » n'est pas l'adresse d'une base (attendu : sqlite://… ou postgres://…)",
                redact(url)
            )),
            other => Err(format!(
                "base « {other} » non prise en charge (attendu : sqlite://… ou postgres://…)"
            )),
        }
    }

    pub fn sqlite_file(path: &Path) -> Self {
        Self::Sqlite(format!("sqlite://{}", path.display()))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Sqlite(url) | Self::Postgres(url) => url,
        }
    }
}

/// Never print a database password, not even in an error.
impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", redact(self.as_str()))
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `WM_BIND`: where the HTTP server listens.
    pub bind: SocketAddr,
    /// `WM_DATA_DIR`: where the default SQLite file lives.
    pub data_dir: PathBuf,
    /// `WM_DATABASE_URL`.
    pub database_url: DatabaseUrl,
    /// `WM_DB_MAX_CONNECTIONS`.
    pub db_max_connections: u32,
    /// `WM_LOG`: a tracing filter such as `info` or `wemaintain=debug,info`.
    pub log_filter: String,
    /// `WM_LOG_FORMAT`.
    pub log_format: LogFormat,
    /// `WM_HTTPS`: the site is served over TLS (by a proxy): cookies are
    /// marked `Secure` and HSTS is sent. On by default; `false` for plain
    /// http on a network (browsers accept Secure cookies from 127.0.0.1).
    pub https: bool,
    /// `WM_WORKERS`: HTTP worker threads; the number of cores when unset.
    pub workers: Option<usize>,
    /// `WM_RETENTION_<PURPOSE>`: retention periods that replace the defaults.
    pub retention: RetentionOverrides,
    /// `WM_ANALYTICS`: the visitor-log middleware; `off` only for comparison runs.
    pub analytics: bool,
    /// `WM_TRUSTED_PROXIES`: peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// `WM_ANALYTICS_QUERY_ALLOWLIST`: query parameters kept in logged URLs.
    pub query_allowlist: Vec<String>,
    /// `WM_ANALYTICS_QUEUE`: visitor events waiting for the writer, at most.
    pub analytics_queue: usize,
    /// `WM_PURGE_INTERVAL`: time between two purges in the server.
    pub purge_interval: Duration,
    /// `WM_PURGE_BATCH`: rows deleted per statement by the purge.
    pub purge_batch: u32,
    /// `WM_METRICS_TOKEN`: when set, `/metrics` asks for it as a bearer token.
    pub metrics_token: Option<String>,
    /// `WM_SECRET_KEY`: encrypts session cookies and signs CSRF tokens. When
    /// unset, a key is generated once and kept in `WM_DATA_DIR/secret.key`.
    pub secret_key: Option<String>,
    /// `WM_PUBLIC_URL`: the site's address as visitors reach it, for links in
    /// e-mails, and the only origin whose forms are accepted;
    /// `http://WM_BIND` when unset.
    pub public_url: Option<String>,
    /// `WM_SMTP_URL`: where e-mail goes (`smtps://user:password@host`); when
    /// unset, each message is written to `WM_DATA_DIR/outbox/` instead.
    pub smtp_url: Option<String>,
    /// `WM_MAIL_FROM`: the sender of the site's e-mails.
    pub mail_from: String,
    /// `WM_STAFF_EMAIL`: who is told of new registrations and messages; the
    /// active `admin` accounts when unset.
    pub staff_email: Vec<String>,
    /// `WM_EMERGENCY_PHONE`: the on-call number; `None` when unset, and no
    /// page then promises an on-call line.
    pub emergency_phone: Option<crate::domain::EmergencyPhone>,
    /// `WM_ANALYTICS_MIN_GROUP`: statistics rows of fewer visitors are merged
    /// into « Autres », so that no single person can be singled out.
    pub min_group: i64,
    /// `WM_ANALYTICS_GOALS` and `WM_ANALYTICS_FUNNELS`, after the defaults.
    pub analytics_goals: crate::analytics::goals::Goals,
    /// `WM_SESSION_IDLE`: a session unused this long ends.
    pub session_idle: Duration,
    /// `WM_SESSION_LIFETIME`: a session ends this long after login, used or not.
    pub session_lifetime: Duration,
    /// `WM_BODY_TIMEOUT`: the whole body of a request must arrive within
    /// this time after its head, or the request gets 408.
    pub body_timeout: Duration,
}

impl Settings {
    /// Defaults for a given data directory, as a fresh machine gets them.
    pub fn defaults(data_dir: PathBuf) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: DatabaseUrl::sqlite_file(&data_dir.join("wemaintain.db")),
            data_dir,
            db_max_connections: 10,
            log_filter: "info".to_owned(),
            log_format: LogFormat::Pretty,
            https: true,
            workers: None,
            retention: RetentionOverrides::default(),
            analytics: true,
            trusted_proxies: Vec::new(),
            query_allowlist: ["utm_source", "utm_medium", "utm_campaign"]
                .map(str::to_owned)
                .to_vec(),
            analytics_queue: 65_536,
            purge_interval: Duration::from_secs(3600),
            purge_batch: 2_000,
            metrics_token: None,
            secret_key: None,
            public_url: None,
            smtp_url: None,
            mail_from: "WeMaintain <ne-pas-repondre@wemaintain.com>".to_owned(),
            staff_email: Vec::new(),
            emergency_phone: None,
            min_group: 5,
            analytics_goals: crate::analytics::goals::Goals::default(),
            session_idle: Duration::from_secs(2 * 3600),
            session_lifetime: Duration::from_secs(12 * 3600),
            body_timeout: Duration::from_secs(10),
        }
    }

    /// The site's public address, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            // The server itself speaks plain http; TLS is a proxy's, at
            // the proxy's address.
            None => format!("http://{}", self.bind),
        }
    }

    /// Reads the process environment (and `WM_CONFIG`, when set).
    pub fn from_env() -> Result<Self, ConfigError> {
        let vars: HashMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, _)| k.starts_with("WM_"))
            .collect();
        Self::from_vars(&vars)
    }

    /// The same as [`Settings::from_env`] for a given set of variables.
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let file = match vars.get("WM_CONFIG").filter(|p| !p.trim().is_empty()) {
            Some(path) => FileSettings::load(Path::new(path))?,
            None => FileSettings::default(),
        };
        let sources = Sources { vars, file: &file };
        let data_dir = sources
            .pick(DATA_DIR)
            .map(|(_, v)| PathBuf::from(v))
            .unwrap_or_else(|| PathBuf::from("./data"));
        let mut settings = Self::defaults(data_dir);
        for setting in SETTINGS {
            let Some(apply) = setting.kind.apply() else {
                continue;
            };
            if let Some((var, value)) = sources.pick(setting.var) {
                apply(&mut settings, &value).map_err(|p| ConfigError::new(var, p))?;
            }
        }
        settings.read_retention(&file, vars)?;
        Ok(settings)
    }

    /// `WM_RETENTION_<PURPOSE>` over the file's `[retention]` table.
    fn read_retention(
        &mut self,
        file: &FileSettings,
        vars: &HashMap<String, String>,
    ) -> Result<(), ConfigError> {
        let from_file = file
            .retention
            .iter()
            .map(|(key, value)| (format!("WM_CONFIG [retention] {key}"), key.clone(), value));
        let from_vars = vars.iter().filter_map(|(var, value)| {
            let key = var.strip_prefix("WM_RETENTION_")?.to_ascii_lowercase();
            Some((var.clone(), key, value))
        });
        for (var, key, value) in from_file.chain(from_vars) {
            let purpose = Purpose::parse(&key).map_err(|p| ConfigError::new(&var, p))?;
            let period = Period::parse(value).map_err(|p| ConfigError::new(&var, p))?;
            self.retention.set(purpose, period);
        }
        Ok(())
    }
}

const DATA_DIR: &str = "WM_DATA_DIR";

/// Where a setting's text comes from: the environment wins over the file.
struct Sources<'a> {
    vars: &'a HashMap<String, String>,
    file: &'a FileSettings,
}

impl Sources<'_> {
    /// The text of `var` and the name to quote in an error.
    fn pick(&self, var: &str) -> Option<(String, String)> {
        if let Some(value) = self.vars.get(var) {
            return Some((var.to_owned(), value.clone()));
        }
        let value = self.file.values.iter().find(|value| value.var == var)?;
        Some((format!("WM_CONFIG {}", value.key), value.text.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Each value alone is refused, with an error naming its variable.
    fn assert_each_refused(cases: &[(&str, &str)]) {
        for &(var, value) in cases {
            let err = Settings::from_vars(&vars(&[(var, value)])).unwrap_err();
            assert_eq!(err.variable, var, "{value}");
        }
    }

    #[test]
    fn defaults_use_a_sqlite_file_under_the_data_dir() {
        let s = Settings::from_vars(&vars(&[])).unwrap();
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(
            s.database_url,
            DatabaseUrl::Sqlite("sqlite://./data/wemaintain.db".into())
        );
        assert_eq!(s.log_format, LogFormat::Pretty);
        assert!(s.https, "cookies are Secure unless WM_HTTPS=false");
        assert_eq!(s.public_url(), "http://127.0.0.1:8080");
        assert_eq!(s.body_timeout, Duration::from_secs(10));
        assert!(s.secret_key.is_none() && s.smtp_url.is_none());
    }

    #[test]
    fn errors_name_the_variable() {
        let err = Settings::from_vars(&vars(&[("WM_BIND", "nowhere")])).unwrap_err();
        assert_eq!(err.variable, "WM_BIND");
        let err = Settings::from_vars(&vars(&[("WM_DATABASE_URL", "mysql://x/y")])).unwrap_err();
        assert_eq!(err.variable, "WM_DATABASE_URL");
        assert!(err.problem.contains("mysql"), "{err}");
        let err = Settings::from_vars(&vars(&[("WM_LOG_FORMAT", "xml")])).unwrap_err();
        assert_eq!(err.variable, "WM_LOG_FORMAT");
        let err = Settings::from_vars(&vars(&[("WM_RETENTION_AUDIENCE", "soon")])).unwrap_err();
        assert_eq!(err.variable, "WM_RETENTION_AUDIENCE");
        let err = Settings::from_vars(&vars(&[("WM_RETENTION_FOO", "1 day")])).unwrap_err();
        assert_eq!(err.variable, "WM_RETENTION_FOO");
        assert_each_refused(&[
            ("WM_SECRET_KEY", "short"),
            ("WM_PUBLIC_URL", "www.wemaintain.com"),
            ("WM_PUBLIC_URL", "https://"),
            ("WM_BODY_TIMEOUT", "soon"),
            ("WM_SMTP_URL", "mail.example.com"),
            ("WM_MAIL_FROM", "pas une adresse"),
            ("WM_STAFF_EMAIL", "a@b.fr, nope"),
            ("WM_SESSION_IDLE", "forever"),
            ("WM_ANALYTICS_MIN_GROUP", "0"),
        ]);
    }

    #[test]
    fn analytics_settings_parse() {
        let s = Settings::from_vars(&vars(&[
            ("WM_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.10 ,::1"),
            ("WM_ANALYTICS_QUERY_ALLOWLIST", "utm_source,ref"),
            ("WM_ANALYTICS", "off"),
            ("WM_PURGE_INTERVAL", "30m"),
        ]))
        .unwrap();
        assert_eq!(s.trusted_proxies.len(), 3);
        assert_eq!(s.trusted_proxies[1].to_string(), "192.168.1.10/32");
        assert_eq!(s.query_allowlist, vec!["utm_source", "ref"]);
        assert!(!s.analytics);
        assert_eq!(s.purge_interval, Duration::from_secs(1800));
        let d = Settings::from_vars(&vars(&[])).unwrap();
        assert!(d.analytics);
        assert_eq!(d.purge_interval, Duration::from_secs(3600));
        assert_each_refused(&[
            ("WM_TRUSTED_PROXIES", "10.0.0.0/33"),
            ("WM_TRUSTED_PROXIES", "proxy.internal"),
            ("WM_ANALYTICS_QUERY_ALLOWLIST", "utm source"),
            ("WM_PURGE_INTERVAL", "0s"),
            ("WM_PURGE_INTERVAL", "hourly"),
            ("WM_ANALYTICS", "maybe"),
            ("WM_ANALYTICS_GOALS", "Devis=devis"),
            ("WM_ANALYTICS_FUNNELS", "Seul=/contact"),
        ]);
    }

    #[test]
    fn goals_and_funnels_add_to_the_defaults_and_bad_ones_stop_the_start() {
        let s = Settings::from_vars(&vars(&[
            ("WM_ANALYTICS_GOALS", "Devis=/devis/merci"),
            (
                "WM_ANALYTICS_FUNNELS",
                "Devis=/services > /devis, /devis/nouveau > /devis/merci",
            ),
        ]))
        .unwrap();
        let goals = &s.analytics_goals;
        assert_eq!((goals.goals.len(), goals.funnels.len()), (5, 2));
        assert_eq!(goals.funnels[1].steps[1], ["/devis", "/devis/nouveau"]);
        let error = Settings::from_vars(&vars(&[("WM_ANALYTICS_FUNNELS", "Devis=/a")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("au moins deux étapes"), "{error}");
    }

    #[test]
    fn postgres_urls_select_postgres_and_are_redacted_in_debug() {
        let s = Settings::from_vars(&vars(&[(
            "WM_DATABASE_URL",
            "postgres://wm:secret@db.internal/wemaintain",
        )]))
        .unwrap();
        assert!(matches!(s.database_url, DatabaseUrl::Postgres(_)));
        let shown = format!("{:?}", s.database_url);
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn file_settings_are_read_and_the_environment_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wm.toml");
        std::fs::write(
            &path,
            "bind = \"127.0.0.1:9000\"\nlog_format = \"json\"\n[retention]\nsecurity = \"3 months\"\n",
        )
        .unwrap();
        let s = Settings::from_vars(&vars(&[
            ("WM_CONFIG", path.to_str().unwrap()),
            ("WM_BIND", "127.0.0.1:9001"),
        ]))
        .unwrap();
        assert_eq!(s.bind.port(), 9001);
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.retention.get(Purpose::Security), Some(Period::Months(3)));

        std::fs::write(&path, "colour = \"blue\"\n").unwrap();
        let err = Settings::from_vars(&vars(&[("WM_CONFIG", path.to_str().unwrap())])).unwrap_err();
        assert_eq!(err.variable, "WM_CONFIG");
        assert!(err.problem.contains("colour"), "{err}");

        // Each key takes its TOML type: a number is not a string.
        for text in ["workers = \"four\"\n", "https = \"yes\"\n", "bind = 8080\n"] {
            std::fs::write(&path, text).unwrap();
            let err =
                Settings::from_vars(&vars(&[("WM_CONFIG", path.to_str().unwrap())])).unwrap_err();
            assert_eq!(err.variable, "WM_CONFIG", "{text}");
            assert!(err.problem.contains("type incorrect"), "{err}");
        }
        // A bad value in the file names its key.
        std::fs::write(&path, "workers = 0\nanalytics = false\n").unwrap();
        let err = Settings::from_vars(&vars(&[("WM_CONFIG", path.to_str().unwrap())])).unwrap_err();
        assert_eq!(err.variable, "WM_CONFIG workers");
        std::fs::write(&path, "workers = 4\nanalytics = false\n").unwrap();
        let s = Settings::from_vars(&vars(&[("WM_CONFIG", path.to_str().unwrap())])).unwrap();
        assert_eq!((s.workers, s.analytics), (Some(4), false));
    }

    #[test]
    fn the_help_lists_every_setting() {
        let help = help_text();
        for setting in SETTINGS {
            assert!(help.contains(setting.var), "{}", setting.var);
        }
        assert!(
            help.lines().all(|line| line.chars().count() <= 100),
            "{help}"
        );
    }
}
