//! The reference attenuation A_ref (dB relative to free space): the
//! Longley-Rice piecewise curve of line-of-sight, diffraction and
//! troposcatter attenuation versus distance (subroutine `lrprop`, Alg §4).
//!
//! Sources: Hufford, *The ITS Irregular Terrain Model, version 1.2.2: The
//! Algorithm* (1999), "Alg"; NBS Technical Note 101 (Rice, Longley, Norton &
//! Barsis 1967), "TN101"; Longley & Rice, ESSA Tech. Report ERL 79-ITS 67
//! (1968), "ERL 79-ITS 67"; Vogler, "Calculation of groundwave attenuation in
//! the far diffraction region", Radio Science 68D (1964), "Vogler 1964".
//! Constants are those of the NTIA/ITS reference implementation (github
//! NTIA/itm, v1.4), which writes some of the Algorithm's constants in closed
//! form (e.g. 5·(a²/f)^⅓ for 1.3787·X_ae); the reference outputs the tests
//! compare with come from it.

use super::ground::Complex;
use super::terrain::{PathGeometry, dim, terrain_roughness};
use super::{PropagationMode, Warnings};
use crate::{Error, Result};

/// Earth radius a₀ = 6370 km of Vogler's 4/3-earth normalization.
const A_0_M: f64 = 6370e3;
const THIRD: f64 = 1.0 / 3.0;

/// σ_h(Δh): rms deviation of the terrain within the first Fresnel zone
/// [Alg 3.10; ERL 79-ITS 67, Eq 3.6a]: σ_h = 0.78·Δh·exp(−0.5·Δh^¼) (Δh in m,
/// the Algorithm's H = 16 m folded into the constant as in the reference).
pub(crate) fn sigma_h(delta_h_m: f64) -> f64 {
    0.78 * delta_h_m * (-0.5 * delta_h_m.sqrt().sqrt()).exp()
}

/// Knife-edge attenuation A(v, 0) as a function of v² [Alg 6.1, 4.21;
/// TN101 Eqs III.24b–c]: 6.02 + 9.11·v − 1.27·v² for v < 2.4, else
/// 12.953 + 10·log₁₀(v²).
pub(crate) fn fresnel_integral(v2: f64) -> f64 {
    if v2 < 5.76 {
        6.02 + 9.11 * v2.sqrt() - 1.27 * v2
    } else {
        12.953 + 10.0 * v2.log10()
    }
}

/// Double knife-edge diffraction at distance d [Alg 4.12–4.14; TN101 Eq I.7]:
/// θ = d/a − θ_los, v_j² = (1/4π)·k·θ²·d_Lj·(d − d_L)/(d − d_L + d_Lj),
/// A_k = A(v₁, 0) + A(v₂, 0), k = f/47.7 MHz.
pub(crate) fn knife_edge_diffraction(
    d_m: f64,
    f_mhz: f64,
    a_e: f64,
    theta_los: f64,
    d_hzn: [f64; 2],
) -> f64 {
    let d_ml = d_hzn[0] + d_hzn[1];
    let theta_nlos = d_m / a_e - theta_los;
    let d_nlos = d_m - d_ml;
    let q = 0.0795775 * (f_mhz / 47.7) * theta_nlos * theta_nlos * d_nlos;
    fresnel_integral(q * d_hzn[0] / (d_nlos + d_hzn[0]))
        + fresnel_integral(q * d_hzn[1] / (d_nlos + d_hzn[1]))
}

/// Height-gain function F(x, K) of smooth-earth diffraction [Alg 6.3–6.7;
/// Vogler 1964]: for x < 200, F₂(x, K) = 2.5·10⁻⁵·x²/K − 8.686·(−ln K) − 15,
/// or F₁(x) = −117 + 17.372·ln x (x > 1) when K < 10⁻⁵ or x·(−ln K)³ > 5495;
/// for x ≥ 200, G(x) = 0.05751·x − 4.343·ln x, blended with F₁ below x = 2000
/// with weight 0.0134·x·e^(−0.005·x).
pub(crate) fn height_function(x_km: f64, k: f64) -> f64 {
    if x_km < 200.0 {
        let w = -k.ln();
        if k < 1e-5 || x_km * w.powi(3) > 5495.0 {
            if x_km > 1.0 {
                17.372 * x_km.ln() - 117.0
            } else {
                -117.0
            }
        } else {
            2.5e-5 * x_km * x_km / k - 8.686 * w - 15.0
        }
    } else {
        let g = 0.05751 * x_km - 4.343 * x_km.ln();
        if x_km < 2000.0 {
            let w = 0.0134 * x_km * (-0.005 * x_km).exp();
            (1.0 - w) * g + w * (17.372 * x_km.ln() - 117.0)
        } else {
            g
        }
    }
}

