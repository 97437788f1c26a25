//! 3GPP TR 38.901 V17.0.0 (2022-03) "Study on channel model for frequencies
//! from 0.5 to 100 GHz": path loss of the rural macro (RMa), urban macro (UMa)
//! and urban micro street canyon (UMi-Street Canyon) scenarios, §7.4.1
//! Table 7.4.1-1 (unchanged in V18), and their LOS probability, §7.4.2
//! Table 7.4.2-1.

use super::LinkGeometry;
use super::validity::{Validity, non_negative, positive};
use crate::{Error, Result};

/// Speed of light as TR 38.901 takes it for the breakpoint distances (notes
/// of Table 7.4.1-1): c = 3.0 × 10⁸ m/s.
const C_38901: f64 = 3.0e8;

/// The TR 38.901 scenarios implemented here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tr38901Scenario {
    /// Rural macro: the scenario for remote islands and mountain villages.
    RMa,
    /// Urban macro (base station at 25 m).
    UMa,
    /// Urban micro, street canyon (base station at 10 m).
    UMiStreetCanyon,
}

/// Line-of-sight state of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LosCondition {
    /// Line of sight: PL_LOS.
    Los,
    /// Non line of sight: PL_NLOS = max(PL_LOS, PL'_NLOS).
    Nlos,
}

/// TR 38.901 Table 7.4.1-1 path loss (dB), with fc in GHz and distances in m,
/// hBS the base station ([`LinkGeometry::tx_height_m`]) and hUT the terminal
/// ([`LinkGeometry::rx_height_m`]) antenna heights, d3D the straight distance
/// between them:
///
/// **RMa**, breakpoint dBP = 2π hBS hUT fc / c (fc in Hz, c = 3·10⁸ m/s):
/// - PL1 = 20 log10(40π d3D fc / 3) + min(0.03 h^1.72, 10) log10(d3D)
///   - min(0.044 h^1.72, 14.77) + 0.002 log10(h) d3D, for 10 m ≤ d2D ≤ dBP;
/// - PL2 = PL1(dBP) + 40 log10(d3D / dBP), for dBP ≤ d2D ≤ 10 km;
/// - PL'NLOS = 161.04 - 7.1 log10 W + 7.5 log10 h - (24.37 - 3.7 (h/hBS)²) log10 hBS
///   + (43.42 - 3.1 log10 hBS)(log10 d3D - 3) + 20 log10 fc
///   - (3.2 (log10 11.75 hUT)² - 4.97), for 10 m ≤ d2D ≤ 5 km;
///
/// **UMa**, breakpoint d'BP = 4 h'BS h'UT fc / c with h' = h - hE, hE = 1 m:
/// - PL1 = 28.0 + 22 log10 d3D + 20 log10 fc;
/// - PL2 = 28.0 + 40 log10 d3D + 20 log10 fc - 9 log10(d'BP² + (hBS - hUT)²);
/// - PL'NLOS = 13.54 + 39.08 log10 d3D + 20 log10 fc - 0.6 (hUT - 1.5);
///
/// **UMi-Street Canyon**, same breakpoint with hE = 1 m:
/// - PL1 = 32.4 + 21 log10 d3D + 20 log10 fc;
/// - PL2 = 32.4 + 40 log10 d3D + 20 log10 fc - 9.5 log10(d'BP² + (hBS - hUT)²);
/// - PL'NLOS = 35.3 log10 d3D + 22.4 + 21.3 log10 fc - 0.3 (hUT - 1.5);
///
/// and in every scenario PL_NLOS = max(PL_LOS, PL'NLOS). The optional NLOS
/// formulas of the table are not implemented. For UMa terminals at 13 m and
/// above, TR 38.901 draws hE at random; this deterministic model keeps hE = 1 m.
///
/// Validity (Table 7.4.1-1 and its notes): fc 0.5-30 GHz for RMa, 0.5-100 GHz
/// for UMa and UMi; d2D from 10 m to 10 km (RMa LOS) or 5 km (all others);
/// RMa: h 5-50 m, W 5-50 m, hBS 10-150 m, hUT 1-10 m; UMa: hBS = 25 m,
/// hUT 1.5-22.5 m; UMi: hBS = 10 m, hUT 1.5-22.5 m. Outside it
/// [`loss_db`](Self::loss_db) fails with
/// [`Error::OutOfValidityRange`](crate::Error::OutOfValidityRange) unless
/// `extrapolate` is set.
///
/// ```
/// use bbcov_core::propagation::{LinkGeometry, LosCondition, Tr38901, Tr38901Scenario};
/// // RMa LOS at 3.5 GHz: BS at (0, 0, 30 m), UE at (1000, 1000, 1.5 m), h = 7 m, W = 25 m.
/// let rma = Tr38901 { building_height_m: 7.0, street_width_m: 25.0, ..Tr38901::new(Tr38901Scenario::RMa, LosCondition::Los) };
/// let link = LinkGeometry { distance_2d_m: 1000.0 * 2f64.sqrt(), tx_height_m: 30.0, rx_height_m: 1.5, frequency_mhz: 3500.0 };
/// assert!((rma.loss_db(&link)? - 110.16).abs() < 0.005);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tr38901 {
    /// Scenario.
    pub scenario: Tr38901Scenario,
    /// LOS or NLOS.
    pub condition: LosCondition,
    /// Average building height h (m), RMa only; 5 m in the RMa evaluation
    /// parameters of TR 38.901 Table 7.2-3.
    pub building_height_m: f64,
    /// Average street width W (m), RMa only; 20 m in Table 7.2-3.
    pub street_width_m: f64,
    /// Apply the formulas outside their validity range instead of failing.
    pub extrapolate: bool,
}

