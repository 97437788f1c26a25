//! `bbcov fiber`.

use std::path::PathBuf;
use std::time::Instant;

use bbcov_core::mesh::{self, MeshLevel};
use bbcov_core::{FiberOptions, fiber_coverage_with, summarize};
use bbcov_io::{Column, ColumnData, LayerSpec, check_output_path, household_columns, read_fiber, read_households, to_lonlat, write_points};

use crate::progress::Bar;
use crate::table;

/// Households within `--max-drop` metres of a fiber route are served.
#[derive(clap::Args)]
pub struct FiberArgs {
    /// Households: GeoPackage, GeoJSON, Shapefile, FlatGeobuf or CSV (lon,lat or x,y columns) of points.
    #[arg(long)]
    households: PathBuf,
    /// Layer of the households file (default: the first).
    #[arg(long)]
    households_layer: Option<String>,
    /// CRS of the households when the file has none (CSV x/y) or to override it, e.g. EPSG:6670.
    #[arg(long)]
    households_crs: Option<String>,
    /// Field with the number of households (or people) per point (default: 1 per point).
    #[arg(long)]
    weight_field: Option<String>,
    /// Field with a household id, copied to the output.
    #[arg(long)]
    id_field: Option<String>,
    /// Field to summarize by (municipality, island, ...); repeat for several.
    #[arg(long = "by")]
    by: Vec<String>,
    /// Also summarize by JIS X 0410 grid square of this size (80km, 10km, 1km, 500m, 250m, 125m).
    #[arg(long)]
    mesh: Option<MeshLevel>,
    /// Fiber routes: any line layer GDAL reads.
    #[arg(long)]
    fiber: PathBuf,
    /// Layer of the fiber file (default: the first).
    #[arg(long)]
    fiber_layer: Option<String>,
    /// CRS of the fiber routes when the file has none, or to override it.
    #[arg(long)]
    fiber_crs: Option<String>,
    /// Maximum drop length (m): households at most this far from a route are served.
    #[arg(long, default_value_t = 300.0)]
    max_drop: f64,
    /// Output: households with distance_m, served, nearest_route (.gpkg, .geojson, .fgb or .csv).
    #[arg(long, short)]
    output: PathBuf,
}

pub fn run(args: &FiberArgs, quiet: bool) -> Result<(), Box<dyn std::error::Error>> {
    let say = |msg: String| {
        if !quiet {
            eprintln!("{msg}");
        }
    };
    check_output_path(&args.output)?;
    let t = Instant::now();
    let households = read_households(
        &args.households,
        &LayerSpec {
            layer: args.households_layer.clone(),
            crs: args.households_crs.clone(),
            id_field: args.id_field.clone(),
            weight_field: args.weight_field.clone(),
            area_fields: args.by.clone(),
            target: None,
        },
    )?;
    let households = match args.mesh {
        Some(level) => {
            let lonlat = to_lonlat(households.crs(), households.coords())?;
            let codes = mesh::encode_all(&lonlat, level)?.iter().map(ToString::to_string).collect();
            households.with_area(&mesh_key(level), codes)?
        }
        None => households,
    };
    say(format!("read {} household points ({}) in {:.2} s", households.len(), households.crs(), t.elapsed().as_secs_f64()));
    let t = Instant::now();
    let fiber = read_fiber(
        &args.fiber,
        &LayerSpec {
            layer: args.fiber_layer.clone(),
            crs: args.fiber_crs.clone(),
            target: Some(households.crs()),
            ..Default::default()
        },
    )?;
    say(format!("read {} fiber routes, {} segments (reprojected to {}) in {:.2} s", fiber.len(), fiber.segment_count(), fiber.crs(), t.elapsed().as_secs_f64()));

    let t = Instant::now();
    let bar = Bar::new(quiet);
    let coverage = fiber_coverage_with(&households, &fiber, &FiberOptions { max_drop_m: args.max_drop }, &bar)?;
    bar.finish();
    say(format!("fiber coverage in {:.2} s", t.elapsed().as_secs_f64()));

    let t = Instant::now();
    let route_ids = fiber.ids().expect("read_fiber sets ids");
    let mut columns = household_columns(&households);
    columns.push(Column { name: "fiber_distance_m".into(), data: ColumnData::F64(coverage.distances_m().to_vec()) });
    columns.push(Column { name: "fiber_served".into(), data: ColumnData::Bool(coverage.served()) });
    columns.push(Column {
        name: "nearest_route".into(),
        data: ColumnData::Text(coverage.nearest_routes().iter().map(|&r| route_ids[r as usize].clone()).collect()),
    });
    write_points(&args.output, "households", households.crs(), households.coords(), &columns)?;
    say(format!("wrote {} in {:.2} s", args.output.display(), t.elapsed().as_secs_f64()));

    let served = coverage.served();
    println!("Fiber coverage, drop limit {} m", args.max_drop);
    if args.by.is_empty() {
        print!("{}", table::render("area", &summarize(&households, &served, None)?));
    }
    for key in args.by.iter().cloned().chain(args.mesh.map(mesh_key)).collect::<Vec<_>>().iter() {
        println!();
        print!("{}", table::render(key, &summarize(&households, &served, Some(key))?));
    }
    Ok(())
}

/// Name of the area key holding grid-square codes, e.g. `mesh_500m`.
fn mesh_key(level: MeshLevel) -> String {
    let m = level.nominal_side_m();
    if m >= 1000.0 { format!("mesh_{}km", m / 1000.0) } else { format!("mesh_{m}m") }
}
