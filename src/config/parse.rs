//! The parsers of setting values: each turns the text of one variable (or
//! TOML key) into its value, or says in one phrase what was expected.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

use ipnet::IpNet;

use super::LogFormat;
use crate::domain::EmergencyPhone;

pub(super) fn bind(value: &str) -> Result<SocketAddr, String> {
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
        "« {value} » n'est pas une adresse d'écoute (attendu : hôte:port, par exemple 127.0.0.1:8080)"
    ))
}

/// The items of a comma-separated list, trimmed, empty ones skipped.
fn list<T>(value: &str, item: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(item)
        .collect()
}

/// `10.0.0.0/8, 192.168.1.10` → networks (a bare address is its own /32 or /128).
pub(super) fn networks(value: &str) -> Result<Vec<IpNet>, String> {
    list(value, |item| {
        item.parse::<IpNet>()
            .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
            .map(|net| net.trunc())
            .map_err(|_| format!("« {item} » n'est pas un réseau (attendu : notation CIDR, par exemple 10.0.0.0/8)"))
    })
}

pub(super) fn parameter_names(value: &str) -> Result<Vec<String>, String> {
    list(value, |item| {
        if item
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            Ok(item.to_owned())
        } else {
            Err(format!(
                "« {item} » n'est pas un nom de paramètre d'adresse"
            ))
        }
    })
}

/// `equipe@wemaintain.com, WeMaintain <contact@wemaintain.com>`.
pub(super) fn mailboxes(value: &str) -> Result<Vec<String>, String> {
    list(value, mailbox)
}

/// A whole number within `range`, or a message saying what was expected.
pub(super) fn number_in<T>(value: &str, range: RangeInclusive<T>, what: &str) -> Result<T, String>
where
    T: FromStr + PartialOrd + std::fmt::Display,
{
    match value.trim().parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "« {value} » n'est pas {what} entre {} et {}",
            range.start(),
            range.end()
        )),
    }
}

/// `90s`, `30m`, `1h`, `2d`.
pub(super) fn interval(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let invalid = || format!("« {value} » n'est pas une durée (attendu par exemple : 30m, 1h, 1d)");
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
        return Err(format!("« {value} » doit être comprise entre 1s et 30d"));
    }
    Ok(Duration::from_secs(seconds))
}

/// `equipe@wemaintain.com` or `WeMaintain <equipe@wemaintain.com>`.
pub(super) fn mailbox(value: &str) -> Result<String, String> {
    let value = value.trim();
    value
        .parse::<lettre::message::Mailbox>()
        .map(|_| value.to_owned())
        .map_err(|_| format!("« {value} » n'est pas une adresse e-mail"))
}

pub(super) fn boolean(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" | "" => Ok(false),
        other => Err(format!("« {other} » n'est ni true ni false")),
    }
}

pub(super) fn log_format(value: &str) -> Result<LogFormat, String> {
    match value.trim() {
        "pretty" => Ok(LogFormat::Pretty),
        "json" => Ok(LogFormat::Json),
        other => Err(format!(
            "« {other} » n'est pas un format de journal (attendu : pretty ou json)"
        )),
    }
}

/// `WM_METRICS_TOKEN`: empty means none.
pub(super) fn metrics_token(value: &str) -> Result<Option<String>, String> {
    match value.trim() {
        "" => Ok(None),
        token if token.len() < 16 => {
            Err("trop court pour protéger quoi que ce soit (16 caractères au moins)".to_owned())
        }
        token => Ok(Some(token.to_owned())),
    }
}

/// `WM_SECRET_KEY`: empty means none (a key is then generated).
pub(super) fn secret_key(value: &str) -> Result<Option<String>, String> {
    match value.trim() {
        "" => Ok(None),
        key if key.chars().count() < 32 => {
            Err("trop courte pour être un secret (32 caractères au moins ; \
             `openssl rand -base64 48` en fabrique une)"
                .to_owned())
        }
        key => Ok(Some(key.to_owned())),
    }
}

/// `WM_PUBLIC_URL`: an http(s) address with a host; empty means none.
pub(super) fn public_url(value: &str) -> Result<Option<String>, String> {
    let url = value.trim();
    let has_scheme = url.starts_with("http://") || url.starts_with("https://");
    match url {
        "" => Ok(None),
        _ if has_scheme && url::Url::parse(url).is_ok_and(|u| u.host().is_some()) => {
            Ok(Some(url.to_owned()))
        }
        _ => Err(format!(
            "« {url} » n'est pas une adresse http(s) (attendu par exemple : https://www.wemaintain.com)"
        )),
    }
}

/// `WM_SMTP_URL`: `smtp://…` or `smtps://…`; empty means none.
pub(super) fn smtp_url(value: &str) -> Result<Option<String>, String> {
    match value.trim() {
        "" => Ok(None),
        url if url.starts_with("smtp://") || url.starts_with("smtps://") => {
            Ok(Some(url.to_owned()))
        }
        _ => Err(
            "n'est pas une adresse SMTP (attendu : smtp://hôte:587?tls=required ou \
                  smtps://utilisateur:mot-de-passe@hôte)"
                .to_owned(),
        ),
    }
}

/// `WM_EMERGENCY_PHONE`: empty means none.
pub(super) fn emergency_phone(value: &str) -> Result<Option<EmergencyPhone>, String> {
    match value.trim() {
        "" => Ok(None),
        number => EmergencyPhone::parse(number).map(Some).map_err(|e| e.0),
    }
}
