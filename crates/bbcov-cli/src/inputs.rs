//! Input layers named on the command line or in a region file, and loading them.

use std::path::PathBuf;
use std::time::Instant;

use bbcov_core::mesh::{self, MeshLevel};
use bbcov_core::{Crs, FiberNetwork, Households};
use bbcov_io::{LayerSpec, read_fiber, read_households, to_lonlat};

/// Where the households are and which fields to read.
#[derive(clap::Args, Debug, Clone)]
pub struct HouseholdsInput {
    /// Households: GeoPackage, GeoJSON, Shapefile, FlatGeobuf or CSV (lon,lat or x,y columns) of points.
    #[arg(long = "households", id = "households")]
    pub path: PathBuf,
    #[command(flatten)]
    pub fields: HouseholdFields,
}

/// How to read a households layer.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct HouseholdFields {
    /// Layer of the households file (default: the first).
    #[arg(long = "households-layer", id = "households-layer")]
    pub layer: Option<String>,
    /// CRS of the households when the file has none (CSV x/y) or to override it, e.g. EPSG:6670.
    #[arg(long = "households-crs", id = "households-crs")]
    pub crs: Option<String>,
    /// Field with the number of households (or people) per point (default: 1 per point).
    #[arg(long)]
    pub weight_field: Option<String>,
    /// Field with a household id, copied to the output.
    #[arg(long)]
    pub id_field: Option<String>,
    /// Field to summarize by (municipality, island, ...); repeat for several.
    #[arg(long = "by")]
    pub area_fields: Vec<String>,
    /// Also summarize by JIS X 0410 grid square of this size (80km, 10km, 1km, 500m, 250m, 125m).
    #[arg(long)]
    pub mesh: Option<MeshLevel>,
}

impl HouseholdsInput {
}

impl HouseholdsInput {
    /// Reads the households, adding a grid-square key when asked.
    pub fn load(&self, say: &dyn Fn(String)) -> Result<Households, Box<dyn std::error::Error>> {
        self.load_in(None, say)
    }

    /// Reads the households into `target` (default: their own CRS, see [`LayerSpec::target`]).
    pub fn load_in(&self, target: Option<Crs>, say: &dyn Fn(String)) -> Result<Households, Box<dyn std::error::Error>> {
        let t = Instant::now();
        let f = &self.fields;
        let spec = LayerSpec {
            layer: f.layer.clone(),
            crs: f.crs.clone(),
            id_field: f.id_field.clone(),
            weight_field: f.weight_field.clone(),
            area_fields: f.area_fields.clone(),
            target,
        };
        let mut households = read_households(&self.path, &spec)?;
        if let Some(level) = f.mesh {
            let lonlat = to_lonlat(households.crs(), households.coords())?;
            let codes = mesh::encode_all(&lonlat, level)?.iter().map(ToString::to_string).collect();
            households = households.with_area(&mesh_key(level), codes)?;
        }
        say(format!("read {} household points ({}) in {:.2} s", households.len(), households.crs(), t.elapsed().as_secs_f64()));
        Ok(households)
    }

    /// The area keys to summarize by: the fields, then the grid square.
    pub fn summary_keys(&self) -> Vec<String> {
        self.fields.area_fields.iter().cloned().chain(self.fields.mesh.map(mesh_key)).collect()
    }
}

/// Where the fiber routes are.
#[derive(clap::Args, Debug, Clone)]
pub struct FiberInput {
    /// Fiber routes: any line layer GDAL reads.
    #[arg(long = "fiber", id = "fiber")]
    pub path: PathBuf,
    /// Layer of the fiber file (default: the first).
    #[arg(long = "fiber-layer", id = "fiber-layer")]
    pub layer: Option<String>,
    /// CRS of the fiber routes when the file has none, or to override it.
    #[arg(long = "fiber-crs", id = "fiber-crs")]
    pub crs: Option<String>,
}

impl FiberInput {
    /// Reads the routes, reprojected to the households' CRS.
    pub fn load(&self, households: &Households, say: &dyn Fn(String)) -> Result<FiberNetwork, Box<dyn std::error::Error>> {
        let t = Instant::now();
        let spec = LayerSpec { layer: self.layer.clone(), crs: self.crs.clone(), target: Some(households.crs()), ..Default::default() };
        let fiber = read_fiber(&self.path, &spec)?;
        say(format!(
            "read {} fiber routes, {} segments (in {}) in {:.2} s",
            fiber.len(),
            fiber.segment_count(),
            fiber.crs(),
            t.elapsed().as_secs_f64()
        ));
        Ok(fiber)
    }
}

/// Name of the area key holding grid-square codes, e.g. `mesh_500m`.
pub fn mesh_key(level: MeshLevel) -> String {
    let m = level.nominal_side_m();
    if m >= 1000.0 { format!("mesh_{}km", m / 1000.0) } else { format!("mesh_{m}m") }
}
