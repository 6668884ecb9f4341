//! The chart of a period: its buckets (hours, days, ISO weeks or months),
//! the granularity chosen automatically or by the person, the metric drawn,
//! and each point's value, hidden (small group) or still to come.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::period::Period;
use super::rollup::{date_of_day, paris_day, Counts, Day};
use crate::paris;

/// How long a bucket of the chart is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Hour,
    Day,
    Week,
    Month,
}

impl Granularity {
    pub const ALL: [Granularity; 4] = [
        Granularity::Hour,
        Granularity::Day,
        Granularity::Week,
        Granularity::Month,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Granularity::Hour => "heure",
            Granularity::Day => "jour",
            Granularity::Week => "semaine",
            Granularity::Month => "mois",
        }
    }

    /// « par heure », « par jour »…
    pub fn unit(self) -> &'static str {
        match self {
            Granularity::Hour => "par heure",
            Granularity::Day => "par jour",
            Granularity::Week => "par semaine",
            Granularity::Month => "par mois",
        }
    }

    /// The first column of the chart's table.
    pub fn column(self) -> &'static str {
        match self {
            Granularity::Hour => "Heure",
            Granularity::Day => "Jour",
            Granularity::Week => "Semaine",
            Granularity::Month => "Mois",
        }
    }

    /// Whether it makes a readable chart of `period`: no 365 days, no
    /// hours over more than a week, no single month.
    pub fn suits(self, period: &Period) -> bool {
        let days = period.chart_last - period.first + 1;
        match self {
            Granularity::Hour => days <= 7,
            Granularity::Day => days <= 92,
            Granularity::Week => (8..=800).contains(&days),
            Granularity::Month => days >= 28,
        }
    }

    pub fn automatic(period: &Period) -> Granularity {
        match period.chart_last - period.first + 1 {
            ..=1 => Granularity::Hour,
            2..=31 => Granularity::Day,
            32..=186 => Granularity::Week,
            _ => Granularity::Month,
        }
    }

    /// The one asked for (`granularite=`) when it suits the period, else
    /// the automatic one.
    pub fn choose(key: Option<&str>, period: &Period) -> Granularity {
        Self::ALL
            .into_iter()
            .find(|g| Some(g.key()) == key && g.suits(period))
            .unwrap_or_else(|| Self::automatic(period))
    }
}

/// What the chart draws. Another metric is one more variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Pages,
    Visitors,
}

impl Metric {
    pub const ALL: [Metric; 2] = [Metric::Pages, Metric::Visitors];

    pub fn key(self) -> &'static str {
        match self {
            Metric::Pages => "pages",
            Metric::Visitors => "visiteurs",
        }
    }

    /// « pages vues », « visiteurs ».
    pub fn name(self) -> &'static str {
        match self {
            Metric::Pages => "pages vues",
            Metric::Visitors => "visiteurs",
        }
    }

    pub fn parse(key: Option<&str>) -> Metric {
        Self::ALL
            .into_iter()
            .find(|m| Some(m.key()) == key)
            .unwrap_or(Metric::Pages)
    }

    pub fn of(self, counts: &Counts) -> i64 {
        match self {
            Metric::Pages => counts.views,
            Metric::Visitors => counts.visitors,
        }
    }
}

/// A point of the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointValue {
    Shown(Counts),
    /// Fewer visitors than the minimum group: not shown.
    Hidden,
    /// Not yet: an hour or a day still to come.
    Future,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPoint {
    pub label: String,
    /// A week or a month cut by the start or the end of the period.
    pub partial: bool,
    pub value: PointValue,
    /// The days (and hour) it stands for.
    pub bucket: Bucket,
}

/// A bucket: a range of days, or one hour of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub first: Day,
    pub last: Day,
    pub hour: Option<u32>,
    pub partial: bool,
}

