"""Executes the notebooks of notebooks/ with nbclient and checks their outputs.

Each notebook runs in a fresh kernel started with this interpreter (the venv's,
so that bbcov and its dependencies are those under test), from the repository
root, offline. A notebook passes when no cell raises (its last cell asserts its
key numbers) and its final "OK: ..." line reports real numbers. The notebooks
read data-samples/region/ (generated here with cargo when missing) and, for
01_fiber_gap, the real census data of ../shared when present.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
REGION = REPO / "data-samples" / "region"
CENSUS = REPO.parent / "shared" / "data" / "real" / "census2015_small_area" / "nagasaki_islands_census2015_points.geojson"
NAMES = ["01_fiber_gap.ipynb", "02_radio_dead_zones.ipynb", "03_siting_plan.ipynb"]
TIMEOUT_S = 120  # per cell; the three notebooks take ~20 s in all


@pytest.fixture(scope="session")
def kernel_name(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A kernel spec "bbcov-test" that runs ipykernel with this interpreter, in a
    temporary JUPYTER_PATH (nothing is installed in the user's ~/.local)."""
    spec_dir = tmp_path_factory.mktemp("jupyter") / "kernels" / "bbcov-test"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "bbcov (test venv)",
        "language": "python",
        "env": {"MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    jupyter_path = str(spec_dir.parent.parent)
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = jupyter_path if not old else jupyter_path + os.pathsep + old
    yield "bbcov-test"
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old


@pytest.fixture(scope="session")
def sample_region() -> Path:
    """data-samples/region/, generated with `cargo run --release -p bbcov-samples` when missing."""
    if not (REGION / "dem.tif").exists():
        cargo = shutil.which("cargo")
        if cargo is None:
            pytest.skip("data-samples/region not generated and cargo not found")
        run = subprocess.run([cargo, "run", "--release", "--quiet", "-p", "bbcov-samples"], cwd=REPO, capture_output=True, text=True)
        if run.returncode != 0 or not (REGION / "dem.tif").exists():
            pytest.skip(f"could not generate data-samples/region:\n{run.stderr[-2000:]}")
    return REGION


def outputs_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif "data" in out:
                parts.append(out["data"].get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_saved_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: commit it with outputs cleared (notebooks/make_notebooks.py)"


def test_notebooks_match_their_generator() -> None:
    run = subprocess.run([sys.executable, str(NOTEBOOKS / "make_notebooks.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("name", NAMES)
def test_notebook_executes(name: str, kernel_name: str, sample_region: Path) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=TIMEOUT_S,
        allow_errors=False,
        resources={"metadata": {"path": str(REPO)}},  # run from the repository root
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as e:
        pytest.fail(f"{name} raised in a cell:\n{e}")
    errors = [out for cell in nb.cells for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert not errors, f"{name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    text = outputs_text(nb)
    assert "Traceback" not in text
    last = nb.cells[-1]
    assert last.cell_type == "code" and "assert" in last.source
    ok = [line for line in text.splitlines() if line.startswith("OK: ")]
    assert ok, f"{name}: no final 'OK: ...' line"
    numbers = [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", ok[-1])]
    assert numbers and any(n > 0 for n in numbers), ok[-1]
    assert not re.search(r"\bnan\b|\binf\b", ok[-1], re.IGNORECASE), ok[-1]
    if name == "01_fiber_gap.ipynb":
        if CENSUS.exists():
            assert "real data:" in text
            assert "51,026 households served" in ok[-1] or "of 51,026 households" in ok[-1], ok[-1]
        else:
            assert "falling back to the fictional sample region" in text
