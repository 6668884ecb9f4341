//! The generator's randomness: a seeded stream and weighted tables.

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough to
/// draw traffic; the same seed gives the same stream on every platform.
#[derive(Debug, Clone)]
pub(super) struct SplitMix64(pub(super) u64);

impl SplitMix64 {
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (n > 0), by multiply-and-shift.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(super) fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }
}

/// SplitMix64's finaliser: a good 64-bit hash.
pub(super) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Items drawn in proportion to integer weights.
pub(super) struct Weighted<T> {
    items: Vec<T>,
    /// Running totals: item i is drawn for a value in [cumulative[i-1], cumulative[i]).
    cumulative: Vec<u64>,
}

impl<T> Weighted<T> {
    pub(super) fn new(pairs: impl IntoIterator<Item = (u64, T)>) -> Self {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0;
        for (weight, item) in pairs {
            total += weight;
            items.push(item);
            cumulative.push(total);
        }
        assert!(total > 0, "a weighted table needs a positive total");
        Self { items, cumulative }
    }

    pub(super) fn total(&self) -> u64 {
        *self.cumulative.last().unwrap_or(&0)
    }

    pub(super) fn pick(&self, rng: &mut SplitMix64) -> &T {
        let x = rng.below(self.total());
        &self.items[self.cumulative.partition_point(|&c| c <= x)]
    }
}
