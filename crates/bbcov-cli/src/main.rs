//! The `bbcov` command.

mod config;
mod demo;
mod fiber;
mod inputs;
mod plan;
mod progress;
mod radio;
mod report;
mod table;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// bbcov: broadband coverage of households by fiber and radio.
#[derive(Parser)]
#[command(version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Number of worker threads (default: all cores). Results do not depend on it.
    #[arg(long, global = true)]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Fiber coverage: distance from every household to the nearest fiber route.
    Fiber(Box<fiber::FiberArgs>),
    /// Radio coverage of sites over a DEM: best-server RSRP, SINR, household signal.
    Radio(Box<radio::RadioArgs>),
    /// Plan new base stations (with backhaul and costs) for the households nobody serves.
    Plan(plan::PlanArgs),
    /// The coverage report of a region (HTML or PDF, ja or en), with its tables (CSV, XLSX) and numbers (JSON).
    Report(report::ReportArgs),
    /// The whole analysis on a region file (default: the bundled sample region).
    Demo(demo::DemoArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    bbcov_io::route_gdal_messages();
    if let Some(n) = cli.threads
        && let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(n).build_global()
    {
        eprintln!("error: --threads {n}: {e}");
        return ExitCode::from(2);
    }
    let result = match &cli.command {
        Command::Fiber(args) => fiber::run(args, cli.quiet),
        Command::Demo(args) => demo::run(args, cli.quiet),
        Command::Radio(args) => radio::run(args, cli.quiet),
        Command::Plan(args) => plan::run(args, cli.quiet),
        Command::Report(args) => report::run(args, cli.quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints progress messages on stderr unless `quiet`.
fn sayer(quiet: bool) -> impl Fn(String) {
    move |message| {
        if !quiet {
            eprintln!("{message}");
        }
    }
}
