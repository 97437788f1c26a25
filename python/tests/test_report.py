"""``bbcov.report`` gives the same report as ``bbcov report`` on the sample region."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

import bbcov

REGION = REPO / "data-samples" / "region"


def quick_region(tmp: Path) -> Path:
    """The sample's region file with absolute paths, a quick radio model and three new sites."""
    if not (REGION / "region.toml").exists():
        pytest.skip("sample region not generated (run `make sample`)")
    text = (REGION / "region.toml").read_text()
    text = re.sub(r'= "([^"]+\.(?:gpkg|tif|csv|geojson))"', lambda m: f'= "{REGION / m.group(1)}"', text)
    path = tmp / "region.toml"
    path.write_text(text + '\n[radio]\nmodel = "diffraction"\nradius_m = 4000\n\n[plan]\nsites = 3\n')
    return path


def test_report_equals_the_cli(bbcov_cli: Path, tmp_path: Path) -> None:
    config = quick_region(tmp_path)
    cli_out = tmp_path / "cli" / "report.html"
    subprocess.run(
        [str(bbcov_cli), "report", "--quiet", "--config", str(config), "--lang", "en", "-o", str(cli_out)],
        check=True, capture_output=True, text=True,
    )
    expected = json.loads((tmp_path / "cli" / "report.json").read_text())

    py_out = tmp_path / "py" / "report.html"
    numbers = bbcov.report(config, lang="en", output=py_out, progress=False)
    assert numbers == expected
    assert json.loads((tmp_path / "py" / "report.json").read_text()) == expected
    assert py_out.stat().st_size > 100_000, "the HTML embeds the three maps"
    assert (tmp_path / "py" / "report-tables" / "tables.xlsx").exists()
    summary = numbers["summary"]
    assert summary["households"] == sum(m["households"] for m in numbers["municipalities"])
    assert [s["key"] for s in numbers["scenarios"]] == ["baseline", "fiber_extension", "new_sites", "combined"]


def test_bad_language_is_an_input_error(tmp_path: Path) -> None:
    config = quick_region(tmp_path)
    with pytest.raises(bbcov.InvalidInputError, match="unknown report language"):
        bbcov.report(config, lang="fr", output=tmp_path / "r.html")
    with pytest.raises(bbcov.InvalidInputError, match=r"\.html or \.pdf"):
        bbcov.report(config, lang="en", output=tmp_path / "r.docx")


def test_progress_bar_and_ctrl_c(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline's stages draw tqdm bars; Ctrl-C cancels the report with KeyboardInterrupt."""
    import tqdm.auto

    config = quick_region(tmp_path)
    slow = tmp_path / "slow.toml"  # the sample's own settings: ITM over 8 km, whose best-server maps take seconds
    slow.write_text(re.sub(r"\n\[radio\].*", "", config.read_text(), flags=re.S))
    bars = _Bars(interrupt_at="best server")
    monkeypatch.setattr(tqdm.auto, "tqdm", bars)
    with pytest.raises(KeyboardInterrupt):
        bbcov.report(slow, lang="en", output=None, progress=True)
    assert len(bars.stages) > 1 and bars.stages[-1] == "best server", bars.stages  # earlier stages drew bars too


class _Bars:
    """A stand-in for ``tqdm.auto.tqdm`` that records each bar's stage and
    presses Ctrl-C once the stage ``interrupt_at`` starts."""

    def __init__(self, interrupt_at: str) -> None:
        self.stages: list[str] = []
        self.interrupt_at = interrupt_at

    def __call__(self, *args: object, desc: str = "", **kwargs: object) -> _Bars:
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
