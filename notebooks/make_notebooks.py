"""Writes notebooks/*.ipynb from the cell sources below, with no outputs.

The notebooks are kept in git unexecuted; edit the cells here and rerun
``.venv/bin/python notebooks/make_notebooks.py`` (from the repository root or
anywhere). ``--check`` exits 1 when a notebook on disk differs from what this
script writes (for example after saving it with outputs from Jupyter).
python/tests/test_notebooks.py executes them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

# Finds the repository root (the folder holding data-samples/) from the
# notebook's working directory, so that a notebook runs both from the
# repository root (the tests) and from notebooks/ (Jupyter).
SETUP = '''\
from pathlib import Path

ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "data-samples").is_dir())
REGION = ROOT / "data-samples" / "region"
FIGURES = ROOT / "notebooks" / "figures"   # git-ignored
FIGURES.mkdir(parents=True, exist_ok=True)
if not (REGION / "dem.tif").exists():
    raise FileNotFoundError(f"{REGION} is missing: generate it with `cargo run --release -p bbcov-samples`")
print("repository root:", ROOT)'''

NB1 = [
    new_markdown_cell('''\
# 1. Fiber gap of island municipalities

Which households lie within reach of fiber (a drop of at most 300 m from a route), per municipality.

**Data.** The real 2015 census households of Nagasaki's island municipalities
(e-Stat small areas, one representative point per 町丁・字, weight = households;
`../shared/data/real/census2015_small_area/`, see its `PROVENANCE.md`) when that folder is
present; otherwise the fictional sample region of `data-samples/region/` (a printed note says so).

**Fiber layer.** No real fiber routes are public, so for the census data the layer is built by a
simple, documented rule (the one of `crates/bbcov-io/tests/census_islands.rs`): in each municipality, a
minimum spanning tree (Prim, planar distances in EPSG:6669, JGD2011 / Japan Plane Rectangular CS I)
over the small areas with at least 100 households, each tree edge a straight line. It is an
illustration of the method, **not** the real fiber network: straight edges cross the sea between
islands, and small areas are points, not buildings. With the sample region, its own `fiber.gpkg` is used.'''),
    new_code_cell(SETUP),
    new_code_cell('''\
import geopandas as gpd
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from shapely.geometry import LineString

import bbcov

CENSUS = ROOT.parent / "shared" / "data" / "real" / "census2015_small_area" / "nagasaki_islands_census2015_points.geojson"
MAX_DROP_M = 300.0
MST_MIN_HOUSEHOLDS = 100
# Household totals per municipality published with the data (PROVENANCE.md, 2015 census).
CENSUS_TOTALS = {"対馬市": 13_393, "壱岐市": 10_002, "五島市": 17_425, "小値賀町": 1_210, "新上五島町": 8_996}
ROMAN = {"対馬市": "Tsushima", "壱岐市": "Iki", "五島市": "Goto", "小値賀町": "Ojika", "新上五島町": "Shin-Kamigoto"}

REAL = CENSUS.exists()
if REAL:
    print(f"real data: {CENSUS.relative_to(ROOT.parent)}")
    raw = gpd.read_file(CENSUS)                       # EPSG:4612 (JGD2000) lon/lat
    points = raw.to_crs(6669)                         # JGD2011 / Japan Plane Rectangular CS I, metres
    points["municipality"] = points["city"]
    WEIGHT, ID = "households_2015", "KEY_CODE"
else:
    print(f"NOTE: {CENSUS} not found; falling back to the fictional sample region in data-samples/region/")
    points = gpd.read_file(REGION / "households.gpkg")
    WEIGHT, ID = "households", "hh_id"
points[ID] = points[ID].astype(str) + "-" + pd.Series(range(len(points)), index=points.index).astype(str)
households = bbcov.Households.from_geodataframe(points, weight=WEIGHT, id=ID, areas=["municipality"])
print(households, "| total weight:", households.total_weight)'''),
    new_code_cell('''\
def spanning_tree_fiber(points: gpd.GeoDataFrame, weight: str, min_weight: float) -> gpd.GeoDataFrame:
    """Per municipality, a minimum spanning tree (Prim) over the points with at least
    `min_weight` households; one straight LineString per tree edge, in the points' CRS."""
    lines, towns = [], []
    for town, group in points[points[weight] >= min_weight].groupby("municipality"):
        xy = np.column_stack([group.geometry.x, group.geometry.y])
        n = len(xy)
        inside = np.zeros(n, dtype=bool)
        best = np.full(n, np.inf)
        parent = np.zeros(n, dtype=int)
        current = 0
        for _ in range(n - 1):
            inside[current] = True
            d = np.hypot(*(xy - xy[current]).T)
            closer = ~inside & (d < best)
            best[closer], parent[closer] = d[closer], current
            nxt = int(np.argmin(np.where(inside, np.inf, best)))
            lines.append(LineString([xy[parent[nxt]], xy[nxt]]))
            towns.append(town)
            current = nxt
    return gpd.GeoDataFrame({"municipality": towns}, geometry=lines, crs=points.crs)


