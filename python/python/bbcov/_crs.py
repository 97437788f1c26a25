"""Coordinate reference systems: what the core is handed, and reprojection with pyproj.

The core takes coordinates either in lon/lat degrees or in a projected metric
CRS identified by its EPSG code. As in bbcov-io (the CLI's reader), a layer in
a projected CRS with an EPSG code and metre units is kept as it is; any other
layer (geographic, or projected without an EPSG code or in feet) is delivered
in lon/lat (EPSG:4326).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from bbcov.exceptions import InvalidInputError

LONLAT = CRS.from_epsg(4326)

FloatArray = npt.NDArray[np.float64]


def parse(crs: Any, layer: str) -> CRS:
    """A pyproj CRS from anything ``pyproj.CRS.from_user_input`` reads."""
    if crs is None:
        raise InvalidInputError(
            f"{layer}: no coordinate reference system; set one (GeoDataFrame.set_crs, or crs=...)"
        )
    try:
        return CRS.from_user_input(crs)
    except CRSError as e:
        raise InvalidInputError(f"{layer}: unknown coordinate reference system {crs!r} ({e})") from None


def core_epsg(source: CRS, layer: str) -> int | None:
    """The CRS the core gets for a layer in ``source``: a projected EPSG code, or None for lon/lat."""
    horizontal = source
    if source.is_compound:
        horizontal = next((c for c in source.sub_crs_list if c.is_projected or c.is_geographic), source)
    if horizontal.is_projected:
        metres = all(a.unit_name in ("metre", "meter") for a in horizontal.axis_info[:2])
        epsg = horizontal.to_epsg()
        return epsg if metres and epsg is not None else None
    if horizontal.is_geographic:
        return None
    raise InvalidInputError(
        f"{layer}: {source.name} is neither geographic nor projected "
        "(geocentric or engineering CRSs are not supported)"
    )


def crs_of(epsg: int | None) -> CRS:
    """The pyproj CRS of a core CRS."""
    return LONLAT if epsg is None else CRS.from_epsg(epsg)


def to_core(source: CRS, epsg: int | None, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Coordinates in ``source`` delivered in the core CRS ``epsg`` (None: lon/lat).

    Non-finite coordinates are passed through untransformed, so that the
    core's error names the record with the values it had.
    """
    target = crs_of(epsg)
    if (epsg is not None and source.to_epsg() == epsg) or source == target:
        return x, y
    finite = np.isfinite(x) & np.isfinite(y)
    x, y = x.copy(), y.copy()
    tx, ty = Transformer.from_crs(source, target, always_xy=True).transform(x[finite], y[finite])
    x[finite], y[finite] = tx, ty
    return x, y
