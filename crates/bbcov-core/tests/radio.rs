//! Radio coverage over terrain (`site_coverage`, `best_server`,
//! `household_signal`): published values (ITU-R P.525 free space, P.526 J(ν)
//! over a single ridge, TR 38.901 O2I), invariants (more power never shrinks
//! coverage, a higher antenna never loses line of sight, identical results on
//! any number of threads, agreement with the viewshed and with the exact
//! per-household profile) and errors.

mod synthetic_terrain;

use bbcov_core::propagation::itm::{self, Climate};
use bbcov_core::propagation::{Tr38901Scenario, free_space_loss_db, knife_edge_loss_db};
use bbcov_core::{
    Antenna, CoverageMap, CoverageOptions, Crs, Dem, Error, GeoTransform, HouseholdRadioOptions, HouseholdSignal, Households,
    IndoorLoss, ItmSettings, MissingTerrainPolicy, NO_SERVER, Progress, RadioModel, Site, Technology, ViewshedOptions,
    Visibility, best_server, household_signal, noise_per_resource_element_dbm, site_coverage, viewshed,
};
use ndarray::Array2;
use proptest::prelude::*;
use synthetic_terrain::{CRS, island_dem};

const F_MHZ: f64 = 3_500.0;

/// A DEM of `z` with `cell_m` pixels, its north-west corner at (0, rows·cell).
fn grid(z: Array2<f32>, cell_m: f64) -> Dem {
    let rows = z.nrows() as f64;
    Dem::new(z, GeoTransform::new(0.0, rows * cell_m, cell_m, cell_m), CRS, None).unwrap()
}

/// An omni NR site (100 MHz, 273 RBs) of `power_dbm` at `xy`, `height_m` above ground.
fn site(id: &str, xy: [f64; 2], height_m: f64, power_dbm: f64) -> Site {
    Site::new(id, xy, height_m, Technology::NrFr1, F_MHZ, 100.0, power_dbm, 0.0, Antenna::omni(0.0).unwrap()).unwrap()
}