/// Smooth-earth diffraction with Vogler's three radii [Alg 4.15–4.20;
/// Vogler 1964, Eqs 2, 3, 6a, 7a, 13; TN101 Eq 8.4]: radii a₀ (the
/// diffraction arc), a_j = d_Lj²/(2·h_ej); C₀ = (4/3·a₀/a)^⅓,
/// K = 0.017778·C₀·f^(−⅓)/|Z_g|, x = (1.607 − K)·C₀²·f^⅓·d (d in km);
/// A_r = G(x₀ + x₁ + x₂) − F(x₁, K₁) − F(x₂, K₂) − 20 dB.
#[cfg(test)]
pub(crate) fn smooth_earth_diffraction(
    d_m: f64,
    f_mhz: f64,
    a_e: f64,
    theta_los: f64,
    d_hzn: [f64; 2],
    h_e: [f64; 2],
    z_g: Complex,
) -> f64 {
    let freq = FrequencyTerms::new(f_mhz, z_g);
    let terminals = VoglerTerminals::new(&freq, d_hzn, h_e);
    terminals.diffraction(&freq, d_m, a_e, theta_los, d_hzn[0] + d_hzn[1])
}

/// The terms of the attenuation curves that depend only on the frequency
/// and the ground: f, Z_g, f^⅓, f^(−⅓), |Z_g|, ln f.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FrequencyTerms {
    pub f_mhz: f64,
    pub z_g: Complex,
    f_third: f64,
    f_minus_third: f64,
    z_abs: f64,
    ln_f: f64,
}

impl FrequencyTerms {
    pub(crate) fn new(f_mhz: f64, z_g: Complex) -> Self {
        FrequencyTerms {
            f_mhz,
            z_g,
            f_third: f_mhz.powf(THIRD),
            f_minus_third: f_mhz.powf(-THIRD),
            z_abs: z_g.abs(),
            ln_f: f_mhz.ln(),
        }
    }

    /// Vogler's K and x (d in km) for a sphere of radius `a` [Alg 4.17–4.19]:
    /// C₀ = (4/3·a₀/a)^⅓, K = 0.017778·C₀·f^(−⅓)/|Z_g|, x = (1.607 − K)·C₀²·f^⅓·d.
    fn vogler(&self, a: f64, d_km: f64) -> (f64, f64) {
        let c_0 = ((4.0 / 3.0) * A_0_M / a).powf(THIRD);
        let k = 0.017778 * c_0 * self.f_minus_third / self.z_abs;
        (k, (1.607 - k) * c_0 * c_0 * self.f_third * d_km)
    }
}

/// The terminal terms of the smooth-earth diffraction, the same at every
/// distance of one link: x₁, x₂ and F(x₁, K₁) + F(x₂, K₂) of the radii
/// a_j = d_Lj²/(2·h_ej) [Alg 4.16–4.20].
#[derive(Debug, Clone, Copy)]
struct VoglerTerminals {
    x: [f64; 2],
    height_gain: f64,
}

impl VoglerTerminals {
    fn new(freq: &FrequencyTerms, d_hzn: [f64; 2], h_e: [f64; 2]) -> Self {
        let (k_1, x_1) = freq.vogler(0.5 * d_hzn[0] * d_hzn[0] / h_e[0], d_hzn[0] / 1000.0);
        let (k_2, x_2) = freq.vogler(0.5 * d_hzn[1] * d_hzn[1] / h_e[1], d_hzn[1] / 1000.0);
        VoglerTerminals {
            x: [x_1, x_2],
            height_gain: height_function(x_1, k_1) + height_function(x_2, k_2),
        }
    }

    /// A_r at distance d: G(x₀ + x₁ + x₂) − F(x₁, K₁) − F(x₂, K₂) − 20 dB, x₀
    /// that of the diffraction arc, of radius a₀' = (d − d_L)/θ and length
    /// θ·a₀', θ = d/a − θ_los [Alg 4.15–4.20].
    fn diffraction(
        &self,
        freq: &FrequencyTerms,
        d_m: f64,
        a_e: f64,
        theta_los: f64,
        d_ml: f64,
    ) -> f64 {
        let theta_nlos = d_m / a_e - theta_los;
        let a_0 = (d_m - d_ml) / (d_m / a_e - theta_los);
        let (_, x_0) = freq.vogler(a_0, a_0 * theta_nlos / 1000.0);
        let x = x_0 + self.x[0] + self.x[1];
        let g = 0.05751 * x - 10.0 * x.log10();
        g - self.height_gain - 20.0
    }
}

/// Everything the attenuation curves need about the link.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub geometry: PathGeometry,
    pub f_mhz: f64,
    pub z_g: Complex,
    freq: FrequencyTerms,
    /// Effective earth radius a = 1/γ_e (m).
    pub a_e: f64,
    /// Surface refractivity N_s (N-units).
    pub n_s: f64,
    /// Smooth-earth horizon distances d_Lsj = √(2·h_ej·a) [Alg 3.5].
    pub d_hzn_s: [f64; 2],
    /// d_Ls = d_Ls1 + d_Ls2 [Alg 3.6].
    pub d_sml: f64,
    /// d_L = d_L1 + d_L2 [Alg 3.7].
    pub d_ml: f64,
    /// θ_e = max(θ_e1 + θ_e2, −d_L/a), used as −θ_los [Alg 3.8].
    pub theta_los: f64,
    /// The distance-independent terms of [`Link::diffraction`]: Vogler's
    /// terminal terms, the clutter factor A_fo and √(1 + (h_e1·h_e2 − h₁·h₂)/(h₁·h₂ + C)).
    vogler: VoglerTerminals,
    a_fo: f64,
    q_heights: f64,
}

