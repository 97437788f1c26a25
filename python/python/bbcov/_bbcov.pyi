# Stubs of the native module (python/src/*.rs), checked by `python -m mypy.stubtest bbcov._bbcov`.
from typing import final

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
