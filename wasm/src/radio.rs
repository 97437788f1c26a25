//! `Site`, `siteCoverage` and `householdSignal`: radio coverage over a DEM.

use bbcov_core::propagation::itm::Climate;
use bbcov_core::{
    Antenna, AntennaPattern, CoverageOptions, HouseholdRadioOptions, IndoorLoss, ItmSettings, RadioModel, SectorPattern,
    Site, Technology,
};
use js_sys::{Array, Float32Array, Float64Array, Int32Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::dem::JsDem;
use crate::error::{JsResult, invalid_input, to_js};
use crate::households::JsHouseholds;
use crate::input::{Options, set};

/// A base-station site (one sector or one omni antenna) at (x, y) in the DEM's CRS.
#[wasm_bindgen(js_name = Site)]
pub struct JsSite(pub(crate) Site);

const SITE_OPTIONS: [&str; 11] = [
    "heightM",
    "technology",
    "frequencyMhz",
    "bandwidthMhz",
    "txPowerDbm",
    "eirpDbm",
    "gainDbi",
    "azimuthDeg",
    "downtiltDeg",
    "feederLossDb",
    "omni",
];

#[wasm_bindgen(js_class = Site)]
impl JsSite {
    /// A site `id` at (`x`, `y`) metres in the DEM's CRS. Options (as in the
    /// sites CSV of the CLI): `heightM`, `technology` ("4G"/"LTE",
    /// "5G"/"NR"/"local5G": FR1 or FR2 by frequency), `frequencyMhz`,
    /// `bandwidthMhz` (default LTE 20, NR FR1 100, FR2 400), `txPowerDbm` or
    /// `eirpDbm`, `gainDbi` (default 8 with an azimuth, 0 omni), `azimuthDeg`
    /// (leave out, or `omni: true`, for an omni antenna), `downtiltDeg` (0),
    /// `feederLossDb` (0). Throws with the Rust message on a bad value.
    #[wasm_bindgen(constructor)]
    pub fn new(
        id: String,
        x: f64,
        y: f64,
        #[wasm_bindgen(unchecked_param_type = "SiteOptions")] options: JsValue,
    ) -> JsResult<JsSite> {
        let o = Options::new(Some(options), "site", &SITE_OPTIONS)?;
        let need = |key: &str, v: Option<f64>| v.ok_or_else(|| invalid_input(format!("site {id:?}: {key} is required")));
        let frequency = need("frequencyMhz", o.number("frequencyMhz")?)?;
        let height = need("heightM", o.number("heightM")?)?;
        let tech_name = o.string("technology")?.unwrap_or_else(|| "4G".into());
        // The getter's names ("NR FR1", "NR FR2") round-trip like "5G": FR1 or FR2 by frequency.
        let key = Technology::normalize_label(&tech_name);
        let label = if key == "nrfr1" || key == "nrfr2" { "5g" } else { key.as_str() };
        let technology = Technology::from_label(label, frequency).ok_or_else(|| {
            invalid_input(format!("site {id:?}: unknown technology {key:?}; use 4G/LTE, 5G/NR or local5G"))
        })?;
        let bandwidth = o.number("bandwidthMhz")?.unwrap_or(match technology {
            Technology::Lte => 20.0,
            Technology::NrFr1 => 100.0,
            Technology::NrFr2 => 400.0,
        });
        let azimuth = if o.boolean("omni")?.unwrap_or(false) { None } else { o.number("azimuthDeg")? };
        let gain = o.number("gainDbi")?.unwrap_or(if azimuth.is_some() { Antenna::TR_38901_MAX_GAIN_DBI } else { 0.0 });
        let downtilt = o.number("downtiltDeg")?.unwrap_or(0.0);
        let antenna = match azimuth {
            Some(az) => Antenna::new(AntennaPattern::Sector(SectorPattern::TR_38901), gain, az, downtilt),
            None => Antenna::new(AntennaPattern::Omni, gain, 0.0, downtilt),
        }
        .map_err(to_js)?;
        let feeder = o.number("feederLossDb")?.unwrap_or(0.0);
        let tx_power = match (o.number("txPowerDbm")?, o.number("eirpDbm")?) {
            (Some(p), _) => p,
            (None, Some(eirp)) => eirp - gain + feeder,
            (None, None) => return Err(invalid_input(format!("site {id:?}: give txPowerDbm or eirpDbm"))),
        };
        Site::new(id, [x, y], height, technology, frequency, bandwidth, tx_power, feeder, antenna).map(JsSite).map_err(to_js)
    }

    /// Site id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.0.id().into()
    }

    /// x (m, DEM CRS).
    #[wasm_bindgen(getter)]
    pub fn x(&self) -> f64 {
        self.0.position()[0]
    }

    /// y (m, DEM CRS).
    #[wasm_bindgen(getter)]
    pub fn y(&self) -> f64 {
        self.0.position()[1]
    }

    /// Antenna height above ground (m).
    #[wasm_bindgen(getter, js_name = heightM)]
    pub fn height_m(&self) -> f64 {
        self.0.height_m()
    }

    /// Technology: "LTE", "NR FR1" or "NR FR2".
    #[wasm_bindgen(getter)]
    pub fn technology(&self) -> String {
        self.0.technology().name().into()
    }

    /// Carrier frequency (MHz).
    #[wasm_bindgen(getter, js_name = frequencyMhz)]
    pub fn frequency_mhz(&self) -> f64 {
        self.0.frequency_mhz()
    }

    /// Channel bandwidth (MHz).
    #[wasm_bindgen(getter, js_name = bandwidthMhz)]
    pub fn bandwidth_mhz(&self) -> f64 {
        self.0.bandwidth_mhz()
    }

    /// Transmit power at the antenna port (dBm).
    #[wasm_bindgen(getter, js_name = txPowerDbm)]
    pub fn tx_power_dbm(&self) -> f64 {
        self.0.tx_power_dbm()
    }

    /// Peak EIRP (dBm).
    #[wasm_bindgen(getter, js_name = eirpDbm)]
    pub fn eirp_dbm(&self) -> f64 {
        self.0.eirp_dbm()
    }

    /// Sector azimuth (degrees); `undefined` for an omni antenna.
    #[wasm_bindgen(getter, js_name = azimuthDeg)]
    pub fn azimuth_deg(&self) -> Option<f64> {
        matches!(self.0.antenna().pattern(), AntennaPattern::Sector(_)).then(|| self.0.antenna().azimuth_deg())
    }

    /// Maximum antenna gain (dBi).
    #[wasm_bindgen(getter, js_name = gainDbi)]
    pub fn gain_dbi(&self) -> f64 {
        self.0.antenna().max_gain_dbi()
    }

    /// Feeder loss (dB).
    #[wasm_bindgen(getter, js_name = feederLossDb)]
    pub fn feeder_loss_db(&self) -> f64 {
        self.0.tx_power_dbm() + self.0.antenna().max_gain_dbi() - self.0.eirp_dbm()
    }

    /// Mechanical downtilt (degrees).
    #[wasm_bindgen(getter, js_name = downtiltDeg)]
    pub fn downtilt_deg(&self) -> f64 {
        self.0.antenna().downtilt_deg()
    }

    /// The same site at (`x`, `y`).
    #[wasm_bindgen(js_name = withPosition)]
    pub fn with_position(&self, x: f64, y: f64) -> JsSite {
        JsSite(self.0.clone().with_position([x, y]))
    }
}