impl Link {
    #[cfg(test)]
    pub fn new(
        geometry: PathGeometry,
        h_m: [f64; 2],
        f_mhz: f64,
        z_g: Complex,
        a_e: f64,
        n_s: f64,
    ) -> Self {
        Link::with_terms(geometry, h_m, &FrequencyTerms::new(f_mhz, z_g), a_e, n_s)
    }

    /// [`Link::new`] with the frequency and ground terms computed once for many links.
    pub fn with_terms(
        geometry: PathGeometry,
        h_m: [f64; 2],
        freq: &FrequencyTerms,
        a_e: f64,
        n_s: f64,
    ) -> Self {
        let d_hzn_s = [
            (2.0 * geometry.h_e_m[0] * a_e).sqrt(),
            (2.0 * geometry.h_e_m[1] * a_e).sqrt(),
        ];
        let d_sml = d_hzn_s[0] + d_hzn_s[1];
        let d_ml = geometry.d_hzn_m[0] + geometry.d_hzn_m[1];
        let theta_los = -(geometry.theta_hzn[0] + geometry.theta_hzn[1]).max(-d_ml / a_e);
        let f = freq.f_mhz;
        let sigma_h_d = sigma_h(terrain_roughness(d_sml, geometry.delta_h_m));
        let a_fo = (5.0 * (1.0 + 1e-5 * h_m[0] * h_m[1] * f * sigma_h_d).log10()).min(15.0);
        let hh = h_m[0] * h_m[1];
        let qk = geometry.h_e_m[0] * geometry.h_e_m[1] - hh;
        Link {
            geometry,
            f_mhz: f,
            z_g: freq.z_g,
            freq: *freq,
            a_e,
            n_s,
            d_hzn_s,
            d_sml,
            d_ml,
            theta_los,
            vogler: VoglerTerminals::new(freq, geometry.d_hzn_m, geometry.h_e_m),
            a_fo,
            q_heights: (1.0 + qk / (hh + 10.0)).sqrt(),
        }
    }

    /// Diffraction attenuation at distance d [Alg 4.9–4.11; ERL 79-ITS 67,
    /// Eqs 3.23, 3.38c]: A_d = w·A_r + (1 − w)·A_k + A_fo, with the clutter
    /// factor A_fo = min(15, 5·log₁₀(1 + 10⁻⁵·h₁·h₂·f·σ_h(Δh(d_Ls)))) and the
    /// weight w = 25.1/(25.1 + √Q),
    /// Q = (√(1 + (h_e1·h_e2 − h₁·h₂)/(h₁·h₂ + C)) + (d_L − θ_los·a)/d)·min(Δh(d)·k, 6283.2),
    /// C = 10 m² in the point-to-point mode.
    pub fn diffraction(&self, d_m: f64) -> f64 {
        let g = &self.geometry;
        let f = self.f_mhz;
        let a_k = knife_edge_diffraction(d_m, f, self.a_e, self.theta_los, g.d_hzn_m);
        let a_r = self
            .vogler
            .diffraction(&self.freq, d_m, self.a_e, self.theta_los, self.d_ml);
        let delta_h_d = terrain_roughness(d_m, g.delta_h_m);
        let q = (self.q_heights + (-self.theta_los * self.a_e + self.d_ml) / d_m)
            * (delta_h_d * f / 47.7).min(6283.2);
        let w = 25.1 / (25.1 + q.sqrt());
        w * a_r + (1.0 - w) * a_k + self.a_fo
    }

