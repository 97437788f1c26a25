"""Siting: plans against brute force, within-radius coverage sets, and errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import bbcov
from bbcov import siting


def test_max_covering_matches_brute_force(rng: np.random.Generator) -> None:
    for _ in range(20):
        n = 12
        weights = rng.integers(1, 10, n).astype(float)
        lists = [rng.choice(n, size=rng.integers(1, 6), replace=False) for _ in range(5)]
        plan = siting.max_covering(lists, weights, p=2)

        def covered(sites: tuple[int, ...]) -> float:
            hit = np.zeros(n, bool)
            for j in sites:
                hit[lists[j]] = True
            return float(weights[hit].sum())

        best = max(covered(c) for c in itertools.combinations(range(5), 2))
        assert plan.objective == best == covered(tuple(plan.sites))
        assert len(plan.sites) <= 2 and plan.bound >= plan.objective
        assert plan.covered_share == pytest.approx(best / weights.sum())


def test_plan_fields_and_locked_sites() -> None:
    plan = siting.max_covering([[0, 1], [1, 2], [3]], weights=[1, 1, 1, 5], p=2, locked=[0])
    assert plan.sites[0] == 0 and plan.new_sites == [2]
    assert (plan.objective, plan.gap, plan.proven_optimal) == (7.0, 0.0, True)
    assert plan.to_dict()["covered_share"] == pytest.approx(7 / 8)


def test_budgeted_and_target_covering() -> None:
    plan = siting.budgeted_covering([[0], [1, 2], [0, 3]], [4, 3, 3, 1], budget=5, costs=[2, 3, 4])
    assert (plan.sites, plan.covered_weight, plan.cost) == ([1, 0], 10.0, 5.0)
    plan = siting.target_covering([[0, 2], [1], [3], [0, 1]], [5, 3, 1, 1], share=0.8)
    assert (plan.sites, plan.objective, plan.bound) == ([3], 1.0, 1.0)


def test_within_radius() -> None:
    sets = siting.CoverageSets.within_radius([[0, 0], [3000, 0], [3000, 4000]], [1, 1, 1], [[0, 0], [3000, 4000]], 3000)
    assert sets.covered_by(0).tolist() == [0, 1] and sets.covered_by(1).tolist() == [2]
    plan = siting.max_covering(sets, p=1)
    assert plan.sites == [0] and plan.objective == 2.0
    assert sets.covered_mask([1]).tolist() == [False, False, True]


def test_errors() -> None:
    with pytest.raises(bbcov.InvalidInputError, match=r"0.7000000000000002 \(23.333 percentage points\) short of the target"):
        siting.target_covering([[0], [1]], [1, 1, 1], share=0.9)
    with pytest.raises(bbcov.InvalidInputError, match="coverage sets: "):
        siting.max_covering([[0, 5]], [1, 1], p=1)
    with pytest.raises(bbcov.InvalidInputError, match="locked-in site 7 does not exist"):
        siting.max_covering([[0]], [1], p=1, locked=[7])
    with pytest.raises(bbcov.InvalidInputError, match="weights are required"):
        siting.max_covering([[0]], p=1)
