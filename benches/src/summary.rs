//! The fiber result summary of the peer runners (`fiber_common.summary` in the
//! peer baselines), computed the same way so that the two can be compared
//! field by field.

/// Summary of per-household nearest-route distances for a drop limit `d_m`.
#[derive(Debug, Clone, PartialEq)]
pub struct FiberSummary {
    /// Number of households.
    pub n: usize,
    /// Drop limit (m).
    pub d_m: f64,
    /// Households with distance ≤ d.
    pub n_within_d: usize,
    /// 100 · n_within_d / n, rounded to 4 decimals.
    pub pct_within_d: f64,
    /// Sum of the distances ≤ d (m), rounded to 0.01.
    pub sum_dist_within_d_m: f64,
    /// Median distance (m), numpy's default (linear) percentile, rounded to 0.01.
    pub dist_p50_m: f64,
    /// 90th percentile distance (m), as above.
    pub dist_p90_m: f64,
    /// Mean distance (m), rounded to 0.01.
    pub dist_mean_m: f64,
}

impl FiberSummary {
    /// Summary of `dist` (every household's distance, none missing) for the limit `d_m`.
    ///
    /// Sums are compensated (Neumaier), so they match numpy's pairwise sums to
    /// far below the 0.01 rounding.
    pub fn new(dist: &[f64], d_m: f64) -> Self {
        assert!(!dist.is_empty(), "no distances");
        let n = dist.len();
        let within: Vec<f64> = dist.iter().copied().filter(|&x| x <= d_m).collect();
        let mut sorted = dist.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        FiberSummary {
            n,
            d_m,
            n_within_d: within.len(),
            pct_within_d: round_to(100.0 * (within.len() as f64 / n as f64), 4),
            sum_dist_within_d_m: round_to(neumaier_sum(&within), 2),
            dist_p50_m: round_to(percentile_linear(&sorted, 50.0), 2),
            dist_p90_m: round_to(percentile_linear(&sorted, 90.0), 2),
            dist_mean_m: round_to(neumaier_sum(dist) / n as f64, 2),
        }
    }

    /// The summary as a JSON object, fields in the peers' order.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"n\": {}, \"d_m\": {}, \"n_within_d\": {}, \"pct_within_d\": {}, \"sum_dist_within_d_m\": {}, \
             \"dist_p50_m\": {}, \"dist_p90_m\": {}, \"dist_mean_m\": {}}}",
            self.n,
            json_f64(self.d_m),
            self.n_within_d,
            json_f64(self.pct_within_d),
            json_f64(self.sum_dist_within_d_m),
            json_f64(self.dist_p50_m),
            json_f64(self.dist_p90_m),
            json_f64(self.dist_mean_m),
        )
    }
}

/// A finite f64 as a JSON number, shortest round-trip form (as Python's `repr`).
pub fn json_f64(x: f64) -> String {
    serde_json::Value::from(x).to_string()
}

/// Rounds to `digits` decimals, correctly rounded from the exact binary value
/// (as Python's `round(x, digits)`).
pub fn round_to(x: f64, digits: usize) -> f64 {
    format!("{x:.digits$}").parse().expect("a formatted f64 parses")
}

/// Neumaier's compensated sum (Neumaier 1974, "Rundungsfehleranalyse einiger
/// Verfahren zur Summation endlicher Summen", ZAMM 54).
pub fn neumaier_sum(xs: &[f64]) -> f64 {
    let (mut sum, mut c) = (0.0f64, 0.0f64);
    for &x in xs {
        let t = sum + x;
        c += if sum.abs() >= x.abs() { (sum - t) + x } else { (x - t) + sum };
        sum = t;
    }
    sum + c
}

/// numpy's default percentile (`method="linear"`, Hyndman & Fan 1996 type 7)
/// of a sorted, non-empty slice, with numpy's two-sided interpolation.
pub fn percentile_linear(sorted: &[f64], q: f64) -> f64 {
    let index = q / 100.0 * (sorted.len() - 1) as f64;
    let lo = index.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let t = index - lo as f64;
    let (a, b) = (sorted[lo], sorted[hi]);
    let diff = b - a;
    if t >= 0.5 { b - diff * (1.0 - t) } else { a + diff * t }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_numpy() {
        // np.percentile([1, 2, 3, 4], [50, 90]) = [2.5, 3.7]
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile_linear(&s, 50.0), 2.5);
        assert!((percentile_linear(&s, 90.0) - 3.7).abs() < 1e-12);
        let sum = FiberSummary::new(&[600.0, 10.0, 20.005, 499.999], 500.0);
        assert_eq!((sum.n, sum.n_within_d, sum.pct_within_d), (4, 3, 75.0));
        assert_eq!(sum.sum_dist_within_d_m, 530.0);
        assert_eq!(
            sum.to_json(),
            "{\"n\": 4, \"d_m\": 500.0, \"n_within_d\": 3, \"pct_within_d\": 75.0, \"sum_dist_within_d_m\": 530.0, \
             \"dist_p50_m\": 260.0, \"dist_p90_m\": 570.0, \"dist_mean_m\": 282.5}"
        );
    }
}
