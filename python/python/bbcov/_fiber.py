"""Fiber networks and fiber coverage of households."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import shapely

from bbcov import _bbcov, _crs
from bbcov._frames import column, geometry_of, record_error, require_geodataframe, type_name
from bbcov._households import Households

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    from pyproj import CRS

LAYER = "fiber routes"

_LINES = (shapely.GeometryType.LINESTRING, shapely.GeometryType.LINEARRING, shapely.GeometryType.MULTILINESTRING)


class FiberNetwork:
    """Fiber routes (cables) as polylines.

    Build one with :meth:`from_geodataframe`. A MultiLineString record
    becomes one line per part, all with the record's id; results name routes
    by record (:attr:`FiberCoverage.nearest_route`).
    """

    def __init__(
        self,
        native: _bbcov.FiberNetwork,
        source_crs: CRS,
        geoms: npt.NDArray[np.object_],
        labels: pd.Index | pd.Series,
    ):
        # Private: use from_geodataframe.
        self._native = native
        self._source_crs = source_crs
        self._geoms = geoms
        self._labels = labels
        self._by_epsg: dict[int | None, _bbcov.FiberNetwork] = {native.epsg: native}
        # The record (row position) of each line: MultiLineStrings give several lines.
        self._line_record: npt.NDArray[np.intp] = shapely.get_parts(geoms, return_index=True)[1]

    @classmethod
    def from_geodataframe(cls, gdf: gpd.GeoDataFrame, id: str | None = None) -> FiberNetwork:
        """Routes from a GeoDataFrame of LineStrings / MultiLineStrings (Z and M ignored).

        ``id``: column with a route id (default: the GeoDataFrame's index),
        used in error messages and in :meth:`FiberCoverage.to_geodataframe`.
        The CRS is handled as for :meth:`Households.from_geodataframe`;
        :func:`fiber_coverage` reprojects the routes to the households' CRS.

        Raises :class:`bbcov.InvalidInputError` on an empty layer, a missing
        geometry, a geometry that is not a line, a line with fewer than two
        points or of zero length, or a NaN coordinate.
        """
        require_geodataframe(gdf, LAYER)
        source = _crs.parse(gdf.crs, LAYER)
        geoms = geometry_of(gdf, LAYER)
        types = shapely.get_type_id(geoms)
        bad = np.flatnonzero(~np.isin(types, [int(t) for t in _LINES]))
        if bad.size:
            i = int(bad[0])
            found = "no geometry" if types[i] == shapely.GeometryType.MISSING else f"found {type_name(types[i])}"
            raise record_error(LAYER, i, f"expected a LineString or MultiLineString, {found}")
        labels = gdf.index if id is None else column(gdf, id, LAYER)
        native = _build(geoms, source, _crs.core_epsg(source, LAYER), labels)
        return cls(native, source, geoms, labels)

    def __len__(self) -> int:
        """Number of records (routes)."""
        return len(self._geoms)

    def __repr__(self) -> str:
        return f"<bbcov.{self._native!r}>"

    @property
    def epsg(self) -> int | None:
        """EPSG code of the projected CRS the routes are handed to the core in, or None for lon/lat."""
        return self._native.epsg

    @property
    def crs(self) -> CRS:
        """The CRS of the coordinates handed to the core (EPSG:4326 for lon/lat)."""
        return _crs.crs_of(self._native.epsg)

    @property
    def source_crs(self) -> CRS:
        """The CRS the routes were given in."""
        return self._source_crs

    @property
    def segment_count(self) -> int:
        """Number of non-degenerate segments."""
        return self._native.segment_count

    @property
    def length_m(self) -> float | None:
        """Total planar length in metres (None when the routes are in lon/lat)."""
        return self._native.length_m

    def _in(self, epsg: int | None) -> _bbcov.FiberNetwork:
        """The network in the core CRS ``epsg``, reprojected from the source CRS (cached)."""
        if epsg not in self._by_epsg:
            self._by_epsg[epsg] = _build(self._geoms, self._source_crs, epsg, self._labels)
        return self._by_epsg[epsg]


def _build(geoms: npt.NDArray[np.object_], source: CRS, epsg: int | None, labels: Any) -> _bbcov.FiberNetwork:
    parts, record = shapely.get_parts(geoms, return_index=True)
    coords, line = shapely.get_coordinates(parts, return_index=True)
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(line, minlength=len(parts)), out=offsets[1:])
    x, y = _crs.to_core(source, epsg, np.ascontiguousarray(coords[:, 0]), np.ascontiguousarray(coords[:, 1]))
    ids = [str(v) for v in np.asarray(labels, dtype=object)[record]]
    return _bbcov.FiberNetwork(np.column_stack([x, y]), offsets, epsg=epsg, ids=ids)


class FiberCoverage:
    """Per-household result of :func:`fiber_coverage`.

    The arrays are read-only numpy arrays, one value per household, in the
    households' order; :attr:`distance_m` is a view of the result computed
    in Rust (no copy).
    """

    def __init__(self, native: _bbcov.FiberCoverage, households: Households, fiber: FiberNetwork):
        self._native = native
        #: The households the coverage was computed for.
        self.households = households
        #: The fiber network.
        self.fiber = fiber

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return f"<bbcov.{self._native!r}>"

    @property
    def distance_m(self) -> npt.NDArray[np.float64]:
        """Distance (m) from each household to the nearest route (planar in
        a projected CRS, in a local transverse Mercator frame for lon/lat)."""
        return self._native.distance_m

    @cached_property
    def served(self) -> npt.NDArray[np.bool_]:
        """Whether each household is within :attr:`max_drop_m` of a route."""
        served = self._native.served
        served.flags.writeable = False
        return served

    @cached_property
    def nearest_route(self) -> npt.NDArray[np.int64]:
        """Position (0-based, as for ``.iloc``) of each household's nearest route in the fiber GeoDataFrame."""
        nearest = self.fiber._line_record[self._native.nearest_line].astype(np.int64, copy=False)
        nearest.flags.writeable = False
        return nearest

    @property
    def max_drop_m(self) -> float:
        """The drop limit (m)."""
        return self._native.max_drop_m

    @property
    def served_count(self) -> int:
        """Number of served household points."""
        return self._native.served_count

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """The households (see :meth:`Households.to_geodataframe`) with the columns
        ``fiber_distance_m``, ``fiber_served`` and ``nearest_route`` (the route's
        id, or its index label in the fiber GeoDataFrame), as the CLI writes them."""
        gdf = self.households.to_geodataframe()
        labels = np.asarray(self.fiber._labels)
        gdf["fiber_distance_m"] = np.array(self.distance_m)
        gdf["fiber_served"] = np.array(self.served)
        gdf["nearest_route"] = labels[self.nearest_route]
        return gdf

    def summarize(self, by: str | None = None) -> pd.DataFrame:
        """Served and unserved weight per value of the area key ``by`` (see :func:`bbcov.summarize`)."""
        from bbcov._analysis import summarize

        return summarize(self.households, self.served, by=by)


def fiber_coverage(
    households: Households,
    fiber: FiberNetwork,
    max_drop_m: float = 300.0,
    *,
    progress: bool = True,
    reproject: bool = True,
) -> FiberCoverage:
    """Distance from every household to the nearest fiber route, and whether
    it is within ``max_drop_m`` metres (the drop-length limit).

    The distance is exact (the nearest segment of all routes). With
    ``reproject`` (the default) the routes are reprojected to the households'
    CRS with pyproj, as the CLI does; without it, layers in different CRSs
    raise :class:`bbcov.CrsMismatchError`. ``progress`` shows a tqdm bar for
    computations longer than half a second. Ctrl-C stops the computation
    (``KeyboardInterrupt``). Runs on all cores, without holding the GIL.
    """
    if not isinstance(households, Households):
        raise TypeError(f"households: expected bbcov.Households, got {type(households).__name__}")
    if not isinstance(fiber, FiberNetwork):
        raise TypeError(f"fiber: expected bbcov.FiberNetwork, got {type(fiber).__name__}")
    network = fiber._in(households.epsg) if reproject else fiber._native
    native = _bbcov.fiber_coverage(households._native, network, max_drop_m, progress=progress)
    return FiberCoverage(native, households, fiber)