if REAL:
    fiber_gdf = spanning_tree_fiber(points, WEIGHT, MST_MIN_HOUSEHOLDS)
    print(f"fiber by rule: {len(fiber_gdf)} edges, {fiber_gdf.length.sum() / 1000:.1f} km (straight lines)")
else:
    fiber_gdf = gpd.read_file(REGION / "fiber.gpkg")
    print(f"sample fiber: {len(fiber_gdf)} routes, {fiber_gdf.length.sum() / 1000:.1f} km")
fiber = bbcov.FiberNetwork.from_geodataframe(fiber_gdf)
fiber'''),
    new_code_cell('''\
cov = bbcov.fiber_coverage(households, fiber, max_drop_m=MAX_DROP_M, progress=False)
summary = cov.summarize(by="municipality")
summary'''),
    new_code_cell('''\
table = summary.assign(served_pct=(100 * summary["served_rate"]).round(1))
table = table[["points", "weight", "served_weight", "unserved_weight", "served_pct"]]
if REAL:
    table.insert(0, "name", [ROMAN.get(a, a) for a in table.index])
    table["census_total"] = [CENSUS_TOTALS.get(a, sum(CENSUS_TOTALS.values())) for a in table.index]
table'''),
    new_code_cell('''\
gdf = cov.to_geodataframe().to_crs(fiber_gdf.crs)   # households and fiber in one CRS for the map
size = 3 + (60 if REAL else 10) * np.sqrt(gdf[WEIGHT] / gdf[WEIGHT].max())
fig, ax = plt.subplots(figsize=(8, 9))
fiber_gdf.plot(ax=ax, color="tab:blue", linewidth=0.8, label="fiber")
unserved_mask = ~gdf["fiber_served"] & (gdf[WEIGHT] > 0)
gdf[gdf["fiber_served"]].plot(ax=ax, color="tab:green", markersize=size[gdf["fiber_served"]], label="served")
gdf[unserved_mask].plot(ax=ax, color="tab:red", markersize=size[unserved_mask], label="unserved")
for town, group in gdf.groupby("municipality"):
    cx, cy = group.geometry.x.median(), group.geometry.y.max()
    ax.annotate(ROMAN.get(town, town), (cx, cy), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=9)
ax.set_title(f"Households within {MAX_DROP_M:.0f} m of fiber "
             + ("(2015 census small areas; fiber = spanning-tree rule)" if REAL else "(sample region)"), fontsize=10)
ax.set_xlabel(f"x (m, {gdf.crs.to_string()})")
ax.set_ylabel("y (m)")
ax.set_aspect("equal")
ax.legend(loc="lower right")
fig.tight_layout()
map_path = FIGURES / "01_fiber_gap.png"
fig.savefig(map_path, dpi=110)
print("saved", map_path.relative_to(ROOT))'''),
    new_markdown_cell("Checks: the key numbers are real and consistent."),
    new_code_cell('''\
total = summary.loc["total"]
areas = summary.drop(index="total")
assert len(cov) == len(households) > 0
assert total["weight"] == households.total_weight > 0
assert total["served_weight"] + total["unserved_weight"] == total["weight"]
assert (areas["served_weight"] + areas["unserved_weight"] == areas["weight"]).all()
assert areas["weight"].sum() == total["weight"]
assert summary["served_rate"].between(0, 1).all()
assert 0 < total["served_rate"] < 1, "a fiber gap is expected: neither everyone nor no one served"
assert np.isfinite(cov.distance_m).all() and (cov.distance_m >= 0).all()
assert cov.served.sum() == total["served_points"]
assert (cov.served == (cov.distance_m <= MAX_DROP_M)).all()
assert map_path.stat().st_size > 10_000
if REAL:
    assert {a: int(w) for a, w in areas["weight"].items()} == CENSUS_TOTALS
    assert int(total["weight"]) == sum(CENSUS_TOTALS.values()) == 51_026
