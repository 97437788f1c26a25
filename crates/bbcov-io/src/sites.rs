//! Base-station sites from CSV.
//!
//! One row per sector (or omni antenna). Columns (case-insensitive):
//!
//! | column | meaning | default |
//! |---|---|---|
//! | `site_id` or `id` | identifier | row number |
//! | `lon`,`lat` or `x`,`y` | position (lon/lat: EPSG:4326 unless a CRS is given; x/y: CRS required) | required |
//! | `height_m` | antenna height above ground (m) | required |
//! | `technology` | `4G`/`LTE`, `5G`/`NR`/`local5G` (FR1 or FR2 chosen by frequency) | required |
//! | `frequency_mhz` | carrier frequency | required |
//! | `bandwidth_mhz` | channel bandwidth | LTE 20, NR FR1 100, NR FR2 400 |
//! | `tx_power_dbm` or `eirp_dbm` | power at the antenna port, or peak EIRP | required (one of them) |
//! | `gain_dbi` | maximum antenna gain | 8 (TR 38.901 sector) with an azimuth, 0 (omni) without |
//! | `azimuth_deg` | sector bearing; empty for omni | omni |
//! | `downtilt_deg` | mechanical downtilt | 0 |
//! | `feeder_loss_db` | cable and connector loss | 0 |

use std::path::Path;

use bbcov_core::{Antenna, AntennaPattern, Crs, SectorPattern, Site, Technology};

use crate::srs::{Reprojection, parse_crs};
use crate::{IoError, Result};

