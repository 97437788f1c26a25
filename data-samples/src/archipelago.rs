//! The fictional "Sample Islands": where the region box lies, which islands it
//! holds, their municipalities and how much fiber each has.
//!
//! The box is 45 km x 35.1 km of sea west of Kyushu, centred near 32.80 N,
//! 128.85 E (between the Goto islands and the Nagasaki peninsula), in
//! EPSG:6670 (JGD2011 / Japan Plane Rectangular CS II).

/// Projected CRS of the DEM, roads and fiber: JGD2011 / Japan Plane Rectangular CS II.
pub const EPSG_PROJECTED: u32 = 6670;
/// Geographic CRS of the households and towers: JGD2011 (lon/lat).
pub const EPSG_GEOGRAPHIC: u32 = 6668;
/// Upper-left corner of the box in EPSG:6670 easting/northing (metres), a multiple of 30 m.
/// The box centre (-201,390, -20,130) is 32.800 N, 128.850 E.
pub const ORIGIN: (f64, f64) = (-223_890.0, -2_580.0);
/// Width (west-east) of the box in metres.
pub const WIDTH_M: f64 = 45_000.0;
/// Height (south-north) of the box in metres.
pub const HEIGHT_M: f64 = 35_100.0;
/// Name of the archipelago.
pub const REGION_NAME: &str = "Sample Islands";

/// Centre of the box in EPSG:6670 metres; island geometry is given in km from here.
pub fn centre() -> (f64, f64) {
    (ORIGIN.0 + WIDTH_M / 2.0, ORIGIN.1 - HEIGHT_M / 2.0)
}

/// How much of an island the fiber operator has built out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FiberPlan {
    /// Backbone on the main roads and access fiber on local roads to villages of
    /// at least `min_households`, within `max_km` of the island's main town.
    Built { max_km: f64, min_households: u32 },
    /// No fiber at all (radio only).
    None,
}

/// One island of the archipelago: an ellipse warped by noise, with a mountain profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Island {
    /// Display name.
    pub name: &'static str,
    /// Two-letter code used in ids.
    pub code: &'static str,
    /// Municipality the island belongs to.
    pub municipality: &'static str,
    /// Centre in km east/north of the box centre.
    pub centre_km: (f64, f64),
    /// Semi-axes (major, minor) in km.
    pub semi_axes_km: (f64, f64),
    /// Unit vector of the major axis (east, north).
    pub major_axis: (f64, f64),
    /// Scale of the mountain relief in metres (peaks reach about 1.2 times this).
    pub relief_m: f64,
    /// Amplitude of the coastline domain warp in km (bays and headlands).
    pub warp_km: f64,
    /// Number of villages.
    pub villages: usize,
    /// How many of them lie inland in valleys (the rest are coastal).
    pub valley_villages: usize,
    /// Households on the island (target; the generator lands within a few of it).
    pub households: u32,
    /// Minimum distance between village centres in km.
    pub village_spacing_km: f64,
    /// Fiber build-out.
    pub fiber: FiberPlan,
}

/// The islands, main island first. Index in this list = island id.
pub fn islands() -> Vec<Island> {
    vec![
        Island {
            name: "Kazashima",
            code: "KZ",
            municipality: "Kazashima Town",
            centre_km: (-4.5, -1.0),
            semi_axes_km: (10.0, 7.5),
            // 25 degrees north of east.
            major_axis: (0.906_307_787_036_650, 0.422_618_261_740_699),
            relief_m: 430.0,
            warp_km: 2.2,
            villages: 24,
            valley_villages: 4,
            households: 8_200,
            village_spacing_km: 1.6,
            fiber: FiberPlan::Built {
                max_km: 30.0,
                min_households: 40,
            },
        },
        Island {
            name: "Tomarijima",
            code: "TM",
            municipality: "Tomari Town",
            centre_km: (12.5, 9.0),
            semi_axes_km: (4.6, 3.0),
            // 120 degrees from east.
            major_axis: (-0.5, 0.866_025_403_784_439),
            relief_m: 260.0,
            warp_km: 1.0,
            villages: 8,
            valley_villages: 1,
            households: 1_900,
            village_spacing_km: 1.2,
            fiber: FiberPlan::Built {
                max_km: 3.5,
                min_households: 60,
            },
        },
        Island {
            name: "Nagaurajima",
            code: "NG",
            municipality: "Nagaura Village",
            centre_km: (13.5, -10.5),
            semi_axes_km: (4.0, 2.6),
            // 40 degrees north of east.
            major_axis: (0.766_044_443_118_978, 0.642_787_609_686_539),
            relief_m: 230.0,
            warp_km: 0.9,
            villages: 6,
            valley_villages: 1,
            households: 1_100,
            village_spacing_km: 1.2,
            fiber: FiberPlan::None,
        },
        Island {
            name: "Kojima",
            code: "KO",
            municipality: "Kazashima Town",
            centre_km: (-17.5, 10.5),
            semi_axes_km: (1.4, 0.95),
            major_axis: (0.8, 0.6),
            relief_m: 80.0,
            warp_km: 0.25,
            villages: 1,
            valley_villages: 0,
            households: 46,
            village_spacing_km: 1.0,
            fiber: FiberPlan::None,
        },
        Island {
            name: "Eboshijima",
            code: "EB",
            municipality: "Tomari Town",
            centre_km: (19.3, 0.5),
            semi_axes_km: (1.1, 0.75),
            major_axis: (0.0, 1.0),
            relief_m: 95.0,
            warp_km: 0.2,
            villages: 1,
            valley_villages: 0,
            households: 27,
            village_spacing_km: 1.0,
            fiber: FiberPlan::None,
        },
    ]
}

/// The island that the submarine cable links to the main island (index 0).
pub const CABLE_ISLAND: usize = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_are_unit_vectors_and_islands_fit_the_box() {
        for isl in islands() {
            let (ux, uy) = isl.major_axis;
            assert!((ux * ux + uy * uy - 1.0).abs() < 1e-9, "{}", isl.name);
            let reach = isl.semi_axes_km.0 + isl.warp_km + 1.0;
            assert!(
                isl.centre_km.0.abs() + reach < WIDTH_M / 2000.0,
                "{}",
                isl.name
            );
            assert!(
                isl.centre_km.1.abs() + reach.min(isl.semi_axes_km.0 * 0.9 + isl.warp_km + 1.0)
                    < HEIGHT_M / 2000.0,
                "{}",
                isl.name
            );
        }
        assert_eq!(ORIGIN.0 % 30.0, 0.0);
        assert_eq!(ORIGIN.1 % 30.0, 0.0);
    }
}
