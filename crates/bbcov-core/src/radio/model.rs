//! The propagation models of a coverage computation, their validity range per
//! site, and the per-link evaluation that the grid sweep and the households share.

use crate::propagation::itm::{
    self, Climate, ItmParams, Mdvar, Polarization, Quantiles, VariabilityMode, Warnings,
};
use crate::propagation::{LinkGeometry, LosCondition, Tr38901, Tr38901Scenario, free_space_loss_db};
use crate::{Error, Result, Site};

/// ITM (Longley-Rice) settings of a coverage computation: everything of
/// [`ItmParams`] but the frequency and the antenna heights, which come from
/// the site and the receiver, plus the wanted quantiles.
///
/// The defaults are those of [`ItmParams::new`] (continental temperate
/// climate, N₀ = 301 N-units, vertical polarization, average ground ε = 15,
/// σ = 0.005 S/m, broadcast variability) at the median (50 % time, locations,
/// situations). [`ItmSettings::splat`] gives the settings of SPLAT!'s
/// `-olditm` runs.
///
/// ```
/// use bbcov_core::ItmSettings;
/// use bbcov_core::propagation::itm::Climate;
/// let s = ItmSettings { climate: Climate::MaritimeTemperateOverSea, ..ItmSettings::default() };
/// assert_eq!(s.n_0, 301.0);
/// assert_eq!(ItmSettings::splat(Climate::MaritimeTemperateOverLand).mdvar.code(), 12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItmSettings {
    pub climate: Climate,
    /// Surface refractivity reduced to sea level N₀ (N-units, [250, 400]).
    pub n_0: f64,
    /// Relative permittivity of the ground ε (15 average ground, 80 sea water).
    pub epsilon: f64,
    /// Ground conductivity σ (S/m: 0.005 average ground, 5 sea water).
    pub sigma: f64,
    pub polarization: Polarization,
    /// Mode of variability.
    pub mdvar: Mdvar,
    /// The quantiles of the loss to map.
    pub quantiles: Quantiles,
    /// Accept a frequency outside ITM's recommended 40 MHz – 10 GHz or
    /// antenna heights outside 1 – 1000 m (within its hard limits, 20 MHz –
    /// 20 GHz and 0.5 – 3000 m); without it they are refused.
    pub extrapolate: bool,
}

impl Default for ItmSettings {
    fn default() -> Self {
        let p = ItmParams::new(1000.0, 10.0, 1.5);
        ItmSettings {
            climate: p.climate,
            n_0: p.n_0,
            epsilon: p.epsilon,
            sigma: p.sigma,
            polarization: p.polarization,
            mdvar: p.mdvar,
            quantiles: Quantiles::MEDIAN,
            extrapolate: false,
        }
    }
}

impl ItmSettings {
    /// The settings of SPLAT!'s ITM (`point_to_point_ITM`, `-olditm`): mode of
    /// variability 12 (mobile, without location variability; fixed in
    /// SPLAT!'s code), median time and situation, average ground, vertical
    /// polarization, N₀ = 301, in `climate` (SPLAT!'s `.lrp` file).
    pub fn splat(climate: Climate) -> Self {
        ItmSettings {
            climate,
            mdvar: Mdvar {
                mode: VariabilityMode::Mobile,
                location_variability: false,
                situation_variability: true,
            },
            ..ItmSettings::default()
        }
    }

    /// The [`ItmParams`] of a link at `f_mhz` between antennas `h_tx_m` and `h_rx_m` above ground.
    pub fn params(&self, f_mhz: f64, h_tx_m: f64, h_rx_m: f64) -> ItmParams {
        ItmParams {
            h_tx_m,
            h_rx_m,
            climate: self.climate,
            n_0: self.n_0,
            f_mhz,
            polarization: self.polarization,
            epsilon: self.epsilon,
            sigma: self.sigma,
            mdvar: self.mdvar,
        }
    }
}

