//! Languages of the report: every heading, column label and model key in
//! Japanese and English, and how each language writes numbers.
//!
//! - Fixed text (headings, labels, sentences) is a [`Msg`]; a `match` gives
//!   both languages, so a message cannot lack one.
//! - Keys of the model (technology, backhaul, problem, scenario, map,
//!   assumption and data-source keys) are translated by [`key_label`]; a key
//!   this module does not know is printed as it is, so a new assumption
//!   still shows up in the appendix. [`KNOWN_KEYS`] lists the keys it knows.
//! - Assumption values are language-neutral ([`crate::AssumptionValue`]):
//!   quantities with units, shares, money, keys, and phrases of [`PHRASES`]
//!   with arguments; [`Lang::value`] writes them in the language.
//! - Numbers: household counts are rounded to whole households with thousands
//!   separators ([`Lang::count`]); rates are percentages with one decimal
//!   ([`Lang::percent`]); money is yen ([`Lang::yen`]): `¥12,345,000` in
//!   English, and in Japanese the way prefectural budget papers write it,
//!   rounded to 万円 with 億 split off (`1,235万円`, `12億3,457万円`; below
//!   1万円 in yen, `8,000円`). A value that is not finite prints as `–`.
//!
//! ```
//! use bbcov_report::Lang;
//!
//! let ja: Lang = "ja".parse().unwrap();
//! assert_eq!(ja.count(12_345.4), "12,345");
//! assert_eq!(ja.percent(0.9183), "91.8%");
//! assert_eq!(ja.yen(12_345_000.0), "1,235万円");
//! assert_eq!(ja.yen(1_234_567_890.0), "12億3,457万円");
//! assert_eq!(Lang::En.yen(12_345_000.0), "¥12,345,000");
//! assert_eq!(Lang::En.count(f64::NAN), "–");
//! assert_eq!(bbcov_report::key_label(ja, "fiber_extension"), "光ファイバ延伸");
//! assert_eq!(bbcov_report::key_label(ja, "my_own_key"), "my_own_key");
//! ```

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::model::{AssumptionValue, Phrase, PhraseArg};

/// What is printed for a number that is not finite (NaN, ∞).
pub const MISSING: &str = "–";

/// Language of a report.
///
/// ```
/// use bbcov_report::Lang;
/// assert_eq!("en".parse::<Lang>().unwrap(), Lang::En);
/// assert_eq!(Lang::Ja.code(), "ja");
/// assert!("fr".parse::<Lang>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Japanese.
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The BCP 47 code: `"ja"` or `"en"` (also the HTML `lang` attribute).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// A fixed text in this language.
    pub fn msg(self, msg: Msg) -> &'static str {
        msg.text(self)
    }

    /// Whole households (or any count carried as `f64`), rounded, with
    /// thousands separators: `12,345`.
    pub fn count(self, value: f64) -> String {
        if !value.is_finite() {
            return MISSING.into();
        }
        group_integer(value.round())
    }

    /// A count with its unit: `12,345 households` / `12,345世帯`.
    pub fn households(self, value: f64) -> String {
        let n = self.count(value);
        match self {
            Lang::Ja => format!("{n}世帯"),
            Lang::En if n == "1" => "1 household".into(),
            Lang::En => format!("{n} households"),
        }
    }

    /// An integer with thousands separators.
    pub fn integer(self, value: u64) -> String {
        group_digits(&value.to_string())
    }

    /// A share (0–1) as a percentage with one decimal: `91.8%`.
    pub fn percent(self, ratio: f64) -> String {
        if !ratio.is_finite() {
            return MISSING.into();
        }
        format!("{}%", self.decimal(ratio * 100.0, 1))
    }

    /// A number with `digits` decimals and thousands separators: `1,234.5`.
    pub fn decimal(self, value: f64, digits: usize) -> String {
        if !value.is_finite() {
            return MISSING.into();
        }
        let text = format!("{:.*}", digits, value);
        let (sign, text) = match text.strip_prefix('-') {
            // "-0.0" is zero.
            Some(rest) if rest.chars().any(|c| c.is_ascii_digit() && c != '0') => ("-", rest),
            Some(rest) => ("", rest),
            None => ("", text.as_str()),
        };
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let int = group_digits(int);
        if frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        }
    }

    /// An amount of money in yen: `¥12,345,000` / `1,235万円`, `12億3,457万円`, `8,000円`.
    ///
    /// Japanese amounts of 1万円 or more are rounded to 万円 (half away from
    /// zero), the unit of prefectural budget documents.
    pub fn yen(self, value: f64) -> String {
        if !value.is_finite() {
            return MISSING.into();
        }
        let sign = if value < 0.0 && value.abs().round() > 0.0 {
            "-"
        } else {
            ""
        };
        let abs = value.abs();
        match self {
            Lang::En => format!("{sign}¥{}", group_integer(abs.round())),
            Lang::Ja if abs.round() < 10_000.0 => format!("{sign}{}円", group_integer(abs.round())),
            Lang::Ja => {
                let man = (abs / 10_000.0).round();
                let oku = (man / 10_000.0).floor();
                let rest = man - oku * 10_000.0;
                if oku == 0.0 {
                    format!("{sign}{}万円", group_integer(man))
                } else if rest == 0.0 {
                    format!("{sign}{}億円", group_integer(oku))
                } else {
                    format!("{sign}{}億{}万円", group_integer(oku), group_integer(rest))
                }
            }
        }
    }

    /// A `YYYY-MM-DD` date as the language writes it: `2026-11-23` /
    /// `2026年11月23日`; anything else is printed as it is.
    pub fn date(self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        match (self, parts.as_slice()) {
            (Lang::Ja, [y, m, d]) if parts.iter().all(|p| numeric(p)) && y.len() == 4 => {
                let m: u32 = m.parse().unwrap_or(0);
                let d: u32 = d.parse().unwrap_or(0);
                format!("{y}年{m}月{d}日")
            }
            _ => iso.to_string(),
        }
    }
}

