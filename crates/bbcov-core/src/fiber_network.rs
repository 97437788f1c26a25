//! Fiber networks: routes (cables) as polylines.

use crate::{Crs, Error, Result};

/// Fiber routes as polylines.
///
/// Multi-part routes are given as several lines with the same id.
///
/// ```
/// use bbcov_core::{Crs, FiberNetwork};
/// let net = FiberNetwork::new(Crs::Projected { epsg: 6670 }, vec![vec![[0.0, 0.0], [1000.0, 0.0], [1000.0, 500.0]]], None)?;
/// assert_eq!(net.len(), 1);
/// assert_eq!(net.segment_count(), 2);
/// assert_eq!(net.length_m(), Some(1500.0));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FiberNetwork {
    crs: Crs,
    coords: Vec<[f64; 2]>,
    /// Line `i` is `coords[offsets[i]..offsets[i + 1]]`.
    offsets: Vec<usize>,
    ids: Option<Vec<String>>,
}

pub(crate) const LAYER: &str = "fiber routes";

impl FiberNetwork {
    /// Validates and builds a network from polylines.
    ///
    /// Fails on an empty layer, on a line with fewer than two points or of
    /// zero length, and on NaN, infinite or out-of-range coordinates; the
    /// error names the first offending line. Repeated consecutive vertices
    /// are allowed (they add no segment).
    pub fn new(crs: Crs, lines: Vec<Vec<[f64; 2]>>, ids: Option<Vec<String>>) -> Result<Self> {
        if lines.is_empty() {
            return Err(Error::EmptyLayer { layer: LAYER.into() });
        }
        if let Some(got) = ids.as_ref().map(Vec::len).filter(|&got| got != lines.len()) {
            return Err(Error::LengthMismatch { what: "fiber route ids".into(), expected: lines.len(), got });
        }
        let id = |i: usize| ids.as_ref().map(|ids| ids[i].clone());
        let mut coords = Vec::with_capacity(lines.iter().map(Vec::len).sum());
        let mut offsets = Vec::with_capacity(lines.len() + 1);
        offsets.push(0);
        for (i, line) in lines.into_iter().enumerate() {
            let invalid = |reason: String| Error::InvalidGeometry { layer: LAYER.into(), index: i, id: id(i), reason };
            if line.len() < 2 {
                return Err(invalid(format!("a line needs at least 2 points, this one has {}", line.len())));
            }
            if let Some(&[x, y]) = line.iter().find(|&&[x, y]| crs.check(x, y).is_err()) {
                let reason = crs.check(x, y).unwrap_err();
                return Err(Error::InvalidCoordinate { layer: LAYER.into(), index: i, id: id(i), x, y, reason });
            }
            if line.windows(2).all(|w| w[0] == w[1]) {
                return Err(invalid("zero-length line (all points are the same)".into()));
            }
            coords.extend(line);
            offsets.push(coords.len());
        }
        Ok(FiberNetwork { crs, coords, offsets, ids })
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Always false: an empty network is refused by [`FiberNetwork::new`].
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The CRS of the coordinates.
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// Line `i` as a slice of points.
    pub fn line(&self, i: usize) -> &[[f64; 2]] {
        &self.coords[self.offsets[i]..self.offsets[i + 1]]
    }

    /// All lines.
    pub fn lines(&self) -> impl ExactSizeIterator<Item = &[[f64; 2]]> + '_ {
        (0..self.len()).map(|i| self.line(i))
    }

    /// All vertices of all lines.
    pub fn coords(&self) -> &[[f64; 2]] {
        &self.coords
    }

    /// Ids, when the layer has them.
    pub fn ids(&self) -> Option<&[String]> {
        self.ids.as_deref()
    }

    /// Number of non-degenerate segments.
    pub fn segment_count(&self) -> usize {
        self.lines().map(|l| l.windows(2).filter(|w| w[0] != w[1]).count()).sum()
    }

    /// Total planar length in metres; `None` for lon/lat networks (project them first).
    pub fn length_m(&self) -> Option<f64> {
        matches!(self.crs, Crs::Projected { .. }).then(|| {
            self.lines().flat_map(|l| l.windows(2)).map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1])).sum()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_degenerate_lines() {
        let crs = Crs::Projected { epsg: 32652 };
        let err = FiberNetwork::new(crs, vec![vec![[1.0, 1.0], [1.0, 1.0]]], Some(vec!["r7".into()])).unwrap_err();
        assert_eq!(err.to_string(), "fiber routes: record 0 (id \"r7\"): invalid geometry: zero-length line (all points are the same)");
        let err = FiberNetwork::new(crs, vec![vec![[0.0, 0.0], [1.0, 0.0]], vec![[1.0, 1.0]]], None).unwrap_err();
        assert!(matches!(err, Error::InvalidGeometry { index: 1, .. }), "{err}");
        let err = FiberNetwork::new(crs, vec![vec![[0.0, 0.0], [f64::INFINITY, 0.0]]], None).unwrap_err();
        assert!(matches!(err, Error::InvalidCoordinate { index: 0, .. }), "{err}");
        assert!(matches!(FiberNetwork::new(crs, vec![], None), Err(Error::EmptyLayer { .. })));
    }

    #[test]
    fn duplicate_vertices_add_no_segment() {
        let crs = Crs::Projected { epsg: 32652 };
        let net = FiberNetwork::new(crs, vec![vec![[0.0, 0.0], [0.0, 0.0], [3.0, 4.0]]], None).unwrap();
        assert_eq!(net.segment_count(), 1);
        assert_eq!(net.length_m(), Some(5.0));
    }
}
