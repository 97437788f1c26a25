//! Fiber coverage of the real 2015 census households of Nagasaki's island
//! municipalities (e-Stat small areas, ../shared/data/real/census2015_small_area),
//! against a fiber layer built by a simple rule. Skipped when the data is absent.

use std::collections::BTreeMap;
use std::path::PathBuf;

use bbcov_core::{Crs, FiberNetwork, Households, fiber_coverage, summarize};
use bbcov_io::{LayerSpec, read_households};

fn census_points() -> Option<PathBuf> {
    let shared = std::env::var_os("BBCOV_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let path = shared.join("data/real/census2015_small_area/nagasaki_islands_census2015_points.geojson");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("SKIPPED: real census data not found at {} (set BBCOV_SHARED)", path.display());
        None
    }
}

fn read(target: Option<Crs>) -> Option<Households> {
    let spec = LayerSpec {
        weight_field: Some("households_2015".into()),
        id_field: Some("KEY_CODE".into()),
        area_fields: vec!["city".into()],
        target,
        ..Default::default()
    };
    Some(read_households(&census_points()?, &spec).expect("the census layer reads"))
}

/// Fiber by a simple rule: in each municipality, a minimum spanning tree
/// (Prim, on projected coordinates) over the small areas with at least 100
/// households; edges as pairs of household indices.
fn spanning_tree(hh: &Households) -> Vec<[usize; 2]> {
    assert!(matches!(hh.crs(), Crs::Projected { .. }));
    let city = hh.area("city").unwrap();
    let mut edges = Vec::new();
    for code in 0..city.labels().len() as u32 {
        let index: Vec<usize> = (0..hh.len()).filter(|&i| city.codes()[i] == code && hh.weights()[i] >= 100.0).collect();
        let nodes: Vec<[f64; 2]> = index.iter().map(|&i| hh.coords()[i]).collect();
        let mut inside = vec![false; nodes.len()];
        let mut best = vec![(f64::INFINITY, 0usize); nodes.len()];
        let mut current = 0;
        for _ in 1..nodes.len() {
            inside[current] = true;
            for j in 0..nodes.len() {
                let d = (nodes[j][0] - nodes[current][0]).hypot(nodes[j][1] - nodes[current][1]);
                if !inside[j] && d < best[j].0 {
                    best[j] = (d, current);
                }
            }
            let next = (0..nodes.len()).filter(|&j| !inside[j]).min_by(|&a, &b| best[a].0.total_cmp(&best[b].0)).unwrap();
            edges.push([index[best[next].1], index[next]]);
            current = next;
        }
    }
    edges
}

fn fiber_along(edges: &[[usize; 2]], hh: &Households) -> FiberNetwork {
    let lines = edges.iter().map(|&[a, b]| vec![hh.coords()[a], hh.coords()[b]]).collect();
    FiberNetwork::new(hh.crs(), lines, None).unwrap()
}

#[test]
fn island_municipalities_fiber_coverage() {
    let Some(hh) = read(Some(Crs::Projected { epsg: 6669 })) else { return };
    assert_eq!(hh.len(), 1078);

    // Household totals published with the data (2015 census, e-Stat).
    let totals: BTreeMap<&str, f64> = [("対馬市", 13_393.0), ("壱岐市", 10_002.0), ("五島市", 17_425.0), ("小値賀町", 1_210.0), ("新上五島町", 8_996.0)].into();
    let fiber = fiber_along(&spanning_tree(&hh), &hh);
    let cov = fiber_coverage(&hh, &fiber, 300.0).unwrap();
    let rows = summarize(&hh, &cov.served(), Some("city")).unwrap();
    for row in &rows {
        eprintln!("{:<10} {:>8} households, {:>8} within 300 m of the tree", row.area, row.weight, row.served_weight);
        if let Some(&published) = totals.get(row.area.as_str()) {
            assert_eq!(row.weight, published, "{}", row.area);
        }
        assert!(row.served_weight <= row.weight);
    }
    assert_eq!(rows.last().unwrap().weight, totals.values().sum::<f64>());

    // Every tree node lies on the fiber.
    for i in (0..hh.len()).filter(|&i| hh.weights()[i] >= 100.0) {
        assert!(cov.distances_m()[i] < 1e-6, "node {i} at {} m", cov.distances_m()[i]);
    }
}

/// The same computation in lon/lat (bbcov's own local transverse Mercator
/// frame) and in JGD2011 / Japan Plane Rectangular CS I (EPSG:6669, by PROJ)
/// gives the same distances up to the two projections' scale difference
/// (CS I has k0 = 0.9999; both grow by about x²/2R² off their meridians).
#[test]
fn local_frame_agrees_with_plane_rectangular() {
    let (Some(projected), Some(lonlat)) = (read(Some(Crs::Projected { epsg: 6669 })), read(Some(Crs::LonLat))) else { return };
    let tree = spanning_tree(&projected);
    let a = fiber_coverage(&projected, &fiber_along(&tree, &projected), 300.0).unwrap();
    let b = fiber_coverage(&lonlat, &fiber_along(&tree, &lonlat), 300.0).unwrap();
    let mut worst: f64 = 0.0;
    for (da, db) in a.distances_m().iter().zip(b.distances_m()) {
        if *da > 100.0 {
            worst = worst.max((da - db).abs() / da);
        }
    }
    eprintln!("largest relative difference of distances: {worst:.2e}");
    assert!(worst < 5e-4, "{worst}");
}
