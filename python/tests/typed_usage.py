"""A small analyst script, type-checked by mypy (tests/test_typing.py): the public API's annotations hold together."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from shapely.geometry import LineString, Point

import bbcov


def coverage_table() -> pd.DataFrame:
    gdf = gpd.GeoDataFrame({"hh": [2, 3], "island": ["A", "B"]}, geometry=[Point(0, 50), Point(0, 900)], crs=6670)
    households: bbcov.Households = bbcov.Households.from_geodataframe(gdf, weight="hh", areas=["island"])
    fiber = bbcov.FiberNetwork.from_geodataframe(gpd.GeoDataFrame(geometry=[LineString([(-10, 0), (10, 0)])], crs=6670))
    cov: bbcov.FiberCoverage = bbcov.fiber_coverage(households, fiber, max_drop_m=300, progress=False)
    distance: npt.NDArray[np.float64] = cov.distance_m
    served: npt.NDArray[np.bool_] = cov.served
    nearest: npt.NDArray[np.int64] = cov.nearest_route
    assert distance.shape == served.shape == nearest.shape
    epsg: int | None = households.epsg
    assert epsg == 6670
    codes = bbcov.mesh.encode(np.array([139.745433]), np.array([35.658581]), level="500m")
    assert int(codes[0]) == 533935992
    try:
        bbcov.Households.from_arrays([0.0], [float("nan")], crs=6670)
    except bbcov.InvalidInputError as e:
        index: int | None = e.index
        assert index == 0
    return bbcov.summarize(households, cov, by="island")


def radio_and_siting() -> pd.DataFrame:
    dem = bbcov.Dem.from_array(np.zeros((101, 101), np.float32), (0.0, 30.0, 0.0, 3030.0, 0.0, -30.0), crs=6670)
    site = bbcov.Site("s1", 1515.0, 1515.0, 30.0, "LTE", 800.0, eirp_dbm=60.0)
    radio: bbcov.RadioCoverage = bbcov.radio_coverage(dem, [site], radius_m=1000, model="diffraction", progress=False)
    rsrp: npt.NDArray[np.float32] = radio.rsrp_dbm
    covered: npt.NDArray[np.bool_] = radio.covered
    assert rsrp.shape == covered.shape
    plan: bbcov.siting.SitingPlan = bbcov.siting.max_covering([[0, 1], [2]], [1.0, 1.0, 3.0], p=1)
    assert plan.sites == [1]
    hh = bbcov.Households.from_arrays([1600.0], [1515.0], crs=6670)
    sets = bbcov.siting.CoverageSets.from_radio(dem, [site], hh, radius_m=1000, model="diffraction", costs=[2.0])
    candidates = gpd.GeoDataFrame({"site_id": ["s1"]}, geometry=gpd.points_from_xy([1515.0], [1515.0]), crs=6670)
    fiber = bbcov.FiberNetwork.from_geodataframe(
        gpd.GeoDataFrame(geometry=gpd.GeoSeries.from_wkt(["LINESTRING (0 0, 3000 0)"]), crs=6670)
    )
    backhaul: bbcov.siting.Backhaul = bbcov.siting.backhaul(dem, candidates, fiber, costs=bbcov.siting.CostTable(years=5))
    plan_gdf: gpd.GeoDataFrame = bbcov.siting.max_covering(sets, p=1).to_geodataframe(candidates, sets, backhaul)
    assert plan_gdf["backhaul"].tolist() == ["fiber"]
    status = bbcov.plot.service_status(np.array([True]), np.array([False]))
    assert list(status) == ["fiber"]
    return bbcov.household_signal(dem, [site], hh, radius_m=1000, model="diffraction")


if __name__ == "__main__":
    print(coverage_table())
    print(radio_and_siting())
