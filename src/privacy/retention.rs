//! Retention windows: how long a purpose keeps its data, and from when.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, Months, Utc};

use super::Purpose;

/// A length of time as people say it: "90 jours", "13 mois", "3 ans".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Months(u32),
    Years(u32),
}

/// The longest period the configuration accepts: a century is a typo.
const MAX_YEARS: u32 = 100;

impl Period {
    /// Parses `"13 months"`, `"13 mois"`, `"90 days"`, `"90 jours"`, `"2 years"`, `"2 ans"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let invalid = || {
            format!(
                "« {text} » n'est pas une durée (attendu par exemple : 90 jours, 13 mois, 3 ans)"
            )
        };
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(invalid)?;
        let (number, unit) = text.split_at(split);
        let n: u32 = number.parse().map_err(|_| invalid())?;
        let period = match unit.trim().to_lowercase().as_str() {
            "d" | "day" | "days" | "jour" | "jours" => Period::Days(n),
            "m" | "month" | "months" | "mois" => Period::Months(n),
            "y" | "year" | "years" | "an" | "ans" => Period::Years(n),
            _ => return Err(invalid()),
        };
        if period.approx_days() > u64::from(MAX_YEARS) * 366 {
            return Err(format!("« {text} » dépasse {MAX_YEARS} ans"));
        }
        Ok(period)
    }

    fn approx_days(self) -> u64 {
        match self {
            Period::Days(n) => u64::from(n),
            Period::Months(n) => u64::from(n) * 31,
            Period::Years(n) => u64::from(n) * 366,
        }
    }

    /// The period in the calendar units chrono moves by: days, or whole
    /// months (a year is twelve); `None` past what a month count holds.
    fn calendar_units(self) -> Option<CalendarStep> {
        match self {
            Period::Days(n) => Some(CalendarStep::Days(Days::new(u64::from(n)))),
            Period::Months(n) => Some(CalendarStep::Months(Months::new(n))),
            Period::Years(n) => n
                .checked_mul(12)
                .map(|months| CalendarStep::Months(Months::new(months))),
        }
    }

    /// `start` plus this period, calendar-aware (13 months after 31 January
    /// is the last day of February of the next year).
    pub fn after(self, start: DateTime<Utc>) -> DateTime<Utc> {
        let end = match self.calendar_units() {
            Some(CalendarStep::Days(days)) => start.checked_add_days(days),
            Some(CalendarStep::Months(months)) => start.checked_add_months(months),
            None => None,
        };
        end.unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// `start` minus this period: rows that started before it have expired.
    pub fn before(self, end: DateTime<Utc>) -> DateTime<Utc> {
        let start = match self.calendar_units() {
            Some(CalendarStep::Days(days)) => end.checked_sub_days(days),
            Some(CalendarStep::Months(months)) => end.checked_sub_months(months),
            None => None,
        };
        start.unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// "13 mois", "1 an", "90 jours".
    pub fn in_french(self) -> String {
        let plural = |n: u32, one: &str, many: &str| {
            if n <= 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        match self {
            Period::Days(n) => plural(n, "jour", "jours"),
            Period::Months(n) => format!("{n} mois"),
            Period::Years(n) => plural(n, "an", "ans"),
        }
    }

    pub fn is_zero(self) -> bool {
        matches!(self, Period::Days(0) | Period::Months(0) | Period::Years(0))
    }
}

/// The event from which a purpose counts its retention period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionStart {
    /// The moment the data was collected.
    Collection,
    /// The last message exchanged with the person.
    LastExchange,
    /// The closure of the person's account.
    AccountClosure,
    /// The end of the maintenance contract.
    ContractEnd,
    /// The closure of the request.
    RequestClosure,
}

/// A period as chrono adds it to a date.
enum CalendarStep {
    Days(Days),
    Months(Months),
}

/// How long a purpose keeps its data, counted from a [`RetentionStart`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionWindow {
    pub period: Period,
    pub start: RetentionStart,
}

impl RetentionWindow {
    pub const fn new(period: Period, start: RetentionStart) -> Self {
        Self { period, start }
    }

    /// When data whose window started at `start` must be gone.
    pub fn expires_at(&self, start: DateTime<Utc>) -> DateTime<Utc> {
        self.period.after(start)
    }

    /// The window as the policy page states it, in French.
    pub fn in_french(&self) -> String {
        let period = self.period.in_french();
        match self.start {
            RetentionStart::Collection => format!("{period} à compter de la collecte"),
            RetentionStart::LastExchange => format!("{period} après le dernier échange"),
            RetentionStart::AccountClosure if self.period.is_zero() => {
                "Pendant toute la durée du compte, puis suppression".to_owned()
            }
            RetentionStart::AccountClosure => {
                format!("Pendant toute la durée du compte, puis {period} après sa clôture")
            }
            RetentionStart::ContractEnd => format!("{period} après la fin du contrat"),
            RetentionStart::RequestClosure => format!("{period} après la clôture de la demande"),
        }
    }
}

/// Periods set by the operator that replace the register's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionOverrides(BTreeMap<Purpose, Period>);

impl RetentionOverrides {
    pub fn set(&mut self, purpose: Purpose, period: Period) {
        self.0.insert(purpose, period);
    }

    pub fn get(&self, purpose: Purpose) -> Option<Period> {
        self.0.get(&purpose).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn periods_parse_in_english_and_french() {
        assert_eq!(Period::parse("13 months"), Ok(Period::Months(13)));
        assert_eq!(Period::parse("13 mois"), Ok(Period::Months(13)));
        assert_eq!(Period::parse(" 90 jours "), Ok(Period::Days(90)));
        assert_eq!(Period::parse("2 years"), Ok(Period::Years(2)));
        assert_eq!(Period::parse("1 an"), Ok(Period::Years(1)));
        assert_eq!(Period::parse("6m"), Ok(Period::Months(6)));
        for bad in [
            "",
            "months",
            "-3 days",
            "3 weeks",
            "1.5 years",
            "200 years",
            "99999999999 days",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn periods_are_calendar_aware() {
        let jan31 = Utc.with_ymd_and_hms(2025, 1, 31, 10, 0, 0).unwrap();
        assert_eq!(
            Period::Months(13).after(jan31),
            Utc.with_ymd_and_hms(2026, 2, 28, 10, 0, 0).unwrap()
        );
        assert_eq!(
            Period::Days(90).after(jan31),
            Utc.with_ymd_and_hms(2025, 5, 1, 10, 0, 0).unwrap()
        );
        assert_eq!(
            Period::Years(3).before(jan31),
            Utc.with_ymd_and_hms(2022, 1, 31, 10, 0, 0).unwrap()
        );
    }

    #[test]
    fn windows_read_as_french_sentences() {
        let w = RetentionWindow::new(Period::Months(13), RetentionStart::Collection);
        assert_eq!(w.in_french(), "13 mois à compter de la collecte");
        let w = RetentionWindow::new(Period::Years(1), RetentionStart::LastExchange);
        assert_eq!(w.in_french(), "1 an après le dernier échange");
        let w = RetentionWindow::new(Period::Days(0), RetentionStart::AccountClosure);
        assert_eq!(
            w.in_french(),
            "Pendant toute la durée du compte, puis suppression"
        );
    }
}
