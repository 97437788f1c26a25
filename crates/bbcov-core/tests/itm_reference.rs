//! Differential test of the ITM point-to-point mode against the published
//! test cases of the NTIA/ITS reference implementation (github NTIA/itm,
//! `tests/p2p.csv` with the terrain profiles of `tests/pfls.csv`; see
//! `tests/data/itm/README.md`).
//!
//! Every case of the file is run; the reference prints the basic transmission
//! loss with two decimals, so a correct implementation agrees within 0.005 dB
//! plus floating-point noise. The acceptance bound is 0.1 dB.

use bbcov_core::propagation::itm::{
    Climate, ItmParams, Mdvar, P2pResult, Polarization, Profile, PropagationMode, Quantiles, p2p,
};

const P2P_CSV: &str = include_str!("data/itm/p2p.csv");
const PFLS_CSV: &str = include_str!("data/itm/pfls.csv");

/// Agreement required with the reference's printed values (two decimals).
const TOLERANCE_DB: f64 = 0.006;

struct Case {
    params: ItmParams,
    quantiles: Quantiles,
    a_db: f64,
}

fn parse_cases() -> Vec<Case> {
    let mut lines = P2P_CSV.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (h_tx, h_rx, eps, sigma, n_0, f, pol, climate, time, location, situation, mdvar, a) = (
        col("h_tx__meter"),
        col("h_rx__meter"),
        col("epsilon"),
        col("sigma"),
        col("N_0"),
        col("f__mhz"),
        col("pol"),
        col("climate"),
        col("time"),
        col("location"),
        col("situation"),
        col("mdvar"),
        col("A__db"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Vec<f64> = line
                .split(',')
                .map(|x| x.trim().parse().expect("number"))
                .collect();
            Case {
                params: ItmParams {
                    h_tx_m: v[h_tx],
                    h_rx_m: v[h_rx],
                    climate: Climate::from_code(v[climate] as i32).unwrap(),
                    n_0: v[n_0],
                    f_mhz: v[f],
                    polarization: Polarization::from_code(v[pol] as i32).unwrap(),
                    epsilon: v[eps],
                    sigma: v[sigma],
                    mdvar: Mdvar::from_code(v[mdvar] as i32).unwrap(),
                },
                quantiles: Quantiles::tls(v[time], v[location], v[situation]),
                a_db: v[a],
            }
        })
        .collect()
}

/// One `pfl` array per line: number of intervals, spacing (m), elevations (m).
fn parse_profiles() -> Vec<Vec<f64>> {
    PFLS_CSV
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .map(|x| x.trim().parse().expect("number"))
                .collect()
        })
        .collect()
}

fn run_all() -> Vec<(Case, P2pResult)> {
    let cases = parse_cases();
    let profiles = parse_profiles();
    assert_eq!(cases.len(), profiles.len(), "one profile per case");
    assert!(cases.len() >= 5);
    cases
        .into_iter()
        .zip(&profiles)
        .map(|(case, pfl)| {
            let profile = Profile::from_pfl(pfl).expect("valid pfl");
            let r = p2p(&case.params, &profile, case.quantiles).expect("prediction");
            (case, r)
        })
        .collect()
}

#[test]
fn the_data_files_are_complete() {
    let profiles = parse_profiles();
    let intervals: Vec<usize> = profiles.iter().map(|p| p[0] as usize).collect();
    assert_eq!(intervals, [3679, 78, 280, 286, 255]);
    for p in &profiles {
        assert_eq!(
            p.len(),
            p[0] as usize + 3,
            "np + 1 elevations after np and xi"
        );
    }
}

#[test]
fn basic_transmission_loss_matches_the_reference() {
    let mut worst: f64 = 0.0;
    for (i, (case, r)) in run_all().iter().enumerate() {
        let diff = (r.a_db - case.a_db).abs();
        println!(
            "case {}: A = {:.4} dB, reference {:.2} dB, |diff| = {:.4} dB, mode {:?}, d = {:.3} km, warnings: {}",
            i + 1,
            r.a_db,
            case.a_db,
            diff,
            r.intermediate.mode,
            r.intermediate.d_km,
            r.warnings
        );
        assert!(
            diff <= TOLERANCE_DB,
            "case {}: {} dB vs reference {} dB",
            i + 1,
            r.a_db,
            case.a_db
        );
        worst = worst.max(diff);
    }
    println!("max |diff| = {worst:.4} dB");
}

#[test]
fn intermediate_values_are_consistent() {
    for (i, (case, r)) in run_all().iter().enumerate() {
        let iv = &r.intermediate;
        // Free-space loss of the path length.
        let fs = 32.45 + 20.0 * case.params.f_mhz.log10() + 20.0 * iv.d_km.log10();
        assert!((iv.a_fs_db - fs).abs() < 1e-9, "case {}", i + 1);
        assert!(iv.a_ref_db >= 0.0 && iv.delta_h_m >= 0.0);
        assert!(iv.n_s > 150.0 && iv.n_s <= case.params.n_0 + 1e-9);
        assert!(iv.h_e_m[0] >= case.params.h_tx_m && iv.h_e_m[1] >= case.params.h_rx_m);
        assert!(iv.d_hzn_m.iter().all(|&d| d > 0.0 && d <= iv.d_km * 1000.0));
        assert!(iv.theta_hzn_rad.iter().all(|t| t.is_finite()));
        // The longest path (368 km, 230 MHz) is far beyond the diffraction
        // region; the others are not.
        assert_eq!(
            iv.mode == PropagationMode::Troposcatter,
            i == 0,
            "case {}",
            i + 1
        );
    }
}

#[test]
fn loss_at_reproduces_the_cases() {
    // Re-evaluating the variability on a stored path gives the same loss.
    for (case, r) in run_all() {
        let (a, w) = r.loss_at(case.quantiles).unwrap();
        assert_eq!(a, r.a_db);
        assert_eq!(w, r.warnings);
    }
}
