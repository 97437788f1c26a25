//! Decibels of a power ratio, 10·log10(x), for the losses the radio maps
//! evaluate per cell (free space, J(ν)): one logarithm giving the same bits
//! on every target (the platforms' `log10` come from different libms, and
//! the WebAssembly one took a tenth of the browser's sweep).
//!
//! Method (table-driven logarithm, P. T. P. Tang, "Table-driven implementation
//! of the logarithm function in IEEE floating-point arithmetic", ACM TOMS
//! 16(4), 1990): x = 2^e·m with m in [1, 2); for the 64th of [1, 2) holding
//! m, g ≈ 1/(its middle) rounded to f64 (g = 1 on the first, so that
//! ln 1 = 0 exactly), ln m = ln(m·g) − ln g, where r = m·g − 1 is below 1/64
//! in magnitude, so ln(1 + r) is its Taylor series to r⁸ (the first term
//! left out, r⁹/9, is below 10⁻¹⁷). The table's −ln g are summed at
//! compile time from the series of 2·artanh((g − 1)/(g + 1)). Absolute error
//! in ln x about 10⁻¹⁶·(1 + |e|) (tested against `f64::log10`), far below
//! the f32 the maps keep.

/// 10·log10(x): −∞ at 0, NaN below 0 or at NaN, ∞ at ∞, as `10.0 * x.log10()`.
#[inline]
pub(crate) fn decibels(x: f64) -> f64 {
    /// 10 / ln 10.
    const DB_PER_NEPER_POWER: f64 = 4.342_944_819_032_518;
    ln(x) * DB_PER_NEPER_POWER
}

/// Bits of the mantissa that pick the table entry.
const TABLE_BITS: u32 = 6;

/// (g, −ln g) for the intervals [1 + i/64, 1 + (i + 1)/64): g = 1/(their
/// middle), but 1 on the first.
const TABLE: [(f64, f64); 1 << TABLE_BITS] = table();

const fn table() -> [(f64, f64); 1 << TABLE_BITS] {
    let n = 1 << TABLE_BITS;
    let mut entries = [(1.0, 0.0); 1 << TABLE_BITS];
    let mut i = 1;
    while i < n {
        let g = 1.0 / (1.0 + (i as f64 + 0.5) / n as f64);
        entries[i] = (g, -ln_by_series(g));
        i += 1;
    }
    entries
}

/// ln g = 2·artanh(s), s = (g − 1)/(g + 1), |s| ≤ 1/5 here: 30 terms of
/// 2·Σ s^(2k+1)/(2k + 1) leave less than 10⁻⁴⁰.
const fn ln_by_series(g: f64) -> f64 {
    let s = (g - 1.0) / (g + 1.0);
    let s2 = s * s;
    let (mut power, mut sum, mut k) = (s, 0.0, 0);
    while k < 30 {
        sum += power / (2 * k + 1) as f64;
        power *= s2;
        k += 1;
    }
    2.0 * sum
}

/// Natural logarithm; non-finite, non-positive and subnormal inputs go to `f64::ln`.
#[inline]
fn ln(x: f64) -> f64 {
    const LN_2: f64 = std::f64::consts::LN_2;
    let bits = x.to_bits();
    let biased = (bits >> 52) as i64; // sign bit set: negative, left to f64::ln
    if biased == 0 || biased >= 0x7ff {
        return x.ln();
    }
    let e = (biased - 1023) as f64;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let (g, minus_ln_g) = TABLE[((bits >> (52 - TABLE_BITS)) & ((1 << TABLE_BITS) - 1)) as usize];
    let r = m * g - 1.0;
    // ln(1 + r) = r − r²/2 + r³/3 − … + r⁷/7 − r⁸/8, by Horner.
    let tail = 1.0 / 5.0 + r * (-1.0 / 6.0 + r * (1.0 / 7.0 + r * (-1.0 / 8.0)));
    let series = r * (1.0 + r * (-1.0 / 2.0 + r * (1.0 / 3.0 + r * (-1.0 / 4.0 + r * tail))));
    e * LN_2 + minus_ln_g + series
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against `f64::log10` over 600 decades and densely around 1.
    #[test]
    fn matches_log10() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut uniform = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..200_000 {
            let x = 10f64.powf(600.0 * uniform() - 300.0);
            let (got, want) = (decibels(x), 10.0 * x.log10());
            assert!((got - want).abs() <= 1e-13 * (1.0 + want.abs()), "{x}: {got} vs {want}");
        }
        // Within a few rounding errors of the result (values of a few dB) on
        // [0.5, 2), densely around 1 and at both ends of every table interval.
        for _ in 0..200_000 {
            let x = 0.5 + 1.5 * uniform();
            let (got, want) = (decibels(x), 10.0 * x.log10());
            assert!((got - want).abs() <= 3e-15, "{x}: {got} vs {want}");
        }
        for _ in 0..200_000 {
            let x = 1.0 + 0.04 * (uniform() - 0.5);
            let (got, want) = (decibels(x), 10.0 * x.log10());
            assert!((got - want).abs() <= 3e-15, "{x}: {got} vs {want}");
        }
        for i in 0..64 {
            for x in [1.0 + i as f64 / 64.0, f64::from_bits((1.0 + (i + 1) as f64 / 64.0).to_bits() - 1)] {
                assert!((decibels(x) - 10.0 * x.log10()).abs() <= 3e-15, "{x}");
            }
        }
    }

    #[test]
    fn exact_points_and_edges() {
        assert_eq!(decibels(1.0), 0.0);
        assert!((decibels(10.0) - 10.0).abs() < 1e-15);
        assert!((decibels(1e6) - 60.0).abs() < 1e-13);
        assert_eq!(decibels(0.0), f64::NEG_INFINITY);
        assert_eq!(decibels(f64::INFINITY), f64::INFINITY);
        assert!(decibels(-1.0).is_nan() && decibels(f64::NAN).is_nan());
        let tiny = f64::MIN_POSITIVE / 4.0; // subnormal
        assert!((decibels(tiny) - 10.0 * tiny.log10()).abs() < 1e-12);
    }
}