impl Lang {
    /// A number with thousands separators and at most 3 decimals, trailing zeros dropped: `1,500`, `1.333`, `-110`.
    ///
    /// ```
    /// use bbcov_report::Lang;
    /// assert_eq!(Lang::Ja.number(1_500.0), "1,500");
    /// assert_eq!(Lang::En.number(4.0 / 3.0), "1.333");
    /// ```
    pub fn number(self, value: f64) -> String {
        let text = self.decimal(value, 3);
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    }

    /// A phrase of [`PHRASES`] with its arguments; an unknown key prints as
    /// the key followed by its arguments.
    ///
    /// ```
    /// use bbcov_report::{Lang, Phrase, PhraseArg};
    /// let p = Phrase::new("candidates_grid", vec![PhraseArg::Number(2_000.0)]);
    /// assert_eq!(Lang::Ja.phrase(&p), "2,000m間隔の格子点");
    /// assert_eq!(Lang::En.phrase(&p), "grid every 2,000 m");
    /// ```
    pub fn phrase(self, phrase: &Phrase) -> String {
        let args: Vec<String> = phrase
            .args
            .iter()
            .map(|a| match a {
                PhraseArg::Number(v) => self.number(*v),
                PhraseArg::Key(k) => key_label(self, k).into_owned(),
                PhraseArg::Text(t) => t.clone(),
            })
            .collect();
        match PHRASES.iter().find(|(k, _, _)| *k == phrase.key) {
            Some((_, en, ja)) => {
                let mut text = match self {
                    Lang::En => (*en).to_string(),
                    Lang::Ja => (*ja).to_string(),
                };
                for (i, a) in args.iter().enumerate() {
                    text = text.replace(&format!("{{{i}}}"), a);
                }
                text
            }
            None if args.is_empty() => phrase.key.clone(),
            None => format!("{} ({})", phrase.key, args.join(", ")),
        }
    }

    /// An assumption's value as the language writes it: `300 m` / `300m`,
    /// `50.0%`, money as [`Lang::yen`], `10 years` / `10年`, keys and phrases translated.
    ///
    /// ```
    /// use bbcov_report::{AssumptionValue, Lang};
    /// let drop = AssumptionValue::Quantity { value: 300.0, unit: "m".into() };
    /// assert_eq!((Lang::En.value(&drop), Lang::Ja.value(&drop)), ("300 m".into(), "300m".into()));
    /// assert_eq!(Lang::Ja.value(&AssumptionValue::Years { value: 10.0 }), "10年");
    /// ```
    pub fn value(self, value: &AssumptionValue) -> String {
        match value {
            AssumptionValue::Quantity { value, unit } => {
                let n = self.number(*value);
                if unit.is_empty() || unit == "°" || self == Lang::Ja {
                    format!("{n}{unit}")
                } else {
                    format!("{n} {unit}")
                }
            }
            AssumptionValue::Share { value } => self.percent(*value),
            AssumptionValue::Money { value } => self.yen(*value),
            AssumptionValue::Count { value } => self.count(*value),
            AssumptionValue::Years { value } => match self {
                Lang::En if *value == 1.0 => "1 year".into(),
                Lang::En => format!("{} years", self.number(*value)),
                Lang::Ja => format!("{}年", self.number(*value)),
            },
            AssumptionValue::Key { key } => key_label(self, key).into_owned(),
            AssumptionValue::Name { text } => text.clone(),
            AssumptionValue::Phrases { items } => {
                let sep = match self {
                    Lang::En => "; ",
                    Lang::Ja => "、",
                };
                items.iter().map(|p| self.phrase(p)).collect::<Vec<_>>().join(sep)
            }
        }
    }
}

