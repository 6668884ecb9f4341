//! How the statistics write their figures, the same way on the page, in
//! the CSV files and in the e-mail reports: the headline figures in one
//! list, and the French ways of writing a share, a ratio and a duration.

use crate::analytics::reports::{french_number, Headline};
use crate::http::csv_download::Cell;

/// « 12,3 % » from 0.123.
pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0).replace('.', ",")
}

/// « 2,35 ».
pub fn decimal(value: f64) -> String {
    format!("{value:.2}").replace('.', ",")
}

/// « 45 s », « 2 min 05 s », « 1 h 02 min ».
pub fn duration(seconds: f64) -> String {
    let s = seconds.round().max(0.0) as i64;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, s % 3600 / 60),
    }
}

/// A device type as people read it (it is stored as a key).
pub fn device_name(key: &str) -> &str {
    match key {
        "pc" => "Ordinateur",
        "smartphone" => "Smartphone",
        "tablet" => "Tablette",
        "mobilephone" => "Téléphone mobile",
        "other" => "Autre",
        other => other,
    }
}

/// One of the headline figures of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadlineFigure {
    Views,
    Visitors,
    Visits,
    PagesPerVisit,
    BounceRate,
    AverageDuration,
    MobileShare,
}

impl HeadlineFigure {
    /// In the order the page, the CSV and the e-mail give them.
    pub const ALL: [HeadlineFigure; 7] = [
        HeadlineFigure::Views,
        HeadlineFigure::Visitors,
        HeadlineFigure::Visits,
        HeadlineFigure::PagesPerVisit,
        HeadlineFigure::BounceRate,
        HeadlineFigure::AverageDuration,
        HeadlineFigure::MobileShare,
    ];

    pub fn name(self) -> &'static str {
        match self {
            HeadlineFigure::Views => "Pages vues",
            HeadlineFigure::Visitors => "Visiteurs",
            HeadlineFigure::Visits => "Visites",
            HeadlineFigure::PagesPerVisit => "Pages par visite",
            HeadlineFigure::BounceRate => "Taux de rebond",
            HeadlineFigure::AverageDuration => "Durée moyenne d'une visite",
            HeadlineFigure::MobileShare => "Part des mobiles",
        }
    }

    /// Its name as a CSV column says it, with its unit.
    pub fn csv_name(self) -> &'static str {
        match self {
            HeadlineFigure::BounceRate => "Taux de rebond (%)",
            HeadlineFigure::AverageDuration => "Durée moyenne d'une visite (s)",
            HeadlineFigure::MobileShare => "Part des mobiles (%)",
            other => other.name(),
        }
    }

    /// A count of people or views (the others are ratios of counts).
    pub fn is_count(self) -> bool {
        matches!(
            self,
            HeadlineFigure::Views | HeadlineFigure::Visitors | HeadlineFigure::Visits
        )
    }

    /// Its value, for the change from one period to the next.
    pub fn value(self, h: &Headline) -> f64 {
        match self {
            HeadlineFigure::Views => h.views as f64,
            HeadlineFigure::Visitors => h.visitors as f64,
            HeadlineFigure::Visits => h.visits as f64,
            HeadlineFigure::PagesPerVisit => h.pages_per_visit,
            HeadlineFigure::BounceRate => h.bounce_rate,
            HeadlineFigure::AverageDuration => h.average_duration_s,
            HeadlineFigure::MobileShare => h.mobile_share,
        }
    }

    /// Its value as a French reader writes it.
    pub fn text(self, h: &Headline) -> String {
        match self {
            HeadlineFigure::Views => french_number(h.views),
            HeadlineFigure::Visitors => french_number(h.visitors),
            HeadlineFigure::Visits => french_number(h.visits),
            HeadlineFigure::PagesPerVisit => decimal(h.pages_per_visit),
            HeadlineFigure::BounceRate => percent(h.bounce_rate),
            HeadlineFigure::AverageDuration => duration(h.average_duration_s),
            HeadlineFigure::MobileShare => percent(h.mobile_share),
        }
    }

    /// Its value as a CSV cell: a number a spreadsheet can add up.
    pub fn cell(self, h: &Headline) -> Cell {
        match self {
            HeadlineFigure::Views => Cell::Count(h.views),
            HeadlineFigure::Visitors => Cell::Count(h.visitors),
            HeadlineFigure::Visits => Cell::Count(h.visits),
            HeadlineFigure::PagesPerVisit => Cell::Decimal {
                value: h.pages_per_visit,
                places: 2,
            },
            HeadlineFigure::BounceRate => Cell::Decimal {
                value: h.bounce_rate * 100.0,
                places: 1,
            },
            HeadlineFigure::AverageDuration => Cell::Count(h.average_duration_s.round() as i64),
            HeadlineFigure::MobileShare => Cell::Decimal {
                value: h.mobile_share * 100.0,
                places: 1,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_the_french_way() {
        assert_eq!(percent(0.1234), "12,3 %");
        assert_eq!(decimal(2.345), "2,35");
        assert_eq!(duration(44.6), "45 s");
        assert_eq!(duration(125.0), "2 min 05 s");
        assert_eq!(duration(3720.0), "1 h 02 min");
    }
}
