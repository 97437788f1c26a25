//! Backhaul of candidate sites: a fiber extension to the nearest route, or a
//! microwave hop with first-Fresnel-zone clearance to a fiber-connected site,
//! whichever costs less over the evaluation horizon.

use crate::candidates::distances_to_network;
use crate::{Candidate, Dem, Error, FiberNetwork, Result, terrain_profile};

/// Speed of light in vacuum (m/s), exact by the SI definition of the metre.
pub const SPEED_OF_LIGHT_M_PER_S: f64 = 299_792_458.0;

/// Radius (m) of the first Fresnel zone at a point `d1_m` from one end and
/// `d2_m` from the other end of a path, at `frequency_ghz`:
/// F₁ = √(λ·d₁·d₂ / (d₁ + d₂)), λ = c / f, the radius of the first Fresnel
/// ellipsoid as defined in ITU-R P.526 (Fresnel ellipsoids and zones). ITU-R
/// P.530 (path-clearance planning) writes it F₁ = 17.3·√(d₁·d₂ / (f·d)) m
/// with d in km and f in GHz (the constant is √(c·10⁻⁶) = 17.31; the exact
/// section and equation numbers of the current editions were not verified
/// here). The test checks both forms and the textbook value 11.2 m at the
/// middle of a 10 km hop at 6 GHz.
///
/// Errors: a distance not finite and ≥ 0, both zero, or a frequency not
/// finite and > 0 ([`Error::InvalidParameter`]).
///
/// ```
/// use bbcov_core::fresnel_radius_m;
/// // 10 km hop at 6 GHz, mid-path: 17.3·√(5·5 / (6·10)) = 11.2 m.
/// let f1 = fresnel_radius_m(5_000.0, 5_000.0, 6.0)?;
/// assert!((f1 - 11.18).abs() < 0.01);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn fresnel_radius_m(d1_m: f64, d2_m: f64, frequency_ghz: f64) -> Result<f64> {
    for (name, d) in [("d1_m", d1_m), ("d2_m", d2_m)] {
        if !(d.is_finite() && d >= 0.0) {
            return Err(Error::InvalidParameter {
                name,
                value: d,
                expected: "a finite distance >= 0 m".into(),
            });
        }
    }
    if d1_m + d2_m <= 0.0 {
        return Err(Error::InvalidParameter {
            name: "d1_m + d2_m",
            value: 0.0,
            expected: "a path longer than 0 m".into(),
        });
    }
    check_frequency(frequency_ghz)?;
    let lambda = SPEED_OF_LIGHT_M_PER_S / (frequency_ghz * 1e9);
    Ok((lambda * d1_m * d2_m / (d1_m + d2_m)).sqrt())
}

fn check_frequency(frequency_ghz: f64) -> Result<()> {
    if frequency_ghz.is_finite() && frequency_ghz > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "frequency_ghz",
            value: frequency_ghz,
            expected: "a finite frequency > 0 GHz".into(),
        })
    }
}

/// A microwave link's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MicrowaveOptions {
    /// Carrier frequency (GHz); 18 GHz, a common licensed fixed-link band.
    pub frequency_ghz: f64,
    /// Longest hop (m); 15 km.
    pub max_hop_m: f64,
    /// Required clearance as a fraction of F₁; 0.6, the usual 60 % rule of
    /// path planning (ITU-R P.530's clearance criteria refine it by climate and k).
    pub min_clearance_ratio: f64,
    /// Effective earth radius factor; 4/3.
    pub k_factor: f64,
    /// Profile sample spacing (m); 10 m.
    pub step_m: f64,
    /// Antenna height (m above ground) on the candidate; 30 m.
    pub antenna_height_m: f64,
}

impl Default for MicrowaveOptions {
    fn default() -> Self {
        MicrowaveOptions {
            frequency_ghz: 18.0,
            max_hop_m: 15_000.0,
            min_clearance_ratio: 0.6,
            k_factor: crate::STANDARD_K_FACTOR,
            step_m: 10.0,
            antenna_height_m: 30.0,
        }
    }
}