/// The propagation model of a coverage computation.
///
/// | model | loss | terrain | validity |
/// |---|---|---|---|
/// | [`Itm`](RadioModel::Itm) | Longley-Rice ITM 1.2.2 point-to-point ([`itm::p2p`]) on the profile from the site | the whole profile; its own effective earth radius from N_s | 20 MHz – 20 GHz, heights 0.5 – 3000 m (recommended 40 MHz – 10 GHz, 1 – 1000 m) |
/// | [`Diffraction`](RadioModel::Diffraction) | free space (ITU-R P.525-4 eq. (4)) + Bullington diffraction (ITU-R P.526-15 §4.5.1) | the whole profile, earth curvature with k | 30 MHz – 50 GHz |
/// | [`Tr38901`](RadioModel::Tr38901) | 3GPP TR 38.901 Table 7.4.1-1 RMa / UMa / UMi, LOS or NLOS by the terrain line of sight | line of sight only (k) | that of [`Tr38901`] (e.g. RMa 0.5 – 30 GHz, NLOS up to 5 km) |
///
/// Each model refuses a site outside its validity range with
/// [`Error::OutOfValidityRange`] naming the parameter (wrapped in
/// [`Error::Site`] naming the site) unless `extrapolate` is set. The
/// diffraction range is that of the Recommendations that use this Bullington
/// construction (ITU-R P.1812-6: 30 MHz – 6 GHz; P.452-17: 0.1 – 50 GHz);
/// P.526 itself states none.
///
/// ```
/// use bbcov_core::RadioModel;
/// use bbcov_core::propagation::Tr38901Scenario;
/// assert_eq!(RadioModel::itm().name(), "ITM (Longley-Rice) point-to-point");
/// let rma = RadioModel::tr38901(Tr38901Scenario::RMa).extrapolating();
/// assert!(matches!(rma, RadioModel::Tr38901 { extrapolate: true, .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum RadioModel {
    /// Longley-Rice ITM on the terrain profile.
    Itm(ItmSettings),
    /// Free space plus Bullington diffraction over the terrain profile.
    Diffraction {
        /// Accept frequencies outside 30 MHz – 50 GHz.
        extrapolate: bool,
    },
    /// 3GPP TR 38.901, LOS or NLOS chosen per cell from the terrain line of sight.
    Tr38901 {
        scenario: Tr38901Scenario,
        /// RMa average building height h (m).
        building_height_m: f64,
        /// RMa average street width W (m).
        street_width_m: f64,
        /// Apply the formulas outside their validity range (e.g. beyond 5 km).
        extrapolate: bool,
    },
}

/// Frequency range (MHz) of the diffraction model: see [`RadioModel`].
pub(crate) const DIFFRACTION_RANGE_MHZ: (f64, f64) = (30.0, 50_000.0);
const DIFFRACTION_NAME: &str = "free space + Bullington diffraction (ITU-R P.525-4, P.526-15 §4.5.1)";
/// TR 38.901's smallest 2D distance (Table 7.4.1-1).
const TR38901_MIN_DISTANCE_M: f64 = 10.0;

impl RadioModel {
    /// ITM with [`ItmSettings::default`].
    pub fn itm() -> Self {
        RadioModel::Itm(ItmSettings::default())
    }

    /// Free space + Bullington diffraction, within its validity range.
    pub fn diffraction() -> Self {
        RadioModel::Diffraction { extrapolate: false }
    }

    /// TR 38.901 in `scenario` with h = 5 m and W = 20 m (Table 7.2-3), within its validity range.
    pub fn tr38901(scenario: Tr38901Scenario) -> Self {
        RadioModel::Tr38901 { scenario, building_height_m: 5.0, street_width_m: 20.0, extrapolate: false }
    }

    /// The same model with `extrapolate` set.
    pub fn extrapolating(self) -> Self {
        match self {
            RadioModel::Itm(s) => RadioModel::Itm(ItmSettings { extrapolate: true, ..s }),
            RadioModel::Diffraction { .. } => RadioModel::Diffraction { extrapolate: true },
            RadioModel::Tr38901 { scenario, building_height_m, street_width_m, .. } => {
                RadioModel::Tr38901 { scenario, building_height_m, street_width_m, extrapolate: true }
            }
        }
    }

