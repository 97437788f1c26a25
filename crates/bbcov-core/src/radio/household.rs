//! The signal at each household: best RSRP with indoor penetration loss,
//! serving site, SINR and covered flag, on an exact profile per household
//! and site (not read off a grid).

use super::coverage::{Budget, MissingTerrainPolicy};
use super::link_budget::{check_load, check_noise_figure, mw, noise_per_resource_element_dbm, occupied_bandwidth_hz, sinr_db};
use super::model::{Kind, SiteModel};
use super::{IndoorLoss, RadioModel, ThroughputModel, for_site};
use crate::profile::{STANDARD_K_FACTOR, check_k, curvature_per_m};
use crate::propagation::{TerrainProfile, bullington, free_space_loss_db};
use crate::{Dem, Error, Households, Result, Site, ViewshedOptions, Visibility, line_of_sight, terrain_profile};

/// Options of [`household_signal`].
///
/// ```
/// use bbcov_core::{HouseholdRadioOptions, IndoorLoss, RadioModel};
/// let o = HouseholdRadioOptions::new(10_000.0, RadioModel::itm())
///     .with_indoor_loss(IndoorLoss::Tr38901LowLoss { indoor_distance_m: 5.0 });
/// assert_eq!((o.receiver_height_m, o.load, o.noise_figure_db), (1.5, 1.0, 7.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct HouseholdRadioOptions {
    /// Receiver antenna height above the ground at the household (m; 1.5).
    pub receiver_height_m: f64,
    /// Penetration loss from outside to the receiver (none by default: outdoor).
    pub indoor_loss: IndoorLoss,
    /// RSRP (dBm, indoor loss included) at and above which a household is
    /// covered; `None`: the serving site's technology default.
    pub rsrp_threshold_dbm: Option<f64>,
    /// Propagation model.
    pub model: RadioModel,
    /// Sites farther than this from a household (m) do not reach it.
    pub radius_m: f64,
    /// Effective earth radius factor k (4/3).
    pub k_factor: f64,
    /// What a path over missing terrain means.
    pub missing_terrain: MissingTerrainPolicy,
    /// Fraction of resource elements the interfering cells transmit on (1: fully loaded).
    pub load: f64,
    /// Receiver noise figure (dB; 7, a typical handset).
    pub noise_figure_db: f64,
    /// Spectral efficiency as a function of SINR.
    pub throughput: ThroughputModel,
    /// Whether to find each household's line of sight from its serving site
    /// ([`HouseholdSignal::line_of_sight`]): one more pass over the terrain
    /// per household, which the signal does not need (`false` by default:
    /// `None`).
    pub line_of_sight: bool,
}

impl HouseholdRadioOptions {
    /// Options for `model` up to `radius_m`: 1.5 m outdoor receiver, technology
    /// thresholds, k = 4/3, missing terrain an error, full load, NF 7 dB, no
    /// line of sight.
    pub fn new(radius_m: f64, model: RadioModel) -> Self {
        HouseholdRadioOptions {
            receiver_height_m: 1.5,
            indoor_loss: IndoorLoss::None,
            rsrp_threshold_dbm: None,
            model,
            radius_m,
            k_factor: STANDARD_K_FACTOR,
            missing_terrain: MissingTerrainPolicy::Error,
            load: 1.0,
            noise_figure_db: 7.0,
            throughput: ThroughputModel::default(),
            line_of_sight: false,
        }
    }

    /// The options of a grid computation (same model, radius, receiver, k, threshold, policy).
    pub fn from_coverage(options: &super::CoverageOptions) -> Self {
        HouseholdRadioOptions {
            receiver_height_m: options.receiver_height_m,
            rsrp_threshold_dbm: options.rsrp_threshold_dbm,
            k_factor: options.k_factor,
            missing_terrain: options.missing_terrain,
            throughput: options.throughput,
            ..HouseholdRadioOptions::new(options.radius_m, options.model)
        }
    }

    /// Sets the indoor penetration loss.
    pub fn with_indoor_loss(mut self, indoor_loss: IndoorLoss) -> Self {
        self.indoor_loss = indoor_loss;
        self
    }

    /// Sets the receiver height above ground (m).
    pub fn with_receiver_height(mut self, receiver_height_m: f64) -> Self {
        self.receiver_height_m = receiver_height_m;
        self
    }

    /// Sets the RSRP threshold (dBm) for every site.
    pub fn with_rsrp_threshold(mut self, rsrp_threshold_dbm: f64) -> Self {
        self.rsrp_threshold_dbm = Some(rsrp_threshold_dbm);
        self
    }

    /// Sets the interference load and the receiver noise figure.
    pub fn with_load(mut self, load: f64, noise_figure_db: f64) -> Self {
        self.load = load;
        self.noise_figure_db = noise_figure_db;
        self
    }