/// Smallest clearance of the path between two antenna tops, as a fraction of
/// the local first Fresnel radius: min over the interior profile samples of
/// (h_los − h_terrain − bulge) / F₁(d₁, d₂), where h_los is the straight line
/// between `from_height_m` and `to_height_m` above the ground at the ends,
/// the bulge is d₁·d₂ / (2·k·a) ([`Profile::heights_with_bulge_m`](crate::Profile::heights_with_bulge_m))
/// and F₁ is [`fresnel_radius_m`]. ≥ 1: the first zone is clear; ≥ 0.6: the
/// usual planning criterion; < 0: the line of sight is blocked.
///
/// The profile has at least one interior sample (the step is reduced to half
/// the path when longer). Errors: as [`terrain_profile`] (an end outside the
/// DEM, missing terrain), the ends at the same point, invalid frequency or k.
///
/// ```
/// use bbcov_core::{Crs, Dem, GeoTransform, fresnel_clearance_ratio};
/// use ndarray::Array2;
/// // Flat sea, 10 km, 6 GHz, 20 m masts, flat earth: 20 m / 11.18 m.
/// let dem = Dem::new(Array2::zeros((1, 1001)), GeoTransform::new(0.0, 10.0, 10.0, 10.0), Crs::Projected { epsg: 6670 }, None)?;
/// let r = fresnel_clearance_ratio(&dem, [5.0, 5.0], 20.0, [10_005.0, 5.0], 20.0, 6.0, f64::INFINITY, 10.0)?;
/// assert!((r - 20.0 / 11.176).abs() < 1e-3);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn fresnel_clearance_ratio(
    dem: &Dem,
    from: [f64; 2],
    from_height_m: f64,
    to: [f64; 2],
    to_height_m: f64,
    frequency_ghz: f64,
    k_factor: f64,
    step_m: f64,
) -> Result<f64> {
    check_frequency(frequency_ghz)?;
    for (name, h) in [
        ("from_height_m", from_height_m),
        ("to_height_m", to_height_m),
    ] {
        if !h.is_finite() {
            return Err(Error::InvalidParameter {
                name,
                value: h,
                expected: "a finite height (m)".into(),
            });
        }
    }
    let length = (to[0] - from[0]).hypot(to[1] - from[1]);
    if length.is_nan() || length <= 0.0 {
        return Err(Error::InvalidParameter {
            name: "hop length",
            value: length,
            expected: "two distinct ends".into(),
        });
    }
    let step = if step_m.is_finite() && step_m > 0.0 {
        step_m.min(length / 2.0)
    } else {
        step_m
    };
    let profile = terrain_profile(dem, from, to, step)?;
    let ground = profile.heights_m();
    let terrain = profile.heights_with_bulge_m(k_factor)?;
    let (a, b) = (
        ground[0] + from_height_m,
        ground[ground.len() - 1] + to_height_m,
    );
    let d = profile.length_m();
    let mut worst = f64::INFINITY;
    for (&di, &h) in profile
        .distances_m()
        .iter()
        .zip(&terrain)
        .skip(1)
        .take(terrain.len().saturating_sub(2))
    {
        let los = a + (b - a) * di / d;
        let ratio = (los - h) / fresnel_radius_m(di, d - di, frequency_ghz)?;
        worst = worst.min(ratio);
    }
    Ok(worst)
}

/// Costs of sites and backhaul. **The defaults are illustrative assumptions
/// in arbitrary money units, not real prices**: replace them with the
/// operator's or the prefecture's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostTable {
    /// Capital cost of a new site (mast, power, radio); default 30 000 000.
    pub site_capex: f64,
    /// Capital cost of fiber extension per km; default 5 000 000.
    pub fiber_capex_per_km: f64,
    /// Capital cost of one microwave link (both ends); default 3 000 000.
    pub microwave_link_capex: f64,
    /// Annual operating cost of a site; default 1 500 000.
    pub site_opex_per_year: f64,
    /// Annual operating cost of fiber per km; default 100 000.
    pub fiber_opex_per_km_year: f64,
    /// Annual operating cost of a microwave link (licence, maintenance); default 300 000.
    pub microwave_link_opex_per_year: f64,
    /// Evaluation horizon (years) over which capex + years · opex is compared; default 10.
    pub years: f64,
}

impl Default for CostTable {
    fn default() -> Self {
        CostTable {
            site_capex: 30_000_000.0,
            fiber_capex_per_km: 5_000_000.0,
            microwave_link_capex: 3_000_000.0,
            site_opex_per_year: 1_500_000.0,
            fiber_opex_per_km_year: 100_000.0,
            microwave_link_opex_per_year: 300_000.0,
            years: 10.0,
        }
    }
}

