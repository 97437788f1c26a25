"""The exceptions of bbcov: one hierarchy under :class:`BbcovError`.

Every error of the Rust core is raised as one of these classes with the same
message as in Rust. Errors about one record of a layer (a NaN coordinate, a
negative weight, a degenerate line) carry ``layer``, ``index`` (the record's
position, 0-based) and ``id`` (the record's id, when the layer has ids)::

    try:
        hh = bbcov.Households.from_geodataframe(gdf, weight="households")
    except bbcov.InvalidInputError as e:
        print(gdf.iloc[e.index])

Input errors also derive from :class:`ValueError`, so code that catches
``ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = [
    "BbcovError",
    "BbcovWarning",
    "CancelledError",
    "CrsMismatchError",
    "DemError",
    "EmptyLayerError",
    "InvalidInputError",
    "OutOfValidityRangeError",
    "StudyAreaTooLargeError",
    "UnknownAreaKeyError",
]


class BbcovError(Exception):
    """Base class of every error raised by bbcov."""


class InvalidInputError(BbcovError, ValueError):
    """An input (coordinate, weight, geometry, parameter, column) is invalid."""

    #: Layer of the offending record ("households", "fiber routes", ...), when the error is about one record.
    layer: str | None = None
    #: Position (0-based) of the offending record in its layer.
    index: int | None = None
    #: Id of the offending record, when the layer has ids.
    id: str | None = None


class EmptyLayerError(InvalidInputError):
    """A layer has no records."""


class CrsMismatchError(InvalidInputError):
    """Two layers are in different coordinate reference systems."""


class UnknownAreaKeyError(InvalidInputError):
    """No area key column of that name."""


class StudyAreaTooLargeError(InvalidInputError):
    """The layers span more than one local metric frame represents accurately."""


class OutOfValidityRangeError(InvalidInputError):
    """An input is outside the range over which a model is valid."""


class DemError(InvalidInputError):
    """A DEM is unusable, or has no elevation where one is needed."""


class CancelledError(BbcovError):
    """The computation was cancelled."""


class BbcovWarning(UserWarning):
    """Warnings of bbcov (e.g. an extension module built without optimisations)."""
