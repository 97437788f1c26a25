"""Python overhead of bbcov's fiber coverage: the Python API end to end against the Rust core call, same input, same run.

Usage (from the repository root, with the package built into .venv by scripts/setup-python.sh):

    .venv/bin/python benches/python_overhead.py                 # 1M households (the peers' data, see below)
    .venv/bin/python benches/python_overhead.py --size 5M --repeat 5
    .venv/bin/python benches/python_overhead.py --smoke         # 10k synthetic households, a few seconds

Input: the peers' seeded fiber data (``households_<size>.csv``: id,x,y in EPSG:32652, and
``routes.geojson``, 10,000 segments) in ``--data`` (default ``benches/work/peers/data/fiber``,
which ``benches/fiber_vs_geopandas.sh <size>`` generates); ``--smoke`` makes a small seeded input
in a temporary folder instead. Both tools read the same files; reading them is not timed.

Rust: ``fiber_peer_input`` (``cargo build --release -p bbcov-benches --bin fiber_peer_input``,
built when missing): its ``build_seconds`` (the layers built from coordinates in memory:
``Households::new`` + ``FiberNetwork::new``, which validate every record) plus its ``seconds``
(the ``bbcov_core::fiber_coverage`` call, index building included): the same Rust work the
Python call makes, so the difference is what Python adds. Python: from a GeoDataFrame of points and one of lines to numpy arrays out:
``Households.from_geodataframe`` + ``FiberNetwork.from_geodataframe`` + ``bbcov.fiber_coverage``
+ ``distance_m`` / ``served``. ``to_geodataframe()`` (a GeoDataFrame out) and the same call
from numpy arrays (``Households.from_arrays``) are timed apart.
The runs alternate (Rust, Python, Rust, ...) and the medians are compared:

    overhead % = (Python end to end - Rust layers + call) / (Rust layers + call) x 100

The results must agree (count within D equal, sum of distances within D equal to 1e-9
relative), else the script exits 1. Prints one table and a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString

import bbcov
from bbcov import _bbcov

ROOT = Path(__file__).resolve().parents[1]


def smoke_input(folder: Path, n: int = 10_000, seed: int = 20240601) -> None:
    """A seeded input in the peers' file formats: n households around 40 towns, 300 routes."""
    rng = np.random.default_rng(seed)
    towns = rng.uniform(400_000, 600_000, size=(40, 2))
    xy = towns[rng.integers(0, 40, n)] + rng.normal(0, 2_000, size=(n, 2))
    pd.DataFrame({"id": np.arange(n), "x": xy[:, 0].round(2), "y": xy[:, 1].round(2)}).to_csv(folder / f"households_{n // 1000}k.csv", index=False)
    lines = [LineString(towns[i] + np.cumsum(rng.normal(0, 1_500, size=(5, 2)), axis=0)) for i in rng.integers(0, 40, 300)]
    gpd.GeoDataFrame({"route_id": range(300)}, geometry=lines, crs=32652).to_file(folder / "routes.geojson", driver="GeoJSON")


