//! Dates people type: one rule for every date field and every period of
//! the site. Both `jj/mm/aaaa` (typed by hand) and `aaaa-mm-jj` (what an
//! `<input type="date">` sends) are read; years outside 2000–9999 are
//! refused, as no one means them and they only make day arithmetic fragile.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("Indiquez les dates au format jj/mm/aaaa ou aaaa-mm-jj.")]
    BadDate,
    #[error("La date de début doit précéder la date de fin.")]
    Reversed,
}

/// A date as typed in a form.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
        .filter(|date| (2000..=9999).contains(&date.year()))
        .ok_or(DateError::BadDate)
}

/// A run of Paris days, both ends included, the first not after the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    first: NaiveDate,
    last: NaiveDate,
}

/// Which field of a « du … au … » pair is wrong, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateRangeError {
    #[error("{0}")]
    From(DateError),
    #[error("{0}")]
    To(DateError),
}

impl DateRangeError {
    /// The form field the message belongs to: `du` or `au`.
    pub fn field(&self) -> &'static str {
        match self {
            DateRangeError::From(_) => "du",
            DateRangeError::To(_) => "au",
        }
    }
}

impl DateRange {
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<DateRange, DateError> {
        if last < first {
            return Err(DateError::Reversed);
        }
        Ok(DateRange { first, last })
    }

    /// `du` and `au` as typed, both required.
    pub fn parse(from: &str, to: &str) -> Result<DateRange, DateRangeError> {
        let first = parse_date(from).map_err(DateRangeError::From)?;
        let last = parse_date(to).map_err(DateRangeError::To)?;
        DateRange::new(first, last).map_err(DateRangeError::To)
    }

    /// `du` and `au` of a filter, each of which may be left empty.
    pub fn parse_open(
        from: &str,
        to: &str,
    ) -> Result<(Option<NaiveDate>, Option<NaiveDate>), DateRangeError> {
        let optional = |text: &str| match text.trim() {
            "" => Ok(None),
            text => parse_date(text).map(Some),
        };
        let first = optional(from).map_err(DateRangeError::From)?;
        let last = optional(to).map_err(DateRangeError::To)?;
        if let (Some(first), Some(last)) = (first, last) {
            DateRange::new(first, last).map_err(DateRangeError::To)?;
        }
        Ok((first, last))
    }

    pub fn first(&self) -> NaiveDate {
        self.first
    }

    pub fn last(&self) -> NaiveDate {
        self.last
    }

    /// The instants the range covers: from the first day's Paris midnight
    /// to the midnight after the last day (excluded).
    pub fn instants(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let after = self.last.succ_opt().unwrap_or(self.last);
        (
            crate::paris::day_start(self.first),
            crate::paris::day_start(after),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_of_writing_a_date_are_read() {
        let expected = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(parse_date("04/12/2026"), Ok(expected));
        assert_eq!(parse_date(" 2026-12-04 "), Ok(expected));
        assert_eq!(parse_date("4 décembre"), Err(DateError::BadDate));
        assert_eq!(parse_date("0001-01-01"), Err(DateError::BadDate));
    }

    #[test]
    fn a_reversed_range_is_reported_on_its_end() {
        let error = DateRange::parse("10/12/2026", "01/12/2026").unwrap_err();
        assert_eq!(error, DateRangeError::To(DateError::Reversed));
        assert_eq!(error.field(), "au");
        assert_eq!(
            DateRange::parse("", "01/12/2026").unwrap_err().field(),
            "du"
        );
    }

    #[test]
    fn an_open_range_may_leave_either_end_empty() {
        assert_eq!(DateRange::parse_open("", ""), Ok((None, None)));
        let (first, last) = DateRange::parse_open("01/12/2026", "").unwrap();
        assert!(first.is_some() && last.is_none());
        assert!(DateRange::parse_open("x", "").is_err());
    }
}
