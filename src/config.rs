//! Settings: read once at start from `WM_*` environment variables, over an
//! optional TOML file named by `WM_CONFIG`, and validated before anything
//! else runs. Every error names the variable (or file key) that is wrong, so
//! an operator can fix it from one line of output.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use ipnet::IpNet;

use serde::Deserialize;

use crate::privacy::{Period, Purpose, RetentionOverrides};

/// A configuration problem, always attached to the variable that caused it.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
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
                "'{}' is not a database URL (expected sqlite://… or postgres://…)",
                redact(url)
            )),
            other => Err(format!(
                "unsupported scheme '{other}' (expected sqlite://… or postgres://…)"
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
    /// `WM_ANALYTICS_MIN_GROUP`: statistics rows of fewer visitors are merged
    /// into « Autres », so that no single person can be singled out.
    pub min_group: i64,
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
            min_group: 5,
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
        // The environment wins over the file, the file over the defaults.
        let pick = |var: &str, from_file: &Option<String>| -> Option<(String, String)> {
            match vars.get(var) {
                Some(value) => Some((var.to_owned(), value.clone())),
                None => from_file
                    .as_ref()
                    .map(|value| (format!("WM_CONFIG {}", file_key(var)), value.clone())),
            }
        };

        let data_dir = pick("WM_DATA_DIR", &file.data_dir)
            .map(|(_, v)| PathBuf::from(v))
            .unwrap_or_else(|| PathBuf::from("./data"));
        let mut settings = Self::defaults(data_dir);

        if let Some((var, value)) = pick("WM_BIND", &file.bind) {
            settings.bind = parse_bind(&value).map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick("WM_DATABASE_URL", &file.database_url) {
            if !value.trim().is_empty() {
                settings.database_url =
                    DatabaseUrl::parse(&value).map_err(|p| ConfigError::new(var, p))?;
            }
        }
        if let Some((var, value)) = pick(
            "WM_DB_MAX_CONNECTIONS",
            &file.db_max_connections.map(|n| n.to_string()),
        ) {
            settings.db_max_connections = number_in(&value, 1..=1000, "a number of connections")
                .map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((_, value)) = pick("WM_LOG", &file.log) {
            settings.log_filter = value;
        }
        if let Some((var, value)) = pick("WM_LOG_FORMAT", &file.log_format) {
            settings.log_format = match value.trim() {
                "pretty" => LogFormat::Pretty,
                "json" => LogFormat::Json,
                other => {
                    return Err(ConfigError::new(
                        var,
                        format!("'{other}' is not a log format (expected 'pretty' or 'json')"),
                    ))
                }
            };
        }
        if let Some((var, value)) = pick("WM_HTTPS", &file.https.map(|b| b.to_string())) {
            settings.https = parse_bool(&value).map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick("WM_WORKERS", &file.workers.map(|n| n.to_string())) {
            settings.workers = Some(
                number_in(&value, 1..=256, "a number of workers")
                    .map_err(|p| ConfigError::new(var, p))?,
            );
        }

        if let Some((var, value)) = pick("WM_ANALYTICS", &file.analytics.map(|b| b.to_string())) {
            settings.analytics = parse_bool(&value).map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick("WM_TRUSTED_PROXIES", &file.trusted_proxies) {
            settings.trusted_proxies =
                parse_networks(&value).map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick(
            "WM_ANALYTICS_QUERY_ALLOWLIST",
            &file.analytics_query_allowlist,
        ) {
            settings.query_allowlist =
                parse_parameter_names(&value).map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick(
            "WM_ANALYTICS_QUEUE",
            &file.analytics_queue.map(|n| n.to_string()),
        ) {
            settings.analytics_queue = number_in(&value, 16..=1_000_000, "a queue size")
                .map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick("WM_PURGE_INTERVAL", &file.purge_interval) {
            settings.purge_interval =
                parse_interval(&value).map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick("WM_PURGE_BATCH", &file.purge_batch.map(|n| n.to_string()))
        {
            settings.purge_batch = number_in(&value, 1..=100_000, "a batch size")
                .map_err(|p| ConfigError::new(var, p))?;
        }

        if let Some((var, value)) = pick("WM_METRICS_TOKEN", &file.metrics_token) {
            let token = value.trim();
            settings.metrics_token = match token.len() {
                0 => None,
                1..=15 => {
                    return Err(ConfigError::new(
                        var,
                        "is too short to protect anything (16 characters at least)",
                    ))
                }
                _ => Some(token.to_owned()),
            };
        }

        if let Some((var, value)) = pick("WM_SECRET_KEY", &file.secret_key) {
            let key = value.trim();
            settings.secret_key = match key.chars().count() {
                0 => None,
                1..=31 => {
                    return Err(ConfigError::new(
                        var,
                        "is too short to be a secret (32 characters at least; `openssl rand -base64 48` makes one)",
                    ))
                }
                _ => Some(key.to_owned()),
            };
        }
        if let Some((var, value)) = pick("WM_PUBLIC_URL", &file.public_url) {
            let url = value.trim();
            if !url.is_empty() {
                let has_host = url::Url::parse(url).is_ok_and(|u| u.host().is_some());
                if !(url.starts_with("http://") || url.starts_with("https://")) || !has_host {
                    return Err(ConfigError::new(
                        var,
                        format!("'{url}' is not an http(s) address (expected e.g. https://www.wemaintain.com)"),
                    ));
                }
                settings.public_url = Some(url.to_owned());
            }
        }
        if let Some((var, value)) = pick("WM_SMTP_URL", &file.smtp_url) {
            let url = value.trim();
            if !url.is_empty() {
                if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    return Err(ConfigError::new(
                        var,
                        "is not an SMTP address (expected smtp://host:587?tls=required or smtps://user:password@host)",
                    ));
                }
                settings.smtp_url = Some(url.to_owned());
            }
        }
        if let Some((var, value)) = pick("WM_MAIL_FROM", &file.mail_from) {
            settings.mail_from = parse_mailbox(&value).map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick("WM_STAFF_EMAIL", &file.staff_email) {
            settings.staff_email = value
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(parse_mailbox)
                .collect::<Result<_, _>>()
                .map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick(
            "WM_ANALYTICS_MIN_GROUP",
            &file.analytics_min_group.map(|n| n.to_string()),
        ) {
            settings.min_group = number_in(&value, 1..=1000, "a number of visitors")
                .map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick("WM_SESSION_IDLE", &file.session_idle) {
            settings.session_idle = parse_interval(&value).map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick("WM_SESSION_LIFETIME", &file.session_lifetime) {
            settings.session_lifetime =
                parse_interval(&value).map_err(|p| ConfigError::new(var, p))?;
        }
        if let Some((var, value)) = pick("WM_BODY_TIMEOUT", &file.body_timeout) {
            settings.body_timeout = parse_interval(&value).map_err(|p| ConfigError::new(var, p))?;
        }

        for (key, value) in &file.retention {
            let var = format!("WM_CONFIG [retention] {key}");
            let purpose = Purpose::parse(key).map_err(|p| ConfigError::new(&var, p))?;
            let period = Period::parse(value).map_err(|p| ConfigError::new(&var, p))?;
            settings.retention.set(purpose, period);
        }
        for (var, value) in vars {
            if let Some(key) = var.strip_prefix("WM_RETENTION_") {
                let purpose = Purpose::parse(&key.to_ascii_lowercase())
                    .map_err(|p| ConfigError::new(var, p))?;
                let period = Period::parse(value).map_err(|p| ConfigError::new(var, p))?;
                settings.retention.set(purpose, period);
            }
        }
        Ok(settings)
    }
}

/// The optional TOML file: the same settings, keys named like the variables
/// without their `WM_` prefix (`bind`, `database_url`, `[retention]`…).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    bind: Option<String>,
    data_dir: Option<String>,
    database_url: Option<String>,
    db_max_connections: Option<u32>,
    log: Option<String>,
    log_format: Option<String>,
    https: Option<bool>,
    workers: Option<usize>,
    analytics: Option<bool>,
    trusted_proxies: Option<String>,
    analytics_query_allowlist: Option<String>,
    analytics_queue: Option<usize>,
    purge_interval: Option<String>,
    purge_batch: Option<u32>,
    metrics_token: Option<String>,
    secret_key: Option<String>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    staff_email: Option<String>,
    analytics_min_group: Option<i64>,
    session_idle: Option<String>,
    session_lifetime: Option<String>,
    body_timeout: Option<String>,
    #[serde(default)]
    retention: BTreeMap<String, String>,
}

impl FileSettings {
    fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new(
                "WM_CONFIG",
                format!("cannot read '{}': {e}", path.display()),
            )
        })?;
        toml::from_str(&text).map_err(|e| {
            let message = e.message().to_owned();
            ConfigError::new(
                "WM_CONFIG",
                format!(
                    "'{}' is not a valid settings file: {message}",
                    path.display()
                ),
            )
        })
    }
}

fn file_key(var: &str) -> String {
    var.trim_start_matches("WM_").to_ascii_lowercase()
}

fn parse_bind(value: &str) -> Result<SocketAddr, String> {
    let value = value.trim();
    if let Ok(addr) = value.parse::<SocketAddr>() {
        return Ok(addr);
    }
    // Accept host names such as `localhost:8080` too, resolved once here.
    if value.contains(':') {
        if let Ok(mut addrs) = value.to_socket_addrs() {
            if let Some(addr) = addrs.next() {
                return Ok(addr);
            }
        }
    }
    Err(format!(
        "'{value}' is not an address to listen on (expected host:port, e.g. 127.0.0.1:8080)"
    ))
}

/// `10.0.0.0/8, 192.168.1.10` → networks (a bare address is its own /32 or /128).
fn parse_networks(value: &str) -> Result<Vec<IpNet>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| {
                    format!("'{item}' is not a network (expected CIDR such as 10.0.0.0/8)")
                })
        })
        .collect()
}

fn parse_parameter_names(value: &str) -> Result<Vec<String>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            if item
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            {
                Ok(item.to_owned())
            } else {
                Err(format!("'{item}' is not a query parameter name"))
            }
        })
        .collect()
}