    /// Line-of-sight attenuation at distance d [Alg 4.43–4.51]: the two-ray
    /// (plane-earth) attenuation A_t with a rough-ground reflection
    /// coefficient, weighted with the extended diffraction line:
    /// A_los = w·A_t + (1 − w)·(A_ed + m_d·d), w = 1/(1 + f·Δh/max(10 km, d_Ls)).
    ///
    /// sin ψ = (h_e1 + h_e2)/√(d² + (h_e1 + h_e2)²) [4.46];
    /// R_e = (sin ψ − Z_g)/(sin ψ + Z_g)·exp(−min(10, k·σ_h(d)·sin ψ)) [4.47],
    /// scaled to modulus √(sin ψ) when |R_e|² < ¼ or < sin ψ [4.48];
    /// δ = 2·k·h_e1·h_e2/d [4.49], folded to π − (π/2)²/δ beyond π/2 [4.50];
    /// A_t = −10·log₁₀|e^(−iδ) + R_e|² [4.51].
    pub fn line_of_sight(&self, d_m: f64, m_d: f64, a_d0: f64) -> f64 {
        let g = &self.geometry;
        let wn = self.f_mhz / 47.7;
        let sigma_h_d = sigma_h(terrain_roughness(d_m, g.delta_h_m));
        let h_sum = g.h_e_m[0] + g.h_e_m[1];
        let sin_psi = h_sum / (d_m * d_m + h_sum * h_sum).sqrt();
        let s = Complex::new(sin_psi, 0.0);
        let mut r_e = s
            .sub(self.z_g)
            .div(s.add(self.z_g))
            .scale((-(wn * sigma_h_d * sin_psi).min(10.0)).exp());
        let q = r_e.norm_sqr();
        if q < 0.25 || q < sin_psi {
            r_e = r_e.scale((sin_psi / q).sqrt());
        }
        let mut delta_phi = wn * 2.0 * g.h_e_m[0] * g.h_e_m[1] / d_m;
        if delta_phi > std::f64::consts::FRAC_PI_2 {
            delta_phi = std::f64::consts::PI - std::f64::consts::FRAC_PI_2.powi(2) / delta_phi;
        }
        let rr = Complex::new(delta_phi.cos(), -delta_phi.sin()).add(r_e);
        let a_t = -10.0 * rr.norm_sqr().log10();
        let a_d = m_d * d_m + a_d0;
        let w = 1.0 / (1.0 + self.f_mhz * g.delta_h_m / self.d_sml.max(10e3));
        w * a_t + (1.0 - w) * a_d
    }

    /// Troposcatter attenuation at distance d [Alg 4.60–4.67, 6.8–6.14;
    /// TN101 §9]: A_scat = 10·log₁₀(k·H·θ⁴) + F(θ·d) − 0.1·(N_s − 301)·e^(−θd/D₀)
    /// + H₀, H = 47.7 m, D₀ = 40 km, θ = d/a − θ_los.
    ///
    /// `h0` carries the frequency-gain term H₀ between the two calls at d₆ then
    /// d₅ (negative: not yet known): once above 15 dB it is kept [Alg p. 12].
    /// Returns 1001 dB where A_scat is undefined (r₁, r₂ < 0.2, [Alg p. 11]).
    pub fn troposcatter(&self, d_m: f64, h0: &mut f64) -> f64 {
        let g = &self.geometry;
        let wn = self.f_mhz / 47.7;
        let h_0 = if *h0 > 15.0 {
            *h0
        } else {
            let mut ad = g.d_hzn_m[0] - g.d_hzn_m[1];
            let mut rr = g.h_e_m[1] / g.h_e_m[0];
            if ad < 0.0 {
                ad = -ad;
                rr = 1.0 / rr;
            }
            // Scattering angle θ' [Alg 4.61] and r_j [Alg 4.62; TN101 Eq 9.4a].
            let theta = g.theta_hzn[0] + g.theta_hzn[1] + d_m / self.a_e;
            let r_1 = 2.0 * wn * theta * g.h_e_m[0];
            let r_2 = 2.0 * wn * theta * g.h_e_m[1];
            if r_1 < 0.2 && r_2 < 0.2 {
                return 1001.0;
            }
            // Asymmetry s and ratio q, truncated to [0.1, 10] [Alg 4.65; TN101 Eq 9.5].
            let mut s = (d_m - ad) / (d_m + ad);
            let q = (rr / s).clamp(0.1, 10.0);
            s = s.max(0.1);
            // Crossover height z₀ [Alg 4.66] and scattering efficiency η_s [Alg 4.67; TN101 Eq 9.3a].
            let h_0_m = (d_m - ad) * (d_m + ad) * theta * 0.25 / d_m;
            let n_s = self.n_s;
            let eta_s = (h_0_m / 1.7556e3)
                * (1.0
                    + (0.031 - n_s * 2.32e-3 + n_s * n_s * 5.67e-6)
                        * (-(h_0_m / 8.0e3).min(1.7).powi(6)).exp());
            // H₀ [Alg 6.10–6.12; TN101 Eq 9.5].
            let h_00 = (h0_function(r_1, eta_s) + h0_function(r_2, eta_s)) / 2.0;
            let delta_h_0 = h_00.min(6.0 * (0.6 - eta_s.max(1.0).log10()) * s.log10() * q.log10());
            let mut h_0 = (h_00 + delta_h_0).max(0.0);
            if eta_s < 1.0 {
                // Interpolation with the η_s = 0 limit [Alg 6.14].
                let s2 = std::f64::consts::SQRT_2;
                let lim = ((1.0 + s2 / r_1) * (1.0 + s2 / r_2)).powi(2) * (r_1 + r_2)
                    / (r_1 + r_2 + 2.0 * s2);
                h_0 = eta_s * h_0 + (1.0 - eta_s) * 10.0 * lim.log10();
            }
            if h_0 > 15.0 && *h0 >= 0.0 { *h0 } else { h_0 }
        };
        *h0 = h_0;
        let th = d_m / self.a_e - self.theta_los;
        f_function(th * d_m) + 10.0 * (wn * 47.7 * th.powi(4)).log10()
            - 0.1 * (self.n_s - 301.0) * (-th * d_m / 40e3).exp()
            + h_0
    }
}

