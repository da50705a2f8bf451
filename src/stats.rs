//! Summaries of repeated measurements. A single run is noise; the course
//! reports medians, and percentiles for latencies.

use std::time::Duration;

/// The median of `samples` (the mean of the middle two for an even count).
/// Returns `None` for no samples.
pub fn median(samples: &[Duration]) -> Option<Duration> {
    let mut s = samples.to_vec();
    s.sort();
    let n = s.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(s[n / 2]),
        _ => Some((s[n / 2 - 1] + s[n / 2]) / 2),
    }
}

/// The `p`-th percentile (0.0..=100.0) by the nearest-rank method, from
/// samples that are already sorted. Returns `None` for no samples.
pub fn percentile_sorted(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&ms(&[5, 1, 3])), Some(Duration::from_millis(3)));
        assert_eq!(
            median(&ms(&[4, 1, 3, 2])),
            Some(Duration::from_micros(2500))
        );
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn nearest_rank_percentiles() {
        let s = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile_sorted(&s, 50.0), Some(Duration::from_millis(50)));
        assert_eq!(percentile_sorted(&s, 99.0), Some(Duration::from_millis(99)));
        assert_eq!(
            percentile_sorted(&s, 100.0),
            Some(Duration::from_millis(100))
        );
        assert_eq!(percentile_sorted(&s, 0.0), Some(Duration::from_millis(1)));
        assert_eq!(percentile_sorted(&[], 50.0), None);
    }
}
