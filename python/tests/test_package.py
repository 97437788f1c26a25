"""The package itself: exports, exception hierarchy, the debug-build warning."""

from __future__ import annotations

import subprocess
import sys

import pytest

import bbcov


def test_version_and_exports() -> None:
    assert bbcov.__version__ == bbcov._bbcov.__version__
    for name in bbcov.__all__:
        assert hasattr(bbcov, name), name
    assert bbcov._bbcov.__build_profile__ in ("debug", "release")


@pytest.mark.parametrize(
    "cls",
    [
        bbcov.InvalidInputError,
        bbcov.EmptyLayerError,
        bbcov.CrsMismatchError,
        bbcov.UnknownAreaKeyError,
        bbcov.StudyAreaTooLargeError,
        bbcov.OutOfValidityRangeError,
        bbcov.DemError,
    ],
)
def test_input_errors_are_value_errors(cls: type[Exception]) -> None:
    assert issubclass(cls, bbcov.BbcovError) and issubclass(cls, ValueError)


def test_cancelled_is_not_a_value_error() -> None:
    assert issubclass(bbcov.CancelledError, bbcov.BbcovError) and not issubclass(bbcov.CancelledError, ValueError)


def test_debug_build_warns_on_import() -> None:
    script = (
        "import importlib, warnings, bbcov, bbcov._bbcov as native\n"
        "native.__build_profile__ = 'debug'\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    importlib.reload(bbcov)\n"
        "print([str(x.category.__name__) + ': ' + str(x.message) for x in w])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert "BbcovWarning: bbcov's extension module was built without optimisations" in out
