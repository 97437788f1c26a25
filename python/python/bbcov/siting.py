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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bbcov import _bbcov
from bbcov.exceptions import InvalidInputError

__all__ = ["CoverageSets", "SitingPlan", "budgeted_covering", "max_covering", "target_covering"]


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

    def to_dict(self) -> dict[str, Any]:
        """The plan as a plain dict."""
        return dict(self.__dict__)


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