fn all_models() -> [(&'static str, RadioModel); 3] {
    [
        ("itm", RadioModel::itm()),
        ("diffraction", RadioModel::diffraction()),
        ("rma", RadioModel::tr38901(Tr38901Scenario::RMa).extrapolating()),
    ]
}

/// Bitwise equality of two grids (NaN equals NaN).
fn same_bits(a: ndarray::ArrayView2<'_, f32>, b: ndarray::ArrayView2<'_, f32>) -> bool {
    a.dim() == b.dim() && a.iter().zip(b.iter()).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Bitwise fingerprint of a map (loss, RSRP, LOS).
#[cfg(feature = "parallel")]
fn fingerprint(map: &CoverageMap) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut eat = |v: u64| h = (h ^ v).wrapping_mul(0x0100_0000_01b3);
    for (&l, (&r, &c)) in map.path_loss_db().iter().zip(map.rsrp_dbm().iter().zip(map.los_codes().iter())) {
        eat(l.to_bits() as u64);
        eat(r.to_bits() as u64);
        eat(c as u64);
    }
    h
}

/// ITU-R P.525-4 eq. (4): over flat sea on a flat earth, every path is clear
/// of the ground near the site, and free space + Bullington diffraction is
/// exactly the free-space loss over the slant distance; ITM's line-of-sight
/// mode stays within a few dB of it (two-ray effects over the smooth sea).
#[test]
fn flat_sea_near_the_site_is_free_space() {
    let dem = grid(Array2::zeros((201, 201)), 10.0);
    let s = site("sea", dem.cell_centre(100, 100), 30.0, 46.0);
    let opts = CoverageOptions::new(1_000.0, RadioModel::diffraction()).with_k_factor(f64::INFINITY).with_receiver_height(10.0);
    let map = site_coverage(&dem, &s, &opts, &()).unwrap();
    let itm = site_coverage(&dem, &s, &opts.with_model(RadioModel::itm()), &()).unwrap();
    let (r0, c0) = map.site_cell();
    for (dr, dc) in [(0, 10), (0, 50), (-70, 70), (30, -95), (100, 0)] {
        let (r, c) = ((r0 as i64 + dr) as usize, (c0 as i64 + dc) as usize);
        let d = 10.0 * (dr as f64).hypot(dc as f64);
        let fs = free_space_loss_db(d.hypot(20.0), F_MHZ).unwrap();
        // P.525 in practical units: 32.45 + 20 log f(MHz) + 20 log d(km).
        assert!((fs - (32.45 + 20.0 * F_MHZ.log10() + 20.0 * (d.hypot(20.0) / 1e3).log10())).abs() < 0.01);
        let got = map.path_loss_db()[(r, c)] as f64;
        assert!((got - fs).abs() < 1e-3, "diffraction {d} m: {got} vs {fs}");
        assert_eq!(map.line_of_sight(r, c), Some(Visibility::Visible));
        let itm = itm.path_loss_db()[(r, c)] as f64;
        assert!((itm - fs).abs() < 6.0, "ITM {d} m: {itm} vs free space {fs}");
        // RSRP = 46 dBm − 10 log10(12 · 273) − loss (omni, 0 dBi).
        let rsrp = map.rsrp_dbm()[(r, c)] as f64;
        assert!((rsrp - (46.0 - 10.0 * 3276f64.log10() - got)).abs() < 1e-3);
    }
    // The site's own cell: free space straight down, 20 m.
    let own = map.path_loss_db()[(r0, c0)] as f64;
    assert!((own - free_space_loss_db(20.0, F_MHZ).unwrap()).abs() < 1e-3, "{own}");
}

/// A single ridge across flat ground (flat earth): behind it the diffraction
/// model is free space + Bullington with the ridge as the one edge, i.e.
/// J(ν) of ITU-R P.526-15 eq. (31) with ν from eq. (26) and Bullington's
/// correction (1 − e^(−J/6))(10 + 0.02·d_km) (§4.5.1).
#[test]
fn single_ridge_is_the_p526_knife_edge() {
    let (cell, ridge_col, ridge_m) = (20.0, 150usize, 60.0f64);
    let z = Array2::from_shape_fn((41, 401), |(_, c)| if c == ridge_col { ridge_m as f32 } else { 0.0 });
    let dem = grid(z, cell);
    let s = site("r", dem.cell_centre(20, 100), 30.0, 46.0);
    let opts = CoverageOptions::new(6_000.0, RadioModel::diffraction()).with_k_factor(f64::INFINITY).with_clip_to_dem(true);
    let map = site_coverage(&dem, &s, &opts, &()).unwrap();
    let (r0, c0) = map.site_cell();
    let lambda = 299_792_458.0 / (F_MHZ * 1e6);
    for col in [160usize, 200, 300, 400] {
        let (d1, d) = ((ridge_col - 100) as f64 * cell, (col - 100) as f64 * cell);
        let d2 = d - d1;
        let line = 30.0 + (1.5 - 30.0) * d1 / d;
        let nu = (ridge_m - line) * (2.0 / lambda * (1.0 / d1 + 1.0 / d2)).sqrt();
        let j = 6.9 + 20.0 * (((nu - 0.1f64).powi(2) + 1.0).sqrt() + nu - 0.1).log10();
        assert!((j - knife_edge_loss_db(nu)).abs() < 1e-12);
        let bullington = j + (1.0 - (-j / 6.0).exp()) * (10.0 + 0.02 * d / 1e3);
        let expected = free_space_loss_db(d.hypot(28.5), F_MHZ).unwrap() + bullington;
        let got = map.path_loss_db()[(r0, c0 - 100 + col)] as f64;
        assert!((got - expected).abs() < 1e-3, "column {col}: ν = {nu:.3}, {got} vs {expected}");
        assert_eq!(map.line_of_sight(r0, c0 - 100 + col), Some(Visibility::Invisible));
    }
    // In front of the ridge: clear, free space.
    let front = map.path_loss_db()[(r0, c0 + 20)] as f64;
    assert!((front - free_space_loss_db(400f64.hypot(28.5), F_MHZ).unwrap()).abs() < 1e-3);
    // TR 38.901 switches from LOS to NLOS at the ridge.
    let rma = site_coverage(&dem, &s, &opts.with_model(RadioModel::tr38901(Tr38901Scenario::RMa)).with_clip_to_dem(true).with_k_factor(f64::INFINITY), &());
    let e = rma.unwrap_err(); // 6 km is beyond RMa NLOS's 5 km
    assert!(matches!(&e, Error::Site { site, source } if site == "r" && matches!(**source, Error::OutOfValidityRange { parameter: "radius_m", .. })), "{e}");
    let rma = site_coverage(&dem, &s, &CoverageOptions::new(4_000.0, RadioModel::tr38901(Tr38901Scenario::RMa)).with_k_factor(f64::INFINITY).with_clip_to_dem(true), &()).unwrap();
    let (los, nlos) = (rma.path_loss_db()[(r0, c0 + 40)], rma.path_loss_db()[(r0, c0 + 60)]);
    assert!(nlos > los + 10.0, "{los} {nlos}");
}

/// The line of sight of the coverage map is the viewshed's (same rays, same
/// crossings) with the receiver as the target.
#[test]
fn line_of_sight_agrees_with_the_viewshed() {
    let dem = island_dem(301, 30.0, 7);
    let s = site("hill", dem.cell_centre(150, 150), 25.0, 46.0);
    let opts = CoverageOptions::new(4_000.0, RadioModel::tr38901(Tr38901Scenario::RMa));
    let map = site_coverage(&dem, &s, &opts, &()).unwrap();
    let vs = viewshed(&dem, s.position(), &ViewshedOptions::new(25.0, 1.5, 4_000.0)).unwrap();
    assert_eq!((map.shape(), map.dem_offset()), (vs.codes().dim(), vs.dem_offset()));
    let (mut same, mut total) = (0, 0);
    for (&code, &v) in map.los_codes().iter().zip(vs.codes().iter()) {
        if code == Visibility::OutOfRange.code() {
            assert_eq!(v, Visibility::OutOfRange.code());
            continue;
        }
        total += 1;
        same += usize::from(v == code);
    }
    assert!(same as f64 >= 0.999 * total as f64, "{same} of {total}");
    let visible = map.los_codes().iter().filter(|&&c| c == 1).count();
    assert!(visible > total / 50 && visible < total, "{visible} visible of {total}");
}

/// More transmit power never shrinks coverage: the RSRP rises by exactly the
/// extra power and the covered cells are a superset.
#[test]
fn more_power_never_shrinks_coverage() {
    let dem = island_dem(201, 30.0, 3);
    let at = dem.cell_centre(90, 110);
    for (name, model) in all_models() {
        let opts = CoverageOptions::new(2_500.0, model);
        let weak = site_coverage(&dem, &site("a", at, 30.0, 40.0), &opts, &()).unwrap();
        let strong = site_coverage(&dem, &site("a", at, 30.0, 43.0), &opts, &()).unwrap();
        let (w, s) = (weak.covered_mask(), strong.covered_mask());
        assert!(w.iter().zip(s.iter()).all(|(&w, &s)| !w || s), "{name}");
        assert!(strong.covered_count() >= weak.covered_count());
        for (a, b) in weak.rsrp_dbm().iter().zip(strong.rsrp_dbm().iter()) {
            assert!(a.is_nan() && b.is_nan() || ((b - a) as f64 - 3.0).abs() < 1e-3, "{name}: {a} {b}");
        }
        assert!(same_bits(weak.path_loss_db(), strong.path_loss_db()), "{name}");
    }
}

/// A higher antenna never loses line of sight to a cell.
#[test]
fn a_higher_antenna_never_reduces_line_of_sight() {
    let dem = island_dem(241, 25.0, 11);
    let at = dem.cell_centre(130, 100);
    let opts = CoverageOptions::new(2_500.0, RadioModel::tr38901(Tr38901Scenario::RMa).extrapolating());
    let mut previous: Option<CoverageMap> = None;
    for h in [5.0, 15.0, 30.0, 60.0, 120.0] {
        let map = site_coverage(&dem, &site("m", at, h, 46.0), &opts, &()).unwrap();
        if let Some(low) = &previous {
            for (&lo, &hi) in low.los_codes().iter().zip(map.los_codes().iter()) {
                assert!(lo != Visibility::Visible.code() || hi == Visibility::Visible.code(), "{h} m");
            }
            let count = |m: &CoverageMap| m.los_codes().iter().filter(|&&c| c == 1).count();
            assert!(count(&map) >= count(low));
        }
        previous = Some(map);
    }
}

/// The same map on 1, 2 and 4 threads, bit for bit (with `parallel`; without
/// it the whole suite runs sequentially: `cargo test -p bbcov-core --no-default-features`).
#[cfg(feature = "parallel")]
#[test]
fn identical_on_any_number_of_threads() {
    let dem = island_dem(181, 30.0, 5);
    let sites = [site("a", dem.cell_centre(70, 70), 30.0, 46.0), site("b", dem.cell_centre(110, 100), 20.0, 43.0)];
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let maps: Vec<u64> = all_models()
                .iter()
                .map(|(_, m)| fingerprint(&site_coverage(&dem, &sites[0], &CoverageOptions::new(2_000.0, *m), &()).unwrap()))
                .collect();
            let best = best_server(&dem, &sites, &CoverageOptions::new(2_000.0, RadioModel::itm()), 0.5, 7.0, &()).unwrap();
            let bits = |a: ndarray::ArrayView2<'_, f32>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            let best = (bits(best.rsrp_dbm()), bits(best.sinr_db()), bits(best.throughput_mbps()), best.server().to_owned());
            let hh = Households::new(CRS, (0..50).map(|i| dem.cell_centre(40 + 2 * i, 50 + i)).collect(), None, None).unwrap();
            let signals = household_signal(&dem, &sites, &hh, &HouseholdRadioOptions::new(2_000.0, RadioModel::itm())).unwrap();
            (maps, best, signals.iter().map(|s| s.rsrp_dbm.to_bits()).collect::<Vec<_>>())
        })
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(4));
}

