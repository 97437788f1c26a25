//! Regulator-style coverage metrics: fiber availability rate, population
//! coverage by 500 m grid square, and the share of 10 km grid squares with a
//! 5G base station.
//!
//! Sources of the definitions (as far as they could be traced; the primary
//! MIC documents were not available to check equation by equation):
//!
//! - *Population coverage* (人口カバー率): Japan is divided into 500 m grid
//!   squares (JIS X 0410 1/2 mesh); a square counts as covered when 50 % or
//!   more of its area can get service, and then all of its (night-time)
//!   population counts as covered — as described by the operators' and
//!   press reports of the デジタル田園都市国家インフラ整備計画 (Cabinet
//!   Office / MIC, 2022-03-29) 5G target (e.g. Mynavi News 2022-04-07 on
//!   SoftBank's 90 % 5G coverage: 「1つのメッシュの50%以上の範囲で通信可能で
//!   あればそのメッシュ内の夜間人口を100%カバーしたとみなす」). The issue states
//!   "more than 50 %"; the reports say 「50%以上」 (at least 50 %). Both are
//!   available through [`SquareCoverageOptions::inclusive`]; the default
//!   follows the published wording (at least 50 %).
//! - *Base deployment rate* (基盤展開率): the share of 2nd-mesh (about 10 km)
//!   squares that hold a 5G 高度特定基地局 (advanced specified base station),
//!   among about 4 500 squares where business is possible (mountains and sea
//!   excluded), from MIC 「第5世代移動通信システムの導入のための特定基地局の
//!   開設に関する指針」 (2019), as reported by ITmedia Mobile (2020-05-26). The
//!   regulator's denominator (a fixed national list of squares) is not
//!   reproducible from local data, hence [`SquareUniverse`].
//! - *Fiber availability rate* (光ファイバ整備率, household coverage): the
//!   share of households in areas where fiber is available; definition as
//!   stated in the issue (served households / all households, by weight).

use std::collections::{BTreeMap, BTreeSet};

use ndarray::ArrayView2;

use crate::mesh::{MeshCode, MeshLevel, encode_all};
use crate::{AreaSummary, Error, GeoTransform, Households, Result, Technology, summarize};

/// Fiber availability rate per area: served weight / total weight of each
/// value of `key` (sorted), then a `"total"` row; see
/// [`AreaSummary::served_rate`]. A thin, named wrapper over [`summarize`].
///
/// ```
/// use bbcov_core::{Crs, Households, fiber_availability};
/// let hh = Households::new(Crs::Projected { epsg: 6670 }, vec![[0.0, 0.0]; 4], Some(vec![3.0, 1.0, 2.0, 2.0]), None)?;
/// let rows = fiber_availability(&hh, &[true, false, true, true], None)?;
/// assert_eq!(rows[0].served_rate(), 0.875);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn fiber_availability(
    households: &Households,
    fiber_served: &[bool],
    key: Option<&str>,
) -> Result<Vec<AreaSummary>> {
    summarize(households, fiber_served, key)
}

/// Options of [`population_coverage_by_square`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SquareCoverageOptions {
    /// Grid-square level; [`MeshLevel::Half`] (500 m) in the published definition.
    pub level: MeshLevel,
    /// Share of a square's area that must be covered, in [0, 1]; 0.5.
    pub threshold: f64,
    /// `true`: covered when share ≥ threshold (「50%以上」, the default);
    /// `false`: covered when share > threshold ("more than 50 %").
    pub inclusive: bool,
}

impl Default for SquareCoverageOptions {
    fn default() -> Self {
        SquareCoverageOptions {
            level: MeshLevel::Half,
            threshold: 0.5,
            inclusive: true,
        }
    }
}

/// One grid square of a [`PopulationCoverage`].
#[derive(Debug, Clone, PartialEq)]
pub struct SquareCoverage {
    /// The grid square.
    pub code: MeshCode,
    /// Coverage-grid cells whose centre falls in the square.
    pub cells: usize,
    /// Of those, the covered ones.
    pub covered_cells: usize,
    /// Household weight (population) in the square.
    pub population: f64,
    /// Whether the square counts as covered.
    pub covered: bool,
}

