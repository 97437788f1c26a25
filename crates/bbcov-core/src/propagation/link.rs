//! A radio link as the site-general models see it, and the choice of model
//! for it.

use super::validity::{non_negative, positive};
use super::{Cost231Hata, FreeSpace, Hata, Tr38901};
use crate::Result;

/// The geometry of a link between a base station (the transmitter, `tx`) and
/// a user terminal (`rx`), as the site-general models need it.
///
/// Heights are antenna heights above the local ground; the models assume flat
/// ground between the two ends (the terrain enters through the diffraction
/// methods, [`bullington`](super::bullington) and [`deygout`](super::deygout),
/// or ITM instead).
///
/// ```
/// use bbcov_core::propagation::LinkGeometry;
/// let link = LinkGeometry { distance_2d_m: 40.0, tx_height_m: 31.5, rx_height_m: 1.5, frequency_mhz: 3500.0 };
/// assert_eq!(link.distance_3d_m(), 50.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkGeometry {
    /// Horizontal distance between the two antennas (m).
    pub distance_2d_m: f64,
    /// Base-station antenna height above ground (m): hb in Hata, hBS in 38.901.
    pub tx_height_m: f64,
    /// Terminal antenna height above ground (m): hm in Hata, hUT in 38.901.
    pub rx_height_m: f64,
    /// Carrier frequency (MHz).
    pub frequency_mhz: f64,
}

impl LinkGeometry {
    /// Straight-line distance between the antennas (m): d3D of TR 38.901.
    pub fn distance_3d_m(&self) -> f64 {
        self.distance_2d_m.hypot(self.tx_height_m - self.rx_height_m)
    }

    /// Fails on a NaN or infinite value, a negative distance or height, or a
    /// frequency that is not > 0.
    pub(crate) fn check(&self) -> Result<()> {
        non_negative("distance_2d_m", self.distance_2d_m, "m")?;
        non_negative("tx_height_m", self.tx_height_m, "m")?;
        non_negative("rx_height_m", self.rx_height_m, "m")?;
        positive("frequency_mhz", self.frequency_mhz, "MHz")
    }
}

/// A site-general path-loss model, chosen per link (or per site) by the
/// coverage code.
///
/// ```
/// use bbcov_core::propagation::{Hata, HataEnvironment, LinkGeometry, PathLossModel};
/// let model = PathLossModel::Hata(Hata::new(HataEnvironment::UrbanLargeCity));
/// let link = LinkGeometry { distance_2d_m: 2_000.0, tx_height_m: 30.0, rx_height_m: 1.0, frequency_mhz: 869.0 };
/// assert!((model.loss_db(&link)? - 137.93).abs() < 0.01);
/// // 500 m is outside the 1-20 km range of Okumura-Hata.
/// let near = LinkGeometry { distance_2d_m: 500.0, ..link };
/// assert!(model.loss_db(&near).is_err());
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathLossModel {
    /// ITU-R P.525 free space over the 3D distance.
    FreeSpace,
    /// Okumura-Hata, 150-1500 MHz.
    Hata(Hata),
    /// COST-231 Hata, 1500-2000 MHz.
    Cost231Hata(Cost231Hata),
    /// 3GPP TR 38.901 RMa / UMa / UMi-Street Canyon, LOS or NLOS.
    Tr38901(Tr38901),
}

impl PathLossModel {
    /// Basic transmission loss (dB) of `link`: fails with
    /// [`Error::OutOfValidityRange`](crate::Error::OutOfValidityRange) when the
    /// link is outside the model's validity range and the model does not
    /// extrapolate, and with [`Error::InvalidParameter`](crate::Error::InvalidParameter)
    /// on non-physical input.
    pub fn loss_db(&self, link: &LinkGeometry) -> Result<f64> {
        match self {
            PathLossModel::FreeSpace => FreeSpace.loss_db(link),
            PathLossModel::Hata(m) => m.loss_db(link),
            PathLossModel::Cost231Hata(m) => m.loss_db(link),
            PathLossModel::Tr38901(m) => m.loss_db(link),
        }
    }

    /// Name of the model, for reports.
    pub fn name(&self) -> &'static str {
        match self {
            PathLossModel::FreeSpace => FreeSpace::NAME,
            PathLossModel::Hata(_) => Hata::NAME,
            PathLossModel::Cost231Hata(_) => Cost231Hata::NAME,
            PathLossModel::Tr38901(m) => m.name(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::propagation::{Cost231Hata, LosCondition, Tr38901Scenario};

    const LINK: LinkGeometry =
        LinkGeometry { distance_2d_m: 2_000.0, tx_height_m: 35.0, rx_height_m: 1.5, frequency_mhz: 1_800.0 };

    #[test]
    fn dispatches_to_each_model() {
        let fs = PathLossModel::FreeSpace.loss_db(&LINK).unwrap();
        let cost = PathLossModel::Cost231Hata(Cost231Hata::new(false)).loss_db(&LINK).unwrap();
        let rma =
            PathLossModel::Tr38901(Tr38901::new(Tr38901Scenario::RMa, LosCondition::Nlos)).loss_db(&LINK).unwrap();
        // Both empirical models lose more than free space over 2 km.
        assert!(cost > fs + 20.0 && rma > fs + 20.0, "{fs} {cost} {rma}");
        assert!(matches!(
            PathLossModel::Hata(Hata::new(crate::propagation::HataEnvironment::Suburban)).loss_db(&LINK),
            Err(Error::OutOfValidityRange { parameter: "frequency_mhz", .. })
        ));
        assert_eq!(PathLossModel::FreeSpace.name(), "free space (ITU-R P.525-4)");
    }

    #[test]
    fn refuses_non_physical_links() {
        for bad in [
            LinkGeometry { distance_2d_m: f64::NAN, ..LINK },
            LinkGeometry { tx_height_m: -1.0, ..LINK },
            LinkGeometry { frequency_mhz: 0.0, ..LINK },
        ] {
            assert!(matches!(PathLossModel::FreeSpace.loss_db(&bad), Err(Error::InvalidParameter { .. })), "{bad:?}");
        }
    }
}
