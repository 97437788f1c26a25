//! The content of a report, independent of language and format.
//!
//! Every number of the report comes from here; the renderers only format
//! and translate. Keys (`key` fields) are language-neutral identifiers that
//! the renderers translate; names (`name` fields) are data and are printed
//! as they are. Household counts are weights (households, not points), so
//! they are `f64`.

use serde::{Deserialize, Serialize};

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Name of the region (from the region file).
    pub region: String,
    /// Date the report was made, `YYYY-MM-DD`.
    pub generated_on: String,
    /// The region in a few figures.
    pub summary: Summary,
    /// One row per municipality.
    pub municipalities: Vec<AreaRow>,
    /// One row per island.
    pub islands: Vec<AreaRow>,
    /// The proposed new base stations.
    pub plan: Plan,
    /// Before/after comparison of scenarios; the first is the baseline.
    pub scenarios: Vec<Scenario>,
    /// Maps, rendered as images (not part of the JSON summary).
    #[serde(skip)]
    pub maps: Vec<MapImage>,
    /// What the numbers rest on.
    pub assumptions: Assumptions,
}

/// The region in a few figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Households in the region.
    pub households: f64,
    /// Households within the drop distance of a fiber route.
    pub fiber: f64,
    /// Households whose best-server RSRP reaches the threshold, per technology.
    pub radio: Vec<TechnologyCoverage>,
    /// Households that any existing site covers.
    pub radio_any: f64,
    /// Households by service: fiber only, radio only, both, none.
    pub services: ServiceCounts,
    /// Regulator-style metrics today.
    pub metrics_before: RegulatorMetrics,
    /// Regulator-style metrics with the plan's new sites.
    pub metrics_after: RegulatorMetrics,
}

/// Radio coverage of the existing sites of one technology.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechnologyCoverage {
    /// Technology key: `"4G"`, `"5G"` or `"local5G"`.
    pub technology: String,
    /// Existing sites of this technology.
    pub sites: usize,
    /// Households covered by these sites.
    pub households: f64,
}

/// Households by the services that reach them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServiceCounts {
    pub fiber_only: f64,
    pub radio_only: f64,
    pub both: f64,
    pub none: f64,
}

/// The regulator-style metrics of the siting issue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RegulatorMetrics {
    /// Share of households within reach of fiber (0–1).
    pub fiber_availability_rate: f64,
    /// 5G sites (existing, or existing + planned).
    pub five_g_sites: usize,
    /// 5G population coverage by 500 m square (0–1).
    pub population_coverage_500m: f64,
    /// 10 km squares with households that hold a 5G station.
    pub squares_10km_with_5g: usize,
    /// 10 km squares with households.
    pub squares_10km_with_households: usize,
}

/// One municipality or island.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaRow {
    /// Its name, as in the household data.
    pub name: String,
    pub households: f64,
    /// Households within reach of fiber.
    pub fiber: f64,
    /// Households covered by an existing site.
    pub radio: f64,
    /// Households that neither reaches today.
    pub unserved: f64,
    /// Households still unserved with the plan's new sites.
    pub unserved_after_plan: f64,
}

/// The siting plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The problem solved, as a key: `"max_covering"`, `"budgeted_covering"` or `"target_covering"`.
    pub problem: String,
    /// The proposed sites, in the order the plan adds them.
    pub sites: Vec<PlannedSite>,
    /// Unserved households the plan covers.
    pub newly_served: f64,
    /// Sum of the sites' capital cost (with backhaul).
    pub capex: f64,
    /// Capital plus operating cost over `years`.
    pub lifetime_cost: f64,
    /// Years of operation in `lifetime_cost`.
    pub years: u32,
    /// Upper bound on the households any plan of the same size/budget could newly serve.
    pub bound: f64,
    /// Relative optimality gap (0–1).
    pub gap: f64,
}

/// One proposed base station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedSite {
    pub id: String,
    /// Position, degrees (JGD2011 / WGS 84 longitude and latitude).
    pub lon: f64,
    pub lat: f64,
    /// Technology key: `"4G"`, `"5G"` or `"local5G"`.
    pub technology: String,
    pub mast_height_m: f64,
    /// Unserved households within its coverage.
    pub covered_households: f64,
    /// Households it adds to the sites before it in the plan.
    pub new_households: f64,
    /// Backhaul key: `"fiber"` or `"microwave"`.
    pub backhaul: String,
    pub backhaul_km: f64,
    /// Capital cost, site and backhaul.
    pub capex: f64,
    pub opex_per_year: f64,
    /// `capex / new_households` (NaN when it adds none).
    pub cost_per_new_household: f64,
}

