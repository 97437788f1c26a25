//! The best server of many sites on the DEM grid, with the SINR at a given
//! load and a throughput estimate.

use std::sync::Mutex;

use ndarray::{Array2, ArrayView2};

use super::coverage::{CoverageOptions, coverage_of};
use super::link_budget::{check_load, mw, noise_per_resource_element_dbm, occupied_bandwidth_hz, sinr_db};
use super::sweep::Radials;
use super::for_site;
use crate::{Crs, Dem, Error, GeoTransform, Progress, Result, Site};

/// The serving-site code of a cell no site reaches.
pub const NO_SERVER: u32 = u32::MAX;

/// The best server of each cell of the union of the sites' windows: the
/// largest RSRP, its site, the SINR and a throughput estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct BestServerMap {
    transform: GeoTransform,
    crs: Crs,
    dem_offset: (usize, usize),
    rsrp_dbm: Array2<f32>,
    server: Array2<u32>,
    sinr_db: Array2<f32>,
    throughput_mbps: Array2<f32>,
    covered: Array2<bool>,
}

impl BestServerMap {
    /// The grid's geotransform (the DEM's pixel size).
    pub fn transform(&self) -> &GeoTransform {
        &self.transform
    }

    /// The CRS (the DEM's).
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// (row, column) of the grid's north-west cell in the DEM.
    pub fn dem_offset(&self) -> (usize, usize) {
        self.dem_offset
    }

    /// Shape (rows, columns).
    pub fn shape(&self) -> (usize, usize) {
        self.rsrp_dbm.dim()
    }

    /// Best RSRP (dBm); NaN where no site reaches.
    pub fn rsrp_dbm(&self) -> ArrayView2<'_, f32> {
        self.rsrp_dbm.view()
    }

    /// Index (in the `sites` slice) of the serving site; [`NO_SERVER`] where none.
    pub fn server(&self) -> ArrayView2<'_, u32> {
        self.server.view()
    }

    /// SINR (dB) of the serving site; NaN where none.
    pub fn sinr_db(&self) -> ArrayView2<'_, f32> {
        self.sinr_db.view()
    }

    /// Throughput estimate (Mbit/s) of one user on the whole carrier of the serving site.
    pub fn throughput_mbps(&self) -> ArrayView2<'_, f32> {
        self.throughput_mbps.view()
    }

    /// `true` where the best RSRP reaches the serving site's threshold.
    pub fn covered(&self) -> ArrayView2<'_, bool> {
        self.covered.view()
    }

    /// Number of covered cells.
    pub fn covered_count(&self) -> usize {
        self.covered.iter().filter(|&&c| c).count()
    }
}

/// Sites computed at once (their maps are alive together).
const SITE_BATCH: usize = 8;
/// Rows per band of the parallel fold.
const FOLD_ROWS: usize = 32;

/// Locks a band (a poisoned lock means a task panicked: an internal error).
fn lock(band: &Mutex<Band>) -> Result<std::sync::MutexGuard<'_, Band>> {
    band.lock().map_err(|_| Error::InvalidParameter {
        name: "sites",
        value: f64::NAN,
        expected: "a computation that did not panic (internal)".into(),
    })
}

/// A band of rows of the best-server grid, folded by one task.
struct Band {
    /// First row of the band in the grid.
    start: usize,
    best: Vec<f32>,
    server: Vec<u32>,
    /// Received power (mW per resource element) summed over the sites of each carrier.
    total_mw: Vec<Vec<f64>>,
}