    /// Sets what a path over missing terrain means.
    pub fn with_missing_terrain(mut self, missing_terrain: MissingTerrainPolicy) -> Self {
        self.missing_terrain = missing_terrain;
        self
    }

    /// Sets whether each household's line of sight is found.
    pub fn with_line_of_sight(mut self, line_of_sight: bool) -> Self {
        self.line_of_sight = line_of_sight;
        self
    }

    fn validate(&self) -> Result<()> {
        super::CoverageOptions {
            receiver_height_m: self.receiver_height_m,
            k_factor: self.k_factor,
            rsrp_threshold_dbm: self.rsrp_threshold_dbm,
            throughput: self.throughput,
            ..super::CoverageOptions::new(self.radius_m, self.model)
        }
        .validate()?;
        if !(self.radius_m.is_finite() && self.radius_m > 0.0) {
            return Err(Error::InvalidParameter { name: "radius_m", value: self.radius_m, expected: "a finite radius > 0 m".into() });
        }
        check_k(self.k_factor)?;
        check_load(self.load)?;
        check_noise_figure(self.noise_figure_db)
    }
}

/// The radio signal at one household.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HouseholdSignal {
    /// Best RSRP (dBm), indoor loss included; NaN when no site reaches the household.
    pub rsrp_dbm: f64,
    /// Index (in `sites`) of the site with the best RSRP (ties: the lower index).
    pub serving_site: Option<usize>,
    /// Path loss (dB) from the serving site, without the indoor loss.
    pub path_loss_db: f64,
    /// Line of sight from the serving site's antenna to the receiver (`None`
    /// without a serving site or with [`HouseholdRadioOptions::line_of_sight`] off).
    pub line_of_sight: Option<Visibility>,
    /// SINR (dB) of the serving site; NaN without one.
    pub sinr_db: f64,
    /// Throughput estimate (Mbit/s) of one user on the serving carrier; 0 without one.
    pub throughput_mbps: f64,
    /// The best RSRP reaches the serving site's threshold.
    pub covered: bool,
    /// Sites within the radius whose path crosses missing terrain
    /// ([`MissingTerrainPolicy::Unknown`]): an uncovered household with
    /// unknown paths is not known to be unserved.
    pub unknown_sites: u32,
}

/// What every household needs of one site.
struct SiteInfo<'a> {
    site: &'a Site,
    model: SiteModel,
    /// Top of the antenna: bilinear ground at the site's position + height.
    eye: f64,
    indoor_db: f64,
    noise_mw: f64,
    group: usize,
    threshold_dbm: f64,
    bandwidth_hz: f64,
    budget: Budget,
}

