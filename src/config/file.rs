//! The optional TOML file named by `WM_CONFIG`: the same settings, under
//! the keys of [`SETTINGS`], and a `[retention]` table.

use std::collections::BTreeMap;
use std::path::Path;

use super::table::{Kind, SETTINGS};
use super::ConfigError;

/// The file's values, as text for the settings' parsers.
#[derive(Debug, Default)]
pub(super) struct FileSettings {
    pub values: Vec<FileValue>,
    /// Purpose key → retention period.
    pub retention: BTreeMap<String, String>,
}

#[derive(Debug)]
pub(super) struct FileValue {
    pub var: &'static str,
    pub key: &'static str,
    pub text: String,
}

impl FileSettings {
    pub(super) fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new(
                "WM_CONFIG",
                format!("impossible de lire « {} » : {e}", path.display()),
            )
        })?;
        Self::parse(&text).map_err(|message| {
            ConfigError::new(
                "WM_CONFIG",
                format!(
                    "« {} » n'est pas un fichier de réglages valable : {message}",
                    path.display()
                ),
            )
        })
    }

    fn parse(text: &str) -> Result<Self, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        let mut file = Self::default();
        for (key, value) in table {
            if key == "retention" {
                file.retention = retention(value)?;
                continue;
            }
            let setting = SETTINGS
                .iter()
                .find(|setting| setting.key == key && setting.kind.apply().is_some())
                .ok_or_else(|| format!("réglage inconnu : `{key}`"))?;
            let text = match (&setting.kind, value) {
                (Kind::Text(_), toml::Value::String(text)) => text,
                (Kind::Integer(_), toml::Value::Integer(n)) => n.to_string(),
                (Kind::Boolean(_), toml::Value::Boolean(b)) => b.to_string(),
                (kind, value) => {
                    return Err(format!(
                        "`{key}` : type incorrect : {}, attendu : {}",
                        value.type_str(),
                        kind.toml_type()
                    ))
                }
            };
            file.values.push(FileValue {
                var: setting.var,
                key: setting.key,
                text,
            });
        }
        Ok(file)
    }
}

fn retention(value: toml::Value) -> Result<BTreeMap<String, String>, String> {
    let toml::Value::Table(table) = value else {
        return Err("`retention` doit être une table de durées".to_owned());
    };
    table
        .into_iter()
        .map(|(key, value)| match value {
            toml::Value::String(period) => Ok((key, period)),
            other => Err(format!(
                "`retention.{key}` : type incorrect : {}, attendu : une chaîne",
                other.type_str()
            )),
        })
        .collect()
}

impl Kind {
    fn toml_type(&self) -> &'static str {
        match self {
            Kind::Integer(_) => "un entier",
            Kind::Boolean(_) => "un booléen",
            _ => "une chaîne",
        }
    }
}