/// The buckets from `first` to `last`: weeks are ISO weeks (Monday to
/// Sunday), months calendar months, cut at the ends (and then `partial`).
pub fn buckets(granularity: Granularity, first: Day, last: Day) -> Vec<Bucket> {
    let mut out = Vec::new();
    let mut day = first;
    while day <= last {
        let date = date_of_day(day);
        let end = match granularity {
            Granularity::Hour => {
                // The hour skipped when summer time begins has no bar.
                let hours = (0..24).filter(|&hour| paris::hour_happens(date, hour) > 0);
                out.extend(hours.map(|hour| Bucket {
                    first: day,
                    last: day,
                    hour: Some(hour),
                    partial: false,
                }));
                day += 1;
                continue;
            }
            Granularity::Day => day,
            Granularity::Week => day + 6 - i64::from(date.weekday().num_days_from_monday()),
            Granularity::Month => {
                let next = date
                    .with_day(1)
                    .and_then(|d| d.checked_add_months(chrono::Months::new(1)));
                next.map(|n| super::rollup::day_of_date(n) - 1)
                    .unwrap_or(day)
            }
        };
        let full_start = match granularity {
            Granularity::Week => end - 6,
            Granularity::Month => day - i64::from(date.day0()),
            _ => day,
        };
        out.push(Bucket {
            first: day,
            last: end.min(last),
            hour: None,
            partial: full_start < day || end > last,
        });
        day = end + 1;
    }
    out
}

fn label(granularity: Granularity, bucket: &Bucket, one_day: bool) -> String {
    let date = date_of_day(bucket.first);
    // The hour lived twice when summer time ends is counted as one: the
    // log's hours are Paris hours.
    let twice = |hour| {
        if paris::hour_happens(date, hour) > 1 {
            " (deux fois, changement d'heure)"
        } else {
            ""
        }
    };
    match (granularity, bucket.hour) {
        (Granularity::Hour, Some(hour)) if one_day => format!("{hour} h{}", twice(hour)),
        (Granularity::Hour, Some(hour)) => {
            format!("{} {hour} h{}", date.format("%d/%m"), twice(hour))
        }
        (Granularity::Week, _) => format!("sem. du {}", date.format("%d/%m")),
        (Granularity::Month, _) => date.format("%m/%Y").to_string(),
        _ => date.format("%d/%m").to_string(),
    }
}

