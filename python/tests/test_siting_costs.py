"""Plans with costs: candidates, backhaul, per-site cost columns, and identity with `bbcov plan`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import EPSG_PLANE_II, REPO, CtrlCBars

import bbcov
from bbcov import siting

REGION = REPO / "data-samples" / "region"
RADIO = {"model": "diffraction", "radius_m": 6_000.0}


@pytest.fixture(scope="module")
def region() -> dict[str, object]:
    if not (REGION / "dem.tif").exists():
        pytest.skip("data-samples/region is missing: cargo run --release -p bbcov-samples -- --out data-samples/region")
    dem = bbcov.Dem.from_rasterio(REGION / "dem.tif")
    return {
        "dem": dem,
        "towers": bbcov.sites_from_dataframe(pd.read_csv(REGION / "towers.csv"), target=dem),
        "households": bbcov.Households.from_geodataframe(
            gpd.read_file(REGION / "households.gpkg"), weight="households", id="hh_id", areas=["island"]
        ),
        "fiber": bbcov.FiberNetwork.from_geodataframe(gpd.read_file(REGION / "fiber.gpkg")),
        "roads": gpd.read_file(REGION / "roads.gpkg"),
    }


@pytest.fixture(scope="module")
def python_plan(region: dict[str, object]) -> siting.SitePlan:
    return siting.plan_sites(
        region["dem"], region["households"], region["fiber"], region["towers"], p=4, roads=region["roads"], **RADIO
    )


@pytest.fixture(scope="module")
def cli_plan(bbcov_cli: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (REGION / "dem.tif").exists():
        pytest.skip("data-samples/region is missing")
    tmp = tmp_path_factory.mktemp("plan")
    files = {k: (REGION / v).as_posix() for k, v in
             {"hh": "households.gpkg", "fiber": "fiber.gpkg", "dem": "dem.tif", "towers": "towers.csv", "roads": "roads.gpkg"}.items()}
    (tmp / "region.toml").write_text(f'''
households = "{files['hh']}"
households_layer = "households"
weight_field = "households"
id_field = "hh_id"
fiber = "{files['fiber']}"
fiber_layer = "fiber"
dem = "{files['dem']}"
towers = "{files['towers']}"
roads = "{files['roads']}"
max_drop_m = 300
[radio]
model = "{RADIO['model']}"
radius_m = {RADIO['radius_m']}
[plan]
sites = 4
''')
    subprocess.run([str(bbcov_cli), "--quiet", "plan", "--config", str(tmp / "region.toml"), "-o", str(tmp / "out")],
                   check=True, capture_output=True, text=True)
    return tmp / "out"


def test_plan_geodataframe_matches_the_cli(python_plan: siting.SitePlan, cli_plan: Path) -> None:
    expected = gpd.read_file(cli_plan / "plan.gpkg")
    got = python_plan.sites
    assert len(got) == len(expected) > 0
    assert got["site_id"].tolist() == expected["site_id"].tolist()
    assert got["source"].tolist() == expected["source"].tolist()
    assert got["order"].tolist() == expected["order"].tolist()
    assert np.array_equal(got["new_households"], expected["new_households"])
    assert np.array_equal(got["covered_households"], expected["coverable_households"])
    assert got["backhaul"].tolist() == expected["backhaul"].tolist()
    assert got["backhaul_to"].fillna("").tolist() == expected["backhaul_to"].fillna("").tolist()
    for column in ("backhaul_km", "capex", "opex_per_year"):
        np.testing.assert_allclose(got[column], expected[column], rtol=1e-12, err_msg=column)
    np.testing.assert_allclose(got.geometry.x, expected.geometry.x, atol=1e-6)
    np.testing.assert_allclose(got.geometry.y, expected.geometry.y, atol=1e-6)
    assert got.crs.to_epsg() == expected.crs.to_epsg() == EPSG_PLANE_II


def test_summary_candidates_and_unserved_match_the_cli(python_plan: siting.SitePlan, cli_plan: Path) -> None:
    summary = json.loads((cli_plan / "plan.json").read_text())
    for key in ("households", "unserved_before", "unserved_after", "newly_served", "objective", "bound", "gap",
                "new_sites", "locked_sites", "candidates", "years"):
        assert python_plan.summary[key] == summary[key], key
    for key in ("capex", "lifetime_cost", "capex_per_newly_served_household"):
        assert python_plan.summary[key] == pytest.approx(summary[key], rel=1e-12), key
    assert [s["id"] for s in summary["sites"]] == python_plan.sites["site_id"].tolist()
    assert python_plan.metrics == summary["metrics"]

    candidates = gpd.read_file(cli_plan / "candidates.gpkg")
    got = python_plan.candidates
    assert got["site_id"].tolist() == candidates["site_id"].tolist()
    assert got["source"].tolist() == candidates["source"].tolist()
    assert np.array_equal(got["chosen"], candidates["chosen"])
    assert np.array_equal(got["coverable_households"], candidates["coverable_households"])
    assert got["backhaul"].tolist() == candidates["backhaul"].tolist()
    np.testing.assert_allclose(got["capex"], candidates["capex"], rtol=1e-12)

    unserved = gpd.read_file(cli_plan / "unserved.gpkg")
    assert python_plan.unserved["hh_id"].tolist() == unserved["id"].tolist()
    assert np.array_equal(python_plan.unserved["covered_by_plan"], unserved["covered_by_plan"])


def test_cost_columns_are_consistent(python_plan: siting.SitePlan) -> None:
    sites, plan = python_plan.sites, python_plan.plan
    years = python_plan.backhaul.years
    np.testing.assert_allclose(sites["lifetime_cost"], sites["capex"] + years * sites["opex_per_year"], rtol=1e-15)
    np.testing.assert_allclose(sites["cost_per_new_household"], sites["lifetime_cost"] / sites["new_households"])
    assert sites["new_households"].sum() == plan.covered_weight
    assert sites["lifetime_cost"].sum() == pytest.approx(plan.cost, rel=1e-12)
    assert (sites["covered_households"] >= sites["new_households"]).all()
    assert set(sites["backhaul"]) <= {"fiber", "microwave"}
    # a microwave hop names its far end; a fiber extension costs site + km x unit cost
    costs = siting.CostTable()
    fiber_rows = sites[sites["backhaul"] == "fiber"]
    np.testing.assert_allclose(fiber_rows["capex"], costs.site_capex + costs.fiber_capex_per_km * fiber_rows["backhaul_km"])
    assert (sites.loc[sites["backhaul"] == "microwave", "backhaul_to"] != "").all()
    # the candidates table says the same for the chosen ones
    chosen = python_plan.candidates.set_index("site_id").loc[sites["site_id"]]
    assert chosen["chosen"].all()
    np.testing.assert_allclose(chosen["lifetime_cost"], sites["lifetime_cost"])


def test_budgeted_plan_stays_within_budget(region: dict[str, object], python_plan: siting.SitePlan) -> None:
    budget = 120_000_000.0
    result = siting.plan_sites(region["dem"], region["households"], region["fiber"], region["towers"], budget=budget,
                               roads=region["roads"], **RADIO)
    assert result.plan.problem == "budgeted_covering"
    assert 0 < result.sites["lifetime_cost"].sum() <= budget
    assert result.summary["newly_served"] == result.sites["new_households"].sum() > 0


def test_costs_change_the_plan_costs(region: dict[str, object], python_plan: siting.SitePlan) -> None:
    cheap = siting.CostTable(site_capex=1e6, years=5)
    result = siting.plan_sites(region["dem"], region["households"], region["fiber"], region["towers"], p=4,
                               roads=region["roads"], costs=cheap, **RADIO)
    assert (result.sites["capex"] < python_plan.sites["capex"].max()).all()
    np.testing.assert_allclose(result.sites["lifetime_cost"], result.sites["capex"] + 5 * result.sites["opex_per_year"])


def test_backhaul_microwave_to_a_hub_on_flat_ground() -> None:
    """The core's documented case: a hub 8 km away over flat ground, fiber 10 km away."""
    dem = bbcov.Dem.from_array(np.zeros((1, 1001), dtype=np.float32), (0.0, 10.0, 0.0, 10.0, 0.0, -10.0), crs=EPSG_PLANE_II)
    fiber = bbcov.FiberNetwork.from_geodataframe(
        gpd.GeoDataFrame(geometry=gpd.GeoSeries.from_wkt(["LINESTRING (0 -10000, 10000 -10000)"]), crs=EPSG_PLANE_II)
    )
    candidates = gpd.GeoDataFrame({"site_id": ["a"]}, geometry=gpd.points_from_xy([5.0], [5.0]), crs=EPSG_PLANE_II)
    hub = bbcov.Site("h", 8_005.0, 5.0, 40.0, "LTE", 800.0, eirp_dbm=60.0)
    table = siting.backhaul(dem, candidates, fiber, hubs=[hub]).to_dataframe()
    row = table.loc["a"]
    assert (row["backhaul"], row["backhaul_to"]) == ("microwave", "h")
    assert row["backhaul_km"] == pytest.approx(8.0)
    assert row["fiber_km"] == pytest.approx(10.00500 * 1.3 / 1.0, rel=1e-3)
    assert row["microwave_lifetime_cost"] < row["fiber_lifetime_cost"]
    fiber_only = siting.backhaul(dem, candidates, fiber, hubs=[hub], microwave=None).to_dataframe().loc["a"]
    assert fiber_only["backhaul"] == "fiber" and np.isnan(fiber_only["microwave_lifetime_cost"])