    /// Name of the model, for reports.
    pub fn name(&self) -> &'static str {
        match self {
            RadioModel::Itm(_) => itm::MODEL,
            RadioModel::Diffraction { .. } => DIFFRACTION_NAME,
            RadioModel::Tr38901 { scenario, .. } => match scenario {
                Tr38901Scenario::RMa => "3GPP TR 38.901 RMa (LOS/NLOS by terrain)",
                Tr38901Scenario::UMa => "3GPP TR 38.901 UMa (LOS/NLOS by terrain)",
                Tr38901Scenario::UMiStreetCanyon => "3GPP TR 38.901 UMi-Street Canyon (LOS/NLOS by terrain)",
            },
        }
    }

    /// The model prepared for `site` with a receiver `rx_height_m` above
    /// ground and links up to `max_distance_m`, after checking the validity
    /// range (errors are not yet wrapped with the site).
    pub(crate) fn for_site(&self, site: &Site, rx_height_m: f64, max_distance_m: f64) -> Result<SiteModel> {
        let f_mhz = site.frequency_mhz();
        let h_tx = site.height_m();
        let kind = match *self {
            RadioModel::Itm(s) => {
                let params = s.params(f_mhz, h_tx, rx_height_m);
                let warnings = params.validate()?;
                if !s.extrapolate {
                    for (flag, parameter, value, range) in [
                        (Warnings::FREQUENCY, "f_mhz", f_mhz, "[40, 10000] MHz"),
                        (Warnings::TX_TERMINAL_HEIGHT, "h_tx_m", h_tx, "[1, 1000] m"),
                        (Warnings::RX_TERMINAL_HEIGHT, "h_rx_m", rx_height_m, "[1, 1000] m"),
                    ] {
                        if warnings.contains(flag) {
                            return Err(Error::OutOfValidityRange {
                                model: itm::MODEL,
                                parameter,
                                value,
                                range: format!(
                                    "{range}, the range ITM is recommended for (set `extrapolate` to apply it anyway)"
                                ),
                            });
                        }
                    }
                }
                // Checks the quantiles and everything else on a trivial 1 km sea path.
                let flat = [0.0; 11];
                itm::p2p(&params, &itm::Profile::new(&flat, 100.0)?, s.quantiles)?;
                Kind::Itm { params, quantiles: s.quantiles }
            }
            RadioModel::Diffraction { extrapolate } => {
                let (lo, hi) = DIFFRACTION_RANGE_MHZ;
                if !extrapolate && !(lo..=hi).contains(&f_mhz) {
                    return Err(Error::OutOfValidityRange {
                        model: DIFFRACTION_NAME,
                        parameter: "frequency_mhz",
                        value: f_mhz,
                        range: format!("[{lo}, {hi}] MHz (set `extrapolate` to apply it anyway)"),
                    });
                }
                Kind::Diffraction
            }
            RadioModel::Tr38901 { scenario, building_height_m, street_width_m, extrapolate } => {
                let model = |condition| Tr38901 { scenario, condition, building_height_m, street_width_m, extrapolate };
                let (los, nlos) = (model(LosCondition::Los), model(LosCondition::Nlos));
                let link = LinkGeometry {
                    distance_2d_m: max_distance_m.max(TR38901_MIN_DISTANCE_M),
                    tx_height_m: h_tx,
                    rx_height_m,
                    frequency_mhz: f_mhz,
                };
                los.loss_db(&link)?;
                nlos.loss_db(&link).map_err(|e| match e {
                    Error::OutOfValidityRange { parameter: "distance_2d_m", model, range, .. } => {
                        Error::OutOfValidityRange {
                            model,
                            parameter: "radius_m",
                            value: max_distance_m,
                            range: format!("{range}; any cell of the map may be NLOS"),
                        }
                    }
                    e => e,
                })?;
                Kind::Tr38901(Tr38901Curves::new(&los, h_tx, rx_height_m, f_mhz))
            }
        };
        let min_distance_m = if matches!(kind, Kind::Tr38901 { .. }) { TR38901_MIN_DISTANCE_M } else { 0.0 };
        Ok(SiteModel { kind, f_mhz, min_distance_m })
    }
}

/// A model prepared for one site.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SiteModel {
    pub(crate) kind: Kind,
    pub(crate) f_mhz: f64,
    /// Horizontal distances below this (and 0) get the near-field rule.
    min_distance_m: f64,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Itm { params: ItmParams, quantiles: Quantiles },
    Diffraction,
    Tr38901(Tr38901Curves),
}

impl SiteModel {
    /// Whether a receiver `d2d_m` from the site gets the near-field rule.
    pub(crate) fn is_near_field(&self, d2d_m: f64) -> bool {
        d2d_m <= 0.0 || d2d_m < self.min_distance_m
    }

    /// [`is_near_field`](Self::is_near_field) from the squared distance.
    #[inline]
    pub(crate) fn is_near_field_squared(&self, d2d2: f64) -> bool {
        d2d2 <= 0.0 || d2d2 < self.min_distance_m * self.min_distance_m
    }

