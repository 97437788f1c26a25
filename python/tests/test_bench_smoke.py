"""benches/python_overhead.py in its smoke mode (10k seeded households): it runs, and both tools agree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


@pytest.fixture(scope="session")
def fiber_peer_input() -> Path:
    """The Rust runner: target/release/fiber_peer_input when built, else a debug build made by cargo."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    release = target / "release" / "fiber_peer_input"
    if release.exists():
        return release
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("cargo not found: cannot build fiber_peer_input")
    build = subprocess.run([cargo, "build", "--quiet", "-p", "bbcov-benches", "--bin", "fiber_peer_input"], cwd=REPO,
                           capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(f"cargo build -p bbcov-benches --bin fiber_peer_input failed:\n{build.stderr}")
    return target / "debug" / "fiber_peer_input"


def test_python_overhead_smoke(fiber_peer_input: Path) -> None:
    run = subprocess.run([sys.executable, str(REPO / "benches" / "python_overhead.py"), "--smoke", "--repeat", "1",
                          "--bin", str(fiber_peer_input)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr + run.stdout
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["job"] == "python-overhead" and result["n"] == 10_000
    assert result["same_result"] is True
    assert result["rust_seconds"] > 0 and result["python_seconds"] > 0
    assert "Python overhead:" in run.stdout
