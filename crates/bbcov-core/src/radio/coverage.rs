//! The coverage of one site on the DEM grid: path loss, RSRP and line of
//! sight of every cell within a radius, by the radial sweep described in
//! the [module documentation](crate::radio).

use ndarray::{Array2, ArrayView2};

use super::model::{Kind, SiteModel, Tr38901Curves};
use super::radial_diffraction::RadialBullington;
use super::sweep::{Radials, Ray, Step};
use super::{RadioModel, ThroughputModel, for_site};
use crate::profile::{STANDARD_K_FACTOR, check_k, curvature_per_m};
use crate::propagation::FreeSpaceAt;
use crate::propagation::itm::RadialItm;
use crate::{
    Antenna, AntennaPattern, Crs, Dem, Error, GeoTransform, MissingTerrain, Progress, Result, Site, ViewshedOptions,
    Visibility, terrain_profile, viewshed_with,
};

/// What a path crossing missing terrain (DEM nodata) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingTerrainPolicy {
    /// Stop with [`Error::MissingElevation`] naming the missing cell.
    #[default]
    Error,
    /// The cell's path loss and RSRP are NaN (unknown) and its line of sight
    /// [`Visibility::Unknown`] unless known terrain already hides it.
    Unknown,
}

/// Options of [`site_coverage`] and [`best_server`](super::best_server).
///
/// ```
/// use bbcov_core::{CoverageOptions, MissingTerrainPolicy, RadioModel};
/// let o = CoverageOptions::new(30_000.0, RadioModel::itm())
///     .with_rsrp_threshold(-105.0)
///     .with_missing_terrain(MissingTerrainPolicy::Unknown);
/// assert_eq!(o.receiver_height_m, 1.5);
/// assert!((o.k_factor - 4.0 / 3.0).abs() < 1e-15);
/// assert!(!o.clip_to_dem);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct CoverageOptions {
    /// Cells whose centre is farther than this from the site's cell centre
    /// (m, finite, > 0) are not computed.
    pub radius_m: f64,
    /// Receiver antenna height above the ground of its cell (m; 1.5 by default).
    pub receiver_height_m: f64,
    /// Effective earth radius factor k of the line of sight and of the
    /// diffraction model (4/3 by default; ITM derives its own from N_s).
    pub k_factor: f64,
    /// Propagation model.
    pub model: RadioModel,
    /// RSRP (dBm) at and above which a cell is covered; `None`: the site's
    /// [`Technology::default_rsrp_threshold_dbm`](crate::Technology::default_rsrp_threshold_dbm).
    pub rsrp_threshold_dbm: Option<f64>,
    /// What a path over missing terrain means.
    pub missing_terrain: MissingTerrainPolicy,
    /// When the radius reaches beyond the DEM: `false` (default) is an error
    /// naming the largest radius that fits; `true` computes the part inside the DEM.
    pub clip_to_dem: bool,
    /// Spectral efficiency of [`best_server`](super::best_server) as a function of SINR.
    pub throughput: ThroughputModel,
}

impl CoverageOptions {
    /// Options with a 1.5 m receiver, k = 4/3, the technology's RSRP
    /// threshold, missing terrain an error, no clipping.
    pub fn new(radius_m: f64, model: RadioModel) -> Self {
        CoverageOptions {
            radius_m,
            receiver_height_m: 1.5,
            k_factor: STANDARD_K_FACTOR,
            model,
            rsrp_threshold_dbm: None,
            missing_terrain: MissingTerrainPolicy::Error,
            clip_to_dem: false,
            throughput: ThroughputModel::default(),
        }
    }

    /// Sets the propagation model.
    pub fn with_model(mut self, model: RadioModel) -> Self {
        self.model = model;
        self
    }

    /// Sets the receiver height above ground (m).
    pub fn with_receiver_height(mut self, receiver_height_m: f64) -> Self {
        self.receiver_height_m = receiver_height_m;
        self
    }

    /// Sets the effective earth radius factor k.
    pub fn with_k_factor(mut self, k_factor: f64) -> Self {
        self.k_factor = k_factor;
        self
    }

    /// Sets the RSRP threshold (dBm) for every site.
    pub fn with_rsrp_threshold(mut self, rsrp_threshold_dbm: f64) -> Self {
        self.rsrp_threshold_dbm = Some(rsrp_threshold_dbm);
        self
    }

    /// Sets what a path over missing terrain means.
    pub fn with_missing_terrain(mut self, missing_terrain: MissingTerrainPolicy) -> Self {
        self.missing_terrain = missing_terrain;
        self
    }

    /// Clips the map to the DEM instead of refusing a radius that reaches beyond it.
    pub fn with_clip_to_dem(mut self, clip_to_dem: bool) -> Self {
        self.clip_to_dem = clip_to_dem;
        self
    }

    /// Sets the throughput model of [`best_server`](super::best_server).
    pub fn with_throughput(mut self, throughput: ThroughputModel) -> Self {
        self.throughput = throughput;
        self
    }

    /// The RSRP threshold (dBm) for `site`.
    pub fn rsrp_threshold_for(&self, site: &Site) -> f64 {
        self.rsrp_threshold_dbm.unwrap_or_else(|| site.technology().default_rsrp_threshold_dbm())
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if !(self.receiver_height_m.is_finite() && self.receiver_height_m >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "receiver_height_m",
                value: self.receiver_height_m,
                expected: "a finite height >= 0 m above ground".into(),
            });
        }
        if let Some(t) = self.rsrp_threshold_dbm.filter(|t| !t.is_finite()) {
            return Err(Error::InvalidParameter { name: "rsrp_threshold_dbm", value: t, expected: "a finite RSRP in dBm".into() });
        }
        check_k(self.k_factor)?;
        self.throughput.validate()
    }
}

