"""Base-station siting: choose candidate sites that cover the most demand.

Coverage is given as one array of covered demand indices per candidate (a
sparse demand × candidate matrix, column by column), or built from
distances with :meth:`CoverageSets.within_radius`. The solvers are those of
``bbcov_core::siting``: greedy plus local search, with a Lagrangian bound
that says how far from optimal a plan can be.

>>> import bbcov.siting as siting
>>> plan = siting.max_covering([[0, 1], [1, 2], [3]], weights=[1, 1, 1, 5], p=1)
>>> plan.sites, plan.objective
([2], 5.0)

The whole pipeline of ``bbcov plan`` (unserved households, candidate sites,
coverage over terrain, backhaul costs, plan) is :func:`plan_sites`, one
call into the core's pipeline; the same steps one at a time are
:func:`candidate_sites`, :meth:`CoverageSets.from_radio`, :func:`backhaul`
and :meth:`SitingPlan.to_geodataframe`, which returns a plan as a
GeoDataFrame with per-site coverage and costs::

    plan = bbcov.siting.plan_sites(dem, households, fiber, towers, p=5, model="itm")
    plan.sites[["site_id", "new_households", "backhaul", "backhaul_km", "capex", "lifetime_cost"]]

**The default costs (:class:`CostTable`) are illustrative assumptions in
arbitrary money units, not real prices**: give the operator's figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from bbcov import _bbcov, _crs
from bbcov._fiber import FiberNetwork
from bbcov._households import Households, _point_coordinates
from bbcov._radio import Dem, Site, _model, _sites
from bbcov.exceptions import InvalidInputError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "Backhaul",
    "CostTable",
    "CoverageSets",
    "MicrowaveOptions",
    "SitePlan",
    "SitingPlan",
    "backhaul",
    "budgeted_covering",
    "candidate_sites",
    "max_covering",
    "plan_sites",
    "target_covering",
]

_COST_DEFAULTS, _MICROWAVE_DEFAULTS = _bbcov.backhaul_defaults()
#: The defaults of a region file's `[radio]` and `[plan]` tables (`bbcov_report::region_file`),
#: the defaults of :func:`plan_sites`'s keyword arguments.
_REGION_DEFAULTS = _bbcov.region_defaults()
_RADIO_DEFAULTS, _PLAN_DEFAULTS = _REGION_DEFAULTS["radio"], _REGION_DEFAULTS["plan"]


@dataclass(frozen=True)
class SitingPlan:
    """A site-selection plan.

    ``sites``: chosen candidate indices (locked-in first, then new ones in
    the order chosen); ``objective``: covered weight (max and budgeted
    covering) or cost (target covering); ``bound``: a proven bound on the
    optimal objective; ``gap``: relative distance between the two (0: proven
    optimal); ``covered_share``: covered weight / total weight.
    """

    problem: str
    sites: list[int]
    new_sites: list[int]
    marginal_gain: list[float]
    covered_weight: float
    total_weight: float
    covered_share: float
    cost: float
    objective: float
    bound: float
    gap: float
    proven_optimal: bool
    locked: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The plan as a plain dict."""
        return dict(self.__dict__)

    def to_geodataframe(self, candidates: gpd.GeoDataFrame, sets: CoverageSets, backhaul: Backhaul) -> gpd.GeoDataFrame:
        """The plan's sites, in plan order, as a GeoDataFrame (points of
        ``candidates``, in its CRS) with their coverage and costs
        (``bbcov_core::siting::site_costs``): ``order``, ``site_id``,
        ``source``, ``locked``, ``covered_households`` (what the site covers on
        its own), ``new_households`` (what it adds to the sites before it),
        ``backhaul`` (``fiber`` or ``microwave``), ``backhaul_km``,
        ``backhaul_to`` (the hop's far end), ``capex``, ``opex_per_year``,
        ``lifetime_cost`` (capex + years x opex) and
        ``cost_per_new_household`` (lifetime cost / new households; NaN for a
        site that adds none). ``candidates``, ``sets`` and ``backhaul`` are
        the ones the plan was made from (one row / set / option per candidate).

        >>> sites = candidate_sites(dem, grid_spacing_m=2_000)  # doctest: +SKIP
        >>> bh = backhaul(dem, sites, fiber, hubs=towers)  # doctest: +SKIP
        >>> sets = CoverageSets.from_radio(dem, new_sites, hh, costs=bh.lifetime_cost)  # doctest: +SKIP
        >>> max_covering(sets, p=3).to_geodataframe(sites, sets, bh)  # doctest: +SKIP
        """
        import geopandas as gpd

        n = sets.candidates
        if len(candidates) != n or len(backhaul) != n:
            raise InvalidInputError(
                f"the plan's {n} candidates do not match {len(candidates)} candidate rows and {len(backhaul)} backhaul options"
            )
        columns = _bbcov.plan_site_costs(sets._native, self.sites, self.marginal_gain, self.locked, backhaul._native)
        rows = candidates.iloc[columns.pop("candidate")]
        data: dict[str, Any] = {"order": np.arange(1, len(self.sites) + 1)}
        data["site_id"] = columns.pop("site_id")
        if "source" in rows:
            data["source"] = rows["source"].to_numpy()
        data.update(columns)
        return gpd.GeoDataFrame(data, geometry=rows.geometry.to_numpy(), crs=candidates.crs)


