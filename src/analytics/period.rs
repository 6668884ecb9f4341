//! The period a statistics page shows: a preset (possibly shifted back by
//! the « période précédente » arrows) or chosen dates, as Paris days, and
//! the span it is compared with, like for like.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};

use super::rollup::{date_of_day, day_of_date, Day};
use crate::domain::{DateError, DateRange, DateRangeError};
use crate::paris::{self, MONTHS};

/// The longest custom period: what the aggregates keep.
const MAX_DAYS: i64 = 25 * 31;

/// How far back the arrows may go (a guard on hand-made links).
const MAX_SHIFT: i64 = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Today,
    Yesterday,
    Days7,
    Days30,
    Month,
    PreviousMonth,
    Year,
    Months12,
    All,
    Custom,
}

impl PeriodKind {
    pub const PRESETS: [PeriodKind; 9] = [
        PeriodKind::Today,
        PeriodKind::Yesterday,
        PeriodKind::Days7,
        PeriodKind::Days30,
        PeriodKind::Month,
        PeriodKind::PreviousMonth,
        PeriodKind::Year,
        PeriodKind::Months12,
        PeriodKind::All,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PeriodKind::Today => "aujourdhui",
            PeriodKind::Yesterday => "hier",
            PeriodKind::Days7 => "7j",
            PeriodKind::Days30 => "30j",
            PeriodKind::Month => "mois",
            PeriodKind::PreviousMonth => "mois-precedent",
            PeriodKind::Year => "annee",
            PeriodKind::Months12 => "12m",
            PeriodKind::All => "tout",
            PeriodKind::Custom => "perso",
        }
    }

    pub fn parse(key: &str) -> Option<PeriodKind> {
        Self::PRESETS
            .into_iter()
            .chain([PeriodKind::Custom])
            .find(|k| k.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            PeriodKind::Today => "Aujourd'hui",
            PeriodKind::Yesterday => "Hier",
            PeriodKind::Days7 => "7 derniers jours",
            PeriodKind::Days30 => "30 derniers jours",
            PeriodKind::Month => "Ce mois-ci",
            PeriodKind::PreviousMonth => "Le mois dernier",
            PeriodKind::Year => "Depuis le 1er janvier",
            PeriodKind::Months12 => "12 derniers mois",
            PeriodKind::All => "Depuis le début",
            PeriodKind::Custom => "Période choisie",
        }
    }
}

/// A range of Paris days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    /// How many periods of its kind before the current one (0 or less;
    /// always 0 for chosen dates, which the arrows move themselves).
    pub offset: i64,
    pub first: Day,
    pub last: Day,
    /// The last day the chart spans: the end of a month or a year still
    /// running, whose days to come are drawn as « à venir ».
    pub chart_last: Day,
}

/// The span a period is compared with: whole days, the last one possibly
/// cut at the time of day it is now (like for like with a running period).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    pub first: Day,
    pub last: Day,
    /// The instant the last day is counted until, when the period includes
    /// today.
    pub cut: Option<DateTime<Utc>>,
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
    #[error("Ce décalage de période n'est pas valable : revenez à la période en cours.")]
    BadShift,
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

/// What the URL asks for: `periode`, `decalage`, `du`, `au`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PeriodAsked<'a> {
    pub kind: Option<&'a str>,
    pub shift: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

fn month_start(date: NaiveDate, months_back: i64) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_sub_months(Months::new(months_back.unsigned_abs() as u32))
        .unwrap_or(first)
}

fn month_end(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(start)
}

fn years_back(date: NaiveDate, years: i64) -> NaiveDate {
    date.checked_sub_months(Months::new(12 * years.unsigned_abs() as u32))
        .unwrap_or(date)
}