/// The attenuation function F(θ·d) of forward scatter [Alg 6.9]:
/// a_i + b_i·θd + c_i·log₁₀(θd) with (a, b, c) = (133.4, 0.332e-3, −10) up to
/// 10 km, (104.6, 0.212e-3, −2.5) up to 70 km, (71.8, 0.157e-3, 5) beyond.
pub(crate) fn f_function(td: f64) -> f64 {
    let (a, b, c) = if td <= 10e3 {
        (133.4, 0.332e-3, -10.0)
    } else if td <= 70e3 {
        (104.6, 0.212e-3, -2.5)
    } else {
        (71.8, 0.157e-3, 5.0)
    };
    a + b * td + c * td.log10()
}

/// H₀₁(r, j) = 10·log₁₀(1 + a_j/r⁴ + b_j/r²) [Alg 6.13], j = 1…5 (η_s).
fn h0_curve(j: usize, r: f64) -> f64 {
    const A: [f64; 5] = [25.0, 80.0, 177.0, 395.0, 705.0];
    const B: [f64; 5] = [24.0, 45.0, 68.0, 80.0, 105.0];
    let inv = 1.0 / r;
    10.0 * (1.0 + A[j] * inv.powi(4) + B[j] * inv * inv).log10()
}

/// Frequency-gain function H₀(r, η_s) [Alg 6.12–6.13; TN101 §9.2]: the curve
/// of the integer part of η_s (clamped to [1, 5]) interpolated linearly to the
/// next one.
pub(crate) fn h0_function(r: f64, eta_s: f64) -> f64 {
    let eta_s = eta_s.clamp(1.0, 5.0);
    let i = eta_s as usize; // 1..=5
    let q = eta_s - i as f64;
    let h = h0_curve(i - 1, r);
    if q != 0.0 {
        (1.0 - q) * h + q * h0_curve(i, r)
    } else {
        h
    }
}