def _plan(d: dict[str, Any]) -> SitingPlan:
    return SitingPlan(
        problem=str(d["problem"]),
        sites=list(d["sites"]),
        new_sites=list(d["new_sites"]),
        marginal_gain=list(d["marginal_gain"]),
        covered_weight=float(d["covered_weight"]),
        total_weight=float(d["total_weight"]),
        covered_share=float(d["covered_share"]),
        cost=float(d["cost"]),
        objective=float(d["objective"]),
        bound=float(d["bound"]),
        gap=float(d["gap"]),
        proven_optimal=bool(d["proven_optimal"]),
        locked=int(d["locked"]),
    )


def _floats(values: npt.ArrayLike, what: str) -> list[float]:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InvalidInputError(f"{what} must be numbers ({e})") from None
    if array.ndim != 1:
        raise InvalidInputError(f"{what} must be one-dimensional, got shape {array.shape}")
    return [float(v) for v in array]


def _indices(values: npt.ArrayLike, what: str) -> list[int]:
    array = np.asarray(values)
    if array.size == 0:
        return []
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise InvalidInputError(f"{what} must be a one-dimensional array of integer indices")
    if (array < 0).any():
        raise InvalidInputError(f"{what}: index {int(array[array < 0][0])} is negative")
    return [int(v) for v in array]


