"""Households: weighted points with optional ids and area keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import shapely

from bbcov import _bbcov, _crs
from bbcov._frames import column, geometry_of, record_error, require_geodataframe, type_name
from bbcov.exceptions import InvalidInputError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    from pyproj import CRS

LAYER = "households"


class Households:
    """Households (or buildings, or people) as weighted points.

    Each point has a weight (households or people at that point, default 1),
    an optional id (shown in error messages and kept in results) and any
    number of area keys (municipality, island, grid square) to summarize by.

    Build one with :meth:`from_geodataframe` or :meth:`from_arrays`; any CRS
    is accepted (see :attr:`crs` for the one the computation runs in).
    """

    def __init__(self, native: _bbcov.Households, source_crs: CRS, source: gpd.GeoDataFrame | tuple[Any, ...]):
        # Private: use from_geodataframe or from_arrays.
        self._native = native
        self._source_crs = source_crs
        self._source = source

    @classmethod
    def from_geodataframe(
        cls,
        gdf: gpd.GeoDataFrame,
        weight: str | None = None,
        id: str | None = None,
        areas: str | Iterable[str] = (),
    ) -> Households:
        """Households from a GeoDataFrame of Points (a MultiPoint of one point is accepted).

        ``weight``: column with the number of households (or people) per point;
        ``id``: column with an id per point; ``areas``: columns to summarize by.
        A layer in a geographic CRS is used as lon/lat (reprojected to
        EPSG:4326 if needed); one in a projected CRS with an EPSG code and
        metre units is kept as it is (planar distances in that CRS); any other
        is reprojected to lon/lat.

        Raises :class:`bbcov.InvalidInputError` (a ``ValueError``) on an
        empty layer, a missing column, a geometry that is not a point, a
        missing or NaN coordinate, a negative or NaN weight; the message
        names the first offending record.
        """
        require_geodataframe(gdf, LAYER)
        source = _crs.parse(gdf.crs, LAYER)
        x, y = _point_coordinates(geometry_of(gdf, LAYER))
        names = [areas] if isinstance(areas, str) else list(areas)
        native = _build(
            x,
            y,
            source,
            weight=None if weight is None else column(gdf, weight, LAYER),
            ids=None if id is None else column(gdf, id, LAYER),
            areas={name: column(gdf, name, LAYER) for name in names},
        )
        return cls(native, source, gdf)

    @classmethod
    def from_arrays(
        cls,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        crs: Any = "EPSG:4326",
        weight: npt.ArrayLike | None = None,
        id: npt.ArrayLike | None = None,
        areas: Mapping[str, npt.ArrayLike] | None = None,
    ) -> Households:
        """Households from coordinate arrays (x = longitude, y = latitude for
        a geographic ``crs``), with optional weights, ids and area keys
        (a mapping from key name to one value per point)."""
        source = _crs.parse(crs, LAYER)
        xs, ys = _float_array(x, "x"), _float_array(y, "y")
        native = _build(xs, ys, source, weight=weight, ids=id, areas=dict(areas or {}))
        return cls(native, source, (xs, ys, dict(areas or {})))

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return f"<bbcov.{self._native!r}>"

    @property
    def epsg(self) -> int | None:
        """EPSG code of the projected CRS the computation runs in, or None for lon/lat."""
        return self._native.epsg

    @property
    def crs(self) -> CRS:
        """The CRS of the coordinates handed to the core (EPSG:4326 for lon/lat)."""
        return _crs.crs_of(self._native.epsg)

    @property
    def source_crs(self) -> CRS:
        """The CRS the households were given in."""
        return self._source_crs

    @property
    def coords(self) -> npt.NDArray[np.float64]:
        """Coordinates in :attr:`crs`, shape (n, 2) (a read-only view)."""
        return self._native.coords

    @property
    def weights(self) -> npt.NDArray[np.float64]:
        """Weight per point (a read-only view)."""
        return self._native.weights

    @property
    def total_weight(self) -> float:
        """Sum of the weights."""
        return self._native.total_weight

    @property
    def ids(self) -> list[str] | None:
        """Ids as text, when the households have them."""
        return self._native.ids

    @property
    def area_names(self) -> list[str]:
        """Names of the area keys."""
        return self._native.area_names

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """The households as a GeoDataFrame in their source CRS: the
        GeoDataFrame they were built from, or one with the columns id,
        weight and the area keys when built from arrays."""
        import geopandas as gpd
        import pandas as pd

        if not isinstance(self._source, tuple):
            return self._source.copy()
        x, y, areas = self._source
        data: dict[str, Any] = {}
        if self.ids is not None:
            data["id"] = self.ids
        data["weight"] = np.asarray(self.weights)
        for name in self.area_names:
            data[name] = pd.Series(np.asarray(areas[name])) if name in areas else None
        return gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(x, y), crs=self._source_crs)

def _float_array(values: npt.ArrayLike, what: str) -> npt.NDArray[np.float64]:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InvalidInputError(f"{LAYER}: {what} must be numbers ({e})") from None
    if array.ndim != 1:
        raise InvalidInputError(f"{LAYER}: {what} must be one-dimensional, got shape {array.shape}")
    return array


def _text(values: npt.ArrayLike | pd.Series) -> list[str]:
    return [str(v) for v in np.asarray(values, dtype=object).ravel()]


def _build(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    source: CRS,
    *,
    weight: Any,
    ids: Any,
    areas: Mapping[str, Any],
) -> _bbcov.Households:
    epsg = _crs.core_epsg(source, LAYER)
    x, y = _crs.to_core(source, epsg, x, y)
    return _bbcov.Households(
        x,
        y,
        epsg=epsg,
        weight=None if weight is None else _float_array(weight, "weight"),
        ids=None if ids is None else _text(ids),
        areas=[(name, _text(values)) for name, values in areas.items()],
    )


def _point_coordinates(geoms: npt.NDArray[np.object_]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """x and y of each point; NaN for a missing or empty geometry (which the core reports).

    Two vectorized passes (x, y) in the common case: shapely gives NaN for the x of
    anything that is not a Point, so only those entries have their type looked into
    (a third pass over a million geometries costs ~20 ms). An empty Point makes
    shapely raise; then every geometry is looked into.
    """
    try:
        x = shapely.get_x(geoms).astype(np.float64)
        y = shapely.get_y(geoms).astype(np.float64)
    except shapely.errors.GEOSException:  # an empty Point
        return _typed_point_coordinates(geoms, np.arange(len(geoms)))
    odd = np.flatnonzero(np.isnan(x))
    if odd.size:
        x[odd], y[odd] = _typed_point_coordinates(geoms[odd], odd)
    return x, y


def _typed_point_coordinates(
    geoms: npt.NDArray[np.object_], index: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """x and y after checking each geometry's type: a Point or a single-point MultiPoint,
    NaN for a missing or empty one; ``index`` gives each geometry's record number for errors."""
    types = shapely.get_type_id(geoms)
    multi = np.flatnonzero(types == shapely.GeometryType.MULTIPOINT)
    if multi.size:
        single = multi[shapely.get_num_geometries(geoms[multi]) == 1]
        geoms = geoms.copy()
        geoms[single] = shapely.get_geometry(geoms[single], 0)
        types = types.copy()
        types[single] = int(shapely.GeometryType.POINT)
    bad = np.flatnonzero((types != shapely.GeometryType.POINT) & (types != shapely.GeometryType.MISSING))
    if bad.size:
        raise record_error(LAYER, int(index[bad[0]]), f"expected a Point, found {type_name(int(types[bad[0]]))}")
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    known = np.flatnonzero((types == shapely.GeometryType.POINT) & ~shapely.is_empty(geoms))
    x[known] = shapely.get_x(geoms[known])
    y[known] = shapely.get_y(geoms[known])
    return x, y

