//! The plan of a run: how many page views fall in each hour of the period,
//! and the generator that turns it into visits and rows.

use std::collections::{BTreeMap, HashSet};
use std::net::Ipv4Addr;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::calendar::slot_weight;
use super::catalog::{Catalog, VISIT_LENGTHS};
use super::random::{mix, SplitMix64};
use super::BATCH_SIZE;
use crate::analytics::rollup::{paris_day, Day};
use crate::analytics::VisitorEvent;
use crate::db::from_millis;
use crate::privacy::{Purpose, Register, RetentionWindow};

pub(super) const HOUR_MS: i64 = 3_600_000;

/// What a run generated, besides its rows.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Distinct (truncated IP, User-Agent) pairs that made a view.
    pub visitors: u64,
    /// The visits made, by the Paris day of their first view: the truth the
    /// statistics' estimate of visits is compared with.
    pub visits_by_day: BTreeMap<Day, u64>,
}
const DAY_MS: i64 = 24 * HOUR_MS;

/// Visits a visitor makes over the period: one over a fortnight, more over
/// longer periods, at most four (each visitor is active about three weeks).
fn visits_per_visitor(days: u32) -> f64 {
    (f64::from(days) / 15.0).clamp(1.0, 4.0)
}
const ACTIVE_DAYS: u32 = 21;

pub(super) struct Plan {
    seed: u64,
    /// The first millisecond of the period; slot i is the hour from
    /// `start_ms + i h`, and the last one ends at `now`.
    start_ms: i64,
    /// Page views per one-hour slot; they add up to the events asked for.
    slot_views: Vec<u32>,
    /// Synthetic visitors in the pool, and how many are active at once.
    pool: u64,
    active: u64,
    retention: RetentionWindow,
}

impl Plan {
    pub(super) fn new(
        register: &Register,
        events: u64,
        days: u32,
        now: DateTime<Utc>,
        seed: u64,
    ) -> Self {
        let start_ms = now.timestamp_millis() - i64::from(days) * DAY_MS;
        let weights: Vec<f64> = (0..days as usize * 24)
            .map(|slot| {
                let middle = from_millis(start_ms + slot as i64 * HOUR_MS + HOUR_MS / 2);
                slot_weight(middle, seed)
            })
            .collect();
        let visit_lengths = VISIT_LENGTHS.iter().map(|(w, _)| w).sum::<u64>() as f64;
        let mean_length =
            VISIT_LENGTHS.iter().map(|(w, n)| w * n).sum::<u64>() as f64 / visit_lengths;
        let visits = events as f64 / mean_length;
        let pool = ((visits / visits_per_visitor(days)).ceil() as u64).max(1);
        let active = if days <= ACTIVE_DAYS {
            pool
        } else {
            (pool * u64::from(ACTIVE_DAYS) / u64::from(days)).max(1)
        };
        Self {
            seed,
            start_ms,
            slot_views: shares(&weights, events),
            pool,
            active,
            retention: register.retention(Purpose::Audience),
        }
    }

