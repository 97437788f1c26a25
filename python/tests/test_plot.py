"""bbcov.plot: the static figure and the interactive map build from the sample region with the expected layers."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
from conftest import REPO

import bbcov
import bbcov.plot

matplotlib.use("Agg")

REGION = REPO / "data-samples" / "region"


@pytest.fixture(scope="module")
def layers() -> dict[str, object]:
    if not (REGION / "dem.tif").exists():
        pytest.skip("data-samples/region is missing: cargo run --release -p bbcov-samples -- --out data-samples/region")
    dem = bbcov.Dem.from_rasterio(REGION / "dem.tif")
    towers = bbcov.sites_from_dataframe(pd.read_csv(REGION / "towers.csv"), target=dem)
    gdf = gpd.read_file(REGION / "households.gpkg")
    hh = bbcov.Households.from_geodataframe(gdf, weight="households", id="hh_id")
    fiber = bbcov.FiberNetwork.from_geodataframe(gpd.read_file(REGION / "fiber.gpkg"))
    radio = bbcov.radio_coverage(dem, towers, radius_m=6_000, model="diffraction", progress=False)
    signal = bbcov.household_signal(dem, towers, hh, radius_m=6_000, model="diffraction")
    served = bbcov.fiber_coverage(hh, fiber, progress=False).served
    status = bbcov.plot.service_status(served, signal["covered"])
    return {"dem": dem, "towers": towers, "gdf": gdf, "hh": hh, "radio": radio, "status": status, "served": served,
            "covered": signal["covered"].to_numpy()}


def test_service_status_counts(layers: dict[str, object]) -> None:
    status = np.asarray(layers["status"])
    served, covered = layers["served"], layers["covered"]
    assert (status == "both").sum() == (served & covered).sum()
    assert (status == "fiber").sum() == (served & ~covered).sum()
    assert (status == "radio").sum() == (~served & covered).sum()
    assert (status == "none").sum() == (~served & ~covered).sum() > 0
    with pytest.raises(bbcov.InvalidInputError, match="one length"):
        bbcov.plot.service_status([True], [True, False])


def test_static_map_has_the_raster_points_and_legend(layers: dict[str, object], tmp_path: Path) -> None:
    status = np.asarray(layers["status"])
    fig, ax = bbcov.plot.coverage_map(layers["radio"], layers["gdf"], layers["status"], sites=layers["towers"], title="t")
    assert len(ax.images) == 1
    radio = layers["radio"]
    image = ax.images[0]
    assert image.get_array().shape == radio.rsrp_dbm.shape
    x0, dx, _, y0, _, dy = radio.geotransform
    rows, cols = radio.rsrp_dbm.shape
    np.testing.assert_allclose(image.get_extent(), [x0, x0 + cols * dx, y0 + rows * dy, y0])
    # one scatter per status present (unserved last), then the sites
    sizes = [c.get_offsets().shape[0] for c in ax.collections]
    expected = [int((status == k).sum()) for k in bbcov.plot.STATUS if (status == k).any()]
    assert sizes == [*expected, len(layers["towers"])]
    assert sum(expected) == len(layers["gdf"])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[-2].startswith("neither (unserved) (") and labels[-1] == f"sites ({len(layers['towers'])})"
    # the households are drawn in the raster's CRS (EPSG:6670), not in lon/lat
    pts = ax.collections[0].get_offsets()
    assert (pts[:, 0] < -100_000).all() and (pts[:, 1] < 0).all()
    assert ax.get_xlabel().startswith("x (km, EPSG:6670")
    assert len(fig.axes) == 2  # the map and its colour bar
    fig.savefig(tmp_path / "map.png", dpi=60)
    assert (tmp_path / "map.png").stat().st_size > 10_000


def test_static_map_covered_mask_and_new_sites(layers: dict[str, object]) -> None:
    plan_sites = gpd.GeoDataFrame({"site_id": ["a", "b"]}, geometry=gpd.points_from_xy([-200_000.0, -190_000.0], [-20_000.0, -15_000.0]), crs=6670)
    fig, ax = bbcov.plot.coverage_map(layers["radio"], layers["hh"], variable="covered", new_sites=plan_sites)
    data = ax.images[0].get_array()
    assert int(np.isfinite(data).sum()) == layers["radio"].covered_count
    assert [c.get_offsets().shape[0] for c in ax.collections][-2:] == [len(layers["hh"]), 2]
    assert len(fig.axes) == 1
    with pytest.raises(bbcov.InvalidInputError, match="variable"):
        bbcov.plot.coverage_map(layers["radio"], variable="nope")
    with pytest.raises(bbcov.InvalidInputError, match="status"):
        bbcov.plot.coverage_map(None, layers["gdf"], ["fiber"] * len(layers["gdf"][:-1]))


def test_interactive_map_layers_and_rows(layers: dict[str, object], tmp_path: Path) -> None:
    status = np.asarray(layers["status"])
    m = bbcov.plot.interactive_map(layers["radio"], layers["gdf"], layers["status"], sites=layers["towers"], columns=["hh_id"])
    names = [r.name for r in m.renderers]
    assert names == ["coverage", "households", "unserved", "sites"]
    by_name = {r.name: r.data_source.data for r in m.renderers}
    assert len(by_name["households"]["x"]) == len(layers["gdf"])
    assert len(by_name["unserved"]["x"]) == int((status == "none").sum()) > 0
    assert len(by_name["sites"]["x"]) == len(layers["towers"])
    assert list(by_name["households"]["hh_id"][:3]) == layers["gdf"]["hh_id"].astype(str).tolist()[:3]
    image = by_name["coverage"]["image"][0]
    np.testing.assert_array_equal(np.flipud(image), layers["radio"].rsrp_dbm.astype(np.float64))
    path = tmp_path / "map.html"
    bbcov.plot.save_html(m, path)
    html = path.read_text()
    # self-contained: BokehJS inlined, no script or stylesheet fetched from the network
    assert not re.findall(r"<script[^>]*\bsrc=", html) and not re.findall(r"<link[^>]*href=\"http", html)
    assert "Bokeh" in html and len(html) > 500_000


def test_missing_optional_dependency_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "bokeh", None)  # import bokeh now raises ImportError
    with pytest.raises(ImportError, match="pip install bokeh"):
        bbcov.plot.interactive_map()
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        bbcov.plot.coverage_map()


def test_a_saved_map_can_still_be_shown(layers: dict[str, object], tmp_path: Path) -> None:
    """save_html then show (the notebook's order), and show twice, work: one document at a time."""
    from bokeh.io.state import curstate

    m = bbcov.plot.interactive_map(None, layers["gdf"].head(50))
    bbcov.plot.save_html(m, tmp_path / "a.html")
    assert m.document is None
    curstate().document.add_root(m)  # what show() does in a notebook
    bbcov.plot.save_html(m, tmp_path / "b.html")
    assert (tmp_path / "a.html").stat().st_size > 100_000 and (tmp_path / "b.html").stat().st_size > 100_000
    curstate().document.remove_root(m)
