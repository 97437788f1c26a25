"""Households from GeoDataFrames and arrays: CRS handling and input errors."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from conftest import EPSG_PLANE_II
from shapely.geometry import MultiPoint, Point, Polygon

import bbcov

LOCAL_TM = "+proj=tmerc +lat_0=33 +lon_0=129 +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs"


def test_attributes_weights_ids_and_areas() -> None:
    gdf = gpd.GeoDataFrame(
        {"hh": [3, 1, 2], "code": ["a", "b", "c"], "island": ["Fukue", "Hisaka", "Fukue"], "town": [42211, 42211, 42383]},
        geometry=[Point(0, 0), Point(10, 0), Point(20, 0)],
        crs=EPSG_PLANE_II,
    )
    hh = bbcov.Households.from_geodataframe(gdf, weight="hh", id="code", areas=["island", "town"])
    assert (len(hh), hh.epsg, hh.total_weight) == (3, EPSG_PLANE_II, 6.0)
    assert hh.weights.tolist() == [3.0, 1.0, 2.0] and not hh.weights.flags.writeable
    assert hh.coords.tolist() == [[0, 0], [10, 0], [20, 0]]
    assert hh.ids == ["a", "b", "c"] and hh.area_names == ["island", "town"]
    assert hh.to_geodataframe().equals(gdf)
    table = bbcov.summarize(hh, np.array([True, False, False]), by="town")
    assert table.index.tolist() == ["42211", "42383", "total"] and table.index.name == "town"
    assert table["served_weight"].tolist() == [3.0, 0.0, 3.0]
    assert table["served_rate"].tolist() == [0.75, 0.0, 0.5]
    with pytest.raises(bbcov.UnknownAreaKeyError, match=r'^no area key named "village"; available: island, town$'):
        bbcov.summarize(hh, np.array([True, False, False]), by="village")


@pytest.mark.parametrize(
    ("crs", "epsg"),
    [
        (4326, None),
        (6668, None),  # JGD2011 geographic
        (EPSG_PLANE_II, EPSG_PLANE_II),  # projected, metres, EPSG code: kept
        (32652, 32652),  # UTM 52N
        (LOCAL_TM, None),  # projected without an EPSG code: lon/lat
        (2272, None),  # projected in US feet: lon/lat
    ],
)
def test_crs_handling(crs: object, epsg: int | None) -> None:
    lonlat = gpd.GeoSeries([Point(129.7, 33.1), Point(129.8, 33.2)], crs=4326)
    if crs == 2272:  # Pennsylvania South (ftUS): use points inside it
        lonlat = gpd.GeoSeries([Point(-75.16, 39.95), Point(-75.2, 40.0)], crs=4326)
    gdf = gpd.GeoDataFrame(geometry=lonlat.to_crs(crs))
    hh = bbcov.Households.from_geodataframe(gdf)
    assert hh.epsg == epsg
    if epsg is None:
        np.testing.assert_allclose(hh.coords, np.column_stack([lonlat.x, lonlat.y]), atol=1e-7)
    else:
        np.testing.assert_array_equal(hh.coords, np.column_stack([gdf.geometry.x, gdf.geometry.y]))


def test_nan_coordinate_names_the_record() -> None:
    gdf = gpd.GeoDataFrame({"code": ["a", "b", "c"]}, geometry=[Point(129.0, 33.0), Point(129.1, 33.0), Point(np.nan, 33.0)], crs=4326)
    with pytest.raises(bbcov.InvalidInputError) as e:
        bbcov.Households.from_geodataframe(gdf, id="code")
    assert str(e.value) == (
        'households: record 2 (id "c"): invalid coordinate (NaN, 33): '
        "coordinates must be finite numbers (got NaN or infinity)"
    )
    assert (e.value.layer, e.value.index, e.value.id) == ("households", 2, "c")
    assert isinstance(e.value, ValueError)

    # Also when the layer is reprojected: the message shows the value the record has.
    gdf = gpd.GeoDataFrame(geometry=[Point(0, 0), Point(np.nan, 5.0)], crs=LOCAL_TM)
    with pytest.raises(bbcov.InvalidInputError, match=r"^households: record 1: invalid coordinate \(NaN, 5\)"):
        bbcov.Households.from_geodataframe(gdf)

    # A missing geometry has no coordinates.
    gdf = gpd.GeoDataFrame(geometry=[Point(0, 0), None], crs=EPSG_PLANE_II)
    with pytest.raises(bbcov.InvalidInputError, match=r"^households: record 1: invalid coordinate \(NaN, NaN\)"):
        bbcov.Households.from_geodataframe(gdf)


def test_out_of_range_latitude() -> None:
    with pytest.raises(bbcov.InvalidInputError, match=r"^households: record 1: invalid coordinate \(129, 95\): latitude outside \[-90, 90\]$"):
        bbcov.Households.from_arrays([129.0, 129.0], [33.0, 95.0])


def test_geometry_types() -> None:
    gdf = gpd.GeoDataFrame(geometry=[Point(0, 0), MultiPoint([(5, 5)])], crs=EPSG_PLANE_II)
    assert bbcov.Households.from_geodataframe(gdf).coords.tolist() == [[0, 0], [5, 5]]
    gdf = gpd.GeoDataFrame(geometry=[Point(0, 0), Polygon([(0, 0), (1, 0), (1, 1)])], crs=EPSG_PLANE_II)
    with pytest.raises(bbcov.InvalidInputError, match=r"^households: record 1: expected a Point, found Polygon$") as e:
        bbcov.Households.from_geodataframe(gdf)
    assert e.value.index == 1
    gdf = gpd.GeoDataFrame(geometry=[MultiPoint([(0, 0), (1, 1)])], crs=EPSG_PLANE_II)
    with pytest.raises(bbcov.InvalidInputError, match="found MultiPoint"):
        bbcov.Households.from_geodataframe(gdf)


def test_empty_layer() -> None:
    with pytest.raises(bbcov.EmptyLayerError, match="^households: the layer is empty$") as e:
        bbcov.Households.from_geodataframe(gpd.GeoDataFrame(geometry=[], crs=4326))
    assert isinstance(e.value, bbcov.InvalidInputError) and e.value.layer == "households"


def test_negative_weight() -> None:
    gdf = gpd.GeoDataFrame({"hh": [1.0, -2.0], "code": ["a", "b"]}, geometry=[Point(0, 0), Point(1, 1)], crs=EPSG_PLANE_II)
    with pytest.raises(bbcov.InvalidInputError) as e:
        bbcov.Households.from_geodataframe(gdf, weight="hh", id="code")
    assert str(e.value) == 'households: record 1 (id "b"): invalid weight -2: weights must be finite and >= 0'
    gdf["hh"] = [1.0, np.nan]
    with pytest.raises(bbcov.InvalidInputError, match="record 1: invalid weight NaN"):
        bbcov.Households.from_geodataframe(gdf, weight="hh")
    gdf["hh"] = ["one", "two"]
    with pytest.raises(bbcov.InvalidInputError, match="weight must be numbers"):
        bbcov.Households.from_geodataframe(gdf, weight="hh")


def test_missing_column_and_crs() -> None:
    gdf = gpd.GeoDataFrame({"hh": [1]}, geometry=[Point(0, 0)], crs=EPSG_PLANE_II)
    with pytest.raises(bbcov.InvalidInputError, match=r"^households: no column named 'people'; available: hh$"):
        bbcov.Households.from_geodataframe(gdf, weight="people")
    with pytest.raises(bbcov.InvalidInputError, match="no coordinate reference system"):
        bbcov.Households.from_geodataframe(gpd.GeoDataFrame(geometry=[Point(0, 0)]))
    with pytest.raises(bbcov.InvalidInputError, match="unknown coordinate reference system"):
        bbcov.Households.from_arrays([0.0], [0.0], crs="EPSG:99999999")
    with pytest.raises(TypeError, match="expected a geopandas.GeoDataFrame"):
        bbcov.Households.from_geodataframe([Point(0, 0)])  # type: ignore[arg-type]


def test_from_arrays() -> None:
    hh = bbcov.Households.from_arrays(
        np.array([0.0, 100.0]), [0, 50], crs=EPSG_PLANE_II, weight=[2, 3], id=[7, 8], areas={"island": ["A", "B"]}
    )
    assert (hh.epsg, hh.ids, hh.total_weight, hh.area_names) == (EPSG_PLANE_II, ["7", "8"], 5.0, ["island"])
    gdf = hh.to_geodataframe()
    assert list(gdf.columns) == ["id", "weight", "island", "geometry"] and gdf.crs.to_epsg() == EPSG_PLANE_II
    with pytest.raises(bbcov.InvalidInputError, match=r"^household y coordinates: expected 2 values \(one per record\), got 1$"):
        bbcov.Households.from_arrays([0.0, 1.0], [0.0], crs=EPSG_PLANE_II)
    with pytest.raises(bbcov.InvalidInputError, match=r"^household weights: expected 2 values \(one per record\), got 3$"):
        bbcov.Households.from_arrays([0.0, 1.0], [0.0, 1.0], crs=EPSG_PLANE_II, weight=[1, 2, 3])
    with pytest.raises(bbcov.InvalidInputError, match=r'^area key "island": expected 2 values'):
        bbcov.Households.from_arrays([0.0, 1.0], [0.0, 1.0], crs=EPSG_PLANE_II, areas={"island": ["A"]})