/// The coverage of one site: path loss, RSRP and line of sight on the DEM
/// cells within the radius (a window of the DEM, same cells and CRS).
///
/// Cells outside the radius, and cells whose path crosses missing terrain
/// under [`MissingTerrainPolicy::Unknown`], have NaN path loss and RSRP.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageMap {
    site_id: String,
    model: &'static str,
    transform: GeoTransform,
    crs: Crs,
    dem_offset: (usize, usize),
    site_cell: (usize, usize),
    threshold_dbm: f64,
    path_loss_db: Array2<f32>,
    rsrp_dbm: Array2<f32>,
    los: Array2<u8>,
}

impl CoverageMap {
    /// Id of the site.
    pub fn site_id(&self) -> &str {
        &self.site_id
    }

    /// Name of the propagation model.
    pub fn model_name(&self) -> &'static str {
        self.model
    }

    /// The window's geotransform (the DEM's pixel size).
    pub fn transform(&self) -> &GeoTransform {
        &self.transform
    }

    /// The CRS (the DEM's).
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// (row, column) of the window's north-west cell in the DEM.
    pub fn dem_offset(&self) -> (usize, usize) {
        self.dem_offset
    }

    /// (row, column) of the site's cell in the window.
    pub fn site_cell(&self) -> (usize, usize) {
        self.site_cell
    }

    /// Shape (rows, columns) of the window.
    pub fn shape(&self) -> (usize, usize) {
        self.rsrp_dbm.dim()
    }

    /// The RSRP threshold (dBm) of [`covered_mask`](Self::covered_mask).
    pub fn rsrp_threshold_dbm(&self) -> f64 {
        self.threshold_dbm
    }

    /// Basic transmission loss (dB); NaN where not computed or unknown.
    pub fn path_loss_db(&self) -> ArrayView2<'_, f32> {
        self.path_loss_db.view()
    }

    /// RSRP (dBm); NaN where not computed or unknown.
    pub fn rsrp_dbm(&self) -> ArrayView2<'_, f32> {
        self.rsrp_dbm.view()
    }

    /// [`Visibility`] codes of the receiver from the antenna.
    pub fn los_codes(&self) -> ArrayView2<'_, u8> {
        self.los.view()
    }

    /// The line-of-sight class of window cell (`row`, `col`); `None` outside the window.
    pub fn line_of_sight(&self, row: usize, col: usize) -> Option<Visibility> {
        self.los.get((row, col)).and_then(|&c| Visibility::from_code(c))
    }

    /// RSRP (dBm) of the window cell holding point (`x`, `y`); `None` outside
    /// the window, NaN where not computed.
    pub fn rsrp_at(&self, x: f64, y: f64) -> Option<f32> {
        let (rows, cols) = self.rsrp_dbm.dim();
        let t = &self.transform;
        let (u, v) = ((x - t.origin_x) / t.dx, (t.origin_y - y) / t.dy);
        if !(u >= 0.0 && u <= cols as f64 && v >= 0.0 && v <= rows as f64) {
            return None;
        }
        self.rsrp_dbm.get(((v as usize).min(rows - 1), (u as usize).min(cols - 1))).copied()
    }

    /// `true` where the RSRP reaches the threshold.
    pub fn covered_mask(&self) -> Array2<bool> {
        let t = self.threshold_dbm;
        self.rsrp_dbm.mapv(|r| r as f64 >= t)
    }

    /// Number of covered cells.
    pub fn covered_count(&self) -> usize {
        self.rsrp_dbm.iter().filter(|&&r| r as f64 >= self.threshold_dbm).count()
    }

    /// Number of cells with a computed (finite) RSRP.
    pub fn computed_count(&self) -> usize {
        self.rsrp_dbm.iter().filter(|r| r.is_finite()).count()
    }

    /// Takes the computed cells of `part` (another part of the same site's
    /// map, [`site_coverage_part`]): every cell whose line-of-sight code is
    /// not [`Visibility::OutOfRange`] there. Errors if `part` is not of the
    /// same window, site and model.
    pub fn merge_part(&mut self, part: &CoverageMap) -> Result<()> {
        if (&part.site_id, part.model, part.dem_offset, part.site_cell, part.shape())
            != (&self.site_id, self.model, self.dem_offset, self.site_cell, self.shape())
            || part.threshold_dbm.to_bits() != self.threshold_dbm.to_bits()
        {
            return Err(Error::InvalidParameter {
                name: "part",
                value: f64::NAN,
                expected: "a part of the same site's coverage map (same site, model and window)".into(),
            });
        }
        let out_of_range = Visibility::OutOfRange as u8;
        let cells = self.los.iter_mut().zip(self.path_loss_db.iter_mut()).zip(self.rsrp_dbm.iter_mut());
        let theirs = part.los.iter().zip(part.path_loss_db.iter()).zip(part.rsrp_dbm.iter());
        for (((los, loss), rsrp), ((&l, &pl), &r)) in cells.zip(theirs) {
            if l != out_of_range {
                (*los, *loss, *rsrp) = (l, pl, r);
            }
        }
        Ok(())
    }

    pub(crate) fn into_rsrp(self) -> Array2<f32> {
        self.rsrp_dbm
    }
}