/// Reference attenuation A_ref (dB) and the propagation mode of a link
/// [Alg 4.1–4.8, 4.28–4.42, 4.52–4.59].
///
/// * Diffraction line: A_ed + m_d·d through the diffraction attenuation at
///   d₃ = max(d_Ls, d_L + 5·(a²/f)^⅓) and d₄ = d₃ + 10·(a²/f)^⅓ [4.2–4.8].
/// * d < d_Ls (line of sight): A_el + k₁·d + k₂·ln d fitted through the
///   two-ray attenuation at d₀, d₁ and the diffraction line at d_Ls
///   [4.28–4.42; ERL 79-ITS 67, Eqs 3.16–3.21].
/// * Beyond: the diffraction line, or past d_x the troposcatter line through
///   A_scat(d₅ = d_L + 200 km) and A_scat(d₆ = d_L + 400 km) [4.52–4.59].
///
/// Checks of the Algorithm's §4 limits: horizon angles and distances add
/// warnings; N_s outside [150, 400], a outside [4000, 13333] km and a ground
/// impedance with Re Z_g ≤ |Im Z_g| are errors.
pub(crate) fn reference_attenuation(
    link: &Link,
    warnings: &mut Warnings,
) -> Result<(f64, PropagationMode)> {
    let g = &link.geometry;
    let a_e = link.a_e;
    let f = link.f_mhz;
    let d = g.d_m;
    let (d_sml, d_ml) = (link.d_sml, link.d_ml);

    // Small-angle approximation and horizon-distance plausibility [Alg §4, "check parameters"].
    let flags = [
        [
            Warnings::TX_HORIZON_ANGLE,
            Warnings::TX_HORIZON_DISTANCE_1,
            Warnings::TX_HORIZON_DISTANCE_2,
        ],
        [
            Warnings::RX_HORIZON_ANGLE,
            Warnings::RX_HORIZON_DISTANCE_1,
            Warnings::RX_HORIZON_DISTANCE_2,
        ],
    ];
    for (j, [angle, too_near, too_far]) in flags.into_iter().enumerate() {
        if g.theta_hzn[j].abs() > 200e-3 {
            *warnings |= angle;
        }
        if g.d_hzn_m[j] < 0.1 * link.d_hzn_s[j] {
            *warnings |= too_near;
        }
        if g.d_hzn_m[j] > 3.0 * link.d_hzn_s[j] {
            *warnings |= too_far;
        }
    }

    if !(150.0..=400.0).contains(&link.n_s) {
        return Err(Error::OutOfValidityRange {
            model: super::MODEL,
            parameter: "N_s (surface refractivity N_0·exp(-h_sys/9460 m) at the mean path elevation h_sys)",
            value: link.n_s,
            range: "[150, 400] N-units".into(),
        });
    }
    if link.n_s < 250.0 {
        *warnings |= Warnings::SURFACE_REFRACTIVITY;
    }
    if !(4_000_000.0..=13_333_333.0).contains(&a_e) {
        return Err(Error::OutOfValidityRange {
            model: super::MODEL,
            parameter: "a_e (effective earth radius, m)",
            value: a_e,
            range: "[4000, 13333.333] km".into(),
        });
    }
    if link.z_g.re <= link.z_g.im.abs() || link.z_g.re.is_nan() {
        return Err(Error::OutOfValidityRange {
            model: super::MODEL,
            parameter: "ground impedance Im(Z_g)/Re(Z_g) (from epsilon, sigma, frequency)",
            value: link.z_g.im / link.z_g.re,
            range: "|Im Z_g| < Re Z_g".into(),
        });
    }

    // Diffraction line [Alg 4.2–4.8].
    let x_ae = (a_e * a_e / f).powf(THIRD);
    let d_3 = d_sml.max(d_ml + 5.0 * x_ae);
    let d_4 = d_3 + 10.0 * x_ae;
    let a_3 = link.diffraction(d_3);
    let a_4 = link.diffraction(d_4);
    let m_d = (a_4 - a_3) / (d_4 - d_3);
    let a_d0 = a_3 - m_d * d_3;

    let d_min = (g.h_e_m[0] - g.h_e_m[1]).abs() / 200e-3;
    if d < d_min {
        *warnings |= Warnings::PATH_DISTANCE_TOO_SMALL_1;
    }
    if d < 1e3 {
        *warnings |= Warnings::PATH_DISTANCE_TOO_SMALL_2;
    }
    if d > 1000e3 {
        *warnings |= Warnings::PATH_DISTANCE_TOO_BIG_1;
    }
    if d > 2000e3 {
        *warnings |= Warnings::PATH_DISTANCE_TOO_BIG_2;
    }

    let (a_ref, mode) = if d < d_sml {
        // Line-of-sight coefficients [Alg 4.28–4.42].
        let a_sml = d_sml * m_d + a_d0;
        let mut d_0 = 0.04 * f * g.h_e_m[0] * g.h_e_m[1]; // [4.38]
        let d_1 = if a_d0 >= 0.0 {
            d_0 = d_0.min(0.5 * d_ml); // [4.28]
            d_0 + 0.25 * (d_ml - d_0) // [4.29]
        } else {
            (-a_d0 / m_d).max(0.25 * d_ml) // [4.39]
        };
        let a_1 = link.line_of_sight(d_1, m_d, a_d0);
        let mut fitted = false;
        let (mut k_1, mut k_2) = (0.0, 0.0);
        if d_0 < d_1 {
            let a_0 = link.line_of_sight(d_0, m_d, a_d0);
            let q = (d_sml / d_0).ln();
            k_2 = (((d_sml - d_0) * (a_1 - a_0) - (d_1 - d_0) * (a_sml - a_0))
                / ((d_sml - d_0) * (d_1 / d_0).ln() - (d_1 - d_0) * q))
                .max(0.0); // [4.32]
            fitted = a_d0 > 0.0 || k_2 > 0.0;
            if fitted {
                k_1 = (a_sml - a_0 - k_2 * q) / (d_sml - d_0); // [4.33]
                if k_1 < 0.0 {
                    k_1 = 0.0; // [4.36]
                    k_2 = dim(a_sml, a_0) / q; // [4.35]
                    if k_2 == 0.0 {
                        k_1 = m_d; // [4.37]
                    }
                }
            }
        }
        if !fitted {
            k_1 = dim(a_sml, a_1) / (d_sml - d_1); // [4.40]
            k_2 = 0.0; // [4.41]
            if k_1 == 0.0 {
                k_1 = m_d;
            }
        }
        let a_el = a_sml - k_1 * d_sml - k_2 * d_sml.ln(); // [4.42]
        (a_el + k_1 * d + k_2 * d.ln(), PropagationMode::LineOfSight) // [4.1]
    } else {
        // Troposcatter coefficients [Alg 4.52–4.59]; d₆ first (see `troposcatter`).
        // The troposcatter line only matters beyond
        // d_x ≥ max(d_Ls, d_L + 1.088·X_ae·ln f) (or 10 000 km when A_scat is
        // undefined) [Alg 4.56–4.57]: nearer paths are diffraction whatever
        // the scatter attenuation, which is then not computed.
        if d <= d_ml + 1.088 * x_ae * link.freq.ln_f && d <= 10e6 {
            return Ok(((m_d * d + a_d0).max(0.0), PropagationMode::Diffraction));
        }
        let d_5 = d_ml + 200e3;
        let d_6 = d_ml + 400e3;
        let mut h0 = -1.0;
        let a_6 = link.troposcatter(d_6, &mut h0);
        let a_5 = link.troposcatter(d_5, &mut h0);
        let (m_s, a_s0, d_x) = if a_5 < 1000.0 {
            let m_s = (a_6 - a_5) / 200e3;
            let d_x = d_sml
                .max(d_ml + 1.088 * x_ae * link.freq.ln_f)
                .max((a_5 - a_d0 - m_s * d_5) / (m_d - m_s));
            (m_s, (m_d - m_s) * d_x + a_d0, d_x)
        } else {
            (m_d, a_d0, 10e6) // [4.56]
        };
        if d > d_x {
            (m_s * d + a_s0, PropagationMode::Troposcatter)
        } else {
            (m_d * d + a_d0, PropagationMode::Diffraction)
        }
    };
    Ok((a_ref.max(0.0), mode))
}