/// A household at a cell centre on an axis through the site sees the same
/// profile as the grid (samples at the cell centres), so the exact
/// per-household computation gives the grid's loss; on the diagonals the
/// ray also passes through the centres, so the line of sight (and TR 38.901)
/// agree, while the household's profile samples more finely.
#[test]
fn households_on_cell_centres_match_the_grid() {
    let dem = island_dem(161, 30.0, 9);
    let s = site("x", dem.cell_centre(80, 80), 30.0, 46.0);
    for (name, model) in all_models() {
        let opts = CoverageOptions::new(2_000.0, model).with_missing_terrain(MissingTerrainPolicy::Unknown);
        let map = site_coverage(&dem, &s, &opts, &()).unwrap();
        let (r0, c0) = map.site_cell();
        let axes = [(r0, c0 + 7), (r0, c0 + 40), (r0 - 33, c0), (r0 + 50, c0), (r0, c0 - 61)];
        let diagonals = [(r0 + 20, c0 + 20), (r0 - 45, c0 - 45), (r0 - 10, c0 + 10)];
        let cells: Vec<(usize, usize)> = axes.iter().chain(&diagonals).copied().collect();
        let xy = cells.iter().map(|&(r, c)| map.transform().cell_centre(r, c)).collect();
        let hh = Households::new(CRS, xy, None, None).unwrap();
        let hh_opts = HouseholdRadioOptions::from_coverage(&opts);
        let signals = household_signal(&dem, std::slice::from_ref(&s), &hh, &hh_opts.with_line_of_sight(true)).unwrap();
        // Without the line of sight (the default): none, and the same signal otherwise.
        let without = household_signal(&dem, std::slice::from_ref(&s), &hh, &hh_opts).unwrap();
        for (a, b) in signals.iter().zip(&without) {
            assert_eq!(b.line_of_sight, None);
            assert_eq!(HouseholdSignal { line_of_sight: a.line_of_sight, ..*b }, *a, "{name}");
        }
        for (k, (&(r, c), sig)) in cells.iter().zip(&signals).enumerate() {
            assert_eq!(sig.serving_site, Some(0));
            assert_eq!(sig.line_of_sight.map(|v| v.code()), Some(map.los_codes()[(r, c)]), "{name} ({r}, {c})");
            if k < axes.len() || name == "rma" {
                let grid = map.path_loss_db()[(r, c)] as f64;
                assert!((sig.path_loss_db - grid).abs() < 2e-3, "{name} ({r}, {c}): household {} vs grid {grid}", sig.path_loss_db);
                assert!((sig.rsrp_dbm - map.rsrp_dbm()[(r, c)] as f64).abs() < 2e-3);
            }
        }
    }
}

