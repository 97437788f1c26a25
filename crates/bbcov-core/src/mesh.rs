//! JIS X 0410 standard grid squares (地域メッシュ): encode lon/lat to a code,
//! decode a code to its square, walk the hierarchy, and sum weights per square.
//!
//! The squares are defined in lon/lat (JGD2011; WGS84 agrees to well under a
//! metre) by the notice that created them, *統計に用いる標準地域メッシュ及び標準地域
//! メッシュ・コード* (Administrative Management Agency Notice No. 143, 1973),
//! standardised as JIS X 0410:2002 *地域メッシュコード*; the 1/2, 1/4 and 1/8
//! subdivisions and their digit numbering follow the Statistics Bureau of Japan,
//! *地域メッシュ統計の概要* (<https://www.stat.go.jp/data/mesh/gaiyou.html>):
//!
//! | level | nominal side | lat × lon | digits | code digits added |
//! |---|---|---|---|---|
//! | [`MeshLevel::First`] (第1次地域区画) | 80 km | 40′ × 1° | 4 | `pp uu`: p = ⌊1.5·lat⌋, u = ⌊lon⌋ − 100 |
//! | [`MeshLevel::Second`] (第2次地域区画) | 10 km | 5′ × 7′30″ | 6 | `q v`: the 1st square cut 8 × 8, each 0–7 |
//! | [`MeshLevel::Third`] (基準地域メッシュ) | 1 km | 30″ × 45″ | 8 | `r w`: the 2nd square cut 10 × 10, each 0–9 |
//! | [`MeshLevel::Half`] (2分の1地域メッシュ) | 500 m | 15″ × 22.5″ | 9 | `m`: the 3rd square cut 2 × 2 |
//! | [`MeshLevel::Quarter`] (4分の1地域メッシュ) | 250 m | 7.5″ × 11.25″ | 10 | `m`: the 1/2 square cut 2 × 2 |
//! | [`MeshLevel::Eighth`] (8分の1地域メッシュ) | 125 m | 3.75″ × 5.625″ | 11 | `m`: the 1/4 square cut 2 × 2 |
//!
//! Rows (q, r) count northwards and columns (u, v, w) eastwards from the
//! south-west corner; a subdivision digit is m = 1 + 2·(north half) + (east
//! half), i.e. 1 = SW, 2 = SE, 3 = NW, 4 = NE. Each square is half-open: a point
//! exactly on a boundary belongs to the square to its north / east.
//!
//! Exactness: every boundary lies on a multiple of the 1/8 square (3.75″ of
//! latitude = 1/960°, 5.625″ of longitude = 1/640°), and a 1st square is 640
//! such units on both axes. Codes are therefore computed in integer units of
//! the 1/8 square, from a single rounding of `lat·960` and `(lon − 100)·640`
//! which is snapped to the nearest boundary when within [`SNAP_UNITS`] of it, so
//! that decimal inputs such as 35.7° (exactly 35°42′) land on the intended
//! side of the boundary despite binary floating point.
//!
//! ```
//! use bbcov_core::mesh::{MeshCode, MeshLevel};
//! // Tokyo Tower
//! let code = MeshCode::encode(139.745433, 35.658581, MeshLevel::Half)?;
//! assert_eq!(code.to_string(), "533935992");
//! assert_eq!(code.parent(MeshLevel::Third)?, "53393599".parse()?);
//! let [[west, south], [east, north]] = code.parent(MeshLevel::Third)?.bounds();
//! assert!((south - 35.658333).abs() < 1e-6 && (north - 35.666667).abs() < 1e-6);
//! assert!((west - 139.7375).abs() < 1e-9 && (east - 139.75).abs() < 1e-9);
//! # Ok::<(), bbcov_core::Error>(())
//! ```

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// Name of the grid-square "layer" in error messages.
const LAYER: &str = "grid square";

/// 1/8-square units per degree of latitude (3.75″ = 1/960°).
const LAT_UNITS_PER_DEG: f64 = 960.0;
/// 1/8-square units per degree of longitude (5.625″ = 1/640°).
const LON_UNITS_PER_DEG: f64 = 640.0;
/// Longitude of the western edge of 1st-square column 00.
const LON_ORIGIN_DEG: f64 = 100.0;
/// 1/8-square units per 1st square, the same on both axes (40′ = 640/960°, 1° = 640/640°).
const FIRST_UNITS: u32 = 640;
/// 1st-square rows and columns are two-digit numbers: 00–99.
const FIRST_COUNT: u32 = 100;
/// Number of digits of the finest code.
const MAX_DIGITS: usize = 11;

/// Tolerance, in 1/8-square units, within which a scaled coordinate is snapped
/// to the boundary it is next to before taking the floor: 1e-9 of a 1/8 square
/// is about 0.1 µm on the ground, while the rounding error of `lat·960` for a
/// decimal input is below 1e-11 units.
pub const SNAP_UNITS: f64 = 1e-9;

/// A level of the JIS X 0410 hierarchy, from the coarsest to the finest.
///
/// Levels are ordered coarse to fine: `MeshLevel::First < MeshLevel::Eighth`.
///
/// ```
/// use bbcov_core::mesh::MeshLevel;
/// assert_eq!(MeshLevel::Third.digits(), 8);
/// assert_eq!(MeshLevel::Half.nominal_side_m(), 500.0);
/// assert_eq!(MeshLevel::from_digits(10), Some(MeshLevel::Quarter));
/// let [dlon, dlat] = MeshLevel::Third.size_deg();
/// assert!((dlon * 3600.0 - 45.0).abs() < 1e-9 && (dlat * 3600.0 - 30.0).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MeshLevel {
    /// 1st mesh (第1次地域区画): 40′ × 1°, about 80 km; 4 digits.
    First,
    /// 2nd mesh (第2次地域区画): 5′ × 7′30″, about 10 km; 6 digits.
    Second,
    /// 3rd mesh, the standard mesh (基準地域メッシュ): 30″ × 45″, about 1 km; 8 digits.
    Third,
    /// 1/2 mesh (2分の1地域メッシュ): 15″ × 22.5″, about 500 m; 9 digits.
    Half,
    /// 1/4 mesh (4分の1地域メッシュ): 7.5″ × 11.25″, about 250 m; 10 digits.
    Quarter,
    /// 1/8 mesh (8分の1地域メッシュ): 3.75″ × 5.625″, about 125 m; 11 digits.
    Eighth,
}