def test_candidate_sites_grid_and_listed(region: dict[str, object]) -> None:
    dem = region["dem"]
    towers = region["towers"]
    grid = siting.candidate_sites(dem, high_point_radius_m=None, grid_spacing_m=2_000, max_slope_deg=None, on_land=False,
                                  structures=towers)
    assert (grid["source"] == "Grid").sum() > 0
    listed = grid[grid["source"] == "Structure"]
    assert listed["site_id"].tolist() == [f"tower-{t.id}" for t in towers]
    assert grid.crs.to_epsg() == dem.epsg
    filtered = siting.candidate_sites(dem, structures=towers, roads=region["roads"])
    assert 0 < len(filtered) < len(grid) + (grid["source"] == "HighPoint").sum() + 1000
    assert set(filtered["site_id"]) - set(grid["site_id"]) <= {s for s in filtered["site_id"] if s.startswith("hp-")}


def test_errors_are_bbcov_errors(region: dict[str, object], python_plan: siting.SitePlan) -> None:
    with pytest.raises(bbcov.InvalidInputError, match="locked: no candidate \"nowhere\""):
        siting.plan_sites(region["dem"], region["households"], region["fiber"], region["towers"], locked=["nowhere"],
                          roads=region["roads"], **RADIO)
    with pytest.raises(bbcov.BbcovError, match="years"):
        siting.backhaul(region["dem"], python_plan.candidates, region["fiber"], costs=siting.CostTable(years=-1))
    with pytest.raises(bbcov.InvalidInputError, match="do not match"):
        python_plan.plan.to_geodataframe(python_plan.candidates.iloc[:3], python_plan.sets, python_plan.backhaul)