/// The signal of `sites` at every household, each computed on its own
/// terrain profile from each site's exact position to the household's (DEM
/// samples no farther apart than the DEM's smaller pixel size, bilinear
/// heights; [`terrain_profile`]) with the receiver `receiver_height_m` above
/// the ground there:
///
/// - RSRP = EIRP towards the household − 10·log10(12·N_RB) − path loss − indoor loss;
///   sites farther than `radius_m` do not reach it; the best RSRP serves (ties to the lower index);
/// - line of sight (when asked for): [`line_of_sight`] (R3) with k;
/// - SINR = S / (load·Σ I + N) over the co-channel sites (same carrier frequency) within the radius,
///   N the noise per resource element of the serving technology ([`noise_per_resource_element_dbm`]);
/// - throughput = spectral efficiency (SINR) × occupied bandwidth of the serving carrier.
///
/// Parallel over households with the `parallel` feature (same result without).
///
/// Errors: households and DEM in different CRSs ([`Error::CrsMismatch`]);
/// invalid options; a household outside the DEM ([`Error::OutsideDem`]
/// naming it); per site ([`Error::Site`]): outside the DEM, on missing
/// ground, outside the model's validity range; a path or a household on
/// missing terrain under [`MissingTerrainPolicy::Error`].
///
/// ```
/// use bbcov_core::{Antenna, Crs, Dem, GeoTransform, HouseholdRadioOptions, Households, IndoorLoss, RadioModel, Site, Technology, household_signal};
/// use ndarray::Array2;
/// let crs = Crs::Projected { epsg: 32652 };
/// let dem = Dem::new(Array2::zeros((201, 201)), GeoTransform::new(0.0, 2010.0, 10.0, 10.0), crs, None)?;
/// let site = Site::new("s1", [1005.0, 1005.0], 30.0, Technology::NrFr1, 3500.0, 100.0, 46.0, 0.0, Antenna::omni(0.0)?)?;
/// let hh = Households::new(crs, vec![[1505.0, 1005.0], [1905.0, 1905.0]], None, None)?;
/// let outdoor = HouseholdRadioOptions::new(1000.0, RadioModel::diffraction());
/// let indoor = outdoor.with_indoor_loss(IndoorLoss::Tr38901LowLoss { indoor_distance_m: 0.0 });
/// let (o, i) = (household_signal(&dem, &[site.clone()], &hh, &outdoor)?, household_signal(&dem, &[site], &hh, &indoor)?);
/// assert_eq!(o[0].serving_site, Some(0));
/// assert!((o[0].rsrp_dbm - i[0].rsrp_dbm - 12.70).abs() < 0.01); // the low-loss wall at 3.5 GHz
/// assert_eq!(o[1].serving_site, None); // 1.27 km away, beyond the radius
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn household_signal(
    dem: &Dem,
    sites: &[Site],
    households: &Households,
    options: &HouseholdRadioOptions,
) -> Result<Vec<HouseholdSignal>> {
    if households.crs() != dem.crs() {
        return Err(Error::CrsMismatch {
            left_layer: "households".into(),
            left: households.crs(),
            right_layer: "DEM".into(),
            right: dem.crs(),
        });
    }
    options.validate()?;
    let mut carriers: Vec<f64> = vec![];
    let mut infos = Vec::with_capacity(sites.len());
    for site in sites {
        let mut info = || -> Result<SiteInfo<'_>> {
            let [x, y] = site.position();
            let ground = dem.sample_named(x, y, "site")?;
            let model = options.model.for_site(site, options.receiver_height_m, options.radius_m)?;
            let f = site.frequency_mhz();
            let group = carriers.iter().position(|&g| g == f).unwrap_or_else(|| {
                carriers.push(f);
                carriers.len() - 1
            });
            Ok(SiteInfo {
                site,
                model,
                eye: ground + site.height_m(),
                indoor_db: options.indoor_loss.loss_db(f)?,
                noise_mw: mw(noise_per_resource_element_dbm(site.technology(), options.noise_figure_db)?),
                group,
                threshold_dbm: options.rsrp_threshold_dbm.unwrap_or_else(|| site.technology().default_rsrp_threshold_dbm()),
                bandwidth_hz: occupied_bandwidth_hz(site),
                budget: Budget::new(site),
            })
        };
        infos.push(info().map_err(for_site(site.id()))?);
    }
    let step_m = dem.transform().dx.min(dem.transform().dy);
    let context = Context { dem, options, infos: &infos, step_m, curvature: curvature_per_m(options.k_factor) };
    let indices: Vec<usize> = (0..households.len()).collect();
    crate::parallel::map_chunks(&indices, |&i| context.household(households, i))
}

struct Context<'a> {
    dem: &'a Dem,
    options: &'a HouseholdRadioOptions,
    infos: &'a [SiteInfo<'a>],
    step_m: f64,
    curvature: f64,
}

/// One site's signal at one household.
#[derive(Debug, Clone, Copy)]
struct Reception {
    rsrp_dbm: f64,
    loss_db: f64,
}