/// ITM in the map is `itm::p2p` on the cell's profile: on an axis the profile
/// is the column of cell heights.
#[test]
fn itm_cells_are_p2p_on_their_profile() {
    let dem = island_dem(121, 50.0, 2);
    let settings = ItmSettings::splat(Climate::MaritimeTemperateOverLand);
    let s = site("p", dem.cell_centre(60, 60), 30.0, 46.0);
    let map = site_coverage(&dem, &s, &CoverageOptions::new(3_000.0, RadioModel::Itm(settings)), &()).unwrap();
    let (r0, c0) = map.site_cell();
    for m in [1usize, 2, 10, 37, 60] {
        let z: Vec<f64> = (0..=m).map(|k| dem.height_at_cell(60, 60 + k).unwrap() as f64).collect();
        let p = itm::p2p(&settings.params(F_MHZ, 30.0, 1.5), &itm::Profile::new(&z, 50.0).unwrap(), settings.quantiles).unwrap();
        let got = map.path_loss_db()[(r0, c0 + m)];
        assert!((got as f64 - p.a_db).abs() < 1e-4, "m = {m}: {got} vs {}", p.a_db);
    }
}

/// TR 38.901 §7.4.3 O2I: indoors the RSRP drops by exactly the penetration
/// loss of Table 7.4.3-2 (low loss at 3.5 GHz: 12.70 dB + 0.5 dB/m inside).
#[test]
fn indoor_loss_lowers_household_rsrp() {
    let dem = island_dem(121, 30.0, 4);
    let sites = [site("a", dem.cell_centre(40, 40), 30.0, 46.0), site("b", dem.cell_centre(80, 90), 30.0, 46.0)];
    let hh = Households::new(CRS, (0..40).map(|i| dem.cell_centre(20 + 2 * i, 30 + i)).collect(), None, None).unwrap();
    let outdoor = HouseholdRadioOptions::new(2_500.0, RadioModel::diffraction()).with_missing_terrain(MissingTerrainPolicy::Unknown);
    let indoor = outdoor.with_indoor_loss(IndoorLoss::Tr38901LowLoss { indoor_distance_m: 4.0 });
    let (o, i) = (household_signal(&dem, &sites, &hh, &outdoor).unwrap(), household_signal(&dem, &sites, &hh, &indoor).unwrap());
    let pl = 5.0 - 10.0 * (0.3 * 10f64.powf(-(2.0 + 0.2 * 3.5) / 10.0) + 0.7 * 10f64.powf(-(5.0 + 4.0 * 3.5) / 10.0)).log10() + 2.0;
    assert!((pl - 14.6975).abs() < 1e-3);
    for (o, i) in o.iter().zip(&i) {
        assert_eq!(o.serving_site, i.serving_site);
        if o.serving_site.is_some() {
            assert!((o.rsrp_dbm - i.rsrp_dbm - pl).abs() < 1e-9);
            assert!(i.covered <= o.covered);
            // Both sites lose the same: the SINR moves only by the noise.
            assert!(i.sinr_db <= o.sinr_db + 1e-9);
        }
    }
}