/// The period's chart from its per-day and per-hour counts. Visitors of a
/// week or a month are the sum of its days' visitors.
pub fn series(
    granularity: Granularity,
    period: &Period,
    days: &BTreeMap<Day, Counts>,
    hours: &BTreeMap<(Day, u32), Counts>,
    now: DateTime<Utc>,
    min_group: i64,
) -> Vec<SeriesPoint> {
    let today = paris_day(now);
    let hour_now = paris::local(now).hour();
    let one_day = period.first == period.chart_last;
    buckets(granularity, period.first, period.chart_last)
        .into_iter()
        .map(|bucket| {
            let future = bucket.first > today
                || (bucket.first == today && bucket.hour.is_some_and(|h| h > hour_now));
            let value = if future {
                PointValue::Future
            } else {
                let mut sum = Counts::default();
                for day in bucket.first..=bucket.last {
                    let counts = match bucket.hour {
                        Some(hour) => hours.get(&(day, hour)),
                        None => days.get(&day),
                    };
                    if let Some(c) = counts {
                        sum.views += c.views;
                        sum.visitors += c.visitors;
                    }
                }
                if sum.visitors < min_group && sum.views > 0 {
                    PointValue::Hidden
                } else {
                    PointValue::Shown(sum)
                }
            };
            SeriesPoint {
                label: label(granularity, &bucket, one_day),
                partial: bucket.partial,
                value,
                bucket,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::period::{PeriodAsked, PeriodKind};
    use crate::analytics::rollup::day_of_date;
    use chrono::{NaiveDate, TimeZone};

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_of_date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn preset(kind: PeriodKind, today: Day) -> Period {
        Period::preset(kind, 0, today, today)
    }

    #[test]
    fn weeks_are_iso_weeks_cut_at_the_ends() {
        // Wednesday 4 March to Sunday 29 March 2026.
        let weeks = buckets(Granularity::Week, day(2026, 3, 4), day(2026, 3, 29));
        assert_eq!(weeks.len(), 4);
        assert_eq!(
            (weeks[0].first, weeks[0].last),
            (day(2026, 3, 4), day(2026, 3, 8))
        );
        assert!(weeks[0].partial);
        assert_eq!(weeks[1].first, day(2026, 3, 9));
        assert!(!weeks[3].partial);
        let months = buckets(Granularity::Month, day(2025, 3, 18), day(2026, 3, 17));
        assert_eq!(months.len(), 13);
        assert!(months[0].partial && months[12].partial && !months[1].partial);
        assert_eq!(months[1].last, day(2025, 4, 30));
    }

    #[test]
    fn days_of_the_clock_change_have_their_own_hours() {
        // 29 March 2026: 2 h does not happen; 25 October 2026: it happens
        // twice, and is counted once, as the log's Paris hours are.
        let spring = buckets(Granularity::Hour, day(2026, 3, 29), day(2026, 3, 29));
        assert_eq!(spring.len(), 23);
        assert!(!spring.iter().any(|b| b.hour == Some(2)));
        let autumn = buckets(Granularity::Hour, day(2026, 10, 25), day(2026, 10, 25));
        assert_eq!(autumn.len(), 24);
        let labels: Vec<String> = autumn
            .iter()
            .map(|b| label(Granularity::Hour, b, true))
            .collect();
        assert_eq!(labels[2], "2 h (deux fois, changement d'heure)");
        assert_eq!(labels[3], "3 h");
        assert_eq!(
            buckets(Granularity::Hour, day(2026, 3, 18), day(2026, 3, 18)).len(),
            24
        );
    }

    #[test]
    fn the_granularity_suits_the_period() {
        let today = day(2026, 3, 18);
        let auto = |kind| Granularity::automatic(&preset(kind, today));
        assert_eq!(auto(PeriodKind::Today), Granularity::Hour);
        assert_eq!(auto(PeriodKind::Yesterday), Granularity::Hour);
        assert_eq!(auto(PeriodKind::Days30), Granularity::Day);
        assert_eq!(auto(PeriodKind::Month), Granularity::Day);
        assert_eq!(auto(PeriodKind::Months12), Granularity::Month);
        let year = preset(PeriodKind::Months12, today);
        assert_eq!(
            Granularity::choose(Some("heure"), &year),
            Granularity::Month
        );
        assert_eq!(
            Granularity::choose(Some("semaine"), &year),
            Granularity::Week
        );
        let asked = PeriodAsked {
            kind: Some("perso"),
            from: Some("2026-01-01"),
            to: Some("2026-03-01"),
            shift: None,
        };
        let sixty = Period::parse(asked, today, today).unwrap();
        assert_eq!(Granularity::automatic(&sixty), Granularity::Week);
        assert_eq!(Metric::parse(Some("visiteurs")), Metric::Visitors);
        assert_eq!(Metric::parse(Some("?")), Metric::Pages);
    }

    #[test]
    fn hours_to_come_are_not_zeros() {
        // 18 March 2026, 14:30 in Paris.
        let now = Utc.with_ymd_and_hms(2026, 3, 18, 13, 30, 0).unwrap();
        let today = day(2026, 3, 18);
        let mut hours = BTreeMap::new();
        hours.insert(
            (today, 9),
            Counts {
                views: 7,
                visitors: 2,
                ..Counts::default()
            },
        );
        let points = series(
            Granularity::Hour,
            &preset(PeriodKind::Today, today),
            &BTreeMap::new(),
            &hours,
            now,
            5,
        );
        assert_eq!(points.len(), 24);
        assert_eq!(points[9].value, PointValue::Hidden);
        assert_eq!(points[14].value, PointValue::Shown(Counts::default()));
        assert_eq!(points[15].value, PointValue::Future);
        assert_eq!(points[15].label, "15 h");
    }
}