impl SquareCoverage {
    /// Covered share of the square's area (covered cells / cells); 0 without cells.
    pub fn covered_share(&self) -> f64 {
        if self.cells > 0 {
            self.covered_cells as f64 / self.cells as f64
        } else {
            0.0
        }
    }
}

/// Result of [`population_coverage_by_square`].
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationCoverage {
    /// Population in covered squares.
    pub covered_population: f64,
    /// Population in all squares.
    pub total_population: f64,
    /// The squares that hold at least one household, in code order.
    pub squares: Vec<SquareCoverage>,
}

impl PopulationCoverage {
    /// Covered population / total population; 0 when the total is 0.
    pub fn rate(&self) -> f64 {
        if self.total_population > 0.0 {
            self.covered_population / self.total_population
        } else {
            0.0
        }
    }
}

/// Population coverage by grid square (人口カバー率; see the module sources):
/// a square counts as covered when the covered share of its area reaches the
/// threshold, and then all its population counts as covered.
///
/// - `households_lonlat`, `weights`: household positions in lon/lat degrees
///   (the caller unprojects projected layers) and their weights (people or
///   households).
/// - `covered`, `transform`: a covered mask on a projected grid (e.g.
///   [`CoverageMap::covered_mask`](crate::CoverageMap::covered_mask) with its
///   [`transform`](crate::CoverageMap::transform)); `unproject` maps a
///   projected cell centre to `[lon, lat]` (e.g. `|p| frame.unproject(p)` of a
///   [`LocalFrame`](crate::LocalFrame)).
///
/// **Approximation**: the covered share of a square's area is the number of
/// covered cells whose centre falls in the square divided by the number of all
/// cells whose centre falls in it, i.e. the area is sampled at the cell
/// centres; use cells much smaller than the square (≤ 50 m for 500 m squares).
/// The part of a square outside the map is *not* counted in the denominator;
/// the map must therefore cover the study area, and a square with no cell
/// centre at all counts as not covered. Cells whose centre unprojects to a
/// point without a code are ignored.
///
/// Errors: `weights` of another length ([`Error::LengthMismatch`]), a
/// negative or non-finite weight ([`Error::InvalidWeight`]), a household
/// without a grid-square code ([`Error::InvalidCoordinate`]), a threshold
/// outside [0, 1] ([`Error::InvalidParameter`]).
///
/// ```
/// use bbcov_core::{GeoTransform, PopulationCoverage, SquareCoverageOptions, population_coverage_by_square};
/// use ndarray::array;
/// // A "projected" grid in degrees, 2 × 2 cells of 1/4 of a 500 m square
/// // (22.5″ × 15″), the identity as unprojection; 3 of 4 cells covered.
/// let (dlon, dlat) = (22.5 / 3600.0 / 2.0, 15.0 / 3600.0 / 2.0);
/// let t = GeoTransform::new(135.0, 35.0 + 2.0 * dlat, dlon, dlat);
/// let cov = population_coverage_by_square(&[[135.001, 35.001]], &[40.0], array![[true, true], [true, false]].view(),
///                                         &t, &|p| p, &SquareCoverageOptions::default())?;
/// assert_eq!((cov.covered_population, cov.total_population, cov.squares[0].covered_share()), (40.0, 40.0, 0.75));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn population_coverage_by_square(
    households_lonlat: &[[f64; 2]],
    weights: &[f64],
    covered: ArrayView2<'_, bool>,
    transform: &GeoTransform,
    unproject: &dyn Fn([f64; 2]) -> [f64; 2],
    options: &SquareCoverageOptions,
) -> Result<PopulationCoverage> {
    if !(options.threshold.is_finite() && (0.0..=1.0).contains(&options.threshold)) {
        return Err(Error::InvalidParameter {
            name: "threshold",
            value: options.threshold,
            expected: "a share in [0, 1]".into(),
        });
    }
    let population = weighted_squares(households_lonlat, weights, options.level)?;
    let mut cells: BTreeMap<MeshCode, (usize, usize)> =
        population.keys().map(|&c| (c, (0, 0))).collect();
    for ((row, col), &is_covered) in covered.indexed_iter() {
        let [lon, lat] = unproject(transform.cell_centre(row, col));
        if let Ok(code) = MeshCode::encode(lon, lat, options.level)
            && let Some((n, k)) = cells.get_mut(&code)
        {
            *n += 1;
            *k += usize::from(is_covered);
        }
    }
    let mut out = PopulationCoverage {
        covered_population: 0.0,
        total_population: 0.0,
        squares: Vec::new(),
    };
    for (code, population) in population {
        let (n, k) = cells[&code];
        let share = if n > 0 { k as f64 / n as f64 } else { 0.0 };
        let is_covered = n > 0
            && if options.inclusive {
                share >= options.threshold
            } else {
                share > options.threshold
            };
        out.total_population += population;
        if is_covered {
            out.covered_population += population;
        }
        out.squares.push(SquareCoverage {
            code,
            cells: n,
            covered_cells: k,
            population,
            covered: is_covered,
        });
    }
    Ok(out)
}

