//! Villages and their buildings: villages sited on flat, low ground near the
//! coast or in valleys, sized by a rank-size rule; households placed as one
//! point per building around each village centre.

use crate::archipelago::Island;
use crate::land_grid::LandGrid;
use crate::prng::Rng;
use crate::terrain::Dem;

/// A village (settlement).
#[derive(Debug, Clone, PartialEq)]
pub struct Village {
    /// Unique name.
    pub name: String,
    /// Island index.
    pub island: usize,
    /// Land-grid cell of the centre.
    pub cell: usize,
    /// Centre in EPSG:6670.
    pub x: f64,
    /// Centre in EPSG:6670.
    pub y: f64,
    /// Households (sum over its buildings).
    pub households: u32,
    /// Residents (sum over its buildings).
    pub population: u32,
}

/// A residential building: one household point with a weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Building {
    /// Unique id, e.g. `KZ03-0012` (island code, village number, building number).
    pub id: String,
    /// Position in EPSG:6670.
    pub x: f64,
    /// Position in EPSG:6670.
    pub y: f64,
    /// Households in the building (1-4).
    pub households: u32,
    /// Residents.
    pub population: u32,
    /// Index of its village.
    pub village: usize,
}

const NAME_HEADS: [&str; 24] = [
    "Ura", "Naka", "Hama", "Kita", "Minami", "Nishi", "Higashi", "Taka", "Oka", "Shio", "Iso",
    "Matsu", "Tsuru", "Kame", "Funa", "Seto", "Aki", "Hoshi", "Kawa", "Ishi", "Miya", "Ao", "Kuro",
    "Yoshi",
];
const NAME_TAILS: [&str; 12] = [
    "ura", "hama", "zaki", "gawa", "no", "shita", "tsu", "oka", "mura", "se", "ba", "sato",
];

/// Sites the villages of every island and gives them target sizes.
/// Villages come grouped by island (in island order), largest first within an island.
pub fn site_villages(grid: &LandGrid, islands: &[Island], rng: &mut Rng) -> Vec<Village> {
    let mut villages = Vec::new();
    let mut used_names = std::collections::BTreeSet::new();
    for (id, isl) in islands.iter().enumerate() {
        let on_island = |i: &usize| grid.mainland[*i] && grid.island[*i] as usize == id;
        // Coastal candidates: low, gentle, near the sea; scored by flatness, closeness
        // to the coast, lowness, plus chance.
        let coastal: Vec<(f64, usize)> = (0..grid.cols * grid.rows)
            .filter(on_island)
            .filter(|&i| {
                grid.elevation[i] < 70.0 && grid.slope[i] < 0.15 && grid.coast_m[i] < 2500.0
            })
            .map(|i| {
                let score = (1.0 - grid.slope[i] / 0.15)
                    + 1.2 / (1.0 + grid.coast_m[i] / 500.0)
                    + 0.6 * (1.0 - grid.elevation[i] / 70.0)
                    + 0.8 * rng.uniform();
                (score, i)
            })
            .collect();
        // Valley candidates: inland, flat valley floors, the lower the better.
        let valley: Vec<(f64, usize)> = (0..grid.cols * grid.rows)
            .filter(on_island)
            .filter(|&i| {
                grid.coast_m[i] > 1500.0 && grid.elevation[i] < 220.0 && grid.slope[i] < 0.10
            })
            .map(|i| {
                let score = (1.0 - grid.slope[i] / 0.10)
                    + (1.0 - grid.elevation[i] / 220.0)
                    + 0.8 * rng.uniform();
                (score, i)
            })
            .collect();
        // A steep islet: settle on its lowest mainland cell.
        let lowest: Vec<(f64, usize)> = (0..grid.cols * grid.rows)
            .filter(on_island)
            .map(|i| (-grid.elevation[i], i))
            .collect();
        let n_valley = isl.valley_villages.min(isl.villages);
        let mut chosen: Vec<usize> = Vec::new();
        for (pool, wanted) in [
            (coastal, isl.villages - n_valley),
            (valley, isl.villages),
            (lowest, isl.villages),
        ] {
            let mut pool = pool;
            pool.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut spacing = isl.village_spacing_km * 1000.0;
            while chosen.len() < wanted && spacing > 100.0 {
                for &(_, i) in &pool {
                    if chosen.len() == wanted {
                        break;
                    }
                    let (x, y) = grid.centre(i);
                    let far = chosen.iter().all(|&j| {
                        let (xj, yj) = grid.centre(j);
                        (x - xj).hypot(y - yj) >= spacing
                    });
                    if far {
                        chosen.push(i);
                    }
                }
                spacing *= 0.8;
            }
        }
        let sizes = rank_sizes(chosen.len(), isl.households, rng);
        for (&cell, &households) in chosen.iter().zip(&sizes) {
            let (x, y) = grid.centre(cell);
            let name = loop {
                let name = format!(
                    "{}{}",
                    NAME_HEADS[rng.below(NAME_HEADS.len())],
                    NAME_TAILS[rng.below(NAME_TAILS.len())]
                );
                if used_names.insert(name.clone()) {
                    break name;
                }
            };
            villages.push(Village {
                name,
                island: id,
                cell,
                x,
                y,
                households,
                population: 0,
            });
        }
    }
    villages
}

