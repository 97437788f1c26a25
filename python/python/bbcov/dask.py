"""Prefecture- or nation-scale fiber coverage on Dask, partitioned by JIS X 0410 grid square.

>>> from distributed import Client, LocalCluster  # doctest: +SKIP
>>> client = Client(LocalCluster(n_workers=4, threads_per_worker=1))  # doctest: +SKIP
>>> hh = bbcov.Households.from_geodataframe(gpd.read_file("households.gpkg").to_crs(6670), weight="households")  # doctest: +SKIP
>>> fiber = bbcov.FiberNetwork.from_geodataframe(gpd.read_file("fiber.gpkg"))  # doctest: +SKIP
>>> cov = bbcov.dask.fiber_coverage(hh, fiber, max_drop_m=300, client=client)  # doctest: +SKIP
>>> cov.distance_m, cov.served, cov.summarize(by="municipality")  # doctest: +SKIP

The households are split by the grid square (default: the 10 km 2nd-level
square, ``level="10km"``) that holds them; one Dask task per square computes
:func:`bbcov.fiber_coverage` for its households against the routes near them,
and the results are put back in the households' order. The result is
**identical, bit for bit**, to one :func:`bbcov.fiber_coverage` call on the
same layers (distances, served flags, nearest routes, summaries), because:

- The computation is planar in one projected CRS (the households', or
  ``crs``): a partition computes in the same coordinates as the whole run.
  (Lon/lat layers are refused without ``crs``: the core's local frame is
  centred on the layers' extent, so it would differ between partitions.)
- A task first takes the routes whose bounding box meets its households'
  bounding box grown by ``r = max_drop_m``. Any route within ``r`` of a
  household lies in that box, so every household whose nearest distance in
  the subset is at most ``r`` has its true nearest route, at the same
  distance (the same segment distance formula on the same coordinates); ties
  go to the lowest segment index, and the subset keeps the segments' order.
  In particular every household served within the drop limit is exact in
  the first round. Households still farther than ``r`` (distance beyond the
  drop limit) are recomputed with ``r`` doubled until each is within its
  ``r`` or the subset holds every route, so that their distances are exact too.
- Summaries are computed once from the combined flags (:func:`bbcov.summarize`),
  in the households' order, as the single-process run does.

The routes are sent to every worker once (``client.scatter``, broadcast).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import shapely

from bbcov import _bbcov, _crs, mesh
from bbcov._fiber import FiberNetwork
from bbcov._households import Households
from bbcov.exceptions import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PartitionedFiberCoverage", "Routes", "fiber_coverage", "partition_fiber", "partition_keys"]


def _dask() -> Any:
    try:
        import dask

        return dask
    except ImportError as e:
        raise ImportError(f"bbcov.dask needs dask: pip install 'dask[distributed]' ({e})") from None


@dataclass(frozen=True)
class Routes:
    """Fiber routes as plain arrays in one projected CRS, cheap to send to
    workers: vertex coordinates ``(n, 2)``, line offsets, the record (row of
    the fiber GeoDataFrame) of each line and the bounding box of each record."""

    epsg: int
    coords: npt.NDArray[np.float64]
    offsets: npt.NDArray[np.int64]
    line_record: npt.NDArray[np.int64]
    record_bounds: npt.NDArray[np.float64]  # (records, 4): minx, miny, maxx, maxy

    @classmethod
    def from_network(cls, fiber: FiberNetwork, epsg: int) -> Routes:
        """The routes of ``fiber`` in EPSG ``epsg``, reprojected as :func:`bbcov.fiber_coverage` does."""
        parts, record = shapely.get_parts(fiber._geoms, return_index=True)
        coords, line = shapely.get_coordinates(parts, return_index=True)
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(line, minlength=len(parts)), out=offsets[1:])
        x, y = _crs.to_core(fiber.source_crs, epsg, np.ascontiguousarray(coords[:, 0]), np.ascontiguousarray(coords[:, 1]))
        xy = np.column_stack([x, y])
        n = len(fiber)
        bounds = np.empty((n, 4))
        bounds[:, :2], bounds[:, 2:] = np.inf, -np.inf
        vertex_record = np.repeat(record, np.diff(offsets))
        np.minimum.at(bounds[:, 0], vertex_record, xy[:, 0])
        np.minimum.at(bounds[:, 1], vertex_record, xy[:, 1])
        np.maximum.at(bounds[:, 2], vertex_record, xy[:, 0])
        np.maximum.at(bounds[:, 3], vertex_record, xy[:, 1])
        return cls(epsg, xy, offsets, record.astype(np.int64), bounds)

    def near(self, box: npt.NDArray[np.float64], r: float) -> npt.NDArray[np.bool_]:
        """Records whose bounding box meets ``box`` (minx, miny, maxx, maxy) grown by ``r``."""
        b = self.record_bounds
        near: npt.NDArray[np.bool_] = (b[:, 0] <= box[2] + r) & (b[:, 2] >= box[0] - r) & (b[:, 1] <= box[3] + r) & (b[:, 3] >= box[1] - r)
        return near

    def network(self, records: npt.NDArray[np.bool_]) -> tuple[_bbcov.FiberNetwork, npt.NDArray[np.int64]]:
        """The native network of the lines of ``records`` (in order) and the record of each of its lines."""
        lines = np.flatnonzero(records[self.line_record])
        starts, ends = self.offsets[lines], self.offsets[lines + 1]
        lengths = ends - starts
        offsets = np.zeros(len(lines) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        vertex = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
        native = _bbcov.FiberNetwork(np.ascontiguousarray(self.coords[vertex]), offsets, epsg=self.epsg)
        return native, self.line_record[lines]


def partition_fiber(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], routes: Routes, max_drop_m: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], int]:
    """Distance to the nearest route and its record for the households (x, y)
    of one partition, exact (see the module doc); also the number of rounds.
    The task each Dask worker runs."""
    n = len(x)
    distance = np.full(n, np.inf)
    record = np.full(n, -1, dtype=np.int64)
    todo = np.arange(n)
    r = float(max_drop_m) if max_drop_m > 0 else 1.0
    rounds = 0
    while todo.size:
        rounds += 1
        tx, ty = x[todo], y[todo]
        box = np.array([tx.min(), ty.min(), tx.max(), ty.max()])
        records = routes.near(box, r)
        everything = bool(records.all())
        if records.any():
            network, line_record = routes.network(records)
            households = _bbcov.Households(np.ascontiguousarray(tx), np.ascontiguousarray(ty), epsg=routes.epsg)
            cov = _bbcov.fiber_coverage(households, network, max_drop_m, progress=False)
            d = np.asarray(cov.distance_m)
            distance[todo] = d
            record[todo] = line_record[np.asarray(cov.nearest_line)]
            exact = d <= r
        else:
            exact = np.zeros(todo.size, dtype=bool)
        if everything:
            break
        todo = todo[~exact]
        r *= 2.0
    return distance, record, rounds


def partition_keys(households: Households, level: str = "10km", crs: Any = None) -> npt.NDArray[np.uint64]:
    """The JIS X 0410 grid-square code (``level``) of each household: the partition it goes to."""
    from pyproj import Transformer

    coords = np.asarray(households._native.coords)
    x, y = coords[:, 0], coords[:, 1]
    if households.epsg is not None:
        x, y = Transformer.from_crs(households.crs, _crs.LONLAT, always_xy=True).transform(x, y)
    return np.asarray(mesh.encode(x, y, level=level), dtype=np.uint64)


@dataclass(frozen=True)
class PartitionedFiberCoverage:
    """The result of :func:`fiber_coverage`: the same arrays as
    :class:`bbcov.FiberCoverage`, in the households' order, and the partitions."""

    households: Households
    max_drop_m: float
    distance_m: npt.NDArray[np.float64]
    served: npt.NDArray[np.bool_]
    nearest_route: npt.NDArray[np.int64]
    #: Household points per partition (grid-square code), and the rounds each partition took.
    partitions: pd.DataFrame

    def __len__(self) -> int:
        return len(self.distance_m)

    def summarize(self, by: str | None = None) -> pd.DataFrame:
        """Served and unserved weight per value of the area key ``by`` (see :func:`bbcov.summarize`)."""
        from bbcov._analysis import summarize

        return summarize(self.households, self.served, by=by)


