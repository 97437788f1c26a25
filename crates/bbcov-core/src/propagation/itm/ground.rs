//! Ground constants: the surface transfer impedance Z_g of the ground and the
//! little complex arithmetic the two-ray (line-of-sight) model needs.
//!
//! Sources: Hufford, *The ITS Irregular Terrain Model, version 1.2.2: The
//! Algorithm* (1999), "Alg" below, §3 (preparatory subroutine `qlrps`,
//! Eqs. 3.1–3.4), and NBS Technical Note 101 (Rice et al. 1967), "TN101".

/// A complex number (just enough for the ground impedance and the reflection
/// coefficient; no dependency on a complex-number crate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Complex {
    pub const fn new(re: f64, im: f64) -> Self {
        Complex { re, im }
    }

    /// |z|² (the squared modulus).
    pub fn norm_sqr(self) -> f64 {
        self.re * self.re + self.im * self.im
    }

    /// |z|, computed without overflow (`hypot`).
    pub fn abs(self) -> f64 {
        self.re.hypot(self.im)
    }

    /// Principal square root (branch cut on the negative real axis, Re ≥ 0).
    pub fn sqrt(self) -> Self {
        let r = self.abs();
        let re = ((r + self.re) * 0.5).max(0.0).sqrt();
        let im = ((r - self.re) * 0.5).max(0.0).sqrt();
        Complex::new(re, if self.im < 0.0 { -im } else { im })
    }

    pub fn add(self, o: Self) -> Self {
        Complex::new(self.re + o.re, self.im + o.im)
    }

    pub fn sub(self, o: Self) -> Self {
        Complex::new(self.re - o.re, self.im - o.im)
    }

    pub fn scale(self, k: f64) -> Self {
        Complex::new(self.re * k, self.im * k)
    }

    #[cfg(test)]
    pub fn mul(self, o: Self) -> Self {
        Complex::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }

    pub fn div(self, o: Self) -> Self {
        let d = o.norm_sqr();
        Complex::new(
            (self.re * o.re + self.im * o.im) / d,
            (self.im * o.re - self.re * o.im) / d,
        )
    }
}

/// Surface transfer impedance of the ground, Z_g [Alg 3.3–3.4]:
/// ε_r' = ε + i·18000·σ/f (f in MHz, σ in S/m), Z_g = √(ε_r' − 1) for
/// horizontal polarization and Z_g = √(ε_r' − 1)/ε_r' for vertical.
pub(crate) fn surface_impedance(f_mhz: f64, epsilon: f64, sigma: f64, vertical: bool) -> Complex {
    let ep_r = Complex::new(epsilon, 18000.0 * sigma / f_mhz);
    let z_g = ep_r.sub(Complex::new(1.0, 0.0)).sqrt();
    if vertical { z_g.div(ep_r) } else { z_g }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn complex_arithmetic() {
        let z = Complex::new(3.0, -4.0);
        assert_eq!(z.abs(), 5.0);
        let r = Complex::new(-4.0, 0.0).sqrt();
        assert_eq!((r.re, r.im), (0.0, 2.0));
        let s = z.sqrt();
        let back = s.mul(s);
        assert_relative_eq!(back.re, 3.0, epsilon = 1e-12);
        assert_relative_eq!(back.im, -4.0, epsilon = 1e-12);
        let q = z.div(Complex::new(1.0, 2.0));
        assert_relative_eq!(q.re, -1.0, epsilon = 1e-15);
        assert_relative_eq!(q.im, -2.0, epsilon = 1e-15);
    }

    #[test]
    fn impedance_of_average_ground() {
        // ε = 15, σ = 0.005 S/m, 3500 MHz: ε_r' = 15 + 0.025714 i.
        let h = surface_impedance(3500.0, 15.0, 0.005, false);
        let want = Complex::new(14.0, 18000.0 * 0.005 / 3500.0).sqrt();
        assert_relative_eq!(h.re, want.re, epsilon = 1e-15);
        assert_relative_eq!(h.re, 14f64.sqrt(), epsilon = 1e-4);
        let v = surface_impedance(3500.0, 15.0, 0.005, true);
        // Vertical: Z_g / ε_r' ≈ √14 / 15.
        assert_relative_eq!(v.re, 14f64.sqrt() / 15.0, epsilon = 1e-4);
        assert!(v.re > v.im.abs());
    }
}