#[cfg(test)]
mod tests {
    //! Expected values are those of the unit tests of the NTIA/ITS reference
    //! implementation (github NTIA/itm, tests/Test*.cpp), which pin each
    //! sub-model on fixed inputs.
    use super::*;
    use approx::assert_relative_eq;

    #[allow(clippy::too_many_arguments)]
    fn link(
        theta: [f64; 2],
        d_hzn: [f64; 2],
        h_e: [f64; 2],
        delta_h: f64,
        d: f64,
        h: [f64; 2],
        a_e: f64,
        n_s: f64,
        z_g: Complex,
    ) -> Link {
        let geometry = PathGeometry {
            theta_hzn: theta,
            d_hzn_m: d_hzn,
            h_e_m: h_e,
            delta_h_m: delta_h,
            d_m: d,
        };
        Link::new(geometry, h, 3500.0, z_g, a_e, n_s)
    }

    #[test]
    fn fresnel_integral_branches() {
        assert_relative_eq!(fresnel_integral(0.0), 6.02);
        assert_relative_eq!(fresnel_integral(4.0), 6.02 + 9.11 * 2.0 - 1.27 * 4.0);
        assert_relative_eq!(fresnel_integral(100.0), 32.953);
        // The two branches meet within 0.05 dB at v = 2.4.
        assert!((fresnel_integral(5.76 - 1e-9) - fresnel_integral(5.76)).abs() < 0.05);
    }

    #[test]
    fn height_function_branches() {
        assert_relative_eq!(height_function(150.0, 1.0), 2.5e-5 * 150.0 * 150.0 - 15.0);
        assert_relative_eq!(height_function(150.0, 1e-6), 17.372 * 150f64.ln() - 117.0);
        assert_eq!(height_function(0.9, 1e-6), -117.0);
        let g = 0.05751 * 250.0 - 4.343 * 250f64.ln();
        let w = 0.0134 * 250.0 * (-0.005f64 * 250.0).exp();
        assert_relative_eq!(
            height_function(250.0, 1e-6),
            (1.0 - w) * g + w * (17.372 * 250f64.ln() - 117.0)
        );
        assert_relative_eq!(
            height_function(2001.0, 1.0),
            0.05751 * 2001.0 - 4.343 * 2001f64.ln()
        );
    }

    #[test]
    fn smooth_earth_diffraction_reference_value() {
        let a = smooth_earth_diffraction(
            18e3,
            3500.0,
            7850e3,
            0.002,
            [8e3, 8e3],
            [15.0, 3.0],
            Complex::new(0.2, 0.0),
        );
        assert_relative_eq!(a, 25.355962945991564, max_relative = 1e-12);
    }

    #[test]
    fn h0_function_clamps_and_interpolates() {
        assert_relative_eq!(h0_function(1.0, 1.0), 10.0 * (1.0f64 + 25.0 + 24.0).log10());
        assert_eq!(h0_function(1.0, -100.0), h0_function(1.0, 1.0));
        assert_eq!(h0_function(1.0, 500.0), h0_function(1.0, 5.0));
        assert_relative_eq!(
            h0_function(1.0, 5.0),
            10.0 * (1.0f64 + 705.0 + 105.0).log10()
        );
        let mid = 0.5 * h0_curve(2, 1.0) + 0.5 * h0_curve(3, 1.0);
        assert_relative_eq!(h0_function(1.0, 3.5), mid);
        assert_relative_eq!(
            h0_curve(1, 2.0),
            10.0 * (1.0 + 80.0 / 16.0 + 45.0f64 / 4.0).log10()
        );
    }

    #[test]
    fn f_function_branches() {
        assert_relative_eq!(
            f_function(9e3),
            133.4 + 0.332e-3 * 9e3 - 10.0 * 9e3f64.log10()
        );
        assert_relative_eq!(
            f_function(30e3),
            104.6 + 0.212e-3 * 30e3 - 2.5 * 30e3f64.log10()
        );
        assert_relative_eq!(
            f_function(75e3),
            71.8 + 0.157e-3 * 75e3 + 5.0 * 75e3f64.log10()
        );
    }