impl Tr38901 {
    /// The model for `scenario` and `condition`, with h = 5 m and W = 20 m,
    /// refusing links outside its validity range.
    pub fn new(scenario: Tr38901Scenario, condition: LosCondition) -> Self {
        Tr38901 { scenario, condition, building_height_m: 5.0, street_width_m: 20.0, extrapolate: false }
    }

    /// The same model, applied outside its validity range too.
    pub fn extrapolating(self) -> Self {
        Tr38901 { extrapolate: true, ..self }
    }

    /// Name of the model in error messages.
    pub fn name(&self) -> &'static str {
        match (self.scenario, self.condition) {
            (Tr38901Scenario::RMa, LosCondition::Los) => "3GPP TR 38.901 RMa LOS",
            (Tr38901Scenario::RMa, LosCondition::Nlos) => "3GPP TR 38.901 RMa NLOS",
            (Tr38901Scenario::UMa, LosCondition::Los) => "3GPP TR 38.901 UMa LOS",
            (Tr38901Scenario::UMa, LosCondition::Nlos) => "3GPP TR 38.901 UMa NLOS",
            (Tr38901Scenario::UMiStreetCanyon, LosCondition::Los) => "3GPP TR 38.901 UMi-Street Canyon LOS",
            (Tr38901Scenario::UMiStreetCanyon, LosCondition::Nlos) => "3GPP TR 38.901 UMi-Street Canyon NLOS",
        }
    }

    /// The breakpoint distance (m) of the LOS formula: dBP (RMa) or d'BP (UMa, UMi).
    pub fn breakpoint_distance_m(&self, link: &LinkGeometry) -> f64 {
        let fc_hz = link.frequency_mhz * 1e6;
        match self.scenario {
            Tr38901Scenario::RMa => 2.0 * std::f64::consts::PI * link.tx_height_m * link.rx_height_m * fc_hz / C_38901,
            Tr38901Scenario::UMa | Tr38901Scenario::UMiStreetCanyon => {
                let h_e = 1.0;
                4.0 * (link.tx_height_m - h_e) * (link.rx_height_m - h_e) * fc_hz / C_38901
            }
        }
    }

    /// Shadow fading standard deviation σSF (dB) of Table 7.4.1-1 for `link`.
    pub fn shadow_fading_std_db(&self, link: &LinkGeometry) -> f64 {
        match (self.scenario, self.condition) {
            (Tr38901Scenario::RMa, LosCondition::Los) => {
                if link.distance_2d_m <= self.breakpoint_distance_m(link) {
                    4.0
                } else {
                    6.0
                }
            }
            (Tr38901Scenario::RMa, LosCondition::Nlos) => 8.0,
            (Tr38901Scenario::UMa, LosCondition::Los) | (Tr38901Scenario::UMiStreetCanyon, LosCondition::Los) => 4.0,
            (Tr38901Scenario::UMa, LosCondition::Nlos) => 6.0,
            (Tr38901Scenario::UMiStreetCanyon, LosCondition::Nlos) => 7.82,
        }
    }

    /// Median path loss (dB) of `link`, without shadow fading.
    pub fn loss_db(&self, link: &LinkGeometry) -> Result<f64> {
        link.check()?;
        positive("distance_2d_m", link.distance_2d_m, "m")?;
        positive("tx_height_m", link.tx_height_m, "m")?;
        positive("rx_height_m", link.rx_height_m, "m")?;
        let v = Validity { model: self.name(), extrapolate: self.extrapolate };
        let fc = link.frequency_mhz / 1e3;
        let (d2, d3, h_bs, h_ut) = (link.distance_2d_m, link.distance_3d_m(), link.tx_height_m, link.rx_height_m);
        let los_only = self.condition == LosCondition::Los;
        let d_bp = self.breakpoint_distance_m(link);
        match self.scenario {
            Tr38901Scenario::RMa => {
                let (h, w) = (self.building_height_m, self.street_width_m);
                positive("building_height_m", h, "m")?;
                positive("street_width_m", w, "m")?;
                v.check("frequency_ghz", fc, 0.5, 30.0, "GHz")?;
                v.check("distance_2d_m", d2, 10.0, if los_only { 10_000.0 } else { 5_000.0 }, "m")?;
                v.check("building_height_m", h, 5.0, 50.0, "m")?;
                v.check("street_width_m", w, 5.0, 50.0, "m")?;
                v.check("tx_height_m", h_bs, 10.0, 150.0, "m")?;
                v.check("rx_height_m", h_ut, 1.0, 10.0, "m")?;
                let pl1 = |d: f64| {
                    20.0 * (40.0 * std::f64::consts::PI * d * fc / 3.0).log10()
                        + (0.03 * h.powf(1.72)).min(10.0) * d.log10()
                        - (0.044 * h.powf(1.72)).min(14.77)
                        + 0.002 * h.log10() * d
                };
                let los = if d2 <= d_bp { pl1(d3) } else { pl1(d_bp) + 40.0 * (d3 / d_bp).log10() };
                if los_only {
                    return Ok(los);
                }
                let nlos = 161.04 - 7.1 * w.log10() + 7.5 * h.log10()
                    - (24.37 - 3.7 * (h / h_bs).powi(2)) * h_bs.log10()
                    + (43.42 - 3.1 * h_bs.log10()) * (d3.log10() - 3.0)
                    + 20.0 * fc.log10()
                    - (3.2 * (11.75 * h_ut).log10().powi(2) - 4.97);
                Ok(los.max(nlos))
            }
            Tr38901Scenario::UMa | Tr38901Scenario::UMiStreetCanyon => {
                let uma = self.scenario == Tr38901Scenario::UMa;
                v.check("frequency_ghz", fc, 0.5, 100.0, "GHz")?;
                v.check("distance_2d_m", d2, 10.0, 5_000.0, "m")?;
                v.check_fixed("tx_height_m", h_bs, if uma { 25.0 } else { 10.0 }, "m")?;
                v.check("rx_height_m", h_ut, 1.5, 22.5, "m")?;
                let (a, b1, c2) = if uma { (28.0, 22.0, 9.0) } else { (32.4, 21.0, 9.5) };
                let los = if d2 <= d_bp {
                    a + b1 * d3.log10() + 20.0 * fc.log10()
                } else {
                    a + 40.0 * d3.log10() + 20.0 * fc.log10() - c2 * (d_bp * d_bp + (h_bs - h_ut).powi(2)).log10()
                };
                if los_only {
                    return Ok(los);
                }
                let nlos = if uma {
                    13.54 + 39.08 * d3.log10() + 20.0 * fc.log10() - 0.6 * (h_ut - 1.5)
                } else {
                    35.3 * d3.log10() + 22.4 + 21.3 * fc.log10() - 0.3 * (h_ut - 1.5)
                };
                Ok(los.max(nlos))
            }
        }
    }
}

