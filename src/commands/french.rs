//! clap writes its headings and its errors in English: the help is drawn
//! from French templates, and a command line it refuses is told in French,
//! with clap's exit status (2).

use clap::error::{ContextKind, ErrorKind};
use clap::Command;

const TOP: &str = "{about-with-newline}\nUtilisation : {usage}\n\nCommandes :\n{subcommands}\n\nOptions :\n{options}{after-help}";
const SUB: &str = "{about-with-newline}\nUtilisation : {usage}\n\nOptions :\n{options}{after-help}";

/// `command` with French headings, in its help and each command's.
pub fn in_french(command: Command) -> Command {
    command
        .help_template(TOP)
        .subcommand_value_name("COMMANDE")
        .subcommand_help_heading("Commandes")
        .mut_subcommands(|sub| sub.help_template(SUB))
}

/// What to print, in French, for a command line clap refused.
pub fn refusal(error: &clap::Error) -> String {
    let context = |kind| {
        error
            .get(kind)
            .map(|value| value.to_string())
            .unwrap_or_default()
    };
    let arg = context(ContextKind::InvalidArg);
    let value = context(ContextKind::InvalidValue);
    let why = match error.kind() {
        ErrorKind::UnknownArgument => format!("option inconnue : {arg}"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "commande inconnue : {}",
                context(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => format!("option obligatoire manquante : {arg}"),
        ErrorKind::MissingSubcommand => "indiquez une commande".to_owned(),
        ErrorKind::ArgumentConflict => format!(
            "{arg} ne peut pas être donnée avec {}",
            context(ContextKind::PriorArg)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let own = std::error::Error::source(error)
                .map(|source| source.to_string())
                .filter(|text| text.starts_with('«'));
            match own {
                Some(text) => format!("{arg} : {text}"),
                None => format!(
                    "{arg} : valeur refusée « {value} »{}",
                    expected_range(error)
                ),
            }
        }
        ErrorKind::NoEquals | ErrorKind::WrongNumberOfValues | ErrorKind::TooManyValues => {
            format!("{arg} : nombre de valeurs incorrect")
        }
        _ => "ligne de commande incorrecte".to_owned(),
    };
    format!("wemaintain : {why}\nPour l'aide : wemaintain --help")
}

/// « (attendu : de 1 à 800) » from clap's « 0 is not in 1..=800 ».
fn expected_range(error: &clap::Error) -> String {
    let source = std::error::Error::source(error).map(|source| source.to_string());
    source
        .as_deref()
        .and_then(|text| text.split_once(" is not in "))
        .and_then(|(_, range)| range.split_once("..="))
        .map(|(low, high)| format!(" (attendu : de {low} à {high})"))
        .unwrap_or_default()
}
