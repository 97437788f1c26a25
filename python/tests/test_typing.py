"""The type stubs of the native module match it (mypy.stubtest), and the package type-checks (mypy --strict)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # python/, where pyproject.toml configures mypy

mypy = pytest.importorskip("mypy")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=PACKAGE_ROOT, capture_output=True, text=True, check=False)


def test_stubs_match_the_native_module() -> None:
    result = run("mypy.stubtest", "bbcov._bbcov")
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_and_typed_usage_type_check() -> None:
    result = run("mypy")  # files and strictness from [tool.mypy] in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