impl CostTable {
    fn validate(&self) -> Result<()> {
        let fields = [
            ("site_capex", self.site_capex),
            ("fiber_capex_per_km", self.fiber_capex_per_km),
            ("microwave_link_capex", self.microwave_link_capex),
            ("site_opex_per_year", self.site_opex_per_year),
            ("fiber_opex_per_km_year", self.fiber_opex_per_km_year),
            (
                "microwave_link_opex_per_year",
                self.microwave_link_opex_per_year,
            ),
            ("years", self.years),
        ];
        match fields
            .into_iter()
            .find(|(_, v)| !(v.is_finite() && *v >= 0.0))
        {
            Some((name, value)) => Err(Error::InvalidParameter {
                name,
                value,
                expected: "a finite value >= 0".into(),
            }),
            None => Ok(()),
        }
    }

    /// Site plus fiber extension of `km`.
    ///
    /// ```
    /// use bbcov_core::{BackhaulKind, CostTable};
    /// let o = CostTable::default().fiber(3.0);
    /// assert_eq!((o.capex, o.opex_per_year), (45_000_000.0, 1_800_000.0));
    /// assert_eq!(o.kind, BackhaulKind::Fiber { km: 3.0 });
    /// ```
    pub fn fiber(&self, km: f64) -> BackhaulOption {
        BackhaulOption {
            kind: BackhaulKind::Fiber { km },
            capex: self.site_capex + self.fiber_capex_per_km * km,
            opex_per_year: self.site_opex_per_year + self.fiber_opex_per_km_year * km,
        }
    }

    /// Site plus one microwave link.
    pub fn microwave(&self, to: HopEnd, km: f64, clearance_ratio: f64) -> BackhaulOption {
        BackhaulOption {
            kind: BackhaulKind::Microwave {
                to,
                km,
                clearance_ratio,
            },
            capex: self.site_capex + self.microwave_link_capex,
            opex_per_year: self.site_opex_per_year + self.microwave_link_opex_per_year,
        }
    }
}

/// The far end of a microwave hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopEnd {
    /// An existing fiber-connected site (index into `hubs`).
    Hub(usize),
    /// A fiber-connected candidate (index into `candidates`).
    Candidate(usize),
}

/// How a candidate is backhauled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BackhaulKind {
    /// A fiber extension of `km` (straight line × detour factor).
    Fiber {
        /// Length of the extension (km).
        km: f64,
    },
    /// A microwave hop.
    Microwave {
        /// The fiber-connected far end.
        to: HopEnd,
        /// Hop length (km).
        km: f64,
        /// Worst clearance / F₁ along the hop ([`fresnel_clearance_ratio`]).
        clearance_ratio: f64,
    },
}

/// One backhaul option of a candidate with its costs (site included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackhaulOption {
    /// Fiber or microwave.
    pub kind: BackhaulKind,
    /// Capital cost.
    pub capex: f64,
    /// Annual operating cost.
    pub opex_per_year: f64,
}

impl BackhaulOption {
    /// capex + years · opex.
    pub fn lifetime_cost(&self, years: f64) -> f64 {
        self.capex + years * self.opex_per_year
    }
}

/// An existing site with fiber backhaul that a microwave hop can reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Hub {
    /// Id of the site.
    pub id: String,
    /// Position (DEM CRS).
    pub xy: [f64; 2],
    /// Antenna height above ground (m).
    pub antenna_height_m: f64,
}

/// Options of [`backhaul`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackhaulOptions {
    /// Fiber route length / straight-line distance (≥ 1); 1.3, an
    /// illustrative assumption for routes that follow roads.
    pub detour_factor: f64,
    /// A candidate within this distance (m) of fiber counts as fiber-connected
    /// and can be a microwave hop's far end; 300 m.
    pub max_drop_m: f64,
    /// Microwave settings; `None`: fiber only.
    pub microwave: Option<MicrowaveOptions>,
    /// Costs.
    pub costs: CostTable,
}

impl Default for BackhaulOptions {
    fn default() -> Self {
        BackhaulOptions {
            detour_factor: 1.3,
            max_drop_m: 300.0,
            microwave: Some(MicrowaveOptions::default()),
            costs: CostTable::default(),
        }
    }
}

/// Backhaul options of one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateBackhaul {
    /// Fiber extension (always possible).
    pub fiber: BackhaulOption,
    /// The shortest feasible microwave hop, if any.
    pub microwave: Option<BackhaulOption>,
}

impl CandidateBackhaul {
    /// The option with the lower capex + years · opex (fiber on a tie).
    pub fn best(&self, years: f64) -> BackhaulOption {
        match self.microwave {
            Some(mw) if mw.lifetime_cost(years) < self.fiber.lifetime_cost(years) => mw,
            _ => self.fiber,
        }
    }
}