/// Two identical sites side by side on flat ground: ties go to the lower
/// index; on the perpendicular bisector S = I, so the SINR at full load is
/// 0 dB (noise far below) and the throughput 0.6·log2(2) bit/s/Hz.
#[test]
fn best_server_ties_sinr_and_throughput() {
    let dem = grid(Array2::zeros((101, 201)), 10.0);
    let (a, b) = (site("a", dem.cell_centre(50, 80), 30.0, 46.0), site("b", dem.cell_centre(50, 120), 30.0, 46.0));
    let opts = CoverageOptions::new(500.0, RadioModel::diffraction());
    let map = best_server(&dem, &[a.clone(), b.clone()], &opts, 1.0, 7.0, &()).unwrap();
    let off = map.dem_offset();
    let at = |r: usize, c: usize| (r - off.0, c - off.1);
    // On the bisector (column 100) both sites are equally strong: site 0 serves.
    for r in [10, 50, 90] {
        assert_eq!(map.server()[at(r, 100)], 0);
        let sinr = map.sinr_db()[at(r, 100)] as f64;
        assert!(sinr.abs() < 0.01, "row {r}: {sinr}");
        let thr = map.throughput_mbps()[at(r, 100)] as f64;
        assert!((thr - 0.6 * 98.28).abs() < 0.1, "{thr}");
    }
    assert_eq!(map.server()[at(50, 90)], 0);
    assert_eq!(map.server()[at(50, 110)], 1);
    // Identical sites at one place: the lower index everywhere.
    let twins = best_server(&dem, &[a.clone(), a.clone().with_position(dem.cell_centre(50, 80))], &opts, 0.5, 7.0, &()).unwrap();
    assert!(twins.server().iter().all(|&s| s == 0 || s == NO_SERVER));
    // One site: best server = its coverage, SINR = RSRP − noise.
    let single = best_server(&dem, std::slice::from_ref(&b), &opts, 1.0, 7.0, &()).unwrap();
    let cov = site_coverage(&dem, &b, &opts, &()).unwrap();
    let noise = noise_per_resource_element_dbm(Technology::NrFr1, 7.0).unwrap();
    assert!(same_bits(single.rsrp_dbm(), cov.rsrp_dbm()));
    for (&r, &q) in single.rsrp_dbm().iter().zip(single.sinr_db().iter()) {
        assert!(r.is_nan() && q.is_nan() || ((r - q) as f64 - noise).abs() < 1e-3);
    }
    assert_eq!(single.covered_count(), cov.covered_count());
    // Load 0: no interference, the SINR is the SNR.
    let idle = best_server(&dem, &[a, b], &opts, 0.0, 7.0, &()).unwrap();
    let snr = idle.rsrp_dbm()[at(50, 100)] as f64 - noise;
    assert!((idle.sinr_db()[at(50, 100)] as f64 - snr).abs() < 1e-3);
}