class CoverageSets:
    """Which demand points (weighted) each candidate site covers, with
    optional candidate costs and locked-in (existing) sites.

    >>> sets = CoverageSets([[0, 1], [1, 2]], weights=[1.0, 2.0, 3.0])
    >>> sets.candidates, sets.total_weight
    (2, 6.0)
    """

    def __init__(
        self,
        lists: Sequence[npt.ArrayLike],
        weights: npt.ArrayLike,
        costs: npt.ArrayLike | None = None,
        locked: Sequence[int] | None = None,
    ):
        self._native = _bbcov.CoverageSets(
            [_indices(lst, f"coverage list {j}") for j, lst in enumerate(lists)],
            _floats(weights, "weights"),
            costs=None if costs is None else _floats(costs, "costs"),
            locked=None if locked is None else _indices(list(locked), "locked"),
        )

    @classmethod
    def within_radius(
        cls,
        demand_xy: npt.ArrayLike,
        weights: npt.ArrayLike,
        candidates_xy: npt.ArrayLike,
        radius_m: float,
        costs: npt.ArrayLike | None = None,
        locked: Sequence[int] | None = None,
        progress: bool = False,
    ) -> CoverageSets:
        """Each candidate covers the demand points within ``radius_m`` (planar
        distance; coordinates of shape (n, 2) in one projected CRS, metres).

        >>> sets = CoverageSets.within_radius([[0, 0], [3000, 0]], [1, 1], [[0, 0]], 2000)
        >>> sets.covered_by(0).tolist()
        [0]
        """
        demand, candidates = _xy(demand_xy, "demand_xy"), _xy(candidates_xy, "candidates_xy")
        self = cls.__new__(cls)
        self._native = _bbcov.CoverageSets.within_radius(
            demand[:, 0].copy(),
            demand[:, 1].copy(),
            _floats(weights, "weights"),
            candidates[:, 0].copy(),
            candidates[:, 1].copy(),
            float(radius_m),
            costs=None if costs is None else _floats(costs, "costs"),
            locked=None if locked is None else _indices(list(locked), "locked"),
            progress=progress,
        )
        return self

    @classmethod
    def from_radio(
        cls,
        dem: Dem,
        sites: Site | Iterable[Site],
        households: Households,
        demand: npt.ArrayLike | None = None,
        *,
        radius_m: float = 10_000.0,
        model: str = "itm",
        rx_height_m: float = 1.5,
        threshold_dbm: float | None = None,
        load: float = 0.5,
        noise_figure_db: float = 7.0,
        indoor: bool = True,
        extrapolate: bool = False,
        costs: npt.ArrayLike | None = None,
        locked: Sequence[int] | None = None,
        progress: bool = False,
    ) -> CoverageSets:
        """Candidate ``j`` (a :class:`bbcov.Site` in ``sites``) covers the
        households ``demand`` (indices into ``households``; all when None)
        where site ``j`` alone reaches the RSRP threshold, computed as
        :func:`bbcov.household_signal` does (exact profiles over the DEM,
        indoor loss unless ``indoor=False``): the coverage sets of ``bbcov
        plan`` (``bbcov_core::siting::coverage_sets_from_radio``). Demand point
        ``k`` is household ``demand[k]``, with its weight. Households in
        another CRS than the DEM's are reprojected to it. Candidates run in
        parallel without the GIL; Ctrl-C cancels.

        >>> new = [bbcov.Site(f"c{j}", x, y, 40, "5G", 1800, eirp_dbm=60) for j, (x, y) in enumerate(xy)]  # doctest: +SKIP
        >>> sets = CoverageSets.from_radio(dem, new, households, demand=np.flatnonzero(unserved), model="itm")  # doctest: +SKIP
        """
        if not isinstance(dem, Dem):
            raise InvalidInputError(f"dem must be a bbcov.Dem, got {type(dem).__name__}")
        if not isinstance(households, Households):
            raise InvalidInputError(f"households must be a bbcov.Households, got {type(households).__name__}")
        self = cls.__new__(cls)
        self._native = _bbcov.CoverageSets.from_radio(
            dem._native,
            _sites(sites),
            _households_in(households, dem.epsg),
            None if demand is None else _indices(demand, "demand"),
            radius_m=float(radius_m),
            model=_model(model),
            rx_height_m=float(rx_height_m),
            threshold_dbm=None if threshold_dbm is None else float(threshold_dbm),
            load=float(load),
            noise_figure_db=float(noise_figure_db),
            indoor=indoor,
            extrapolate=extrapolate,
            costs=None if costs is None else _floats(costs, "costs"),
            locked=None if locked is None else _indices(list(locked), "locked"),
            progress=progress,
        )
        return self

    @property
    def demand_points(self) -> int:
        """Number of demand points."""
        return self._native.demand_points

    @property
    def candidates(self) -> int:
        """Number of candidate sites."""
        return self._native.candidates

    @property
    def total_weight(self) -> float:
        """Total demand weight."""
        return self._native.total_weight

    def covered_by(self, j: int) -> npt.NDArray[np.uint32]:
        """Demand indices covered by candidate ``j``."""
        return self._native.covered_by(j)

    def covered_mask(self, sites: Sequence[int]) -> npt.NDArray[np.bool_]:
        """Whether each demand point is covered by one of ``sites``."""
        return self._native.covered_mask([int(s) for s in sites])

    def __repr__(self) -> str:
        return f"<bbcov.siting.{self._native!r}>"


def _xy(values: npt.ArrayLike, what: str) -> npt.NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise InvalidInputError(f"{what} must have shape (n, 2), got {array.shape}")
    return array


def _sets(
    coverage: CoverageSets | Sequence[npt.ArrayLike],
    weights: npt.ArrayLike | None,
    costs: npt.ArrayLike | None,
    locked: Sequence[int] | None,
) -> CoverageSets:
    if isinstance(coverage, CoverageSets):
        if weights is not None or costs is not None or locked is not None:
            raise InvalidInputError("weights, costs and locked belong in the CoverageSets when one is given")
        return coverage
    if weights is None:
        raise InvalidInputError("weights are required with coverage lists")
    return CoverageSets(coverage, weights, costs=costs, locked=locked)


def max_covering(
    coverage: CoverageSets | Sequence[npt.ArrayLike],
    weights: npt.ArrayLike | None = None,
    p: int = 1,
    locked: Sequence[int] | None = None,
    costs: npt.ArrayLike | None = None,
    progress: bool = False,
) -> SitingPlan:
    """Maximal covering: at most ``p`` sites (locked-in ones included) covering the most weight.

    >>> max_covering([[0, 1], [2], [1, 2]], weights=[1, 1, 1], p=2).covered_weight
    3.0
    """
    sets = _sets(coverage, weights, costs, locked)
    return _plan(_bbcov.max_covering(sets._native, int(p), progress=progress))