    #[test]
    fn troposcatter_reference_value() {
        let l = link(
            [-0.001, -0.001],
            [8e3, 8e3],
            [10.0, 5.0],
            0.0,
            100e3,
            [10.0, 5.0],
            7850e3,
            301.0,
            Complex::new(1.0, 0.0),
        );
        // The reference test passes θ_los = −0.02 directly.
        let l = Link {
            theta_los: -0.02,
            ..l
        };
        let mut h0 = -1.0;
        // The reference's expected value dates from an earlier revision of its
        // TroposcatterLoss; the current one (which its p2p test cases come
        // from) differs from it by 3·10⁻⁵ dB.
        assert!((l.troposcatter(100e3, &mut h0) - 76.96941617679589).abs() < 1e-4);
        // Short circuit: a known H₀ above 15 dB is reused as is.
        let mut h0 = 16.0;
        let th = 100e3 / 7850e3 + 0.02;
        let want = f_function(th * 100e3) + 10.0 * (3500.0 * th.powi(4)).log10() + 16.0;
        assert_relative_eq!(l.troposcatter(100e3, &mut h0), want, max_relative = 1e-12);
    }

    #[test]
    fn line_of_sight_reference_values() {
        // NTIA TestLineOfSightLoss: f = 47.7 MHz (k = 1), M_d = 0.05, A_d0 = 0, d_Ls = 100 km.
        let l = link(
            [0.0, 0.0],
            [1.0, 1.0],
            [1.0, 2.0],
            10.0,
            5e3,
            [1.0, 2.0],
            8.5e6,
            301.0,
            Complex::new(0.2, 0.0),
        );
        let l = Link {
            f_mhz: 47.7,
            d_sml: 100e3,
            ..l
        };
        assert_relative_eq!(
            l.line_of_sight(5e3, 0.05, 0.0),
            44.4541864337418,
            max_relative = 1e-12
        );
        let l = Link {
            f_mhz: 47.7e12,
            ..l
        };
        assert_relative_eq!(
            l.line_of_sight(5e3, 0.05, 0.0),
            249.99999994754504,
            max_relative = 1e-12
        );
    }

    #[test]
    fn diffraction_reference_value() {
        let (h_e, a_e) = ([8.0, 5.0], 6371000.0);
        let l = link(
            [-0.19, -0.08],
            [2500.0, 3000.0],
            h_e,
            10.0,
            1000.0,
            h_e,
            a_e,
            301.0,
            Complex::new(1.0, 0.1),
        );
        assert_relative_eq!(
            l.diffraction(1000.0),
            14.728185720658667,
            max_relative = 1e-12
        );
    }

    fn lr(d: f64) -> (Result<(f64, PropagationMode)>, Warnings) {
        let l = link(
            [-1.9, -0.8],
            [15e3, 7e3],
            [15.0, 5.0],
            3.5,
            d,
            [15.0, 5.0],
            7860e3,
            252.0,
            Complex::new(0.2, 0.0),
        );
        let mut w = Warnings::empty();
        (reference_attenuation(&l, &mut w), w)
    }

    #[test]
    fn reference_attenuation_in_the_three_regions() {
        let (r, _) = lr(10e3);
        let (a, mode) = r.unwrap();
        assert_eq!(mode, PropagationMode::LineOfSight);
        assert_relative_eq!(a, 4.291043314859982, max_relative = 1e-12);
        let (a, mode) = lr(25e3).0.unwrap();
        assert_eq!(mode, PropagationMode::Diffraction);
        assert_relative_eq!(a, 23.008174136481173, max_relative = 1e-12);
        let (r, w) = lr(10e6 + 1.0);
        let (a, mode) = r.unwrap();
        assert_eq!(mode, PropagationMode::Troposcatter);
        assert_relative_eq!(a, 10257.44380116946, max_relative = 1e-12);
        assert!(w.contains(Warnings::PATH_DISTANCE_TOO_BIG_2));
    }

    #[test]
    fn impossible_ground_and_earth_are_refused() {
        let bad = link(
            [0.0; 2],
            [1e3; 2],
            [10.0; 2],
            0.0,
            10e3,
            [10.0; 2],
            8.5e6,
            301.0,
            Complex::new(0.1, 0.2),
        );
        let mut w = Warnings::empty();
        assert!(matches!(
            reference_attenuation(&bad, &mut w),
            Err(Error::OutOfValidityRange { .. })
        ));
        let bad = link(
            [0.0; 2],
            [1e3; 2],
            [10.0; 2],
            0.0,
            10e3,
            [10.0; 2],
            20e6,
            301.0,
            Complex::new(1.0, 0.0),
        );
        assert!(matches!(
            reference_attenuation(&bad, &mut w),
            Err(Error::OutOfValidityRange { .. })
        ));
        let bad = link(
            [0.0; 2],
            [1e3; 2],
            [10.0; 2],
            0.0,
            10e3,
            [10.0; 2],
            8.5e6,
            120.0,
            Complex::new(1.0, 0.0),
        );
        assert!(matches!(
            reference_attenuation(&bad, &mut w),
            Err(Error::OutOfValidityRange { .. })
        ));
    }
}