/// Rounds nothing: formats an already integral, finite `f64` with separators.
fn group_integer(value: f64) -> String {
    let negative = value < 0.0 && value != 0.0;
    // f64 prints integers exactly (no exponent) with `{:.0}`.
    let digits = format!("{:.0}", value.abs());
    let grouped = group_digits(&digits);
    if negative {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// Puts a comma every three digits of a string of ASCII digits.
fn group_digits(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl FromStr for Lang {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ja" | "jp" | "jpn" | "japanese" => Ok(Lang::Ja),
            "en" | "eng" | "english" => Ok(Lang::En),
            _ => Err(Error::UnknownLang(s.to_string())),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Keys of the model and their labels: `(key, English, Japanese)`.
///
/// Grouped as the model documents them: technologies, backhaul, problems,
/// scenarios, maps, data sources, then assumption keys (models,
/// thresholds, costs) as the report assembler writes them.
pub const KNOWN_KEYS: &[(&str, &str, &str)] = &[
    // Technologies.
    ("4G", "4G (LTE)", "4G（LTE）"),
    ("5G", "5G", "5G"),
    ("local5G", "Local 5G", "ローカル5G"),
    // Backhaul.
    ("fiber", "Fiber", "光ファイバ"),
    ("microwave", "Microwave", "マイクロ波"),
    // Siting problems.
    (
        "max_covering",
        "Maximal covering (most households with a given number of sites)",
        "最大被覆（指定局数で最多の世帯をカバー）",
    ),
    (
        "budgeted_covering",
        "Budgeted covering (most households within a budget)",
        "予算制約付き被覆（予算内で最多の世帯をカバー）",
    ),
    (
        "target_covering",
        "Target covering (least cost reaching a target share)",
        "目標被覆（目標カバー率を最小費用で達成）",
    ),
    // Scenarios.
    ("baseline", "Today (baseline)", "現状"),
    ("fiber_extension", "Fiber extension", "光ファイバ延伸"),
    ("new_sites", "New base stations", "基地局新設"),
    (
        "combined",
        "Fiber extension + new base stations",
        "光ファイバ延伸＋基地局新設",
    ),
    // Maps.
    (
        "coverage",
        "Coverage today: fiber and radio",
        "現状の整備状況（光ファイバ・携帯電話）",
    ),
    ("unserved", "Unserved households", "未整備世帯の分布"),
    ("plan", "Proposed base stations", "基地局の整備計画"),
    // Data sources (layers).
    ("households", "Households", "世帯"),
    ("dem", "Elevation model (DEM)", "標高データ（DEM）"),
    ("towers", "Existing base stations", "既設基地局"),
    ("roads", "Roads", "道路"),
    ("land", "Land / sea", "陸域・海域"),
    // Assumptions: models.
    ("propagation_model", "Propagation model", "電波伝搬モデル"),
    ("terrain", "Terrain", "地形"),
    (
        "k_factor",
        "Effective earth-radius factor k",
        "等価地球半径係数 k",
    ),
    ("rx_height", "Receiver height", "受信高"),
    ("indoor_loss", "Indoor (building entry) loss", "屋内侵入損"),
    (
        "radius",
        "Computation radius per site",
        "基地局ごとの計算半径",
    ),
    (
        "load",
        "Network load (interference)",
        "ネットワーク負荷（干渉）",
    ),
    ("noise_figure", "Receiver noise figure", "受信機雑音指数"),
    ("technology", "Technology of new sites", "新設局の方式"),
    ("frequency", "Frequency", "周波数"),
    ("bandwidth", "Bandwidth", "帯域幅"),
    ("eirp", "EIRP", "実効輻射電力（EIRP）"),
    ("mast_height", "Mast height", "アンテナ高"),
    ("candidates", "Candidate sites", "候補地点"),
    ("candidate_filters", "Candidate sites kept", "候補地点の条件"),
    ("candidate_count", "Candidate sites after filters", "条件を満たす候補地点数"),
    ("solver", "Solver", "最適化手法"),
    // Assumptions: thresholds.
    (
        "max_drop",
        "Fiber drop distance (household served by fiber within)",
        "光ファイバ引込距離（この距離以内を提供可能とする）",
    ),
    (
        "rsrp_threshold",
        "RSRP threshold",
        "受信電力（RSRP）しきい値",
    ),
    (
        "rsrp_threshold_4G",
        "RSRP threshold, 4G",
        "受信電力（RSRP）しきい値（4G）",
    ),
    (
        "rsrp_threshold_5G",
        "RSRP threshold, 5G",
        "受信電力（RSRP）しきい値（5G）",
    ),
    (
        "rsrp_threshold_local5G",
        "RSRP threshold, local 5G",
        "受信電力（RSRP）しきい値（ローカル5G）",
    ),
    (
        "square_500m_rule",
        "500 m square counted as covered when",
        "500mメッシュをカバーとみなす条件",
    ),
    (
        "square_10km_rule",
        "10 km square counted when",
        "10kmメッシュの算入条件",
    ),
    (
        "fresnel_clearance",
        "Microwave Fresnel-zone clearance",
        "マイクロ波のフレネルゾーンクリアランス",
    ),
    // Assumptions: costs.
    (
        "site_capex",
        "New site (mast, power, radio)",
        "基地局新設費（鉄塔・電源・無線設備）",
    ),
    (
        "fiber_capex_per_km",
        "Fiber extension per km",
        "光ファイバ延伸費（1kmあたり）",
    ),
    (
        "microwave_link_capex",
        "Microwave link (both ends)",
        "マイクロ波回線（両端）",
    ),
    (
        "site_opex_per_year",
        "Site operation per year",
        "基地局運用費（年間）",
    ),
    (
        "fiber_opex_per_km_year",
        "Fiber operation per km and year",
        "光ファイバ運用費（1km・年あたり）",
    ),
    (
        "microwave_link_opex_per_year",
        "Microwave link operation per year",
        "マイクロ波回線運用費（年間）",
    ),
    ("years", "Evaluation period", "評価期間"),
    ("currency", "Cost figures", "費用の出所"),
    // Map legends (see `maps::legend`).
    ("covered_area", "Area covered by existing sites", "既設基地局のカバーエリア"),
    ("fiber_route", "Fiber route", "光ファイバ網"),
    ("existing_site", "Existing base station", "既設基地局"),
    ("fiber_only", "Household: fiber only", "世帯：光ファイバのみ"),
    ("radio_only", "Household: radio only", "世帯：携帯電話のみ"),
    ("both", "Household: fiber and radio", "世帯：光ファイバ・携帯電話とも"),
    ("none", "Household: unserved", "世帯：未整備"),
    ("other_households", "Other households", "その他の世帯"),
    ("newly_served", "Unserved household the plan serves", "計画で整備される未整備世帯"),
    ("still_unserved", "Household still unserved", "計画後も未整備の世帯"),
    ("fiber_spur", "Fiber extension (spur)", "光ファイバ延伸（引込線）"),
    ("proposed_site", "Proposed base station (No.)", "新設基地局（番号）"),
    // Area fields (clusters of the fiber extension).
    ("municipality", "municipality", "市町村"),
    ("island", "island", "島"),
    ("village", "village", "集落"),
    // Coordinates without a stated CRS.
    ("lon/lat", "lon/lat (degrees)", "経緯度（度）"),
];

/// Phrases of assumption values: `(key, English, Japanese)`, arguments
/// written `{0}`, `{1}`, ... (see [`crate::model::Phrase`]).
pub const PHRASES: &[(&str, &str, &str)] = &[
    ("model_itm", "ITM (Longley-Rice), point-to-point mode", "ITM（Longley-Rice）ポイント・ツー・ポイント予測"),
    (
        "model_diffraction",
        "free space + Bullington diffraction over the terrain profile (ITU-R P.525-4, P.526-15 §4.5.1)",
        "自由空間損失＋地形断面のBullington回折損失（ITU-R P.525-4、P.526-15 §4.5.1）",
    ),
    ("model_tr38901", "3GPP TR 38.901 {0}, LOS/NLOS from the terrain", "3GPP TR 38.901 {0}（見通し内外は地形から判定）"),
    (
        "terrain_sea_surface",
        "the DEM's elevations; its {0} cells below 0 m (sea floor) at the sea surface, 0 m",
        "DEMの標高（0m未満の{0}セル（海底）は海面の0mとして計算）",
    ),
    ("indoor_none", "none (outdoor receiver)", "なし（屋外受信）"),
    ("indoor_tr38901_low", "3GPP TR 38.901 O2I low-loss model, {0} m indoors", "3GPP TR 38.901 O2I 低損失モデル（屋内距離{0}m）"),
    ("indoor_tr38901_high", "3GPP TR 38.901 O2I high-loss model, {0} m indoors", "3GPP TR 38.901 O2I 高損失モデル（屋内距離{0}m）"),
    ("candidates_high_points", "terrain high points (radius {0} m, relief {1} m)", "地形の高所（半径{0}m、比高{1}m）"),
    ("candidates_grid", "grid every {0} m", "{0}m間隔の格子点"),
    ("candidates_towers", "existing towers", "既設鉄塔"),
    ("filter_land_slope", "on land, slope ≤ {0}°", "陸上かつ傾斜{0}°以下"),
    ("filter_road", "≤ {0} m from a road", "道路から{0}m以内"),
    (
        "solver_greedy",
        "lazy greedy + swap local search, with a Lagrangian upper bound (see the plan overview)",
        "遅延評価付き貪欲法＋入替え局所探索、ラグランジュ緩和による上界（計画の概要を参照）",
    ),
    ("square_500m_at_least", "5G best-server RSRP ≥ threshold on at least {0}% of its area", "5Gの受信電力がしきい値以上となる面積が{0}%以上"),
    ("square_500m_more_than", "5G best-server RSRP ≥ threshold on more than {0}% of its area", "5Gの受信電力がしきい値以上となる面積が{0}%超"),
    (
        "square_10km",
        "10 km squares (JIS X 0410 2nd mesh) with households; counted when a 5G base station stands in it",
        "世帯のある10kmメッシュ（JIS X 0410 第2次地域区画）のうち5G基地局があるもの",
    ),
    ("fresnel", "{0}% of the first Fresnel zone clear, k = {1}", "第1フレネルゾーンの{0}%を確保（k = {1}）"),
    ("extension_clusters_by_field", "clusters: unserved households by {0}", "クラスタ：{0}単位の未整備世帯"),
    ("extension_clusters_by_square", "clusters: unserved households per {0} m square", "クラスタ：{0}m四方の区画ごとの未整備世帯"),
    (
        "extension_spur",
        "one straight spur to the weighted centre of each cluster at most {0} m from the network (route = {1} × straight length)",
        "網から{0}m以内のクラスタの重心へ直線の引込線を1本（経路長＝直線距離×{1}）",
    ),
    (
        "costs_illustrative",
        "illustrative default units of bbcov, not real prices: replace them with the operator's or the prefecture's figures",
        "bbcovの例示用の既定値であり実際の価格ではない（事業者・県の数値に置き換えること）",
    ),
    (
        "costs_given",
        "as given in the region file ([plan] costs); costs not given are bbcov's illustrative defaults",
        "地域ファイル（[plan]の費用）による。指定のない費用はbbcovの例示用既定値",
    ),
];

/// Technology keys of the model.
pub const TECHNOLOGY_KEYS: &[&str] = &["4G", "5G", "local5G"];
/// Backhaul keys of the model.
pub const BACKHAUL_KEYS: &[&str] = &["fiber", "microwave"];
/// Siting-problem keys of the model.
pub const PROBLEM_KEYS: &[&str] = &["max_covering", "budgeted_covering", "target_covering"];
/// Scenario keys of the model.
pub const SCENARIO_KEYS: &[&str] = &["baseline", "fiber_extension", "new_sites", "combined"];
/// Map keys of the model.
pub const MAP_KEYS: &[&str] = &["coverage", "unserved", "plan"];
/// Data-source (layer) keys of the model.
pub const SOURCE_KEYS: &[&str] = &["households", "fiber", "dem", "towers", "roads", "land"];
/// Assumption keys with a label: models, thresholds and costs.
pub const ASSUMPTION_KEYS: &[&str] = &[
    "propagation_model",
    "k_factor",
    "rx_height",
    "indoor_loss",
    "radius",
    "terrain",
    "load",
    "noise_figure",
    "technology",
    "frequency",
    "bandwidth",
    "eirp",
    "mast_height",
    "candidates",
    "candidate_filters",
    "candidate_count",
    "solver",
    "max_drop",
    "rsrp_threshold",
    "rsrp_threshold_4G",
    "rsrp_threshold_5G",
    "rsrp_threshold_local5G",
    "square_500m_rule",
    "square_10km_rule",
    "fresnel_clearance",
    "site_capex",
    "fiber_capex_per_km",
    "microwave_link_capex",
    "site_opex_per_year",
    "fiber_opex_per_km_year",
    "microwave_link_opex_per_year",
    "years",
    "currency",
];

/// Area fields that phrases name (clusters of the fiber extension).
pub const AREA_KEYS: &[&str] = &["municipality", "island", "village"];

/// The label of a model key in `lang`, or the key itself when it is not
/// one of [`KNOWN_KEYS`].
///
/// ```
/// use bbcov_report::{key_label, Lang};
/// assert_eq!(key_label(Lang::En, "microwave"), "Microwave");
/// assert_eq!(key_label(Lang::Ja, "local5G"), "ローカル5G");
/// assert_eq!(key_label(Lang::Ja, "rainfall"), "rainfall");
/// ```
pub fn key_label(lang: Lang, key: &str) -> Cow<'_, str> {
    match KNOWN_KEYS.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, ja)) => Cow::Borrowed(match lang {
            Lang::En => *en,
            Lang::Ja => *ja,
        }),
        None => Cow::Borrowed(key),
    }
}