/// The coverage of `site` on `dem`: path loss, RSRP and line of sight of
/// every cell whose centre is within `options.radius_m` of the site's cell
/// centre, by the radial sweep of the [module documentation](crate::radio)
/// (parallel over rays with the `parallel` feature, same result without).
///
/// - path loss: `options.model` on the terrain profile from the site to the
///   cell (ITM, diffraction) or from its line of sight (TR 38.901);
/// - RSRP = EIRP towards the cell (antenna pattern at its bearing and
///   elevation angle) − 10·log10(12·N_RB) − path loss;
/// - line of sight: the receiver (`receiver_height_m` above its cell's
///   ground) seen from the antenna over the ray's terrain with earth
///   curvature k, as in [`viewshed`](crate::viewshed()).
///
/// Errors ([`Error::Site`] naming the site, around the cause): invalid
/// options; the site outside the DEM or on a missing cell; a radius reaching
/// beyond the DEM unless `clip_to_dem`; the site outside the model's
/// validity range unless it extrapolates; a path over missing terrain under
/// [`MissingTerrainPolicy::Error`]; and [`Error::Cancelled`].
///
/// ```
/// use bbcov_core::{Antenna, CoverageOptions, Crs, Dem, GeoTransform, RadioModel, Site, Technology, Visibility, site_coverage};
/// use bbcov_core::propagation::free_space_loss_db;
/// use ndarray::Array2;
/// // Flat ground at 0 m, 10 m cells; a 30 m omni LTE site in the middle.
/// let dem = Dem::new(Array2::zeros((201, 201)), GeoTransform::new(0.0, 2010.0, 10.0, 10.0),
///                    Crs::Projected { epsg: 32652 }, None)?;
/// let site = Site::new("s1", [1005.0, 1005.0], 30.0, Technology::Lte, 1800.0, 20.0, 43.0, 0.0, Antenna::omni(0.0)?)?;
/// let opts = CoverageOptions::new(1000.0, RadioModel::diffraction());
/// let map = site_coverage(&dem, &site, &opts, &())?;
/// assert_eq!(map.shape(), (201, 201));
/// // 500 m east: clear line of sight, so the loss is free space over the slant distance.
/// let (r, c) = map.site_cell();
/// let fs = free_space_loss_db(500f64.hypot(28.5), 1800.0)?;
/// assert!((map.path_loss_db()[(r, c + 50)] as f64 - fs).abs() < 1e-3);
/// assert_eq!(map.line_of_sight(r, c + 50), Some(Visibility::Visible));
/// // RSRP = 43 dBm − 10 log10(1200) − loss.
/// assert!((map.rsrp_dbm()[(r, c + 50)] as f64 - (43.0 - 1200f64.log10() * 10.0 - fs)).abs() < 1e-3);
/// assert!(map.rsrp_dbm()[(0, 0)].is_nan()); // the corner is beyond 1 km
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn site_coverage(dem: &Dem, site: &Site, options: &CoverageOptions, progress: &dyn Progress) -> Result<CoverageMap> {
    coverage_of(dem, site, options, progress, true).map_err(for_site(site.id()))
}

/// Part `part` of `parts` of [`site_coverage`]: the same window, with only
/// the cells of every `parts`-th ray of the sweep from ray `part` on (and
/// the site's own cell in part 0) computed; the other cells are NaN with
/// line-of-sight code [`Visibility::OutOfRange`], as beyond the radius. Each
/// cell belongs to exactly one ray, so the parts, computed anywhere (other
/// threads, Web Workers) and combined with [`CoverageMap::merge_part`], give
/// [`site_coverage`]'s map bit for bit. TR 38.901 takes its line of sight
/// from a whole viewshed: part 0 is then the whole map and the others have
/// no cells. Errors as [`site_coverage`] (a part meets only its own rays'
/// missing terrain), and `part >= parts` is an error.
///
/// ```
/// use bbcov_core::{Antenna, CoverageOptions, Crs, Dem, GeoTransform, RadioModel, Site, Technology, site_coverage};
/// use bbcov_core::radio::site_coverage_part;
/// use ndarray::Array2;
/// let dem = Dem::new(Array2::from_shape_fn((101, 101), |(r, c)| ((r * 7 + c * 3) % 40) as f32),
///                    GeoTransform::new(0.0, 1010.0, 10.0, 10.0), Crs::Projected { epsg: 32652 }, None)?;
/// let site = Site::new("s1", [505.0, 505.0], 30.0, Technology::Lte, 1800.0, 20.0, 43.0, 0.0, Antenna::omni(0.0)?)?;
/// let opts = CoverageOptions::new(400.0, RadioModel::diffraction());
/// let mut map = site_coverage_part(&dem, &site, &opts, 0, 2, &())?;
/// map.merge_part(&site_coverage_part(&dem, &site, &opts, 1, 2, &())?)?;
/// let whole = site_coverage(&dem, &site, &opts, &())?;
/// let bits = |m: &bbcov_core::CoverageMap| m.rsrp_dbm().iter().chain(m.path_loss_db()).map(|v| v.to_bits()).collect::<Vec<_>>();
/// assert_eq!(bits(&map), bits(&whole)); // NaN outside the radius: compared bit for bit
/// assert_eq!(map.los_codes(), whole.los_codes());
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn site_coverage_part(
    dem: &Dem,
    site: &Site,
    options: &CoverageOptions,
    part: usize,
    parts: usize,
    progress: &dyn Progress,
) -> Result<CoverageMap> {
    if part >= parts {
        return Err(Error::InvalidParameter {
            name: "part",
            value: part as f64,
            expected: format!("a part in 0..{parts} (parts > 0)"),
        });
    }
    coverage_part_of(dem, site, options, progress, true, Some((part, parts))).map_err(for_site(site.id()))
}

