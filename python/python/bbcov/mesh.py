"""JIS X 0410 grid squares (地域メッシュ), vectorized over numpy arrays.

Levels are named by their nominal side: ``"80km"`` (1st mesh), ``"10km"``
(2nd), ``"1km"`` (3rd, the standard mesh), ``"500m"`` (1/2), ``"250m"``
(1/4) and ``"125m"`` (1/8). Coordinates are longitude and latitude in degrees
(JGD2011 or WGS84; x = longitude first, as everywhere in bbcov).

>>> import bbcov
>>> int(bbcov.mesh.encode(139.745433, 35.658581, level="500m"))  # Tokyo Tower
533935992
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from bbcov import _bbcov

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LEVELS", "aggregate", "encode"]

#: The level names, coarse to fine.
LEVELS = ("80km", "10km", "1km", "500m", "250m", "125m")


def _columns(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], tuple[int, ...]]:
    lon_a, lat_a = np.broadcast_arrays(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return np.ascontiguousarray(lon_a).ravel(), np.ascontiguousarray(lat_a).ravel(), lon_a.shape


def encode(lon: npt.ArrayLike, lat: npt.ArrayLike, level: str = "1km", *, as_str: bool = False) -> npt.NDArray[np.uint64] | npt.NDArray[np.str_]:
    """The code of the grid square of ``level`` containing each point.

    ``lon`` and ``lat`` broadcast against each other (scalars, lists, numpy
    arrays, pandas Series); the result has their shape: ``uint64`` codes, or
    with ``as_str`` the codes' digit strings (leading zeros kept, e.g. for
    squares south of 0°40′ N). A point on a boundary belongs to the square to
    its north / east.

    Raises :class:`bbcov.InvalidInputError` for an unknown level and for a
    point without a code (NaN, or outside latitude 0°–66°40′ N, longitude
    100°–200° E); the message gives the point's position in the flattened input.
    """
    x, y, shape = _columns(lon, lat)
    if as_str:
        return np.asarray(_bbcov.mesh_encode_str(x, y, level), dtype=np.str_).reshape(shape)
    return _bbcov.mesh_encode(x, y, level).reshape(shape)


def aggregate(
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    level: str = "1km",
) -> pd.Series:
    """Total weight (a count without ``weights``) per square of ``level`` that
    holds at least one point: a pandas Series indexed by code (``uint64``), in code order."""
    import pandas as pd

    x, y, shape = _columns(lon, lat)
    w = None if weights is None else np.ascontiguousarray(np.broadcast_to(np.asarray(weights, dtype=np.float64), shape)).ravel()
    codes, totals = _bbcov.mesh_aggregate(x, y, w, level)
    return pd.Series(totals, index=pd.Index(codes, name=f"mesh_{level}"), name="weight" if weights is not None else "count")
