"""Served and unserved households per area."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from bbcov import _bbcov
from bbcov._households import Households
from bbcov.exceptions import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

    from bbcov._fiber import FiberCoverage


def summarize(
    households: Households,
    served: FiberCoverage | npt.ArrayLike,
    by: str | None = None,
) -> pd.DataFrame:
    """Served and unserved weight per value of the area key ``by``.

    ``served`` is a :class:`FiberCoverage` (or any boolean array, one flag
    per household). Returns a DataFrame indexed by area (sorted), with a last
    row ``"total"``, and the columns ``points``, ``weight``, ``served_points``,
    ``served_weight``, ``unserved_weight`` and ``served_rate`` (served share of
    the weight, 0 for an area of zero weight). With ``by=None``, the total row
    only. Raises :class:`bbcov.UnknownAreaKeyError` for an unknown key.
    """
    import pandas as pd

    from bbcov._fiber import FiberCoverage

    if not isinstance(households, Households):
        raise TypeError(f"households: expected bbcov.Households, got {type(households).__name__}")
    if isinstance(served, FiberCoverage) and served.households is not households:
        raise InvalidInputError("served: this FiberCoverage was computed for other households")
    flags = served.served if isinstance(served, FiberCoverage) else np.asarray(served)
    if flags.dtype != np.bool_:
        raise TypeError(f"served: expected booleans, got an array of {flags.dtype}")
    columns = _bbcov.summarize(households._native, np.ascontiguousarray(flags).ravel(), by)
    area = columns.pop("area")
    return pd.DataFrame(columns, index=pd.Index(area, name=by or "area"))