/// The best server of `sites` on the cells within `options.radius_m` of any
/// of them (the bounding window of their [`site_coverage`](super::site_coverage)
/// windows), with
///
/// - best RSRP: the largest RSRP of the sites (ties to the lower site index);
/// - SINR = S / (load·Σ I + N), S the serving site's RSRP, I the RSRP of each
///   other site on the same carrier frequency (co-channel; other carriers do
///   not interfere, adjacent-channel leakage is ignored) and within its radius,
///   `load` the fraction of resource elements they transmit on, and
///   N = −174 dBm/Hz + 10·log10(Δf) + NF the noise in one resource element
///   of the serving site's numerology ([`noise_per_resource_element_dbm`]):
///   all terms per resource element, like RSRP;
/// - throughput = [`ThroughputModel::spectral_efficiency`](super::ThroughputModel::spectral_efficiency)(SINR)
///   × 12·N_RB·Δf (the occupied bandwidth of the serving carrier), the
///   throughput of one user given the whole carrier;
/// - covered: best RSRP ≥ the serving site's threshold.
///
/// The sites are computed in parallel, 8 at a time (and each site's rays,
/// with the `parallel` feature), and folded into the grid in parallel bands
/// of rows, the sites in index order within each band, so the result does
/// not depend on the thread count.
/// Progress counts sites. Errors: those of [`site_coverage`](super::site_coverage),
/// naming the site, found before any map is computed; an empty `sites`
/// ([`Error::EmptyLayer`]); `load` outside [0, 1]; a noise figure outside [0, 30] dB.
///
/// ```
/// use bbcov_core::{Antenna, CoverageOptions, Crs, Dem, GeoTransform, NO_SERVER, RadioModel, Site, Technology, best_server};
/// use ndarray::Array2;
/// let dem = Dem::new(Array2::zeros((101, 301)), GeoTransform::new(0.0, 1010.0, 10.0, 10.0),
///                    Crs::Projected { epsg: 32652 }, None)?;
/// let site = |id: &str, x: f64| Site::new(id, [x, 505.0], 30.0, Technology::Lte, 1800.0, 20.0, 43.0, 0.0, Antenna::omni(0.0).unwrap());
/// let sites = [site("w", 505.0)?, site("e", 2505.0)?];
/// let opts = CoverageOptions::new(500.0, RadioModel::diffraction());
/// let map = best_server(&dem, &sites, &opts, 1.0, 7.0, &())?;
/// assert_eq!(map.shape(), (101, 301));
/// let (w, e) = (map.server()[(50, 0)], map.server()[(50, 300)]);
/// assert_eq!((w, e), (0, 1));
/// assert_eq!(map.server()[(50, 150)], NO_SERVER); // between the two radii
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn best_server(
    dem: &Dem,
    sites: &[Site],
    options: &CoverageOptions,
    load: f64,
    noise_figure_db: f64,
    progress: &dyn Progress,
) -> Result<BestServerMap> {
    if sites.is_empty() {
        return Err(Error::EmptyLayer { layer: "sites".into() });
    }
    check_load(load)?;
    let noise_mw: Vec<f64> = sites
        .iter()
        .map(|s| noise_per_resource_element_dbm(s.technology(), noise_figure_db).map(mw))
        .collect::<Result<_>>()?;
    options.validate()?;
    // Every site's window and validity, before any work.
    let mut windows = Vec::with_capacity(sites.len());
    for site in sites {
        let check = || -> Result<((usize, usize), (usize, usize))> {
            let [x, y] = site.position();
            let cell = dem.cell_of(x, y).ok_or_else(|| dem.outside("site", x, y))?;
            let radials = Radials::new(dem, cell, options.radius_m, options.clip_to_dem)?;
            options.model.for_site(site, options.receiver_height_m, options.radius_m)?;
            Ok((radials.window_origin, radials.window_shape))
        };
        windows.push(check().map_err(for_site(site.id()))?);
    }
    let r0 = windows.iter().map(|w| w.0.0).min().unwrap_or(0);
    let c0 = windows.iter().map(|w| w.0.1).min().unwrap_or(0);
    let r1 = windows.iter().map(|w| w.0.0 + w.1.0).max().unwrap_or(0);
    let c1 = windows.iter().map(|w| w.0.1 + w.1.1).max().unwrap_or(0);
    let shape = (r1 - r0, c1 - c0);
    // Co-channel groups: sites on the same carrier frequency.
    let mut carriers: Vec<f64> = vec![];
    let group: Vec<usize> = sites
        .iter()
        .map(|s| {
            let f = s.frequency_mhz();
            carriers.iter().position(|&g| g == f).unwrap_or_else(|| {
                carriers.push(f);
                carriers.len() - 1
            })
        })
        .collect();
    // The grid in bands of rows, each folded by one task: in a band the
    // sites are applied in index order, so the result is the same on any
    // number of threads. (A band's mutex is only ever taken by its own task.)
    let (rows, cols) = shape;
    let starts: Vec<usize> = (0..rows).step_by(FOLD_ROWS).collect();
    let bands: Vec<Mutex<Band>> = starts
        .iter()
        .map(|&start| {
            let n = (start + FOLD_ROWS).min(rows) - start;
            Mutex::new(Band {
                start,
                best: vec![f32::NAN; n * cols],
                server: vec![NO_SERVER; n * cols],
                total_mw: carriers.iter().map(|_| vec![0.0; n * cols]).collect(),
            })
        })
        .collect();

    progress.begin("best server", sites.len() as u64);
    let indices: Vec<usize> = (0..sites.len()).collect();
    for batch in indices.chunks(SITE_BATCH) {
        let maps = crate::parallel::map_chunks(batch, |&i| {
            if progress.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let map = coverage_of(dem, &sites[i], options, progress, false).map_err(for_site(sites[i].id()))?;
            progress.advance(1);
            Ok((i, map.dem_offset(), map.into_rsrp()))
        })?;
        crate::parallel::map_chunks(&bands, |band| -> Result<()> {
            let mut band = lock(band)?;
            let Band { start, best, server, total_mw } = &mut *band;
            let end = *start + best.len() / cols;
            for (i, (wr, wc), rsrp) in &maps {
                let (dr, dc) = (wr - r0, wc - c0);
                let total = &mut total_mw[group[*i]];
                let (from, to) = (dr.max(*start), (dr + rsrp.nrows()).min(end));
                for row in from..to {
                    let base = (row - *start) * cols + dc;
                    for (k, &p) in rsrp.row(row - dr).iter().enumerate() {
                        if p.is_nan() {
                            continue;
                        }
                        let at = base + k;
                        total[at] += mw(p as f64);
                        // Strictly larger: ties stay with the lower index.
                        if best[at].is_nan() || p > best[at] {
                            best[at] = p;
                            server[at] = *i as u32;
                        }
                    }
                }
            }
            Ok(())
        })?;
    }

    let thresholds: Vec<f64> = sites.iter().map(|s| options.rsrp_threshold_for(s)).collect();
    let bandwidth_hz: Vec<f64> = sites.iter().map(occupied_bandwidth_hz).collect();
    let finished = crate::parallel::map_chunks(&bands, |band| -> Result<(Vec<f32>, Vec<f32>, Vec<bool>)> {
        let band = lock(band)?;
        let n = band.best.len();
        let (mut sinr, mut throughput, mut covered) = (vec![f32::NAN; n], vec![f32::NAN; n], vec![false; n]);
        for at in 0..n {
            let (s, p) = (band.server[at], band.best[at]);
            if s == NO_SERVER {
                continue;
            }
            let i = s as usize;
            let s_mw = mw(p as f64);
            let interference = (band.total_mw[group[i]][at] - s_mw).max(0.0) * load;
            let q = sinr_db(s_mw, interference, noise_mw[i]);
            sinr[at] = q as f32;
            throughput[at] = (options.throughput.spectral_efficiency(q) * bandwidth_hz[i] / 1e6) as f32;
            covered[at] = p as f64 >= thresholds[i];
        }
        Ok((sinr, throughput, covered))
    })?;
    let (mut best, mut server) = (Vec::with_capacity(rows * cols), Vec::with_capacity(rows * cols));
    let (mut sinr, mut throughput, mut covered) =
        (Vec::with_capacity(rows * cols), Vec::with_capacity(rows * cols), Vec::with_capacity(rows * cols));
    for (band, (q, t, c)) in bands.iter().zip(finished) {
        let band = lock(band)?;
        best.extend_from_slice(&band.best);
        server.extend_from_slice(&band.server);
        sinr.extend(q);
        throughput.extend(t);
        covered.extend(c);
    }
    let grid = |e: ndarray::ShapeError| Error::InvalidDem { reason: e.to_string() };
    let best = Array2::from_shape_vec(shape, best).map_err(grid)?;
    let server = Array2::from_shape_vec(shape, server).map_err(grid)?;
    let sinr = Array2::from_shape_vec(shape, sinr).map_err(grid)?;
    let throughput = Array2::from_shape_vec(shape, throughput).map_err(grid)?;
    let covered = Array2::from_shape_vec(shape, covered).map_err(grid)?;
    Ok(BestServerMap {
        transform: dem.transform().shifted(r0, c0),
        crs: dem.crs(),
        dem_offset: (r0, c0),
        rsrp_dbm: best,
        server,
        sinr_db: sinr,
        throughput_mbps: throughput,
        covered,
    })
}