def budgeted_covering(
    coverage: CoverageSets | Sequence[npt.ArrayLike],
    weights: npt.ArrayLike | None = None,
    budget: float = 0.0,
    locked: Sequence[int] | None = None,
    costs: npt.ArrayLike | None = None,
    progress: bool = False,
) -> SitingPlan:
    """Budgeted covering: new sites whose costs sum to at most ``budget``, covering the most weight.

    >>> budgeted_covering([[0], [1, 2], [0, 3]], [4, 3, 3, 1], budget=5, costs=[2, 3, 4]).sites
    [1, 0]
    """
    sets = _sets(coverage, weights, costs, locked)
    return _plan(_bbcov.budgeted_covering(sets._native, float(budget), progress=progress))


def target_covering(
    coverage: CoverageSets | Sequence[npt.ArrayLike],
    weights: npt.ArrayLike | None = None,
    share: float = 1.0,
    locked: Sequence[int] | None = None,
    costs: npt.ArrayLike | None = None,
    progress: bool = False,
) -> SitingPlan:
    """Target covering: the least-cost new sites (the fewest with unit costs)
    covering at least ``share`` of the total weight. An unreachable share
    raises :class:`bbcov.BbcovError` saying the largest reachable share and the shortfall.

    >>> target_covering([[0, 2], [1], [3], [0, 1]], [5, 3, 1, 1], share=0.8).sites
    [3]
    """
    sets = _sets(coverage, weights, costs, locked)
    return _plan(_bbcov.target_covering(sets._native, float(share), progress=progress))


# --- candidates, backhaul and costs -------------------------------------------------------------


@dataclass(frozen=True)
class CostTable:
    """Costs of new sites and their backhaul (``bbcov_core::CostTable``).

    **The defaults are illustrative assumptions in arbitrary money units,
    not real prices**: replace them with the operator's or the prefecture's
    figures. A site's lifetime cost is capex + ``years`` x opex.

    >>> CostTable(site_capex=25e6, years=15).years
    15.0
    >>> CostTable().site_capex == 30_000_000
    True
    """

    site_capex: float = _COST_DEFAULTS["site_capex"]
    fiber_capex_per_km: float = _COST_DEFAULTS["fiber_capex_per_km"]
    microwave_link_capex: float = _COST_DEFAULTS["microwave_link_capex"]
    site_opex_per_year: float = _COST_DEFAULTS["site_opex_per_year"]
    fiber_opex_per_km_year: float = _COST_DEFAULTS["fiber_opex_per_km_year"]
    microwave_link_opex_per_year: float = _COST_DEFAULTS["microwave_link_opex_per_year"]
    years: float = _COST_DEFAULTS["years"]

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            object.__setattr__(self, name, float(value))


@dataclass(frozen=True)
class MicrowaveOptions:
    """A microwave hop's settings (``bbcov_core::MicrowaveOptions``): carrier
    frequency, longest hop, required clearance as a fraction of the first
    Fresnel radius (0.6: the usual 60 % rule), effective earth radius
    factor, profile step and the candidate's antenna height.

    >>> MicrowaveOptions().min_clearance_ratio
    0.6
    """

    frequency_ghz: float = _MICROWAVE_DEFAULTS["frequency_ghz"]
    max_hop_m: float = _MICROWAVE_DEFAULTS["max_hop_m"]
    min_clearance_ratio: float = _MICROWAVE_DEFAULTS["min_clearance_ratio"]
    k_factor: float = _MICROWAVE_DEFAULTS["k_factor"]
    step_m: float = _MICROWAVE_DEFAULTS["step_m"]
    antenna_height_m: float = _MICROWAVE_DEFAULTS["antenna_height_m"]

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            object.__setattr__(self, name, float(value))


def _households_in(households: Households, epsg: int) -> _bbcov.Households:
    """The households in the projected CRS ``epsg``, reprojected from their source coordinates."""
    native = households._native
    if native.epsg == epsg:
        return native
    source = households._source
    if isinstance(source, tuple):
        x, y = np.asarray(source[0], dtype=np.float64), np.asarray(source[1], dtype=np.float64)
    else:
        x, y = _point_coordinates(np.asarray(source.geometry.array, dtype=object))
    x, y = _crs.to_core(households.source_crs, epsg, x, y)
    return _bbcov.Households(x, y, epsg=epsg, weight=np.asarray(native.weights), ids=native.ids)