impl MeshLevel {
    /// All levels, coarse to fine.
    pub const ALL: [MeshLevel; 6] =
        [MeshLevel::First, MeshLevel::Second, MeshLevel::Third, MeshLevel::Half, MeshLevel::Quarter, MeshLevel::Eighth];

    /// Number of digits of a code at this level: 4, 6, 8, 9, 10 or 11.
    pub const fn digits(self) -> usize {
        match self {
            MeshLevel::First => 4,
            MeshLevel::Second => 6,
            MeshLevel::Third => 8,
            MeshLevel::Half => 9,
            MeshLevel::Quarter => 10,
            MeshLevel::Eighth => 11,
        }
    }

    /// The level whose codes have `digits` digits, if any.
    pub fn from_digits(digits: usize) -> Option<MeshLevel> {
        MeshLevel::ALL.into_iter().find(|l| l.digits() == digits)
    }

    /// The nominal side length (m) the level is known by: 80 km, 10 km, 1 km,
    /// 500 m, 250 m, 125 m. The true extent varies with latitude: a 3rd square
    /// is about 926 m north–south everywhere, but 1,018 m east–west at Sapporo
    /// and 1,249 m at Naha.
    pub const fn nominal_side_m(self) -> f64 {
        match self {
            MeshLevel::First => 80_000.0,
            MeshLevel::Second => 10_000.0,
            MeshLevel::Third => 1_000.0,
            MeshLevel::Half => 500.0,
            MeshLevel::Quarter => 250.0,
            MeshLevel::Eighth => 125.0,
        }
    }

    /// The exact extent of a square, `[Δlon, Δlat]` in degrees (see the table in the module docs).
    pub fn size_deg(self) -> [f64; 2] {
        let units = f64::from(self.units());
        [units / LON_UNITS_PER_DEG, units / LAT_UNITS_PER_DEG]
    }

    /// The next finer level, `None` for [`MeshLevel::Eighth`].
    pub fn finer(self) -> Option<MeshLevel> {
        MeshLevel::ALL.get(self as usize + 1).copied()
    }

    /// The next coarser level, `None` for [`MeshLevel::First`].
    pub fn coarser(self) -> Option<MeshLevel> {
        (self as usize).checked_sub(1).map(|i| MeshLevel::ALL[i])
    }

    /// Side of a square in 1/8-square units (both axes).
    const fn units(self) -> u32 {
        match self {
            MeshLevel::First => FIRST_UNITS,
            MeshLevel::Second => 80,
            MeshLevel::Third => 8,
            MeshLevel::Half => 4,
            MeshLevel::Quarter => 2,
            MeshLevel::Eighth => 1,
        }
    }

    fn name(self) -> &'static str {
        match self {
            MeshLevel::First => "1st mesh (80 km)",
            MeshLevel::Second => "2nd mesh (10 km)",
            MeshLevel::Third => "3rd mesh (1 km)",
            MeshLevel::Half => "1/2 mesh (500 m)",
            MeshLevel::Quarter => "1/4 mesh (250 m)",
            MeshLevel::Eighth => "1/8 mesh (125 m)",
        }
    }
}

/// Parses a level by its nominal side: `80km`, `10km`, `1km`, `500m`, `250m`, `125m`.
///
/// ```
/// use bbcov_core::mesh::MeshLevel;
/// assert_eq!("500m".parse::<MeshLevel>(), Ok(MeshLevel::Half));
/// assert!("300m".parse::<MeshLevel>().is_err());
/// ```
impl FromStr for MeshLevel {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let side = |l: MeshLevel| {
            let m = l.nominal_side_m();
            if m >= 1000.0 { format!("{}km", m / 1000.0) } else { format!("{m}m") }
        };
        let wanted = s.trim().to_ascii_lowercase().replace(' ', "");
        MeshLevel::ALL.into_iter().find(|&l| side(l) == wanted).ok_or_else(|| {
            format!("unknown grid-square level {s:?}; use one of {}", MeshLevel::ALL.map(side).join(", "))
        })
    }
}

impl fmt::Display for MeshLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A valid JIS X 0410 grid-square code at a known level.
///
/// Built by [`MeshCode::encode`] (from lon/lat), by parsing its digits
/// ([`FromStr`]), or by [`MeshCode::from_value`]; every constructor validates,
/// so a `MeshCode` always denotes a real square. [`Display`](fmt::Display)
/// writes all its digits, leading zeros included.
///
/// Codes order as their digit strings do (lexicographically), so a square
/// sorts just before the squares inside it and codes of one level sort
/// south-to-north by 1st-square row, then west-to-east, and so on.
///
/// ```
/// use bbcov_core::mesh::{MeshCode, MeshLevel};
/// // Kyoto, from the jismesh README (https://github.com/hni14/jismesh)
/// let code = MeshCode::encode(135.759363, 34.987574, MeshLevel::Third)?;
/// assert_eq!(code, "52353680".parse()?);
/// assert_eq!((code.value(), code.level()), (52_353_680, MeshLevel::Third));
/// let [lon, lat] = code.centre();
/// assert!((lon - 135.75625).abs() < 1e-9 && (lat - 34.9875).abs() < 1e-9);
/// assert!(code.contains(135.759363, 34.987574));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeshCode {
    value: u64,
    level: MeshLevel,
}

