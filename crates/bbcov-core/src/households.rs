//! Households: weighted points with optional ids and area keys.

use crate::{Crs, Error, Result};

/// Households (or buildings, or people) as weighted points.
///
/// Each point carries a weight (households or people at that point), an
/// optional id, and any number of area keys (municipality, island, grid
/// square) by which results are aggregated.
///
/// ```
/// use bbcov_core::{Crs, Households};
/// let hh = Households::new(Crs::LonLat, vec![[128.84, 32.70], [128.85, 32.71]], Some(vec![3.0, 1.0]), None)?
///     .with_area("island", vec!["Fukue".into(), "Fukue".into()])?;
/// assert_eq!(hh.len(), 2);
/// assert_eq!(hh.total_weight(), 4.0);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Households {
    crs: Crs,
    xy: Vec<[f64; 2]>,
    weight: Vec<f64>,
    ids: Option<Vec<String>>,
    areas: Vec<AreaColumn>,
}

/// A categorical column of area keys, stored as codes into a label table.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaColumn {
    name: String,
    labels: Vec<String>,
    codes: Vec<u32>,
}

impl AreaColumn {
    fn new(name: &str, values: Vec<String>) -> Self {
        let mut labels: Vec<String> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let codes = values
            .into_iter()
            .map(|v| {
                *index.entry(v).or_insert_with_key(|v| {
                    labels.push(v.clone());
                    (labels.len() - 1) as u32
                })
            })
            .collect();
        AreaColumn { name: name.to_owned(), labels, codes }
    }

    /// Name of the key, e.g. `"municipality"`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Distinct values, in order of first appearance.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Per household: index into [`labels`](Self::labels).
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// The key of household `i`.
    pub fn value(&self, i: usize) -> &str {
        &self.labels[self.codes[i] as usize]
    }
}

/// Name of the households layer in error messages.
pub(crate) const LAYER: &str = "households";

impl Households {
    /// Validates and builds a households layer.
    ///
    /// `weight` defaults to 1 per point. Fails on an empty layer, on a NaN,
    /// infinite or out-of-range coordinate, on a negative or non-finite
    /// weight, and when `weight` or `ids` do not have one value per point;
    /// the error names the first offending record.
    pub fn new(crs: Crs, xy: Vec<[f64; 2]>, weight: Option<Vec<f64>>, ids: Option<Vec<String>>) -> Result<Self> {
        if xy.is_empty() {
            return Err(Error::EmptyLayer { layer: LAYER.into() });
        }
        let n = xy.len();
        for (what, len) in [("household weights", weight.as_ref().map(Vec::len)), ("household ids", ids.as_ref().map(Vec::len))] {
            if let Some(got) = len.filter(|&got| got != n) {
                return Err(Error::LengthMismatch { what: what.into(), expected: n, got });
            }
        }
        let id = |i: usize| ids.as_ref().map(|ids| ids[i].clone());
        if let Some(i) = xy.iter().position(|&[x, y]| crs.check(x, y).is_err()) {
            let [x, y] = xy[i];
            let reason = crs.check(x, y).unwrap_err();
            return Err(Error::InvalidCoordinate { layer: LAYER.into(), index: i, id: id(i), x, y, reason });
        }
        let weight = weight.unwrap_or_else(|| vec![1.0; n]);
        if let Some(i) = weight.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
            return Err(Error::InvalidWeight { layer: LAYER.into(), index: i, id: id(i), value: weight[i] });
        }
        Ok(Households { crs, xy, weight, ids, areas: Vec::new() })
    }

    /// Adds (or replaces) an area key column with one value per household.
    pub fn with_area(mut self, name: &str, values: Vec<String>) -> Result<Self> {
        if values.len() != self.len() {
            return Err(Error::LengthMismatch { what: format!("area key {name:?}"), expected: self.len(), got: values.len() });
        }
        self.areas.retain(|a| a.name != name);
        self.areas.push(AreaColumn::new(name, values));
        Ok(self)
    }

    /// Number of household points.
    pub fn len(&self) -> usize {
        self.xy.len()
    }

    /// Always false: an empty layer is refused by [`Households::new`].
    pub fn is_empty(&self) -> bool {
        self.xy.is_empty()
    }

    /// The CRS of [`coords`](Self::coords).
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// Point coordinates, x/y or lon/lat.
    pub fn coords(&self) -> &[[f64; 2]] {
        &self.xy
    }

    /// Weight per point.
    pub fn weights(&self) -> &[f64] {
        &self.weight
    }

    /// Sum of the weights.
    pub fn total_weight(&self) -> f64 {
        self.weight.iter().sum()
    }

    /// Ids, when the layer has them.
    pub fn ids(&self) -> Option<&[String]> {
        self.ids.as_deref()
    }

    /// Area key columns.
    pub fn areas(&self) -> &[AreaColumn] {
        &self.areas
    }

    /// The area key column called `name`.
    pub fn area(&self, name: &str) -> Result<&AreaColumn> {
        self.areas.iter().find(|a| a.name == name).ok_or_else(|| Error::UnknownAreaKey {
            name: name.into(),
            available: if self.areas.is_empty() {
                "none".into()
            } else {
                self.areas.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_offending_record() {
        let ids = Some(vec!["a".to_string(), "b".to_string()]);
        let err = Households::new(Crs::LonLat, vec![[129.0, 33.0], [f64::NAN, 33.0]], None, ids.clone()).unwrap_err();
        assert!(err.to_string().contains("record 1 (id \"b\")"), "{err}");
        let err = Households::new(Crs::LonLat, vec![[129.0, 33.0], [129.0, 95.0]], None, None).unwrap_err();
        assert!(err.to_string().contains("latitude"), "{err}");
        let err = Households::new(Crs::LonLat, vec![[129.0, 33.0]; 2], Some(vec![1.0, -2.0]), ids).unwrap_err();
        assert!(matches!(err, Error::InvalidWeight { index: 1, .. }), "{err}");
        assert!(matches!(Households::new(Crs::LonLat, vec![], None, None), Err(Error::EmptyLayer { .. })));
        let err = Households::new(Crs::LonLat, vec![[129.0, 33.0]], Some(vec![1.0, 2.0]), None).unwrap_err();
        assert!(matches!(err, Error::LengthMismatch { expected: 1, got: 2, .. }));
    }

    #[test]
    fn area_keys_are_interned() {
        let hh = Households::new(Crs::Projected { epsg: 6670 }, vec![[0.0, 0.0]; 4], None, None)
            .unwrap()
            .with_area("island", ["A", "B", "A", "C"].map(String::from).to_vec())
            .unwrap();
        let col = hh.area("island").unwrap();
        assert_eq!(col.labels(), ["A", "B", "C"]);
        assert_eq!(col.codes(), [0, 1, 0, 2]);
        assert_eq!(col.value(2), "A");
        assert!(hh.area("town").unwrap_err().to_string().contains("available: island"));
    }
}