/// The model named `name`: "diffraction" or "itm" (ITM in a maritime
/// temperate climate over land, as the CLI's `--model itm`).
fn model_of(name: Option<String>) -> JsResult<RadioModel> {
    match name.as_deref().unwrap_or("itm") {
        "diffraction" => Ok(RadioModel::diffraction()),
        "itm" => Ok(RadioModel::Itm(ItmSettings { climate: Climate::MaritimeTemperateOverLand, ..ItmSettings::default() })),
        other => Err(invalid_input(format!("unknown radio model {other:?}; use \"diffraction\" or \"itm\""))),
    }
}

fn coverage_options(o: &Options, radius_m: f64) -> JsResult<CoverageOptions> {
    let mut opts = CoverageOptions::new(radius_m, model_of(o.string("model")?)?).with_clip_to_dem(true);
    if let Some(h) = o.number("rxHeightM")? {
        opts = opts.with_receiver_height(h);
    }
    if let Some(t) = o.number("thresholdDbm")? {
        opts = opts.with_rsrp_threshold(t);
    }
    Ok(opts)
}

/// The RSRP (dBm) of `site` on the DEM cells within `radiusM` (default
/// 15 km; clipped to the DEM): `{ rsrp: Float32Array (rows × cols, row 0
/// north, NaN where not computed), rows, cols, geotransform: GDAL's
/// [x0, dx, 0, y0, 0, -dy], demOffset: [row, col], thresholdDbm,
/// coveredCount }`. Options: `radiusM`, `model` ("diffraction" | "itm"),
/// `rxHeightM` (1.5), `thresholdDbm` (the technology's, -110).
#[wasm_bindgen(js_name = siteCoverage, unchecked_return_type = "SiteCoverage")]
pub fn site_coverage(
    dem: &JsDem,
    site: &JsSite,
    #[wasm_bindgen(unchecked_param_type = "CoverageOptions | undefined")] options: JsValue,
) -> JsResult<Object> {
    let o = Options::new(Some(options), "siteCoverage", &["radiusM", "model", "rxHeightM", "thresholdDbm"])?;
    let opts = coverage_options(&o, o.number("radiusM")?.unwrap_or(15_000.0))?;
    let map = bbcov_core::site_coverage(&dem.0, &site.0, &opts, &()).map_err(to_js)?;
    Ok(coverage_object(&map))
}

