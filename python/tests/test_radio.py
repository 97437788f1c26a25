"""Radio coverage: DEMs, sites, best-server maps and household signal against independent formulas and the CLI."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import EPSG_PLANE_II, REPO

import bbcov

#: A flat sea-level DEM, 201 x 201 cells of 30 m, in JGD2011 plane II.
GT = (0.0, 30.0, 0.0, 6030.0, 0.0, -30.0)
CENTRE = 3015.0  # centre of cell (100, 100)
REGION = REPO / "data-samples" / "region"


def flat_dem() -> bbcov.Dem:
    return bbcov.Dem.from_array(np.zeros((201, 201), np.float32), GT, crs=EPSG_PLANE_II)


def free_space_db(f_mhz: float, d_m: float) -> float:
    return 32.45 + 20 * math.log10(f_mhz) + 20 * math.log10(d_m / 1000)


def test_dem_from_array_transform_and_crs() -> None:
    affine = pytest.importorskip("affine")
    dem = bbcov.Dem.from_array(np.zeros((201, 201)), affine.Affine.from_gdal(*GT), crs=f"EPSG:{EPSG_PLANE_II}", nodata=-9999)
    assert dem.shape == (201, 201)
    assert dem.geotransform == GT
    assert affine.Affine(*dem.transform) == affine.Affine.from_gdal(*GT)
    assert dem.epsg == EPSG_PLANE_II and dem.crs.to_epsg() == EPSG_PLANE_II
    assert dem.bounds == (0.0, 0.0, 6030.0, 6030.0)
    heights = np.zeros((3, 3), np.float32)
    heights[1, 1] = -9999
    assert bbcov.Dem.from_array(heights, (0, 30, 0, 90, 0, -30), crs=EPSG_PLANE_II, nodata=-9999).missing_count == 1
    # A topo-bathymetric DEM's sea floor is read as the sea surface; nodata stays missing.
    heights[0, 0], heights[2, 2] = -42.5, 7.0
    dem = bbcov.Dem.from_array(heights, (0, 30, 0, 90, 0, -30), crs=EPSG_PLANE_II, nodata=-9999)
    assert (dem.missing_count, dem.below_sea_level_count) == (1, 1)
    assert dem.heights[0, 0] == 0.0 and np.isnan(dem.heights[1, 1]) and dem.heights[2, 2] == 7.0


def test_diffraction_on_clear_paths_is_free_space() -> None:
    """Flat sea-level terrain, a high site: RSRP = EIRP − RSRP offset − free-space loss over the 3-D distance."""
    dem = flat_dem()
    site = bbcov.Site("s1", CENTRE, CENTRE, 100.0, "LTE", 800.0, eirp_dbm=60.0)
    assert site.eirp_dbm == pytest.approx(60.0)
    cov = bbcov.radio_coverage(dem, [site], radius_m=2500, model="diffraction", rx_height_m=10.0, progress=False)
    assert cov.crs.to_epsg() == EPSG_PLANE_II
    row0, col0 = cov.dem_offset
    x0, dx, _, y0, _, mdy = cov.geotransform
    assert (x0, y0) == (GT[0] + col0 * 30, GT[3] - row0 * 30) and (dx, mdy) == (30.0, -30.0)
    r, c = 100 - row0, 100 - col0
    assert cov.server[r, c] == 0
    checked = 0
    for dr, dc in [(0, 2), (0, 10), (7, 30), (-40, 20), (0, 80), (50, -50)]:
        d = math.hypot(30 * dr, 30 * dc)
        expected = 60.0 - site.rsrp_offset_db - free_space_db(800.0, math.hypot(d, 100.0 - 10.0))
        assert float(cov.rsrp_dbm[r + dr, c + dc]) == pytest.approx(expected, abs=0.5)
        checked += 1
    assert checked == 6
    # Beyond the radius: not computed.
    assert np.isnan(cov.rsrp_dbm[0, 0]) and cov.server[0, 0] == cov.NO_SERVER


def test_arrays_are_read_only_views() -> None:
    cov = bbcov.radio_coverage(
        flat_dem(), bbcov.Site("s", CENTRE, CENTRE, 30, "NR", 3700, eirp_dbm=65, azimuth_deg=90), radius_m=1000, model="rma",
        progress=False,
    )
    for array in (cov.rsrp_dbm, cov.server, cov.sinr_db, cov.covered):
        assert not array.flags.writeable
        assert array.base is not None  # a view of the Rust result
    assert cov.rsrp_dbm.dtype == np.float32 and cov.server.dtype == np.uint32 and cov.covered.dtype == np.bool_
    assert cov.covered.sum() == cov.covered_count > 0


def test_to_rasterio_round_trip(tmp_path: Path) -> None:
    rasterio = pytest.importorskip("rasterio")
    cov = bbcov.radio_coverage(flat_dem(), [bbcov.Site("s", CENTRE, CENTRE, 30, "LTE", 800, tx_power_dbm=46)], radius_m=1000,
                               model="diffraction", progress=False)
    cov.to_rasterio(tmp_path / "rsrp.tif")
    with rasterio.open(tmp_path / "rsrp.tif") as src:
        np.testing.assert_array_equal(src.read(1), cov.rsrp_dbm)
        assert src.crs.to_epsg() == EPSG_PLANE_II
        assert tuple(src.transform)[:6] == cov.transform
    dem = bbcov.Dem.from_rasterio(tmp_path / "rsrp.tif")
    assert dem.shape == cov.rsrp_dbm.shape and dem.missing_count == int(np.isnan(cov.rsrp_dbm).sum())


def test_site_rules_mirror_the_sites_csv() -> None:
    sector = bbcov.Site("a", 0, 0, 30, "4G", 1800, eirp_dbm=61, azimuth_deg=120)
    assert sector.technology == "LTE" and sector.bandwidth_mhz == 20 and sector.tx_power_dbm == pytest.approx(53.0)  # gain 8 dBi
    omni = bbcov.Site("b", 0, 0, 25, "local5G", 4800, eirp_dbm=55)
    assert omni.technology == "NR FR1" and omni.bandwidth_mhz == 100 and omni.tx_power_dbm == pytest.approx(55.0)
    assert bbcov.Site("c", 0, 0, 20, "5G", 28000, eirp_dbm=60, azimuth_deg=90).bandwidth_mhz == 400
    with pytest.raises(bbcov.InvalidInputError, match="unknown technology"):
        bbcov.Site("x", 0, 0, 30, "3G", 2100, tx_power_dbm=40)
    with pytest.raises(bbcov.InvalidInputError, match="height_m"):
        bbcov.Site("x", 0, 0, 0, "LTE", 2100, tx_power_dbm=40)


def test_sites_from_dataframe_reprojects_lonlat() -> None:
    df = pd.DataFrame(
        {"site_id": ["a", "b"], "lon": [131.0, 131.01], "lat": [33.0, 33.0], "height_m": [30, 25], "technology": ["4G", "local5G"],
         "frequency_mhz": [1800, 4800], "eirp_dbm": [61, 55], "azimuth_deg": [120, None]}
    )
    sites = bbcov.sites_from_dataframe(df, target=EPSG_PLANE_II)
    assert [s.id for s in sites] == ["a", "b"]
    assert abs(sites[0].x) < 1e-3 and abs(sites[0].y) < 1e-3  # plane II's origin is 33 N 131 E
    assert sites[1].technology == "NR FR1" and sites[1].eirp_dbm == pytest.approx(55)
    with pytest.raises(bbcov.InvalidInputError, match="target"):
        bbcov.sites_from_dataframe(df)


def test_household_signal_frame() -> None:
    dem = flat_dem()
    site = bbcov.Site("s1", CENTRE, CENTRE, 100.0, "LTE", 800.0, eirp_dbm=60.0)
    hh = bbcov.Households.from_arrays([CENTRE + 500, CENTRE - 1500, 5900], [CENTRE, CENTRE, 100], crs=EPSG_PLANE_II, id=["h1", "h2", "h3"])
    df = bbcov.household_signal(dem, [site], hh, radius_m=2000, model="diffraction", indoor=False, rx_height_m=10.0)
    assert df.index.tolist() == ["h1", "h2", "h3"] and list(df.columns) == ["rsrp_dbm", "serving_site", "sinr_db", "covered"]
    expected = 60.0 - site.rsrp_offset_db - free_space_db(800.0, math.hypot(500, 90))
    assert df.loc["h1", "rsrp_dbm"] == pytest.approx(expected, abs=0.5)
    assert df["serving_site"].tolist()[:2] == ["s1", "s1"] and df["covered"].tolist()[:2] == [True, True]
    assert pd.isna(df.loc["h3", "serving_site"]) and not df.loc["h3", "covered"]  # beyond the radius


def test_errors() -> None:
    dem = flat_dem()
    far = bbcov.Site("far", 1e6, 0, 30, "LTE", 800, eirp_dbm=60)
    with pytest.raises(bbcov.InvalidInputError, match=r'site "far": .* is outside the DEM, which covers x 0 to 6030') as e:
        bbcov.radio_coverage(dem, [far], progress=False)
    assert isinstance(e.value, bbcov.DemError)
    with pytest.raises(bbcov.DemError, match="a lon/lat DEM is not supported"):
        bbcov.Dem.from_array(np.zeros((10, 10), np.float32), (128.0, 0.001, 0, 33.0, 0, -0.001), crs=4326)
    with pytest.raises(bbcov.DemError, match="rotated"):
        bbcov.Dem.from_array(np.zeros((10, 10), np.float32), (0, 30, 1, 300, 0, -30), crs=EPSG_PLANE_II)
    with pytest.raises(bbcov.InvalidInputError, match="unknown radio model"):
        bbcov.radio_coverage(dem, [far], model="hata")
    with pytest.raises(bbcov.InvalidInputError, match="2-D"):
        bbcov.Dem.from_array(np.zeros(10), GT, crs=EPSG_PLANE_II)


def test_from_rasterio_without_rasterio(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_rasterio(name: str, *args: object, **kwargs: object) -> object:
        if name == "rasterio" or name.startswith("rasterio."):
            raise ImportError("No module named 'rasterio'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_rasterio)
    monkeypatch.delitem(__import__("sys").modules, "rasterio", raising=False)
    with pytest.raises(ImportError, match="pip install rasterio"):
        bbcov.Dem.from_rasterio("dem.tif")


@pytest.mark.skipif(not (REGION / "dem.tif").exists(), reason="data-samples/region not generated (cargo run -p bbcov-samples)")
def test_same_results_as_the_cli_on_the_sample_region(bbcov_cli: Path, tmp_path: Path) -> None:
    rasterio = pytest.importorskip("rasterio")
    towers = pd.read_csv(REGION / "towers.csv").head(4)
    sites_csv = tmp_path / "sites.csv"
    towers.to_csv(sites_csv, index=False)
    hh = pd.read_csv(REGION / "households.csv", dtype={"hh_id": str})
    subprocess.run(
        [str(bbcov_cli), "--quiet", "radio", "--dem", str(REGION / "dem.tif"), "--sites", str(sites_csv), "--model", "itm",
         "--radius", "3000", "-o", str(tmp_path / "rsrp.tif"), "--households", str(REGION / "households.csv"),
         "--id-field", "hh_id", "--weight-field", "households", "--households-output", str(tmp_path / "hh.csv")],
        check=True, capture_output=True, text=True,
    )
    dem = bbcov.Dem.from_rasterio(REGION / "dem.tif")
    sites = bbcov.sites_from_dataframe(towers, target=dem)
    cov = bbcov.radio_coverage(dem, sites, radius_m=3000, model="itm", progress=False)
    with rasterio.open(tmp_path / "rsrp.tif") as src:
        expected = src.read(1)
        assert tuple(src.transform)[:6] == cov.transform
    np.testing.assert_array_equal(expected, cov.rsrp_dbm)

    households = bbcov.Households.from_arrays(hh["lon"], hh["lat"], weight=hh["households"], id=hh["hh_id"])
    got = bbcov.household_signal(dem, sites, households, radius_m=3000, model="itm")
    cli = pd.read_csv(tmp_path / "hh.csv", dtype={"id": str, "serving_site": str}, keep_default_na=False)
    assert cli["id"].tolist() == got.index.tolist()
    assert np.array_equal(cli["radio_covered"].to_numpy() == 1, got["covered"].to_numpy())
    assert cli["serving_site"].tolist() == got["serving_site"].fillna("").tolist()
    cli_rsrp = pd.to_numeric(cli["rsrp_dbm"], errors="coerce").to_numpy()
    np.testing.assert_allclose(cli_rsrp, got["rsrp_dbm"].to_numpy(), rtol=0, atol=1e-3)
    assert 0 < got["covered"].sum() < len(got)


def test_ctrl_c_cancels_radio_and_the_gil_is_released() -> None:
    import _thread
    import threading
    import time

    heights = np.random.default_rng(3).uniform(0, 50, (1500, 1500)).astype(np.float32)
    dem = bbcov.Dem.from_array(heights, (0.0, 30.0, 0.0, 45_000.0, 0.0, -30.0), crs=EPSG_PLANE_II)
    sites = [bbcov.Site(f"s{i}", 5000.0 + 3000 * i, 20_000.0, 30, "LTE", 800, eirp_dbm=60) for i in range(12)]
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            bbcov.radio_coverage(dem, sites, radius_m=15_000, model="itm", progress=False)
    finally:
        timer.cancel()
        stop.set()
        counter.join()
    assert time.monotonic() - start < 5.0
    assert ticks > 50
