//! A coarse grid over the DEM on which villages are sited and roads are routed:
//! per cell the elevation, island, whether the cell is safely inland, whether it
//! belongs to the main landmass of its island, and its distance to the sea.

use std::collections::VecDeque;

use crate::terrain::{Dem, SEA};

/// Coarse cells over the DEM (90 m for the published region).
#[derive(Debug, Clone)]
pub struct LandGrid {
    /// Cell size in metres.
    pub cell_m: f64,
    /// Columns.
    pub cols: usize,
    /// Rows.
    pub rows: usize,
    /// Upper-left corner (easting, northing), as the DEM's.
    pub origin: (f64, f64),
    /// Elevation at the cell centre (bilinear), metres.
    pub elevation: Vec<f64>,
    /// Island index at the cell centre, [`SEA`] for sea.
    pub island: Vec<u8>,
    /// Every DEM pixel within one pixel of the cell is land: any point in the cell
    /// (and any bilinear sample there) is on land.
    pub inland: Vec<bool>,
    /// Inland and in the largest 8-connected inland patch of its island.
    pub mainland: Vec<bool>,
    /// Distance from the cell centre to the nearest sea cell, metres (chamfer estimate).
    pub coast_m: Vec<f64>,
    /// Terrain slope at the cell centre (rise over run).
    pub slope: Vec<f64>,
}

impl LandGrid {
    /// Builds the grid over `dem` with cells of `cell_m` metres.
    pub fn new(dem: &Dem, cell_m: f64) -> LandGrid {
        let cols = (dem.width as f64 * dem.pixel_m / cell_m).floor() as usize;
        let rows = (dem.height as f64 * dem.pixel_m / cell_m).floor() as usize;
        let origin = dem.origin;
        let n = cols * rows;
        let (mut elevation, mut island, mut inland, mut slope) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let p = dem.pixel_m;
        for r in 0..rows {
            for c in 0..cols {
                let (x, y) = (
                    origin.0 + (c as f64 + 0.5) * cell_m,
                    origin.1 - (r as f64 + 0.5) * cell_m,
                );
                elevation.push(dem.sample(x, y));
                island.push(dem.island_at(x, y).map_or(SEA, |i| i as u8));
                slope.push(dem.slope(x, y));
                // Pixels whose centres lie within one pixel of the cell rectangle.
                let x0 = c as f64 * cell_m - p;
                let x1 = (c + 1) as f64 * cell_m + p;
                let y0 = r as f64 * cell_m - p;
                let y1 = (r + 1) as f64 * cell_m + p;
                let pc0 = (x0 / p - 0.5).ceil();
                let pc1 = (x1 / p - 0.5).floor();
                let pr0 = (y0 / p - 0.5).ceil();
                let pr1 = (y1 / p - 0.5).floor();
                let inside = pc0 >= 0.0
                    && pr0 >= 0.0
                    && (pc1 as usize) < dem.width
                    && (pr1 as usize) < dem.height;
                let all_land = inside
                    && (pr0 as usize..=pr1 as usize)
                        .all(|pr| (pc0 as usize..=pc1 as usize).all(|pc| dem.at(pc, pr) > 0.0));
                inland.push(all_land);
            }
        }
        let mut grid = LandGrid {
            cell_m,
            cols,
            rows,
            origin,
            elevation,
            island,
            inland,
            mainland: vec![false; n],
            coast_m: vec![0.0; n],
            slope,
        };
        grid.mainland = grid.largest_patches();
        grid.coast_m = grid.distance_to_sea();
        grid
    }

    /// Centre of cell `i` in EPSG:6670.
    pub fn centre(&self, i: usize) -> (f64, f64) {
        let (r, c) = (i / self.cols, i % self.cols);
        (
            self.origin.0 + (c as f64 + 0.5) * self.cell_m,
            self.origin.1 - (r as f64 + 0.5) * self.cell_m,
        )
    }

    /// Cell containing (x, y), if inside the grid.
    pub fn cell_of(&self, x: f64, y: f64) -> Option<usize> {
        let fc = (x - self.origin.0) / self.cell_m;
        let fr = (self.origin.1 - y) / self.cell_m;
        (fc >= 0.0 && fr >= 0.0 && fc < self.cols as f64 && fr < self.rows as f64)
            .then(|| fr as usize * self.cols + fc as usize)
    }