impl Period {
    /// The preset `kind` moved `offset` periods back from `today`; `first`
    /// is where the data begins, for `tout`.
    pub fn preset(kind: PeriodKind, offset: i64, today: Day, first: Day) -> Period {
        let date = date_of_day(today);
        let span = |first: Day, last: Day| (first, last, last);
        let (start, last, chart_last) = match kind {
            PeriodKind::Today => span(today + offset, today + offset),
            PeriodKind::Yesterday => span(today - 1 + offset, today - 1 + offset),
            PeriodKind::Days7 => span(today - 7 + 7 * offset, today - 1 + 7 * offset),
            PeriodKind::Days30 => span(today - 30 + 30 * offset, today - 1 + 30 * offset),
            PeriodKind::Month | PeriodKind::PreviousMonth => {
                let back = if kind == PeriodKind::Month { 0 } else { 1 } - offset;
                let start = month_start(date, back);
                let end = day_of_date(month_end(start));
                (day_of_date(start), end.min(today), end)
            }
            PeriodKind::Year => {
                let until = years_back(date, -offset);
                let start = NaiveDate::from_ymd_opt(until.year(), 1, 1).unwrap_or(until);
                let end = NaiveDate::from_ymd_opt(until.year(), 12, 31).unwrap_or(until);
                let chart_last = if offset == 0 { end } else { until };
                (
                    day_of_date(start),
                    day_of_date(until),
                    day_of_date(chart_last),
                )
            }
            PeriodKind::Months12 => {
                let last = years_back(date_of_day(today - 1), -offset);
                span(day_of_date(years_back(last, 1)) + 1, day_of_date(last))
            }
            PeriodKind::All | PeriodKind::Custom => span(first.min(today), today),
        };
        Period {
            kind,
            offset,
            first: start,
            last,
            chart_last,
        }
    }

    /// Reads the URL; `data_from` is the first day with figures (`tout`).
    pub fn parse(asked: PeriodAsked, today: Day, data_from: Day) -> Result<Period, PeriodError> {
        let kind = asked
            .kind
            .and_then(PeriodKind::parse)
            .unwrap_or(PeriodKind::Days30);
        if kind == PeriodKind::Custom {
            return Self::custom(asked.from, asked.to, today);
        }
        let offset = match asked.shift.map(str::trim) {
            None | Some("") => 0,
            Some(text) => text.parse::<i64>().map_err(|_| PeriodError::BadShift)?,
        };
        if offset > 0 {
            return Err(PeriodError::Future);
        }
        if offset < -MAX_SHIFT || (offset != 0 && kind == PeriodKind::All) {
            return Err(PeriodError::BadShift);
        }
        Ok(Self::preset(kind, offset, today, data_from))
    }

    fn custom(from: Option<&str>, to: Option<&str>, today: Day) -> Result<Period, PeriodError> {
        let range = DateRange::parse(from.unwrap_or(""), to.unwrap_or(""))?;
        let (first, last) = (day_of_date(range.first()), day_of_date(range.last()));
        if last > today {
            return Err(PeriodError::Future);
        }
        if last - first + 1 > MAX_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Period::chosen(first, last))
    }

    /// Chosen dates, both included (the caller checks them).
    pub fn chosen(first: Day, last: Day) -> Period {
        Period {
            kind: PeriodKind::Custom,
            offset: 0,
            first,
            last,
            chart_last: last,
        }
    }

    pub fn days(&self) -> i64 {
        self.last - self.first + 1
    }

    /// The period `by` periods of its kind later (negative: earlier); `None`
    /// past today, and for `tout`, which has nothing before or after.
    pub fn step(&self, by: i64, today: Day) -> Option<Period> {
        match self.kind {
            PeriodKind::All => None,
            PeriodKind::Custom => {
                let (first, last) = (self.first + by * self.days(), self.last + by * self.days());
                (first <= today).then(|| Period {
                    first,
                    last: last.min(today),
                    chart_last: last.min(today),
                    ..*self
                })
            }
            kind => {
                let offset = self.offset + by;
                (-MAX_SHIFT..=0)
                    .contains(&offset)
                    .then(|| Period::preset(kind, offset, today, self.first))
            }
        }
    }

    /// What the period is compared with: the one before it, cut at the
    /// same time of day when this one runs until now.
    pub fn comparison(&self, now: DateTime<Utc>) -> Option<Comparison> {
        let today = day_of_date(paris::date(now));
        let mut before = self.step(-1, today)?;
        let running = self.last == today;
        if running {
            // « Ce mois-ci » on the 5th: the 1st to the 5th of the month before.
            before.last = before.last.min(before.first + self.days() - 1);
        }
        let cut = running.then(|| {
            let time = paris::local(now).time();
            paris::instant(date_of_day(before.last).and_time(time)).unwrap_or(now)
        });
        Some(Comparison {
            first: before.first,
            last: before.last,
            cut,
        })
    }

    /// The query string that selects this period, for links.
    pub fn query(&self) -> String {
        match self.kind {
            PeriodKind::Custom => format!(
                "periode=perso&du={}&au={}",
                self.first_date().format("%Y-%m-%d"),
                self.last_date().format("%Y-%m-%d")
            ),
            kind if self.offset == 0 => format!("periode={}", kind.key()),
            kind => format!("periode={}&decalage={}", kind.key(), self.offset),
        }
    }

    /// What the period is, in words: « Ce mois-ci », « Novembre 2026 »,
    /// « Le 17 mars 2026 », « 7 jours »…
    pub fn title(&self) -> String {
        if self.offset == 0 {
            return self.kind.label().to_owned();
        }
        let first = self.first_date();
        match self.kind {
            PeriodKind::Today | PeriodKind::Yesterday => format!("Le {}", long_date(first)),
            PeriodKind::Month | PeriodKind::PreviousMonth => {
                let month = MONTHS[first.month0() as usize];
                let mut title = month[..1].to_uppercase();
                title.push_str(&month[1..]);
                format!("{title} {}", first.year())
            }
            PeriodKind::Year => format!(
                "{}, du 1er janvier au {}",
                first.year(),
                long_date(self.last_date())
            ),
            PeriodKind::Days7 => "7 jours".to_owned(),
            PeriodKind::Days30 => "30 jours".to_owned(),
            PeriodKind::Months12 => "12 mois".to_owned(),
            PeriodKind::All | PeriodKind::Custom => self.kind.label().to_owned(),
        }
    }

    /// « du 01/03/2026 au 30/03/2026 », or « le 02/03/2026 ».
    pub fn in_french(&self) -> String {
        days_in_french(self.first, self.last)
    }

    pub fn first_date(&self) -> NaiveDate {
        date_of_day(self.first)
    }

    pub fn last_date(&self) -> NaiveDate {
        date_of_day(self.last)
    }
}

