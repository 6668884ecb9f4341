use std::fmt;

use super::FieldError;

/// The countries where we maintain lifts, in the order the form lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Country {
    France,
    Belgique,
    Suisse,
    Luxembourg,
    Monaco,
    Allemagne,
    Espagne,
    Italie,
    RoyaumeUni,
    PaysBas,
    Portugal,
}

impl Country {
    pub const ALL: [Country; 11] = [
        Country::France,
        Country::Belgique,
        Country::Suisse,
        Country::Luxembourg,
        Country::Monaco,
        Country::Allemagne,
        Country::Espagne,
        Country::Italie,
        Country::RoyaumeUni,
        Country::PaysBas,
        Country::Portugal,
    ];

    /// The ISO 3166-1 alpha-2 code, stored in the database and used as the
    /// form value.
    pub fn code(self) -> &'static str {
        match self {
            Country::France => "FR",
            Country::Belgique => "BE",
            Country::Suisse => "CH",
            Country::Luxembourg => "LU",
            Country::Monaco => "MC",
            Country::Allemagne => "DE",
            Country::Espagne => "ES",
            Country::Italie => "IT",
            Country::RoyaumeUni => "GB",
            Country::PaysBas => "NL",
            Country::Portugal => "PT",
        }
    }

    /// The French name.
    pub fn name(self) -> &'static str {
        match self {
            Country::France => "France",
            Country::Belgique => "Belgique",
            Country::Suisse => "Suisse",
            Country::Luxembourg => "Luxembourg",
            Country::Monaco => "Monaco",
            Country::Allemagne => "Allemagne",
            Country::Espagne => "Espagne",
            Country::Italie => "Italie",
            Country::RoyaumeUni => "Royaume-Uni",
            Country::PaysBas => "Pays-Bas",
            Country::Portugal => "Portugal",
        }
    }

    /// Reads an ISO code, in any case.
    pub fn parse(code: &str) -> Result<Country, FieldError> {
        let code = code.trim();
        Country::ALL
            .into_iter()
            .find(|country| country.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| FieldError::new("Choisissez un pays dans la liste."))
    }

    /// The shape of a postal code, for a message asking for one.
    pub fn postal_code_shape(self) -> &'static str {
        match self {
            Country::France
            | Country::Monaco
            | Country::Allemagne
            | Country::Espagne
            | Country::Italie => "5 chiffres",
            Country::Belgique | Country::Suisse | Country::Luxembourg => "4 chiffres",
            Country::PaysBas => "4 chiffres et 2 lettres",
            Country::Portugal => "7 chiffres",
            Country::RoyaumeUni => "par exemple SW1A 1AA",
        }
    }

    /// The expected postal code format, with an example.
    fn postal_code_format(self) -> &'static str {
        match self {
            Country::France => "Pour la France, le code postal comporte 5 chiffres (exemple : 92200).",
            Country::Belgique => "Pour la Belgique, le code postal comporte 4 chiffres (exemple : 1000).",
            Country::Suisse => "Pour la Suisse, le code postal comporte 4 chiffres (exemple : 1201).",
            Country::Luxembourg => {
                "Pour le Luxembourg, le code postal comporte 4 chiffres (exemple : 1450)."
            }
            Country::Monaco => {
                "Pour Monaco, le code postal comporte 5 chiffres et commence par 980 (exemple : 98000)."
            }
            Country::Allemagne => {
                "Pour l'Allemagne, le code postal comporte 5 chiffres (exemple : 10115)."
            }
            Country::Espagne => "Pour l'Espagne, le code postal comporte 5 chiffres (exemple : 28013).",
            Country::Italie => "Pour l'Italie, le code postal comporte 5 chiffres (exemple : 00184).",
            Country::RoyaumeUni => {
                "Pour le Royaume-Uni, indiquez le code postal complet (exemple : SW1A 1AA)."
            }
            Country::PaysBas => {
                "Pour les Pays-Bas, le code postal comporte 4 chiffres et 2 lettres (exemple : 1012 AB)."
            }
            Country::Portugal => {
                "Pour le Portugal, le code postal comporte 7 chiffres (exemple : 1100-148)."
            }
        }
    }
}

/// A postal code in its country's usual written form (`92200`, `1012 AB`,
/// `SW1A 1AA`, `1100-148`). The country itself is stored beside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PostalCode(String);

