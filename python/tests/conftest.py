"""Shared fixtures of the bbcov Python tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]

#: JGD2011 / Japan Plane Rectangular CS II (origin 33° N, 131° E), metres.
EPSG_PLANE_II = 6670


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


@pytest.fixture(scope="session")
def bbcov_cli() -> Path:
    """The `bbcov` command: $BBCOV_CLI, or target/debug/bbcov built (or found up to date) by cargo."""
    if os.environ.get("BBCOV_CLI"):
        return Path(os.environ["BBCOV_CLI"])
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("cargo not found and BBCOV_CLI not set: cannot run the bbcov command")
    build = subprocess.run([cargo, "build", "--quiet", "-p", "bbcov-cli"], cwd=REPO, capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(f"cargo build -p bbcov-cli failed:\n{build.stderr}")
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "debug" / "bbcov"