    /// The near-field rule: free space over the straight antenna–receiver
    /// distance, at least 1 m (`rise_m`: receiver antenna above the site's).
    pub(crate) fn near_field_loss_db(&self, d2d_m: f64, rise_m: f64) -> Result<f64> {
        free_space_loss_db(d2d_m.hypot(rise_m).max(1.0), self.f_mhz)
    }

    /// ITM loss over `elevations` (site ground first, receiver ground last) `spacing_m` apart.
    #[inline]
    pub(crate) fn itm_loss_db(params: &ItmParams, quantiles: Quantiles, elevations: &[f64], spacing_m: f64) -> Result<f64> {
        Ok(itm::p2p(params, &itm::Profile::new(elevations, spacing_m)?, quantiles)?.a_db)
    }
}

/// One piece of a TR 38.901 formula for fixed heights and frequency:
/// PL = a + b·log10(d3D) + c·d3D.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    a: f64,
    b: f64,
    c: f64,
}

impl Piece {
    fn at(&self, log10_d3: f64, d3: f64) -> f64 {
        self.a + self.b * log10_d3 + self.c * d3
    }

    /// The same piece in terms of ln(d3D): b / ln 10.
    fn per_ln(self) -> Piece {
        Piece { b: self.b / std::f64::consts::LN_10, ..self }
    }

    #[inline]
    fn at_ln(&self, ln_d3: f64, d3: f64) -> f64 {
        self.a + self.b * ln_d3 + self.c * d3
    }
}

/// The TR 38.901 Table 7.4.1-1 formulas of one site (heights, frequency,
/// h and W fixed) as a + b·log10(d3D) + c·d3D pieces, so that a cell costs
/// one logarithm: the same formulas as [`Tr38901::loss_db`] (tested to
/// 1e-9 dB), with the per-site terms computed once and the validity range
/// checked once per site by [`RadioModel::for_site`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tr38901Curves {
    /// Squared breakpoint distance (m²), compared with d2D².
    d_bp2: f64,
    los_near: Piece,
    los_far: Piece,
    nlos: Piece,
    dz2: f64,
}

impl Tr38901Curves {
    fn new(m: &Tr38901, h_bs: f64, h_ut: f64, f_mhz: f64) -> Self {
        let fc = f_mhz / 1e3;
        let lf = fc.log10();
        let link = LinkGeometry { distance_2d_m: 1.0, tx_height_m: h_bs, rx_height_m: h_ut, frequency_mhz: f_mhz };
        let d_bp = m.breakpoint_distance_m(&link);
        let (los_near, los_far, nlos) = match m.scenario {
            Tr38901Scenario::RMa => {
                let (h, w) = (m.building_height_m, m.street_width_m);
                let a1 = (0.03 * h.powf(1.72)).min(10.0);
                let near = Piece {
                    a: 20.0 * (40.0 * std::f64::consts::PI * fc / 3.0).log10() - (0.044 * h.powf(1.72)).min(14.77),
                    b: 20.0 + a1,
                    c: 0.002 * h.log10(),
                };
                let pl1_bp = near.at(d_bp.log10(), d_bp);
                let far = Piece { a: pl1_bp - 40.0 * d_bp.log10(), b: 40.0, c: 0.0 };
                let slope = 43.42 - 3.1 * h_bs.log10();
                let k = 161.04 - 7.1 * w.log10() + 7.5 * h.log10() - (24.37 - 3.7 * (h / h_bs).powi(2)) * h_bs.log10()
                    + 20.0 * lf
                    - (3.2 * (11.75 * h_ut).log10().powi(2) - 4.97);
                (near, far, Piece { a: k - 3.0 * slope, b: slope, c: 0.0 })
            }
            Tr38901Scenario::UMa | Tr38901Scenario::UMiStreetCanyon => {
                let uma = m.scenario == Tr38901Scenario::UMa;
                let (a, b1, c2) = if uma { (28.0, 22.0, 9.0) } else { (32.4, 21.0, 9.5) };
                let near = Piece { a: a + 20.0 * lf, b: b1, c: 0.0 };
                let far = Piece { a: a + 20.0 * lf - c2 * (d_bp * d_bp + (h_bs - h_ut).powi(2)).log10(), b: 40.0, c: 0.0 };
                let nlos = if uma {
                    Piece { a: 13.54 + 20.0 * lf - 0.6 * (h_ut - 1.5), b: 39.08, c: 0.0 }
                } else {
                    Piece { a: 22.4 + 21.3 * lf - 0.3 * (h_ut - 1.5), b: 35.3, c: 0.0 }
                };
                (near, far, nlos)
            }
        };
        Tr38901Curves {
            d_bp2: if d_bp > 0.0 { d_bp * d_bp } else { f64::NEG_INFINITY },
            los_near: los_near.per_ln(),
            los_far: los_far.per_ln(),
            nlos: nlos.per_ln(),
            dz2: (h_bs - h_ut).powi(2),
        }
    }

