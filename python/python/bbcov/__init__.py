"""bbcov: broadband coverage of households by fiber and radio.

>>> import bbcov, geopandas as gpd
>>> hh = bbcov.Households.from_geodataframe(gpd.read_file("households.gpkg"), weight="households", areas=["island"])  # doctest: +SKIP
>>> fiber = bbcov.FiberNetwork.from_geodataframe(gpd.read_file("fiber.gpkg"))  # doctest: +SKIP
>>> cov = bbcov.fiber_coverage(hh, fiber, max_drop_m=300)  # doctest: +SKIP
>>> cov.summarize(by="island")  # doctest: +SKIP

The computations run in Rust (bbcov-core) on all cores without holding the
GIL; Ctrl-C cancels them. Errors are :class:`BbcovError` subclasses with the
same messages as the Rust library and the ``bbcov`` command.
"""

from __future__ import annotations

import warnings

from bbcov import _bbcov, mesh
from bbcov._analysis import summarize
from bbcov._fiber import FiberCoverage, FiberNetwork, fiber_coverage
from bbcov._households import Households
from bbcov.exceptions import (
    BbcovError,
    BbcovWarning,
    CancelledError,
    CrsMismatchError,
    DemError,
    EmptyLayerError,
    InvalidInputError,
    OutOfValidityRangeError,
    StudyAreaTooLargeError,
    UnknownAreaKeyError,
)

__version__: str = _bbcov.__version__

__all__ = [
    "BbcovError",
    "BbcovWarning",
    "CancelledError",
    "CrsMismatchError",
    "DemError",
    "EmptyLayerError",
    "FiberCoverage",
    "FiberNetwork",
    "Households",
    "InvalidInputError",
    "OutOfValidityRangeError",
    "StudyAreaTooLargeError",
    "UnknownAreaKeyError",
    "__version__",
    "fiber_coverage",
    "mesh",
    "summarize",
]

if _bbcov.__build_profile__ == "debug":
    warnings.warn(
        "bbcov's extension module was built without optimisations (debug build) and is much slower; "
        "rebuild it with `maturin develop --release` (or scripts/setup-python.sh)",
        BbcovWarning,
        stacklevel=2,
    )
