//! The on-call number (`WM_EMERGENCY_PHONE`): the line a client calls when
//! a person is stuck in a lift. Read once from the settings; pages show it
//! as a `tel:` link and the e-mails about urgent requests carry it.

use std::fmt;

use super::{FieldError, Phone};

/// A valid French or international telephone number, for the on-call line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmergencyPhone(Phone);

impl EmergencyPhone {
    /// Reads the number as an operator writes it: `01 23 45 67 89`,
    /// `+33 1 23 45 67 89`, `0033123456789`, `+32 2 555 12 12`.
    pub fn parse(input: &str) -> Result<EmergencyPhone, FieldError> {
        match Phone::parse(input) {
            Ok(phone) => Ok(EmergencyPhone(phone)),
            Err(_) => Err(FieldError::new(format!(
                "« {} » n'est pas un numéro de téléphone valide ; écrivez par exemple \
                 01 23 45 67 89, ou +32 2 555 12 12 pour un numéro étranger",
                input.trim()
            ))),
        }
    }

    /// The number as people dial it, on one line (no-break spaces): a
    /// French number in pairs, `01 23 45 67 89`; another in the
    /// international form, `+32 2 555 12 12`.
    pub fn display(&self) -> String {
        match self.0.as_str().strip_prefix("+33") {
            Some(national) if national.len() == 9 => {
                let digits: Vec<char> = std::iter::once('0').chain(national.chars()).collect();
                digits
                    .chunks(2)
                    .map(|pair| pair.iter().collect::<String>())
                    .collect::<Vec<_>>()
                    .join("\u{a0}")
            }
            _ => self.0.display_international().replace(' ', "\u{a0}"),
        }
    }

    /// The link a phone dials: `tel:+33123456789`.
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.0.as_str())
    }
}

impl fmt::Display for EmergencyPhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(input: &str) -> EmergencyPhone {
        EmergencyPhone::parse(input).unwrap_or_else(|e| panic!("{input:?} refused: {e}"))
    }

    #[test]
    fn a_french_number_reads_in_pairs_and_dials_in_e164() {
        for written in [
            "01 23 45 67 89",
            "0123456789",
            "01.23.45.67.89",
            "+33 1 23 45 67 89",
            "0033 1 23 45 67 89",
        ] {
            let number = phone(written);
            assert_eq!(number.display(), "01\u{a0}23\u{a0}45\u{a0}67\u{a0}89");
            assert_eq!(number.tel_uri(), "tel:+33123456789");
        }
        assert_eq!(
            phone("0 800 12 34 56").display(),
            "08\u{a0}00\u{a0}12\u{a0}34\u{a0}56"
        );
    }

    #[test]
    fn a_foreign_number_reads_in_the_international_form() {
        let number = phone("+32 2 555 12 12");
        assert_eq!(number.display(), "+32\u{a0}2\u{a0}555\u{a0}12\u{a0}12");
        assert_eq!(number.tel_uri(), "tel:+3225551212");
        assert_eq!(number.to_string(), number.display());
    }

    #[test]
    fn a_wrong_number_is_refused_in_french() {
        for bad in ["", "12", "06 12 34 56", "0800 FLEURS", "+999 1234 5678"] {
            let error = EmergencyPhone::parse(bad).unwrap_err().0;
            assert!(
                error.contains("n'est pas un numéro de téléphone valide"),
                "{bad:?}: {error}"
            );
        }
    }
}