impl MeshCode {
    /// The square of `level` that contains the point (`lon`, `lat`) in degrees
    /// (note the order: x = longitude first, as everywhere in bbcov).
    ///
    /// The code digits are (module docs table; Statistics Bureau, *地域メッシュ統計の概要*)
    /// p = ⌊1.5·lat⌋, u = ⌊lon − 100⌋; q = ⌊(lat − p/1.5)/5′⌋, v = ⌊(lon − 100 − u)/7.5′⌋;
    /// r = ⌊(lat − p/1.5 − q·5′)/30″⌋, w = ⌊(lon − 100 − u − v·7.5′)/45″⌋; and each
    /// subdivision digit 1 + 2·(north half) + (east half). They are evaluated in
    /// integer 1/8-square units, so a point on a boundary goes to the square to
    /// its north / east.
    ///
    /// Fails with [`Error::InvalidCoordinate`] when a coordinate is NaN or
    /// infinite, or outside the range the codes can express: latitude in
    /// [0°, 66°40′) (p = 00–99) and longitude in [100°, 200°) (u = 00–99).
    ///
    /// ```
    /// use bbcov_core::mesh::{MeshCode, MeshLevel};
    /// let code = MeshCode::encode(139.745433, 35.658581, MeshLevel::Third)?;
    /// assert_eq!(code.to_string(), "53393599");
    /// // boundaries go north / east: 35.7° N is exactly 35°42′, a 3rd-mesh row boundary
    /// assert_eq!(MeshCode::encode(139.75, 35.7, MeshLevel::Third)?.to_string(), "53394640");
    /// assert!(MeshCode::encode(2.35, 48.85, MeshLevel::First).is_err()); // Paris
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn encode(lon: f64, lat: f64, level: MeshLevel) -> Result<MeshCode> {
        let (row, col) = unit_cell(lon, lat).map_err(|reason| invalid_coordinate(0, lon, lat, reason))?;
        Ok(MeshCode::from_unit_cell(row, col, level))
    }

    /// The code with digits `value` at `level`. A level is needed because a
    /// code whose 1st-square row is below 10 has leading zeros.
    ///
    /// Fails with [`Error::InvalidMeshCode`] when `value` has more digits than
    /// the level or a digit is out of range (see [`FromStr`](#impl-FromStr-for-MeshCode)).
    ///
    /// ```
    /// use bbcov_core::mesh::{MeshCode, MeshLevel};
    /// let code = MeshCode::from_value(533_935, MeshLevel::Second)?;
    /// assert_eq!(code.to_string(), "533935");
    /// assert!(MeshCode::from_value(533_985, MeshLevel::Second).is_err()); // 8 is not a 2nd-mesh digit
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn from_value(value: u64, level: MeshLevel) -> Result<MeshCode> {
        let digits = level.digits();
        if value >= 10u64.pow(digits as u32) {
            return Err(Error::InvalidMeshCode {
                code: value.to_string(),
                reason: format!("more than the {digits} digits of a {level} code"),
            });
        }
        let code = MeshCode { value, level };
        check_digits(&code.digit_array()[..digits])
            .map_err(|reason| Error::InvalidMeshCode { code: code.to_string(), reason })?;
        Ok(code)
    }

    /// The code as an integer (leading zeros dropped; see [`level`](Self::level)).
    pub fn value(&self) -> u64 {
        self.value
    }

    /// The level of the square.
    pub fn level(&self) -> MeshLevel {
        self.level
    }

    /// The square's extent `[[lon_min, lat_min], [lon_max, lat_max]]` in degrees.
    ///
    /// The square holds the points with `lon_min ≤ lon < lon_max` and
    /// `lat_min ≤ lat < lat_max`; its south-west corner encodes back to it.
    pub fn bounds(&self) -> [[f64; 2]; 2] {
        let (row, col) = self.origin();
        let units = self.level.units();
        [corner(row, col), corner(row + units, col + units)]
    }

    /// The centre of the square `[lon, lat]` in degrees; it encodes back to the square.
    pub fn centre(&self) -> [f64; 2] {
        let (row, col) = self.origin();
        let half = f64::from(self.level.units()) / 2.0;
        [LON_ORIGIN_DEG + (f64::from(col) + half) / LON_UNITS_PER_DEG, (f64::from(row) + half) / LAT_UNITS_PER_DEG]
    }

    /// The square of the coarser (or same) `level` that contains this one: the
    /// code truncated to that level's digits.
    ///
    /// Fails with [`Error::InvalidMeshCode`] when `level` is finer than the code's.
    ///
    /// ```
    /// use bbcov_core::mesh::{MeshCode, MeshLevel};
    /// let code: MeshCode = "5339359921".parse()?;
    /// assert_eq!(code.parent(MeshLevel::Second)?.to_string(), "533935");
    /// assert!(code.parent(MeshLevel::Eighth).is_err());
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn parent(&self, level: MeshLevel) -> Result<MeshCode> {
        if level > self.level {
            return Err(Error::InvalidMeshCode {
                code: self.to_string(),
                reason: format!("a {} code has no parent at the finer level {level}", self.level),
            });
        }
        let (row, col) = self.origin();
        Ok(MeshCode::from_unit_cell(row, col, level))
    }