/// Rays per parallel batch: large enough to keep threads busy, small enough
/// to poll for cancellation often.
const RAY_BATCH: usize = 256;

/// [`site_coverage`] without wrapping errors; `report` drives `progress`
/// (best_server reports per site instead and only polls cancellation).
pub(crate) fn coverage_of(
    dem: &Dem,
    site: &Site,
    options: &CoverageOptions,
    progress: &dyn Progress,
    report: bool,
) -> Result<CoverageMap> {
    coverage_part_of(dem, site, options, progress, report, None)
}

/// [`coverage_of`] for every `n`-th ray from ray `p` (`part` = (p, n)), or all.
fn coverage_part_of(
    dem: &Dem,
    site: &Site,
    options: &CoverageOptions,
    progress: &dyn Progress,
    report: bool,
    part: Option<(usize, usize)>,
) -> Result<CoverageMap> {
    let sweep = SiteSweep::new(dem, site, options)?;
    let radials = &sweep.radials;
    let (r0, c0) = radials.window_origin;
    let first = part.is_none_or(|(p, _)| p == 0);
    let grids = match sweep.model.kind {
        // The viewshed covers the whole window: all in part 0, none in the others.
        Kind::Tr38901(_) if !first => sweep.empty_grids(),
        Kind::Tr38901(curves) => match sweep.line_of_sight(site, options, progress, report)? {
            Some(codes) => sweep.tr38901_cells(&curves, codes, progress)?,
            None => sweep.traced(progress, report, None)?,
        },
        _ => sweep.traced(progress, report, part)?,
    };
    let Grids { mut path_loss, mut rsrp, mut los } = grids;
    let (sr, sc) = radials.site;
    let site_cell = (sr - r0, sc - c0);
    if first {
        let own = sweep.own_cell()?;
        path_loss[site_cell] = own.loss;
        rsrp[site_cell] = own.rsrp;
        los[site_cell] = own.los;
    }
    Ok(CoverageMap {
        site_id: site.id().to_string(),
        model: options.model.name(),
        transform: dem.transform().shifted(r0, c0),
        crs: dem.crs(),
        dem_offset: (r0, c0),
        site_cell,
        threshold_dbm: options.rsrp_threshold_for(site),
        path_loss_db: path_loss,
        rsrp_dbm: rsrp,
        los,
    })
}

/// The three grids of a [`CoverageMap`].
struct Grids {
    path_loss: Array2<f32>,
    rsrp: Array2<f32>,
    los: Array2<u8>,
}

/// A [`Progress`] that only forwards cancellation.
struct CancelOnly<'a>(&'a dyn Progress);

impl Progress for CancelOnly<'_> {
    fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

/// Rows per parallel chunk of the per-cell pass of TR 38.901.
const ROW_CHUNK: usize = 32;

/// The value of one cell.
#[derive(Debug, Clone, Copy)]
struct CellValue {
    row: u32,
    col: u32,
    loss: f32,
    rsrp: f32,
    los: u8,
}

/// Everything the rays of one site share.
struct SiteSweep<'a> {
    dem: &'a Dem,
    radials: Radials,
    model: SiteModel,
    /// Absolute height of the antenna (ground of the site's cell + height).
    eye: f64,
    ground: f64,
    rx_height: f64,
    k_factor: f64,
    /// 1 / (2·a_e) for the line of sight and the antenna's elevation angle.
    curvature: f64,
    policy: MissingTerrainPolicy,
    budget: Budget,
    /// ITM's per-map terms, cloned into every ray.
    itm: Option<RadialItm>,
    /// Free space at the site's frequency (the diffraction model's basic loss).
    free_space: FreeSpaceAt,
}

impl<'a> SiteSweep<'a> {
    fn new(dem: &'a Dem, site: &'a Site, options: &CoverageOptions) -> Result<Self> {
        options.validate()?;
        let [x, y] = site.position();
        let cell = dem.cell_of(x, y).ok_or_else(|| dem.outside("site", x, y))?;
        let ground = dem.height_at_cell(cell.0, cell.1).ok_or_else(|| {
            let [x, y] = dem.cell_centre(cell.0, cell.1);
            Error::MissingElevation { x, y, row: cell.0, col: cell.1, context: Some("the site's cell".into()) }
        })? as f64;
        let radials = Radials::new(dem, cell, options.radius_m, options.clip_to_dem)?;
        let model = options.model.for_site(site, options.receiver_height_m, options.radius_m)?;
        let itm = match &model.kind {
            Kind::Itm { params, quantiles } => Some(RadialItm::new(params, *quantiles)?),
            _ => None,
        };
        Ok(SiteSweep {
            dem,
            radials,
            eye: ground + site.height_m(),
            ground,
            rx_height: options.receiver_height_m,
            k_factor: options.k_factor,
            curvature: curvature_per_m(options.k_factor),
            policy: options.missing_terrain,
            budget: Budget::new(site),
            itm,
            free_space: FreeSpaceAt::new(model.f_mhz)?,
            model,
        })
    }

    /// RSRP (dBm) at a receiver offset (east, north, up) from the antenna, for a path loss.
    fn rsrp(&self, east: f64, north: f64, up: f64, loss_db: f64) -> f32 {
        self.budget.rsrp_dbm([east, north, up], loss_db) as f32
    }

