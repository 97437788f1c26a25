//! Variability: the quantile of the basic transmission loss for given
//! fractions of time, locations and situations (subroutine `avar`, Alg §5),
//! and the inverse complementary normal distribution it needs.
//!
//! Sources: Hufford, *The ITS Irregular Terrain Model, version 1.2.2: The
//! Algorithm* (1999), "Alg"; NBS Technical Note 101, "TN101" (§10 and
//! Annex III.7, climate curves Eqs III.69–III.70); Abramowitz & Stegun,
//! *Handbook of Mathematical Functions* (1964), Eq 26.2.23.

use super::terrain::terrain_roughness;
use super::{Climate, Mdvar, VariabilityMode};

/// Inverse of the complementary standard normal distribution: the z with
/// Q(z) = P(Z > z) = q, by the rational approximation of Abramowitz & Stegun
/// Eq 26.2.23 (Hastings), |error| < 4.5·10⁻⁴ for 0 < q < 1.
///
/// t = √(−2·ln q'), q' = min(q, 1 − q);
/// z = t − (c₀ + c₁t + c₂t²)/(1 + d₁t + d₂t² + d₃t³), negated for q > ½.
/// Outside (0, 1) the result is infinite or NaN; [`super::p2p`] refuses such
/// percentages before they get here.
///
/// ```
/// use bbcov_core::propagation::itm::inverse_ccdf;
/// assert!((inverse_ccdf(0.1) - 1.281552).abs() < 4.5e-4); // z of the 90th percentile
/// assert!((inverse_ccdf(0.9) + 1.281552).abs() < 4.5e-4);
/// assert!(inverse_ccdf(0.5).abs() < 1e-6);
/// ```
pub fn inverse_ccdf(q: f64) -> f64 {
    const C_0: f64 = 2.515516;
    const C_1: f64 = 0.802853;
    const C_2: f64 = 0.010328;
    const D_1: f64 = 1.432788;
    const D_2: f64 = 0.189269;
    const D_3: f64 = 0.001308;
    let x = if q > 0.5 { 1.0 - q } else { q };
    let t = (-2.0 * x.ln()).sqrt();
    let z = t - ((C_2 * t + C_1) * t + C_0) / (((D_3 * t + D_2) * t + D_1) * t + 1.0);
    if q > 0.5 { -z } else { z }
}

/// Climate curves of TN101 Fig 10.13 (Annex III.7): for each of the seven
/// climates (index climate − 1), the coefficients (c₁, c₂, x₁, x₂, x₃) of
/// [`curve`] for the median V(0.5, d_e) [Alg 5.5] and the deviations σ_T−,
/// σ_T+ [Alg 5.7]; the ducting constants C_D, z_D [Alg 5.8, Table 5.1]; and
/// the frequency factors g₋(f), g₊(f) of σ_T∓ [Alg §5].
struct ClimateCurves {
    all_year: [[f64; 7]; 5],
    bsm: [[f64; 7]; 5],
    bsp: [[f64; 7]; 5],
    c_d: [f64; 7],
    z_d: [f64; 7],
    bfm: [[f64; 7]; 3],
    bfp: [[f64; 7]; 3],
}

#[rustfmt::skip]
const CURVES: ClimateCurves = ClimateCurves {
    all_year: [
        [-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15],
        [12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9],
        [144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.0e3],
        [190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3],
        [133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3],
    ],
    bsm: [
        [2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51],
        [159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8],
        [762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3],
        [123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3],
        [94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3],
    ],
    bsp: [
        [2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43],
        [102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19],
        [636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3],
        [134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3],
        [95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3],
    ],
    c_d: [1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518],
    z_d: [1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282],
    bfm: [
        [1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0],
        [0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0],
    ],
    bfp: [
        [1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0],
        [0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0],
        [0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0],
    ],
};

/// The climate-curve shape [Alg 5.5; TN101 Eqs III.69–III.70]:
/// (c₁ + c₂/(1 + ((d_e − x₂)/x₃)²))·(d_e/x₁)²/(1 + (d_e/x₁)²).
fn curve(c: [f64; 5], d_e: f64) -> f64 {
    let [c1, c2, x1, x2, x3] = c;
    let r = (d_e / x1).powi(2);
    (c1 + c2 / (1.0 + ((d_e - x2) / x3).powi(2))) * r / (1.0 + r)
}

fn column(table: &[[f64; 7]; 5], i: usize) -> [f64; 5] {
    [
        table[0][i],
        table[1][i],
        table[2][i],
        table[3][i],
        table[4][i],
    ]
}

/// What [`variability_loss`] needs besides the quantiles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct VariabilityInput {
    pub h_e_m: [f64; 2],
    pub delta_h_m: f64,
    pub f_mhz: f64,
    pub d_m: f64,
    pub a_ref_db: f64,
    pub climate: Climate,
    pub mdvar: Mdvar,
}