print(f"OK: {int(total['served_weight']):,} of {int(total['weight']):,} households served "
      f"({100 * total['served_rate']:.1f} %), {int(total['unserved_weight']):,} unserved")'''),
]

NB2 = [
    new_markdown_cell('''\
# 2. Radio dead zones (sample region)

Households of the fictional sample region (`data-samples/region/`) that neither fiber
(a drop of at most 300 m) nor the 12 existing towers (best-server RSRP above the
technology's threshold, indoors) reach.

Radio: `bbcov.radio_coverage` with the `diffraction` model (free space + Bullington
diffraction over the DEM profile) and a 6 km radius per site, so that the map computes in
a few seconds; `model="itm"` gives Longley-Rice, slower. `bbcov.household_signal` computes
the same at each household's exact position, with O2I indoor penetration loss.'''),
    new_code_cell(SETUP),
    new_code_cell('''\
import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import bbcov

MODEL, RADIUS_M, MAX_DROP_M = "diffraction", 6_000.0, 300.0

dem = bbcov.Dem.from_rasterio(REGION / "dem.tif")
towers = pd.read_csv(REGION / "towers.csv")
sites = bbcov.sites_from_dataframe(towers, crs="EPSG:6668", target=dem)   # lon/lat JGD2011 -> the DEM's EPSG:6670
hh_gdf = gpd.read_file(REGION / "households.gpkg")
households = bbcov.Households.from_geodataframe(hh_gdf, weight="households", id="hh_id", areas=["municipality", "island"])
fiber_gdf = gpd.read_file(REGION / "fiber.gpkg")
land = gpd.read_file(REGION / "land.geojson").to_crs(dem.crs)
print(dem, "|", len(sites), "sites |", households)
towers[["site_id", "technology", "frequency_mhz", "height_m", "eirp_dbm", "azimuth"]]'''),
    new_code_cell('''\
radio = bbcov.radio_coverage(dem, sites, radius_m=RADIUS_M, model=MODEL, progress=False)
rsrp = radio.rsrp_dbm
print(radio)
print(f"covered cells: {radio.covered_count:,} of {rsrp.size:,} in the map; "
      f"RSRP {np.nanmin(rsrp):.1f} .. {np.nanmax(rsrp):.1f} dBm")'''),
    new_code_cell('''\
signal = bbcov.household_signal(dem, sites, households, radius_m=RADIUS_M, model=MODEL)
fiber_cov = bbcov.fiber_coverage(households, bbcov.FiberNetwork.from_geodataframe(fiber_gdf), max_drop_m=MAX_DROP_M, progress=False)

by_fiber = fiber_cov.served
by_radio = signal["covered"].to_numpy()
served_any = by_fiber | by_radio
dead = ~served_any
weights = households.weights

status = pd.DataFrame({
    "households": [weights[by_fiber & by_radio].sum(), weights[by_fiber & ~by_radio].sum(),
                   weights[~by_fiber & by_radio].sum(), weights[dead].sum()],
}, index=pd.Index(["fiber and radio", "fiber only", "radio only", "neither (dead zone)"], name="served by"))
status["share"] = (status["households"] / weights.sum()).round(4)
status'''),
    new_code_cell('''\
summary = bbcov.summarize(households, served_any, by="island")
summary["dead_zone_households"] = summary["unserved_weight"]
summary[["points", "weight", "served_weight", "dead_zone_households", "served_rate"]]'''),
    new_markdown_cell('''\
## Maps

`bbcov.plot.coverage_map` draws the RSRP raster (placed by its transform, in the DEM's CRS), the
households coloured by service status (`bbcov.plot.service_status`: fiber and radio / fiber only /
radio only / neither) and the towers, with km axes and a scale bar; it returns the matplotlib
figure and axes, so more layers can be added (here the coastline).'''),
    new_code_cell('''\
service = bbcov.plot.service_status(by_fiber, by_radio)
fig, ax = bbcov.plot.coverage_map(radio, hh_gdf, service, sites=sites, figsize=(10, 8),
                                  title=f"RSRP ({MODEL}, {RADIUS_M / 1000:.0f} km per site) and households by service")
land.boundary.plot(ax=ax, color="0.3", linewidth=0.5)
map_path = FIGURES / "02_radio_dead_zones.png"
fig.savefig(map_path, dpi=100)
print("saved", map_path.relative_to(ROOT))'''),
    new_markdown_cell('''\
The same layers on an interactive map (`bbcov.plot.interactive_map`, Bokeh): pan, zoom, hover a
household for its id and status, click a legend entry to hide its layer. BokehJS is inlined, so it
works offline, in Jupyter and as the standalone HTML file saved next to the figures.'''),
    new_code_cell('''\
m = bbcov.plot.interactive_map(radio, hh_gdf, service, sites=sites, columns=["hh_id", "households", "island"],
                               title="Sample Islands: RSRP and households by service")
html_path = FIGURES / "02_radio_dead_zones.html"
bbcov.plot.save_html(m, html_path)
print("saved", html_path.relative_to(ROOT))
bbcov.plot.show(m)'''),
    new_markdown_cell("Checks: the key numbers are real and consistent."),
    new_code_cell('''\
total = summary.loc["total"]
n_total = weights.sum()
assert n_total == hh_gdf["households"].sum() > 0
assert len(signal) == len(households) and list(signal.index) == list(hh_gdf["hh_id"])
assert status["households"].sum() == n_total
assert total["served_weight"] + total["unserved_weight"] == total["weight"] == n_total
assert total["unserved_weight"] == weights[dead].sum() > 0
assert summary["served_rate"].between(0, 1).all()
assert 0 < by_radio.mean() < 1 and 0 < by_fiber.mean() < 1
assert radio.covered_count > 0 and np.nanmax(rsrp) > -80 and np.isfinite(signal["rsrp_dbm"]).sum() > 0
# a household that household_signal counts as covered has a serving site and a finite RSRP
assert signal.loc[signal["covered"], "serving_site"].notna().all()
assert np.isfinite(signal.loc[signal["covered"], "rsrp_dbm"]).all()
assert map_path.stat().st_size > 10_000
layers = {r.name: r.data_source.data for r in m.renderers}
assert list(layers) == ["coverage", "households", "unserved", "sites"]
assert len(layers["households"]["x"]) == len(hh_gdf) and len(layers["unserved"]["x"]) == dead.sum()
assert (np.asarray(service) == "none").sum() == dead.sum() and html_path.stat().st_size > 500_000
print(f"OK: {int(n_total):,} households; fiber {by_fiber.mean():.1%} of points, radio {by_radio.mean():.1%}; "
      f"dead zones {int(weights[dead].sum()):,} households ({weights[dead].sum() / n_total:.1%})")'''),
]