    /// The window's grids with no cell computed.
    fn empty_grids(&self) -> Grids {
        let shape = self.radials.window_shape;
        Grids {
            path_loss: Array2::from_elem(shape, f32::NAN),
            rsrp: Array2::from_elem(shape, f32::NAN),
            los: Array2::from_elem(shape, Visibility::OutOfRange as u8),
        }
    }

    /// Every ray of the window (with `part` = (p, n): every n-th ray from
    /// ray p) traced, its cells evaluated on their profiles.
    fn traced(&self, progress: &dyn Progress, report: bool, part: Option<(usize, usize)>) -> Result<Grids> {
        let radials = &self.radials;
        let (r0, c0) = radials.window_origin;
        let mut grids = self.empty_grids();
        let selected: Vec<Ray>;
        let rays: &[Ray] = match part {
            None | Some((_, 1)) => &radials.rays,
            Some((p, n)) => {
                selected = radials.rays.iter().skip(p).step_by(n).copied().collect();
                &selected
            }
        };
        if report {
            progress.begin("radio coverage", rays.len() as u64);
        }
        for batch in rays.chunks(RAY_BATCH) {
            let traced = crate::parallel::map_chunks(batch, |&ray| {
                if progress.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                let cells = self.ray(ray)?;
                if report {
                    progress.advance(1);
                }
                Ok(cells)
            })?;
            for cell in traced.iter().flatten() {
                let at = (cell.row as usize - r0, cell.col as usize - c0);
                grids.path_loss[at] = cell.loss;
                grids.rsrp[at] = cell.rsrp;
                grids.los[at] = cell.los;
            }
        }
        Ok(grids)
    }

    /// The line of sight of every cell of the window from [`viewshed`](crate::viewshed())
    /// (the same rays and crossings as [`ray`](Self::ray)), or `None` if its
    /// window differs from the sweep's.
    fn line_of_sight(
        &self,
        site: &Site,
        options: &CoverageOptions,
        progress: &dyn Progress,
        report: bool,
    ) -> Result<Option<Array2<u8>>> {
        let vs_options = ViewshedOptions::new(site.height_m(), self.rx_height, options.radius_m)
            .with_k_factor(self.k_factor)
            .with_missing(MissingTerrain::Unknown);
        let cancel_only = CancelOnly(progress);
        let progress: &dyn Progress = if report { progress } else { &cancel_only };
        let vs = viewshed_with(self.dem, site.position(), &vs_options, progress)?;
        let same = vs.dem_offset() == self.radials.window_origin && vs.codes().dim() == self.radials.window_shape;
        Ok(same.then(|| vs.into_codes()))
    }

    /// TR 38.901 on every cell from its line-of-sight code: the loss depends
    /// only on the distance and LOS/NLOS, so no profile is needed. Parallel
    /// over rows.
    fn tr38901_cells(&self, curves: &Tr38901Curves, los: Array2<u8>, progress: &dyn Progress) -> Result<Grids> {
        let (r0, c0) = self.radials.window_origin;
        let (sr, sc) = self.radials.site;
        let (rows, cols) = los.dim();
        if self.policy == MissingTerrainPolicy::Error
            && let Some(((r, c), _)) = los.indexed_iter().find(|(_, code)| **code == Visibility::Unknown as u8)
        {
            return Err(self.missing_on_path(r0 + r, c0 + c));
        }
        let t = self.dem.transform();
        let (z, dem_cols) = (self.dem.data(), self.dem.cols());
        // The loss depends only on the offset (|rows|, |columns|) from the
        // site and on LOS/NLOS: one table for the quadrant, LOS then NLOS
        // per row, NaN where the near-field rule applies (it needs the ground).
        let (max_dr, max_dc) = ((sr - r0).max(r0 + rows - 1 - sr), (sc - c0).max(c0 + cols - 1 - sc));
        let width = max_dc + 1;
        let offsets: Vec<usize> = (0..=max_dr).collect();
        let table = crate::parallel::map(&offsets, |&dr| {
            let north = dr as f64 * t.dy;
            let mut row = Vec::with_capacity(2 * width);
            for visible in [true, false] {
                row.extend((0..width).map(|dc| {
                    let east = dc as f64 * t.dx;
                    let d2 = east * east + north * north;
                    if self.model.is_near_field_squared(d2) { f64::NAN } else { curves.loss_db_squared_f32(d2, visible) }
                }));
            }
            row
        });
        let starts: Vec<usize> = (0..rows).step_by(ROW_CHUNK).collect();
        let chunks = crate::parallel::map_chunks(&starts, |&start| {
            if progress.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let end = (start + ROW_CHUNK).min(rows);
            let mut loss = Vec::with_capacity((end - start) * cols);
            let mut rsrp = Vec::with_capacity((end - start) * cols);
            for r in start..end {
                let row = r0 + r;
                let north = (sr as f64 - row as f64) * t.dy;
                let losses = &table[row.abs_diff(sr)];
                let codes = los.row(r);
                for (c, &code) in codes.iter().enumerate() {
                    if code != Visibility::Visible as u8 && code != Visibility::Invisible as u8 {
                        loss.push(f32::NAN);
                        rsrp.push(f32::NAN);
                        continue;
                    }
                    let col = c0 + c;
                    let east = (col as f64 - sc as f64) * t.dx;
                    let d2 = east * east + north * north;
                    let rx_top = z[row * dem_cols + col] as f64 + self.rx_height;
                    let dc = col.abs_diff(sc);
                    let l = losses[if code == Visibility::Visible as u8 { dc } else { width + dc }];
                    let l = if l.is_nan() { self.model.near_field_loss_db(d2.sqrt(), rx_top - self.eye)? } else { l };
                    let up = rx_top - self.curvature * d2 - self.eye;
                    loss.push(l as f32);
                    rsrp.push(self.budget.rsrp_dbm([east, north, up], l) as f32);
                }
            }
            Ok((loss, rsrp))
        })?;
        let mut path_loss = Vec::with_capacity(rows * cols);
        let mut rsrp = Vec::with_capacity(rows * cols);
        for (l, p) in chunks {
            path_loss.extend_from_slice(&l);
            rsrp.extend_from_slice(&p);
        }
        let grid = |v: Vec<f32>| {
            Array2::from_shape_vec((rows, cols), v).map_err(|e| Error::InvalidDem { reason: e.to_string() })
        };
        Ok(Grids { path_loss: grid(path_loss)?, rsrp: grid(rsrp)?, los })
    }

