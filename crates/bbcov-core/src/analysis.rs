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
