"""Fiber coverage from GeoDataFrames: known distances, Shapely/GEOS as the oracle, CRS handling."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from conftest import EPSG_PLANE_II
from shapely.geometry import LineString, MultiLineString, Point

import bbcov


def households(points: list[tuple[float, float]], crs: object = EPSG_PLANE_II, **columns: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=[Point(p) for p in points], crs=crs)


def routes(lines: list[object], crs: object = EPSG_PLANE_II, **columns: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=lines, crs=crs)


def test_household_100_m_north_of_a_line() -> None:
    hh = bbcov.Households.from_geodataframe(households([(500.0, 100.0), (1500.0, 0.0), (-300.0, -400.0)]))
    fiber = bbcov.FiberNetwork.from_geodataframe(routes([LineString([(0, 0), (1000, 0)])]))
    cov = bbcov.fiber_coverage(hh, fiber, max_drop_m=300)
    assert cov.distance_m.tolist() == [100.0, 500.0, 500.0]
    assert cov.served.tolist() == [True, False, False]
    assert cov.nearest_route.tolist() == [0, 0, 0]
    assert (cov.served_count, len(cov), cov.max_drop_m) == (1, 3, 300.0)


def test_distances_equal_shapely(rng: np.random.Generator) -> None:
    """bbcov's exact nearest-segment search against GEOS (STRtree.query_nearest), in a projected CRS."""
    origin = np.array([-45_000.0, 120_000.0])  # somewhere in plane rectangular CS II
    pts = origin + rng.uniform(0, 20_000, size=(3_000, 2))
    lines = []
    for _ in range(40):
        start = origin + rng.uniform(-2_000, 22_000, size=2)
        steps = rng.normal(0, 1_500, size=(int(rng.integers(1, 6)), 2))
        lines.append(LineString(np.vstack([start, start + np.cumsum(steps, axis=0)])))
    lines.append(MultiLineString([[(origin[0], origin[1]), (origin[0] + 5_000, origin[1])], [(origin[0] + 9_000, origin[1] + 9_000), (origin[0] + 9_500, origin[1] + 12_000)]]))
    hh_gdf = households([tuple(p) for p in pts])
    fiber_gdf = routes(lines)

    cov = bbcov.fiber_coverage(
        bbcov.Households.from_geodataframe(hh_gdf), bbcov.FiberNetwork.from_geodataframe(fiber_gdf), max_drop_m=500
    )

    tree = shapely.STRtree(fiber_gdf.geometry.values)
    (_, nearest), distance = tree.query_nearest(hh_gdf.geometry.values, return_distance=True, all_matches=False)
    np.testing.assert_allclose(cov.distance_m, distance, rtol=0, atol=1e-6)
    assert np.array_equal(cov.nearest_route, nearest)
    assert np.array_equal(cov.served, distance <= 500)


def test_multilinestring_parts_are_routes_of_their_record() -> None:
    fiber = routes(
        [
            LineString([(0, 1000), (1000, 1000)]),
            MultiLineString([[(0, 0), (10, 0)], [(2000, 0), (3000, 0)]]),
        ],
        name=["north", "south"],
    )
    hh = bbcov.Households.from_geodataframe(households([(2500.0, 50.0), (500.0, 900.0), (5.0, -20.0)]))
    cov = bbcov.fiber_coverage(hh, bbcov.FiberNetwork.from_geodataframe(fiber, id="name"))
    assert cov.distance_m.tolist() == [50.0, 100.0, 20.0]
    assert cov.nearest_route.tolist() == [1, 0, 1]
    assert cov.to_geodataframe()["nearest_route"].tolist() == ["south", "north", "south"]


def test_lonlat_households_and_projected_fiber_agree_with_a_projected_computation() -> None:
    """Households in lon/lat, routes in EPSG:6670: the routes are reprojected to lon/lat and the
    core measures in its local transverse Mercator frame; the distances agree with planar ones in
    the plane rectangular CS to its scale factor (< 0.02 % here)."""
    line = LineString([(-20_000, 10_000), (0, 12_000), (15_000, 9_000)])
    pts_plane = gpd.GeoSeries([Point(x, y) for x in range(-20_000, 15_001, 2_500) for y in (8_000, 10_500, 13_000)], crs=EPSG_PLANE_II)
    hh_lonlat = gpd.GeoDataFrame(geometry=pts_plane.to_crs(4326))
    fiber = bbcov.FiberNetwork.from_geodataframe(routes([line]))

    hh = bbcov.Households.from_geodataframe(hh_lonlat)
    assert hh.epsg is None and fiber.epsg == EPSG_PLANE_II
    cov = bbcov.fiber_coverage(hh, fiber)
    planar = pts_plane.distance(line).to_numpy()
    np.testing.assert_allclose(cov.distance_m, planar, rtol=2e-4, atol=1e-2)

    # The other way round: projected households, lon/lat routes reprojected to EPSG:6670.
    fiber_lonlat = bbcov.FiberNetwork.from_geodataframe(routes([line]).to_crs(4326))
    cov2 = bbcov.fiber_coverage(bbcov.Households.from_geodataframe(gpd.GeoDataFrame(geometry=pts_plane)), fiber_lonlat)
    np.testing.assert_allclose(cov2.distance_m, planar, rtol=0, atol=1e-5)


def test_geographic_crs_other_than_wgs84_is_used_as_lonlat() -> None:
    # JGD2011 geographic (EPSG:6668): 0.001° of longitude at 33° N is 93.453 m on GRS80.
    hh = bbcov.Households.from_geodataframe(households([(129.001, 33.0)], crs=6668))
    fiber = bbcov.FiberNetwork.from_geodataframe(routes([LineString([(129.0, 32.99), (129.0, 33.01)])], crs=6668))
    assert hh.epsg is None and hh.crs.to_epsg() == 4326
    assert bbcov.fiber_coverage(hh, fiber).distance_m[0] == pytest.approx(93.453, abs=0.01)


