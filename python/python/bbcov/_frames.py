"""Reading GeoDataFrames: their geometry and columns, with errors that name the layer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import shapely

from bbcov.exceptions import InvalidInputError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


def record_error(layer: str, index: int, message: str) -> InvalidInputError:
    """An error about record ``index`` of ``layer``, worded and attributed as the core's are."""
    error = InvalidInputError(f"{layer}: record {index}: {message}")
    error.layer, error.index = layer, index
    return error


def require_geodataframe(gdf: Any, layer: str) -> None:
    """Fails with TypeError unless ``gdf`` is a GeoDataFrame (or quacks like one)."""
    if not (hasattr(gdf, "geometry") and hasattr(gdf, "crs") and hasattr(gdf, "columns")):
        raise TypeError(f"{layer}: expected a geopandas.GeoDataFrame, got {type(gdf).__name__}")


def geometry_of(gdf: gpd.GeoDataFrame, layer: str) -> npt.NDArray[np.object_]:
    """The active geometry column as an array of shapely geometries (None where missing)."""
    try:
        geometry = gdf.geometry
    except AttributeError:
        raise InvalidInputError(f"{layer}: the GeoDataFrame has no active geometry column") from None
    return np.asarray(geometry.array, dtype=object)


def column(gdf: gpd.GeoDataFrame, name: str, layer: str) -> pd.Series:
    """Column ``name``, or an error listing the available ones."""
    if name not in gdf.columns:
        available = ", ".join(str(c) for c in gdf.columns if c != gdf.geometry.name) or "none"
        raise InvalidInputError(f"{layer}: no column named {name!r}; available: {available}")
    return gdf[name]


def type_name(type_id: int) -> str:
    """'LineString', 'MultiPolygon', ... as OGC and GDAL name them."""
    return {int(t): n for t, n in _TYPE_NAMES.items()}.get(int(type_id), "an unknown geometry")


_TYPE_NAMES = {
    shapely.GeometryType.POINT: "Point",
    shapely.GeometryType.LINESTRING: "LineString",
    shapely.GeometryType.LINEARRING: "LinearRing",
    shapely.GeometryType.POLYGON: "Polygon",
    shapely.GeometryType.MULTIPOINT: "MultiPoint",
    shapely.GeometryType.MULTILINESTRING: "MultiLineString",
    shapely.GeometryType.MULTIPOLYGON: "MultiPolygon",
    shapely.GeometryType.GEOMETRYCOLLECTION: "GeometryCollection",
}
