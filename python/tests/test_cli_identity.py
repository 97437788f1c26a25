"""The Python package and the `bbcov` command give the same results on the same files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from conftest import EPSG_PLANE_II
from shapely.geometry import LineString, MultiLineString

import bbcov


def make_region(rng: np.random.Generator, tmp: Path) -> tuple[pd.DataFrame, Path]:
    """~2,000 households around Goto (lon/lat) and 25 routes, one a MultiLineString, as files."""
    n = 2_000
    hh = pd.DataFrame(
        {
            "lon": np.round(rng.uniform(128.70, 128.95, n), 7),
            "lat": np.round(rng.uniform(32.60, 32.80, n), 7),
            "hh_id": [f"h{i:05d}" for i in range(n)],
            "weight": rng.integers(1, 5, n).astype(float),
            "island": rng.choice(["Fukue", "Hisaka", "Naru"], n),
        }
    )
    lines: list[LineString | MultiLineString] = []
    for _ in range(24):
        start = rng.uniform([128.70, 32.60], [128.95, 32.80])
        lines.append(LineString(start + np.cumsum(rng.normal(0, 0.01, size=(4, 2)), axis=0)))
    lines.append(MultiLineString([[(128.75, 32.65), (128.78, 32.66)], [(128.90, 32.75), (128.91, 32.78)]]))
    fiber_path = tmp / "fiber.gpkg"
    gpd.GeoDataFrame(geometry=lines, crs=4326).to_file(fiber_path)
    return hh, fiber_path


def run_cli(cli: Path, tmp: Path, households_csv: Path, fiber: Path, *args: str) -> pd.DataFrame:
    out = tmp / "out.csv"
    subprocess.run(
        [str(cli), "--quiet", "fiber", "--households", str(households_csv), "--fiber", str(fiber),
         "--weight-field", "weight", "--id-field", "hh_id", "--by", "island", "--max-drop", "300", "-o", str(out), *args],
        check=True, capture_output=True, text=True,
    )
    return pd.read_csv(out, dtype={"id": str, "island": str, "nearest_route": str})


def test_same_results_as_the_cli_lonlat(bbcov_cli: Path, rng: np.random.Generator, tmp_path: Path) -> None:
    hh, fiber_path = make_region(rng, tmp_path)
    csv = tmp_path / "households.csv"
    hh.to_csv(csv, index=False, float_format="%.7f")
    expected = run_cli(bbcov_cli, tmp_path, csv, fiber_path)

    households = bbcov.Households.from_arrays(
        pd.read_csv(csv)["lon"], pd.read_csv(csv)["lat"], weight=hh["weight"], id=hh["hh_id"], areas={"island": hh["island"]}
    )
    fiber_gdf = pyogrio.read_dataframe(fiber_path, fid_as_index=True)  # route ids: the GeoPackage FIDs, as the CLI names them
    cov = bbcov.fiber_coverage(households, bbcov.FiberNetwork.from_geodataframe(fiber_gdf), max_drop_m=300)
    got = cov.to_geodataframe()

    assert expected["id"].tolist() == got["id"].tolist()
    # The CLI writes the shortest text that reads back as the same f64: equality is exact.
    assert np.array_equal(expected["fiber_distance_m"].to_numpy(), cov.distance_m)
    assert np.array_equal(expected["fiber_served"].to_numpy() == 1, cov.served)
    assert expected["nearest_route"].tolist() == [str(r) for r in got["nearest_route"]]
    assert (cov.served_count > 0) and (cov.served_count < len(cov))


def test_same_results_as_the_cli_projected(bbcov_cli: Path, rng: np.random.Generator, tmp_path: Path) -> None:
    """Households in EPSG:6670 (x/y CSV), routes in lon/lat: both reproject the routes to EPSG:6670
    with PROJ (GDAL's in the CLI, pyproj's here), so distances agree to PROJ's rounding."""
    hh, fiber_path = make_region(rng, tmp_path)
    plane = gpd.GeoSeries(gpd.points_from_xy(hh["lon"], hh["lat"]), crs=4326).to_crs(EPSG_PLANE_II)
    hh = hh.drop(columns=["lon", "lat"]).assign(x=np.round(plane.x, 4), y=np.round(plane.y, 4))
    csv = tmp_path / "households.csv"
    hh.to_csv(csv, index=False)
    expected = run_cli(bbcov_cli, tmp_path, csv, fiber_path, "--households-crs", f"EPSG:{EPSG_PLANE_II}")

    households = bbcov.Households.from_arrays(hh["x"], hh["y"], crs=EPSG_PLANE_II, weight=hh["weight"], id=hh["hh_id"])
    fiber = bbcov.FiberNetwork.from_geodataframe(pyogrio.read_dataframe(fiber_path, fid_as_index=True))
    cov = bbcov.fiber_coverage(households, fiber)

    np.testing.assert_allclose(expected["fiber_distance_m"].to_numpy(), cov.distance_m, rtol=0, atol=1e-6)
    assert np.array_equal(expected["fiber_served"].to_numpy() == 1, cov.served)
    assert expected["nearest_route"].tolist() == [str(r) for r in cov.to_geodataframe()["nearest_route"]]


@pytest.mark.parametrize("by", [None, "island"])
def test_summary_matches_the_cli_table(bbcov_cli: Path, rng: np.random.Generator, tmp_path: Path, by: str | None) -> None:
    hh, fiber_path = make_region(rng, tmp_path)
    csv = tmp_path / "households.csv"
    hh.to_csv(csv, index=False, float_format="%.7f")
    out = subprocess.run(
        [str(bbcov_cli), "--quiet", "fiber", "--households", str(csv), "--fiber", str(fiber_path), "--weight-field", "weight",
         *(["--by", by] if by else []), "-o", str(tmp_path / "o.csv")],
        check=True, capture_output=True, text=True,
    ).stdout
    households = bbcov.Households.from_arrays(
        pd.read_csv(csv)["lon"], pd.read_csv(csv)["lat"], weight=hh["weight"], areas={"island": hh["island"]}
    )
    fiber = bbcov.FiberNetwork.from_geodataframe(pyogrio.read_dataframe(fiber_path))
    table = bbcov.fiber_coverage(households, fiber).summarize(by=by)
    # The CLI's table: a header (key, households, served, unserved, served %), a rule, the rows.
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == [by or "area", "households"])
    rows = [line.split() for line in lines[header + 1 :] if line.strip() and not line.startswith("-")]
    assert [r[0] for r in rows] == table.index.tolist()
    for r, (_, t) in zip(rows, table.iterrows(), strict=True):
        assert float(r[1].replace(",", "")) == t["weight"]
        assert float(r[2].replace(",", "")) == t["served_weight"]
        assert r[4] == f"{100 * t['served_rate']:.1f}"
