use std::fmt;

use super::FieldError;

/// The longest address SMTP can carry (RFC 5321 path limit, less the brackets).
const MAX_CHARS: usize = 254;

/// An e-mail address, lowercased so that two spellings of one address compare
/// equal (accounts are unique by e-mail).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, FieldError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(FieldError::new("Indiquez votre adresse e-mail."));
        }
        if input.chars().count() > MAX_CHARS {
            return Err(FieldError::new(
                "Cette adresse e-mail est trop longue (254 caractères au plus).",
            ));
        }
        let lowered = input.to_lowercase();
        match lowered.parse::<lettre::Address>() {
            Ok(address) if has_public_domain(address.domain()) => Ok(Email(lowered)),
            _ => Err(FieldError::new(
                "Indiquez une adresse e-mail valide, par exemple nom@entreprise.fr.",
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn to_address(&self) -> lettre::Address {
        self.0
            .parse()
            .expect("an Email is checked to be a valid address when parsed")
    }
}

/// Whether `domain` looks like a domain on the Internet: it has a dot and its
/// last label starts with a letter, which refuses `localhost` as well as IP
/// addresses such as `127.0.0.1` or `[10.0.0.1]`.
fn has_public_domain(domain: &str) -> bool {
    domain
        .rsplit_once('.')
        .and_then(|(_, tld)| tld.chars().next())
        .is_some_and(char::is_alphabetic)
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_lowercases_addresses() {
        let email = Email::parse("  Jean.Dupont@Entreprise.FR ").unwrap();
        assert_eq!(email.as_str(), "jean.dupont@entreprise.fr");
        assert_eq!(email.to_string(), "jean.dupont@entreprise.fr");
        assert_eq!(email.to_address().domain(), "entreprise.fr");
        assert_eq!(email.to_address().user(), "jean.dupont");

        for ok in [
            "nom@entreprise.fr",
            "marie+syndic@gestion-immo.co.uk",
            "a@b.io",
            "jérôme@société.fr",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok} should be accepted");
        }
    }

    #[test]
    fn two_spellings_of_one_address_are_equal() {
        assert_eq!(
            Email::parse("NOM@Entreprise.fr").unwrap(),
            Email::parse("nom@entreprise.fr").unwrap()
        );
    }

    #[test]
    fn refuses_invalid_addresses() {
        for bad in [
            "nom",
            "nom@",
            "@entreprise.fr",
            "nom@@entreprise.fr",
            "nom@localhost",
            "nom@127.0.0.1",
            "nom@[10.0.0.1]",
            "nom@entreprise.",
            "nom@.fr",
            "nom entreprise@entreprise.fr",
            "nom@entre prise.fr",
            "nom@entreprise.fr\nBcc: x@y.fr",
        ] {
            assert_eq!(
                Email::parse(bad).unwrap_err().0,
                "Indiquez une adresse e-mail valide, par exemple nom@entreprise.fr.",
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn refuses_empty_input() {
        assert_eq!(
            Email::parse("   ").unwrap_err().0,
            "Indiquez votre adresse e-mail."
        );
    }

    #[test]
    fn refuses_addresses_over_254_characters() {
        // DNS labels hold at most 63 characters, hence several labels.
        let address = |last_label: usize| {
            let label = "b".repeat(62);
            format!(
                "{}@{label}.{label}.{}.fr",
                "a".repeat(64),
                "c".repeat(last_label)
            )
        };
        let at_limit = address(60);
        assert_eq!(at_limit.len(), 254);
        assert!(Email::parse(&at_limit).is_ok());

        let over = address(61);
        assert_eq!(
            Email::parse(&over).unwrap_err().0,
            "Cette adresse e-mail est trop longue (254 caractères au plus)."
        );
    }
}