/// « 17 mars 2026 ».
pub fn long_date(date: NaiveDate) -> String {
    let day = match date.day() {
        1 => "1er".to_owned(),
        d => d.to_string(),
    };
    format!("{day} {} {}", MONTHS[date.month0() as usize], date.year())
}

/// « du 01/03/2026 au 30/03/2026 », or « le 02/03/2026 ».
pub fn days_in_french(first: Day, last: Day) -> String {
    let date = |day: Day| date_of_day(day).format("%d/%m/%Y").to_string();
    if first == last {
        format!("le {}", date(first))
    } else {
        format!("du {} au {}", date(first), date(last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_of_date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn parse(kind: &str, shift: Option<&str>, today: Day) -> Result<Period, PeriodError> {
        let asked = PeriodAsked {
            kind: Some(kind),
            shift,
            ..Default::default()
        };
        Period::parse(asked, today, day(2025, 1, 1))
    }

    fn custom(from: &str, to: &str, today: Day) -> Result<Period, PeriodError> {
        let asked = PeriodAsked {
            kind: Some("perso"),
            from: Some(from),
            to: Some(to),
            shift: None,
        };
        Period::parse(asked, today, today)
    }

    #[test]
    fn presets_follow_the_calendar() {
        let today = day(2026, 3, 18);
        let dates = |kind| parse(kind, None, today).unwrap().in_french();
        assert_eq!(dates("aujourdhui"), "le 18/03/2026");
        assert_eq!(dates("hier"), "le 17/03/2026");
        assert_eq!(dates("7j"), "du 11/03/2026 au 17/03/2026");
        assert_eq!(dates("30j"), "du 16/02/2026 au 17/03/2026");
        assert_eq!(dates("mois"), "du 01/03/2026 au 18/03/2026");
        assert_eq!(dates("mois-precedent"), "du 01/02/2026 au 28/02/2026");
        assert_eq!(dates("annee"), "du 01/01/2026 au 18/03/2026");
        assert_eq!(dates("12m"), "du 18/03/2025 au 17/03/2026");
        assert_eq!(dates("tout"), "du 01/01/2025 au 18/03/2026");
        assert_eq!(dates("n'importe"), dates("30j"));
        let month = parse("mois", None, today).unwrap();
        assert_eq!(month.chart_last, day(2026, 3, 31));
        assert_eq!(
            parse("annee", None, today).unwrap().chart_last,
            day(2026, 12, 31)
        );
    }

    #[test]
    fn the_arrows_move_a_period_by_its_own_kind() {
        let today = day(2026, 3, 18);
        let month = parse("mois", None, today).unwrap();
        let before = month.step(-1, today).unwrap();
        assert_eq!(before.in_french(), "du 01/02/2026 au 28/02/2026");
        assert_eq!(before.title(), "Février 2026");
        assert_eq!(before.query(), "periode=mois&decalage=-1");
        assert_eq!(before.step(1, today), Some(month));
        assert_eq!(month.step(1, today), None, "nothing after today");
        let year = parse("annee", Some("-1"), today).unwrap();
        assert_eq!(year.in_french(), "du 01/01/2025 au 18/03/2025");
        let week = parse("7j", Some("-2"), today).unwrap();
        assert_eq!(week.in_french(), "du 25/02/2026 au 03/03/2026");
        let mine = custom("2026-03-01", "2026-03-10", today).unwrap();
        assert_eq!(
            mine.step(-1, today).unwrap().in_french(),
            "du 19/02/2026 au 28/02/2026"
        );
        assert_eq!(
            mine.step(1, today).unwrap().in_french(),
            "du 11/03/2026 au 18/03/2026"
        );
        assert_eq!(parse("tout", None, today).unwrap().step(-1, today), None);
        assert_eq!(parse("mois", Some("1"), today), Err(PeriodError::Future));
        assert_eq!(parse("mois", Some("x"), today), Err(PeriodError::BadShift));
    }

    #[test]
    fn a_running_period_is_compared_until_the_same_time_of_day() {
        // 18 March 2026, 14:30 in Paris (UTC+1).
        let now = Utc.with_ymd_and_hms(2026, 3, 18, 13, 30, 0).unwrap();
        let today = day(2026, 3, 18);
        let c = parse("aujourdhui", None, today)
            .unwrap()
            .comparison(now)
            .unwrap();
        assert_eq!((c.first, c.last), (day(2026, 3, 17), day(2026, 3, 17)));
        assert_eq!(
            c.cut,
            Some(Utc.with_ymd_and_hms(2026, 3, 17, 13, 30, 0).unwrap())
        );
        let c = parse("mois", None, today).unwrap().comparison(now).unwrap();
        assert_eq!(
            days_in_french(c.first, c.last),
            "du 01/02/2026 au 18/02/2026"
        );
        let c = parse("7j", None, today).unwrap().comparison(now).unwrap();
        assert_eq!(
            days_in_french(c.first, c.last),
            "du 04/03/2026 au 10/03/2026"
        );
        assert_eq!(c.cut, None, "whole days");
        assert_eq!(parse("tout", None, today).unwrap().comparison(now), None);
        // Across the clock change (29 March): 14:30 in summer time is 12:30
        // UTC, the day before in winter time 13:30 UTC.
        let now = Utc.with_ymd_and_hms(2026, 3, 30, 12, 30, 0).unwrap();
        let c = parse("aujourdhui", None, day(2026, 3, 30))
            .unwrap()
            .comparison(now)
            .unwrap();
        assert_eq!(
            c.cut,
            Some(Utc.with_ymd_and_hms(2026, 3, 29, 12, 30, 0).unwrap())
        );
        let c = parse("hier", None, day(2026, 3, 30))
            .unwrap()
            .comparison(now)
            .unwrap();
        assert_eq!(c.cut, None);
    }

    #[test]
    fn chosen_dates_are_checked() {
        let today = day(2026, 3, 2);
        assert_eq!(
            custom("01/02/2026", "2026-02-10", today).unwrap().days(),
            10
        );
        assert_eq!(
            custom("10/02/2026", "01/02/2026", today),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            custom("0001-01-01", "0001-01-10", today),
            Err(PeriodError::BadDate)
        );
        assert_eq!(custom("x", "01/02/2026", today), Err(PeriodError::BadDate));
        assert_eq!(
            custom("01/02/2026", "01/04/2026", today),
            Err(PeriodError::Future)
        );
        assert_eq!(
            custom("01/01/2020", "01/02/2026", today),
            Err(PeriodError::TooLong)
        );
    }
}