macro_rules! messages {
    ($($(#[$doc:meta])* $name:ident => $en:expr, $ja:expr;)*) => {
        /// A fixed text of the report (heading, label, sentence), in both languages.
        ///
        /// ```
        /// use bbcov_report::{Lang, Msg};
        /// assert_eq!(Lang::Ja.msg(Msg::Summary), "概要");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Msg {
            $($(#[$doc])* $name,)*
        }

        impl Msg {
            /// Every message.
            pub const ALL: &'static [Msg] = &[$(Msg::$name,)*];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::En) => $en, (Msg::$name, Lang::Ja) => $ja,)*
                }
            }
        }
    };
}

messages! {
    Title => "Broadband coverage report", "ブロードバンド整備状況報告書";
    Region => "Region", "対象地域";
    GeneratedOn => "Date", "作成日";
    Contents => "Contents", "目次";
    GeneratedBy => "Generated with bbcov from the data and assumptions listed in the appendix.", "本報告書は、付録に示すデータと前提条件に基づき bbcov により作成した。";
    // Sections.
    Summary => "Summary", "概要";
    KeyFigures => "Key figures", "主要指標";
    RadioByTechnology => "Radio coverage by technology (existing sites)", "方式別の携帯電話カバー状況（既設基地局）";
    Services => "Households by service", "サービス別世帯数";
    Metrics => "Regulator metrics: today and with the plan", "行政指標：現状と計画実施後";
    Municipalities => "By municipality", "市町村別";
    Islands => "By island", "島別";
    Maps => "Maps", "地図";
    SitePlan => "Site plan", "基地局整備計画";
    PlanSummary => "Plan overview", "計画の概要";
    PlanSites => "Proposed base stations", "新設基地局一覧";
    Scenarios => "Scenario comparison", "シナリオ比較";
    Appendix => "Appendix: assumptions and data sources", "付録：前提条件とデータ出典";
    Models => "Models", "計算モデル";
    Thresholds => "Thresholds", "判定基準（しきい値）";
    Costs => "Cost table", "費用単価";
    Sources => "Data sources", "データ出典";
    Figure => "Figure", "図";
    NoRows => "None.", "該当なし。";
    CostNote => "Costs follow the cost table of the appendix; challenge them there.", "費用は付録の費用単価による概算である。";
    IllustrativeCostsNote => "Costs use bbcov's illustrative default unit costs, not real prices (see the cost table of the appendix).", "費用はbbcovの例示用の既定単価による試算であり、実際の価格ではない（付録の費用単価を参照）。";
    // Key figures.
    Households => "Households", "世帯数";
    FiberHouseholds => "Households with fiber available", "光ファイバ提供可能世帯数";
    FiberRate => "Fiber availability rate", "光ファイバ整備率";
    RadioHouseholds => "Households covered by existing base stations", "既設基地局のカバー世帯数";
    RadioRate => "Radio coverage rate", "携帯電話カバー率";
    Unserved => "Unserved households (neither fiber nor radio)", "未整備世帯数（光ファイバ・携帯電話とも不可）";
    UnservedRate => "Unserved share", "未整備率";
    NewlyServed => "Households newly served by the plan", "計画による新規整備世帯数";
    UnservedAfter => "Unserved households with the plan", "計画実施後の未整備世帯数";
    NewSites => "Proposed base stations", "新設基地局数";
    PlanCapex => "Capital cost of the plan", "計画の整備費（設備投資額）";
    CostPerNewHousehold => "Cost per newly served household", "新規整備1世帯あたり費用";
    UnservedTodayAfter => "Unserved households: today → with the plan", "未整備世帯数：現状→計画実施後";
    PlanSitesCapex => "Proposed base stations and capital cost", "新設基地局数と整備費";
    // Maps.
    Legend => "Legend", "凡例";
    MapData => "Data", "使用データ";
    MapBackground => "Background: elevation model (DEM), sea in blue", "背景：標高データ（DEM）による陰影、海域は青";
    NorthUp => "north up", "上が北";
    // Columns.
    Item => "Item", "項目";
    Value => "Value", "値";
    Share => "Share", "割合";
    Technology => "Technology", "方式";
    ExistingSites => "Existing sites", "既設基地局数";
    CoveredHouseholds => "Households covered", "カバー世帯数";
    CoverageRate => "Coverage rate", "カバー率";
    Service => "Service", "サービス";
    FiberOnly => "Fiber only", "光ファイバのみ";
    RadioOnly => "Radio only", "携帯電話のみ";
    Both => "Fiber and radio", "光ファイバ・携帯電話とも";
    NoService => "None (unserved)", "いずれも不可（未整備）";
    Metric => "Metric", "指標";
    Before => "Today", "現状";
    After => "With the plan", "計画実施後";
    FiveGSites => "5G base stations", "5G基地局数";
    PopulationCoverage500m => "5G population coverage (500 m squares)", "5G人口カバー率（500mメッシュ）";
    Squares10kmWith5g => "10 km squares with a 5G base station", "5G基地局のある10kmメッシュ数";
    Squares10kmWithHouseholds => "10 km squares with households", "世帯のある10kmメッシュ数";
    BaseDeploymentRate => "5G base deployment rate (10 km squares)", "5G基盤展開率（10kmメッシュ）";
    Municipality => "Municipality", "市町村";
    Island => "Island", "島";
    Fiber => "Fiber available", "光ファイバ提供可能";
    Radio => "Radio covered", "携帯電話カバー";
    UnservedShort => "Unserved", "未整備世帯";
    UnservedAfterShort => "Unserved with plan", "計画後の未整備世帯";
    Total => "Total", "合計";
    Number => "No.", "No.";
    SiteId => "Site", "基地局ID";
    Longitude => "Longitude", "経度";
    Latitude => "Latitude", "緯度";
    MastHeight => "Mast height", "アンテナ高";
    SiteCovered => "Unserved households covered", "カバーする未整備世帯";
    SiteNew => "Newly served households", "新規整備世帯";
    Backhaul => "Backhaul", "バックホール";
    BackhaulKm => "Backhaul length", "バックホール距離";
    Capex => "Capital cost", "整備費";
    OpexPerYear => "Operating cost per year", "年間運用費";
    CostPerNew => "Cost per newly served household", "新規整備1世帯あたり費用";
    Problem => "Problem solved", "最適化問題";
    LifetimeCost => "Capital + operating cost", "整備費＋運用費";
    Years => "years", "年間";
    Bound => "Upper bound on newly served households (any plan of this size)", "新規整備世帯数の上限（同規模の任意の計画）";
    Gap => "Optimality gap (at most)", "最適性ギャップ（最大）";
    Scenario => "Scenario", "シナリオ";
    Served => "Served households", "整備済み世帯";
    ServiceRate => "Service rate", "整備率";
    NewlyServedShort => "Newly served", "新規整備世帯";
    Layer => "Data", "データ";
    File => "File", "ファイル";
    Crs => "Coordinate reference system", "座標参照系";
    Records => "Records", "件数";
    DataDate => "Date of data", "データ時点";
    Section => "Section", "区分";
    // Units for CSV/XLSX headers.
    UnitYen => "JPY", "円";
    UnitHouseholds => "households", "世帯";
    UnitPercent => "%", "%";
    UnitKm => "km", "km";
    UnitM => "m", "m";
    UnitDegrees => "degrees", "度";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_round_and_group() {
        for lang in Lang::ALL {
            assert_eq!(lang.count(0.0), "0");
            assert_eq!(lang.count(-0.2), "0");
            assert_eq!(lang.count(999.5), "1,000");
            assert_eq!(lang.count(1_234_567.0), "1,234,567");
            assert_eq!(lang.count(-1_234.0), "-1,234");
            assert_eq!(lang.count(f64::NAN), MISSING);
            assert_eq!(lang.count(f64::INFINITY), MISSING);
            assert_eq!(lang.integer(1_000_000), "1,000,000");
            assert_eq!(lang.decimal(-0.01, 1), "0.0");
            assert_eq!(lang.decimal(12_345.678, 2), "12,345.68");
            assert_eq!(lang.decimal(-12_345.678, 0), "-12,346");
        }
        assert_eq!(Lang::Ja.households(3.0), "3世帯");
        assert_eq!(Lang::En.households(1.0), "1 household");
        assert_eq!(Lang::En.households(2_500.0), "2,500 households");
        // Huge values print in full, never in exponent form.
        assert_eq!(Lang::En.count(1e21), "1,000,000,000,000,000,000,000");
    }

    #[test]
    fn percentages_have_one_decimal() {
        assert_eq!(Lang::En.percent(0.918), "91.8%");
        assert_eq!(Lang::Ja.percent(0.98849), "98.8%");
        assert_eq!(Lang::Ja.percent(1.0), "100.0%");
        assert_eq!(Lang::Ja.percent(0.0), "0.0%");
        assert_eq!(Lang::En.percent(f64::NAN), MISSING);
    }

    #[test]
    fn yen_in_each_language() {
        assert_eq!(Lang::En.yen(30_000_000.0), "¥30,000,000");
        assert_eq!(Lang::En.yen(0.4), "¥0");
        assert_eq!(Lang::En.yen(-5_000.0), "-¥5,000");
        assert_eq!(Lang::Ja.yen(8_000.0), "8,000円");
        assert_eq!(Lang::Ja.yen(9_999.4), "9,999円");
        assert_eq!(Lang::Ja.yen(10_000.0), "1万円");
        assert_eq!(Lang::Ja.yen(583_333.3), "58万円");
        assert_eq!(Lang::Ja.yen(30_000_000.0), "3,000万円");
        assert_eq!(Lang::Ja.yen(100_000_000.0), "1億円");
        assert_eq!(Lang::Ja.yen(1_234_567_890.0), "12億3,457万円");
        assert_eq!(Lang::Ja.yen(999_995_000.0), "10億円");
        assert_eq!(Lang::Ja.yen(-30_000_000.0), "-3,000万円");
        assert_eq!(Lang::Ja.yen(f64::NAN), MISSING);
        assert_eq!(Lang::En.yen(f64::NEG_INFINITY), MISSING);
    }

    #[test]
    fn dates() {
        assert_eq!(Lang::Ja.date("2026-04-01"), "2026年4月1日");
        assert_eq!(Lang::En.date("2026-04-01"), "2026-04-01");
        assert_eq!(Lang::Ja.date(""), "");
        assert_eq!(Lang::Ja.date("spring 2026"), "spring 2026");
        assert_eq!(Lang::Ja.date("2026-xx-01"), "2026-xx-01");
    }

    #[test]
    fn languages_parse_with_a_clear_error() {
        assert_eq!("JA".parse::<Lang>().unwrap(), Lang::Ja);
        assert_eq!(" en ".parse::<Lang>().unwrap(), Lang::En);
        let err = "de".parse::<Lang>().unwrap_err().to_string();
        assert!(
            err.contains("\"de\"") && err.contains("\"ja\" or \"en\""),
            "{err}"
        );
        assert_eq!(Lang::Ja.to_string(), "ja");
    }

    #[test]
    fn every_documented_key_has_both_languages() {
        let groups = [
            TECHNOLOGY_KEYS,
            BACKHAUL_KEYS,
            PROBLEM_KEYS,
            SCENARIO_KEYS,
            MAP_KEYS,
            SOURCE_KEYS,
            ASSUMPTION_KEYS,
            crate::maps::LEGEND_KEYS,
            AREA_KEYS,
        ];
        for key in groups.into_iter().flatten() {
            let entry = KNOWN_KEYS.iter().find(|(k, _, _)| k == key);
            let (_, en, ja) = entry.unwrap_or_else(|| panic!("key {key} has no labels"));
            assert!(!en.is_empty() && !ja.is_empty(), "{key}");
            assert_eq!(key_label(Lang::En, key), *en);
            assert_eq!(key_label(Lang::Ja, key), *ja);
            // Japanese labels are Japanese (except pure technology names).
            if !["5G"].contains(key) {
                assert_ne!(en, ja, "{key} is not translated");
            }
        }
        // Keys are unique.
        for (i, (k, _, _)) in KNOWN_KEYS.iter().enumerate() {
            assert!(
                KNOWN_KEYS[i + 1..].iter().all(|(other, _, _)| other != k),
                "duplicate key {k}"
            );
        }
        assert_eq!(
            key_label(Lang::Ja, "unknown_assumption"),
            "unknown_assumption"
        );
    }

    #[test]
    fn every_phrase_has_both_languages_with_the_same_arguments() {
        let placeholders = |t: &str| (0..4).filter(|i| t.contains(&format!("{{{i}}}"))).collect::<Vec<_>>();
        for (key, en, ja) in PHRASES {
            assert!(!en.is_empty() && !ja.is_empty() && en != ja, "{key}");
            assert_eq!(placeholders(en), placeholders(ja), "{key}");
            // The Japanese phrase is Japanese: it has kana or kanji.
            assert!(ja.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c)), "{key}: {ja}");
            assert!(PHRASES.iter().filter(|(k, _, _)| k == key).count() == 1, "duplicate phrase {key}");
        }
        // Every legend item of every map has a label.
        for map in MAP_KEYS {
            for (item, _) in crate::maps::legend(map) {
                assert!(crate::maps::LEGEND_KEYS.contains(item), "{map}: {item}");
                assert_ne!(key_label(Lang::Ja, item), *item, "{map}: {item}");
            }
        }
        let p = Phrase::new("extension_clusters_by_field", vec![PhraseArg::Key("village".into())]);
        assert_eq!(Lang::Ja.phrase(&p), "クラスタ：集落単位の未整備世帯");
        assert_eq!(Lang::En.phrase(&Phrase::new("nope", vec![PhraseArg::Number(2.5)])), "nope (2.5)");
        let v = AssumptionValue::Phrases {
            items: vec![Phrase::new("candidates_grid", vec![PhraseArg::Number(1_000.0)]), Phrase::new("candidates_towers", vec![])],
        };
        assert_eq!(Lang::Ja.value(&v), "1,000m間隔の格子点、既設鉄塔");
        assert_eq!(Lang::En.value(&v), "grid every 1,000 m; existing towers");
        assert_eq!(Lang::Ja.value(&AssumptionValue::Money { value: 3.0e7 }), "3,000万円");
        assert_eq!(Lang::En.value(&AssumptionValue::Quantity { value: -110.0, unit: "dBm".into() }), "-110 dBm");
        assert_eq!(Lang::Ja.value(&AssumptionValue::Quantity { value: 30.0, unit: "°".into() }), "30°");
        assert_eq!(Lang::Ja.value(&AssumptionValue::Key { key: "local5G".into() }), "ローカル5G");
        assert_eq!(Lang::Ja.number(-0.0001), "0");
    }

    #[test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            assert!(!msg.text(Lang::En).is_empty(), "{msg:?}");
            assert!(!msg.text(Lang::Ja).is_empty(), "{msg:?}");
        }
        assert_eq!(Lang::Ja.msg(Msg::FiberRate), "光ファイバ整備率");
        assert_eq!(Lang::En.msg(Msg::Maps), "Maps");
    }
}
