"""JIS X 0410 grid squares over numpy arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bbcov


def test_tokyo_tower() -> None:
    # Tokyo Tower, 35.658581 N 139.745433 E: 1 km square 53393599, 500 m square 533935992.
    assert bbcov.mesh.encode(139.745433, 35.658581, level="500m") == 533935992
    assert bbcov.mesh.encode(139.745433, 35.658581, level="1km") == 53393599
    assert bbcov.mesh.encode(139.745433, 35.658581, level="80km") == 5339


def test_vectorized_with_shape_and_dtype() -> None:
    lon = np.array([[139.745433, 135.759363], [139.745433, 135.759363]])
    lat = np.array([[35.658581, 34.987574], [35.658581, 34.987574]])
    codes = bbcov.mesh.encode(lon, lat, level="1km")
    assert codes.dtype == np.uint64 and codes.shape == (2, 2)
    assert codes[0].tolist() == [53393599, 52353680]  # Tokyo Tower; Kyoto (jismesh README)
    # Broadcasting and pandas inputs.
    assert bbcov.mesh.encode(pd.Series([139.745433, 139.745433]), 35.658581, level="500m").tolist() == [533935992] * 2


def test_matches_the_definition_at_random_points(rng: np.random.Generator) -> None:
    """3rd mesh digits from their definition (p = ⌊1.5·lat⌋, u = ⌊lon⌋ − 100, then 8 × 8 and 10 × 10 cuts)."""
    lon = rng.uniform(122.0, 154.0, 5_000)
    lat = rng.uniform(20.0, 46.0, 5_000)
    p = np.floor(lat * 1.5)
    u = np.floor(lon) - 100
    q = np.floor((lat * 1.5 - p) * 8)
    v = np.floor((lon - np.floor(lon)) * 8)
    r = np.floor(((lat * 1.5 - p) * 8 - q) * 10)
    w = np.floor(((lon - np.floor(lon)) * 8 - v) * 10)
    expected = (((p * 100 + u) * 100 + q * 10 + v) * 100 + r * 10 + w).astype(np.uint64)
    assert np.array_equal(bbcov.mesh.encode(lon, lat, level="1km"), expected)


def test_strings_keep_leading_zeros() -> None:
    codes = bbcov.mesh.encode([100.5, 139.745433], [0.5, 35.658581], level="80km", as_str=True)
    assert codes.tolist() == ["0000", "5339"]


def test_aggregate() -> None:
    totals = bbcov.mesh.aggregate([139.745433, 139.7460, 135.759363], [35.658581, 35.6590, 34.987574], weights=[3, 2, 5], level="1km")
    assert totals.to_dict() == {52353680: 5.0, 53393599: 5.0}
    assert totals.index.name == "mesh_1km" and totals.name == "weight"
    assert bbcov.mesh.aggregate([139.745433], [35.658581], level="500m").to_dict() == {533935992: 1.0}


def test_errors() -> None:
    with pytest.raises(bbcov.InvalidInputError, match=r'^unknown grid-square level "300m"; use one of 80km, 10km, 1km, 500m, 250m, 125m$'):
        bbcov.mesh.encode(139.0, 35.0, level="300m")
    with pytest.raises(bbcov.InvalidInputError, match=r"record 1: invalid coordinate \(NaN, 35\)") as e:
        bbcov.mesh.encode([139.0, np.nan], [35.0, 35.0])
    assert e.value.index == 1
    with pytest.raises(bbcov.InvalidInputError, match="record 0"):
        bbcov.mesh.encode(10.0, 35.0)  # west of 100° E: no code
    with pytest.raises(bbcov.InvalidInputError, match="invalid weight -1"):
        bbcov.mesh.aggregate([139.0], [35.0], weights=[-1.0])
