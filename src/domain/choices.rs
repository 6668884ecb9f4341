//! Answers picked from a list. Each has a `key`, stored in the database and
//! sent as the form value, and a French `label` shown to people.

use super::FieldError;

const NOT_IN_LIST: &str = "Choisissez une réponse dans la liste.";

/// How a person wishes to be addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Civility {
    Madame,
    Monsieur,
    NonPrecise,
}

impl Civility {
    pub const ALL: [Civility; 3] = [Civility::Madame, Civility::Monsieur, Civility::NonPrecise];

    pub fn key(self) -> &'static str {
        match self {
            Civility::Madame => "madame",
            Civility::Monsieur => "monsieur",
            Civility::NonPrecise => "non_precise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Civility::Madame => "Madame",
            Civility::Monsieur => "Monsieur",
            Civility::NonPrecise => "Non précisé",
        }
    }

    pub fn parse(key: &str) -> Result<Civility, FieldError> {
        Civility::ALL
            .into_iter()
            .find(|civility| civility.key() == key)
            .ok_or_else(|| FieldError::new(NOT_IN_LIST))
    }
}

/// Whether a client company is a local agency or a head office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompanyKind {
    Agence,
    Siege,
}

impl CompanyKind {
    pub const ALL: [CompanyKind; 2] = [CompanyKind::Agence, CompanyKind::Siege];

    pub fn key(self) -> &'static str {
        match self {
            CompanyKind::Agence => "agence",
            CompanyKind::Siege => "siege",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CompanyKind::Agence => "Agence",
            CompanyKind::Siege => "Siège",
        }
    }

    pub fn parse(key: &str) -> Result<CompanyKind, FieldError> {
        CompanyKind::ALL
            .into_iter()
            .find(|kind| kind.key() == key)
            .ok_or_else(|| FieldError::new(NOT_IN_LIST))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civility_keys_and_labels() {
        let keys: Vec<_> = Civility::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys, ["madame", "monsieur", "non_precise"]);
        let labels: Vec<_> = Civility::ALL.iter().map(|c| c.label()).collect();
        assert_eq!(labels, ["Madame", "Monsieur", "Non précisé"]);
        for civility in Civility::ALL {
            assert_eq!(Civility::parse(civility.key()), Ok(civility));
        }
    }

    #[test]
    fn company_kind_keys_and_labels() {
        let keys: Vec<_> = CompanyKind::ALL.iter().map(|k| k.key()).collect();
        assert_eq!(keys, ["agence", "siege"]);
        let labels: Vec<_> = CompanyKind::ALL.iter().map(|k| k.label()).collect();
        assert_eq!(labels, ["Agence", "Siège"]);
        for kind in CompanyKind::ALL {
            assert_eq!(CompanyKind::parse(kind.key()), Ok(kind));
        }
    }

    #[test]
    fn refuses_unknown_keys() {
        for bad in ["", "Madame", "mademoiselle", "non précisé"] {
            assert_eq!(Civility::parse(bad).unwrap_err().0, NOT_IN_LIST);
        }
        for bad in ["", "Siège", "siège", "filiale"] {
            assert_eq!(CompanyKind::parse(bad).unwrap_err().0, NOT_IN_LIST);
        }
        assert_eq!(
            CompanyKind::parse("x").unwrap_err().to_string(),
            "Choisissez une réponse dans la liste."
        );
    }
}