/// One scenario of the before/after comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Scenario key, e.g. `"baseline"`, `"fiber_extension"`, `"new_sites"`, `"combined"`.
    pub key: String,
    /// Households served (fiber or radio).
    pub served: f64,
    pub unserved: f64,
    /// Households served that the baseline leaves unserved.
    pub newly_served: f64,
    /// Capital cost of the scenario.
    pub capex: f64,
    /// `capex / newly_served` (NaN when it serves none).
    pub cost_per_newly_served: f64,
}

/// A map of the report, rendered as a PNG image.
#[derive(Debug, Clone, PartialEq)]
pub struct MapImage {
    /// Map key: `"coverage"`, `"unserved"` or `"plan"`.
    pub key: String,
    /// The PNG file's bytes.
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Ground size of a pixel (m) in the map's CRS, the DEM's: gives the printed scale.
    pub metres_per_pixel: f64,
}

/// What the numbers rest on, so that they can be challenged.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Assumptions {
    /// Models and their settings (propagation model, k factor, receiver height, indoor loss, ...).
    pub models: Vec<Assumption>,
    /// Thresholds (fiber drop distance, RSRP per technology, 500 m-square rule, ...).
    pub thresholds: Vec<Assumption>,
    /// The cost table.
    pub costs: Vec<Assumption>,
    /// The input data.
    pub sources: Vec<DataSource>,
}

/// One assumption: a translated key and its language-neutral value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assumption {
    pub key: String,
    /// The value, formatted and translated by the renderers.
    pub value: AssumptionValue,
}

/// The value of an assumption, independent of language: numbers stay
/// numbers, sentences are phrase keys that [`crate::i18n`] translates.
///
/// In JSON: `{"kind": "quantity", "value": 300.0, "unit": "m"}`,
/// `{"kind": "phrases", "items": [{"key": "candidates_grid", "args": [{"number": 2000.0}]}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssumptionValue {
    /// A number with a unit symbol written the same in every language
    /// (`"m"`, `"dB"`, `"dBm"`, `"MHz"`, `"°"`; empty for none).
    Quantity { value: f64, unit: String },
    /// A share (0–1), printed as a percentage.
    Share { value: f64 },
    /// An amount of money (yen).
    Money { value: f64 },
    /// A count of items (candidates, sites).
    Count { value: f64 },
    /// A duration in years.
    Years { value: f64 },
    /// A model key (technology, backhaul, ...), translated as [`crate::key_label`] does.
    Key { key: String },
    /// A proper name printed as it is in every language (a standard, a model).
    Name { text: String },
    /// Phrases of [`crate::i18n`] (templates with arguments), joined as a list.
    Phrases { items: Vec<Phrase> },
}

/// A phrase: the key of a template of [`crate::i18n::PHRASES`] and its arguments,
/// which replace `{0}`, `{1}`, ... in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phrase {
    pub key: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<PhraseArg>,
}

/// An argument of a [`Phrase`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhraseArg {
    /// A number, printed with thousands separators and at most 3 decimals.
    Number(f64),
    /// A model key or area field, translated as [`crate::key_label`] does.
    Key(String),
    /// Text printed as it is (a name).
    Text(String),
}

impl Phrase {
    /// A phrase with its arguments.
    pub fn new(key: &str, args: Vec<PhraseArg>) -> Self {
        Phrase { key: key.to_owned(), args }
    }
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSource {
    /// Key of the layer: `"households"`, `"fiber"`, `"dem"`, `"towers"`, `"roads"`, `"land"`.
    pub key: String,
    /// File name (no directories).
    pub file: String,
    /// Its CRS, e.g. `"EPSG:6668"`, or `"lon/lat"` for coordinates in degrees with no stated CRS (translated).
    pub crs: String,
    /// Records (points, lines) or cells.
    pub records: u64,
    /// Date of the data (from the file's metadata or the region file), `YYYY-MM-DD` or empty.
    pub date: String,
}