/// Weight per grid square of `level`, validated, in code order.
fn weighted_squares(
    points: &[[f64; 2]],
    weights: &[f64],
    level: MeshLevel,
) -> Result<BTreeMap<MeshCode, f64>> {
    if weights.len() != points.len() {
        return Err(Error::LengthMismatch {
            what: "household weights".into(),
            expected: points.len(),
            got: weights.len(),
        });
    }
    if let Some(i) = weights.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
        return Err(Error::InvalidWeight {
            layer: "households".into(),
            index: i,
            id: None,
            value: weights[i],
        });
    }
    let mut totals = BTreeMap::new();
    for (code, &w) in encode_all(points, level)?.into_iter().zip(weights) {
        *totals.entry(code).or_insert(0.0) += w;
    }
    Ok(totals)
}

/// Which 10 km squares form the denominator of [`base_station_square_share`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SquareUniverse {
    /// The squares that hold at least one household (a local stand-in for the
    /// regulator's "squares where business is possible").
    WithHouseholds,
    /// Every square that touches the bounding box of the households.
    HouseholdBoundingBox,
}

/// Result of [`base_station_square_share`].
#[derive(Debug, Clone, PartialEq)]
pub struct StationSquareShare {
    /// The denominator squares, in code order.
    pub squares: Vec<MeshCode>,
    /// Those of them with at least one 5G base station, in code order.
    pub with_station: Vec<MeshCode>,
}

impl StationSquareShare {
    /// Squares with a station / all squares; 0 without squares.
    pub fn rate(&self) -> f64 {
        if self.squares.is_empty() {
            0.0
        } else {
            self.with_station.len() as f64 / self.squares.len() as f64
        }
    }
}

