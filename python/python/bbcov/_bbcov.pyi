# Stubs of the native module (python/src/*.rs), checked by `python -m mypy.stubtest bbcov._bbcov`.
from collections.abc import Callable
from typing import Any, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "__version__",
    "__build_profile__",
    "Households",
    "FiberNetwork",
    "FiberCoverage",
    "fiber_coverage",
    "summarize",
    "mesh_encode",
    "mesh_encode_str",
    "mesh_aggregate",
    "Dem",
    "Site",
    "BestServerMap",
    "radio_coverage",
    "household_signal_arrays",
    "CoverageSets",
    "max_covering",
    "budgeted_covering",
    "target_covering",
    "candidate_sites",
    "Backhaul",
    "backhaul_defaults",
    "plan_site_costs",
    "plan_region",
    "region_defaults",
    "region_report",
]

__version__: str
__build_profile__: str

@final
class Households:
    def __new__(
        cls,
        x: npt.NDArray[np.float64],
        y: npt.NDArray[np.float64],
        *,
        epsg: int | None = None,
        weight: npt.NDArray[np.float64] | None = None,
        ids: list[str] | None = None,
        areas: list[tuple[str, list[str]]] = ...,
    ) -> Households: ...
    def __len__(self) -> int: ...
    @property
    def epsg(self) -> int | None: ...
    @property
    def coords(self) -> npt.NDArray[np.float64]: ...
    @property
    def weights(self) -> npt.NDArray[np.float64]: ...
    @property
    def total_weight(self) -> float: ...
    @property
    def ids(self) -> list[str] | None: ...
    @property
    def area_names(self) -> list[str]: ...
    def area(self, name: str) -> tuple[list[str], npt.NDArray[np.uint32]]: ...

@final
class FiberNetwork:
    def __new__(
        cls,
        coords: npt.NDArray[np.float64],
        offsets: npt.NDArray[np.int64],
        *,
        epsg: int | None = None,
        ids: list[str] | None = None,
    ) -> FiberNetwork: ...
    def __len__(self) -> int: ...
    @property
    def epsg(self) -> int | None: ...
    @property
    def segment_count(self) -> int: ...
    @property
    def length_m(self) -> float | None: ...
    @property
    def ids(self) -> list[str] | None: ...

@final
class FiberCoverage:
    def __len__(self) -> int: ...
    @property
    def distance_m(self) -> npt.NDArray[np.float64]: ...
    @property
    def nearest_line(self) -> npt.NDArray[np.uint32]: ...
    @property
    def served(self) -> npt.NDArray[np.bool_]: ...
    @property
    def max_drop_m(self) -> float: ...
    @property
    def served_count(self) -> int: ...

def fiber_coverage(
    households: Households,
    fiber: FiberNetwork,
    max_drop_m: float = 300.0,
    *,
    progress: bool = False,
) -> FiberCoverage: ...
def summarize(
    households: Households,
    served: npt.NDArray[np.bool_],
    by: str | None = None,
) -> dict[str, npt.NDArray[np.int64] | npt.NDArray[np.float64] | list[str]]: ...
def mesh_encode(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    level: str = "1km",
) -> npt.NDArray[np.uint64]: ...
def mesh_encode_str(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    level: str = "1km",
) -> list[str]: ...
def mesh_aggregate(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64] | None = None,
    level: str = "1km",
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.float64]]: ...

@final
class Dem:
    def __new__(
        cls,
        heights: npt.NDArray[np.float32],
        geotransform: tuple[float, float, float, float, float, float],
        *,
        epsg: int | None,
        nodata: float | None = None,
    ) -> Dem: ...
    @property
    def shape(self) -> tuple[int, int]: ...
    @property
    def geotransform(self) -> list[float]: ...
    @property
    def epsg(self) -> int | None: ...
    @property
    def missing_count(self) -> int: ...
    @property
    def below_sea_level_count(self) -> int: ...
    @property
    def bounds(self) -> list[float]: ...
    @property
    def heights(self) -> npt.NDArray[np.float32]: ...

@final
class Site:
    def __new__(
        cls,
        id: str,
        x: float,
        y: float,
        height_m: float,
        technology: str,
        frequency_mhz: float,
        *,
        bandwidth_mhz: float | None = None,
        tx_power_dbm: float | None = None,
        eirp_dbm: float | None = None,
        azimuth_deg: float | None = None,
        downtilt_deg: float = 0.0,
        gain_dbi: float | None = None,
        feeder_loss_db: float = 0.0,
    ) -> Site: ...
    @property
    def id(self) -> str: ...
    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def height_m(self) -> float: ...
    @property
    def technology(self) -> str: ...
    @property
    def frequency_mhz(self) -> float: ...
    @property
    def bandwidth_mhz(self) -> float: ...
    @property
    def tx_power_dbm(self) -> float: ...
    @property
    def eirp_dbm(self) -> float: ...
    @property
    def rsrp_offset_db(self) -> float: ...

@final
class BestServerMap:
    @property
    def rsrp_dbm(self) -> npt.NDArray[np.float32]: ...
    @property
    def server(self) -> npt.NDArray[np.uint32]: ...
    @property
    def sinr_db(self) -> npt.NDArray[np.float32]: ...
    @property
    def throughput_mbps(self) -> npt.NDArray[np.float32]: ...
    @property
    def covered(self) -> npt.NDArray[np.bool_]: ...
    @property
    def geotransform(self) -> list[float]: ...
    @property
    def epsg(self) -> int | None: ...
    @property
    def dem_offset(self) -> tuple[int, int]: ...
    @property
    def covered_count(self) -> int: ...

