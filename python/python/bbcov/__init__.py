"""bbcov: broadband coverage of households by fiber and radio.

>>> import bbcov, geopandas as gpd
>>> hh = bbcov.Households.from_geodataframe(gpd.read_file("households.gpkg"), weight="households", areas=["island"])  # doctest: +SKIP
>>> fiber = bbcov.FiberNetwork.from_geodataframe(gpd.read_file("fiber.gpkg"))  # doctest: +SKIP
>>> cov = bbcov.fiber_coverage(hh, fiber, max_drop_m=300)  # doctest: +SKIP
>>> cov.summarize(by="island")  # doctest: +SKIP
>>> dem = bbcov.Dem.from_rasterio("dem.tif")  # doctest: +SKIP
>>> radio = bbcov.radio_coverage(dem, bbcov.sites_from_dataframe(towers, target=dem), model="itm")  # doctest: +SKIP
>>> radio.rsrp_dbm, radio.covered  # doctest: +SKIP
>>> bbcov.siting.max_covering(coverage_lists, weights, p=5)  # doctest: +SKIP
>>> bbcov.siting.plan_sites(dem, hh, fiber, towers, p=5).sites  # a GeoDataFrame with costs  # doctest: +SKIP
>>> bbcov.plot.coverage_map(radio, hh_gdf, status, sites=towers)  # doctest: +SKIP
>>> bbcov.dask.fiber_coverage(hh, fiber, client=client)  # partitioned by 10 km square  # doctest: +SKIP

The computations run in Rust (bbcov-core) on all cores without holding the
GIL; Ctrl-C cancels them. Errors are :class:`BbcovError` subclasses with the
same messages as the Rust library and the ``bbcov`` command.
"""

from __future__ import annotations

import warnings

from bbcov import _bbcov, dask, mesh, plot, siting
from bbcov._analysis import summarize
from bbcov._fiber import FiberCoverage, FiberNetwork, fiber_coverage
from bbcov._households import Households
from bbcov._radio import Dem, RadioCoverage, Site, household_signal, radio_coverage, sites_from_dataframe
from bbcov.report import report
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
    "Dem",
    "DemError",
    "EmptyLayerError",
    "FiberCoverage",
    "FiberNetwork",
    "Households",
    "InvalidInputError",
    "OutOfValidityRangeError",
    "RadioCoverage",
    "Site",
    "StudyAreaTooLargeError",
    "UnknownAreaKeyError",
    "__version__",
    "fiber_coverage",
    "household_signal",
    "dask",
    "mesh",
    "plot",
    "radio_coverage",
    "report",
    "sites_from_dataframe",
    "siting",
    "summarize",
]

if _bbcov.__build_profile__ == "debug":
    warnings.warn(
        "bbcov's extension module was built without optimisations (debug build) and is much slower; "
        "rebuild it with `maturin develop --release` (or scripts/setup-python.sh)",
        BbcovWarning,
        stacklevel=2,
    )