impl PostalCode {
    /// Reads a postal code for `country`, whatever its spacing and case.
    pub fn parse(country: Country, input: &str) -> Result<PostalCode, FieldError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if compact.is_empty() {
            return Err(FieldError::new("Indiquez le code postal."));
        }
        let code = match country {
            Country::Luxembourg => {
                let digits = compact
                    .strip_prefix("L-")
                    .or_else(|| compact.strip_prefix('L'))
                    .unwrap_or(&compact);
                Some(digits.to_owned()).filter(|d| shape(d) == "9999")
            }
            Country::Monaco => {
                Some(compact).filter(|c| shape(c) == "99999" && c.starts_with("980"))
            }
            Country::France | Country::Allemagne | Country::Espagne | Country::Italie => {
                Some(compact).filter(|c| shape(c) == "99999")
            }
            Country::Belgique | Country::Suisse => Some(compact).filter(|c| shape(c) == "9999"),
            Country::PaysBas => (shape(&compact) == "9999AA" && !compact.starts_with('0'))
                .then(|| format!("{} {}", &compact[..4], &compact[4..])),
            Country::Portugal => {
                let digits = match compact.find('-') {
                    Some(4) => compact.replacen('-', "", 1),
                    _ => compact,
                };
                (shape(&digits) == "9999999").then(|| format!("{}-{}", &digits[..4], &digits[4..]))
            }
            Country::RoyaumeUni => uk_postcode(&compact),
        };
        code.map(PostalCode)
            .ok_or_else(|| FieldError::new(country.postal_code_format()))
    }

    /// A code read back from the database, stored by [`PostalCode::parse`].
    pub fn from_stored(code: String) -> PostalCode {
        PostalCode(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `code` with each ASCII digit replaced by `9` and each ASCII letter by `A`,
/// so formats can be compared to patterns such as `9999AA`.
fn shape(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            '0'..='9' => '9',
            'A'..='Z' | 'a'..='z' => 'A',
            other => other,
        })
        .collect()
}