/// More sites never lower the best RSRP of a cell (the SINR may drop).
#[test]
fn another_site_never_lowers_the_best_rsrp() {
    let dem = island_dem(201, 30.0, 8);
    let opts = CoverageOptions::new(2_000.0, RadioModel::tr38901(Tr38901Scenario::RMa)).with_clip_to_dem(true);
    let one = [site("a", dem.cell_centre(100, 80), 30.0, 46.0)];
    let two = [one[0].clone(), site("b", dem.cell_centre(90, 130), 30.0, 46.0)];
    let (m1, m2) = (best_server(&dem, &one, &opts, 1.0, 7.0, &()).unwrap(), best_server(&dem, &two, &opts, 1.0, 7.0, &()).unwrap());
    let (o1, o2) = (m1.dem_offset(), m2.dem_offset());
    for ((r, c), &p1) in m1.rsrp_dbm().indexed_iter() {
        let p2 = m2.rsrp_dbm()[(r + o1.0 - o2.0, c + o1.1 - o2.1)];
        assert!(p1.is_nan() || p2 >= p1);
    }
    assert!(m2.covered_count() >= m1.covered_count());
}

#[test]
fn errors_name_the_site_and_the_parameter() {
    let dem = grid(Array2::zeros((101, 101)), 10.0);
    let opts = CoverageOptions::new(300.0, RadioModel::itm());
    // Outside the DEM.
    let e = site_coverage(&dem, &site("far", [5_000.0, 500.0], 30.0, 46.0), &opts, &()).unwrap_err();
    assert!(matches!(&e, Error::Site { source, .. } if matches!(**source, Error::OutsideDem { .. })), "{e}");
    assert!(e.to_string().starts_with("site \"far\""), "{e}");
    // A radius the DEM cannot hold: an error naming the edge, or clipped.
    let edge = site("edge", dem.cell_centre(5, 50), 30.0, 46.0);
    let e = site_coverage(&dem, &edge, &opts, &()).unwrap_err();
    assert!(e.to_string().contains("radius_m") && e.to_string().contains("north edge"), "{e}");
    let clipped = site_coverage(&dem, &edge, &opts.with_clip_to_dem(true), &()).unwrap();
    assert_eq!(clipped.shape(), (36, 61));
    assert_eq!(clipped.dem_offset(), (0, 20));
    // Frequency outside the diffraction model's range.
    let mm = Site::new("mm", dem.cell_centre(50, 50), 10.0, Technology::NrFr2, 52_000.0, 100.0, 30.0, 0.0, Antenna::omni(0.0).unwrap()).unwrap();
    let e = site_coverage(&dem, &mm, &opts.with_model(RadioModel::diffraction()), &()).unwrap_err();
    assert!(matches!(&e, Error::Site { site, source } if site == "mm" && matches!(**source, Error::OutOfValidityRange { parameter: "frequency_mhz", .. })), "{e}");
    // Options.
    for bad in [opts.with_receiver_height(-1.0), opts.with_k_factor(0.0), opts.with_rsrp_threshold(f64::NAN), CoverageOptions::new(f64::NAN, RadioModel::itm())] {
        assert!(site_coverage(&dem, &site("s", dem.cell_centre(50, 50), 30.0, 46.0), &bad, &()).is_err(), "{bad:?}");
    }
    let ok = site("s", dem.cell_centre(50, 50), 30.0, 46.0);
    assert!(matches!(best_server(&dem, &[], &opts, 1.0, 7.0, &()), Err(Error::EmptyLayer { .. })));
    assert!(matches!(best_server(&dem, std::slice::from_ref(&ok), &opts, 1.5, 7.0, &()), Err(Error::InvalidParameter { name: "load", .. })));
    assert!(matches!(best_server(&dem, std::slice::from_ref(&ok), &opts, 1.0, -3.0, &()), Err(Error::InvalidParameter { name: "noise_figure_db", .. })));
    // Households in another CRS.
    let hh = Households::new(Crs::Projected { epsg: 6670 }, vec![[100.0, 100.0]], None, None).unwrap();
    let e = household_signal(&dem, &[ok], &hh, &HouseholdRadioOptions::new(300.0, RadioModel::itm())).unwrap_err();
    assert!(matches!(e, Error::CrsMismatch { .. }), "{e}");
}