    /// The error for a cell whose sightline from the site crosses missing
    /// terrain: the first missing sample of the profile to it, else the cell.
    fn missing_on_path(&self, row: usize, col: usize) -> Error {
        let (from, to) = (self.dem.cell_centre(self.radials.site.0, self.radials.site.1), self.dem.cell_centre(row, col));
        let step = self.dem.transform().dx.min(self.dem.transform().dy);
        match terrain_profile(self.dem, from, to, step) {
            Err(e @ Error::MissingElevation { .. }) => e,
            _ => self.missing((row, col), "the sightline from the site crosses missing terrain".into()),
        }
    }

    /// The site's own cell: the near-field rule straight down.
    fn own_cell(&self) -> Result<CellValue> {
        let (row, col) = self.radials.site;
        let rise = self.ground + self.rx_height - self.eye;
        let loss = self.model.near_field_loss_db(0.0, rise)?;
        let (row, col) = (row as u32, col as u32);
        Ok(CellValue { row, col, loss: loss as f32, rsrp: self.rsrp(0.0, 0.0, rise, loss), los: Visibility::Visible as u8 })
    }

    /// The error for a missing cell under [`MissingTerrainPolicy::Error`].
    fn missing(&self, (row, col): (usize, usize), what: String) -> Error {
        let [x, y] = self.dem.cell_centre(row, col);
        Error::MissingElevation { x, y, row, col, context: Some(what) }
    }

    /// The cells owned by `ray`.
    fn ray(&self, ray: Ray) -> Result<Vec<CellValue>> {
        let z = self.dem.data();
        let step_m = self.radials.step_m(ray);
        let c_step2 = self.curvature * step_m * step_m;
        let capacity = self.radials.max_steps() + 2;
        // ITM along the ray needs its terrain up to the first missing
        // crossing and the receivers it will be asked for (cells beyond are
        // unknown) before the first receiver: its steps are traced first.
        // The other models take the steps as they are traced.
        let mut itm = self.itm.clone();
        let itm_steps = match itm.as_mut() {
            Some(radial) => {
                let mut steps: Vec<Step> = Vec::with_capacity(capacity);
                self.radials.trace(z, ray, |step: &Step| {
                    steps.push(*step);
                    Ok(())
                })?;
                let crossings: Vec<f64> = steps.iter().map(|s| s.crossing).take_while(|c| !c.is_nan()).collect();
                let receivers = steps.iter().filter_map(|s| {
                    let cell = s.cell?;
                    let z_cell = z[cell.row * self.dem.cols() + cell.col] as f64;
                    let d = (cell.east_m * cell.east_m + cell.north_m * cell.north_m).sqrt();
                    (z_cell.is_finite() && s.m <= crossings.len() + 1).then_some((s.m, z_cell, d / s.m as f64))
                });
                radial.start_ray(self.ground, &crossings, receivers);
                Some(steps)
            }
            None => None,
        };
        // Ground heights along the ray: the site's cell, then one per crossing.
        let mut profile: Vec<f64> = Vec::with_capacity(capacity);
        profile.push(self.ground);
        let mut diffraction = matches!(self.model.kind, Kind::Diffraction)
            .then(|| RadialBullington::new(step_m, self.k_factor, self.eye, self.model.f_mhz, capacity));
        let mut horizon = f64::NEG_INFINITY; // largest rise per major step of the crossings so far
        let mut missing: Option<(usize, usize)> = None;
        // Only the diffraction model reads the profile.
        let keep_profile = matches!(self.model.kind, Kind::Diffraction);
        let mut out = Vec::with_capacity(capacity);
        let mut visit = |step: &Step| -> Result<()> {
            if let Some(cell) = step.cell {
                let terrain = match (diffraction.as_mut(), itm.as_mut()) {
                    (Some(bullington), _) => RayTerrain::Diffraction(bullington, &profile),
                    (None, Some(radial)) => RayTerrain::Itm(radial),
                    (None, None) => RayTerrain::None,
                };
                out.push(self.evaluate(step, cell, horizon, missing, terrain)?);
            }
            let m = step.m as f64;
            if step.crossing.is_nan() {
                missing = missing.or(step.missing_cell);
            } else {
                let rise = step.crossing - c_step2 * m * m - self.eye;
                if rise > horizon * m {
                    horizon = rise / m;
                }
                if let Some(d) = diffraction.as_mut() {
                    d.push(step.m, step.crossing);
                }
            }
            if keep_profile {
                profile.push(step.crossing);
            }
            Ok(())
        };
        match &itm_steps {
            Some(steps) => steps.iter().try_for_each(&mut visit)?,
            None => self.radials.trace(z, ray, &mut visit)?,
        }
        Ok(out)
    }