    /// Neighbour of cell `i` at offset (dc, dr), if inside the grid.
    pub fn offset(&self, i: usize, dc: isize, dr: isize) -> Option<usize> {
        let (r, c) = ((i / self.cols) as isize + dr, (i % self.cols) as isize + dc);
        (r >= 0 && c >= 0 && (r as usize) < self.rows && (c as usize) < self.cols)
            .then(|| r as usize * self.cols + c as usize)
    }

    /// Marks the largest 8-connected inland patch of every island.
    fn largest_patches(&self) -> Vec<bool> {
        let n = self.cols * self.rows;
        let mut label = vec![usize::MAX; n];
        let mut patches: Vec<(u8, usize)> = Vec::new(); // (island, size) per label
        let mut queue = VecDeque::new();
        for start in 0..n {
            if !self.inland[start] || label[start] != usize::MAX {
                continue;
            }
            let id = patches.len();
            let isl = self.island[start];
            label[start] = id;
            queue.push_back(start);
            let mut size = 0;
            while let Some(i) = queue.pop_front() {
                size += 1;
                for (dc, dr) in NEIGHBOURS_8 {
                    if let Some(j) = self.offset(i, dc, dr)
                        && self.inland[j]
                        && label[j] == usize::MAX
                        && self.island[j] == isl
                    {
                        label[j] = id;
                        queue.push_back(j);
                    }
                }
            }
            patches.push((isl, size));
        }
        let mut best: Vec<Option<usize>> = vec![None; 256];
        for (id, &(isl, size)) in patches.iter().enumerate() {
            let b = &mut best[isl as usize];
            if b.is_none_or(|k| patches[k].1 < size) {
                *b = Some(id);
            }
        }
        label
            .iter()
            .map(|&l| l != usize::MAX && best[patches[l].0 as usize] == Some(l))
            .collect()
    }

    /// Chamfer distance (1, sqrt 2) from every cell to the nearest sea cell, in metres.
    fn distance_to_sea(&self) -> Vec<f64> {
        let big = 1e12;
        let mut d: Vec<f64> = self
            .island
            .iter()
            .map(|&i| if i == SEA { 0.0 } else { big })
            .collect();
        let diag = std::f64::consts::SQRT_2;
        let forward = [
            (-1isize, -1isize, diag),
            (0, -1, 1.0),
            (1, -1, diag),
            (-1, 0, 1.0),
        ];
        for i in 0..d.len() {
            for &(dc, dr, w) in &forward {
                if let Some(j) = self.offset(i, dc, dr) {
                    d[i] = d[i].min(d[j] + w * self.cell_m);
                }
            }
        }
        for i in (0..d.len()).rev() {
            for &(dc, dr, w) in &forward {
                if let Some(j) = self.offset(i, -dc, -dr) {
                    d[i] = d[i].min(d[j] + w * self.cell_m);
                }
            }
        }
        d
    }
}

/// The eight neighbours of a cell as (d col, d row).
pub const NEIGHBOURS_8: [(isize, isize); 8] = [
    (-1, -1),
    (0, -1),
    (1, -1),
    (-1, 0),
    (1, 0),
    (-1, 1),
    (0, 1),
    (1, 1),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archipelago;

    #[test]
    fn inland_cells_are_land_everywhere_inside() {
        let dem = Dem::generate(&archipelago::islands(), 5, 90.0);
        let grid = LandGrid::new(&dem, 270.0);
        let mut checked = 0;
        for i in 0..grid.cols * grid.rows {
            if !grid.inland[i] {
                continue;
            }
            let (x, y) = grid.centre(i);
            for k in 0..9 {
                let (fx, fy) = ((k % 3) as f64 - 1.0, (k / 3) as f64 - 1.0);
                assert!(dem.is_land(x + fx * 0.499 * grid.cell_m, y + fy * 0.499 * grid.cell_m));
            }
            assert!(grid.coast_m[i] > 0.0);
            checked += 1;
        }
        assert!(checked > 100);
        assert!(grid.mainland.iter().filter(|&&m| m).count() > checked / 2);
    }
}
