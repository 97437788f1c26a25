//! The whole sample region in memory: terrain, villages, buildings, roads,
//! fiber, towers and coastline, generated from one seed.

use crate::archipelago::{self, Island};
use crate::coastline::{LandPolygon, land_polygons};
use crate::fiber::{FiberRoute, lay_fiber};
use crate::land_grid::LandGrid;
use crate::prng::Rng;
use crate::roads::RoadNetwork;
use crate::settlements::{Building, Village, place_buildings, site_villages};
use crate::terrain::Dem;
use crate::towers::{Tower, erect_towers};

/// Seed of the published sample region.
pub const DEFAULT_SEED: u64 = 20_240_601;

/// Generation settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Seed of every random choice.
    pub seed: u64,
    /// DEM pixel size in metres (30 for the published region; tests use coarser grids).
    pub pixel_m: f64,
    /// Cell size of the grid villages and roads are laid on, metres.
    pub cell_m: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: DEFAULT_SEED,
            pixel_m: 30.0,
            cell_m: 90.0,
        }
    }
}

/// The generated region.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The settings it was generated with.
    pub config: Config,
    /// Islands (index = island id).
    pub islands: Vec<Island>,
    /// Terrain and bathymetry.
    pub dem: Dem,
    /// Villages, grouped by island, largest first.
    pub villages: Vec<Village>,
    /// Residential buildings (household points).
    pub buildings: Vec<Building>,
    /// Roads.
    pub roads: RoadNetwork,
    /// Fiber routes.
    pub fiber: Vec<FiberRoute>,
    /// Existing base stations.
    pub towers: Vec<Tower>,
    /// Land polygons (coastline).
    pub land: Vec<LandPolygon>,
}

impl Region {
    /// Generates the region; the same config always gives the same region.
    pub fn generate(config: Config) -> Region {
        let islands = archipelago::islands();
        let dem = Dem::generate(&islands, config.seed, config.pixel_m);
        let grid = LandGrid::new(&dem, config.cell_m);
        let mut villages = site_villages(&grid, &islands, &mut Rng::new(config.seed, 1));
        let buildings =
            place_buildings(&dem, &islands, &mut villages, &mut Rng::new(config.seed, 2));
        let roads = RoadNetwork::build(&dem, &grid, &islands, &villages, &buildings);
        let fiber = lay_fiber(&dem, &grid, &islands, &villages, &roads);
        let towers = erect_towers(&grid, &islands, &villages, &buildings);
        let land = land_polygons(
            &dem,
            config.pixel_m / 3.0,
            2.0 * config.pixel_m * config.pixel_m,
        );
        Region {
            config,
            islands,
            dem,
            villages,
            buildings,
            roads,
            fiber,
            towers,
            land,
        }
    }

    /// Total households.
    pub fn households(&self) -> u32 {
        self.buildings.iter().map(|b| b.households).sum()
    }

    /// Total residents.
    pub fn population(&self) -> u32 {
        self.buildings.iter().map(|b| b.population).sum()
    }

    /// Island of a building.
    pub fn island_of(&self, b: &Building) -> &Island {
        &self.islands[self.villages[b.village].island]
    }

    /// Households within `max_drop_m` of fiber per island, then a `"total"` row,
    /// computed with bbcov-core (as the `bbcov` CLI will).
    pub fn fiber_availability(
        &self,
        max_drop_m: f64,
    ) -> Result<Vec<bbcov_core::AreaSummary>, bbcov_core::Error> {
        use bbcov_core::{Crs, FiberNetwork, Households, fiber_coverage, summarize};
        let crs = Crs::Projected {
            epsg: archipelago::EPSG_PROJECTED,
        };
        let xy = self.buildings.iter().map(|b| [b.x, b.y]).collect();
        let weights = self.buildings.iter().map(|b| b.households as f64).collect();
        let islands = self
            .buildings
            .iter()
            .map(|b| self.island_of(b).name.to_string())
            .collect();
        let hh = Households::new(crs, xy, Some(weights), None)?.with_area("island", islands)?;
        let lines = self
            .fiber
            .iter()
            .map(|r| r.line.iter().map(|&(x, y)| [x, y]).collect())
            .collect();
        let net = FiberNetwork::new(crs, lines, None)?;
        let cov = fiber_coverage(&hh, &net, max_drop_m)?;
        summarize(&hh, &cov.served(), Some("island"))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::fiber::FiberKind;
    use crate::roads::line_on_land;
    use crate::terrain::SEA;

    /// A coarser region (90 m DEM, 180 m road grid) keeps debug-build tests fast.
    fn region() -> &'static Region {
        static REGION: OnceLock<Region> = OnceLock::new();
        REGION.get_or_init(|| Region::generate(test_config()))
    }