def test_plan_sites_is_the_core_pipeline(region: dict[str, object], python_plan: siting.SitePlan) -> None:
    """The per-site rows are the core's (`site_costs` inside `analyze_region`): the building blocks give the same table."""
    again = python_plan.plan.to_geodataframe(python_plan.candidates, python_plan.sets, python_plan.backhaul)
    pd.testing.assert_frame_equal(again.drop(columns="geometry"), python_plan.sites.drop(columns="geometry"))
    assert len(python_plan.backhaul) == len(python_plan.candidates) == python_plan.sets.candidates
    fiber_only = siting.plan_sites(region["dem"], region["households"], region["fiber"], region["towers"], p=2,
                                   roads=region["roads"], microwave=None, **RADIO)
    assert set(fiber_only.candidates["backhaul"]) == {"fiber"}


def test_plan_sites_progress_and_ctrl_c(region: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline's stages draw tqdm bars; Ctrl-C stops it with KeyboardInterrupt."""
    import tqdm.auto

    bars = CtrlCBars(interrupt_at="best server")  # the regulator metrics' maps, after the plan
    monkeypatch.setattr(tqdm.auto, "tqdm", bars)
    with pytest.raises(KeyboardInterrupt):
        siting.plan_sites(region["dem"], region["households"], region["fiber"], region["towers"], p=2,
                          roads=region["roads"], model="itm", radius_m=8_000.0, progress=True)
    assert len(bars.stages) > 1 and bars.stages[-1] == "best server", bars.stages  # earlier stages drew bars too