/// LOS probability of an outdoor terminal, TR 38.901 Table 7.4.2-1, with
/// d2D-out the horizontal distance (m) and hUT the terminal height (m):
///
/// - RMa: 1 for d ≤ 10 m, exp(-(d - 10)/1000) beyond;
/// - UMi-Street Canyon: 1 for d ≤ 18 m, 18/d + exp(-d/36)(1 - 18/d) beyond;
/// - UMa: 1 for d ≤ 18 m, [18/d + exp(-d/63)(1 - 18/d)]
///   [1 + C'(hUT) 5/4 (d/100)³ exp(-d/150)] beyond, with C'(hUT) = 0 for
///   hUT ≤ 13 m and ((hUT - 13)/10)^1.5 for 13 m < hUT ≤ 23 m.
///
/// Fails on a negative or non-finite input, and for UMa on hUT above 23 m,
/// where the table does not define C'.
///
/// ```
/// use bbcov_core::propagation::{Tr38901Scenario, los_probability};
/// assert_eq!(los_probability(Tr38901Scenario::RMa, 10.0, 1.5)?, 1.0);
/// assert!((los_probability(Tr38901Scenario::RMa, 1010.0, 1.5)? - (-1f64).exp()).abs() < 1e-15);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn los_probability(scenario: Tr38901Scenario, d2d_out_m: f64, h_ut_m: f64) -> Result<f64> {
    non_negative("d2d_out_m", d2d_out_m, "m")?;
    non_negative("h_ut_m", h_ut_m, "m")?;
    let d = d2d_out_m;
    Ok(match scenario {
        Tr38901Scenario::RMa => {
            if d <= 10.0 {
                1.0
            } else {
                (-(d - 10.0) / 1000.0).exp()
            }
        }
        Tr38901Scenario::UMiStreetCanyon => {
            if d <= 18.0 {
                1.0
            } else {
                18.0 / d + (-d / 36.0).exp() * (1.0 - 18.0 / d)
            }
        }
        Tr38901Scenario::UMa => {
            if h_ut_m > 23.0 {
                return Err(Error::InvalidParameter {
                    name: "h_ut_m",
                    value: h_ut_m,
                    expected: "at most 23 m (TR 38.901 Table 7.4.2-1 defines the UMa LOS probability up to hUT = 23 m)"
                        .into(),
                });
            }
            if d <= 18.0 {
                1.0
            } else {
                let c = if h_ut_m <= 13.0 { 0.0 } else { ((h_ut_m - 13.0) / 10.0).powf(1.5) };
                (18.0 / d + (-d / 63.0).exp() * (1.0 - 18.0 / d))
                    * (1.0 + c * 1.25 * (d / 100.0).powi(3) * (-d / 150.0).exp())
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Tr38901Scenario::{RMa, UMa, UMiStreetCanyon};

    fn link(d2d: f64, h_bs: f64, h_ut: f64, f_ghz: f64) -> LinkGeometry {
        LinkGeometry { distance_2d_m: d2d, tx_height_m: h_bs, rx_height_m: h_ut, frequency_mhz: f_ghz * 1e3 }
    }

    /// The check value of the task: RMa LOS at 3.5 GHz, BS at (0, 0, 30 m),
    /// UE at (1000, 1000, 1.5 m), h = 7 m, W = 25 m. By hand from
    /// Table 7.4.1-1: d2D = 1414.21 m, d3D = 1414.50 m, dBP = 2π·30·1.5·3.5e9/3e8
    /// = 3298.7 m > d2D so PL1 applies: 20 log10(40π·1414.50·3.5/3) = 106.335,
    /// min(0.03·7^1.72, 10) log10 d3D = 0.8527·3.1506 = 2.686,
    /// -min(0.044·7^1.72, 14.77) = -1.251, 0.002 log10(7)·d3D = 2.391;
    /// PL = 110.16 dB.
    #[test]
    fn rma_los_check_value() {
        let m = Tr38901 { building_height_m: 7.0, street_width_m: 25.0, ..Tr38901::new(RMa, LosCondition::Los) };
        let l = link(1000.0 * 2f64.sqrt(), 30.0, 1.5, 3.5);
        assert!((m.breakpoint_distance_m(&l) - 3298.67).abs() < 0.01);
        let pl = m.loss_db(&l).unwrap();
        assert!((pl - 110.1615).abs() < 1e-3, "{pl}");
    }

    /// Reference values of the ns-3 3GPP test suite
    /// (src/propagation/test/three-gpp-propagation-loss-model-test-suite.cc,
    /// "compares it with the value obtained using the formula in 3GPP TR
    /// 38.901, Table 7.4.1-1"): 5 GHz, UT at 1.5 m, BS at 35 m (RMa, with
    /// h = 5 m, W = 20 m), 25 m (UMa) and 10 m (UMi); the path loss is minus
    /// the received power for 0 dBm transmitted. Given to 4 decimals.
    #[test]
    fn matches_ns3_reference_values() {
        // (scenario, hBS, [(d2D, PL LOS, PL NLOS)]); NaN: no reference value.
        type Rows = [(f64, f64, f64); 4];
        let cases: [(Tr38901Scenario, f64, Rows); 3] = [
            (
                RMa,
                35.0,
                [
                    (10.0, 77.3784, 77.3784),
                    (100.0, 87.2965, 95.7718),
                    (1000.0, 108.5577, 133.5223),
                    (5000.0, f64::NAN, 160.5169),
                ],
            ),
            (
                UMa,
                25.0,
                [
                    (10.0, 72.9380, 82.5131),
                    (100.0, 86.2362, 106.1356),
                    (1000.0, 109.7252, 144.7641),
                    (5000.0, 137.6794, 172.0753),
                ],
            ),
            (
                UMiStreetCanyon,
                10.0,
                [
                    (10.0, 69.8591, 76.7563),
                    (100.0, 88.4122, 107.9432),
                    (1000.0, 119.3114, 143.1886),
                    (5000.0, 147.2696, 167.8617),
                ],
            ),
        ];
        for (scenario, h_bs, rows) in cases {
            for (d, los, nlos) in rows {
                let l = link(d, h_bs, 1.5, 5.0);
                for (condition, expected) in [(LosCondition::Los, los), (LosCondition::Nlos, nlos)] {
                    if expected.is_nan() {
                        continue;
                    }
                    let got = Tr38901::new(scenario, condition).loss_db(&l).unwrap();
                    assert!((got - expected).abs() < 6e-4, "{scenario:?} {condition:?} {d} m: {got} vs {expected}");
                }
            }
        }
        // RMa LOS beyond the breakpoint (dBP = 5497.8 m): 10 km -> 140.3896 dB.
        let got = Tr38901::new(RMa, LosCondition::Los).loss_db(&link(10_000.0, 35.0, 1.5, 5.0)).unwrap();
        assert!((got - 140.3896).abs() < 6e-4, "{got}");
    }

    /// UMa and UMi LOS are continuous at the breakpoint (PL2 = PL1 there
    /// because d3D² = d'BP² + (hBS - hUT)²); RMa nearly so.
    #[test]
    fn los_is_continuous_at_the_breakpoint() {
        for (scenario, h_bs, tol) in [(UMa, 25.0, 1e-9), (UMiStreetCanyon, 10.0, 1e-9), (RMa, 35.0, 0.01)] {
            let m = Tr38901::new(scenario, LosCondition::Los);
            let probe = link(100.0, h_bs, 1.5, 3.5);
            let d_bp = m.breakpoint_distance_m(&probe);
            let below = m.loss_db(&link(d_bp, h_bs, 1.5, 3.5)).unwrap();
            let above = m.loss_db(&link(d_bp * (1.0 + 1e-12), h_bs, 1.5, 3.5)).unwrap();
            assert!((below - above).abs() < tol, "{scenario:?}: {below} vs {above}");
        }
    }

    #[test]
    fn nlos_never_loses_less_than_los_and_grows_with_distance() {
        for (scenario, h_bs) in [(RMa, 35.0), (UMa, 25.0), (UMiStreetCanyon, 10.0)] {
            let mut last = 0.0;
            for d in [10.0, 35.0, 120.0, 400.0, 1500.0, 4999.0] {
                let l = link(d, h_bs, 1.5, 3.5);
                let los = Tr38901::new(scenario, LosCondition::Los).loss_db(&l).unwrap();
                let nlos = Tr38901::new(scenario, LosCondition::Nlos).loss_db(&l).unwrap();
                assert!(nlos >= los && nlos > last, "{scenario:?} {d} m");
                last = nlos;
            }
        }
    }

    #[test]
    fn refuses_links_outside_its_validity_range() {
        let rma = Tr38901::new(RMa, LosCondition::Nlos);
        for (l, parameter) in [
            (link(5.0, 35.0, 1.5, 3.5), "distance_2d_m"),
            (link(6_000.0, 35.0, 1.5, 3.5), "distance_2d_m"),
            (link(1_000.0, 35.0, 1.5, 40.0), "frequency_ghz"),
            (link(1_000.0, 200.0, 1.5, 3.5), "tx_height_m"),
            (link(1_000.0, 35.0, 12.0, 3.5), "rx_height_m"),
        ] {
            match rma.loss_db(&l) {
                Err(Error::OutOfValidityRange { parameter: p, .. }) => assert_eq!(p, parameter),
                other => panic!("{l:?}: {other:?}"),
            }
            assert!(rma.extrapolating().loss_db(&l).unwrap().is_finite());
        }
        // RMa LOS reaches 10 km, NLOS only 5 km.
        assert!(Tr38901::new(RMa, LosCondition::Los).loss_db(&link(8_000.0, 35.0, 1.5, 3.5)).is_ok());
        let narrow = Tr38901 { street_width_m: 4.0, ..rma };
        assert!(matches!(narrow.loss_db(&link(1_000.0, 35.0, 1.5, 3.5)), Err(Error::OutOfValidityRange { .. })));
        // UMa is defined for hBS = 25 m only, UMi for 10 m.
        let uma = Tr38901::new(UMa, LosCondition::Los);
        let err = uma.loss_db(&link(500.0, 30.0, 1.5, 3.5)).unwrap_err();
        assert!(err.to_string().contains("tx_height_m = 30"), "{err}");
        assert!(uma.extrapolating().loss_db(&link(500.0, 30.0, 1.5, 3.5)).is_ok());
        assert!(Tr38901::new(UMiStreetCanyon, LosCondition::Los).loss_db(&link(500.0, 10.0, 25.0, 3.5)).is_err());
        assert!(matches!(
            uma.extrapolating().loss_db(&link(0.0, 25.0, 1.5, 3.5)),
            Err(Error::InvalidParameter { name: "distance_2d_m", .. })
        ));
    }

    #[test]
    fn shadow_fading_follows_the_table() {
        let l = link(1_000.0, 35.0, 1.5, 3.5);
        assert_eq!(Tr38901::new(RMa, LosCondition::Los).shadow_fading_std_db(&l), 4.0);
        assert_eq!(Tr38901::new(RMa, LosCondition::Los).shadow_fading_std_db(&link(9_000.0, 35.0, 1.5, 3.5)), 6.0);
        assert_eq!(Tr38901::new(RMa, LosCondition::Nlos).shadow_fading_std_db(&l), 8.0);
        assert_eq!(Tr38901::new(UMiStreetCanyon, LosCondition::Nlos).shadow_fading_std_db(&l), 7.82);
    }

    /// Table 7.4.2-1 at a few distances, evaluated by hand.
    #[test]
    fn los_probability_values() {
        // UMi at 36 m: 18/36 + e^-1 (1 - 18/36) = 0.5 + 0.5/e.
        let p = los_probability(UMiStreetCanyon, 36.0, 1.5).unwrap();
        assert!((p - (0.5 + 0.5 * (-1f64).exp())).abs() < 1e-15);
        // UMa at 63 m, hUT <= 13 m: 18/63 + e^-1 (1 - 18/63).
        let p = los_probability(UMa, 63.0, 1.5).unwrap();
        assert!((p - (18.0 / 63.0 + (-1f64).exp() * (45.0 / 63.0))).abs() < 1e-15);
        // UMa at 150 m, hUT = 23 m: C' = 1, factor 1 + 5/4 (1.5)^3 e^-1.
        let base = 18.0 / 150.0 + (-150f64 / 63.0).exp() * (1.0 - 18.0 / 150.0);
        let p = los_probability(UMa, 150.0, 23.0).unwrap();
        assert!((p - base * (1.0 + 1.25 * 3.375 * (-1f64).exp())).abs() < 1e-15);
        for scenario in [RMa, UMa, UMiStreetCanyon] {
            assert_eq!(los_probability(scenario, 0.0, 1.5).unwrap(), 1.0);
            let mut last = 1.0;
            for d in [20.0, 50.0, 200.0, 1_000.0, 5_000.0] {
                let p = los_probability(scenario, d, 1.5).unwrap();
                assert!(p > 0.0 && p < last, "{scenario:?} {d}");
                last = p;
            }
        }
        assert!(los_probability(UMa, 100.0, 30.0).is_err());
        assert!(los_probability(RMa, f64::NAN, 1.5).is_err());
    }
}