    fn test_config() -> Config {
        Config {
            seed: DEFAULT_SEED,
            pixel_m: 90.0,
            cell_m: 180.0,
        }
    }

    #[test]
    fn same_seed_same_region() {
        let again = Region::generate(test_config());
        assert!(again == *region(), "generation is not deterministic");
        let other = Region::generate(Config {
            seed: 7,
            ..test_config()
        });
        assert_ne!(other.dem.elevation, region().dem.elevation);
    }

    #[test]
    fn dem_has_sea_and_land_and_no_nodata() {
        check_dem_has_sea_and_land_and_no_nodata(region());
    }

    fn check_dem_has_sea_and_land_and_no_nodata(r: &Region) {
        let dem = &r.dem;
        let land = dem.land_fraction();
        assert!((0.1..0.5).contains(&land), "land fraction {land}");
        let (lo, hi) = dem.range();
        assert!(lo < -50.0 && lo > -200.0, "deepest {lo}");
        assert!(hi > 250.0 && hi < 900.0, "highest {hi}");
        assert!(
            dem.elevation
                .iter()
                .all(|v| v.is_finite() && v.abs() >= 0.5)
        );
        // Every island is there.
        for id in 0..r.islands.len() {
            assert!(
                dem.island.iter().any(|&i| i as usize == id),
                "island {id} missing"
            );
        }
        assert!(dem.island.contains(&SEA));
    }

    #[test]
    fn households_are_on_land_of_their_island() {
        check_households_are_on_land_of_their_island(region());
    }

    fn check_households_are_on_land_of_their_island(r: &Region) {
        for b in &r.buildings {
            assert!(r.dem.sample(b.x, b.y) > 0.0, "{} at sea", b.id);
            assert_eq!(
                r.dem.island_at(b.x, b.y),
                Some(r.villages[b.village].island),
                "{}",
                b.id
            );
            assert!((1..=4).contains(&b.households) && b.population >= b.households);
        }
        let total = r.households();
        let target: u32 = r.islands.iter().map(|i| i.households).sum();
        assert_eq!(total, target);
        let ids: std::collections::BTreeSet<_> = r.buildings.iter().map(|b| &b.id).collect();
        assert_eq!(ids.len(), r.buildings.len(), "duplicate ids");
        // Every island has its villages.
        for (id, isl) in r.islands.iter().enumerate() {
            assert_eq!(
                r.villages.iter().filter(|v| v.island == id).count(),
                isl.villages,
                "{}",
                isl.name
            );
        }
    }

    #[test]
    fn villages_are_low_and_sizes_skewed() {
        check_villages_are_low_and_sizes_skewed(region());
    }

    fn check_villages_are_low_and_sizes_skewed(r: &Region) {
        for v in &r.villages {
            assert!(r.dem.sample(v.x, v.y) < 120.0, "{} is high", v.name);
        }
        let main: Vec<u32> = r
            .villages
            .iter()
            .filter(|v| v.island == 0)
            .map(|v| v.households)
            .collect();
        assert!(main[0] > 8 * main[main.len() - 1], "{main:?}");
    }

    #[test]
    fn roads_and_land_fiber_stay_on_land() {
        check_roads_and_land_fiber_stay_on_land(region());
    }

    fn check_roads_and_land_fiber_stay_on_land(r: &Region) {
        assert!(!r.roads.roads.is_empty());
        for road in &r.roads.roads {
            assert!(
                line_on_land(&r.dem, &road.line),
                "road {} touches the sea",
                road.id
            );
        }
        for f in r.fiber.iter().filter(|f| f.kind != FiberKind::Submarine) {
            assert!(
                line_on_land(&r.dem, &f.line),
                "fiber {} touches the sea",
                f.id
            );
        }
    }