def rust_run(binary: Path, households: Path, routes: Path, d: float) -> dict:
    out = subprocess.run([str(binary), "--households", str(households), "--routes", str(routes), "--d", str(d)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def python_run(points: gpd.GeoDataFrame, lines: gpd.GeoDataFrame, d: float) -> dict:
    t0 = time.perf_counter()
    households = bbcov.Households.from_geodataframe(points)
    fiber = bbcov.FiberNetwork.from_geodataframe(lines)
    t1 = time.perf_counter()
    cov = bbcov.fiber_coverage(households, fiber, max_drop_m=d, progress=False)
    distance, served = cov.distance_m, cov.served
    t2 = time.perf_counter()
    gdf = cov.to_geodataframe()
    t3 = time.perf_counter()
    # the native call alone, on the same native layers (what the Python wrapper adds around it is t2 - t1 - this)
    t4 = time.perf_counter()
    _bbcov.fiber_coverage(households._native, fiber._native, d, progress=False)
    native_call = time.perf_counter() - t4
    # numpy arrays in instead of a GeoDataFrame (no shapely objects to read)
    xy = np.column_stack([points.geometry.x, points.geometry.y])
    t5 = time.perf_counter()
    arrays = bbcov.Households.from_arrays(xy[:, 0], xy[:, 1], crs=points.crs)
    bbcov.fiber_coverage(arrays, fiber, max_drop_m=d, progress=False).distance_m
    arrays_seconds = time.perf_counter() - t5
    within = distance <= d
    return {
        "arrays_in_seconds": arrays_seconds,
        "seconds": t2 - t0,
        "layers_seconds": t1 - t0,
        "call_seconds": t2 - t1,
        "native_call_seconds": native_call,
        "to_geodataframe_seconds": t3 - t2,
        "n": len(distance),
        "n_within_d": int(within.sum()),
        "sum_dist_within_d_m": float(distance[within].sum()),
        "served": int(served.sum()),
        "rows_out": len(gdf),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="1M", help="100k, 1M or 5M (files households_<size>.csv in --data)")
    parser.add_argument("--data", type=Path, default=ROOT / "benches" / "work" / "peers" / "data" / "fiber")
    parser.add_argument("--d", type=float, default=500.0, help="drop limit (m)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, alternating; medians compared")
    parser.add_argument("--smoke", action="store_true", help="10k seeded households in a temporary folder")
    parser.add_argument("--bin", type=Path, default=None, help="fiber_peer_input (default: target/release, built if missing)")
    parser.add_argument("--max-overhead", type=float, default=None, help="exit 1 when the overhead %% is above this")
    args = parser.parse_args(argv)

    binary = args.bin or Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "fiber_peer_input"
    if args.bin is None and not binary.exists():
        print("building fiber_peer_input (release)", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "bbcov-benches", "--bin", "fiber_peer_input"], cwd=ROOT, check=True)

    with tempfile.TemporaryDirectory() as tmp:
        if args.smoke:
            data, size = Path(tmp), "10k"
            smoke_input(data)
        else:
            data, size = args.data, args.size
        households_csv, routes = data / f"households_{size}.csv", data / "routes.geojson"
        if not households_csv.exists() or not routes.exists():
            print(f"python_overhead: {households_csv} or {routes} not found: run benches/fiber_vs_geopandas.sh {size} "
                  "first (it generates the peers' data), or use --smoke", file=sys.stderr)
            return 2
        # Reading the files is not timed, for either tool.
        table = pd.read_csv(households_csv)
        points = gpd.GeoDataFrame({"id": table["id"]}, geometry=gpd.points_from_xy(table["x"], table["y"]), crs=32652)
        lines = gpd.read_file(routes)
        if lines.crs is None:
            lines = lines.set_crs(32652)

        rust, python = [], []
        for _ in range(args.repeat):
            rust.append(rust_run(binary, households_csv, routes, args.d))
            python.append(python_run(points, lines, args.d))

    r = statistics.median(x["build_seconds"] + x["seconds"] for x in rust)
    r_call = statistics.median(x["seconds"] for x in rust)
    p = statistics.median(x["seconds"] for x in python)
    med = {k: statistics.median(x[k] for x in python) for k in ("layers_seconds", "call_seconds", "native_call_seconds", "to_geodataframe_seconds", "arrays_in_seconds")}
    overhead = 100.0 * (p - r) / r
    rs, py = rust[0]["result_summary"], python[0]
    same = rs["n"] == py["n"] and rs["n_within_d"] == py["n_within_d"] and \
        abs(rs["sum_dist_within_d_m"] - py["sum_dist_within_d_m"]) <= 1e-9 * max(1.0, rs["sum_dist_within_d_m"]) + 0.005
    print(f"\nfiber coverage, {size} households (n = {py['n']:,}), D = {args.d:g} m, median of {args.repeat} alternating runs\n")
    print(f"| {'run':<60} | {'seconds':>8} |")
    print(f"|{'-' * 62}|{'-' * 9}:|")
    print(f"| {'Rust: layers from coordinates + fiber_coverage':<60} | {r:>8.3f} |")
    print(f"| {'  of which: bbcov_core::fiber_coverage':<60} | {r_call:>8.3f} |")
    print(f"| {'Python: GeoDataFrames in -> numpy arrays out':<60} | {p:>8.3f} |")
    print(f"| {'  of which: Households + FiberNetwork from GeoDataFrames':<60} | {med['layers_seconds']:>8.3f} |")
    print(f"| {'  of which: bbcov.fiber_coverage + arrays':<60} | {med['call_seconds']:>8.3f} |")
    print(f"| {'  (the native call alone, same layers)':<60} | {med['native_call_seconds']:>8.3f} |")
    print(f"| {'Python: cov.to_geodataframe() (apart)':<60} | {med['to_geodataframe_seconds']:>8.3f} |")
    print(f"| {'Python: numpy arrays in (Households.from_arrays) -> arrays':<60} | {med['arrays_in_seconds']:>8.3f} |")
    print(f"\nPython overhead: {overhead:+.1f} % of the Rust time ({p - r:+.3f} s); "
          f"all runs (s): Rust {[round(x['build_seconds'] + x['seconds'], 3) for x in rust]}, Python {[round(x['seconds'], 3) for x in python]}")
    print(f"check: n_within_d {rs['n_within_d']:,} / {py['n_within_d']:,}, sum_dist_within_d_m "
          f"{rs['sum_dist_within_d_m']:,.2f} / {py['sum_dist_within_d_m']:,.2f}: {'same' if same else 'DIFFERENT'}")
    print(json.dumps({"job": "python-overhead", "size": size, "n": py["n"], "rust_seconds": r, "python_seconds": p,
                      "overhead_pct": round(overhead, 2), **{k: round(v, 4) for k, v in med.items()}, "same_result": same}))
    if not same:
        return 1
    if args.max_overhead is not None and overhead > args.max_overhead:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