/// Missing terrain on a path is an error by default; under `Unknown` the
/// cells behind it are NaN, never computed as if the hole were sea level.
#[test]
fn missing_terrain_is_an_error_or_unknown_never_sea_level() {
    let mut z = Array2::from_elem((61, 61), 20.0f32);
    z[(30, 40)] = f32::NAN;
    let dem = grid(z, 10.0);
    let s = site("n", dem.cell_centre(30, 30), 30.0, 46.0);
    for (name, model) in all_models() {
        let opts = CoverageOptions::new(300.0, model);
        let e = site_coverage(&dem, &s, &opts, &()).unwrap_err();
        assert!(matches!(&e, Error::Site { source, .. } if matches!(**source, Error::MissingElevation { row: 30, col: 40, .. })), "{name}: {e}");
        let map = site_coverage(&dem, &s, &opts.with_missing_terrain(MissingTerrainPolicy::Unknown), &()).unwrap();
        let (r0, c0) = map.site_cell();
        assert!(map.path_loss_db()[(r0, c0 + 10)].is_nan(), "{name}: the hole itself");
        assert_eq!(map.line_of_sight(r0, c0 + 10), Some(Visibility::Unknown));
        for c in 11..=30 {
            assert!(map.rsrp_dbm()[(r0, c0 + c)].is_nan(), "{name}: behind the hole, column {c}");
            assert_eq!(map.line_of_sight(r0, c0 + c), Some(Visibility::Unknown));
        }
        assert!(map.rsrp_dbm()[(r0, c0 + 9)].is_finite() && map.rsrp_dbm()[(r0 + 5, c0 + 20)].is_finite());
        let hh = Households::new(CRS, vec![dem.cell_centre(30, 55), dem.cell_centre(50, 50)], None, None).unwrap();
        let ho = HouseholdRadioOptions::new(300.0, model);
        assert!(household_signal(&dem, std::slice::from_ref(&s), &hh, &ho).is_err(), "{name}");
        let sig = household_signal(&dem, std::slice::from_ref(&s), &hh, &ho.with_missing_terrain(MissingTerrainPolicy::Unknown)).unwrap();
        assert_eq!((sig[0].serving_site, sig[0].unknown_sites, sig[0].covered), (None, 1, false), "{name}");
        assert_eq!((sig[1].serving_site, sig[1].unknown_sites), (Some(0), 0));
    }
    // The site itself on missing ground is always an error.
    let e = site_coverage(&dem, &site("hole", dem.cell_centre(30, 40), 30.0, 46.0), &CoverageOptions::new(100.0, RadioModel::itm()).with_missing_terrain(MissingTerrainPolicy::Unknown), &()).unwrap_err();
    assert!(e.to_string().contains("site \"hole\"") && e.to_string().contains("the site's cell"), "{e}");
}

/// A sector antenna: the RSRP follows the pattern towards each cell.
#[test]
fn sector_pattern_shapes_the_rsrp() {
    let dem = grid(Array2::zeros((201, 201)), 10.0);
    let sector = Site::new("east", dem.cell_centre(100, 100), 30.0, Technology::Lte, 1_800.0, 20.0, 43.0, 0.0, Antenna::sector(90.0, 3.0).unwrap()).unwrap();
    let omni = Site::new("omni", dem.cell_centre(100, 100), 30.0, Technology::Lte, 1_800.0, 20.0, 43.0, 0.0, Antenna::omni(8.0).unwrap()).unwrap();
    let opts = CoverageOptions::new(1_000.0, RadioModel::diffraction()).with_k_factor(f64::INFINITY);
    let (s, o) = (site_coverage(&dem, &sector, &opts, &()).unwrap(), site_coverage(&dem, &omni, &opts, &()).unwrap());
    let (r0, c0) = s.site_cell();
    for (r, c) in [(r0, c0 + 60), (r0 - 60, c0), (r0, c0 - 60), (r0 + 40, c0 + 40)] {
        let (dx, dy) = ((c as f64 - c0 as f64) * 10.0, (r0 as f64 - r as f64) * 10.0);
        let d = dx.hypot(dy);
        let up = 1.5 - 30.0;
        let gain = sector.antenna().gain_towards_dbi([dx, dy, up]);
        let diff = (o.rsrp_dbm()[(r, c)] - s.rsrp_dbm()[(r, c)]) as f64;
        assert!((diff - (8.0 - gain)).abs() < 1e-3, "({r}, {c}) at {d} m: {diff} vs {}", 8.0 - gain);
    }
    // East of the site is stronger than west by about the front-to-back ratio.
    assert!(s.rsrp_dbm()[(r0, c0 + 60)] > s.rsrp_dbm()[(r0, c0 - 60)] + 20.0);
}

struct CancelAfter(std::sync::atomic::AtomicU64, u64);
impl Progress for CancelAfter {
    fn advance(&self, n: u64) {
        self.0.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
    fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed) >= self.1
    }
}

#[test]
fn progress_and_cancellation() {
    let dem = island_dem(121, 30.0, 1);
    let s = site("c", dem.cell_centre(60, 60), 30.0, 46.0);
    let opts = CoverageOptions::new(1_500.0, RadioModel::itm());
    let count = CancelAfter(Default::default(), u64::MAX);
    site_coverage(&dem, &s, &opts, &count).unwrap();
    assert_eq!(count.0.into_inner(), 8 * 50 + 4); // one per ray: 2·50 + 1 per wedge
    assert!(matches!(site_coverage(&dem, &s, &opts, &CancelAfter(Default::default(), 10)), Err(Error::Cancelled)));
    assert!(matches!(best_server(&dem, &[s.clone(), s], &opts, 1.0, 7.0, &CancelAfter(Default::default(), 0)), Err(Error::Cancelled)));
}


proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Never a panic on any DEM, site or options: a map or an error; where a
    /// map says a cell was computed its RSRP is finite, and its line of sight known.
    #[test]
    fn never_panics(
        rows in 1usize..30,
        cols in 1usize..30,
        heights in prop::collection::vec(prop_oneof![9 => -50.0f32..900.0, 1 => Just(f32::NAN)], 900),
        at in (-50.0f64..350.0, -50.0f64..350.0),
        radius in prop_oneof![Just(0.0), 1.0f64..400.0, Just(f64::INFINITY)],
        height in 1.0f64..200.0,
        rx in 0.0f64..20.0,
        model in 0usize..4,
        unknown in any::<bool>(),
        clip in any::<bool>(),
    ) {
        let z = Array2::from_shape_vec((rows, cols), heights[..rows * cols].to_vec()).unwrap();
        let dem = grid(z, 10.0);
        let model = [RadioModel::itm(), RadioModel::diffraction(), RadioModel::tr38901(Tr38901Scenario::RMa), RadioModel::tr38901(Tr38901Scenario::UMiStreetCanyon).extrapolating()][model];
        let policy = if unknown { MissingTerrainPolicy::Unknown } else { MissingTerrainPolicy::Error };
        let opts = CoverageOptions::new(radius, model).with_receiver_height(rx).with_missing_terrain(policy).with_clip_to_dem(clip);
        let s = site("p", [at.0, at.1], height, 46.0);
        if let Ok(map) = site_coverage(&dem, &s, &opts, &()) {
            for (&p, &c) in map.rsrp_dbm().iter().zip(map.los_codes().iter()) {
                prop_assert!(p.is_nan() || (c <= 1 && p.is_finite()), "{p} {c}");
            }
        }
        let hh = Households::new(CRS, vec![[at.1, at.0], [150.0, 150.0]], None, None).unwrap();
        let mut ho = HouseholdRadioOptions::new(if radius.is_finite() && radius > 0.0 { radius } else { 100.0 }, model).with_missing_terrain(policy);
        ho.receiver_height_m = rx;
        let _ = household_signal(&dem, std::slice::from_ref(&s), &hh, &ho);
        let _ = best_server(&dem, &[s.clone(), s.with_position([at.1, at.0])], &opts, 0.5, 7.0, &());
    }
}