    #[test]
    fn fiber_has_gaps_and_one_submarine_cable() {
        check_fiber_has_gaps_and_one_submarine_cable(region());
    }

    fn check_fiber_has_gaps_and_one_submarine_cable(r: &Region) {
        let on = |isl: usize| r.fiber.iter().any(|f| f.island == Some(isl));
        assert!(on(0) && on(archipelago::CABLE_ISLAND));
        for isl in 2..r.islands.len() {
            assert!(!on(isl), "{} should have no fiber", r.islands[isl].name);
        }
        let subs: Vec<_> = r
            .fiber
            .iter()
            .filter(|f| f.kind == FiberKind::Submarine)
            .collect();
        assert_eq!(subs.len(), 1);
        let cable = &subs[0].line;
        let (a, b) = (cable[0], cable[cable.len() - 1]);
        assert_eq!(r.dem.island_at(a.0, a.1), Some(0));
        assert_eq!(r.dem.island_at(b.0, b.1), Some(archipelago::CABLE_ISLAND));
        let at_sea = cable.iter().filter(|p| !r.dem.is_land(p.0, p.1)).count();
        assert!(at_sea * 10 >= cable.len() * 6, "cable mostly at sea");
        // Partial coverage: most of the main island, part of the cable island, none elsewhere.
        let rows = r.fiber_availability(300.0).unwrap();
        let rate = |name: &str| {
            rows.iter()
                .find(|row| row.area == name)
                .unwrap()
                .served_rate()
        };
        assert!(
            (0.6..0.95).contains(&rate("total")),
            "fiber availability {}",
            rate("total")
        );
        assert!(
            rate(r.islands[0].name) > 0.85,
            "main island {}",
            rate(r.islands[0].name)
        );
        let partial = rate(r.islands[archipelago::CABLE_ISLAND].name);
        assert!((0.2..0.9).contains(&partial), "cable island {partial}");
        for isl in &r.islands[2..] {
            assert_eq!(rate(isl.name), 0.0, "{}", isl.name);
        }
    }

    #[test]
    fn towers_on_land_and_not_on_islets() {
        check_towers_on_land_and_not_on_islets(region());
    }

    fn check_towers_on_land_and_not_on_islets(r: &Region) {
        assert!(
            (10..=12).contains(&r.towers.len()),
            "{} towers",
            r.towers.len()
        );
        for t in &r.towers {
            assert!(r.dem.is_land(t.x, t.y), "{}", t.site_id);
            assert!(t.island <= 2, "{} on an islet", t.site_id);
        }
    }

    #[test]
    fn coastline_encloses_the_islands() {
        check_coastline_encloses_the_islands(region());
    }

    fn check_coastline_encloses_the_islands(r: &Region) {
        assert!(r.land.len() >= r.islands.len());
        let area: f64 = r.land.iter().map(|p| p.area_m2).sum();
        let px = r.dem.pixel_m * r.dem.pixel_m;
        let land_px = r.dem.land_fraction() * (r.dem.width * r.dem.height) as f64;
        assert!(
            (area / (land_px * px) - 1.0).abs() < 0.05,
            "polygon area {area} vs pixels {}",
            land_px * px
        );
        let main = r.land.iter().find(|p| p.island == Some(0)).unwrap();
        let v = &r.villages[0];
        assert!(crate::coastline::contains(&main.rings[0], (v.x, v.y)));
    }

    /// The same invariants on the published 30 m region (slow in debug builds):
    /// `cargo test --release -p bbcov-samples -- --ignored`.
    #[test]
    #[ignore]
    fn full_resolution_invariants() {
        let r = Region::generate(Config::default());
        check_dem_has_sea_and_land_and_no_nodata(&r);
        check_households_are_on_land_of_their_island(&r);
        check_villages_are_low_and_sizes_skewed(&r);
        check_roads_and_land_fiber_stay_on_land(&r);
        check_fiber_has_gaps_and_one_submarine_cable(&r);
        check_towers_on_land_and_not_on_islets(&r);
        check_coastline_encloses_the_islands(&r);
    }
}