/// A UK postcode, written `OUTWARD INWARD`: the outward code is one of
/// `A9`, `A99`, `AA9`, `AA99`, `A9A`, `AA9A`; the inward code is `9AA`.
fn uk_postcode(compact: &str) -> Option<String> {
    const OUTWARD: [&str; 6] = ["A9", "A99", "AA9", "AA99", "A9A", "AA9A"];
    let split = compact.len().checked_sub(3)?;
    let (outward, inward) = (compact.get(..split)?, compact.get(split..)?);
    (OUTWARD.contains(&shape(outward).as_str()) && shape(inward) == "9AA")
        .then(|| format!("{outward} {inward}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(country: Country, input: &str) -> String {
        PostalCode::parse(country, input)
            .unwrap_or_else(|e| panic!("{input:?} refused for {country:?}: {e}"))
            .to_string()
    }

    fn refuses(country: Country, inputs: &[&str]) {
        for input in inputs {
            assert_eq!(
                PostalCode::parse(country, input).unwrap_err().0,
                country.postal_code_format(),
                "{input:?} should be refused for {country:?}"
            );
        }
    }

    #[test]
    fn countries_have_codes_and_french_names() {
        let codes: Vec<_> = Country::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(
            codes,
            ["FR", "BE", "CH", "LU", "MC", "DE", "ES", "IT", "GB", "NL", "PT"]
        );
        assert_eq!(Country::RoyaumeUni.name(), "Royaume-Uni");
        assert_eq!(Country::PaysBas.name(), "Pays-Bas");
        for country in Country::ALL {
            assert_eq!(Country::parse(country.code()), Ok(country));
        }
    }

    #[test]
    fn parses_country_codes_in_any_case() {
        assert_eq!(Country::parse("fr"), Ok(Country::France));
        assert_eq!(Country::parse(" Gb "), Ok(Country::RoyaumeUni));
        for bad in ["", "UK", "France", "XX", "F"] {
            assert_eq!(
                Country::parse(bad).unwrap_err().0,
                "Choisissez un pays dans la liste.",
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn france() {
        assert_eq!(code(Country::France, " 92200 "), "92200");
        assert_eq!(code(Country::France, "75 001"), "75001");
        assert_eq!(code(Country::France, "01000"), "01000");
        refuses(
            Country::France,
            &["9220", "922000", "92A00", "92-200", "٩٢٢٠٠"],
        );
        assert_eq!(
            PostalCode::parse(Country::France, "9220").unwrap_err().0,
            "Pour la France, le code postal comporte 5 chiffres (exemple : 92200)."
        );
    }

    #[test]
    fn monaco() {
        assert_eq!(code(Country::Monaco, "98000"), "98000");
        refuses(Country::Monaco, &["06000", "9800", "98A00"]);
    }

    #[test]
    fn germany_spain_italy() {
        assert_eq!(code(Country::Allemagne, "10115"), "10115");
        assert_eq!(code(Country::Espagne, "28013"), "28013");
        assert_eq!(code(Country::Italie, "00184"), "00184");
        for country in [Country::Allemagne, Country::Espagne, Country::Italie] {
            refuses(country, &["1011", "101155", "D-10115"]);
        }
    }

    #[test]
    fn belgium_and_switzerland() {
        assert_eq!(code(Country::Belgique, "1000"), "1000");
        assert_eq!(code(Country::Suisse, "1201"), "1201");
        for country in [Country::Belgique, Country::Suisse] {
            refuses(country, &["100", "10000", "B-1000", "CH-1201"]);
        }
    }

    #[test]
    fn luxembourg() {
        assert_eq!(code(Country::Luxembourg, "1450"), "1450");
        assert_eq!(code(Country::Luxembourg, "L-1450"), "1450");
        assert_eq!(code(Country::Luxembourg, "l1450"), "1450");
        assert_eq!(code(Country::Luxembourg, "L 1450"), "1450");
        refuses(
            Country::Luxembourg,
            &["145", "14500", "LL1450", "L--1450", "-1450"],
        );
    }

    #[test]
    fn netherlands() {
        assert_eq!(code(Country::PaysBas, "1234ab"), "1234 AB");
        assert_eq!(code(Country::PaysBas, " 1012  AB "), "1012 AB");
        refuses(
            Country::PaysBas,
            &["0123 AB", "1234", "1234 A", "1234 ABC", "12345 AB"],
        );
    }

    #[test]
    fn portugal() {
        assert_eq!(code(Country::Portugal, "1100-148"), "1100-148");
        assert_eq!(code(Country::Portugal, "1100 148"), "1100-148");
        assert_eq!(code(Country::Portugal, "1100148"), "1100-148");
        refuses(
            Country::Portugal,
            &["1100", "1100-14", "110-0148", "1100--148", "1100-1488"],
        );
    }

    #[test]
    fn united_kingdom() {
        assert_eq!(code(Country::RoyaumeUni, "SW1A 1AA"), "SW1A 1AA");
        assert_eq!(code(Country::RoyaumeUni, "sw1a1aa"), "SW1A 1AA");
        assert_eq!(code(Country::RoyaumeUni, "M1 1AE"), "M1 1AE");
        assert_eq!(code(Country::RoyaumeUni, "B33 8TH"), "B33 8TH");
        assert_eq!(code(Country::RoyaumeUni, "CR2 6XH"), "CR2 6XH");
        assert_eq!(code(Country::RoyaumeUni, "DN55 1PT"), "DN55 1PT");
        assert_eq!(code(Country::RoyaumeUni, "W1A 0AX"), "W1A 0AX");
        assert_eq!(code(Country::RoyaumeUni, "EC1A  1BB"), "EC1A 1BB");
        refuses(
            Country::RoyaumeUni,
            &[
                "SW1A",
                "1AA",
                "SW1A 1A",
                "SW1A AAA",
                "SWAA 1AA",
                "1W1A 1AA",
                "SW1AA 1AA",
                "SW1A 1AÉ",
            ],
        );
    }

    #[test]
    fn refuses_empty_input() {
        for country in Country::ALL {
            assert_eq!(
                PostalCode::parse(country, "  ").unwrap_err().0,
                "Indiquez le code postal."
            );
        }
    }

    #[test]
    fn stored_codes_are_read_back_as_is() {
        assert_eq!(
            PostalCode::from_stored("1234 AB".into()).as_str(),
            "1234 AB"
        );
        assert_eq!(
            PostalCode::from_stored("1234 AB".into()),
            PostalCode::parse(Country::PaysBas, "1234ab").unwrap()
        );
    }
}