    /// Median path loss (dB) at `d2d_m` (≥ 10 m), LOS or NLOS (= max(LOS, NLOS')).
    pub(crate) fn loss_db(&self, d2d_m: f64, line_of_sight: bool) -> f64 {
        self.loss_db_squared(d2d_m * d2d_m, line_of_sight)
    }

    /// [`loss_db`](Self::loss_db) from the squared 2D distance (m²).
    #[inline]
    pub(crate) fn loss_db_squared(&self, d2d2: f64, line_of_sight: bool) -> f64 {
        let d3 = (d2d2 + self.dz2).sqrt();
        self.loss_at(d2d2, d3, d3.ln(), line_of_sight)
    }

    /// [`loss_db_squared`](Self::loss_db_squared) with ln(d3D) in single
    /// precision, for grids of `f32` results: ln d3D (≤ 12 for d ≤ 160 km)
    /// is then within 1e-6 of the exact value, the loss within 2e-5 dB — the
    /// resolution of an `f32` near 130 dB — and the logarithm several times
    /// faster.
    #[inline]
    pub(crate) fn loss_db_squared_f32(&self, d2d2: f64, line_of_sight: bool) -> f64 {
        let d3 = (d2d2 + self.dz2).sqrt();
        self.loss_at(d2d2, d3, (d3 as f32).ln() as f64, line_of_sight)
    }