/// Backhaul options of every candidate, in input order.
///
/// - **Fiber**: straight-line distance to the nearest route (exact, via
///   [`fiber_coverage`](crate::fiber_coverage) with the candidates as
///   households) × `detour_factor`, costed with [`CostTable::fiber`].
/// - **Microwave**: hops from the candidate's antenna top to a far end that
///   has fiber — a hub, or another candidate within `max_drop_m` of a route —
///   no longer than `max_hop_m` and with [`fresnel_clearance_ratio`] ≥
///   `min_clearance_ratio`; the shortest such hop (ties: hubs first, then
///   lower index) is costed with [`CostTable::microwave`]. A hop whose
///   profile cannot be computed (an end outside the DEM, missing terrain)
///   counts as infeasible. The far end's own site cost is not included.
///
/// Errors: invalid options or costs ([`Error::InvalidParameter`]); CRS
/// errors between the candidates (DEM CRS) and the fiber layer.
///
/// ```
/// use bbcov_core::{BackhaulKind, BackhaulOptions, Candidate, CandidateSource, Crs, Dem, FiberNetwork, GeoTransform, Hub, HopEnd, backhaul};
/// use ndarray::Array2;
/// let crs = Crs::Projected { epsg: 6670 };
/// let dem = Dem::new(Array2::zeros((1, 1001)), GeoTransform::new(0.0, 10.0, 10.0, 10.0), crs, None)?;
/// let fiber = FiberNetwork::new(crs, vec![vec![[0.0, -10_000.0], [10_000.0, -10_000.0]]], None)?;
/// let cand = [Candidate { id: "a".into(), xy: [5.0, 5.0], source: CandidateSource::User }];
/// let hub = [Hub { id: "h".into(), xy: [8_005.0, 5.0], antenna_height_m: 40.0 }];
/// let opts = BackhaulOptions::default();
/// let b = backhaul(&dem, &cand, &fiber, &hub, &opts)?;
/// assert!(matches!(b[0].best(opts.costs.years).kind, BackhaulKind::Microwave { to: HopEnd::Hub(0), .. }));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn backhaul(
    dem: &Dem,
    candidates: &[Candidate],
    fiber: &FiberNetwork,
    hubs: &[Hub],
    options: &BackhaulOptions,
) -> Result<Vec<CandidateBackhaul>> {
    options.costs.validate()?;
    if !(options.detour_factor.is_finite() && options.detour_factor >= 1.0) {
        return Err(Error::InvalidParameter {
            name: "detour_factor",
            value: options.detour_factor,
            expected: "a finite factor >= 1".into(),
        });
    }
    if !(options.max_drop_m.is_finite() && options.max_drop_m >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "max_drop_m",
            value: options.max_drop_m,
            expected: "a finite distance >= 0 m".into(),
        });
    }
    if let Some(mw) = &options.microwave {
        check_frequency(mw.frequency_ghz)?;
        for (name, v) in [
            ("max_hop_m", mw.max_hop_m),
            ("step_m", mw.step_m),
            ("antenna_height_m", mw.antenna_height_m),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::InvalidParameter {
                    name,
                    value: v,
                    expected: "a finite value >= 0".into(),
                });
            }
        }
        if !mw.min_clearance_ratio.is_finite() {
            return Err(Error::InvalidParameter {
                name: "min_clearance_ratio",
                value: mw.min_clearance_ratio,
                expected: "a finite ratio (0.6 is usual)".into(),
            });
        }
        if let Some(h) = hubs.iter().find(|h| !h.antenna_height_m.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "hub antenna_height_m",
                value: h.antenna_height_m,
                expected: format!("a finite height (m) for hub {:?}", h.id),
            });
        }
    }
    let distances = distances_to_network(candidates, dem.crs(), fiber)?;
    let costs = &options.costs;
    let mut ends: Vec<(HopEnd, [f64; 2], f64)> = Vec::new();
    if let Some(mw) = &options.microwave {
        ends.extend(
            hubs.iter()
                .enumerate()
                .map(|(i, h)| (HopEnd::Hub(i), h.xy, h.antenna_height_m)),
        );
        ends.extend(
            candidates
                .iter()
                .zip(&distances)
                .enumerate()
                .filter(|(_, (_, d))| **d <= options.max_drop_m)
                .map(|(i, (c, _))| (HopEnd::Candidate(i), c.xy, mw.antenna_height_m)),
        );
    }
    let mut out = Vec::with_capacity(candidates.len());
    for (i, (c, &d)) in candidates.iter().zip(&distances).enumerate() {
        let fiber_option = costs.fiber(d * options.detour_factor / 1000.0);
        let mut microwave = None;
        if let Some(mw) = &options.microwave {
            let mut best: Option<(f64, HopEnd, f64)> = None;
            for &(end, xy, height) in &ends {
                if end == HopEnd::Candidate(i) {
                    continue;
                }
                let length = (xy[0] - c.xy[0]).hypot(xy[1] - c.xy[1]);
                if !(length > 0.0 && length <= mw.max_hop_m)
                    || best.is_some_and(|(l, _, _)| length >= l)
                {
                    continue;
                }
                let ratio = fresnel_clearance_ratio(
                    dem,
                    c.xy,
                    mw.antenna_height_m,
                    xy,
                    height,
                    mw.frequency_ghz,
                    mw.k_factor,
                    mw.step_m,
                );
                match ratio {
                    Ok(r) if r >= mw.min_clearance_ratio => best = Some((length, end, r)),
                    Ok(_) | Err(Error::OutsideDem { .. } | Error::MissingElevation { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            microwave = best.map(|(length, end, r)| costs.microwave(end, length / 1000.0, r));
        }
        out.push(CandidateBackhaul {
            fiber: fiber_option,
            microwave,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CandidateSource, Crs, GeoTransform};
    use ndarray::Array2;

    const CRS: Crs = Crs::Projected { epsg: 6670 };

    /// 10 m cells, one row, x from 0 to 10 010 m; a `ridge_m` ridge over cells 499–501.
    fn ridge(ridge_m: f32) -> Dem {
        let mut z = Array2::zeros((1, 1001));
        for c in 499..=501 {
            z[(0, c)] = ridge_m;
        }
        Dem::new(z, GeoTransform::new(0.0, 10.0, 10.0, 10.0), CRS, None).unwrap()
    }

    #[test]
    fn fresnel_radius_matches_p530_form() {
        // 17.3·√(d1·d2/(f·d)) with d in km, f in GHz.
        for (d1, d2, f) in [(5.0f64, 5.0, 6.0), (2.0, 8.0, 18.0), (1.0, 30.0, 2.0)] {
            let p530 = 17.3 * (d1 * d2 / (f * (d1 + d2))).sqrt();
            let r = fresnel_radius_m(d1 * 1000.0, d2 * 1000.0, f).unwrap();
            assert!((r - p530).abs() / p530 < 1e-3, "{r} vs {p530}");
        }
        assert_eq!(fresnel_radius_m(0.0, 1000.0, 6.0).unwrap(), 0.0);
        assert!(fresnel_radius_m(0.0, 0.0, 6.0).is_err());
        assert!(fresnel_radius_m(1.0, 1.0, 0.0).is_err());
        assert!(fresnel_radius_m(-1.0, 1.0, 6.0).is_err());
    }

    #[test]
    fn clearance_over_a_ridge() {
        let (a, b) = ([5.0, 5.0], [10_005.0, 5.0]);
        let f1 = fresnel_radius_m(5_000.0, 5_000.0, 6.0).unwrap();
        // 30 m masts over a 20 m ridge, flat earth: 10 m of clearance at mid-path.
        let flat =
            fresnel_clearance_ratio(&ridge(20.0), a, 30.0, b, 30.0, 6.0, f64::INFINITY, 10.0)
                .unwrap();
        assert!((flat - 10.0 / f1).abs() < 1e-9, "{flat}");
        // With k = 4/3 the earth bulges 5000² / (2·4/3·6 371 000) = 1.4715 m mid-path.
        let bulge = 5_000.0 * 5_000.0 / (2.0 * 4.0 / 3.0 * 6_371_000.0);
        let curved =
            fresnel_clearance_ratio(&ridge(20.0), a, 30.0, b, 30.0, 6.0, 4.0 / 3.0, 10.0).unwrap();
        assert!((curved - (10.0 - bulge) / f1).abs() < 1e-9, "{curved}");
        // A 25 m ridge leaves 5 m: 0.45 F1 < 0.6; a 35 m ridge blocks the line of sight.
        assert!(
            fresnel_clearance_ratio(&ridge(25.0), a, 30.0, b, 30.0, 6.0, f64::INFINITY, 10.0)
                .unwrap()
                < 0.6
        );
        assert!(
            fresnel_clearance_ratio(&ridge(35.0), a, 30.0, b, 30.0, 6.0, f64::INFINITY, 10.0)
                .unwrap()
                < 0.0
        );
        assert!(
            fresnel_clearance_ratio(&ridge(0.0), a, 30.0, a, 30.0, 6.0, 4.0 / 3.0, 10.0).is_err()
        );
        assert!(
            fresnel_clearance_ratio(
                &ridge(0.0),
                a,
                30.0,
                [20_000.0, 5.0],
                30.0,
                6.0,
                4.0 / 3.0,
                10.0
            )
            .is_err()
        );
    }

    #[test]
    fn cost_arithmetic_and_choice() {
        let costs = CostTable::default();
        let f = costs.fiber(2.0);
        assert_eq!((f.capex, f.opex_per_year), (40_000_000.0, 1_700_000.0));
        assert_eq!(f.lifetime_cost(10.0), 57_000_000.0);
        let m = costs.microwave(HopEnd::Hub(0), 8.0, 0.9);
        assert_eq!((m.capex, m.opex_per_year), (33_000_000.0, 1_800_000.0));
        assert_eq!(m.lifetime_cost(10.0), 51_000_000.0);
        let both = CandidateBackhaul {
            fiber: f,
            microwave: Some(m),
        };
        assert_eq!(both.best(10.0), m);
        // 0.5 km of fiber: 32.5 M + 10 × 1.55 M = 48 M < 51 M.
        let short = CandidateBackhaul {
            fiber: costs.fiber(0.5),
            microwave: Some(m),
        };
        assert_eq!(short.best(10.0).kind, BackhaulKind::Fiber { km: 0.5 });
        assert!(
            CostTable {
                years: -1.0,
                ..costs
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn backhaul_end_to_end() {
        let cand = |id: &str, x: f64| Candidate {
            id: id.into(),
            xy: [x, 5.0],
            source: CandidateSource::User,
        };
        // c0 at the west end; c1 at the east end, 100 m from a fiber route; a hub mid-way behind the ridge.
        let candidates = [cand("c0", 5.0), cand("c1", 10_005.0)];
        let fiber = FiberNetwork::new(
            CRS,
            vec![vec![[10_005.0, 105.0], [10_005.0, 1_000.0]]],
            None,
        )
        .unwrap();
        let hubs = [Hub {
            id: "far".into(),
            xy: [9_000_000.0, 5.0],
            antenna_height_m: 30.0,
        }];
        let mw = MicrowaveOptions {
            frequency_ghz: 6.0,
            k_factor: f64::INFINITY,
            ..Default::default()
        };
        let opts = BackhaulOptions {
            detour_factor: 1.5,
            microwave: Some(mw),
            ..Default::default()
        };
        let low = backhaul(&ridge(20.0), &candidates, &fiber, &hubs, &opts).unwrap();
        // c0: fiber 10 000.5 m × 1.5; the hop to c1 clears 0.895 F1.
        let BackhaulKind::Fiber { km } = low[0].fiber.kind else {
            panic!()
        };
        assert!((km - 10_000.0f64.hypot(100.0) * 1.5 / 1000.0).abs() < 1e-9);
        let Some(BackhaulOption {
            kind:
                BackhaulKind::Microwave {
                    to,
                    km,
                    clearance_ratio,
                },
            ..
        }) = low[0].microwave
        else {
            panic!("{:?}", low[0])
        };
        assert_eq!((to, km), (HopEnd::Candidate(1), 10.0));
        assert!(
            (clearance_ratio - 10.0 / fresnel_radius_m(5_000.0, 5_000.0, 6.0).unwrap()).abs()
                < 1e-9
        );
        assert!(matches!(
            low[0].best(10.0).kind,
            BackhaulKind::Microwave { .. }
        ));
        // c1 is itself the only fiber-connected end: no hop; 0.1 km × 1.5 of fiber.
        assert_eq!(low[1].microwave, None);
        assert!(
            matches!(low[1].best(10.0).kind, BackhaulKind::Fiber { km } if (km - 0.15).abs() < 1e-12)
        );
        // A higher ridge: no feasible hop.
        let high = backhaul(&ridge(25.0), &candidates, &fiber, &hubs, &opts).unwrap();
        assert_eq!(high[0].microwave, None);
        let bad = BackhaulOptions {
            detour_factor: 0.5,
            ..opts
        };
        assert!(backhaul(&ridge(0.0), &candidates, &fiber, &hubs, &bad).is_err());
    }
}