/// Attenuation relative to free space (dB) not exceeded for the given
/// fractions — `time`, `location`, `situation` are the standard normal
/// deviates z_T, z_L, z_S of the wanted quantiles — and whether one of them is
/// beyond ±3.1 (far in a tail).
///
/// * A = A_ref − V_med − Y_R − Y_S [Alg 5.1], softened below 0 dB by
///   A·(29 − A)/(29 − 10·A) [Alg 5.2];
/// * effective distance d_e = 130 km·d/d_ex below d_ex, 130 km + d − d_ex
///   beyond, d_ex = √(2a₁h_e1) + √(2a₁h_e2) + (575.7·10¹²/k)^⅓, a₁ = 9000 km
///   [Alg 5.3, 5.4];
/// * σ_L = 10·k·Δh(d)/(k·Δh(d) + 13) [Alg 5.9]; σ_S = 5 + 3·e^(−d_e/100 km)
///   [Alg 5.10];
/// * Y_S = z_S·√(σ_S² + Y_T²/(7.8 + z_S²) + Y_L²/(24 + z_S²)) [Alg 5.11], the
///   mode of variability deciding how the deviates combine [Alg §5].
pub(crate) fn variability_loss(
    z_t: f64,
    z_l: f64,
    z_s: f64,
    input: &VariabilityInput,
) -> (f64, bool) {
    let constants = ClimateConstants::new(input.f_mhz, input.climate);
    variability_loss_with(&constants, z_t, z_l, z_s, input)
}

/// The terms of [`variability_loss`] that depend only on the frequency and
/// the climate, computed once per link set (a coverage map) instead of once
/// per path: k = f/47.7 MHz, (575.7·10¹²/k)^⅓ of d_ex [Alg 5.3], and the
/// frequency factors g₋(f), g₊(f) of σ_T∓ [Alg §5].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ClimateConstants {
    ci: usize,
    wn: f64,
    d_scatter: f64,
    g_minus: f64,
    g_plus: f64,
}

impl ClimateConstants {
    pub(crate) fn new(f_mhz: f64, climate: Climate) -> Self {
        let ci = climate as usize - 1;
        let wn = f_mhz / 47.7;
        let q = (0.133 * wn).ln();
        ClimateConstants {
            ci,
            wn,
            d_scatter: (575.7e12 / wn).powf(1.0 / 3.0),
            g_minus: CURVES.bfm[0][ci]
                + CURVES.bfm[1][ci] / ((CURVES.bfm[2][ci] * q).powi(2) + 1.0),
            g_plus: CURVES.bfp[0][ci] + CURVES.bfp[1][ci] / ((CURVES.bfp[2][ci] * q).powi(2) + 1.0),
        }
    }
}

