use std::fmt;

use phonenumber::{country, Mode, PhoneNumber};

use super::FieldError;

/// Generous for any real number written with spaces, dots or a `0033` prefix.
const MAX_CHARS: usize = 40;

const INVALID: &str = "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78, \
                       ou +32 2 555 12 12 pour un numéro étranger.";

/// A telephone number, held in E.164 form (`+33612345678`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Reads a number as a French visitor writes it: national French numbers
    /// (`06 12 34 56 78`) or international ones (`+32 2 555 12 12`,
    /// `0044 20 7946 0958`).
    pub fn parse(input: &str) -> Result<Phone, FieldError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(FieldError::new("Indiquez votre numéro de téléphone."));
        }
        // libphonenumber would read letters as a keypad vanity number
        // (`0800 FLEURS`) or an extension; a visitor writing letters has
        // more likely made a mistake.
        if input.chars().count() > MAX_CHARS || input.chars().any(char::is_alphabetic) {
            return Err(FieldError::new(INVALID));
        }
        match parse_number(input) {
            // E.164 has no room for an extension, which would be lost.
            Ok(number) if phonenumber::is_valid(&number) && number.extension().is_none() => {
                Ok(Phone(number.format().mode(Mode::E164).to_string()))
            }
            _ => Err(FieldError::new(INVALID)),
        }
    }

    /// A number read back from the database, stored by [`Phone::parse`].
    pub fn from_stored(e164: String) -> Phone {
        Phone(e164)
    }

    /// The E.164 form, as stored: `+33612345678`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form to show people: `+33 6 12 34 56 78`.
    pub fn display_international(&self) -> String {
        phonenumber::parse(None, &self.0)
            .map(|number| number.format().mode(Mode::International).to_string())
            .unwrap_or_else(|_| self.0.clone())
    }
}

/// Parses `input` as a French number unless it starts with a country code.
///
/// Given a default country, `phonenumber` 0.3 strips that country's national
/// prefix from foreign numbers too: `+39 06 1234 5678` would lose the `0`
/// that Italian landlines keep. So numbers with a country code, written with
/// `+` or the French international prefix `00`, are parsed without one.
fn parse_number(input: &str) -> Result<PhoneNumber, phonenumber::ParseError> {
    if let Some(rest) = input.strip_prefix("00") {
        phonenumber::parse(None, format!("+{rest}"))
    } else if input.starts_with('+') {
        phonenumber::parse(None, input)
    } else {
        phonenumber::parse(Some(country::Id::FR), input)
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_international())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str) -> String {
        Phone::parse(input)
            .unwrap_or_else(|e| panic!("{input:?} refused: {e}"))
            .as_str()
            .to_owned()
    }

    #[test]
    fn accepts_french_national_numbers() {
        assert_eq!(e164("06 12 34 56 78"), "+33612345678");
        assert_eq!(e164("0612345678"), "+33612345678");
        assert_eq!(e164("  07-81-23-45-67 "), "+33781234567");
        assert_eq!(e164("01.23.45.67.89"), "+33123456789");
        assert_eq!(e164("0033 6 12 34 56 78"), "+33612345678");
        assert_eq!(e164("+33 6 12 34 56 78"), "+33612345678");
        assert_eq!(e164("+33 (0)6 12 34 56 78"), "+33612345678");
    }

    #[test]
    fn accepts_international_numbers() {
        assert_eq!(e164("+44 20 7946 0958"), "+442079460958");
        assert_eq!(e164("+32 2 555 12 12"), "+3225551212");
        assert_eq!(e164("+1 212-555-0123"), "+12125550123");
        assert_eq!(e164("+41 22 345 67 89"), "+41223456789");
        assert_eq!(e164("+39 06 1234 5678"), "+390612345678");
        assert_eq!(e164("+39 347 123 4567"), "+393471234567");
        assert_eq!(e164("+49 30 12345678"), "+493012345678");
        assert_eq!(e164("+352 26 12 34 56"), "+35226123456");
        assert_eq!(e164("+377 93 15 12 34"), "+37793151234");
        assert_eq!(e164("+44 (0)20 7946 0958"), "+442079460958");
        assert_eq!(e164("0044 20 7946 0958"), "+442079460958");
        assert_eq!(e164("0039 06 1234 5678"), "+390612345678");
    }

    #[test]
    fn shows_numbers_in_international_format() {
        let phone = Phone::parse("06 12 34 56 78").unwrap();
        assert_eq!(phone.display_international(), "+33 6 12 34 56 78");
        assert_eq!(phone.to_string(), "+33 6 12 34 56 78");
        assert_eq!(
            Phone::parse("+39 06 1234 5678").unwrap().to_string(),
            "+39 06 1234 5678"
        );
    }

    #[test]
    fn stored_numbers_are_read_back_as_is() {
        let phone = Phone::from_stored("+3225551212".to_owned());
        assert_eq!(phone.as_str(), "+3225551212");
        assert_eq!(phone, Phone::parse("+32 2 555 12 12").unwrap());
        assert_eq!(phone.to_string(), "+32 2 555 12 12");
        assert_eq!(Phone::from_stored("oops".to_owned()).to_string(), "oops");
    }

    #[test]
    fn refuses_invalid_numbers() {
        for bad in [
            "06 12 34 56",
            "06 12 34 56 78 9",
            "00 00 00 00 00",
            "12345",
            "+33 6 12",
            "+999 1234 5678",
            "06 12 34 56 78 poste 12",
            "0800 FLEURS",
            "06 12 34 56 78 ext. 12",
            "+",
            "06 12 34 56 78 #12",
            "0",
            "()",
            "-",
            "00",
            "+33 6 12 34 56 78 / +33 6 98 76 54 32 / +33 1 23 45 67 89",
        ] {
            assert_eq!(
                Phone::parse(bad).unwrap_err().0,
                INVALID,
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn refuses_input_over_40_characters() {
        let spaced = format!("06{}12 34 56 78", " ".repeat(27));
        assert_eq!(spaced.chars().count(), 40);
        assert_eq!(e164(&spaced), "+33612345678");

        let long = format!("06{}12 34 56 78", " ".repeat(28));
        assert_eq!(Phone::parse(&long).unwrap_err().0, INVALID);
    }

    #[test]
    fn refuses_empty_input() {
        assert_eq!(
            Phone::parse(" ").unwrap_err().0,
            "Indiquez votre numéro de téléphone."
        );
    }
}