    /// The value of the cell owned at `step`, from the profile of samples
    /// 0..m (the receiver's ground is appended and removed here).
    #[inline]
    fn evaluate(
        &self,
        step: &Step,
        cell: super::sweep::OwnedCell,
        horizon: f64,
        missing: Option<(usize, usize)>,
        terrain: RayTerrain<'_>,
    ) -> Result<CellValue> {
        let (row, col) = (cell.row, cell.col);
        let unknown = CellValue { row: row as u32, col: col as u32, loss: f32::NAN, rsrp: f32::NAN, los: Visibility::Unknown as u8 };
        let z_cell = self.dem.data()[row * self.dem.cols() + col] as f64;
        if z_cell.is_nan() {
            return match self.policy {
                MissingTerrainPolicy::Error => Err(self.missing((row, col), "the receiver's cell".into())),
                MissingTerrainPolicy::Unknown => Ok(unknown),
            };
        }
        let m = step.m as f64;
        let d2 = cell.east_m * cell.east_m + cell.north_m * cell.north_m;
        let rx_top = z_cell + self.rx_height;
        let up = rx_top - self.curvature * d2 - self.eye; // receiver above the antenna's horizontal
        let hidden = up < horizon * m;
        let los = if hidden {
            Visibility::Invisible
        } else if missing.is_some() {
            Visibility::Unknown
        } else {
            Visibility::Visible
        };
        if let Some(at) = missing
            && self.policy == MissingTerrainPolicy::Error
        {
            let [x, y] = self.dem.cell_centre(row, col);
            return Err(self.missing(at, format!("on the path from the site to the cell at ({x}, {y})")));
        }
        let loss = match &self.model.kind {
            // TR 38.901 needs neither the profile nor the 2D distance itself.
            Kind::Tr38901(curves) if !self.model.is_near_field_squared(d2) => {
                if los == Visibility::Unknown {
                    return Ok(unknown);
                }
                curves.loss_db_squared(d2, los == Visibility::Visible)
            }
            kind => {
                let d = d2.sqrt();
                if self.model.is_near_field(d) {
                    self.model.near_field_loss_db(d, rx_top - self.eye)?
                } else if missing.is_some() {
                    return Ok(CellValue { los: los as u8, ..unknown });
                } else {
                    match (kind, terrain) {
                        (Kind::Itm { .. }, RayTerrain::Itm(radial)) => radial.loss_db(step.m, z_cell, d / m)?,
                        (Kind::Diffraction, RayTerrain::Diffraction(bullington, profile)) => {
                            let rise = rx_top - self.eye;
                            self.free_space.loss_db_squared(d2 + rise * rise) + bullington.loss_db(profile, step.m, rx_top)
                        }
                        _ => {
                            return Err(Error::InvalidParameter {
                                name: "model",
                                value: f64::NAN,
                                expected: "a ray prepared for the model (internal)".into(),
                            });
                        }
                    }
                }
            }
        };
        let rsrp = self.rsrp(cell.east_m, cell.north_m, up, loss);
        Ok(CellValue { loss: loss as f32, rsrp, los: los as u8, ..unknown })
    }
}

/// What a ray keeps of its terrain for the model's loss.
enum RayTerrain<'a> {
    /// ITM: the ray's incremental state.
    Itm(&'a mut RadialItm),
    /// Bullington: the ray's hull and the ground heights so far.
    Diffraction(&'a mut RadialBullington, &'a [f64]),
    /// TR 38.901 needs no terrain.
    None,
}

/// The link budget of a site up to the path loss: RSRP (dBm) = P_tx −
/// L_feeder + G(towards the receiver) − 10·log10(12·N_RB) − L.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    /// RSRP (dBm) on the antenna's peak before the path loss: EIRP − 10·log10(12·N_RB).
    peak_dbm: f64,
    antenna: Antenna,
}

impl Budget {
    pub(crate) fn new(site: &Site) -> Self {
        Budget { peak_dbm: site.eirp_dbm() - site.rsrp_offset_db(), antenna: *site.antenna() }
    }

