//! Existing mobile base stations: a dozen sites in the main towns and on a few
//! hilltops; none on the small islets.

use crate::archipelago::Island;
use crate::land_grid::LandGrid;
use crate::settlements::{Building, Village};

/// Radio technology of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Technology {
    /// LTE.
    Lte,
    /// 5G NR (sub-6).
    Nr,
    /// Local 5G (private network, 4.7 GHz band).
    Local5g,
}

impl Technology {
    /// Attribute value written to the files.
    pub fn as_str(self) -> &'static str {
        match self {
            Technology::Lte => "4G",
            Technology::Nr => "5G",
            Technology::Local5g => "local5G",
        }
    }
}

/// An existing base station (one antenna system).
#[derive(Debug, Clone, PartialEq)]
pub struct Tower {
    /// Unique id, e.g. `SI-T03`.
    pub site_id: String,
    /// Position in EPSG:6670.
    pub x: f64,
    /// Position in EPSG:6670.
    pub y: f64,
    /// Island index.
    pub island: usize,
    /// Antenna height above ground, metres.
    pub height_m: f64,
    /// Technology.
    pub technology: Technology,
    /// Carrier frequency, MHz.
    pub frequency_mhz: u32,
    /// Effective isotropic radiated power, dBm.
    pub eirp_dbm: f64,
    /// Sector bearing in degrees clockwise from north; `None` for omni.
    pub azimuth_deg: Option<u32>,
    /// Operator.
    pub operator: String,
}

/// Where a planned site goes relative to its village.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// In the village, `k` x ~200 m from the centre (k = 0: the centre).
    Town(usize),
    /// On the highest ground within `km` of the village.
    Hill(f64),
}

struct Plan {
    island: usize,
    rank: usize,
    place: Place,
    technology: Technology,
    frequency_mhz: u32,
    height_m: f64,
    eirp_dbm: f64,
    sector: bool,
    operator: Option<&'static str>,
}

const KAIYO: Option<&str> = Some("Kaiyo Mobile");
const SHIOKAZE: Option<&str> = Some("Shiokaze Telecom");

fn plans() -> Vec<Plan> {
    use Place::*;
    use Technology::*;
    let p =
        |island, rank, place, technology, frequency_mhz, height_m, eirp_dbm, sector, operator| {
            Plan {
                island,
                rank,
                place,
                technology,
                frequency_mhz,
                height_m,
                eirp_dbm,
                sector,
                operator,
            }
        };
    vec![
        p(0, 0, Hill(2.0), Lte, 800, 40.0, 61.0, false, KAIYO),
        p(0, 0, Town(0), Lte, 1700, 30.0, 59.0, false, SHIOKAZE),
        p(0, 0, Town(1), Nr, 3700, 25.0, 65.0, true, KAIYO),
        // Local 5G run by the municipality (None: the island's municipality).
        p(0, 0, Town(2), Local5g, 4800, 15.0, 50.0, false, None),
        p(0, 1, Town(0), Lte, 800, 35.0, 60.0, false, KAIYO),
        p(0, 2, Town(0), Lte, 1700, 35.0, 59.0, false, SHIOKAZE),
        p(0, 3, Town(0), Lte, 800, 35.0, 60.0, false, KAIYO),
        p(0, 1, Hill(5.0), Lte, 800, 40.0, 62.0, false, SHIOKAZE),
        p(1, 0, Town(0), Lte, 800, 35.0, 60.0, false, KAIYO),
        p(1, 0, Town(1), Nr, 3700, 25.0, 64.0, true, KAIYO),
        p(2, 0, Town(0), Lte, 800, 35.0, 60.0, false, SHIOKAZE),
        p(2, 1, Hill(2.5), Lte, 700, 40.0, 61.0, false, KAIYO),
    ]
}

/// Places the existing base stations.
pub fn erect_towers(
    grid: &LandGrid,
    islands: &[Island],
    villages: &[Village],
    buildings: &[Building],
) -> Vec<Tower> {
    let mut towers: Vec<Tower> = Vec::new();
    let mut used: Vec<usize> = Vec::new();
    for plan in plans() {
        let members: Vec<&Village> = villages
            .iter()
            .filter(|v| v.island == plan.island)
            .collect();
        let Some(village) = members.get(plan.rank).or(members.first()) else {
            continue;
        };
        let cells = (0..grid.cols * grid.rows)
            .filter(|&i| grid.mainland[i] && grid.island[i] as usize == plan.island);
        let dist = |i: usize| {
            let (x, y) = grid.centre(i);
            (x - village.x).hypot(y - village.y)
        };
        let cell = match plan.place {
            Place::Town(0) if !used.contains(&village.cell) => Some(village.cell),
            Place::Town(k) => cells
                .filter(|i| {
                    !used.contains(i)
                        && dist(*i) < 600.0
                        && grid.elevation[*i] < grid.elevation[village.cell] + 40.0
                })
                .min_by(|&a, &b| {
                    (dist(a) - 200.0 * k as f64)
                        .abs()
                        .total_cmp(&(dist(b) - 200.0 * k as f64).abs())
                        .then(a.cmp(&b))
                }),
            Place::Hill(km) => cells
                .filter(|i| !used.contains(i) && dist(*i) <= km * 1000.0)
                .max_by(|&a, &b| {
                    grid.elevation[a]
                        .total_cmp(&grid.elevation[b])
                        .then(b.cmp(&a))
                }),
        };
        let Some(cell) = cell else { continue };
        used.push(cell);
        let (x, y) = grid.centre(cell);
        let azimuth_deg = plan.sector.then(|| bearing_to_households(x, y, buildings));
        let operator = plan.operator.map_or_else(
            || islands[plan.island].municipality.to_string(),
            str::to_string,
        );
        towers.push(Tower {
            site_id: format!("SI-T{:02}", towers.len() + 1),
            x,
            y,
            island: plan.island,
            height_m: plan.height_m,
            technology: plan.technology,
            frequency_mhz: plan.frequency_mhz,
            eirp_dbm: plan.eirp_dbm,
            azimuth_deg,
            operator,
        });
    }
    towers
}

/// Bearing (degrees clockwise from north, 0-359) from (x, y) to the household-weighted
/// centroid of the buildings within 3 km.
fn bearing_to_households(x: f64, y: f64, buildings: &[Building]) -> u32 {
    let (mut sx, mut sy) = (0.0, 0.0);
    for b in buildings {
        let (dx, dy) = (b.x - x, b.y - y);
        if dx.hypot(dy) < 3000.0 {
            sx += dx * b.households as f64;
            sy += dy * b.households as f64;
        }
    }
    let deg = sx.atan2(sy).to_degrees().round() as i64;
    deg.rem_euclid(360) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearing_is_clockwise_from_north() {
        let b = |x, y| Building {
            id: String::new(),
            x,
            y,
            households: 1,
            population: 1,
            village: 0,
        };
        assert_eq!(bearing_to_households(0.0, 0.0, &[b(0.0, 100.0)]), 0);
        assert_eq!(bearing_to_households(0.0, 0.0, &[b(100.0, 0.0)]), 90);
        assert_eq!(bearing_to_households(0.0, 0.0, &[b(-100.0, 0.0)]), 270);
    }
}
