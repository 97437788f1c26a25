"""Coverage reports for negotiators, from Python: ``bbcov.report(config, lang, output)``.

The same report as ``bbcov report --config region.toml --lang ja -o report.pdf``:
the region file's layers are read with geopandas / rasterio / pandas (no GDAL
in the extension), reprojected to the DEM's CRS with pyproj, and handed to the
core's pipeline (fiber, radio, unserved, candidates, backhaul, plan, regulator
metrics, fiber extension scenario), the report's assembly and its renderer.

>>> numbers = bbcov.report("data-samples/region/region.toml", lang="en", output="out/report.html")  # doctest: +SKIP
>>> numbers["summary"]["households"]  # doctest: +SKIP
11273.0
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bbcov import _bbcov
from bbcov._fiber import FiberNetwork
from bbcov._households import Households
from bbcov._radio import Dem, _rasterio, sites_from_dataframe
from bbcov.exceptions import InvalidInputError

__all__ = ["report"]

#: Top-level keys of a region file (as the CLI's `RegionConfig`).
_REGION_KEYS = {
    "name", "households", "households_layer", "households_crs", "weight_field", "id_field", "area_fields", "mesh",
    "fiber", "fiber_layer", "fiber_crs", "dem", "towers", "roads", "land", "max_drop_m", "radio", "plan", "report",
}

def _gpd() -> Any:
    import geopandas

    return geopandas


def _crs_text(crs: Any) -> str:
    """``AUTHORITY:CODE`` of a CRS (as GDAL names it in the CLI), else its name; empty without one."""
    if crs is None:
        return ""
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else str(crs.name)


def _date(path: Path) -> str:
    """The modification date (UTC) of a layer's file (``[report] dates`` replace it in the extension)."""
    return _dt.datetime.fromtimestamp(os.stat(path).st_mtime, _dt.UTC).date().isoformat()


def _to_lonlat(epsg: int | None, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> tuple[Any, Any]:
    """Lon/lat (EPSG:4326) of points in EPSG ``epsg`` (None: already lon/lat), for the grid-square metrics."""
    if epsg is None:
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True).transform(x, y)
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def _read_layer(path: Path, layer: str | None, crs: str | None, target: int) -> Any:
    gdf = _gpd().read_file(path, layer=layer)
    if crs is not None:
        gdf = gdf.set_crs(crs, allow_override=True)
    return gdf.to_crs(epsg=target)


def report(config: str | os.PathLike[str], lang: str = "ja", output: str | os.PathLike[str] | None = "report.pdf",
           *, progress: bool = True) -> dict[str, Any]:
    """Makes the coverage report of the region file ``config`` and returns its numbers.

    ``lang``: ``"ja"`` or ``"en"``. ``output``: ``.html`` (self-contained) or
    ``.pdf`` (A4, printed by headless Chromium); beside it go ``<name>.json``
    (the numbers, the dict returned) and ``<name>-tables/`` (a CSV per table
    and ``tables.xlsx``). ``output=None`` writes nothing and skips the maps.
    The region file needs ``dem`` and ``towers``; ``[radio]``, ``[plan]`` and
    ``[report]`` are read as by ``bbcov report`` (``mesh`` is not used).

    Raises :class:`bbcov.InvalidInputError` for a bad region file, language or
    extension, ``OSError`` when the report cannot be written (or no Chromium
    prints the PDF), and the core's errors as their ``BbcovError`` subclasses.
    """
    import pandas as pd

    path = Path(config)
    with open(path, "rb") as f:
        cfg = tomllib.load(f)
    unknown = sorted(set(cfg) - _REGION_KEYS)
    if unknown:
        raise InvalidInputError(f"{path}: unknown field `{unknown[0]}`")
    if "dem" not in cfg or "towers" not in cfg:
        raise InvalidInputError(f"{path}: a report needs `dem` and `towers` in the region file")
    base = path.parent

    def file(key: str) -> Path:
        return base / str(cfg[key])

    # `[radio]`, `[plan]` and `[report]` go to the extension as they are, read there with the
    # CLI's schema (`bbcov_report::region_file`: defaults, known keys); only the path is read here.
    plan = cfg.get("plan")
    listed_path = plan.get("candidates") if isinstance(plan, dict) else None

    dem = Dem.from_rasterio(file("dem"))
    target = dem.epsg
    if target is None:
        raise InvalidInputError(f"{file('dem')}: the DEM must be in a projected CRS")
    areas = list(cfg.get("area_fields", []))
    hh_gdf = _read_layer(file("households"), cfg.get("households_layer"), cfg.get("households_crs"), target)
    households = Households.from_geodataframe(hh_gdf, weight=cfg.get("weight_field"), id=cfg.get("id_field"), areas=areas)
    fiber_gdf = _read_layer(file("fiber"), cfg.get("fiber_layer"), cfg.get("fiber_crs"), target)
    fiber = FiberNetwork.from_geodataframe(fiber_gdf)
    towers_df = pd.read_csv(file("towers"))
    towers = sites_from_dataframe(towers_df, target=dem)
    roads = None
    if "roads" in cfg:
        roads_gdf = _read_layer(file("roads"), None, None, target)
        roads = FiberNetwork.from_geodataframe(roads_gdf)
    candidates = None
    if listed_path is not None:
        listed = _read_layer(base / listed_path, None, None, target) if not str(listed_path).endswith(".csv") else None
        if listed is None:
            df = pd.read_csv(base / listed_path)
            gpd = _gpd()
            listed = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=4326).to_crs(epsg=target)
        candidates = ([(float(p.x), float(p.y)) for p in listed.geometry], [str(i) for i in listed["id"]])

    with _rasterio().open(file("dem")) as ds:
        dem_crs, dem_cells = _crs_text(ds.crs), int(ds.width) * int(ds.height)
    sources = [
        ("households", file("households"), _crs_text(_gpd().read_file(file("households"), layer=cfg.get("households_layer"), rows=1).crs), len(hh_gdf)),
        ("fiber", file("fiber"), _crs_text(_gpd().read_file(file("fiber"), layer=cfg.get("fiber_layer"), rows=1).crs), len(fiber_gdf)),
        ("dem", file("dem"), dem_crs, dem_cells),
        ("towers", file("towers"), "lon/lat", len(towers_df)),
    ]
    if "roads" in cfg:
        sources.append(("roads", file("roads"), _crs_text(_gpd().read_file(file("roads"), rows=1).crs), len(roads_gdf)))
    source_rows = [(key, p.name, crs, int(n), _date(p)) for key, p, crs, n in sources]

    text = _bbcov.region_report(
        households._native,
        fiber._native,
        dem._native,
        list(towers),
        roads=None if roads is None else roads._native,
        candidates=candidates,
        max_drop_m=float(cfg.get("max_drop_m", 300.0)),
        radio=cfg.get("radio"),
        plan=plan,
        report=cfg.get("report"),
        municipality_field="municipality" if "municipality" in areas else None,
        island_field="island" if "island" in areas else None,
        region=str(cfg.get("name", "(unnamed region)")),
        generated_on=_dt.datetime.now(_dt.UTC).date().isoformat(),
        sources=source_rows,
        to_lonlat=_to_lonlat,
        lang=lang,
        output=None if output is None else os.fspath(output),
        progress=progress,
    )
    result: dict[str, Any] = json.loads(text)
    return result
