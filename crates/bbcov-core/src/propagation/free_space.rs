//! Free-space basic transmission loss, Recommendation ITU-R P.525-4 (08/2019)
//! "Calculation of free-space attenuation", §2.2, eq. (4).

use super::LinkGeometry;
use super::decibels::decibels;
use super::validity::positive;
use crate::Result;

/// Speed of light in vacuum (m/s), exact by the definition of the metre.
pub const SPEED_OF_LIGHT_M_PER_S: f64 = 299_792_458.0;

/// Free-space basic transmission loss between isotropic antennas,
/// L_bf = 20 log10(4πd/λ) dB: ITU-R P.525-4 §2.2, eq. (4).
///
/// With f in MHz and d in km this is 32.45 + 20 log10 f + 20 log10 d (P.525
/// rounds the constant to 32.4). The formula holds in the far field of the
/// antennas; it has no other validity limit, so there is no `extrapolate`
/// option. Fails only on a distance or frequency that is not finite and > 0.
///
/// ```
/// use bbcov_core::propagation::free_space_loss_db;
/// // 1 km at 1000 MHz: 32.45 + 60 + 0 dB.
/// let l = free_space_loss_db(1_000.0, 1_000.0)?;
/// assert!((l - 92.45).abs() < 0.01);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn free_space_loss_db(distance_m: f64, frequency_mhz: f64) -> Result<f64> {
    positive("distance_m", distance_m, "m")?;
    positive("frequency_mhz", frequency_mhz, "MHz")?;
    let wavelength_m = SPEED_OF_LIGHT_M_PER_S / (frequency_mhz * 1e6);
    Ok(2.0 * decibels(4.0 * std::f64::consts::PI * distance_m / wavelength_m))
}

/// [`free_space_loss_db`] at one frequency from squared distances, for maps
/// that evaluate it per cell: L_bf = 10 log10(d²) + 20 log10(4π/λ), one
/// logarithm and no square root.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FreeSpaceAt {
    /// 20 log10(4π/λ) (dB): the loss at 1 m.
    at_1m_db: f64,
}

impl FreeSpaceAt {
    /// At `frequency_mhz` (finite, > 0).
    pub(crate) fn new(frequency_mhz: f64) -> Result<Self> {
        Ok(FreeSpaceAt { at_1m_db: free_space_loss_db(1.0, frequency_mhz)? })
    }

    /// The loss (dB) over a distance whose square is `distance2_m2` (> 0).
    #[inline]
    pub(crate) fn loss_db_squared(&self, distance2_m2: f64) -> f64 {
        decibels(distance2_m2) + self.at_1m_db
    }
}

/// The free-space model of a link: [`free_space_loss_db`] over the straight
/// distance between the antennas, [`LinkGeometry::distance_3d_m`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FreeSpace;

impl FreeSpace {
    /// Name of the model in error messages.
    pub const NAME: &'static str = "free space (ITU-R P.525-4)";

    /// Basic transmission loss (dB) of `link`.
    pub fn loss_db(&self, link: &LinkGeometry) -> Result<f64> {
        link.check()?;
        free_space_loss_db(link.distance_3d_m(), link.frequency_mhz)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    /// ITU-R P.525-4 eq. (4) in practical units: 32.45 + 20 log f(MHz) + 20 log d(km).
    #[test]
    fn matches_p525_in_practical_units() {
        for (d_km, f_mhz) in [(1.0, 1000.0), (10.0, 900.0), (0.5, 3500.0), (42.0, 150.0)] {
            let expected = 32.4478 + 20.0 * f64::log10(f_mhz) + 20.0 * f64::log10(d_km);
            let got = free_space_loss_db(d_km * 1e3, f_mhz).unwrap();
            assert!((got - expected).abs() < 1e-3, "{d_km} km {f_mhz} MHz: {got} vs {expected}");
        }
        assert!((free_space_loss_db(1e3, 1e3).unwrap() - 92.45).abs() < 0.005);
        // Doubling the distance adds 6.02 dB (inverse-square law).
        let step = free_space_loss_db(2e3, 2e3).unwrap() - free_space_loss_db(1e3, 2e3).unwrap();
        assert!((step - 20.0 * 2f64.log10()).abs() < 1e-12);
    }

    #[test]
    fn uses_the_straight_distance_between_antennas() {
        let link = LinkGeometry { distance_2d_m: 300.0, tx_height_m: 401.5, rx_height_m: 1.5, frequency_mhz: 2000.0 };
        let direct = free_space_loss_db(500.0, 2000.0).unwrap();
        assert!((FreeSpace.loss_db(&link).unwrap() - direct).abs() < 1e-12);
    }

    #[test]
    fn from_squared_distances_equals_the_loss() {
        for f_mhz in [150.0, 800.0, 3500.0, 28_000.0] {
            let at = FreeSpaceAt::new(f_mhz).unwrap();
            for d in [1.0, 37.5, 1_000.0, 15_000.0, 123_456.7] {
                let want = free_space_loss_db(d, f_mhz).unwrap();
                assert!((at.loss_db_squared(d * d) - want).abs() < 1e-9, "{d} m {f_mhz} MHz");
            }
        }
        assert!(FreeSpaceAt::new(0.0).is_err());
    }

    #[test]
    fn refuses_non_physical_inputs() {
        assert!(matches!(free_space_loss_db(0.0, 900.0), Err(Error::InvalidParameter { name: "distance_m", .. })));
        assert!(matches!(
            free_space_loss_db(1e3, f64::NAN),
            Err(Error::InvalidParameter { name: "frequency_mhz", .. })
        ));
    }
}
