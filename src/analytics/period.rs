//! The period a statistics page shows: a preset or chosen dates, as Paris
//! days, and the period it is compared with.

use chrono::{Months, NaiveDate};

use super::rollup::{date_of_day, day_of_date, Day};
use crate::domain::{DateError, DateRange, DateRangeError};

/// The longest custom period: what the aggregates keep.
const MAX_DAYS: i64 = 25 * 31;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Today,
    Days7,
    Days30,
    Months12,
    Custom,
}

impl PeriodKind {
    pub const PRESETS: [PeriodKind; 4] = [
        PeriodKind::Today,
        PeriodKind::Days7,
        PeriodKind::Days30,
        PeriodKind::Months12,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PeriodKind::Today => "aujourdhui",
            PeriodKind::Days7 => "7j",
            PeriodKind::Days30 => "30j",
            PeriodKind::Months12 => "12m",
            PeriodKind::Custom => "perso",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PeriodKind::Today => "Aujourd'hui",
            PeriodKind::Days7 => "7 derniers jours",
            PeriodKind::Days30 => "30 derniers jours",
            PeriodKind::Months12 => "12 derniers mois",
            PeriodKind::Custom => "Période choisie",
        }
    }
}

/// A range of Paris days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub first: Day,
    pub last: Day,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("Indiquez les dates au format jj/mm/aaaa ou aaaa-mm-jj.")]
    BadDate,
    #[error("La date de début doit précéder la date de fin.")]
    Reversed,
    #[error("Les statistiques ne vont pas au-delà d'aujourd'hui.")]
    Future,
    #[error("Choisissez une période de 25 mois au plus : les statistiques ne sont pas gardées plus longtemps.")]
    TooLong,
}

impl From<DateRangeError> for PeriodError {
    fn from(error: DateRangeError) -> Self {
        match error {
            DateRangeError::From(_) | DateRangeError::To(DateError::BadDate) => {
                PeriodError::BadDate
            }
            DateRangeError::To(DateError::Reversed) => PeriodError::Reversed,
        }
    }
}

impl Period {
    /// `periode` is a preset key; `perso` reads `du` and `au`.
    pub fn parse(
        kind: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        today: Day,
    ) -> Result<Period, PeriodError> {
        let preset = |kind, first| {
            Ok(Period {
                kind,
                first,
                last: today,
            })
        };
        match kind.unwrap_or("30j") {
            "aujourdhui" => preset(PeriodKind::Today, today),
            "7j" => preset(PeriodKind::Days7, today - 6),
            "12m" => {
                let date = date_of_day(today);
                let year_ago = date.checked_sub_months(Months::new(12)).unwrap_or(date);
                preset(PeriodKind::Months12, day_of_date(year_ago) + 1)
            }
            "perso" => {
                let range = DateRange::parse(from.unwrap_or(""), to.unwrap_or(""))?;
                let (first, last) = (day_of_date(range.first()), day_of_date(range.last()));
                if last > today {
                    return Err(PeriodError::Future);
                }
                if last - first + 1 > MAX_DAYS {
                    return Err(PeriodError::TooLong);
                }
                Ok(Period {
                    kind: PeriodKind::Custom,
                    first,
                    last,
                })
            }
            _ => preset(PeriodKind::Days30, today - 29),
        }
    }

    pub fn days(&self) -> i64 {
        self.last - self.first + 1
    }

    /// The same number of days just before.
    pub fn previous(&self) -> Period {
        Period {
            kind: self.kind,
            first: self.first - self.days(),
            last: self.first - 1,
        }
    }

    /// « du 01/03/2026 au 30/03/2026 », or « le 02/03/2026 ».
    pub fn in_french(&self) -> String {
        let date = |day: Day| date_of_day(day).format("%d/%m/%Y").to_string();
        if self.first == self.last {
            format!("le {}", date(self.first))
        } else {
            format!("du {} au {}", date(self.first), date(self.last))
        }
    }

    pub fn first_date(&self) -> NaiveDate {
        date_of_day(self.first)
    }

    pub fn last_date(&self) -> NaiveDate {
        date_of_day(self.last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_follow_the_calendar() {
        let today = day_of_date(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        let p = Period::parse(Some("7j"), None, None, today).unwrap();
        assert_eq!(p.in_french(), "du 24/02/2026 au 02/03/2026");
        assert_eq!(p.previous().in_french(), "du 17/02/2026 au 23/02/2026");
        let year = Period::parse(Some("12m"), None, None, today).unwrap();
        assert_eq!(year.in_french(), "du 03/03/2025 au 02/03/2026");
        let custom =
            Period::parse(Some("perso"), Some("01/02/2026"), Some("2026-02-10"), today).unwrap();
        assert_eq!(custom.days(), 10);
        assert_eq!(
            Period::parse(Some("perso"), Some("10/02/2026"), Some("01/02/2026"), today),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            Period::parse(Some("perso"), Some("0001-01-01"), Some("0001-01-10"), today),
            Err(PeriodError::BadDate)
        );
        assert_eq!(
            Period::parse(Some("perso"), Some("x"), Some("01/02/2026"), today),
            Err(PeriodError::BadDate)
        );
        assert_eq!(
            Period::parse(Some("perso"), Some("01/02/2026"), Some("01/04/2026"), today),
            Err(PeriodError::Future)
        );
        assert_eq!(
            Period::parse(Some("perso"), Some("01/01/2020"), Some("01/02/2026"), today),
            Err(PeriodError::TooLong)
        );
        assert_eq!(
            Period::parse(Some("n'importe"), None, None, today)
                .unwrap()
                .kind,
            PeriodKind::Days30
        );
    }
}