def fiber_coverage(
    households: Households,
    fiber: FiberNetwork,
    max_drop_m: float = 300.0,
    *,
    client: Any = None,
    level: str = "10km",
    crs: Any = None,
) -> PartitionedFiberCoverage:
    """:func:`bbcov.fiber_coverage` partitioned by the grid square of
    ``level`` (``"80km"``, ``"10km"``, ``"1km"``, ...), one Dask task per
    square, on ``client`` (a ``distributed.Client``; None: the current Dask
    scheduler). Identical to the single-process call (see the module doc).
    The households must be in a projected CRS, or give ``crs`` (a projected
    CRS in metres, e.g. ``6670``): then the households and routes are
    reprojected to it and the reference single-process run is
    :func:`bbcov.fiber_coverage` on households built in that CRS.

    >>> cov = bbcov.dask.fiber_coverage(hh, fiber, max_drop_m=300, client=client)  # doctest: +SKIP
    >>> cov.partitions.head()  # doctest: +SKIP
    """
    import pandas as pd

    dask = _dask()
    if not isinstance(households, Households):
        raise InvalidInputError(f"households must be a bbcov.Households, got {type(households).__name__}")
    if not isinstance(fiber, FiberNetwork):
        raise InvalidInputError(f"fiber must be a bbcov.FiberNetwork, got {type(fiber).__name__}")
    if not (np.isfinite(max_drop_m) and max_drop_m >= 0):
        raise InvalidInputError(f"max_drop_m = {max_drop_m} is out of range: a finite distance >= 0 m")
    if crs is not None:
        epsg = _crs.core_epsg(_crs.parse(crs, "crs"), "crs")
        if epsg is None:
            raise InvalidInputError(f"crs: {crs!r} is not a projected CRS in metres with an EPSG code")
        if households.epsg != epsg:
            from bbcov.siting import _households_in

            native = _households_in(households, epsg)
            coords = np.asarray(native.coords)
            households = Households.from_arrays(coords[:, 0], coords[:, 1], crs=epsg, weight=np.asarray(native.weights), id=native.ids)
    epsg = households.epsg
    if epsg is None:
        raise InvalidInputError(
            "bbcov.dask: the households are in lon/lat, where each partition would compute in its own local frame; "
            "give crs= (a projected CRS in metres, e.g. the plane rectangular zone) for results identical to one run"
        )
    routes = Routes.from_network(fiber, epsg)
    keys = partition_keys(households, level)
    order = np.argsort(keys, kind="stable")
    squares, starts = np.unique(keys[order], return_index=True)
    groups = np.split(order, starts[1:])
    coords = np.asarray(households._native.coords)

    if client is not None:
        shared = client.scatter(routes, broadcast=True, hash=False)  # a key of its own per call
        futures = [client.submit(partition_fiber, coords[g, 0], coords[g, 1], shared, float(max_drop_m), pure=False) for g in groups]
        results = client.gather(futures)
    else:
        shared = dask.delayed(routes)
        results = dask.compute(*[dask.delayed(partition_fiber)(coords[g, 0], coords[g, 1], shared, float(max_drop_m)) for g in groups])

    n = len(households)
    distance = np.empty(n)
    record = np.empty(n, dtype=np.int64)
    rounds = []
    for g, (d, rec, k) in zip(groups, results, strict=True):
        distance[g], record[g] = d, rec
        rounds.append(k)
    served = distance <= max_drop_m
    for a in (distance, served, record):
        a.flags.writeable = False
    partitions = pd.DataFrame(
        {"households": [len(g) for g in groups], "rounds": rounds}, index=pd.Index(squares, name=f"mesh_{level}")
    )
    return PartitionedFiberCoverage(households, float(max_drop_m), distance, served, record, partitions)