/// A whole number within `range`, or a message saying what was expected.
fn number_in<T>(value: &str, range: RangeInclusive<T>, what: &str) -> Result<T, String>
where
    T: FromStr + PartialOrd + std::fmt::Display,
{
    match value.trim().parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "'{value}' is not {what} between {} and {}",
            range.start(),
            range.end()
        )),
    }
}

/// `90s`, `30m`, `1h`, `2d`.
fn parse_interval(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let invalid = || format!("'{value}' is not an interval (expected e.g. 30m, 1h, 1d)");
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(invalid)?;
    let (number, unit) = value.split_at(split);
    let n: u64 = number.parse().map_err(|_| invalid())?;
    let seconds = match unit.trim() {
        "s" => n,
        "m" | "min" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        "d" => n.saturating_mul(86_400),
        _ => return Err(invalid()),
    };
    if !(1..=30 * 86_400).contains(&seconds) {
        return Err(format!("'{value}' must be between 1s and 30d"));
    }
    Ok(Duration::from_secs(seconds))
}

/// `equipe@wemaintain.com` or `WeMaintain <equipe@wemaintain.com>`.
fn parse_mailbox(value: &str) -> Result<String, String> {
    let value = value.trim();
    value
        .parse::<lettre::message::Mailbox>()
        .map(|_| value.to_owned())
        .map_err(|_| format!("'{value}' is not an e-mail address"))
}

