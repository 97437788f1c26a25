"""``bbcov.report`` gives the same report as ``bbcov report`` on the sample region."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, CtrlCBars

import bbcov

REGION = REPO / "data-samples" / "region"


def quick_region(tmp: Path) -> Path:
    """The sample's region file with absolute paths, a quick radio model, three new sites and a dated layer."""
    if not (REGION / "region.toml").exists():
        pytest.skip("sample region not generated (run `make sample`)")
    text = (REGION / "region.toml").read_text()
    text = re.sub(r'= "([^"]+\.(?:gpkg|tif|csv|geojson))"', lambda m: f'= "{REGION / m.group(1)}"', text)
    path = tmp / "region.toml"
    path.write_text(text + '\n[radio]\nmodel = "diffraction"\nradius_m = 4000\n\n[plan]\nsites = 3\n\n'
                    '[report]\ndates = { households = "2020-10-01" }\n')
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
    dates = {s["key"]: s["date"] for s in numbers["assumptions"]["sources"]}
    assert dates["households"] == "2020-10-01", "[report] dates replace the file's date"


@pytest.mark.parametrize(("table", "error", "cli_error"), [
    ('[report]\nfiber_extension = 3000\n', r"\[report\] unknown field `fiber_extension`", "unknown field `fiber_extension`"),
    ('[report]\ncluster_cell_m = "wide"\n', r"\[report\] invalid type: string \"wide\"", 'invalid type: string "wide"'),
])
def test_tables_are_read_with_the_clis_schema(bbcov_cli: Path, tmp_path: Path, table: str, error: str, cli_error: str) -> None:
    """``[radio]``, ``[plan]`` and ``[report]`` are read by the CLI's structs: the same keys refused, the table named."""
    config = quick_region(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text(re.sub(r"\n\[report\].*", "", config.read_text(), flags=re.S) + "\n" + table)
    with pytest.raises(bbcov.InvalidInputError, match=error):
        bbcov.report(bad, lang="en", output=None, progress=False)
    cli = subprocess.run([str(bbcov_cli), "report", "--quiet", "--config", str(bad), "-o", str(tmp_path / "r.html")],
                         capture_output=True, text=True)
    assert cli.returncode != 0
    assert cli_error in cli.stderr, cli.stderr


def test_bad_model_names_the_table_and_key(tmp_path: Path) -> None:
    config = quick_region(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text(config.read_text().replace('model = "diffraction"', 'model = "hata"'))
    with pytest.raises(bbcov.InvalidInputError, match=r'\[radio\] model: unknown radio model "hata"'):
        bbcov.report(bad, lang="en", output=None, progress=False)


def test_plan_sites_defaults_are_the_region_files() -> None:
    """``plan_sites``'s keyword defaults are those of the region file's ``[radio]`` and ``[plan]`` tables."""
    import inspect

    defaults = bbcov._bbcov.region_defaults()
    params = inspect.signature(bbcov.siting.plan_sites).parameters
    assert params["high_point_radius_m"].default == defaults["plan"]["high_point_radius_m"] == 1_500.0
    assert params["bandwidth_mhz"].default == defaults["plan"]["bandwidth_mhz"] == 20.0
    assert params["radius_m"].default == defaults["radio"]["radius_m"] == 8_000.0
    assert params["model"].default == "itm" and params["p"].default is None
    assert defaults["report"] == {"fiber_extension_m": 2_000.0, "cluster_field": None, "cluster_cell_m": 500.0, "dates": {}}


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
    bars = CtrlCBars(interrupt_at="best server")
    monkeypatch.setattr(tqdm.auto, "tqdm", bars)
    with pytest.raises(KeyboardInterrupt):
        bbcov.report(slow, lang="en", output=None, progress=True)
    assert len(bars.stages) > 1 and bars.stages[-1] == "best server", bars.stages  # earlier stages drew bars too