    /// RSRP (dBm) at a receiver offset `[east, north, up]` (m) from the antenna over a path loss.
    #[inline]
    pub(crate) fn rsrp_dbm(&self, offset_m: [f64; 3], loss_db: f64) -> f64 {
        let gain_below_peak = match self.antenna.pattern() {
            AntennaPattern::Omni => 0.0,
            AntennaPattern::Sector(_) => self.antenna.gain_towards_dbi(offset_m) - self.antenna.max_gain_dbi(),
        };
        self.peak_dbm + gain_below_peak - loss_db
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::propagation::itm::Climate;
    use crate::{GeoTransform, ItmSettings, Technology};

    /// The parts of a sweep, merged, are the whole map bit for bit (every
    /// model, missing terrain, 1 to 5 parts); a part out of range is refused.
    #[test]
    fn merged_parts_equal_the_whole_map() {
        let n = 121;
        let z = Array2::from_shape_fn((n, n), |(r, c)| {
            let (x, y) = (c as f64 / 9.0, r as f64 / 13.0);
            if (20..26).contains(&r) && (80..90).contains(&c) { f32::NAN } else { (80.0 * x.sin() * y.cos() + 90.0).max(0.0) as f32 }
        });
        let dem = Dem::new(z, GeoTransform::new(0.0, n as f64 * 30.0, 30.0, 30.0), Crs::Projected { epsg: 32652 }, None)
            .unwrap();
        let site = Site::new("s", dem.cell_centre(60, 57), 25.0, Technology::Lte, 1800.0, 20.0, 43.0, 0.0, Antenna::omni(0.0).unwrap())
            .unwrap();
        let models = [
            RadioModel::diffraction(),
            RadioModel::itm(),
            RadioModel::tr38901(crate::propagation::Tr38901Scenario::RMa),
        ];
        for model in models {
            for radius in [1_700.0, 2_500.0] {
                let options = CoverageOptions::new(radius, model)
                    .with_missing_terrain(MissingTerrainPolicy::Unknown)
                    .with_clip_to_dem(true);
                let whole = site_coverage(&dem, &site, &options, &()).unwrap();
                for parts in 1..=5 {
                    let mut merged = site_coverage_part(&dem, &site, &options, 0, parts, &()).unwrap();
                    for part in 1..parts {
                        let p = site_coverage_part(&dem, &site, &options, part, parts, &()).unwrap();
                        assert!(parts == 1 || p.computed_count() < whole.computed_count() || matches!(model, RadioModel::Tr38901 { .. }));
                        merged.merge_part(&p).unwrap();
                    }
                    let bits = |m: &CoverageMap| {
                        (m.path_loss_db().iter().map(|v| v.to_bits()).collect::<Vec<_>>(), m.rsrp_dbm().iter().map(|v| v.to_bits()).collect::<Vec<_>>())
                    };
                    assert_eq!(bits(&merged), bits(&whole), "{} r {radius}, {parts} parts", model.name());
                    assert_eq!(merged.los_codes(), whole.los_codes());
                    assert_eq!((merged.dem_offset(), merged.site_cell(), merged.transform()), (whole.dem_offset(), whole.site_cell(), whole.transform()));
                }
                assert!(site_coverage_part(&dem, &site, &options, 2, 2, &()).is_err());
                let mut whole = whole;
                let moved = Site::new("s", dem.cell_centre(61, 57), 25.0, Technology::Lte, 1800.0, 20.0, 43.0, 0.0, Antenna::omni(0.0).unwrap())
                    .unwrap();
                let p = site_coverage_part(&dem, &moved, &options, 1, 2, &()).unwrap();
                assert!(whole.merge_part(&p).is_err());
            }
        }
    }

    /// The radial ITM (`RadialItm`, one ray at a time) gives every cell of a
    /// whole map the loss of one `itm::p2p` on that cell's own profile (the
    /// per-cell path it replaced), on rough terrain with a valley, a ridge
    /// and the sea, rays long enough for its hull, and a missing patch.
    #[test]
    fn radial_itm_map_equals_p2p_per_cell() {
        let n = 181;
        let mut seed = 7u64;
        let z = Array2::from_shape_fn((n, n), |(r, c)| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let noise = ((seed >> 33) % 1000) as f64 / 1000.0 * 15.0;
            let (x, y) = (c as f64 / 20.0, r as f64 / 27.0);
            let land = 120.0 * (x.sin() * y.cos()) + 60.0 * (0.3 * x + 0.2 * y).sin() + noise;
            if (40..60).contains(&r) && (120..140).contains(&c) {
                f32::NAN
            } else {
                land.max(0.0) as f32
            }
        });
        let dem = Dem::new(z, GeoTransform::new(0.0, n as f64 * 30.0, 30.0, 30.0), Crs::Projected { epsg: 32652 }, None)
            .unwrap();
        let site = Site::new("s", dem.cell_centre(90, 90), 25.0, Technology::Lte, 1800.0, 20.0, 43.0, 0.0, Antenna::omni(0.0).unwrap())
            .unwrap();
        for settings in [ItmSettings::splat(Climate::MaritimeTemperateOverLand), ItmSettings::default()] {
            let options = CoverageOptions::new(2_650.0, RadioModel::Itm(settings))
                .with_missing_terrain(MissingTerrainPolicy::Unknown);
            let map = site_coverage(&dem, &site, &options, &()).unwrap();
            let sweep = SiteSweep::new(&dem, &site, &options).unwrap();
            let Kind::Itm { params, quantiles } = sweep.model.kind else { panic!("not ITM") };
            let (r0, c0) = sweep.radials.window_origin;
            let mut checked = 0;
            for &ray in &sweep.radials.rays {
                let mut profile = vec![sweep.ground];
                let mut missing = false;
                sweep
                    .radials
                    .trace(dem.data(), ray, |step| {
                        if let Some(cell) = step.cell {
                            let got = map.path_loss_db()[(cell.row - r0, cell.col - c0)];
                            let z_cell = dem.data()[cell.row * dem.cols() + cell.col] as f64;
                            if missing || z_cell.is_nan() {
                                assert!(got.is_nan());
                            } else {
                                let d = (cell.east_m * cell.east_m + cell.north_m * cell.north_m).sqrt();
                                profile.push(z_cell);
                                let want = SiteModel::itm_loss_db(&params, quantiles, &profile, d / step.m as f64).unwrap();
                                profile.pop();
                                assert!(
                                    (got as f64 - want).abs() <= 2e-5 * want.abs().max(1.0),
                                    "cell ({}, {}), step {}: {got} vs {want}",
                                    cell.row,
                                    cell.col,
                                    step.m
                                );
                                checked += 1;
                            }
                        }
                        missing |= step.crossing.is_nan();
                        profile.push(step.crossing);
                        Ok(())
                    })
                    .unwrap();
            }
            assert!(checked > 20_000, "{checked}");
        }
    }
}