    /// The squares of the next finer level inside this one, in code order: 64
    /// for a 1st square, 100 for a 2nd, 4 below that, none for a 1/8 square.
    ///
    /// ```
    /// use bbcov_core::mesh::MeshCode;
    /// let code: MeshCode = "53393599".parse()?;
    /// let children: Vec<String> = code.children().iter().map(|c| c.to_string()).collect();
    /// assert_eq!(children, ["533935991", "533935992", "533935993", "533935994"]);
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn children(&self) -> Vec<MeshCode> {
        let Some(finer) = self.level.finer() else {
            return Vec::new();
        };
        let (row, col) = self.origin();
        let (units, step) = (self.level.units(), finer.units() as usize);
        let mut children: Vec<MeshCode> = (row..row + units)
            .step_by(step)
            .flat_map(|r| (col..col + units).step_by(step).map(move |c| MeshCode::from_unit_cell(r, c, finer)))
            .collect();
        children.sort_unstable();
        children
    }

    /// Whether the point (`lon`, `lat`) lies in the square; exactly when
    /// [`encode`](Self::encode) at this level gives this code (false for NaN).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        let Ok((row, col)) = unit_cell(lon, lat) else {
            return false;
        };
        let (row0, col0) = self.origin();
        let units = self.level.units();
        (row0..row0 + units).contains(&row) && (col0..col0 + units).contains(&col)
    }

    /// The code of the `level` square containing the 1/8 square at (`row`, `col`)
    /// (in 1/8-square units from 0° N, 100° E).
    fn from_unit_cell(row: u32, col: u32, level: MeshLevel) -> MeshCode {
        let pair = |a: u32, b: u32| u64::from(a * 10 + b);
        let mut value = u64::from(row / FIRST_UNITS) * 100 + u64::from(col / FIRST_UNITS);
        if level >= MeshLevel::Second {
            value = value * 100 + pair(row % FIRST_UNITS / 80, col % FIRST_UNITS / 80);
        }
        if level >= MeshLevel::Third {
            value = value * 100 + pair(row % 80 / 8, col % 80 / 8);
        }
        for (sub, half) in [(MeshLevel::Half, 4), (MeshLevel::Quarter, 2), (MeshLevel::Eighth, 1)] {
            if level >= sub {
                value = value * 10 + u64::from(1 + 2 * (row % (2 * half) / half) + col % (2 * half) / half);
            }
        }
        MeshCode { value, level }
    }

    /// The south-west 1/8 square of this square, (row, col) in 1/8-square units.
    fn origin(&self) -> (u32, u32) {
        let d = self.digit_array().map(u32::from);
        let mut row = (d[0] * 10 + d[1]) * FIRST_UNITS;
        let mut col = (d[2] * 10 + d[3]) * FIRST_UNITS;
        if self.level >= MeshLevel::Second {
            row += d[4] * 80;
            col += d[5] * 80;
        }
        if self.level >= MeshLevel::Third {
            row += d[6] * 8;
            col += d[7] * 8;
        }
        for (i, half) in [(8, 4), (9, 2), (10, 1)] {
            if i < self.level.digits() {
                let m = d[i] - 1;
                row += m / 2 * half;
                col += m % 2 * half;
            }
        }
        (row, col)
    }

    /// The code's digits, most significant first; unused trailing entries are 0.
    fn digit_array(&self) -> [u8; MAX_DIGITS] {
        let mut digits = [0; MAX_DIGITS];
        let mut value = self.value;
        for d in digits[..self.level.digits()].iter_mut().rev() {
            *d = (value % 10) as u8;
            value /= 10;
        }
        digits
    }

    /// The code padded with zeros to the finest level's digits (for ordering).
    fn padded(&self) -> u64 {
        self.value * 10u64.pow((MAX_DIGITS - self.level.digits()) as u32)
    }
}

impl Ord for MeshCode {
    /// Lexicographic order of the digit strings: zero-padded values, then the shorter code first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.padded().cmp(&other.padded()).then(self.level.cmp(&other.level))
    }
}

impl PartialOrd for MeshCode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for MeshCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:0width$}", self.value, width = self.level.digits())
    }
}

impl FromStr for MeshCode {
    type Err = Error;