def test_crs_mismatch_without_reprojection() -> None:
    hh = bbcov.Households.from_geodataframe(households([(0.0, 0.0)]))
    fiber = bbcov.FiberNetwork.from_geodataframe(routes([LineString([(129.0, 33.0), (129.1, 33.0)])], crs=4326))
    with pytest.raises(bbcov.CrsMismatchError) as e:
        bbcov.fiber_coverage(hh, fiber, reproject=False)
    assert str(e.value) == (
        "coordinate reference systems differ: households is in EPSG:6670, "
        "fiber routes is in lon/lat degrees; reproject one of them"
    )
    assert isinstance(e.value, ValueError) and isinstance(e.value, bbcov.BbcovError)


def test_invalid_fiber_layers() -> None:
    with pytest.raises(bbcov.EmptyLayerError, match="^fiber routes: the layer is empty$"):
        bbcov.FiberNetwork.from_geodataframe(routes([]))
    with pytest.raises(bbcov.InvalidInputError, match=r"^fiber routes: record 1: expected a LineString or MultiLineString, found Point$"):
        bbcov.FiberNetwork.from_geodataframe(routes([LineString([(0, 0), (1, 0)]), Point(3, 3)]))
    with pytest.raises(bbcov.InvalidInputError, match="record 0: expected a LineString or MultiLineString, no geometry"):
        bbcov.FiberNetwork.from_geodataframe(routes([None]))
    with pytest.raises(bbcov.InvalidInputError) as e:
        bbcov.FiberNetwork.from_geodataframe(routes([LineString([(0, 0), (1, 0)]), LineString([(5, 5), (5, 5)])], r=["a", "b"]), id="r")
    assert str(e.value) == 'fiber routes: record 1 (id "b"): invalid geometry: zero-length line (all points are the same)'
    assert (e.value.layer, e.value.index, e.value.id) == ("fiber routes", 1, "b")
    with pytest.raises(bbcov.InvalidInputError, match="no coordinate reference system"):
        bbcov.FiberNetwork.from_geodataframe(gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 0)])]))


def test_bad_drop_limit() -> None:
    hh = bbcov.Households.from_geodataframe(households([(0.0, 0.0)]))
    fiber = bbcov.FiberNetwork.from_geodataframe(routes([LineString([(0, 0), (1, 0)])]))
    with pytest.raises(bbcov.InvalidInputError, match=r"^max_drop_m = -1 is out of range: a finite distance >= 0 m$"):
        bbcov.fiber_coverage(hh, fiber, max_drop_m=-1)
    with pytest.raises(TypeError):
        bbcov.fiber_coverage(hh, "fiber")  # type: ignore[arg-type]


def test_results_are_read_only_views_and_frames() -> None:
    gdf = households([(500.0, 100.0), (500.0, 900.0)], hh_id=["a", "b"], households=[3, 4])
    hh = bbcov.Households.from_geodataframe(gdf, weight="households", id="hh_id")
    fiber_gdf = routes([LineString([(0, 0), (1000, 0)])], index=[17])
    fiber_gdf.index = [17]
    cov = bbcov.fiber_coverage(hh, bbcov.FiberNetwork.from_geodataframe(fiber_gdf))
    for array in (cov.distance_m, cov.served, cov.nearest_route):
        assert not array.flags.writeable
        with pytest.raises(ValueError):
            array[0] = 0
    # distance_m is a view of the Rust result, not a copy
    assert cov.distance_m.base is not None and not isinstance(cov.distance_m.base, np.ndarray)
    out = cov.to_geodataframe()
    assert list(out.columns) == ["hh_id", "households", "geometry", "fiber_distance_m", "fiber_served", "nearest_route"]
    assert out["nearest_route"].tolist() == [17, 17]  # the fiber GeoDataFrame's index label
    assert out["fiber_served"].tolist() == [True, False]
    assert out.crs == gdf.crs and "fiber_distance_m" not in gdf.columns
    table = cov.summarize()
    assert table.loc["total"].to_dict() == {
        "points": 2, "weight": 7.0, "served_points": 1, "served_weight": 3.0, "unserved_weight": 4.0, "served_rate": 3 / 7,
    }


def test_study_area_too_large_for_one_local_frame() -> None:
    hh = bbcov.Households.from_arrays([100.0, 150.0], [35.0, 35.0])
    fiber = bbcov.FiberNetwork.from_geodataframe(routes([LineString([(120, 35), (121, 35)])], crs=4326))
    with pytest.raises(bbcov.StudyAreaTooLargeError, match=r"^the study area spans 2306 km from its central meridian; at most 1000 km"):
        bbcov.fiber_coverage(hh, fiber)


def test_summarize_checks_what_it_is_given() -> None:
    hh = bbcov.Households.from_geodataframe(households([(0.0, 10.0), (0.0, 500.0)]))
    other = bbcov.Households.from_geodataframe(households([(0.0, 10.0), (0.0, 500.0)]))
    cov = bbcov.fiber_coverage(hh, bbcov.FiberNetwork.from_geodataframe(routes([LineString([(0, 0), (1, 0)])])))
    assert bbcov.summarize(hh, cov)["served_points"].tolist() == [1]
    with pytest.raises(bbcov.InvalidInputError, match="computed for other households"):
        bbcov.summarize(other, cov)
    with pytest.raises(bbcov.InvalidInputError, match=r"^served flags: expected 2 values \(one per record\), got 3$"):
        bbcov.summarize(hh, [True, False, True])
    with pytest.raises(TypeError, match="expected booleans"):
        bbcov.summarize(hh, [1, 0])