def _points_in(gdf: gpd.GeoDataFrame, epsg: int, what: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """x and y of a point layer in the projected CRS ``epsg``."""
    source = _crs.parse(gdf.crs, what)
    x, y = _point_coordinates(np.asarray(gdf.geometry.array, dtype=object))
    return _crs.to_core(source, epsg, x, y)


def _listed(items: Any, epsg: int, what: str, prefix: str) -> tuple[list[float], list[float], list[str]] | None:
    """Listed candidate positions: bbcov.Sites (ids ``<prefix><site id>``, already in the DEM's CRS)
    or a point GeoDataFrame (ids from its ``id`` column, else its index)."""
    if items is None:
        return None
    if hasattr(items, "geometry"):
        x, y = _points_in(items, epsg, what)
        ids = items["id"] if "id" in items else items.index
        return [float(v) for v in x], [float(v) for v in y], [str(v) for v in ids]
    sites = _sites(items)
    return [s.x for s in sites], [s.y for s in sites], [f"{prefix}{s.id}" for s in sites]


def candidate_sites(
    dem: Dem,
    *,
    high_point_radius_m: float | None = 1_500.0,
    high_point_relief_m: float = 30.0,
    grid_spacing_m: float = 2_000.0,
    structures: Iterable[Site] | gpd.GeoDataFrame | None = None,
    user: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | FiberNetwork | None = None,
    on_land: bool = True,
    max_slope_deg: float | None = 30.0,
    max_road_distance_m: float = 1_000.0,
) -> gpd.GeoDataFrame:
    """Candidate sites as ``bbcov plan`` makes them, with its ``[plan]``
    defaults: terrain high points (higher than everything within
    ``high_point_radius_m`` and ``high_point_relief_m`` above the lowest point
    there; ``None`` for none), a grid every ``grid_spacing_m`` (0 for none),
    existing ``structures`` (bbcov.Sites, ids ``tower-<site id>``, or a point
    GeoDataFrame) and ``user`` positions (a point GeoDataFrame, ids from its
    ``id`` column), in that order; then kept when on land (``on_land``), no
    steeper than ``max_slope_deg`` and, with ``roads``, within
    ``max_road_distance_m`` of one. Returns a GeoDataFrame (``site_id``,
    ``source``: HighPoint, Grid, Structure or User; points in the DEM's CRS).

    >>> sites = bbcov.siting.candidate_sites(dem, structures=towers, roads=gpd.read_file("roads.gpkg"))  # doctest: +SKIP
    >>> sites["source"].value_counts()  # doctest: +SKIP
    """
    import geopandas as gpd

    if not isinstance(dem, Dem):
        raise InvalidInputError(f"dem must be a bbcov.Dem, got {type(dem).__name__}")
    road_network = None
    if roads is not None:
        network = roads if isinstance(roads, FiberNetwork) else FiberNetwork.from_geodataframe(roads)
        road_network = network._in(dem.epsg)
    ids, x, y, sources = _bbcov.candidate_sites(
        dem._native,
        high_point_radius_m=None if high_point_radius_m is None else float(high_point_radius_m),
        high_point_relief_m=float(high_point_relief_m),
        grid_spacing_m=float(grid_spacing_m),
        structures=_listed(structures, dem.epsg, "structures", "tower-"),
        user=_listed(user, dem.epsg, "user candidates", ""),
        roads=road_network,
        on_land=on_land,
        max_slope_deg=None if max_slope_deg is None else float(max_slope_deg),
        max_road_distance_m=None if road_network is None else float(max_road_distance_m),
    )
    return gpd.GeoDataFrame({"site_id": ids, "source": sources}, geometry=gpd.points_from_xy(x, y), crs=dem.crs)


class Backhaul:
    """The backhaul of every candidate site (``bbcov_core::backhaul``): a
    fiber extension to the nearest route (straight line x detour factor), or
    a microwave hop with Fresnel clearance to a fiber-connected hub or
    candidate, whichever costs less over the cost table's years. Made by
    :func:`backhaul`.
    """

    def __init__(self, native: _bbcov.Backhaul, index: pd.Index):
        self._native = native
        self._index = index

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return f"<bbcov.siting.{self._native!r}>"

    @property
    def years(self) -> float:
        """Evaluation horizon (years) of the lifetime costs."""
        return self._native.years

    @property
    def lifetime_cost(self) -> npt.NDArray[np.float64]:
        """Lifetime cost (capex + years x opex) of each candidate's chosen option: the siting costs."""
        return np.asarray(self._native.columns()["lifetime_cost"], dtype=np.float64)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per candidate (index: the candidates' ``site_id``): the
        chosen option (``backhaul``, ``backhaul_km``, ``backhaul_to``,
        ``clearance_ratio`` of a hop, ``capex``, ``opex_per_year``,
        ``lifetime_cost``) and both alternatives (``fiber_km``,
        ``fiber_lifetime_cost``, ``microwave_lifetime_cost``: NaN where no hop is feasible)."""
        import pandas as pd

        return pd.DataFrame(self._native.columns(), index=self._index)


def backhaul(
    dem: Dem,
    candidates: gpd.GeoDataFrame,
    fiber: FiberNetwork,
    hubs: Iterable[Site] = (),
    *,
    costs: CostTable | None = None,
    microwave: MicrowaveOptions | None = MicrowaveOptions(),  # noqa: B008 (frozen)
    detour_factor: float = 1.3,
    max_drop_m: float = 300.0,
) -> Backhaul:
    """Backhaul options and costs of the ``candidates`` (a GeoDataFrame of
    points with a ``site_id`` column, as :func:`candidate_sites` returns),
    as ``bbcov plan`` computes them: fiber to the nearest of the ``fiber``
    routes, or a microwave hop (``microwave``; ``None`` for fiber only) to one
    of the ``hubs`` (existing fiber-connected sites: their positions and
    antenna heights) or to a candidate within ``max_drop_m`` of fiber.

    >>> bh = bbcov.siting.backhaul(dem, sites, fiber, hubs=towers, costs=CostTable(years=15))  # doctest: +SKIP
    >>> bh.to_dataframe()["backhaul"].value_counts()  # doctest: +SKIP
    """
    if not isinstance(dem, Dem):
        raise InvalidInputError(f"dem must be a bbcov.Dem, got {type(dem).__name__}")
    if not isinstance(fiber, FiberNetwork):
        raise InvalidInputError(f"fiber must be a bbcov.FiberNetwork, got {type(fiber).__name__}")
    x, y = _points_in(candidates, dem.epsg, "candidates")
    ids = [str(v) for v in (candidates["site_id"] if "site_id" in candidates else candidates.index)]
    hub_sites = _sites(hubs)
    native = _bbcov.Backhaul(
        dem._native,
        (ids, [float(v) for v in x], [float(v) for v in y]),
        fiber._in(dem.epsg),
        ([s.id for s in hub_sites], [s.x for s in hub_sites], [s.y for s in hub_sites], [s.height_m for s in hub_sites]),
        costs=asdict(costs or CostTable()),
        microwave=None if microwave is None else asdict(microwave),
        detour_factor=float(detour_factor),
        max_drop_m=float(max_drop_m),
    )
    import pandas as pd

    return Backhaul(native, pd.Index(ids, name="site_id"))


# --- the whole pipeline -------------------------------------------------------------------------


@dataclass(frozen=True)
class SitePlan:
    """What :func:`plan_sites` returns (``bbcov plan``'s outputs).

    ``plan``: the :class:`SitingPlan` (candidate indices, objective, bound,
    gap); ``sites``: the plan as a GeoDataFrame with per-site coverage and
    costs (:meth:`SitingPlan.to_geodataframe`; ``plan.gpkg``);
    ``candidates``: every candidate with ``coverable_households``, its
    backhaul and costs and ``chosen`` (``candidates.gpkg``); ``unserved``: the
    households served neither by fiber nor by the existing towers, with
    ``covered_by_plan`` (``unserved.gpkg``); ``summary``: the figures of
    ``plan.json``; ``sets`` and ``backhaul``: the inputs of the plan;
    ``metrics``: the regulator-style metrics of ``plan.json`` (fiber
    availability rate; 5G sites, population coverage by 500 m square and
    10 km squares with a 5G station ``before`` and ``after`` the plan).
    """

    plan: SitingPlan
    sites: gpd.GeoDataFrame
    candidates: gpd.GeoDataFrame
    unserved: gpd.GeoDataFrame
    summary: dict[str, Any]
    sets: CoverageSets = field(repr=False)
    backhaul: Backhaul = field(repr=False)
    metrics: dict[str, Any] = field(default_factory=dict)


def plan_sites(
    dem: Dem,
    households: Households,
    fiber: FiberNetwork,
    towers: Iterable[Site],
    *,
    max_drop_m: float = 300.0,
    radius_m: float = _RADIO_DEFAULTS["radius_m"],
    model: str = _RADIO_DEFAULTS["model"],
    rx_height_m: float = _RADIO_DEFAULTS["rx_height_m"],
    threshold_dbm: float | None = _RADIO_DEFAULTS["threshold_dbm"],
    indoor: bool = _RADIO_DEFAULTS["indoor"],
    load: float = _RADIO_DEFAULTS["load"],
    noise_figure_db: float = _RADIO_DEFAULTS["noise_figure_db"],
    p: int | None = _PLAN_DEFAULTS["sites"],
    budget: float | None = _PLAN_DEFAULTS["budget"],
    target_share: float | None = _PLAN_DEFAULTS["target_share"],
    locked: Sequence[str] = (),
    towers_as_candidates: bool = _PLAN_DEFAULTS["towers_as_candidates"],
    candidates: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | FiberNetwork | None = None,
    high_point_radius_m: float = _PLAN_DEFAULTS["high_point_radius_m"],
    high_point_relief_m: float = _PLAN_DEFAULTS["high_point_relief_m"],
    grid_spacing_m: float = _PLAN_DEFAULTS["grid_spacing_m"],
    max_slope_deg: float = _PLAN_DEFAULTS["max_slope_deg"],
    max_road_distance_m: float = _PLAN_DEFAULTS["max_road_distance_m"],
    technology: str = _PLAN_DEFAULTS["technology"],
    frequency_mhz: float = _PLAN_DEFAULTS["frequency_mhz"],
    bandwidth_mhz: float = _PLAN_DEFAULTS["bandwidth_mhz"],
    eirp_dbm: float = _PLAN_DEFAULTS["eirp_dbm"],
    mast_height_m: float = _PLAN_DEFAULTS["mast_height_m"],
    costs: CostTable | None = None,
    microwave: MicrowaveOptions | None = MicrowaveOptions(),  # noqa: B008 (frozen)
    progress: bool = False,
) -> SitePlan:
    """New base stations for the households that neither fiber (within
    ``max_drop_m``) nor the existing ``towers`` (RSRP threshold, indoors)
    serve: the pipeline of ``bbcov plan`` (``bbcov_core::analyze_region``, the
    same code, so the same numbers), with arguments that mirror the keys of a
    region file (``[radio]``: model, radius, ...; ``[plan]``: p / budget /
    target_share, candidates, new-site radio, costs) and take those tables'
    defaults (``bbcov_report::region_file``), everything in the DEM's CRS:

    1. unserved households: fiber coverage and the towers' household signal
       (as :func:`bbcov.fiber_coverage` and :func:`bbcov.household_signal`);
    2. candidates: as :func:`candidate_sites` (high points, grid, the towers'
       structures, ``candidates`` with an ``id`` column; on land, slope, near ``roads``);
    3. an omni site per candidate (``technology``, ``frequency_mhz``, ``eirp_dbm``,
       ``mast_height_m``) and its coverage set (as :meth:`CoverageSets.from_radio`);
    4. backhaul and costs (as :func:`backhaul`; hubs: the towers; ``microwave=None``:
       fiber only), the lifetime cost as the candidate's cost;
    5. the plan: target covering with ``target_share``, else budgeted covering
       with ``budget``, else maximal covering with ``p`` sites (default 5);
       ``locked``: candidate ids that must be in it;
    6. per-site costs (``bbcov_core::siting::site_costs``) and the
       regulator-style metrics before and after the plan (``metrics``).

    The computation runs without the GIL; ``progress`` draws a tqdm bar per
    stage and Ctrl-C cancels it (``KeyboardInterrupt``).

    >>> plan = bbcov.siting.plan_sites(dem, households, fiber, towers, p=4, model="diffraction", radius_m=6_000)  # doctest: +SKIP
    >>> plan.sites[["site_id", "new_households", "backhaul", "capex", "cost_per_new_household"]]  # doctest: +SKIP
    """
    import geopandas as gpd
    import pandas as pd

    from bbcov.report import _to_lonlat

    if not isinstance(dem, Dem):
        raise InvalidInputError(f"dem must be a bbcov.Dem, got {type(dem).__name__}")
    if not isinstance(households, Households):
        raise InvalidInputError(f"households must be a bbcov.Households, got {type(households).__name__}")
    if not isinstance(fiber, FiberNetwork):
        raise InvalidInputError(f"fiber must be a bbcov.FiberNetwork, got {type(fiber).__name__}")
    costs = costs or CostTable()
    road_network = None
    if roads is not None:
        road_network = (roads if isinstance(roads, FiberNetwork) else FiberNetwork.from_geodataframe(roads))._in(dem.epsg)
    listed = _listed(candidates, dem.epsg, "user candidates", "")
    # The pipeline of `bbcov plan` in the core (`analyze_region`), everything in the DEM's CRS.
    out = _bbcov.plan_region(
        _households_in(households, dem.epsg),
        fiber._in(dem.epsg),
        dem._native,
        _sites(towers),
        roads=road_network,
        candidates=None if listed is None else (list(zip(listed[0], listed[1], strict=True)), listed[2]),
        max_drop_m=float(max_drop_m),
        radio={
            "model": _model(model),
            "radius_m": float(radius_m),
            "rx_height_m": float(rx_height_m),
            "threshold_dbm": None if threshold_dbm is None else float(threshold_dbm),
            "indoor": bool(indoor),
            "load": float(load),
            "noise_figure_db": float(noise_figure_db),
        },
        plan={
            "sites": None if p is None else int(p),
            "budget": None if budget is None else float(budget),
            "target_share": None if target_share is None else float(target_share),
            "locked": [str(i) for i in locked],
            "towers_as_candidates": bool(towers_as_candidates),
            "high_point_radius_m": float(high_point_radius_m),
            "high_point_relief_m": float(high_point_relief_m),
            "grid_spacing_m": float(grid_spacing_m),
            "max_slope_deg": float(max_slope_deg),
            "max_road_distance_m": float(max_road_distance_m),
            "technology": str(technology),
            "frequency_mhz": float(frequency_mhz),
            "bandwidth_mhz": float(bandwidth_mhz),
            "eirp_dbm": float(eirp_dbm),
            "mast_height_m": float(mast_height_m),
        },
        costs=asdict(costs),
        microwave=None if microwave is None else asdict(microwave),
        to_lonlat=_to_lonlat,
        progress=progress,
    )

    plan = _plan(out["plan"])
    sets = CoverageSets.__new__(CoverageSets)
    sets._native = out["sets"]
    ids = out["candidate_ids"]
    bh = Backhaul(out["backhaul"], pd.Index(ids, name="site_id"))
    geometry = gpd.points_from_xy(out["candidate_x"], out["candidate_y"])
    table = bh.to_dataframe().reset_index(drop=True)
    all_candidates = gpd.GeoDataFrame(
        {
            "site_id": ids,
            "source": out["candidate_sources"],
            "coverable_households": out["coverable"],
            **{c: table[c] for c in ("backhaul", "backhaul_km", "backhaul_to", "capex", "opex_per_year", "lifetime_cost")},
            "chosen": np.isin(np.arange(len(ids)), plan.sites),
        },
        geometry=geometry,
        crs=dem.crs,
    )

    # The plan's sites with their cost rows (`bbcov_core::siting::site_costs`, computed by the pipeline).
    columns = dict(out["site_costs"])
    rows = all_candidates.iloc[columns.pop("candidate")]
    data: dict[str, Any] = {"order": np.arange(1, len(plan.sites) + 1), "site_id": columns.pop("site_id"),
                            "source": rows["source"].to_numpy()}
    data.update(columns)
    sites = gpd.GeoDataFrame(data, geometry=rows.geometry.to_numpy(), crs=dem.crs)

    unserved = np.asarray(out["unserved"], dtype=np.intp)
    unserved_gdf = households.to_geodataframe().iloc[unserved].to_crs(dem.crs)
    unserved_gdf["covered_by_plan"] = np.asarray(out["covered_by_plan"], dtype=bool)
    unserved_weight = float(out["unserved_weight"])
    capex = float(sites["capex"].sum())
    summary = {
        "households": float(households._native.total_weight),
        "unserved_before": unserved_weight,
        "unserved_after": unserved_weight - plan.covered_weight,
        "problem": plan.problem,
        "new_sites": len(plan.new_sites),
        "locked_sites": plan.locked,
        "newly_served": plan.covered_weight,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "capex": capex,
        "lifetime_cost": plan.cost,
        "years": costs.years,
        "capex_per_newly_served_household": capex / plan.covered_weight if plan.covered_weight > 0 else float("nan"),
        "candidates": len(ids),
    }
    return SitePlan(plan, sites, all_candidates, unserved_gdf, summary, sets, bh, out["metrics"])
