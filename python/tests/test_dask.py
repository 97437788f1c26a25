"""bbcov.dask on a LocalCluster: results identical, bit for bit, to the single-process run."""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import pytest
from conftest import EPSG_PLANE_II, REPO
from shapely.geometry import LineString

import bbcov
import bbcov.dask

distributed = pytest.importorskip("distributed")

REGION = REPO / "data-samples" / "region"


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with distributed.LocalCluster(n_workers=3, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def assert_identical(got: bbcov.dask.PartitionedFiberCoverage, ref: bbcov.FiberCoverage, by: list[str | None]) -> None:
    assert np.array_equal(got.distance_m, ref.distance_m)  # bit-equal: no tolerance
    assert np.array_equal(got.served, ref.served)
    assert np.array_equal(got.nearest_route, ref.nearest_route)
    for key in by:
        assert got.summarize(by=key).equals(ref.summarize(by=key))


def test_sample_region_on_a_local_cluster(client: object) -> None:
    if not (REGION / "households.gpkg").exists():
        pytest.skip("data-samples/region is missing")
    gdf = gpd.read_file(REGION / "households.gpkg")
    fiber = bbcov.FiberNetwork.from_geodataframe(gpd.read_file(REGION / "fiber.gpkg"))
    hh = bbcov.Households.from_geodataframe(gdf.to_crs(EPSG_PLANE_II), weight="households", id="hh_id", areas=["island", "municipality"])
    ref = bbcov.fiber_coverage(hh, fiber, max_drop_m=300, progress=False)
    got = bbcov.dask.fiber_coverage(hh, fiber, max_drop_m=300, client=client)
    assert len(got.partitions) > 5 and got.partitions["households"].sum() == len(hh)
    assert (got.partitions["rounds"] > 1).any()  # some households lie beyond the drop limit: the later rounds ran
    assert 0 < got.served.sum() < len(hh)
    assert_identical(got, ref, [None, "island", "municipality"])
    # lon/lat households with crs=: the same as one run on the households in that CRS
    lonlat = bbcov.Households.from_geodataframe(gdf, weight="households", id="hh_id")
    again = bbcov.dask.fiber_coverage(lonlat, fiber, max_drop_m=300, client=client, crs=EPSG_PLANE_II, level="1km")
    assert len(again.partitions) > len(got.partitions)
    assert_identical(again, ref, [None])


def test_ties_and_far_households_on_a_local_cluster(client: object, rng: np.random.Generator) -> None:
    """Households 0-60 km from sparse routes, two routes at equal distance, a drop limit of 0."""
    x = rng.uniform(-60_000, 60_000, 3_000).round(1)
    y = rng.uniform(-60_000, 60_000, 3_000).round(1)
    hh = bbcov.Households.from_arrays(x, y, crs=EPSG_PLANE_II, weight=rng.integers(1, 4, 3_000))
    routes = [LineString([(-1000, 0), (1000, 0)]), LineString([(-1000, 2000), (1000, 2000)]),  # y = 1000 ties
              LineString([(50_000, 50_000), (55_000, 52_000)]), LineString([(-30_000, -40_000), (-29_000, -41_000)])]
    fiber = bbcov.FiberNetwork.from_geodataframe(gpd.GeoDataFrame(geometry=routes, crs=EPSG_PLANE_II))
    for drop in (0.0, 500.0):
        ref = bbcov.fiber_coverage(hh, fiber, max_drop_m=drop, progress=False)
        got = bbcov.dask.fiber_coverage(hh, fiber, max_drop_m=drop, client=client, level="10km")
        assert_identical(got, ref, [None])
    tie = bbcov.Households.from_arrays([0.0], [1000.0], crs=EPSG_PLANE_II)
    assert bbcov.dask.fiber_coverage(tie, fiber, client=client).nearest_route.tolist() == [0]


def test_without_a_client_and_errors() -> None:
    hh = bbcov.Households.from_arrays([0.0, 5_000.0], [0.0, 0.0], crs=EPSG_PLANE_II)
    fiber = bbcov.FiberNetwork.from_geodataframe(
        gpd.GeoDataFrame(geometry=[LineString([(0, 100), (10, 100)])], crs=EPSG_PLANE_II)
    )
    got = bbcov.dask.fiber_coverage(hh, fiber, max_drop_m=300)  # the local Dask scheduler
    ref = bbcov.fiber_coverage(hh, fiber, max_drop_m=300, progress=False)
    assert np.array_equal(got.distance_m, ref.distance_m)
    lonlat = bbcov.Households.from_arrays([129.0], [33.0])
    with pytest.raises(bbcov.InvalidInputError, match="give crs="):
        bbcov.dask.fiber_coverage(lonlat, fiber)
    with pytest.raises(bbcov.InvalidInputError, match="max_drop_m"):
        bbcov.dask.fiber_coverage(hh, fiber, max_drop_m=-1)