fn parse_bool(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" | "" => Ok(false),
        other => Err(format!("'{other}' is not true or false")),
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
        for (var, value) in [
            ("WM_SECRET_KEY", "short"),
            ("WM_PUBLIC_URL", "www.wemaintain.com"),
            ("WM_PUBLIC_URL", "https://"),
            ("WM_BODY_TIMEOUT", "soon"),
            ("WM_SMTP_URL", "mail.example.com"),
            ("WM_MAIL_FROM", "pas une adresse"),
            ("WM_STAFF_EMAIL", "a@b.fr, nope"),
            ("WM_SESSION_IDLE", "forever"),
            ("WM_ANALYTICS_MIN_GROUP", "0"),
        ] {
            let err = Settings::from_vars(&vars(&[(var, value)])).unwrap_err();
            assert_eq!(err.variable, var, "{value}");
        }
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
        for (var, value) in [
            ("WM_TRUSTED_PROXIES", "10.0.0.0/33"),
            ("WM_TRUSTED_PROXIES", "proxy.internal"),
            ("WM_ANALYTICS_QUERY_ALLOWLIST", "utm source"),
            ("WM_PURGE_INTERVAL", "0s"),
            ("WM_PURGE_INTERVAL", "hourly"),
            ("WM_ANALYTICS", "maybe"),
        ] {
            let err = Settings::from_vars(&vars(&[(var, value)])).unwrap_err();
            assert_eq!(err.variable, var, "{value}");
        }
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
    }
}
