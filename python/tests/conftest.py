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


class CtrlCBars:
    """A stand-in for ``tqdm.auto.tqdm`` that records each bar's stage and
    presses Ctrl-C once the stage ``interrupt_at`` starts."""

    def __init__(self, interrupt_at: str) -> None:
        self.stages: list[str] = []
        self.interrupt_at = interrupt_at

    def __call__(self, *args: object, desc: str = "", **kwargs: object) -> CtrlCBars:
        import _thread
        import threading

        self.stages.append(desc)
        if desc == self.interrupt_at and self.stages.count(desc) == 1:
            threading.Timer(0.05, _thread.interrupt_main).start()  # outside the bar's own Python code
        return self

    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass
