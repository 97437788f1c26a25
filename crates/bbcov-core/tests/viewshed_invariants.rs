//! Viewshed invariants on synthetic terrain: flat ground, a wall with its
//! exact geometric shadow, monotonicity in the antenna heights, agreement with
//! the exact R3 sightline, symmetry, and identical results on any number of threads.

mod synthetic_terrain;

use bbcov_core::{
    Dem, Error, GeoTransform, Progress, Viewshed, ViewshedOptions, Visibility, line_of_sight, viewshed, viewshed_with,
};
use ndarray::Array2;
use synthetic_terrain::{CRS, island_dem};

fn grid(z: Array2<f32>) -> Dem {
    let rows = z.nrows() as f64;
    Dem::new(z, GeoTransform::new(0.0, rows * 25.0, 25.0, 25.0), CRS, None).unwrap()
}

fn flat_earth(observer_m: f64, target_m: f64) -> ViewshedOptions {
    ViewshedOptions::new(observer_m, target_m, f64::INFINITY).with_k_factor(f64::INFINITY)
}

fn visible_cells(vs: &Viewshed) -> Vec<bool> {
    vs.codes().iter().map(|&c| c == Visibility::Visible.code()).collect()
}

/// FNV-1a over the codes: a fingerprint that must not depend on the thread count.
fn fingerprint(vs: &Viewshed) -> u64 {
    vs.codes().iter().fold(0xcbf2_9ce4_8422_2325, |h, &c| (h ^ c as u64).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn flat_ground_on_a_flat_earth_is_all_visible() {
    let dem = grid(Array2::from_elem((120, 170), 37.0));
    for (r, c) in [(0, 0), (60, 85), (119, 3), (7, 169)] {
        for h in [0.0, 1.5, 30.0] {
            let vs = viewshed(&dem, dem.cell_centre(r, c), &flat_earth(h, 0.0)).unwrap();
            assert_eq!(vs.count(Visibility::Visible), 120 * 170, "observer ({r}, {c}) at {h} m");
        }
    }
}

/// A wall across the DEM (one full column, `wall_m` high) on flat ground at 0 m.
/// For a target whose sightline runs more east-west than north-south, the
/// sightline crosses every column between observer and target; the wall
/// column is at `mw` major steps, flat ground elsewhere. R3's rule, written
/// directly: visible iff the target's rise per step (h_t + z_t − eye) / m is at
/// least that of every crossing, (z − eye) / m' for m' = 1..m−1.
fn wall_rule(m: i64, mw: i64, wall_m: f64, eye: f64, target_ground: f64, target_m: f64) -> Visibility {
    let horizon = (1..m).map(|k| ((if k == mw { wall_m } else { 0.0 }) - eye) / k as f64).fold(f64::NEG_INFINITY, f64::max);
    if (target_ground + target_m - eye) / m as f64 >= horizon { Visibility::Visible } else { Visibility::Invisible }
}

#[test]
fn a_wall_hides_exactly_its_geometric_shadow() {
    let (rows, cols, wall_col, wall_m) = (121, 181, 100, 25.0);
    let dem = grid(Array2::from_shape_fn((rows, cols), |(_, c)| if c == wall_col { wall_m as f32 } else { 0.0 }));
    let observer = (60usize, 40usize);
    let mut checked = 0;
    for (eye, target_m) in [(10.0, 0.0), (10.0, 1.5), (40.0, 1.5), (100.0, 0.0)] {
        let o = flat_earth(eye, target_m);
        let vs = viewshed(&dem, dem.cell_centre(observer.0, observer.1), &o).unwrap();
        let mut hidden = 0;
        for ((r, c), &code) in vs.codes().indexed_iter() {
            let (dr, dc) = (r as i64 - observer.0 as i64, c as i64 - observer.1 as i64);
            if dc <= 0 || dr.abs() > dc {
                continue; // only sightlines running eastwards more than north-south
            }
            let ground = if c == wall_col { wall_m } else { 0.0 };
            let expected = wall_rule(dc, wall_col as i64 - observer.1 as i64, wall_m, eye, ground, target_m);
            assert_eq!(Visibility::from_code(code), Some(expected), "eye {eye} m, target {target_m} m: cell ({r}, {c})");
            let los = line_of_sight(&dem, dem.cell_centre(observer.0, observer.1), dem.cell_centre(r, c), &o).unwrap();
            assert_eq!(los, expected, "line_of_sight, eye {eye} m: cell ({r}, {c})");
            hidden += usize::from(expected == Visibility::Invisible);
            checked += 1;
        }
        assert!(hidden > 0 || eye >= 100.0, "the wall should hide something at eye {eye} m");
    }
    assert!(checked > 10_000);
}

#[test]
fn raising_the_observer_or_the_target_never_shrinks_the_visible_set() {
    let dem = island_dem(241, 30.0, 7);
    for (r, c) in [(120, 120), (40, 200), (230, 15)] {
        let p = dem.cell_centre(r, c);
        let mut previous: Option<Vec<bool>> = None;
        for h in [0.0, 2.0, 10.0, 30.0, 100.0] {
            let vis = visible_cells(&viewshed(&dem, p, &ViewshedOptions::new(h, 1.5, 5_000.0)).unwrap());
            if let Some(prev) = &previous {
                let lost = prev.iter().zip(&vis).filter(|&(&a, &b)| a && !b).count();
                assert_eq!(lost, 0, "observer ({r}, {c}) raised to {h} m lost {lost} visible cells");
            }
            previous = Some(vis);
        }
        let mut previous: Option<Vec<bool>> = None;
        for t in [0.0, 1.5, 10.0, 50.0] {
            let vis = visible_cells(&viewshed(&dem, p, &ViewshedOptions::new(30.0, t, 5_000.0)).unwrap());
            if let Some(prev) = &previous {
                assert!(prev.iter().zip(&vis).all(|(&a, &b)| !a || b), "target raised to {t} m lost cells");
            }
            previous = Some(vis);
        }
    }
}

#[test]
fn the_ray_sweep_agrees_with_exact_sightlines() {
    // R2 (one ray per edge cell) against R3 (one sightline per cell) on rough terrain.
    let dem = island_dem(201, 30.0, 11);
    let o = ViewshedOptions::new(30.0, 1.5, f64::INFINITY);
    let (or, oc) = (100, 100);
    let observer = dem.cell_centre(or, oc);
    let vs = viewshed(&dem, observer, &o).unwrap();
    let (mut same, mut total, mut visible) = (0usize, 0usize, 0usize);
    for ((r, c), &code) in vs.codes().indexed_iter() {
        let exact = line_of_sight(&dem, observer, dem.cell_centre(r, c), &o).unwrap();
        same += usize::from(exact.code() == code);
        total += 1;
        visible += usize::from(exact == Visibility::Visible);
        let on_ray = r == or || c == oc || r.abs_diff(or) == c.abs_diff(oc) || r == 0 || c == 0 || r == 200 || c == 200;
        if on_ray {
            // Rays pass exactly through these centres: the same sightline, up to rounding.
            assert_eq!(Some(exact), Visibility::from_code(code), "cell ({r}, {c}) lies on a ray");
        }
    }
    let agreement = same as f64 / total as f64;
    let share = visible as f64 / total as f64;
    assert!((0.2..0.9).contains(&share), "the terrain should hide a fair part: {share}");
    // 99.33 % on this deliberately rough terrain (white-noise-like relief at the cell scale);
    // 99.8 % within 30 km of a hilltop on the 2101² DEM of benches/viewshed_vs_gdal.sh.
    assert!(agreement >= 0.99, "R2 vs R3 agreement {agreement:.5} ({} of {total} cells differ)", total - same);
}

#[test]
fn a_mirror_symmetric_dem_gives_a_mirror_symmetric_viewshed() {
    let half = island_dem(161, 30.0, 3);
    let z = Array2::from_shape_fn((161, 161), |(r, c)| half.heights()[(r, c.min(160 - c))]);
    let dem = Dem::new(z, *half.transform(), CRS, None).unwrap();
    let vs = viewshed(&dem, dem.cell_centre(57, 80), &ViewshedOptions::new(20.0, 1.5, 2_000.0)).unwrap();
    let codes = vs.codes();
    let cols = codes.ncols();
    for ((r, c), &code) in codes.indexed_iter() {
        assert_eq!(code, codes[(r, cols - 1 - c)], "cell ({r}, {c})");
    }
}

#[test]
fn the_result_does_not_depend_on_the_thread_count() {
    let dem = island_dem(301, 30.0, 5);
    let p = dem.cell_centre(150, 150);
    let o = ViewshedOptions::new(30.0, 1.5, 4_000.0);
    let reference = viewshed(&dem, p, &o).unwrap();
    // The same fingerprint with and without the `parallel` feature (`make test` runs both).
    // The terrain and the sweep use IEEE arithmetic only (no libm), so it is portable.
    assert_eq!(fingerprint(&reference), 4_300_711_072_933_202_796, "fingerprint of the reference viewshed");
    #[cfg(feature = "parallel")]
    for threads in [1, 2, 3, 8] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let vs = pool.install(|| viewshed(&dem, p, &o)).unwrap();
        assert_eq!(vs, reference, "{threads} threads");
    }
}

#[test]
fn cancellation_stops_the_sweep() {
    struct Cancel;
    impl Progress for Cancel {
        fn is_cancelled(&self) -> bool {
            true
        }
    }
    let dem = island_dem(51, 30.0, 1);
    let r = viewshed_with(&dem, dem.cell_centre(25, 25), &ViewshedOptions::new(10.0, 1.5, 1_000.0), &Cancel);
    assert!(matches!(r, Err(Error::Cancelled)));
}