NB3 = [
    new_markdown_cell('''\
# 3. Siting plan with costs (sample region)

Where to put 3 or 5 new towers so that they reach the most households that neither fiber
nor the existing towers reach (the dead zones of notebook 2, recomputed here).

1. **Demand**: the dead-zone households (weight = households per building).
2. **Candidates**: a 1 km grid of DEM cells on land (at least 10 m above sea level), computed in numpy,
   kept where a dead-zone household lies within the radio radius.
3. **Coverage lists**: for each candidate, a hypothetical 4G 800 MHz tower (30 m, 60 dBm EIRP, omni) and
   `bbcov.household_signal` at the dead-zone households: the candidate covers those with RSRP above threshold.
   (`bbcov.siting.CoverageSets.within_radius` is the distance-only fallback; it is shown for comparison.)
4. **Plan**: `bbcov.siting.max_covering` with p = 3 and 5: objective (households covered), Lagrangian bound and gap.
5. **Plan with backhaul and costs**: `bbcov.siting.plan_sites` (the `bbcov plan` pipeline) returns the plan
   as a GeoDataFrame with per-site costs. **The unit costs are assumptions for illustration, not real quotes.**'''),
    new_code_cell(SETUP),
    new_code_cell('''\
import geopandas as gpd
import numpy as np
import pandas as pd

import bbcov

MODEL, RADIUS_M, MAX_DROP_M = "diffraction", 6_000.0, 300.0
CANDIDATE = dict(height_m=30.0, technology="4G", frequency_mhz=800.0, eirp_dbm=60.0)   # assumed new tower
GRID_M, MIN_HEIGHT_M = 1_000.0, 10.0

dem = bbcov.Dem.from_rasterio(REGION / "dem.tif")
sites = bbcov.sites_from_dataframe(pd.read_csv(REGION / "towers.csv"), crs="EPSG:6668", target=dem)
hh_gdf = gpd.read_file(REGION / "households.gpkg")
households = bbcov.Households.from_geodataframe(hh_gdf, weight="households", id="hh_id", areas=["island"])
fiber_gdf = gpd.read_file(REGION / "fiber.gpkg")
fiber = bbcov.FiberNetwork.from_geodataframe(fiber_gdf)

by_fiber = bbcov.fiber_coverage(households, fiber, max_drop_m=MAX_DROP_M, progress=False).served
by_radio = bbcov.household_signal(dem, sites, households, radius_m=RADIUS_M, model=MODEL)["covered"].to_numpy()
dead = ~(by_fiber | by_radio)
dead_gdf = hh_gdf[dead].to_crs(dem.crs).reset_index(drop=True)
demand = bbcov.Households.from_geodataframe(dead_gdf, weight="households", id="hh_id", areas=["island"])
demand_xy = demand.coords
weights = demand.weights
print(f"demand: {len(demand)} buildings, {weights.sum():.0f} households in dead zones "
      f"(of {households.total_weight:.0f})")'''),
    new_code_cell('''\
# Candidate grid on land, in numpy: every GRID_M / 30 m-th DEM cell at least MIN_HEIGHT_M above sea level.
heights = dem.heights
x0, dx, _, y0, _, dy = dem.geotransform
step = int(round(GRID_M / dx))
rows, cols = np.mgrid[step // 2:heights.shape[0]:step, step // 2:heights.shape[1]:step]
on_land = heights[rows, cols] >= MIN_HEIGHT_M
cand_xy = np.column_stack([x0 + (cols[on_land] + 0.5) * dx, y0 + (rows[on_land] + 0.5) * dy])
cand_ground = heights[rows[on_land], cols[on_land]].astype(np.float64)
# keep the candidates with a dead-zone household within the radius
near = np.array([(np.hypot(*(demand_xy - c).T) <= RADIUS_M).any() for c in cand_xy])
print(f"{on_land.sum()} grid points on land, {near.sum()} within {RADIUS_M / 1000:.0f} km of a dead zone")
cand_xy, cand_ground = cand_xy[near], cand_ground[near]'''),
    new_code_cell('''\
# Coverage list of each candidate: the dead-zone households its signal covers (indoor, exact profiles).
candidates = [bbcov.Site(f"C{j:03d}", float(x), float(y), **CANDIDATE) for j, (x, y) in enumerate(cand_xy)]
lists = []
for site in candidates:
    sig = bbcov.household_signal(dem, [site], demand, radius_m=RADIUS_M, model=MODEL)
    lists.append(np.flatnonzero(sig["covered"].to_numpy()))
sets = bbcov.siting.CoverageSets(lists, weights)
print(sets, "| largest list:", max(len(l) for l in lists), "buildings")

# distance-only fallback, for comparison: a candidate covers every dead-zone household within 3 km
sets_3km = bbcov.siting.CoverageSets.within_radius(demand_xy, weights, cand_xy, radius_m=3_000)'''),
    new_code_cell('''\
plans = {}
rows_ = []
for label, s in [("household_signal", sets), ("within 3 km (fallback)", sets_3km)]:
    for p in (3, 5):
        plan = bbcov.siting.max_covering(s, p=p)
        plans[(label, p)] = plan
        rows_.append({"coverage": label, "p": p, "sites": [candidates[j].id for j in plan.sites],
                      "objective (households)": plan.objective, "bound": round(plan.bound, 1),
                      "gap": round(plan.gap, 4), "covered_share": round(plan.covered_share, 4),
                      "proven_optimal": plan.proven_optimal})
plan_table = pd.DataFrame(rows_)
plan_table'''),
    new_markdown_cell('''\
## The plan with backhaul and costs

`bbcov.siting.plan_sites` runs the pipeline of the `bbcov plan` command on the same layers:
candidates (terrain high points, a 2 km grid and the existing towers; on land, slope at most 30°,
within 1 km of a road), a 5G 1.8 GHz omni site per candidate (40 m mast, 60 dBm EIRP), its coverage
of the unserved households over the terrain, the backhaul of each candidate (a fiber extension,
straight line × 1.3, or a microwave hop with 60 % first-Fresnel-zone clearance to a tower or a
fiber-connected candidate, whichever costs less over the years), and the plan. The plan comes back as
a GeoDataFrame with one row per site: households it covers and newly serves, backhaul kind and
length, capex, opex per year, lifetime cost and cost per newly served household.

**The costs are bbcov's illustrative defaults (`CostTable`: site ¥30 M, fiber ¥5 M per km,
microwave link ¥3 M, operation per year), assumptions for illustration, not real prices.**'''),
    new_code_cell('''\
COSTS = bbcov.siting.CostTable(years=10)   # ASSUMED unit costs in yen, illustrative only
roads = gpd.read_file(REGION / "roads.gpkg")
result = bbcov.siting.plan_sites(dem, households, fiber, sites, p=5, model=MODEL, radius_m=RADIUS_M, roads=roads, costs=COSTS)
plan_gdf = result.sites
print(f"{result.summary['candidates']} candidates; gap {result.plan.gap:.2%}")
plan_gdf[["order", "site_id", "source", "covered_households", "new_households", "backhaul", "backhaul_km",
          "backhaul_to", "capex", "opex_per_year", "lifetime_cost", "cost_per_new_household"]].round(2)'''),
    new_code_cell('''\
pd.Series(result.summary).to_frame("plan")'''),
    new_code_cell('''\
service = bbcov.plot.service_status(by_fiber, by_radio)
fig, ax = bbcov.plot.coverage_map(None, hh_gdf, service, sites=sites, new_sites=plan_gdf, crs=dem.crs,
                                  title="Households by service, existing towers and the 5 planned sites")
for _, row in plan_gdf.iterrows():
    ax.annotate(f"{row.site_id} ({row.backhaul})", (row.geometry.x, row.geometry.y), xytext=(6, 6),
                textcoords="offset points", fontsize=8)
plan_path = FIGURES / "03_siting_plan.png"
fig.savefig(plan_path, dpi=100)
print("saved", plan_path.relative_to(ROOT))'''),
    new_markdown_cell("Checks: the key numbers are real and consistent."),
    new_code_cell('''\
total_dead = weights.sum()
assert total_dead == hh_gdf.loc[dead, "households"].sum() > 0
assert sets.total_weight == sets_3km.total_weight == total_dead
assert len(candidates) == sets.candidates > 5
for (label, p), plan in plans.items():
    s = sets if label == "household_signal" else sets_3km
    assert 0 < len(plan.sites) <= p
    assert 0 < plan.objective <= plan.bound + 1e-6
    assert 0 <= plan.gap <= 1 and 0 < plan.covered_share <= 1
    assert abs(plan.covered_share - plan.objective / total_dead) < 1e-9
    # the objective is the weight of the union of the chosen coverage lists
    assert abs(weights[s.covered_mask(plan.sites)].sum() - plan.objective) < 1e-6
    assert abs(sum(plan.marginal_gain) - plan.objective) < 1e-6
assert plans[("household_signal", 5)].objective >= plans[("household_signal", 3)].objective
years = result.backhaul.years
assert len(plan_gdf) == len(result.plan.sites) == 5
assert np.allclose(plan_gdf["lifetime_cost"], plan_gdf["capex"] + years * plan_gdf["opex_per_year"])
assert np.allclose(plan_gdf["cost_per_new_household"], plan_gdf["lifetime_cost"] / plan_gdf["new_households"])
assert plan_gdf["new_households"].sum() == result.plan.covered_weight == result.summary["newly_served"] > 0
assert (plan_gdf["covered_households"] >= plan_gdf["new_households"]).all()
assert set(plan_gdf["backhaul"]) <= {"fiber", "microwave"} and (plan_gdf["capex"] >= COSTS.site_capex).all()
assert abs(plan_gdf["lifetime_cost"].sum() - result.plan.cost) < 1e-3
assert result.summary["unserved_after"] == result.summary["unserved_before"] - result.plan.covered_weight
assert plan_path.stat().st_size > 10_000
p3, p5 = plans[("household_signal", 3)], plans[("household_signal", 5)]
print(f"OK: {total_dead:.0f} dead-zone households; p=3 covers {p3.objective:.0f} (gap {p3.gap:.2%}), "
      f"p=5 covers {p5.objective:.0f} (gap {p5.gap:.2%}); plan_sites: 5 new 5G sites serve "
      f"{result.plan.covered_weight:.0f} of {result.summary['unserved_before']:.0f} unserved households for an assumed "
      f"¥{result.plan.cost / 1e6:.0f} M over {years:.0f} years")'''),
]

NOTEBOOKS = {"01_fiber_gap.ipynb": NB1, "02_radio_dead_zones.ipynb": NB2, "03_siting_plan.ipynb": NB3}


def build(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"  # stable ids: rerunning the script gives the same bytes
    return nb


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, cells in NOTEBOOKS.items():
        text = nbformat.writes(build(cells)) + "\n"
        path = HERE / name
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print("wrote", path)
    if stale:
        print("not up to date (run notebooks/make_notebooks.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