/// Part `part` of `parts` of `siteCoverage` (for workers; same options and
/// result fields): every `parts`-th ray of the sweep from ray `part` on,
/// the other cells NaN. Merged, with a part's finite-or-NaN rule (a cell is
/// computed by exactly one part; where a part did not compute it, its RSRP
/// is NaN), the parts give `siteCoverage`'s `rsrp` bit for bit;
/// `coveredCount` is the part's.
#[wasm_bindgen(js_name = siteCoveragePart, unchecked_return_type = "SiteCoverage")]
pub fn site_coverage_part(
    dem: &JsDem,
    site: &JsSite,
    #[wasm_bindgen(unchecked_param_type = "CoverageOptions | undefined")] options: JsValue,
    part: u32,
    parts: u32,
) -> JsResult<Object> {
    let o = Options::new(Some(options), "siteCoveragePart", &["radiusM", "model", "rxHeightM", "thresholdDbm"])?;
    let opts = coverage_options(&o, o.number("radiusM")?.unwrap_or(15_000.0))?;
    let map = bbcov_core::radio::site_coverage_part(&dem.0, &site.0, &opts, part as usize, parts as usize, &())
        .map_err(to_js)?;
    Ok(coverage_object(&map))
}

/// The JS object of a coverage map (see `siteCoverage`).
fn coverage_object(map: &bbcov_core::CoverageMap) -> Object {
    let (rows, cols) = map.shape();
    let t = map.transform();
    let rsrp = map.rsrp_dbm();
    let out = Object::new();
    let data = match rsrp.as_slice() {
        Some(s) => Float32Array::from(s),
        None => Float32Array::from(rsrp.iter().copied().collect::<Vec<_>>().as_slice()),
    };
    set(&out, "rsrp", data);
    set(&out, "rows", rows as f64);
    set(&out, "cols", cols as f64);
    set(&out, "geotransform", Float64Array::from(&[t.origin_x, t.dx, 0.0, t.origin_y, 0.0, -t.dy][..]));
    let (r, c) = map.dem_offset();
    set(&out, "demOffset", Array::of2(&(r as f64).into(), &(c as f64).into()));
    set(&out, "thresholdDbm", map.rsrp_threshold_dbm());
    set(&out, "coveredCount", map.covered_count() as f64);
    out
}

