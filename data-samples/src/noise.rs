//! Seeded 2-D gradient noise and its fractal sums (fBm, ridged multifractal)
//! for the synthetic terrain.
//!
//! Gradient noise after Perlin, "Improving noise", SIGGRAPH 2002 (quintic fade
//! 6t^5 - 15t^4 + 10t^3); fBm and the ridged multifractal after Musgrave in
//! Ebert et al., *Texturing and Modeling: A Procedural Approach*, 3rd ed., ch. 16.
//! Only arithmetic and integer hashing are used (no sin/exp/pow), so the values
//! are bit-identical on every platform.

use crate::prng::mix64;

/// Gradient directions: 16 unit vectors, 22.5 degrees apart (cos/sin written out).
const GRADIENTS: [(f64, f64); 16] = [
    (1.0, 0.0),
    (0.923_879_532_511_286_7, 0.382_683_432_365_089_8),
    (0.707_106_781_186_547_5, 0.707_106_781_186_547_5),
    (0.382_683_432_365_089_8, 0.923_879_532_511_286_7),
    (0.0, 1.0),
    (-0.382_683_432_365_089_8, 0.923_879_532_511_286_7),
    (-0.707_106_781_186_547_5, 0.707_106_781_186_547_5),
    (-0.923_879_532_511_286_7, 0.382_683_432_365_089_8),
    (-1.0, 0.0),
    (-0.923_879_532_511_286_7, -0.382_683_432_365_089_8),
    (-0.707_106_781_186_547_5, -0.707_106_781_186_547_5),
    (-0.382_683_432_365_089_8, -0.923_879_532_511_286_7),
    (0.0, -1.0),
    (0.382_683_432_365_089_8, -0.923_879_532_511_286_7),
    (0.707_106_781_186_547_5, -0.707_106_781_186_547_5),
    (0.923_879_532_511_286_7, -0.382_683_432_365_089_8),
];

/// One seeded gradient-noise field; values roughly in [-0.7, 0.7], zero at lattice points.
#[derive(Debug, Clone, Copy)]
pub struct Noise {
    seed: u64,
}

impl Noise {
    /// The noise field for `seed`.
    pub fn new(seed: u64) -> Self {
        Noise {
            seed: mix64(seed ^ 0x5851_F42D_4C95_7F2D),
        }
    }

    fn gradient(&self, ix: i64, iy: i64) -> (f64, f64) {
        let h = mix64(
            self.seed
                ^ (ix as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (iy as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F),
        );
        GRADIENTS[(h >> 60) as usize]
    }

    /// Gradient noise at (x, y) (lattice spacing 1).
    pub fn at(&self, x: f64, y: f64) -> f64 {
        let (fx, fy) = (x.floor(), y.floor());
        let (ix, iy) = (fx as i64, fy as i64);
        let (tx, ty) = (x - fx, y - fy);
        let dot = |gx: i64, gy: i64, dx: f64, dy: f64| {
            let g = self.gradient(gx, gy);
            g.0 * dx + g.1 * dy
        };
        let n00 = dot(ix, iy, tx, ty);
        let n10 = dot(ix + 1, iy, tx - 1.0, ty);
        let n01 = dot(ix, iy + 1, tx, ty - 1.0);
        let n11 = dot(ix + 1, iy + 1, tx - 1.0, ty - 1.0);
        let (u, v) = (fade(tx), fade(ty));
        let a = n00 + u * (n10 - n00);
        let b = n01 + u * (n11 - n01);
        a + v * (b - a)
    }

    /// Fractional Brownian motion: `octaves` octaves, lacunarity 2, gain 0.5,
    /// each octave rotated (by the 3-4-5 rotation) to hide lattice alignment.
    /// Normalised to roughly [-1, 1].
    pub fn fbm(&self, x: f64, y: f64, octaves: u32) -> f64 {
        let (mut x, mut y) = (x, y);
        let (mut sum, mut amp, mut norm) = (0.0, 1.0, 0.0);
        for o in 0..octaves {
            sum += amp * self.at(x + o as f64 * 17.31, y - o as f64 * 9.77);
            norm += amp;
            amp *= 0.5;
            (x, y) = rotate_double(x, y);
        }
        1.4 * sum / norm
    }

    /// Ridged multifractal (Musgrave): sharp crests where the noise crosses zero,
    /// rounded valleys between, crests sharpened further at high values.
    /// Roughly in [0, 1].
    pub fn ridged(&self, x: f64, y: f64, octaves: u32) -> f64 {
        let (mut x, mut y) = (x, y);
        let (mut sum, mut amp, mut norm, mut weight) = (0.0, 1.0, 0.0, 1.0);
        for o in 0..octaves {
            let n = self.at(x - o as f64 * 13.13, y + o as f64 * 7.71);
            let mut r = 1.0 - (1.6 * n).abs().min(1.0);
            r *= r;
            r *= weight;
            weight = (2.0 * r).clamp(0.0, 1.0);
            sum += amp * r;
            norm += amp;
            amp *= 0.5;
            (x, y) = rotate_double(x, y);
        }
        sum / norm
    }
}

/// Perlin's quintic fade curve.
fn fade(t: f64) -> f64 {
    t * t * t * (t * (t * 6.0 - 15.0) + 10.0)
}

/// Doubles the frequency and rotates by atan(3/4) (exact rational matrix).
fn rotate_double(x: f64, y: f64) -> (f64, f64) {
    (2.0 * (0.8 * x - 0.6 * y), 2.0 * (0.6 * x + 0.8 * y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_on_lattice_and_bounded() {
        let n = Noise::new(3);
        assert_eq!(n.at(4.0, -7.0), 0.0);
        let mut lo = f64::MAX;
        let mut hi = f64::MIN;
        for i in 0..200 {
            for j in 0..200 {
                let v = n.at(i as f64 * 0.137, j as f64 * 0.173);
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        assert!(lo > -1.0 && hi < 1.0 && lo < -0.3 && hi > 0.3, "{lo} {hi}");
    }

    #[test]
    fn continuous_and_seeded() {
        let n = Noise::new(11);
        let a = n.fbm(1.234, 5.678, 6);
        let b = n.fbm(1.234 + 1e-7, 5.678, 6);
        assert!((a - b).abs() < 1e-4);
        assert_eq!(a, Noise::new(11).fbm(1.234, 5.678, 6));
        assert_ne!(a, Noise::new(12).fbm(1.234, 5.678, 6));
        let r = n.ridged(3.3, 4.4, 6);
        assert!((0.0..=1.0).contains(&r));
    }
}