impl Context<'_> {
    fn household(&self, households: &Households, i: usize) -> Result<HouseholdSignal> {
        let name = || match households.ids() {
            Some(ids) => format!("household {i} (id {:?})", ids[i]),
            None => format!("household {i}"),
        };
        let [x, y] = households.coords()[i];
        let ground = match self.dem.sample_named(x, y, &name()) {
            Ok(g) => Some(g),
            Err(Error::MissingElevation { x, y, row, col, .. }) => match self.options.missing_terrain {
                MissingTerrainPolicy::Error => {
                    return Err(Error::MissingElevation { x, y, row, col, context: Some(format!("the ground at {}", name())) });
                }
                MissingTerrainPolicy::Unknown => None,
            },
            Err(e) => return Err(e),
        };
        let mut receptions: Vec<Option<Reception>> = Vec::with_capacity(self.infos.len());
        let mut unknown_sites = 0;
        for info in self.infos {
            let [sx, sy] = info.site.position();
            let d = (x - sx).hypot(y - sy);
            if d.is_nan() || d > self.options.radius_m {
                receptions.push(None);
                continue;
            }
            let r = match ground {
                Some(g) => self.reception(info, [x, y], g, d).map_err(|e| match e {
                    Error::MissingElevation { x, y, row, col, context } => Error::MissingElevation {
                        x,
                        y,
                        row,
                        col,
                        context: Some(format!("{} to {}", context.unwrap_or_default(), name())),
                    },
                    e => e,
                }).map_err(for_site(info.site.id()))?,
                None => None,
            };
            unknown_sites += u32::from(r.is_none());
            receptions.push(r);
        }
        // Best server: strictly larger RSRP wins, so ties stay with the lower index.
        let mut best: Option<(usize, Reception)> = None;
        for (j, r) in receptions.iter().enumerate() {
            if let Some(r) = r
                && best.is_none_or(|(_, b)| r.rsrp_dbm > b.rsrp_dbm)
            {
                best = Some((j, *r));
            }
        }
        let Some((s, serving)) = best else {
            return Ok(HouseholdSignal {
                rsrp_dbm: f64::NAN,
                serving_site: None,
                path_loss_db: f64::NAN,
                line_of_sight: None,
                sinr_db: f64::NAN,
                throughput_mbps: 0.0,
                covered: false,
                unknown_sites,
            });
        };
        let info = &self.infos[s];
        let interference: f64 = receptions
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != s && self.infos[j].group == info.group)
            .filter_map(|(_, r)| r.map(|r| mw(r.rsrp_dbm)))
            .sum::<f64>()
            * self.options.load;
        let sinr = sinr_db(mw(serving.rsrp_dbm), interference, info.noise_mw);
        let los = match self.options.line_of_sight {
            true => Some(line_of_sight(self.dem, info.site.position(), [x, y], &self.los_options(info)).map_err(for_site(info.site.id()))?),
            false => None,
        };
        Ok(HouseholdSignal {
            rsrp_dbm: serving.rsrp_dbm,
            serving_site: Some(s),
            path_loss_db: serving.loss_db,
            line_of_sight: los,
            sinr_db: sinr,
            throughput_mbps: self.options.throughput.spectral_efficiency(sinr) * info.bandwidth_hz / 1e6,
            covered: serving.rsrp_dbm >= info.threshold_dbm,
            unknown_sites,
        })
    }

    fn los_options(&self, info: &SiteInfo<'_>) -> ViewshedOptions {
        ViewshedOptions::new(info.site.height_m(), self.options.receiver_height_m, f64::INFINITY)
            .with_k_factor(self.options.k_factor)
    }

    /// The signal of one site at a household `d` m away whose ground is `ground`;
    /// `None` when unknown (missing terrain under the Unknown policy).
    fn reception(&self, info: &SiteInfo<'_>, at: [f64; 2], ground: f64, d: f64) -> Result<Option<Reception>> {
        let model = &info.model;
        let rx_top = ground + self.options.receiver_height_m;
        let missing = |e: Error| match (e, self.options.missing_terrain) {
            (Error::MissingElevation { .. }, MissingTerrainPolicy::Unknown) => Ok(None),
            (e, _) => Err(e),
        };
        let loss = if model.is_near_field(d) {
            model.near_field_loss_db(d, rx_top - info.eye)?
        } else {
            match &model.kind {
                Kind::Tr38901(curves) => {
                    let visible = match line_of_sight(self.dem, info.site.position(), at, &self.los_options(info))? {
                        Visibility::Visible => true,
                        Visibility::Invisible => false,
                        _ if self.options.missing_terrain == MissingTerrainPolicy::Unknown => return Ok(None),
                        _ => return Err(self.missing_on_sightline(info, at)),
                    };
                    curves.loss_db(d, visible)
                }
                Kind::Itm { params, quantiles } => {
                    let p = match terrain_profile(self.dem, info.site.position(), at, self.step_m) {
                        Ok(p) => p,
                        Err(e) => return missing(e),
                    };
                    let spacing = p.length_m() / (p.len() - 1) as f64;
                    SiteModel::itm_loss_db(params, *quantiles, p.heights_m(), spacing)?
                }
                Kind::Diffraction => {
                    let p = match terrain_profile(self.dem, info.site.position(), at, self.step_m) {
                        Ok(p) => p,
                        Err(e) => return missing(e),
                    };
                    let tp = TerrainProfile::new(
                        p.distances_m(),
                        p.heights_m(),
                        info.site.height_m(),
                        self.options.receiver_height_m,
                        self.options.k_factor,
                    )?;
                    free_space_loss_db(d.hypot(rx_top - info.eye), model.f_mhz)? + bullington(&tp, model.f_mhz)?.loss_db
                }
            }
        };
        let [sx, sy] = info.site.position();
        let up = rx_top - info.eye - self.curvature * d * d;
        let rsrp = info.budget.rsrp_dbm([at[0] - sx, at[1] - sy, up], loss) - info.indoor_db;
        Ok(Some(Reception { rsrp_dbm: rsrp, loss_db: loss }))
    }

    /// The error for a sightline from the site to `at` over missing terrain:
    /// the first missing sample of the profile, else the household's cell.
    fn missing_on_sightline(&self, info: &SiteInfo<'_>, at: [f64; 2]) -> Error {
        match terrain_profile(self.dem, info.site.position(), at, self.step_m) {
            Err(e @ Error::MissingElevation { .. }) => e,
            _ => {
                let (row, col) = self.dem.cell_of(at[0], at[1]).unwrap_or((0, 0));
                Error::MissingElevation {
                    x: at[0],
                    y: at[1],
                    row,
                    col,
                    context: Some("the line of sight from the site crosses missing terrain".into()),
                }
            }
        }
    }
}