    #[inline]
    fn loss_at(&self, d2d2: f64, d3: f64, ln_d3: f64, line_of_sight: bool) -> f64 {
        let los = if d2d2 <= self.d_bp2 { self.los_near.at_ln(ln_d3, d3) } else { self.los_far.at_ln(ln_d3, d3) };
        if line_of_sight { los } else { los.max(self.nlos.at_ln(ln_d3, d3)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Antenna, Technology};

    fn site(f_mhz: f64, h: f64) -> Site {
        Site::new("s", [0.0, 0.0], h, Technology::NrFr1, f_mhz, 20.0, 40.0, 0.0, Antenna::omni(0.0).unwrap()).unwrap()
    }

    #[test]
    fn validity_ranges_are_enforced_unless_extrapolating() {
        // TR 38.901 RMa NLOS stops at 5 km: a 10 km map is refused, naming the radius.
        let rma = RadioModel::tr38901(Tr38901Scenario::RMa);
        let e = rma.for_site(&site(3500.0, 30.0), 1.5, 10_000.0).unwrap_err();
        assert!(matches!(e, Error::OutOfValidityRange { parameter: "radius_m", .. }), "{e}");
        assert!(rma.extrapolating().for_site(&site(3500.0, 30.0), 1.5, 10_000.0).is_ok());
        assert!(rma.for_site(&site(3500.0, 30.0), 1.5, 5_000.0).is_ok());
        // UMa fixes hBS = 25 m.
        let uma = RadioModel::tr38901(Tr38901Scenario::UMa);
        let e = uma.for_site(&site(3500.0, 30.0), 1.5, 1_000.0).unwrap_err();
        assert!(matches!(e, Error::OutOfValidityRange { parameter: "tx_height_m", .. }), "{e}");
        // ITM: heights 1 – 1000 m recommended, 0.5 – 3000 m hard; frequency 20 GHz at most.
        let e = RadioModel::itm().for_site(&site(3_500.0, 0.8), 1.5, 1e4).unwrap_err();
        assert!(e.to_string().contains("h_tx_m") && e.to_string().contains("extrapolate"), "{e}");
        assert!(RadioModel::itm().extrapolating().for_site(&site(3_500.0, 0.8), 1.5, 1e4).is_ok());
        let mm = Site::new("mm", [0.0, 0.0], 10.0, Technology::NrFr2, 28_000.0, 100.0, 30.0, 0.0, Antenna::omni(0.0).unwrap()).unwrap();
        let e = RadioModel::itm().extrapolating().for_site(&mm, 1.5, 1e3).unwrap_err();
        assert!(matches!(e, Error::OutOfValidityRange { parameter: "f_mhz", .. }), "{e}");
        let e = RadioModel::itm().for_site(&site(3_500.0, 30.0), 0.8, 1e4).unwrap_err();
        assert!(matches!(e, Error::OutOfValidityRange { parameter: "h_rx_m", .. }), "{e}");
        let e = RadioModel::itm().extrapolating().for_site(&site(3_500.0, 30.0), 0.2, 1e4).unwrap_err();
        assert!(matches!(e, Error::OutOfValidityRange { parameter: "h_rx_m", .. }), "{e}");
        let bad_q = RadioModel::Itm(ItmSettings { quantiles: Quantiles::tls(50.0, 100.0, 50.0), ..ItmSettings::default() });
        assert!(matches!(bad_q.for_site(&site(3_500.0, 30.0), 1.5, 1e4), Err(Error::InvalidParameter { .. })));
        // Diffraction: 30 MHz – 50 GHz.
        let fr2 = Site::new("mm", [0.0, 0.0], 10.0, Technology::NrFr2, 52_000.0, 100.0, 30.0, 0.0, Antenna::omni(0.0).unwrap()).unwrap();
        let e = RadioModel::diffraction().for_site(&fr2, 1.5, 1e3).unwrap_err();
        assert!(matches!(e, Error::OutOfValidityRange { parameter: "frequency_mhz", .. }), "{e}");
        assert!(RadioModel::diffraction().extrapolating().for_site(&fr2, 1.5, 1e3).is_ok());
    }

    /// The hoisted formulas equal `Tr38901::loss_db` in every scenario, on
    /// both sides of the breakpoint, LOS and NLOS.
    #[test]
    fn curves_equal_the_tr38901_formulas() {
        let cases = [
            (Tr38901Scenario::RMa, 35.0, 1.5, 3_500.0, 5.0, 20.0),
            (Tr38901Scenario::RMa, 30.0, 2.0, 700.0, 7.0, 25.0),
            (Tr38901Scenario::RMa, 12.0, 8.0, 28_000.0, 30.0, 5.0),
            (Tr38901Scenario::UMa, 25.0, 1.5, 3_500.0, 5.0, 20.0),
            (Tr38901Scenario::UMa, 25.0, 12.0, 28_000.0, 5.0, 20.0),
            (Tr38901Scenario::UMiStreetCanyon, 10.0, 1.5, 4_800.0, 5.0, 20.0),
            (Tr38901Scenario::UMiStreetCanyon, 10.0, 3.0, 60_000.0, 5.0, 20.0),
        ];
        for (scenario, h_bs, h_ut, f, h, w) in cases {
            for condition in [LosCondition::Los, LosCondition::Nlos] {
                let m = Tr38901 { scenario, condition, building_height_m: h, street_width_m: w, extrapolate: true };
                let curves = Tr38901Curves::new(&m, h_bs, h_ut, f);
                for i in 0..400 {
                    let d = 10.0 * 1.02f64.powi(i);
                    let link = LinkGeometry { distance_2d_m: d, tx_height_m: h_bs, rx_height_m: h_ut, frequency_mhz: f };
                    let want = m.loss_db(&link).unwrap();
                    let got = curves.loss_db(d, condition == LosCondition::Los);
                    assert!((got - want).abs() < 1e-9, "{scenario:?} {condition:?} {f} MHz d = {d}: {got} vs {want}");
                    let single = curves.loss_db_squared_f32(d * d, condition == LosCondition::Los);
                    assert!((single - want).abs() < 2e-5, "{single} vs {want}");
                }
            }
        }
    }

    #[test]
    fn near_field_rule() {
        let m = RadioModel::tr38901(Tr38901Scenario::RMa).for_site(&site(3500.0, 30.0), 1.5, 1e3).unwrap();
        assert!(m.is_near_field(0.0) && m.is_near_field(9.9) && !m.is_near_field(10.0));
        let itm = RadioModel::itm().for_site(&site(3500.0, 30.0), 1.5, 1e3).unwrap();
        assert!(itm.is_near_field(0.0) && !itm.is_near_field(0.5));
        // Straight down 28.5 m at 3.5 GHz: 20 log10(4π·28.5/λ) = 72.43 dB.
        let l = itm.near_field_loss_db(0.0, -28.5).unwrap();
        assert!((l - free_space_loss_db(28.5, 3500.0).unwrap()).abs() < 1e-12 && (l - 72.43).abs() < 0.01, "{l}");
        assert_eq!(itm.near_field_loss_db(0.0, 0.0).unwrap(), free_space_loss_db(1.0, 3500.0).unwrap());
    }
}