/// Village sizes for `n` villages summing to `total`: a rank-size rule
/// size_k ~ 1 / (k + k^2 / 10), with +-25 % noise, largest first.
fn rank_sizes(n: usize, total: u32, rng: &mut Rng) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    let mut raw: Vec<f64> = (1..=n)
        .map(|k| {
            let k = k as f64;
            (0.75 + 0.5 * rng.uniform()) / (k + k * k / 10.0)
        })
        .collect();
    raw.sort_by(|a, b| b.total_cmp(a));
    let sum: f64 = raw.iter().sum();
    let mut sizes: Vec<u32> = raw
        .iter()
        .map(|r| ((r / sum * total as f64).round() as u32).max(8))
        .collect();
    // Put the rounding remainder on the largest village.
    let assigned: u32 = sizes.iter().sum();
    sizes[0] = (sizes[0] as i64 + total as i64 - assigned as i64).max(8) as u32;
    sizes
}

/// Places buildings around each village until it holds its target households.
/// Buildings avoid the sea, steep ground and ground far above the village centre.
/// Fills in each village's population.
pub fn place_buildings(
    dem: &Dem,
    islands: &[Island],
    villages: &mut [Village],
    rng: &mut Rng,
) -> Vec<Building> {
    let mut buildings = Vec::new();
    let mut numbers = vec![0usize; islands.len()];
    for (v, village) in villages.iter_mut().enumerate() {
        numbers[village.island] += 1;
        let code = islands[village.island].code;
        let vnum = numbers[village.island];
        let sigma = (20.0 * (village.households as f64).sqrt()).max(80.0);
        let centre_h = dem.sample(village.x, village.y);
        let mut left = village.households;
        let mut count = 0;
        let mut population = 0;
        while left > 0 {
            let households = (match rng.uniform() {
                u if u < 0.82 => 1,
                u if u < 0.93 => 2,
                u if u < 0.98 => 3,
                _ => 4,
            } as u32)
                .min(left);
            let (mut x, mut y) = (village.x, village.y);
            let mut placed = false;
            for _ in 0..200 {
                let (cx, cy) = (
                    village.x + sigma * rng.normal(),
                    village.y + sigma * rng.normal(),
                );
                let h = dem.sample(cx, cy);
                if h > 0.3
                    && h < centre_h + 60.0
                    && dem.slope(cx, cy) < 0.3
                    && dem.island_at(cx, cy) == Some(village.island)
                {
                    (x, y, placed) = (cx, cy, true);
                    break;
                }
            }
            if !placed {
                // Crowded coast: stand next to the centre (inland by construction).
                x += rng.range(-30.0, 30.0);
                y += rng.range(-30.0, 30.0);
            }
            let residents: u32 = (0..households)
                .map(|_| match rng.uniform() {
                    u if u < 0.33 => 1,
                    u if u < 0.67 => 2,
                    u if u < 0.83 => 3,
                    u if u < 0.94 => 4,
                    _ => 5,
                })
                .sum();
            count += 1;
            buildings.push(Building {
                id: format!("{code}{vnum:02}-{count:04}"),
                x,
                y,
                households,
                population: residents,
                village: v,
            });
            population += residents;
            left -= households;
        }
        village.population = population;
    }
    buildings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_sizes_sum_to_total_and_decrease() {
        let mut rng = Rng::new(1, 1);
        let s = rank_sizes(24, 8200, &mut rng);
        assert_eq!(s.iter().sum::<u32>(), 8200);
        assert!(s.windows(2).all(|w| w[0] >= w[1]));
        assert!(s[0] > 10 * s[23], "{s:?}");
        assert_eq!(rank_sizes(1, 46, &mut rng), vec![46]);
    }
}