/// Share of 2nd-mesh (about 10 km) squares with at least one 5G base station
/// (a local version of 基盤展開率; see the module sources). 5G means
/// [`Technology::NrFr1`] or [`Technology::NrFr2`]; LTE sites are ignored. The
/// denominator is chosen by `universe`; sites outside it are not counted.
///
/// Errors: `technologies` not one per site ([`Error::LengthMismatch`]), a
/// household or site without a code ([`Error::InvalidCoordinate`]), no
/// households ([`Error::EmptyLayer`]).
///
/// ```
/// use bbcov_core::{SquareUniverse, Technology, base_station_square_share};
/// // Households in two 10 km squares (7.5′ apart in longitude), a 5G site in the first.
/// let hh = [[135.01, 35.01], [135.14, 35.01]];
/// let share = base_station_square_share(&hh, &[[135.02, 35.02]], &[Technology::NrFr1], SquareUniverse::WithHouseholds)?;
/// assert_eq!(share.rate(), 0.5);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn base_station_square_share(
    households_lonlat: &[[f64; 2]],
    sites_lonlat: &[[f64; 2]],
    technologies: &[Technology],
    universe: SquareUniverse,
) -> Result<StationSquareShare> {
    if technologies.len() != sites_lonlat.len() {
        return Err(Error::LengthMismatch {
            what: "site technologies".into(),
            expected: sites_lonlat.len(),
            got: technologies.len(),
        });
    }
    if households_lonlat.is_empty() {
        return Err(Error::EmptyLayer {
            layer: "households".into(),
        });
    }
    let level = MeshLevel::Second;
    let with_households: BTreeSet<MeshCode> =
        encode_all(households_lonlat, level)?.into_iter().collect();
    let squares: BTreeSet<MeshCode> = match universe {
        SquareUniverse::WithHouseholds => with_households,
        SquareUniverse::HouseholdBoundingBox => {
            let [lo, hi] = crate::frame::bounds(households_lonlat);
            let sw = MeshCode::encode(lo[0], lo[1], level)?.bounds()[0];
            let ne = MeshCode::encode(hi[0], hi[1], level)?.bounds()[0];
            let [dlon, dlat] = level.size_deg();
            let cols = ((ne[0] - sw[0]) / dlon).round() as usize;
            let rows = ((ne[1] - sw[1]) / dlat).round() as usize;
            let mut all = BTreeSet::new();
            for r in 0..=rows {
                for c in 0..=cols {
                    let (lon, lat) = (
                        sw[0] + (c as f64 + 0.5) * dlon,
                        sw[1] + (r as f64 + 0.5) * dlat,
                    );
                    all.insert(MeshCode::encode(lon, lat, level)?);
                }
            }
            all
        }
    };
    let five_g: Vec<[f64; 2]> = sites_lonlat
        .iter()
        .zip(technologies)
        .filter(|(_, t)| matches!(t, Technology::NrFr1 | Technology::NrFr2))
        .map(|(&p, _)| p)
        .collect();
    let stations: BTreeSet<MeshCode> = encode_all(&five_g, level)?.into_iter().collect();
    let with_station = squares
        .iter()
        .filter(|c| stations.contains(c))
        .copied()
        .collect();
    Ok(StationSquareShare {
        squares: squares.into_iter().collect(),
        with_station,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// A 500 m square's bounds and a grid of n × n cells exactly tiling it
    /// (in degrees, with the identity as unprojection).
    fn square_grid(code: &str, n: usize) -> (MeshCode, GeoTransform) {
        let code: MeshCode = code.parse().unwrap();
        let [sw, ne] = code.bounds();
        let t = GeoTransform::new(
            sw[0],
            ne[1],
            (ne[0] - sw[0]) / n as f64,
            (ne[1] - sw[1]) / n as f64,
        );
        (code, t)
    }

    #[test]
    fn threshold_is_inclusive_or_strict() {
        let (code, t) = square_grid("533935991", 4);
        let c = code.centre();
        let mut mask = Array2::from_elem((4, 4), false);
        mask.row_mut(0).fill(true);
        mask.row_mut(1).fill(true); // exactly 50 %
        let run = |inclusive| {
            population_coverage_by_square(
                &[c],
                &[10.0],
                mask.view(),
                &t,
                &|p| p,
                &SquareCoverageOptions {
                    inclusive,
                    ..Default::default()
                },
            )
            .unwrap()
        };
        let at_least = run(true);
        assert_eq!(
            (at_least.squares[0].cells, at_least.squares[0].covered_cells),
            (16, 8)
        );
        assert_eq!(at_least.rate(), 1.0);
        assert_eq!(run(false).rate(), 0.0);
    }

    #[test]
    fn hand_computed_two_squares() {
        // The grid spans square A (4 × 4 cells) and its east neighbour B (4 × 4);
        // A is 9/16 covered, B 7/16; a third square C (north of A) has no cell.
        let (a, t) = square_grid("533935991", 4);
        let b = MeshCode::encode(a.bounds()[1][0] + 1e-6, a.centre()[1], MeshLevel::Half).unwrap();
        let c = MeshCode::encode(a.centre()[0], a.bounds()[1][1] + 1e-6, MeshLevel::Half).unwrap();
        let mut mask = Array2::from_elem((4, 8), false);
        for (i, v) in mask.iter_mut().enumerate() {
            let (r, col) = (i / 8, i % 8);
            *v = if col < 4 {
                r < 2 || (r == 2 && col == 0)
            } else {
                r < 1 || (r == 1 && col < 7)
            };
        }
        // A: 8 + 1 = 9 cells; B: 4 + 3 = 7 cells.
        let hh = [a.centre(), a.centre(), b.centre(), c.centre()];
        let cov = population_coverage_by_square(
            &hh,
            &[1.0, 2.0, 5.0, 7.0],
            mask.view(),
            &t,
            &|p| p,
            &Default::default(),
        )
        .unwrap();
        let rows: Vec<_> = cov
            .squares
            .iter()
            .map(|s| (s.code, s.cells, s.covered_cells, s.population, s.covered))
            .collect();
        let mut expected = vec![
            (a, 16, 9, 3.0, true),
            (b, 16, 7, 5.0, false),
            (c, 0, 0, 7.0, false),
        ];
        expected.sort_by_key(|r| r.0);
        assert_eq!(rows, expected);
        assert_eq!((cov.covered_population, cov.total_population), (3.0, 15.0));
        assert_eq!(cov.rate(), 0.2);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let (code, t) = square_grid("533935991", 2);
        let mask = Array2::from_elem((2, 2), true);
        let c = [code.centre()];
        let opt = SquareCoverageOptions::default();
        assert!(matches!(
            population_coverage_by_square(&c, &[], mask.view(), &t, &|p| p, &opt),
            Err(Error::LengthMismatch { .. })
        ));
        assert!(matches!(
            population_coverage_by_square(&c, &[-1.0], mask.view(), &t, &|p| p, &opt),
            Err(Error::InvalidWeight { .. })
        ));
        assert!(matches!(
            population_coverage_by_square(&[[0.0, 0.0]], &[1.0], mask.view(), &t, &|p| p, &opt),
            Err(Error::InvalidCoordinate { .. })
        ));
        let bad = SquareCoverageOptions {
            threshold: f64::NAN,
            ..opt
        };
        assert!(population_coverage_by_square(&c, &[1.0], mask.view(), &t, &|p| p, &bad).is_err());
    }

    #[test]
    fn station_share_denominators() {
        let level = MeshLevel::Second;
        let [dlon, dlat] = level.size_deg();
        let a = MeshCode::encode(135.01, 35.01, level).unwrap();
        let [sw, _] = a.bounds();
        let centre = |c: f64, r: f64| [sw[0] + (c + 0.5) * dlon, sw[1] + (r + 0.5) * dlat];
        // Households in squares (0,0) and (2,1): bounding box = 3 × 2 squares.
        let hh = [centre(0.0, 0.0), centre(2.0, 1.0)];
        let sites = [
            centre(0.0, 0.0),
            centre(1.0, 1.0),
            centre(2.0, 1.0),
            centre(5.0, 5.0),
        ];
        let tech = [
            Technology::NrFr1,
            Technology::NrFr2,
            Technology::Lte,
            Technology::NrFr1,
        ];
        let with_hh =
            base_station_square_share(&hh, &sites, &tech, SquareUniverse::WithHouseholds).unwrap();
        assert_eq!((with_hh.squares.len(), with_hh.with_station.len()), (2, 1)); // the LTE site does not count
        let bbox =
            base_station_square_share(&hh, &sites, &tech, SquareUniverse::HouseholdBoundingBox)
                .unwrap();
        assert_eq!((bbox.squares.len(), bbox.with_station.len()), (6, 2)); // the far site is outside
        assert!((bbox.rate() - 1.0 / 3.0).abs() < 1e-12);
        assert!(
            base_station_square_share(&hh, &sites, &tech[..2], SquareUniverse::WithHouseholds)
                .is_err()
        );
        assert!(base_station_square_share(&[], &[], &[], SquareUniverse::WithHouseholds).is_err());
    }
}
