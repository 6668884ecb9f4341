//! A new password, chosen at sign-up or on a password change.
//!
//! Guessability is judged by zxcvbn, which ships frequency lists of the most
//! common passwords, words, names and keyboard patterns, and also spots
//! sequences, repeats, dates and l33t substitutions. It is our "list of
//! common passwords" check; we add to it the person's own words and a few
//! words French visitors of this site are likely to try.

use std::fmt;

use super::FieldError;

const MIN_CHARS: usize = 12;
const MAX_CHARS: usize = 256;

/// Words zxcvbn's mostly English lists lack: the site's own and common
/// French password bases.
const SITE_WORDS: [&str; 11] = [
    "wemaintain",
    "ascenseur",
    "ascenseurs",
    "maintenance",
    "motdepasse",
    "azerty",
    "bonjour",
    "soleil",
    "marseille",
    "paris",
    "france",
];

/// A password that is long enough and hard to guess. It is never printed:
/// `Debug` shows `NewPassword(***)` and there is no `Display`.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    /// `personal` holds the person's own words (e-mail, names, company), which
    /// make a password easy to guess for someone who knows them.
    pub fn parse(input: &str, personal: &[&str]) -> Result<NewPassword, FieldError> {
        let length = input.chars().count();
        if length < MIN_CHARS {
            return Err(FieldError::new(
                "Choisissez un mot de passe d'au moins 12 caractères.",
            ));
        }
        if length > MAX_CHARS {
            return Err(FieldError::new(
                "Ce mot de passe est trop long (256 caractères au plus).",
            ));
        }
        if zxcvbn::zxcvbn(input, &guessable_words(personal)).score() < zxcvbn::Score::Three {
            return Err(FieldError::new(
                "Ce mot de passe est trop courant ou trop facile à deviner. \
                 Ajoutez des mots sans rapport entre eux, des chiffres ou des symboles.",
            ));
        }
        Ok(NewPassword(input.to_owned()))
    }

    /// The password itself, to hash it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The words to add to zxcvbn's dictionaries: each personal input whole and
/// cut into its parts, so that `jean.dupont@syndic.fr` also makes `dupont`
/// guessable; then the site words.
fn guessable_words<'a>(personal: &[&'a str]) -> Vec<&'a str> {
    personal
        .iter()
        .flat_map(|input| {
            let parts = input
                .split(|c: char| !c.is_alphanumeric())
                .filter(|part| part.chars().count() >= 3);
            std::iter::once(input.trim()).chain(parts)
        })
        .filter(|word| !word.is_empty())
        .chain(SITE_WORDS)
        .collect()
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERSONAL: [&str; 4] = [
        "jean.dupont@syndic-lumiere.fr",
        "Jean",
        "Dupont",
        "Syndic Lumière",
    ];
    const GUESSABLE: &str = "Ce mot de passe est trop courant ou trop facile à deviner. \
                             Ajoutez des mots sans rapport entre eux, des chiffres ou des symboles.";

    #[test]
    fn accepts_a_strong_password() {
        let password = NewPassword::parse("Grue-bleue-7-Toit-Orage", &PERSONAL).unwrap();
        assert_eq!(password.expose(), "Grue-bleue-7-Toit-Orage");
        // Not trimmed: spaces are part of what the person chose.
        let spaced = NewPassword::parse(" Grue-bleue-7-Toit-Orage ", &[]).unwrap();
        assert_eq!(spaced.expose(), " Grue-bleue-7-Toit-Orage ");
    }

    #[test]
    fn debug_never_shows_the_password() {
        let parsed = NewPassword::parse("Grue-bleue-7-Toit-Orage", &PERSONAL);
        let debug = format!("{parsed:?}");
        assert!(!debug.contains("Grue"), "{debug}");
        assert_eq!(debug, "Ok(NewPassword(***))");
    }

    #[test]
    fn refuses_common_and_guessable_passwords() {
        for bad in [
            "motdepasse123",
            "azertyuiop123",
            "password1234",
            "123456789012",
            "aaaaaaaaaaaa",
            "Wemaintain2024!",
            "ascenseur2025",
            "Marseille13013",
        ] {
            assert_eq!(
                NewPassword::parse(bad, &[]).unwrap_err().0,
                GUESSABLE,
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn refuses_the_persons_own_words() {
        for bad in [
            "jean.dupont@syndic-lumiere.fr",
            "JEAN.DUPONT@SYNDIC-LUMIERE.FR",
            "Syndic Lumière",
            // Only refused because the e-mail is also cut into its words.
            "SyndicLumiere",
        ] {
            assert!(
                NewPassword::parse(bad, &[]).is_ok(),
                "{bad:?} is strong for someone who does not know the person"
            );
            assert_eq!(
                NewPassword::parse(bad, &PERSONAL).unwrap_err().0,
                GUESSABLE,
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn checks_the_length_in_characters() {
        assert_eq!(
            NewPassword::parse("Gr7!toitbl", &[]).unwrap_err().0,
            "Choisissez un mot de passe d'au moins 12 caractères."
        );
        assert_eq!(
            NewPassword::parse("", &[]).unwrap_err().0,
            "Choisissez un mot de passe d'au moins 12 caractères."
        );
        // 11 characters but 22 bytes.
        assert_eq!(
            NewPassword::parse("éàüöçèêëïîô", &[]).unwrap_err().0,
            "Choisissez un mot de passe d'au moins 12 caractères."
        );
        assert_eq!(
            NewPassword::parse(&"Grue-bleue-7-".repeat(20), &[])
                .unwrap_err()
                .0,
            "Ce mot de passe est trop long (256 caractères au plus)."
        );
    }
}
