//! Every setting declared once: its variable, TOML key, default, parser and
//! help. `Settings::from_vars`, the settings part of `wemaintain --help` and
//! the README's configuration table are all drawn from [`SETTINGS`].

use std::path::PathBuf;

use super::{parse, DatabaseUrl, Settings};

/// A setting's value applied to [`Settings`], or what it says is wrong.
type Apply = fn(&mut Settings, &str) -> Result<(), String>;

/// One setting of the site.
pub struct Setting {
    /// The environment variable, `WM_…`.
    pub var: &'static str,
    /// The key of the TOML file named by `WM_CONFIG` (empty: none).
    pub key: &'static str,
    pub default: DefaultValue,
    /// What the setting does, in the README's words.
    pub help: &'static str,
    pub(super) kind: Kind,
}

/// A setting's default: a value its parser reads, or a description.
pub enum DefaultValue {
    Value(&'static str),
    Described(&'static str),
}

/// How a setting is read.
pub(super) enum Kind {
    /// A TOML string, integer or boolean, or a variable, through a parser.
    Text(Apply),
    Integer(Apply),
    Boolean(Apply),
    /// `WM_CONFIG`: the file itself.
    File,
    /// `WM_RETENTION_<PURPOSE>` and the file's `[retention]` table.
    Retention,
}

impl Kind {
    pub(super) fn apply(&self) -> Option<Apply> {
        match self {
            Kind::Text(apply) | Kind::Integer(apply) | Kind::Boolean(apply) => Some(*apply),
            Kind::File | Kind::Retention => None,
        }
    }
}

use DefaultValue::{Described, Value};
use Kind::{Boolean, Integer, Text};

/// Every setting, in the order they are read and documented.
pub const SETTINGS: &[Setting] = &[
    Setting {
        var: "WM_CONFIG",
        key: "",
        default: Described("none"),
        help: "path of a TOML settings file",
        kind: Kind::File,
    },
    Setting {
        var: "WM_BIND",
        key: "bind",
        default: Value("127.0.0.1:8080"),
        help: "address to listen on (`host:port`)",
        kind: Text(|s, v| parse::bind(v).map(|x| s.bind = x)),
    },
    Setting {
        var: "WM_DATA_DIR",
        key: "data_dir",
        default: Value("./data"),
        help: "directory of the default SQLite file, created when missing",
        kind: Text(|s, v| {
            s.data_dir = PathBuf::from(v);
            Ok(())
        }),
    },
    Setting {
        var: "WM_DATABASE_URL",
        key: "database_url",
        default: Described("`sqlite://$WM_DATA_DIR/wemaintain.db`"),
        help: "`sqlite://FILE` or `postgres://USER:PASSWORD@HOST:PORT/DB`",
        kind: Text(|s, v| {
            if !v.trim().is_empty() {
                s.database_url = DatabaseUrl::parse(v)?;
            }
            Ok(())
        }),
    },
    Setting {
        var: "WM_DB_MAX_CONNECTIONS",
        key: "db_max_connections",
        default: Value("10"),
        help: "connections per instance (1–1000)",
        kind: Integer(|s, v| {
            parse::number_in(v, 1..=1000, "un nombre de connexions")
                .map(|x| s.db_max_connections = x)
        }),
    },
    Setting {
        var: "WM_LOG",
        key: "log",
        default: Value("info"),
        help: "tracing filter, e.g. `wemaintain=debug,info`",
        kind: Text(|s, v| {
            s.log_filter = v.to_owned();
            Ok(())
        }),
    },
    Setting {
        var: "WM_LOG_FORMAT",
        key: "log_format",
        default: Value("pretty"),
        help: "`pretty` or `json` (one JSON object per line)",
        kind: Text(|s, v| parse::log_format(v).map(|x| s.log_format = x)),
    },
    Setting {
        var: "WM_HTTPS",
        key: "https",
        default: Value("true"),
        help: "the site is served over TLS (by a proxy): cookies are `Secure` and HSTS is sent. Set `false` to reach the site over plain http from another machine, or from a browser that refuses `Secure` cookies over http (some Safari versions); Chrome and Firefox accept them from `http://127.0.0.1`, so the default works locally",
        kind: Boolean(|s, v| parse::boolean(v).map(|x| s.https = x)),
    },
    Setting {
        var: "WM_WORKERS",
        key: "workers",
        default: Described("number of cores"),
        help: "HTTP worker threads",
        kind: Integer(|s, v| {
            parse::number_in(v, 1..=256, "un nombre de processus").map(|x| s.workers = Some(x))
        }),
    },
    Setting {
        var: "WM_ANALYTICS",
        key: "analytics",
        default: Value("on"),
        help: "the visitor-log middleware; `off` only for comparison runs",
        kind: Boolean(|s, v| parse::boolean(v).map(|x| s.analytics = x)),
    },
    Setting {
        var: "WM_TRUSTED_PROXIES",
        key: "trusted_proxies",
        default: Described("none"),
        help: "comma-separated CIDRs (or addresses) of the proxies whose `X-Forwarded-For` is believed",
        kind: Text(|s, v| parse::networks(v).map(|x| s.trusted_proxies = x)),
    },
    Setting {
        var: "WM_ANALYTICS_QUERY_ALLOWLIST",
        key: "analytics_query_allowlist",
        default: Value("utm_source,utm_medium,utm_campaign"),
        help: "query parameters kept in logged URLs; every other one is dropped",
        kind: Text(|s, v| parse::parameter_names(v).map(|x| s.query_allowlist = x)),
    },
    Setting {
        var: "WM_ANALYTICS_QUEUE",
        key: "analytics_queue",
        default: Value("65536"),
        help: "visitor events waiting for the writer, at most; beyond, events are dropped and counted",
        kind: Integer(|s, v| {
            parse::number_in(v, 16..=1_000_000, "une taille de file").map(|x| s.analytics_queue = x)
        }),
    },
    Setting {
        var: "WM_PURGE_INTERVAL",
        key: "purge_interval",
        default: Value("1h"),
        help: "time between two purges in the server (`30m`, `1h`, `1d`; the first runs at start)",
        kind: Text(|s, v| parse::interval(v).map(|x| s.purge_interval = x)),
    },
    Setting {
        var: "WM_PURGE_BATCH",
        key: "purge_batch",
        default: Value("2000"),
        help: "rows deleted per statement by the purge",
        kind: Integer(|s, v| {
            parse::number_in(v, 1..=100_000, "une taille de lot").map(|x| s.purge_batch = x)
        }),
    },
    Setting {
        var: "WM_METRICS_TOKEN",
        key: "metrics_token",
        default: Described("none"),
        help: "when set (16 characters at least), `/metrics` asks for `Authorization: Bearer <token>`, from anywhere. When unset, `/metrics` answers only a scraper on the machine itself (socket peer on loopback, no `X-Forwarded-For`/`Forwarded`/`X-Real-IP`, peer not in `WM_TRUSTED_PROXIES`) and 404 to everyone else: behind a proxy on the same machine, set a token",
        kind: Text(|s, v| parse::metrics_token(v).map(|x| s.metrics_token = x)),
    },
    Setting {
        var: "WM_SECRET_KEY",
        key: "secret_key",
        default: Described("generated"),
        help: "32 characters at least: encrypts the session cookie, signs CSRF tokens. When unset, a random key is generated once into `WM_DATA_DIR/secret.key` (mode 600) so restarts keep sessions; instances sharing a database must share this key",
        kind: Text(|s, v| parse::secret_key(v).map(|x| s.secret_key = x)),
    },
    Setting {
        var: "WM_PUBLIC_URL",
        key: "public_url",
        default: Described("`http://` + the address bound"),
        help: "the site's address as people reach it: links in e-mails, and the only origin whose forms are accepted. Required when `WM_BIND` listens on every address (`0.0.0.0`, `::`), and behind a TLS proxy (`https://www.wemaintain.com`)",
        kind: Text(|s, v| parse::public_url(v).map(|x| s.public_url = x)),
    },
    Setting {
        var: "WM_SMTP_URL",
        key: "smtp_url",
        default: Described("none"),
        help: "`smtps://user:password@host` or `smtp://host:587?tls=required`; when unset, e-mails are written to `WM_DATA_DIR/outbox/*.eml`",
        kind: Text(|s, v| parse::smtp_url(v).map(|x| s.smtp_url = x)),
    },
    Setting {
        var: "WM_MAIL_FROM",
        key: "mail_from",
        default: Value("WeMaintain <ne-pas-repondre@wemaintain.com>"),
        help: "sender of the site's e-mails",
        kind: Text(|s, v| parse::mailbox(v).map(|x| s.mail_from = x)),
    },
    Setting {
        var: "WM_STAFF_EMAIL",
        key: "staff_email",
        default: Described("the active `admin` accounts"),
        help: "comma-separated addresses told of new sign-ups, questions and applications",
        kind: Text(|s, v| parse::mailboxes(v).map(|x| s.staff_email = x)),
    },
    Setting {
        var: "WM_EMERGENCY_PHONE",
        key: "emergency_phone",
        default: Described("none"),
        help: "the on-call number a client calls when a person is stuck in a lift (`01 23 45 67 89`, or `+32 2 555 12 12` abroad): shown as a `tel:` link in the header, on the maintenance request form next to « Personne bloquée » and in the e-mails about urgent requests. When unset, start-up logs a warning and no page promises an on-call line",
        kind: Text(|s, v| parse::emergency_phone(v).map(|x| s.emergency_phone = x)),
    },
    Setting {
        var: "WM_ANALYTICS_MIN_GROUP",
        key: "analytics_min_group",
        default: Value("5"),
        help: "statistics rows (and chart points) of fewer visitors are merged into « Autres » (or not shown), so that no single person can be singled out",
        kind: Integer(|s, v| {
            parse::number_in(v, 1..=1000, "un nombre de visiteurs").map(|x| s.min_group = x)
        }),
    },
    Setting {
        var: "WM_ANALYTICS_GOALS",
        key: "analytics_goals",
        default: Described("the site's confirmation pages"),
        help: "more goals of the statistics, after the site's confirmation pages (`/contact/envoye`, `/inscription/envoyee`, `/techniciens/envoye`, `/profil/propositions/{id}/envoyee`): comma-separated `Name=/path` or `/path`; a segment `{id}` matches any number",
        kind: Text(|s, v| {
            let goals = std::mem::take(&mut s.analytics_goals);
            goals.with_goals(v).map(|x| s.analytics_goals = x)
        }),
    },
    Setting {
        var: "WM_ANALYTICS_FUNNELS",
        key: "analytics_funnels",
        default: Described("`Contact=/, /services > /contact > /contact/envoye`"),
        help: "more funnels of the statistics, after the default one: `;`-separated `Name=step > step > …`, at least two steps, a step being a path or several separated by `,` (any of them)",
        kind: Text(|s, v| {
            let goals = std::mem::take(&mut s.analytics_goals);
            goals.with_funnels(v).map(|x| s.analytics_goals = x)
        }),
    },
    Setting {
        var: "WM_SESSION_IDLE",
        key: "session_idle",
        default: Value("2h"),
        help: "a session unused this long ends",
        kind: Text(|s, v| parse::interval(v).map(|x| s.session_idle = x)),
    },
    Setting {
        var: "WM_SESSION_LIFETIME",
        key: "session_lifetime",
        default: Value("12h"),
        help: "a session ends this long after login, used or not",
        kind: Text(|s, v| parse::interval(v).map(|x| s.session_lifetime = x)),
    },
    Setting {
        var: "WM_BODY_TIMEOUT",
        key: "body_timeout",
        default: Value("10s"),
        help: "a request body (a form) must arrive whole within this time after its head, else 408 « Envoi trop lent »",
        kind: Text(|s, v| parse::interval(v).map(|x| s.body_timeout = x)),
    },
    Setting {
        var: "WM_RETENTION_<PURPOSE>",
        key: "[retention] <purpose>",
        default: Described("see below"),
        help: "replaces a purpose's retention period: `90 days`, `13 months`, `3 years` (also `jours`, `mois`, `ans`)",
        kind: Kind::Retention,
    },
];

/// The settings part of `wemaintain --help`.
pub fn help_text() -> String {
    let mut text = wrap(
        "Les réglages viennent des variables d'environnement WM_*, par-dessus un fichier TOML \
         facultatif désigné par WM_CONFIG (l'environnement l'emporte sur le fichier, le fichier \
         sur les valeurs par défaut) :",
        78,
    )
    .join("\n");
    text.push('\n');
    for setting in SETTINGS {
        let default = match setting.default {
            Value(value) => value,
            Described(value) => super::french::default(value),
        };
        text.push_str(&format!("\n  {}  (par défaut : {default})\n", setting.var));
        let help = super::french::help(setting.var).unwrap_or(setting.help);
        for line in wrap(help, 72) {
            text.push_str(&format!("      {line}\n"));
        }
    }
    text.replace('`', "")
}

/// `text` cut into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// The README's configuration table, in Markdown.
pub fn markdown_table() -> String {
    let mut table =
        String::from("| variable | TOML key | default | meaning |\n|---|---|---|---|\n");
    for setting in SETTINGS {
        let key = match setting.key {
            "" => "—".to_owned(),
            key => format!("`{key}`"),
        };
        let default = match setting.default {
            Value(value) => format!("`{value}`"),
            Described(text) => text.to_owned(),
        };
        table.push_str(&format!(
            "| `{}` | {key} | {default} | {} |\n",
            setting.var, setting.help
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's table is the one drawn from [`SETTINGS`]: on a change of
    /// a setting, paste the table this test prints into the README.
    #[test]
    fn the_readme_table_is_the_generated_one() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
            .expect("README.md");
        let generated = markdown_table();
        let header = generated.lines().next().unwrap();
        let start = readme
            .find(header)
            .expect("the configuration table in README.md");
        let end = readme[start..]
            .find("\n\n")
            .map_or(readme.len(), |end| start + end + 1);
        assert!(
            readme[start..end] == generated,
            "README.md's configuration table differs from the settings; it should read:\n\n{generated}"
        );
    }

    /// Each default written as a value is the one `Settings::defaults` holds.
    #[test]
    fn the_documented_defaults_are_the_defaults() {
        let defaults = Settings::defaults(PathBuf::from("./data"));
        for setting in SETTINGS {
            if let (Value(value), Some(apply)) = (&setting.default, setting.kind.apply()) {
                let mut settings = defaults.clone();
                apply(&mut settings, value).unwrap();
                assert_eq!(
                    format!("{settings:?}"),
                    format!("{defaults:?}"),
                    "{}",
                    setting.var
                );
            }
        }
    }

    #[test]
    fn every_variable_and_key_is_named_once() {
        let mut names: Vec<&str> = SETTINGS.iter().flat_map(|s| [s.var, s.key]).collect();
        names.retain(|name| !name.is_empty());
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