    /// Parses a code of 4, 6, 8, 9, 10 or 11 ASCII digits; the number of
    /// digits gives the level. Fails with [`Error::InvalidMeshCode`] on any
    /// other character (separators included: write `53393599`, not
    /// `5339-35-99`), any other length, a 2nd-mesh digit above 7 or a
    /// subdivision digit outside 1–4.
    ///
    /// ```
    /// use bbcov_core::mesh::{MeshCode, MeshLevel};
    /// assert_eq!("5339359921".parse::<MeshCode>()?.level(), MeshLevel::Quarter);
    /// let err = "533935995".parse::<MeshCode>().unwrap_err();
    /// assert!(err.to_string().contains("1 = SW"), "{err}");
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<MeshCode> {
        let invalid = |reason: String| Error::InvalidMeshCode { code: s.to_owned(), reason };
        if let Some((pos, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(invalid(format!("character {c:?} at position {} is not a digit 0-9", pos + 1)));
        }
        let level = MeshLevel::from_digits(s.len()).ok_or_else(|| {
            invalid(format!("a grid-square code has 4, 6, 8, 9, 10 or 11 digits, this one has {}", s.len()))
        })?;
        let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        check_digits(&digits).map_err(invalid)?;
        let value = digits.iter().fold(0u64, |v, &d| v * 10 + u64::from(d));
        Ok(MeshCode { value, level })
    }
}

/// Checks the digits of a code whose length is a level's: 2nd-mesh digits 0–7,
/// subdivision digits 1–4 (1st- and 3rd-mesh digits can be any of 0–9).
fn check_digits(digits: &[u8]) -> std::result::Result<(), String> {
    for (i, &d) in digits.iter().enumerate() {
        match i {
            4 | 5 if d > 7 => {
                let axis = if i == 4 { "row (latitude)" } else { "column (longitude)" };
                return Err(format!(
                    "2nd-mesh {axis} digit {d} at position {} must be 0-7 (a 1st mesh is divided 8 x 8)",
                    i + 1
                ));
            }
            8..=10 if !(1..=4).contains(&d) => {
                let name = ["1/2", "1/4", "1/8"][i - 8];
                return Err(format!(
                    "{name}-mesh digit {d} at position {} must be 1-4 (1 = SW, 2 = SE, 3 = NW, 4 = NE)",
                    i + 1
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The 1/8 square containing (`lon`, `lat`): (row, col) in 1/8-square units
/// from 0° N, 100° E, or why there is none.
fn unit_cell(lon: f64, lat: f64) -> std::result::Result<(u32, u32), &'static str> {
    if !lon.is_finite() || !lat.is_finite() {
        return Err("coordinates must be finite numbers (got NaN or infinity)");
    }
    let limit = f64::from(FIRST_COUNT * FIRST_UNITS);
    let row = snapped_floor(lat * LAT_UNITS_PER_DEG);
    if !(0.0..limit).contains(&row) {
        return Err("latitude outside the JIS X 0410 range [0, 66.67) degrees (1st-mesh row 00-99)");
    }
    // lon - 100 is exact for lon in [50, 200] (Sterbenz), the range that matters.
    let col = snapped_floor((lon - LON_ORIGIN_DEG) * LON_UNITS_PER_DEG);
    if !(0.0..limit).contains(&col) {
        return Err("longitude outside the JIS X 0410 range [100, 200) degrees (1st-mesh column 00-99)");
    }
    Ok((row as u32, col as u32))
}

/// ⌊x⌋, except that x within [`SNAP_UNITS`] of an integer is that integer.
fn snapped_floor(x: f64) -> f64 {
    let nearest = x.round();
    if (x - nearest).abs() <= SNAP_UNITS { nearest } else { x.floor() }
}

/// `[lon, lat]` of the south-west corner of the 1/8 square (`row`, `col`).
fn corner(row: u32, col: u32) -> [f64; 2] {
    [LON_ORIGIN_DEG + f64::from(col) / LON_UNITS_PER_DEG, f64::from(row) / LAT_UNITS_PER_DEG]
}

fn invalid_coordinate(index: usize, lon: f64, lat: f64, reason: &'static str) -> Error {
    Error::InvalidCoordinate { layer: LAYER.into(), index, id: None, x: lon, y: lat, reason }
}

/// The code at `level` of every point `[lon, lat]`, in input order.
///
/// Fails with [`Error::InvalidCoordinate`] naming the first point that has no
/// code (see [`MeshCode::encode`]).
///
/// ```
/// use bbcov_core::mesh::{MeshLevel, encode_all};
/// let codes = encode_all(&[[139.745433, 35.658581], [135.759363, 34.987574]], MeshLevel::Third)?;
/// assert_eq!(codes.iter().map(|c| c.value()).collect::<Vec<_>>(), [53_393_599, 52_353_680]);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn encode_all(points: &[[f64; 2]], level: MeshLevel) -> Result<Vec<MeshCode>> {
    points
        .iter()
        .enumerate()
        .map(|(i, &[lon, lat])| {
            let (row, col) = unit_cell(lon, lat).map_err(|reason| invalid_coordinate(i, lon, lat, reason))?;
            Ok(MeshCode::from_unit_cell(row, col, level))
        })
        .collect()
}

/// The total weight of the points `[lon, lat]` in each square of `level`,
/// for the squares that hold at least one point, in code order.
///
/// `weights` defaults to 1 per point (a count). Weights are added in input
/// order, so the result is the same on every platform. For a
/// [`Households`](crate::Households) layer in lon/lat, pass its
/// [`coords`](crate::Households::coords) and [`weights`](crate::Households::weights).
///
/// Fails with [`Error::LengthMismatch`] when `weights` does not have one value
/// per point, [`Error::InvalidWeight`] on a negative or non-finite weight, and
/// [`Error::InvalidCoordinate`] on a point without a code; errors name the
/// first offending point.
///
/// ```
/// use bbcov_core::mesh::{MeshLevel, aggregate};
/// let points = [[139.745433, 35.658581], [139.7460, 35.6590], [135.759363, 34.987574]];
/// let totals = aggregate(&points, Some(&[3.0, 2.0, 5.0]), MeshLevel::Third)?;
/// let rows: Vec<(String, f64)> = totals.iter().map(|(c, w)| (c.to_string(), *w)).collect();
/// assert_eq!(rows, [("52353680".to_string(), 5.0), ("53393599".to_string(), 5.0)]);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn aggregate(points: &[[f64; 2]], weights: Option<&[f64]>, level: MeshLevel) -> Result<BTreeMap<MeshCode, f64>> {
    if let Some(got) = weights.map(<[f64]>::len).filter(|&got| got != points.len()) {
        return Err(Error::LengthMismatch { what: "grid-square weights".into(), expected: points.len(), got });
    }
    if let Some((index, &value)) =
        weights.into_iter().flatten().enumerate().find(|(_, w)| !(w.is_finite() && **w >= 0.0))
    {
        return Err(Error::InvalidWeight { layer: LAYER.into(), index, id: None, value });
    }
    let codes = encode_all(points, level)?;
    let mut totals = BTreeMap::new();
    for (i, code) in codes.into_iter().enumerate() {
        *totals.entry(code).or_insert(0.0) += weights.map_or(1.0, |w| w[i]);
    }
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    fn code(s: &str) -> MeshCode {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// Tokyo Tower, 35.658581 N 139.745433 E: the example of the jismesh README
    /// (https://github.com/hni14/jismesh) for the 3rd mesh, 53393599.
    #[test]
    fn tokyo_tower() {
        let (lon, lat) = (139.745433, 35.658581);
        let expected = ["5339", "533935", "53393599", "533935992", "5339359921", "53393599212"];
        // The 1/8 code by hand from the definition:
        //   lat: 1.5 × 35.658581 = 53.49 → p = 53; 35.658581 − 53/1.5 = 0.325248° = 19.51486′
        //        → q = ⌊19.51486 / 5⌋ = 3; 4.51486′ = 270.892″ → r = ⌊270.892 / 30⌋ = 9;
        //        0.892″ left: < 15″ (south), < 7.5″ (south), < 3.75″ (south).
        //   lon: u = 139 − 100 = 39; 0.745433° = 44.72598′ → v = ⌊44.72598 / 7.5⌋ = 5;
        //        7.22598′ = 433.559″ → w = ⌊433.559 / 45⌋ = 9; 28.559″ left:
        //        ≥ 22.5″ (east, 6.059″ left), < 11.25″ (west), ≥ 5.625″ (east).
        //   1/2: south-east = 2; 1/4: south-west = 1; 1/8: south-east = 2 → 53393599212.
        for (level, expected) in MeshLevel::ALL.into_iter().zip(expected) {
            let c = MeshCode::encode(lon, lat, level).unwrap();
            assert_eq!(c.to_string(), expected);
            assert_eq!(c, code(expected));
            assert!(c.contains(lon, lat));
        }
        // Corners and centre of 53393599, from the same README:
        // SW 35.6583333333 139.7375, NE 35.6666666667 139.75, centre 35.6625 139.74375.
        let [[w, s], [e, n]] = code("53393599").bounds();
        assert_relative_eq!(s, 35.6583333333, epsilon = 1e-10);
        assert_relative_eq!(w, 139.7375, epsilon = 1e-12);
        assert_relative_eq!(n, 35.6666666667, epsilon = 1e-10);
        assert_relative_eq!(e, 139.75, epsilon = 1e-12);
        let [lon_c, lat_c] = code("53393599").centre();
        assert_relative_eq!(lat_c, 35.6625, epsilon = 1e-12);
        assert_relative_eq!(lon_c, 139.74375, epsilon = 1e-12);
    }

    /// Further published examples.
    #[test]
    fn published_examples() {
        // jismesh README (https://github.com/hni14/jismesh): Kyoto, 34.987574 N 135.759363 E
        // → 52353680, centre 34.9875 N 135.75625 E.
        let kyoto = MeshCode::encode(135.759363, 34.987574, MeshLevel::Third).unwrap();
        assert_eq!(kyoto.value(), 52_353_680);
        let [lon, lat] = kyoto.centre();
        assert_relative_eq!(lat, 34.9875, epsilon = 1e-12);
        assert_relative_eq!(lon, 135.75625, epsilon = 1e-12);
        // jismeshcode README (https://github.com/itch0323/jismeshcode):
        // latlon2mc(36.2010417, 138.415625, 6) → 543823, and 5439 spans 139–140 E, 36–36.667 N.
        assert_eq!(MeshCode::encode(138.415625, 36.2010417, MeshLevel::Second).unwrap().to_string(), "543823");
        let [[w, s], [e, n]] = code("5439").bounds();
        assert_eq!([w, s, e], [139.0, 36.0, 140.0]);
        assert_relative_eq!(n, 36.666666666666664, epsilon = 1e-12);
        // jismesh README: the 1/2 squares inside 53394611 are 533946111 to 533946114.
        let quads: Vec<String> = code("53394611").children().iter().map(ToString::to_string).collect();
        assert_eq!(quads, ["533946111", "533946112", "533946113", "533946114"]);
    }

    #[test]
    fn subdivision_digits_follow_the_statistics_bureau() {
        // 1 = SW, 2 = SE, 3 = NW, 4 = NE, at every subdivision level.
        let third = code("53393599");
        let [[w, s], _] = third.bounds();
        let [dlon, dlat] = MeshLevel::Eighth.size_deg();
        let at = |x: f64, y: f64, level| MeshCode::encode(w + x * dlon, s + y * dlat, level).unwrap().to_string();
        assert_eq!(at(0.5, 0.5, MeshLevel::Half), "533935991");
        assert_eq!(at(4.5, 0.5, MeshLevel::Half), "533935992");
        assert_eq!(at(0.5, 4.5, MeshLevel::Half), "533935993");
        assert_eq!(at(4.5, 4.5, MeshLevel::Half), "533935994");
        assert_eq!(at(6.5, 6.5, MeshLevel::Quarter), "5339359944");
        assert_eq!(at(6.5, 4.5, MeshLevel::Quarter), "5339359942");
        assert_eq!(at(7.5, 5.5, MeshLevel::Eighth), "53393599424");
        assert_eq!(at(6.5, 5.5, MeshLevel::Eighth), "53393599423");
    }

    #[test]
    fn boundaries_go_north_and_east() {
        // 36° N is the south edge of 1st row 54 (36 × 1.5 = 54), 139° E the west edge of column 39.
        assert_eq!(MeshCode::encode(139.0, 36.0, MeshLevel::Eighth).unwrap().to_string(), "54390000111");
        // 35.7° = 35°42′ and 139.75° = 139°45′ are 3rd-mesh boundaries; decimal
        // inputs land on the north / east side although 35.7 × 1.5 etc. are inexact.
        assert_eq!(MeshCode::encode(139.75, 35.7, MeshLevel::Eighth).unwrap().to_string(), "53394640111");
        assert_eq!(MeshCode::encode(139.7375, 35.0 + 39.5 / 60.0, MeshLevel::Third).unwrap().to_string(), "53393599");
        // Just below the boundaries.
        assert_eq!(MeshCode::encode(139.75 - 1e-7, 35.7 - 1e-7, MeshLevel::Third).unwrap().to_string(), "53394539");
        // Every 3rd-mesh boundary between 35° and 37° N / 139° and 141° E that
        // is a short decimal (each 0.025° of latitude, each 0.0125° of longitude)
        // goes north / east when typed as that decimal.
        for k in 0..80 {
            let lat: f64 = format!("{:.3}", 35.0 + f64::from(k) * 0.025).parse().unwrap();
            let lon: f64 = format!("{:.4}", 139.0 + f64::from(k) * 0.0125).parse().unwrap();
            let [[w, s], _] = MeshCode::encode(lon, lat, MeshLevel::Third).unwrap().bounds();
            assert_relative_eq!(s, lat, epsilon = 1e-12);
            assert_relative_eq!(w, lon, epsilon = 1e-12);
        }
    }

    #[test]
    fn round_trips() {
        // A sweep of 1/8 squares over Japan's range, at every level.
        let mut n = 0;
        for row in (20 * 960..46 * 960).step_by(97) {
            for col in (22 * 640..54 * 640).step_by(131) {
                for level in MeshLevel::ALL {
                    let c = MeshCode::from_unit_cell(row, col, level);
                    let [lon, lat] = c.centre();
                    assert_eq!(MeshCode::encode(lon, lat, level).unwrap(), c);
                    let [[w, s], [e, nn]] = c.bounds();
                    assert_eq!(MeshCode::encode(w, s, level).unwrap(), c, "SW corner of {c}");
                    assert!(!c.contains(e, s) && !c.contains(w, nn), "{c} is half-open");
                    assert_eq!(c.to_string().parse::<MeshCode>().unwrap(), c);
                    assert_eq!(MeshCode::from_value(c.value(), level).unwrap(), c);
                    assert_eq!(c.to_string().len(), level.digits());
                    for coarse in MeshLevel::ALL.into_iter().filter(|&l| l <= level) {
                        let p = c.parent(coarse).unwrap();
                        assert_eq!(p.value(), c.value() / 10u64.pow((level.digits() - coarse.digits()) as u32));
                        assert_eq!(p, MeshCode::encode(lon, lat, coarse).unwrap());
                    }
                    n += 1;
                }
            }
        }
        assert!(n > 50_000, "{n}");
        // Leading zeros: a code in 1st row 05 (lat 3.3° N) keeps its digits.
        let c = MeshCode::encode(100.5, 3.5, MeshLevel::Second).unwrap();
        assert_eq!(c.to_string(), "050024");
        assert_eq!(c.value(), 50_024);
        assert_eq!(code("050024"), c);
    }

    #[test]
    fn bounds_sizes() {
        let arcsec = 1.0 / 3600.0;
        let sizes = [(3600.0, 2400.0), (450.0, 300.0), (45.0, 30.0), (22.5, 15.0), (11.25, 7.5), (5.625, 3.75)];
        for (level, (lon_s, lat_s)) in MeshLevel::ALL.into_iter().zip(sizes) {
            let c = MeshCode::encode(129.6, 33.0, level).unwrap();
            let [[w, s], [e, n]] = c.bounds();
            assert_relative_eq!(e - w, lon_s * arcsec, max_relative = 1e-9);
            assert_relative_eq!(n - s, lat_s * arcsec, max_relative = 1e-9);
            let [dlon, dlat] = level.size_deg();
            assert_relative_eq!(dlon, lon_s * arcsec, max_relative = 1e-12);
            assert_relative_eq!(dlat, lat_s * arcsec, max_relative = 1e-12);
        }
        // 1st: 40′ × 1°; 2nd: 5′ × 7.5′; 3rd: 30″ × 45″
        let [[w, s], [e, n]] = code("5339").bounds();
        assert_relative_eq!((n - s) * 60.0, 40.0, max_relative = 1e-12);
        assert_relative_eq!(e - w, 1.0);
        let [[w, s], [e, n]] = code("533935").bounds();
        assert_relative_eq!((n - s) * 60.0, 5.0, max_relative = 1e-9);
        assert_relative_eq!((e - w) * 60.0, 7.5, max_relative = 1e-12);
        let [[w, s], [e, n]] = code("53393599").bounds();
        assert_relative_eq!((n - s) * 3600.0, 30.0, max_relative = 1e-9);
        assert_relative_eq!((e - w) * 3600.0, 45.0, max_relative = 1e-9);
    }

    #[test]
    fn levels() {
        for (i, level) in MeshLevel::ALL.into_iter().enumerate() {
            assert_eq!(MeshLevel::from_digits(level.digits()), Some(level));
            assert_eq!(level.finer(), MeshLevel::ALL.get(i + 1).copied());
            assert_eq!(level.coarser(), i.checked_sub(1).map(|j| MeshLevel::ALL[j]));
        }
        assert_eq!(MeshLevel::from_digits(7), None);
        assert!(MeshLevel::First < MeshLevel::Eighth);
        assert_eq!(MeshLevel::Half.to_string(), "1/2 mesh (500 m)");
    }

    #[test]
    fn parse_errors() {
        let reason = |s: &str| match s.parse::<MeshCode>() {
            Err(Error::InvalidMeshCode { code, reason }) => {
                assert_eq!(code, s);
                reason
            }
            other => panic!("{s}: {other:?}"),
        };
        for s in ["", "533", "53393", "5339359", "533935992123", "0"] {
            assert!(reason(s).contains("4, 6, 8, 9, 10 or 11 digits"), "{s}");
        }
        assert!(reason("5339-35-99").contains("'-' at position 5"));
        assert!(reason("53393a").contains("'a' at position 6"));
        assert!(reason(" 5339").contains("position 1"));
        assert!(reason("５３３９").contains("not a digit")); // full-width digits
        assert!(reason("533985").contains("2nd-mesh row (latitude) digit 8 at position 5 must be 0-7"));
        assert!(reason("533958").contains("2nd-mesh column (longitude) digit 8 at position 6"));
        assert!(reason("533935990").contains("1/2-mesh digit 0 at position 9 must be 1-4"));
        assert!(reason("533935995").contains("1/2-mesh digit 5"));
        assert!(reason("5339359925").contains("1/4-mesh digit 5 at position 10"));
        assert!(reason("53393599210").contains("1/8-mesh digit 0 at position 11"));
        let err = MeshCode::from_value(53_393_599, MeshLevel::Second).unwrap_err();
        assert!(err.to_string().contains("more than the 6 digits of a 2nd mesh (10 km) code"), "{err}");
        assert!(MeshCode::from_value(533_935_990, MeshLevel::Half).is_err());
        let err = code("533935").parent(MeshLevel::Third).unwrap_err();
        assert!(matches!(err, Error::InvalidMeshCode { .. }), "{err}");
    }

    #[test]
    fn coordinate_errors() {
        let bad = [
            (f64::NAN, 35.0, "finite"),
            (139.0, f64::INFINITY, "finite"),
            (139.0, -0.1, "latitude"),
            (139.0, 66.67, "latitude"),
            (139.0, 100.0 / 1.5, "latitude"),
            (99.99, 35.0, "longitude"),
            (200.0, 35.0, "longitude"),
            (-139.0, 35.0, "longitude"),
        ];
        for (lon, lat, what) in bad {
            let err = MeshCode::encode(lon, lat, MeshLevel::Third).unwrap_err();
            assert!(matches!(&err, Error::InvalidCoordinate { layer, .. } if layer == LAYER), "{err}");
            assert!(err.to_string().contains(what), "{err}");
            assert!(!code("53393599").contains(lon, lat));
        }
        // The edges of the range that is valid.
        assert_eq!(MeshCode::encode(100.0, 0.0, MeshLevel::Second).unwrap().to_string(), "000000");
        assert_eq!(MeshCode::encode(199.999, 66.666, MeshLevel::First).unwrap().to_string(), "9999");
    }

    #[test]
    fn ordering_is_lexicographic() {
        let mut codes: Vec<MeshCode> =
            ["53393599", "5339", "533935992", "52353680", "533935", "533936", "5340", "0500"].map(code).to_vec();
        codes.sort();
        let mut strings: Vec<String> = codes.iter().map(ToString::to_string).collect();
        let sorted = strings.clone();
        strings.sort();
        assert_eq!(sorted, strings);
        assert_eq!(sorted, ["0500", "52353680", "5339", "533935", "53393599", "533935992", "533936", "5340"]);
    }

    #[test]
    fn children_tile_their_parent() {
        for (s, count) in [("5339", 64), ("533935", 100), ("53393599", 4), ("533935992", 4), ("5339359921", 4)] {
            let parent = code(s);
            let children = parent.children();
            assert_eq!(children.len(), count);
            assert!(children.windows(2).all(|w| w[0] < w[1]));
            for c in &children {
                assert_eq!(c.parent(parent.level()).unwrap(), parent);
                let [lon, lat] = c.centre();
                assert!(parent.contains(lon, lat));
            }
        }
        assert!(code("53393599212").children().is_empty());
    }

    #[test]
    fn aggregates_in_code_order() {
        let points = [[139.745433, 35.658581], [135.759363, 34.987574], [139.7460, 35.6640], [139.745433, 35.658581]];
        let totals = aggregate(&points, Some(&[1.0, 2.0, 4.0, 8.0]), MeshLevel::Half).unwrap();
        let rows: Vec<(String, f64)> = totals.iter().map(|(c, w)| (c.to_string(), *w)).collect();
        assert_eq!(rows, [("523536804".into(), 2.0), ("533935992".into(), 9.0), ("533935994".into(), 4.0)]);
        let counts = aggregate(&points, None, MeshLevel::First).unwrap();
        assert_eq!(counts.into_iter().map(|(c, n)| (c.value(), n)).collect::<Vec<_>>(), [(5235, 1.0), (5339, 3.0)]);
        assert!(aggregate(&[], None, MeshLevel::Third).unwrap().is_empty());

        let err = aggregate(&points, Some(&[1.0]), MeshLevel::Third).unwrap_err();
        assert!(matches!(err, Error::LengthMismatch { expected: 4, got: 1, .. }), "{err}");
        let err = aggregate(&points, Some(&[1.0, 1.0, -1.0, f64::NAN]), MeshLevel::Third).unwrap_err();
        assert!(matches!(err, Error::InvalidWeight { index: 2, .. }), "{err}");
        let err = aggregate(&[[139.0, 35.0], [2.35, 48.85]], None, MeshLevel::Third).unwrap_err();
        assert!(matches!(err, Error::InvalidCoordinate { index: 1, .. }), "{err}");
        assert!(err.to_string().starts_with("grid square: record 1"), "{err}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn encode_then_contains(lon in 100.0f64..200.0, lat in 0.0f64..66.66, level in 0usize..6) {
            let level = MeshLevel::ALL[level];
            let c = MeshCode::encode(lon, lat, level).unwrap();
            prop_assert!(c.contains(lon, lat));
            let [[w, s], [e, n]] = c.bounds();
            prop_assert!(w - 1e-12 <= lon && lon < e + 1e-12 && s - 1e-12 <= lat && lat < n + 1e-12);
            for coarse in MeshLevel::ALL.into_iter().filter(|&l| l <= level) {
                prop_assert_eq!(c.parent(coarse).unwrap(), MeshCode::encode(lon, lat, coarse).unwrap());
            }
            prop_assert_eq!(c.to_string().parse::<MeshCode>().unwrap(), c);
        }
    }
}