/// The signal of `sites` at every household (households in the DEM's CRS),
/// each on its exact terrain profile: `{ rsrp: Float64Array (dBm, indoor loss
/// included; -Infinity or NaN where no site reaches), covered: Uint8Array,
/// servingSite: Int32Array (index into `sites`, -1 for none) }`. Options:
/// `radiusM` (15 km), `model`, `rxHeightM`, `thresholdDbm`, `indoor` (true:
/// TR 38.901 O2I low-loss at the wall, as the CLI's `--indoor true`),
/// `load` (0.5, as the CLI), `noiseFigureDb` (7).
#[wasm_bindgen(js_name = householdSignal, unchecked_return_type = "HouseholdSignals")]
pub fn household_signal(
    dem: &JsDem,
    #[wasm_bindgen(unchecked_param_type = "Site[]")] sites: JsValue,
    households: &JsHouseholds,
    #[wasm_bindgen(unchecked_param_type = "HouseholdSignalOptions | undefined")] options: JsValue,
) -> JsResult<Object> {
    let o = Options::new(
        Some(options),
        "householdSignal",
        &["radiusM", "model", "rxHeightM", "thresholdDbm", "indoor", "load", "noiseFigureDb"],
    )?;
    let sites = sites_from_js(&sites, "householdSignal")?;
    let opts = household_options(&o)?;
    let n = households.0.len();
    let (mut rsrp, mut covered, mut serving) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    if !sites.is_empty() {
        for s in bbcov_core::household_signal(&dem.0, &sites, &households.0, &opts).map_err(to_js)? {
            rsrp.push(s.rsrp_dbm);
            covered.push(u8::from(s.covered));
            serving.push(s.serving_site.map_or(-1, |i| i as i32));
        }
    } else {
        rsrp.resize(n, f64::NEG_INFINITY);
        covered.resize(n, 0);
        serving.resize(n, -1);
    }
    let out = Object::new();
    set(&out, "rsrp", Float64Array::from(rsrp.as_slice()));
    set(&out, "covered", Uint8Array::from(covered.as_slice()));
    set(&out, "servingSite", Int32Array::from(serving.as_slice()));
    set(&out, "coveredCount", covered.iter().filter(|&&c| c != 0).count() as f64);
    Ok(out)
}

/// The options of `householdSignal` (and of the siting's coverage sets):
/// `radiusM` (15 km), `model`, `rxHeightM`, `thresholdDbm`, `indoor` (true),
/// `load` (0.5) and `noiseFigureDb` (7), as the CLI's `[radio]` table.
pub(crate) fn household_options(o: &Options) -> JsResult<HouseholdRadioOptions> {
    let cov = coverage_options(o, o.number("radiusM")?.unwrap_or(15_000.0))?;
    let opts = HouseholdRadioOptions::from_coverage(&cov)
        .with_load(o.number("load")?.unwrap_or(0.5), o.number("noiseFigureDb")?.unwrap_or(7.0));
    Ok(if o.boolean("indoor")?.unwrap_or(true) {
        opts.with_indoor_loss(IndoorLoss::Tr38901LowLoss { indoor_distance_m: 0.0 })
    } else {
        opts
    })
}

/// The core sites of a JS array of `Site`s (`what` names the caller in errors).
pub(crate) fn sites_from_js(value: &JsValue, what: &str) -> JsResult<Vec<Site>> {
    if !Array::is_array(value) {
        return Err(invalid_input(format!("{what}: sites must be an array of Site")));
    }
    Array::from(value)
        .iter()
        .enumerate()
        .map(|(i, v)| site_from_js(&v).unwrap_or_else(|| Err(invalid_input(format!("{what}: sites[{i}] is not a Site")))))
        .collect()
}

/// The core site behind a JS `Site`, rebuilt from its getters (the JS
/// object stays usable: wasm-bindgen would move it out to pass it by value).
fn site_from_js(value: &JsValue) -> Option<JsResult<Site>> {
    if !value.is_object() {
        return None;
    }
    let get = |key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).ok();
    let num = |key: &str| get(key).and_then(|v| v.as_f64());
    let id = get("id")?.as_string()?;
    let (x, y, tech) = (num("x")?, num("y")?, get("technology")?.as_string()?);
    let options = Object::new();
    for key in ["heightM", "frequencyMhz", "bandwidthMhz", "txPowerDbm", "gainDbi", "azimuthDeg", "downtiltDeg", "feederLossDb"] {
        if let Some(v) = num(key) {
            set(&options, key, v);
        }
    }
    set(&options, "technology", if tech == "LTE" { "LTE" } else { "NR" });
    set(&options, "omni", num("azimuthDeg").is_none());
    Some(JsSite::new(id, x, y, options.into()).map(|s| s.0))
}
