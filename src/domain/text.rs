//! Plain text fields: names, job titles, company names, free-form questions.

use super::FieldError;

/// A single-line text that must be filled in, trimmed, of at most
/// `max_chars` characters.
pub fn required_text(input: &str, max_chars: usize) -> Result<String, FieldError> {
    optional_text(input, max_chars)?.ok_or_else(|| FieldError::new("Ce champ est obligatoire."))
}

/// A single-line text that may be left empty (`None`), trimmed, of at most
/// `max_chars` characters.
pub fn optional_text(input: &str, max_chars: usize) -> Result<Option<String>, FieldError> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::new(
            "Ce champ contient des caractères non autorisés.",
        ));
    }
    if text.chars().count() > max_chars {
        return Err(FieldError(format!(
            "Ce champ ne peut pas dépasser {max_chars} caractères."
        )));
    }
    Ok(Some(text.to_owned()))
}

/// A multi-line message, trimmed, with line breaks normalised to `\n`, of
/// `min_chars` to `max_chars` characters.
pub fn message_text(input: &str, min_chars: usize, max_chars: usize) -> Result<String, FieldError> {
    // Browsers send the line breaks of a textarea as `\r\n`.
    let text = input.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new("Ce champ est obligatoire."));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(FieldError::new(
            "Ce texte contient des caractères non autorisés.",
        ));
    }
    let length = text.chars().count();
    if length < min_chars {
        return Err(FieldError(format!(
            "Ce texte est trop court ({min_chars} caractères au moins)."
        )));
    }
    if length > max_chars {
        return Err(FieldError(format!(
            "Ce texte ne peut pas dépasser {max_chars} caractères."
        )));
    }
    Ok(text.to_owned())
}

/// A whole number of years, from 0 to 60.
pub fn years_of_experience(input: &str) -> Result<u8, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(FieldError::new(
            "Indiquez votre nombre d'années d'expérience.",
        ));
    }
    // Digits only: `u8::from_str` would also take a sign (`+5`).
    let digits_only = input.bytes().all(|b| b.is_ascii_digit());
    match input.parse::<u8>() {
        Ok(years) if digits_only && years <= 60 => Ok(years),
        _ => Err(FieldError::new(
            "Indiquez un nombre d'années entre 0 et 60.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_accepts() {
        assert_eq!(required_text("  Dupont ", 10), Ok("Dupont".to_owned()));
        assert_eq!(
            required_text("Hélène d'Aubigné-Müller", 50),
            Ok("Hélène d'Aubigné-Müller".to_owned())
        );
    }

    #[test]
    fn required_text_refuses_empty_input() {
        for empty in ["", "   ", "\t\n"] {
            assert_eq!(
                required_text(empty, 10).unwrap_err().0,
                "Ce champ est obligatoire."
            );
        }
    }

    #[test]
    fn required_text_counts_characters_not_bytes() {
        // 10 characters, 20 bytes.
        assert!(required_text("éééééééééé", 10).is_ok());
        assert_eq!(
            required_text("ééééééééééé", 10).unwrap_err().0,
            "Ce champ ne peut pas dépasser 10 caractères."
        );
    }

    #[test]
    fn required_text_refuses_control_characters() {
        for bad in [
            "Jean\nDupont",
            "Jean\rDupont",
            "Jean\tDupont",
            "Jean\u{0}",
            "a\u{7f}b",
        ] {
            assert_eq!(
                required_text(bad, 50).unwrap_err().0,
                "Ce champ contient des caractères non autorisés.",
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn optional_text_may_be_empty() {
        assert_eq!(optional_text("  ", 10), Ok(None));
        assert_eq!(optional_text(" Syndic ", 10), Ok(Some("Syndic".to_owned())));
        assert!(optional_text("Syndic\n2", 10).is_err());
        assert_eq!(
            optional_text("Syndic de copropriété", 10).unwrap_err().0,
            "Ce champ ne peut pas dépasser 10 caractères."
        );
    }

    #[test]
    fn message_text_keeps_line_breaks_and_tabs() {
        assert_eq!(
            message_text(
                "\r\n  Bonjour,\r\n\r\n\tL'ascenseur est en panne.  \r\n",
                5,
                500
            ),
            Ok("Bonjour,\n\n\tL'ascenseur est en panne.".to_owned())
        );
    }

    #[test]
    fn message_text_refuses_other_control_characters() {
        for bad in ["Bonjour\u{0}", "Bonjour\u{1b}[31m", "Bonjour\rà vous"] {
            assert_eq!(
                message_text(bad, 1, 500).unwrap_err().0,
                "Ce texte contient des caractères non autorisés.",
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn message_text_checks_its_length() {
        assert_eq!(
            message_text(" \r\n ", 10, 20).unwrap_err().0,
            "Ce champ est obligatoire."
        );
        assert_eq!(
            message_text("Bonjour", 10, 20).unwrap_err().0,
            "Ce texte est trop court (10 caractères au moins)."
        );
        assert!(message_text("éééééééééé", 10, 20).is_ok());
        // A `\r\n` counts as one character.
        assert!(message_text(&"a\r\n".repeat(10), 10, 20).is_ok());
        assert_eq!(
            message_text(&"é".repeat(21), 10, 20).unwrap_err().0,
            "Ce texte ne peut pas dépasser 20 caractères."
        );
    }

    #[test]
    fn years_of_experience_accepts_0_to_60() {
        assert_eq!(years_of_experience("0"), Ok(0));
        assert_eq!(years_of_experience(" 12 "), Ok(12));
        assert_eq!(years_of_experience("007"), Ok(7));
        assert_eq!(years_of_experience("60"), Ok(60));
    }

    #[test]
    fn years_of_experience_refuses_anything_else() {
        for bad in [
            "-1",
            "+5",
            "2.5",
            "2,5",
            "abc",
            "61",
            "256",
            "99999999999",
            "1 2",
            "１２",
        ] {
            assert_eq!(
                years_of_experience(bad).unwrap_err().0,
                "Indiquez un nombre d'années entre 0 et 60.",
                "{bad:?} should be refused"
            );
        }
        assert_eq!(
            years_of_experience("  ").unwrap_err().0,
            "Indiquez votre nombre d'années d'expérience."
        );
    }
}