    /// Makes every event, in batches of [`BATCH_SIZE`] handed to `send`,
    /// which answers whether to go on. Returns how many distinct visitors,
    /// (truncated IP, User-Agent) pairs as the rows show them, made a view:
    /// fewer than the pool, since visitors behind one /24 (a mobile
    /// carrier's NAT, a big office) with the same browser look like one.
    pub(super) fn generate(
        &self,
        catalog: &Catalog,
        mut send: impl FnMut(Arc<[VisitorEvent]>) -> bool,
    ) -> Generated {
        let mut rng = SplitMix64(mix(self.seed));
        let mut visits_by_day: BTreeMap<Day, u64> = BTreeMap::new();
        // At most (the /24s of the networks) × (the User-Agents) entries.
        let mut seen: HashSet<u64> = HashSet::new();
        let mut batch = Vec::with_capacity(BATCH_SIZE);
        // One slot's views, sorted before they are batched.
        let mut hour = Vec::new();
        for (slot, &views) in self.slot_views.iter().enumerate() {
            for ((ua, address), begin) in
                self.slot_visits(slot, views, catalog, &mut rng, &mut hour)
            {
                seen.insert((u64::from(u32::from(address)) << 8) | ua as u64);
                *visits_by_day
                    .entry(paris_day(from_millis(begin)))
                    .or_default() += 1;
            }
            // Written in time order, as the site writes them: the indexes on
            // the time columns then only grow at their right end.
            hour.sort_by_key(|event| event.occurred_at);
            for event in hour.drain(..) {
                batch.push(event);
                if batch.len() == BATCH_SIZE {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_SIZE));
                    if !send(full.into()) {
                        return Generated {
                            visitors: seen.len() as u64,
                            visits_by_day,
                        };
                    }
                }
            }
        }
        if !batch.is_empty() {
            send(batch.into());
        }
        Generated {
            visitors: seen.len() as u64,
            visits_by_day,
        }
    }

    /// The visits of one slot, their views pushed on `hour`; returns the
    /// visitors, (User-Agent index, truncated address), one per visit, with
    /// the visit's first instant (ms).
    fn slot_visits(
        &self,
        slot: usize,
        views: u32,
        catalog: &Catalog,
        rng: &mut SplitMix64,
        hour: &mut Vec<VisitorEvent>,
    ) -> Vec<((usize, Ipv4Addr), i64)> {
        let slot_start = self.start_ms + slot as i64 * HOUR_MS;
        let slots = self.slot_views.len() as f64;
        // Visitors are ordered by when they are around: at this point of
        // the period, the ones in a window of `active` of the pool.
        let window_start = ((slot as f64 + 0.5) / slots * (self.pool - self.active) as f64) as u64;
        let mut visitors = Vec::new();
        let mut left = u64::from(views);
        while left > 0 {
            let length = (*catalog.visit_lengths.pick(rng)).min(left);
            left -= length;
            let index = window_start + rng.below(self.active);
            let visitor = catalog.visitor(self.seed, index);
            let begin = self.visit(catalog, rng, slot_start, length as usize, visitor, hour);
            visitors.push((visitor, begin));
        }
        visitors
    }

    /// One visit of `length` views by `visitor`, inside the slot that
    /// begins at `slot_start`; returns when it begins (ms).
    fn visit(
        &self,
        catalog: &Catalog,
        rng: &mut SplitMix64,
        slot_start: i64,
        length: usize,
        (ua, address): (usize, Ipv4Addr),
        hour: &mut Vec<VisitorEvent>,
    ) -> i64 {
        let device = &catalog.devices[ua];
        let ip = address.to_string();
        // The moments of the views: 8 s to 5 min apart, the whole visit
        // inside its slot (so never after `now`).
        let mut times = [0i64; 8];
        let mut offset = 0i64;
        for (i, time) in times.iter_mut().take(length).enumerate() {
            if i > 0 {
                let u = rng.unit();
                offset += 8_000 + (u * u * 292_000.0) as i64;
            }
            *time = offset;
        }
        let begin = slot_start + rng.below((HOUR_MS - offset) as u64) as i64;

        let campaign = rng.chance(catalog.campaign_visit);
        let mut page = None;
        for &time in &times[..length] {
            let url = catalog.next_url(&mut page, campaign, rng);
            let occurred_at = from_millis(begin + time);
            hour.push(VisitorEvent {
                purpose: Purpose::Audience,
                occurred_at,
                expires_at: self.retention.expires_at(occurred_at),
                ip: ip.clone(),
                device: device.clone(),
                url,
            });
        }
        begin
    }
}

