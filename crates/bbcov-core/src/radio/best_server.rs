//! The best server of many sites on the DEM grid, with the SINR at a given
//! load and a throughput estimate.

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
/// The sites are computed in parallel (and each site's rays, with the
/// `parallel` feature) and folded into the grid one site after the other in
/// index order, so the result does not depend on the thread count.
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
    let mut best = Array2::from_elem(shape, f32::NAN);
    let mut server = Array2::from_elem(shape, NO_SERVER);
    let mut total_mw: Vec<Array2<f64>> = carriers.iter().map(|_| Array2::zeros(shape)).collect();

    progress.begin("best server", sites.len() as u64);
    let indices: Vec<usize> = (0..sites.len()).collect();
    for batch in indices.chunks(SITE_BATCH) {
        let maps = crate::parallel::map_chunks(batch, |&i| {
            if progress.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let map = coverage_of(dem, &sites[i], options, progress, false).map_err(for_site(sites[i].id()))?;
            progress.advance(1);
            Ok((map.dem_offset(), map.into_rsrp()))
        })?;
        for (&i, ((wr, wc), rsrp)) in batch.iter().zip(maps) {
            let (dr, dc) = (wr - r0, wc - c0);
            let total = &mut total_mw[group[i]];
            for ((r, c), &p) in rsrp.indexed_iter() {
                if p.is_nan() {
                    continue;
                }
                let at = (r + dr, c + dc);
                total[at] += mw(p as f64);
                // Strictly larger: ties stay with the lower index; NaN compares false.
                if best[at].is_nan() || p > best[at] {
                    best[at] = p;
                    server[at] = i as u32;
                }
            }
        }
    }

    let mut sinr = Array2::from_elem(shape, f32::NAN);
    let mut throughput = Array2::from_elem(shape, f32::NAN);
    let mut covered = Array2::from_elem(shape, false);
    let thresholds: Vec<f64> = sites.iter().map(|s| options.rsrp_threshold_for(s)).collect();
    let bandwidth_hz: Vec<f64> = sites.iter().map(occupied_bandwidth_hz).collect();
    for ((at, &s), &p) in server.indexed_iter().zip(best.iter()) {
        if s == NO_SERVER {
            continue;
        }
        let i = s as usize;
        let s_mw = mw(p as f64);
        let interference = (total_mw[group[i]][at] - s_mw).max(0.0) * load;
        let q = sinr_db(s_mw, interference, noise_mw[i]);
        sinr[at] = q as f32;
        throughput[at] = (options.throughput.spectral_efficiency(q) * bandwidth_hz[i] / 1e6) as f32;
        covered[at] = p as f64 >= thresholds[i];
    }
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
