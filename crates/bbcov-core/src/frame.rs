//! The metric frame in which a computation runs.

use crate::{Crs, Error, LocalFrame, Result};

/// Where the core computes: the layers' own projected CRS, or a local
/// transverse Mercator frame for lon/lat inputs.
#[derive(Debug, Clone, PartialEq)]
pub enum StudyFrame {
    /// All layers share this projected CRS: coordinates are used as they are.
    Projected {
        /// EPSG code of the shared CRS.
        epsg: u32,
    },
    /// All layers are lon/lat: they are projected to this frame.
    Local(LocalFrame),
}

impl StudyFrame {
    /// The common frame of several layers, each given as (name, CRS, bounding
    /// box of its coordinates). Fails with [`Error::CrsMismatch`] when the
    /// layers are in different CRSs.
    pub fn resolve(layers: &[(&str, Crs, [[f64; 2]; 2])]) -> Result<Self> {
        let (first_name, first_crs, _) = layers[0];
        if let Some(&(name, crs, _)) = layers.iter().find(|(_, crs, _)| *crs != first_crs) {
            return Err(Error::CrsMismatch {
                left_layer: first_name.into(),
                left: first_crs,
                right_layer: name.into(),
                right: crs,
            });
        }
        match first_crs {
            Crs::Projected { epsg } => Ok(StudyFrame::Projected { epsg }),
            Crs::LonLat => {
                let (min, max) = layers.iter().fold(
                    ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
                    |(lo, hi), (_, _, [a, b])| ([lo[0].min(a[0]), lo[1].min(a[1])], [hi[0].max(b[0]), hi[1].max(b[1])]),
                );
                Ok(StudyFrame::Local(LocalFrame::for_bounds(min, max)?))
            }
        }
    }

    /// Maps a point of the layers' CRS into the frame.
    pub fn project(&self, p: [f64; 2]) -> [f64; 2] {
        match self {
            StudyFrame::Projected { .. } => p,
            StudyFrame::Local(frame) => frame.forward(p[0], p[1]),
        }
    }

    /// Maps a point of the frame back to the layers' CRS.
    pub fn unproject(&self, p: [f64; 2]) -> [f64; 2] {
        match self {
            StudyFrame::Projected { .. } => p,
            StudyFrame::Local(frame) => frame.inverse(p[0], p[1]),
        }
    }
}

/// Bounding box `[min, max]` of a non-empty point set.
pub(crate) fn bounds(points: &[[f64; 2]]) -> [[f64; 2]; 2] {
    points.iter().fold([[f64::INFINITY; 2], [f64::NEG_INFINITY; 2]], |[lo, hi], p| {
        [[lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])]]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatched_crs_is_an_error() {
        let bb = [[0.0, 0.0], [1.0, 1.0]];
        let err = StudyFrame::resolve(&[("households", Crs::LonLat, bb), ("fiber routes", Crs::Projected { epsg: 6670 }, bb)])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "coordinate reference systems differ: households is in lon/lat degrees, fiber routes is in EPSG:6670; reproject one of them"
        );
    }

    #[test]
    fn lonlat_layers_share_a_local_frame() {
        let a = [[128.6, 32.6], [128.9, 32.8]];
        let b = [[128.7, 32.5], [129.1, 32.7]];
        let StudyFrame::Local(f) = StudyFrame::resolve(&[("a", Crs::LonLat, a), ("b", Crs::LonLat, b)]).unwrap() else {
            panic!("expected a local frame")
        };
        assert_eq!(f.origin(), [128.85, 32.65]);
    }
}