/// [`variability_loss`] with the frequency and climate terms precomputed
/// (`constants` must be those of `input.f_mhz` and `input.climate`).
pub(crate) fn variability_loss_with(
    constants: &ClimateConstants,
    z_t: f64,
    z_l: f64,
    z_s: f64,
    input: &VariabilityInput,
) -> (f64, bool) {
    let ClimateConstants {
        ci,
        wn,
        d_scatter,
        g_minus,
        g_plus,
    } = *constants;
    const A_9000_M: f64 = 9000e3;
    let d_ex = (2.0 * A_9000_M * input.h_e_m[0]).sqrt()
        + (2.0 * A_9000_M * input.h_e_m[1]).sqrt()
        + d_scatter;
    let d_e = if input.d_m < d_ex {
        130e3 * input.d_m / d_ex
    } else {
        130e3 + input.d_m - d_ex
    };

    let sigma_s = if input.mdvar.situation_variability {
        5.0 + 3.0 * (-d_e / 100e3).exp()
    } else {
        0.0
    };
    let v_med = curve(column(&CURVES.all_year, ci), d_e);

    let (z_t, z_l) = match input.mdvar.mode {
        VariabilityMode::SingleMessage => (z_s, z_s),
        VariabilityMode::Accidental => (z_t, z_s),
        VariabilityMode::Mobile => (z_t, z_t),
        VariabilityMode::Broadcast => (z_t, z_l),
    };
    let extreme = z_t.abs() > 3.10 || z_l.abs() > 3.10 || z_s.abs() > 3.10;

    let sigma_l = if input.mdvar.location_variability {
        let dh = terrain_roughness(input.d_m, input.delta_h_m);
        10.0 * wn * dh / (wn * dh + 13.0)
    } else {
        0.0
    };
    let y_l = sigma_l * z_l;

    // Time variability [Alg 5.7–5.8].
    let sigma_t_minus = curve(column(&CURVES.bsm, ci), d_e) * g_minus;
    let sigma_t_plus = curve(column(&CURVES.bsp, ci), d_e) * g_plus;
    let sigma_td = CURVES.c_d[ci] * sigma_t_plus;
    let tgtd = (sigma_t_plus - sigma_td) * CURVES.z_d[ci];
    let sigma_t = if z_t < 0.0 {
        sigma_t_minus
    } else if z_t <= CURVES.z_d[ci] {
        sigma_t_plus
    } else {
        sigma_td + tgtd / z_t
    };
    let y_t = sigma_t * z_t;

    let y_s_sq = sigma_s * sigma_s + y_t * y_t / (7.8 + z_s * z_s) + y_l * y_l / (24.0 + z_s * z_s);
    let (y_r, y_s) = match input.mdvar.mode {
        VariabilityMode::SingleMessage => (
            0.0,
            (sigma_t * sigma_t + sigma_l * sigma_l + y_s_sq).sqrt() * z_s,
        ),
        VariabilityMode::Accidental => (y_t, (sigma_l * sigma_l + y_s_sq).sqrt() * z_s),
        VariabilityMode::Mobile => (
            (sigma_t * sigma_t + sigma_l * sigma_l).sqrt() * z_t,
            y_s_sq.sqrt() * z_s,
        ),
        VariabilityMode::Broadcast => (y_t + y_l, y_s_sq.sqrt() * z_s),
    };
    let mut a = input.a_ref_db - v_med - y_r - y_s;
    if a < 0.0 {
        a = a * (29.0 - a) / (29.0 - 10.0 * a);
    }
    (a, extreme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn inverse_ccdf_matches_the_normal_quantiles() {
        // Exact standard normal quantiles (A&S Table 26.1) within the 4.5e-4 bound.
        for (q, z) in [
            (0.5, 0.0),
            (0.1, 1.2815516),
            (0.05, 1.6448536),
            (0.01, 2.3263479),
            (0.001, 3.0902323),
        ] {
            assert!((inverse_ccdf(q) - z).abs() < 4.5e-4, "q = {q}");
            assert!(
                (inverse_ccdf(1.0 - q) + z).abs() < 4.5e-4,
                "q = {}",
                1.0 - q
            );
        }
        // Reference values of NTIA TestInverseCCDF.
        assert_relative_eq!(
            inverse_ccdf(0.5),
            2.378045045325905e-07,
            max_relative = 1e-12
        );
        assert!((inverse_ccdf(0.49) - 0.024998).abs() < 1e-6);
    }

    fn input(climate: Climate, code: i32) -> VariabilityInput {
        VariabilityInput {
            h_e_m: [100.0, 100.0],
            delta_h_m: 10.0,
            f_mhz: 3500.0,
            d_m: 10_000.0,
            a_ref_db: 50.0,
            climate,
            mdvar: Mdvar::from_code(code).unwrap(),
        }
    }

    /// NTIA TestVariability: time, location, situation quantiles 0.3, 0.6,
    /// 0.9 (as fractions), h_e = 100 m, Δh = 10 m, 3500 MHz, 10 km, A_ref = 50 dB.
    fn run(climate: Climate, code: i32) -> f64 {
        let (zt, zl, zs) = (inverse_ccdf(0.3), inverse_ccdf(0.6), inverse_ccdf(0.9));
        variability_loss(zt, zl, zs, &input(climate, code)).0
    }

    #[test]
    fn reference_values_per_climate() {
        use Climate::*;
        let want = [
            (Equatorial, 62.258514685008194),
            (ContinentalSubtropical, 62.172817403455056),
            (MaritimeSubtropical, 62.180947861894204),
            (Desert, 62.285710999958),
            (ContinentalTemperate, 62.14886847683056),
            (MaritimeTemperateOverLand, 62.202217322742925),
            (MaritimeTemperateOverSea, 62.171720116596696),
        ];
        for (c, a) in want {
            assert_relative_eq!(run(c, 3), a, max_relative = 1e-12);
        }
    }

    #[test]
    fn reference_values_per_mode() {
        let eq = Climate::Equatorial;
        assert_relative_eq!(run(eq, 0), 65.98336648324506, max_relative = 1e-12);
        assert_relative_eq!(run(eq, 1), 65.97521276842001, max_relative = 1e-12);
        assert_relative_eq!(run(eq, 2), 54.938699908329184, max_relative = 1e-12);
        assert_relative_eq!(run(eq, 3), 62.258514685008194, max_relative = 1e-12);
        assert_relative_eq!(run(eq, 13), 59.83382989921486, max_relative = 1e-12);
        assert_relative_eq!(run(eq, 23), 53.04362627321389, max_relative = 1e-12);
    }

    #[test]
    fn medians_give_the_median_attenuation() {
        // At z = 0 everywhere only the climate median V_med remains.
        let i = input(Climate::ContinentalTemperate, 3);
        let (a, extreme) = variability_loss(0.0, 0.0, 0.0, &i);
        assert!(!extreme);
        let v = 50.0 - a;
        assert!(v.abs() < 1.0, "V_med at 10 km is small, got {v}");
        assert!(variability_loss(3.2, 0.0, 0.0, &i).1);
    }

    #[test]
    fn negative_attenuation_is_softened() {
        let mut i = input(Climate::ContinentalTemperate, 3);
        i.a_ref_db = -100.0;
        let (a, _) = variability_loss(0.0, 0.0, 0.0, &i);
        // x·(29 − x)/(29 − 10x) tends to x/10 − ... > −29/10·… : bounded near −10 dB.
        assert!(a < 0.0 && a > -15.0, "{a}");
    }
}