/// Reads sites, delivering positions in `target` (the DEM's projected CRS).
/// `crs` gives the CRS of x/y columns (lon/lat columns default to EPSG:4326).
pub fn read_sites(path: &Path, crs: Option<&str>, target: Crs) -> Result<Vec<Site>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| IoError::Open { path: path.into(), message: e.to_string() })?;
    let headers = reader.headers().map_err(|e| IoError::Open { path: path.into(), message: e.to_string() })?.clone();
    let column = |names: &[&str]| names.iter().find_map(|n| headers.iter().position(|h| h.eq_ignore_ascii_case(n)));
    let missing = |field: &str| IoError::MissingField { path: path.into(), field: field.into(), available: headers.iter().collect::<Vec<_>>().join(", ") };
    let (xc, yc, geographic) = match (column(&["lon", "lng", "longitude"]), column(&["lat", "latitude"]), column(&["x"]), column(&["y"])) {
        (Some(x), Some(y), _, _) => (x, y, true),
        (_, _, Some(x), Some(y)) => (x, y, false),
        _ => return Err(missing("lon/lat or x/y")),
    };
    let srs = match (crs, geographic) {
        (Some(text), _) => parse_crs(text)?,
        (None, true) => parse_crs("EPSG:4326")?,
        (None, false) => return Err(IoError::NoCrs { path: path.into() }),
    };
    let reprojection = Reprojection::plan(&srs, Some(target))?;
    let id_c = column(&["site_id", "id"]);
    let height_c = column(&["height_m"]).ok_or_else(|| missing("height_m"))?;
    let tech_c = column(&["technology"]).ok_or_else(|| missing("technology"))?;
    let freq_c = column(&["frequency_mhz"]).ok_or_else(|| missing("frequency_mhz"))?;
    let (bw_c, power_c, eirp_c) = (column(&["bandwidth_mhz"]), column(&["tx_power_dbm"]), column(&["eirp_dbm"]));
    if power_c.is_none() && eirp_c.is_none() {
        return Err(missing("tx_power_dbm or eirp_dbm"));
    }
    let (gain_c, az_c, tilt_c, loss_c) = (column(&["gain_dbi"]), column(&["azimuth_deg", "azimuth"]), column(&["downtilt_deg", "downtilt"]), column(&["feeder_loss_db"]));

    let mut sites = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let line = row + 2;
        let record = record.map_err(|e| IoError::Open { path: path.into(), message: e.to_string() })?;
        let text = |c: Option<usize>| c.and_then(|c| record.get(c)).filter(|t| !t.is_empty());
        let number = |c: Option<usize>| -> Result<Option<f64>> {
            text(c)
                .map(|t| {
                    t.parse::<f64>().map_err(|_| IoError::BadValue {
                        path: path.into(),
                        record: format!("line {line}"),
                        field: headers[c.unwrap()].to_string(),
                        message: format!("{t:?} is not a number"),
                    })
                })
                .transpose()
        };
        let required = |c: usize| number(Some(c))?.ok_or_else(|| IoError::BadValue { path: path.into(), record: format!("line {line}"), field: headers[c].to_string(), message: "missing value".into() });
        let bad = |field: &str, message: String| IoError::BadValue { path: path.into(), record: format!("line {line}"), field: field.into(), message };
        let id = text(id_c).map(str::to_owned).unwrap_or_else(|| format!("site-{}", row + 1));
        let mut position = [[required(xc)?, required(yc)?]];
        let source_crs = if srs.is_geographic() { Crs::LonLat } else { target };
        source_crs.check(position[0][0], position[0][1]).map_err(|r| bad("position", r.into()))?;
        reprojection.apply(&mut position)?;
        let frequency = required(freq_c)?;
        let label = text(Some(tech_c)).unwrap_or("");
        let technology = Technology::from_label(label, frequency).ok_or_else(|| {
            bad("technology", format!("unknown technology {:?}; use 4G/LTE, 5G/NR or local5G", Technology::normalize_label(label)))
        })?;
        let bandwidth = number(bw_c)?.unwrap_or(match technology {
            Technology::Lte => 20.0,
            Technology::NrFr1 => 100.0,
            Technology::NrFr2 => 400.0,
        });
        let azimuth = number(az_c)?;
        let gain = number(gain_c)?.unwrap_or(if azimuth.is_some() { Antenna::TR_38901_MAX_GAIN_DBI } else { 0.0 });
        let downtilt = number(tilt_c)?.unwrap_or(0.0);
        let antenna = match azimuth {
            Some(az) => Antenna::new(AntennaPattern::Sector(SectorPattern::TR_38901), gain, az, downtilt)?,
            None => Antenna::new(AntennaPattern::Omni, gain, 0.0, downtilt)?,
        };
        let feeder_loss = number(loss_c)?.unwrap_or(0.0);
        let tx_power = match (number(power_c)?, number(eirp_c)?) {
            (Some(p), _) => p,
            (None, Some(eirp)) => eirp - gain + feeder_loss,
            (None, None) => return Err(bad("tx_power_dbm", "missing value (give tx_power_dbm or eirp_dbm)".into())),
        };
        let site = Site::new(id, position[0], required(height_c)?, technology, frequency, bandwidth, tx_power, feeder_loss, antenna)
            .map_err(|e| bad("site", e.to_string()))?;
        sites.push(site);
    }
    if sites.is_empty() {
        return Err(bbcov_core::Error::EmptyLayer { layer: path.display().to_string() }.into());
    }
    Ok(sites)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sectors_and_omnis() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sites.csv");
        std::fs::write(
            &path,
            "site_id,lon,lat,height_m,technology,frequency_mhz,eirp_dbm,azimuth_deg\n\
             a,131.0,33.0,30,4G,1800,61,120\n\
             b,131.01,33.0,25,local5G,4800,55,\n\
             c,131.02,33.0,20,5G,28000,60,90\n",
        )
        .unwrap();
        let sites = read_sites(&path, None, Crs::Projected { epsg: 6670 }).unwrap();
        assert_eq!(sites.len(), 3);
        // CS II origin is 33 N 131 E.
        assert!(sites[0].position()[0].abs() < 1e-3 && sites[0].position()[1].abs() < 1e-3);
        assert!((sites[0].eirp_dbm() - 61.0).abs() < 1e-9);
        assert_eq!(sites[1].technology(), Technology::NrFr1);
        assert_eq!(sites[1].antenna().pattern(), AntennaPattern::Omni);
        assert_eq!(sites[2].technology(), Technology::NrFr2);
        assert_eq!(sites[2].bandwidth_mhz(), 400.0);
    }

    #[test]
    fn errors_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sites.csv");
        std::fs::write(&path, "id,lon,lat,height_m,technology,frequency_mhz,tx_power_dbm\nx,131,33,30,3G,2100,40\n").unwrap();
        let err = read_sites(&path, None, Crs::Projected { epsg: 6670 }).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("unknown technology \"3g\""), "{err}");
        std::fs::write(&path, "id,lon,lat,height_m,technology,frequency_mhz,tx_power_dbm\nx,131,33,0,4G,2100,40\n").unwrap();
        let err = read_sites(&path, None, Crs::Projected { epsg: 6670 }).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("height_m"), "{err}");
    }
}
