//! Aggregation of per-household results by area key.

use std::collections::BTreeMap;

use crate::{Error, Households, Result};

/// Served and unserved households of one area (or of the whole region).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaSummary {
    /// The area key value, or `"total"` for the whole region.
    pub area: String,
    /// Number of household points.
    pub points: usize,
    /// Sum of household weights.
    pub weight: f64,
    /// Number of served household points.
    pub served_points: usize,
    /// Sum of the weights of served households.
    pub served_weight: f64,
}

impl AreaSummary {
    /// Unserved weight.
    pub fn unserved_weight(&self) -> f64 {
        self.weight - self.served_weight
    }

    /// Served share of the weight, in [0, 1]; 0 for an area of zero weight.
    pub fn served_rate(&self) -> f64 {
        if self.weight > 0.0 { self.served_weight / self.weight } else { 0.0 }
    }
}

/// Sums served and total weights per value of the area key `key`, sorted by
/// area name, followed by a `"total"` row; with `key = None`, the total row only.
///
/// ```
/// use bbcov_core::{Crs, Households, summarize};
/// let hh = Households::new(Crs::Projected { epsg: 6670 }, vec![[0.0, 0.0]; 3], Some(vec![2.0, 1.0, 4.0]), None)?
///     .with_area("island", vec!["Ojika".into(), "Fukue".into(), "Ojika".into()])?;
/// let rows = summarize(&hh, &[true, true, false], Some("island"))?;
/// assert_eq!(rows.iter().map(|r| (r.area.as_str(), r.served_weight, r.weight)).collect::<Vec<_>>(),
///            [("Fukue", 1.0, 1.0), ("Ojika", 2.0, 6.0), ("total", 3.0, 7.0)]);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn summarize(households: &Households, served: &[bool], key: Option<&str>) -> Result<Vec<AreaSummary>> {
    if served.len() != households.len() {
        return Err(Error::LengthMismatch { what: "served flags".into(), expected: households.len(), got: served.len() });
    }
    let blank = |area: &str| AreaSummary { area: area.into(), points: 0, weight: 0.0, served_points: 0, served_weight: 0.0 };
    let add = |row: &mut AreaSummary, w: f64, s: bool| {
        row.points += 1;
        row.weight += w;
        if s {
            row.served_points += 1;
            row.served_weight += w;
        }
    };
    let mut total = blank("total");
    let mut rows = Vec::new();
    match key {
        None => {
            for (&w, &s) in households.weights().iter().zip(served) {
                add(&mut total, w, s);
            }
        }
        Some(key) => {
            let col = households.area(key)?;
            let mut per_code: Vec<AreaSummary> = col.labels().iter().map(|l| blank(l)).collect();
            for ((&code, &w), &s) in col.codes().iter().zip(households.weights()).zip(served) {
                add(&mut per_code[code as usize], w, s);
                add(&mut total, w, s);
            }
            let sorted: BTreeMap<String, AreaSummary> = per_code.into_iter().map(|r| (r.area.clone(), r)).collect();
            rows.extend(sorted.into_values());
        }
    }
    rows.push(total);
    Ok(rows)
}

/// How a household is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// Within the fiber drop limit only.
    Fiber,
    /// Radio coverage only.
    Radio,
    /// Both fiber and radio.
    Both,
    /// Neither: unserved.
    None,
}

impl Service {
    /// The class of a household from its two flags.
    pub fn of(fiber: bool, radio: bool) -> Service {
        match (fiber, radio) {
            (true, true) => Service::Both,
            (true, false) => Service::Fiber,
            (false, true) => Service::Radio,
            (false, false) => Service::None,
        }
    }

    /// Lower-case name: `fiber`, `radio`, `both`, `none`.
    pub fn name(self) -> &'static str {
        match self {
            Service::Fiber => "fiber",
            Service::Radio => "radio",
            Service::Both => "both",
            Service::None => "none",
        }
    }
}

/// Household weight per [`Service`] class in one area (or the whole region).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceSummary {
    /// The area key value, or `"total"`.
    pub area: String,
    /// Total weight.
    pub weight: f64,
    /// Weight served by fiber only.
    pub fiber_only: f64,
    /// Weight served by radio only.
    pub radio_only: f64,
    /// Weight served by both.
    pub both: f64,
    /// Weight served by neither.
    pub none: f64,
}

impl ServiceSummary {
    /// Share of the weight served by neither, in [0, 1].
    pub fn unserved_rate(&self) -> f64 {
        if self.weight > 0.0 { self.none / self.weight } else { 0.0 }
    }
}

/// Classifies every household as fiber / radio / both / none from its two
/// flags and sums the weights per class and per value of `key` (sorted by
/// area, then a `"total"` row).
///
/// ```
/// use bbcov_core::{Crs, Households, summarize_services};
/// let hh = Households::new(Crs::Projected { epsg: 6670 }, vec![[0.0, 0.0]; 4], Some(vec![1.0, 2.0, 3.0, 4.0]), None)?;
/// let rows = summarize_services(&hh, &[true, true, false, false], &[true, false, true, false], None)?;
/// let t = &rows[0];
/// assert_eq!((t.both, t.fiber_only, t.radio_only, t.none), (1.0, 2.0, 3.0, 4.0));
/// assert_eq!(t.unserved_rate(), 0.4);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn summarize_services(households: &Households, fiber: &[bool], radio: &[bool], key: Option<&str>) -> Result<Vec<ServiceSummary>> {
    for (what, flags) in [("fiber flags", fiber), ("radio flags", radio)] {
        if flags.len() != households.len() {
            return Err(Error::LengthMismatch { what: what.into(), expected: households.len(), got: flags.len() });
        }
    }
    let blank = |area: &str| ServiceSummary { area: area.into(), weight: 0.0, fiber_only: 0.0, radio_only: 0.0, both: 0.0, none: 0.0 };
    let add = |row: &mut ServiceSummary, w: f64, s: Service| {
        row.weight += w;
        *match s {
            Service::Fiber => &mut row.fiber_only,
            Service::Radio => &mut row.radio_only,
            Service::Both => &mut row.both,
            Service::None => &mut row.none,
        } += w;
    };
    let services = fiber.iter().zip(radio).map(|(&f, &r)| Service::of(f, r));
    let mut total = blank("total");
    let mut rows = Vec::new();
    match key {
        None => services.zip(households.weights()).for_each(|(s, &w)| add(&mut total, w, s)),
        Some(key) => {
            let col = households.area(key)?;
            let mut per_code: Vec<ServiceSummary> = col.labels().iter().map(|l| blank(l)).collect();
            for ((s, &w), &code) in services.zip(households.weights()).zip(col.codes()) {
                add(&mut per_code[code as usize], w, s);
                add(&mut total, w, s);
            }
            let sorted: BTreeMap<String, ServiceSummary> = per_code.into_iter().map(|r| (r.area.clone(), r)).collect();
            rows.extend(sorted.into_values());
        }
    }
    rows.push(total);
    Ok(rows)
}