def radio_coverage(
    dem: Dem,
    sites: list[Site],
    *,
    radius_m: float = 10000.0,
    model: str = "itm",
    rx_height_m: float = 1.5,
    threshold_dbm: float | None = None,
    load: float = 0.5,
    noise_figure_db: float = 7.0,
    extrapolate: bool = False,
    progress: bool = False,
) -> BestServerMap: ...
def household_signal_arrays(
    dem: Dem,
    sites: list[Site],
    households: Households,
    *,
    radius_m: float = 10000.0,
    model: str = "itm",
    rx_height_m: float = 1.5,
    threshold_dbm: float | None = None,
    load: float = 0.5,
    noise_figure_db: float = 7.0,
    indoor: bool = True,
    extrapolate: bool = False,
    progress: bool = False,
) -> tuple[
    npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.bool_]
]: ...

@final
class CoverageSets:
    def __new__(
        cls,
        lists: list[list[int]],
        weights: list[float],
        *,
        costs: list[float] | None = None,
        locked: list[int] | None = None,
    ) -> CoverageSets: ...
    @staticmethod
    def within_radius(
        demand_x: npt.NDArray[np.float64],
        demand_y: npt.NDArray[np.float64],
        weights: list[float],
        candidates_x: npt.NDArray[np.float64],
        candidates_y: npt.NDArray[np.float64],
        radius_m: float,
        *,
        costs: list[float] | None = None,
        locked: list[int] | None = None,
        progress: bool = False,
    ) -> CoverageSets: ...
    @staticmethod
    def from_radio(
        dem: Dem,
        sites: list[Site],
        households: Households,
        demand: list[int] | None = None,
        *,
        radius_m: float = 10000.0,
        model: str = "itm",
        rx_height_m: float = 1.5,
        threshold_dbm: float | None = None,
        load: float = 0.5,
        noise_figure_db: float = 7.0,
        indoor: bool = True,
        extrapolate: bool = False,
        costs: list[float] | None = None,
        locked: list[int] | None = None,
        progress: bool = False,
    ) -> CoverageSets: ...
    @property
    def demand_points(self) -> int: ...
    @property
    def candidates(self) -> int: ...
    @property
    def total_weight(self) -> float: ...
    def covered_by(self, j: int) -> npt.NDArray[np.uint32]: ...
    def covered_mask(self, sites: list[int]) -> npt.NDArray[np.bool_]: ...

def max_covering(sets: CoverageSets, p: int, *, progress: bool = False) -> dict[str, object]: ...
def budgeted_covering(sets: CoverageSets, budget: float, *, progress: bool = False) -> dict[str, object]: ...
def target_covering(sets: CoverageSets, share: float, *, progress: bool = False) -> dict[str, object]: ...
def candidate_sites(
    dem: Dem,
    *,
    high_point_radius_m: float | None = None,
    high_point_relief_m: float = 30.0,
    grid_spacing_m: float = 0.0,
    structures: tuple[list[float], list[float], list[str]] | None = None,
    user: tuple[list[float], list[float], list[str]] | None = None,
    roads: FiberNetwork | None = None,
    on_land: bool = True,
    max_slope_deg: float | None = None,
    max_road_distance_m: float | None = None,
) -> tuple[list[str], npt.NDArray[np.float64], npt.NDArray[np.float64], list[str]]: ...

@final
class Backhaul:
    def __new__(
        cls,
        dem: Dem,
        candidates: tuple[list[str], list[float], list[float]],
        fiber: FiberNetwork,
        hubs: tuple[list[str], list[float], list[float], list[float]],
        *,
        costs: dict[str, float],
        microwave: dict[str, float] | None,
        detour_factor: float = 1.3,
        max_drop_m: float = 300.0,
    ) -> Backhaul: ...
    def __len__(self) -> int: ...
    @property
    def years(self) -> float: ...
    def columns(self) -> dict[str, list[object]]: ...

def backhaul_defaults() -> tuple[dict[str, float], dict[str, float]]: ...
def plan_site_costs(
    sets: CoverageSets, sites: list[int], new_weight: list[float], locked: int, backhaul: Backhaul
) -> dict[str, list[object]]: ...

def plan_region(
    households: Households,
    fiber: FiberNetwork,
    dem: Dem,
    towers: list[Site],
    *,
    roads: FiberNetwork | None = None,
    candidates: tuple[list[tuple[float, float]], list[str]] | None = None,
    max_drop_m: float,
    radio: dict[str, object],
    plan: dict[str, object],
    costs: dict[str, float],
    microwave: dict[str, float] | None,
    to_lonlat: Callable[[int | None, npt.NDArray[np.float64], npt.NDArray[np.float64]], tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]],
    progress: bool = False,
) -> dict[str, Any]: ...

def region_defaults() -> dict[str, dict[str, Any]]: ...

def region_report(
    households: Households,
    fiber: FiberNetwork,
    dem: Dem,
    towers: list[Site],
    *,
    roads: FiberNetwork | None = None,
    candidates: tuple[list[tuple[float, float]], list[str]] | None = None,
    max_drop_m: float,
    radio: dict[str, object] | None,
    plan: dict[str, object] | None,
    report: dict[str, object] | None,
    municipality_field: str | None,
    island_field: str | None,
    region: str,
    generated_on: str,
    sources: list[tuple[str, str, str, int, str]],
    to_lonlat: Callable[[int | None, npt.NDArray[np.float64], npt.NDArray[np.float64]], tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]],
    lang: str = "ja",
    output: str | None = None,
    progress: bool = False,
) -> str: ...