/// Cumulative rounding: each slot gets its share of `events`, and the
/// shares add up to exactly `events`.
fn shares(weights: &[f64], events: u64) -> Vec<u32> {
    let total: f64 = weights.iter().sum();
    let mut slot_views = Vec::with_capacity(weights.len());
    let (mut running, mut given) = (0.0, 0u64);
    for (i, weight) in weights.iter().enumerate() {
        running += weight;
        let due = if i + 1 == weights.len() {
            events
        } else {
            ((running / total * events as f64).floor() as u64).min(events)
        };
        slot_views.push((due - given) as u32);
        given = due;
    }
    slot_views
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::user_agent::DeviceType;
    use chrono::{Datelike, TimeZone, Weekday};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap()
    }

    fn events_of(plan: &Plan) -> (Vec<VisitorEvent>, u64) {
        let mut all = Vec::new();
        let visitors = plan.generate(&Catalog::new(), |batch| {
            assert!(batch.len() <= BATCH_SIZE);
            all.extend(batch.iter().cloned());
            true
        });
        (all, visitors.visitors)
    }

    #[test]
    fn slot_views_add_up_and_follow_office_hours() {
        for events in [1, 7, 999, 123_457] {
            let plan = Plan::new(&Register::default(), events, 14, now(), 1);
            assert_eq!(plan.slot_views.len(), 14 * 24);
            assert_eq!(
                plan.slot_views.iter().map(|&v| u64::from(v)).sum::<u64>(),
                events
            );
        }
        let plan = Plan::new(&Register::default(), 1_000_000, 28, now(), 1);
        let (mut night, mut office, mut weekday, mut weekend) = (0u64, 0u64, 0u64, 0u64);
        for (slot, &views) in plan.slot_views.iter().enumerate() {
            let at = crate::paris::local(from_millis(
                plan.start_ms + slot as i64 * HOUR_MS + HOUR_MS / 2,
            ));
            let hour = chrono::Timelike::hour(&at);
            let views = u64::from(views);
            if hour < 6 {
                night += views;
            }
            if (9..18).contains(&hour) {
                office += views;
            }
            match at.weekday() {
                Weekday::Sat | Weekday::Sun => weekend += views,
                _ => weekday += views,
            }
        }
        assert!(night < 40_000, "night: {night}");
        assert!(office > 600_000, "office hours: {office}");
        // Four weekends and four working weeks: per day, weekends ≈ 40%.
        let ratio = (weekend as f64 / 8.0) / (weekday as f64 / 20.0);
        assert!((0.3..0.5).contains(&ratio), "weekend/weekday: {ratio}");
    }

    #[test]
    fn generation_is_deterministic_and_realistic() {
        let register = Register::default();
        let plan = Plan::new(&register, 50_000, 30, now(), 7);
        let (events, visitors) = events_of(&plan);
        assert_eq!(events.len(), 50_000);
        let (again, _) = events_of(&Plan::new(&register, 50_000, 30, now(), 7));
        let key = |e: &VisitorEvent| (e.occurred_at, e.ip.clone(), e.url.clone());
        assert!(events.iter().map(key).eq(again.iter().map(key)));
        let (other, _) = events_of(&Plan::new(&register, 50_000, 30, now(), 8));
        assert!(!events.iter().map(key).eq(other.iter().map(key)));

        let campaigns = events.iter().filter(|e| e.url.contains('?')).count() as f64;
        let share = campaigns / events.len() as f64;
        assert!((0.12..0.18).contains(&share), "campaign share {share}");
        let per_visitor = events.len() as f64 / visitors as f64;
        assert!(
            (4.0..9.0).contains(&per_visitor),
            "{per_visitor} views per visitor"
        );
        let start = now() - chrono::Duration::days(30);
        for event in &events {
            assert!(event.occurred_at >= start && event.occurred_at < now());
            assert_eq!(
                event.expires_at,
                register
                    .retention(Purpose::Audience)
                    .expires_at(event.occurred_at)
            );
        }
        let count = |kind: DeviceType| {
            events
                .iter()
                .filter(|e| e.device.device_type == kind)
                .count() as f64
                / 50_000.0
        };
        assert!((0.48..0.62).contains(&count(DeviceType::Pc)));
        assert!((0.31..0.45).contains(&count(DeviceType::Smartphone)));
        assert!((0.04..0.10).contains(&count(DeviceType::Tablet)));
    }

    /// The rows of a fixed plan, pinned: a change to what a seed draws
    /// (the order of the draws included) shows here.
    #[test]
    fn a_seed_draws_the_rows_it_always_drew() {
        let plan = Plan::new(&Register::default(), 20_000, 10, now(), 3);
        let (events, visitors) = events_of(&plan);
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        for event in &events {
            let line = format!(
                "{}|{}|{}|{:?}\n",
                event.occurred_at.timestamp_millis(),
                event.ip,
                event.url,
                event.device.device_type
            );
            for byte in line.bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        assert_eq!((hash, visitors), (0x5c94_bc41_906e_6763, 4407));
    }
}
