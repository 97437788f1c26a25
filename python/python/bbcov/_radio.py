"""Radio coverage over terrain: DEMs, base-station sites, best-server maps and the signal at households."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from bbcov import _bbcov, _crs
from bbcov._households import Households
from bbcov.exceptions import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd
    from pyproj import CRS

#: A site (``bbcov.Site``) as the core takes it.
Site = _bbcov.Site

#: Radio models, as the ``bbcov radio --model`` option names them.
MODELS = ("itm", "diffraction", "rma", "uma", "umi")


def _rasterio() -> Any:
    """rasterio, imported lazily (an optional dependency)."""
    try:
        return importlib.import_module("rasterio")
    except ImportError:
        raise ImportError(
            "this needs rasterio, which is not installed: pip install rasterio (optional dependency of bbcov)"
        ) from None


def _geotransform(transform: Any) -> tuple[float, float, float, float, float, float]:
    """GDAL's six numbers from an affine.Affine (or anything with ``to_gdal``) or a GDAL 6-tuple."""
    if hasattr(transform, "to_gdal"):
        values = tuple(float(v) for v in transform.to_gdal())
    else:
        try:
            values = tuple(float(v) for v in transform)
        except (TypeError, ValueError):
            raise InvalidInputError(
                f"DEM: transform must be an affine.Affine or a GDAL geotransform of 6 numbers, got {transform!r}"
            ) from None
    if len(values) != 6:
        raise InvalidInputError(f"DEM: a GDAL geotransform has 6 numbers, got {len(values)}")
    return values[0], values[1], values[2], values[3], values[4], values[5]


def _dem_epsg(crs: Any) -> int | None:
    """The EPSG code the core gets for a DEM's CRS; None (lon/lat) makes the core refuse it with its message."""
    if isinstance(crs, (int, np.integer)):
        crs = f"EPSG:{int(crs)}"
    source = _crs.parse(crs, "DEM")
    epsg = _crs.core_epsg(source, "DEM")
    if epsg is None and source.is_projected:
        raise InvalidInputError(
            f"DEM: {source.name} has no EPSG code or is not in metres; warp the DEM to a projected CRS in metres "
            "(UTM, JGD2011 plane rectangular), e.g. gdalwarp -t_srs EPSG:6670 -r bilinear"
        )
    return epsg


class Dem:
    """A digital elevation model on a north-up grid in a projected CRS (metres).

    >>> import numpy as np, bbcov
    >>> dem = bbcov.Dem.from_array(np.zeros((200, 200), np.float32), (0.0, 30.0, 0.0, 6000.0, 0.0, -30.0), crs=6670)
    >>> dem.shape
    (200, 200)
    """

    def __init__(self, native: _bbcov.Dem):
        # Private: use from_array or from_rasterio.
        self._native = native

    @classmethod
    def from_array(
        cls,
        heights: npt.ArrayLike,
        transform: Any,
        crs: Any,
        nodata: float | None = None,
    ) -> Dem:
        """A DEM from a 2-D array of heights (m, row 0 north; converted to float32),
        its transform (``affine.Affine`` as rasterio gives it, or GDAL's
        geotransform ``(x0, dx, 0, y0, 0, -dy)``), its CRS (EPSG code, pyproj
        CRS or anything pyproj reads; must be projected, in metres) and
        optional nodata value. NaN cells are missing too.

        Raises :class:`bbcov.DemError` for a lon/lat, rotated or south-up grid
        or implausible heights (with the core's message).
        """
        array = np.asarray(heights, dtype=np.float32)
        if array.ndim != 2:
            raise InvalidInputError(f"DEM: heights must be a 2-D array, got shape {array.shape}")
        return cls(
            _bbcov.Dem(
                array,
                _geotransform(transform),
                epsg=_dem_epsg(crs),
                nodata=None if nodata is None else float(nodata),
            )
        )

    @classmethod
    def from_rasterio(cls, dataset: Any, band: int = 1) -> Dem:
        """A DEM from an open rasterio dataset or a raster path (read with rasterio, an optional dependency).

        >>> dem = bbcov.Dem.from_rasterio("data-samples/region/dem.tif")  # doctest: +SKIP
        """
        rasterio = _rasterio()
        if isinstance(dataset, (str, os.PathLike)):
            with rasterio.open(dataset) as opened:
                return cls.from_rasterio(opened, band)
        if dataset.crs is None:
            raise InvalidInputError(f"DEM: {getattr(dataset, 'name', 'the raster')} has no CRS")
        heights = dataset.read(band)
        crs = dataset.crs.to_wkt()
        return cls.from_array(heights, dataset.transform, crs, nodata=dataset.nodata)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return self._native.shape

    @property
    def transform(self) -> tuple[float, float, float, float, float, float]:
        """The affine transform (a, b, c, d, e, f) as ``affine.Affine(*t)`` takes it."""
        return _affine(self._native.geotransform)

    @property
    def geotransform(self) -> tuple[float, float, float, float, float, float]:
        """GDAL's geotransform (x0, dx, 0, y0, 0, -dy)."""
        g = self._native.geotransform
        return g[0], g[1], g[2], g[3], g[4], g[5]

    @property
    def epsg(self) -> int:
        """EPSG code of the DEM's projected CRS."""
        epsg = self._native.epsg
        assert epsg is not None  # a lon/lat DEM is refused
        return epsg

    @property
    def crs(self) -> CRS:
        """The DEM's CRS (pyproj)."""
        return _crs.crs_of(self.epsg)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(x_min, y_min, x_max, y_max)."""
        b = self._native.bounds
        return b[0], b[1], b[2], b[3]

    @property
    def missing_count(self) -> int:
        """Number of missing (nodata) cells."""
        return self._native.missing_count

    @property
    def below_sea_level_count(self) -> int:
        """Number of cells given below 0 m (a topo-bathymetric DEM's sea floor), read as the sea surface (0 m)."""
        return self._native.below_sea_level_count

    @property
    def heights(self) -> npt.NDArray[np.float32]:
        """Heights (a float32 copy, NaN where missing)."""
        return self._native.heights

    def __repr__(self) -> str:
        return f"<bbcov.{self._native!r}>"


def _affine(g: Sequence[float]) -> tuple[float, float, float, float, float, float]:
    """GDAL geotransform to affine's (a, b, c, d, e, f)."""
    return g[1], g[2], g[0], g[4], g[5], g[3]


class RadioCoverage:
    """The best server of many sites on the DEM cells: the ``bbcov radio`` map.

    Arrays are read-only views of the Rust result (no copy), row 0 north;
    cells beyond every site's radius have NaN RSRP and server 4294967295.
    """

    #: ``server`` value of a cell no site reaches.
    NO_SERVER = 4294967295

    def __init__(self, native: _bbcov.BestServerMap, site_ids: list[str]):
        self._native = native
        self.site_ids = site_ids

    @property
    def rsrp_dbm(self) -> npt.NDArray[np.float32]:
        """Best-server RSRP (dBm), NaN where not computed."""
        return self._native.rsrp_dbm

    @property
    def server(self) -> npt.NDArray[np.uint32]:
        """Index of the serving site in the sites list (NO_SERVER: none)."""
        return self._native.server

    @property
    def sinr_db(self) -> npt.NDArray[np.float32]:
        """SINR (dB) of the best server."""
        return self._native.sinr_db

    @property
    def throughput_mbps(self) -> npt.NDArray[np.float32]:
        """Downlink throughput estimate (Mbit/s)."""
        return self._native.throughput_mbps

    @property
    def covered(self) -> npt.NDArray[np.bool_]:
        """RSRP at or above the threshold."""
        return self._native.covered

    @property
    def covered_count(self) -> int:
        """Number of covered cells."""
        return self._native.covered_count

    @property
    def transform(self) -> tuple[float, float, float, float, float, float]:
        """The map's affine transform (a, b, c, d, e, f): ``affine.Affine(*cov.transform)``."""
        return _affine(self._native.geotransform)

    @property
    def geotransform(self) -> tuple[float, float, float, float, float, float]:
        """GDAL's geotransform of the map (x0, dx, 0, y0, 0, -dy)."""
        g = self._native.geotransform
        return g[0], g[1], g[2], g[3], g[4], g[5]

    @property
    def dem_offset(self) -> tuple[int, int]:
        """(row, column) of the map's first cell in the DEM."""
        return self._native.dem_offset

    @property
    def crs(self) -> CRS:
        """The map's CRS (the DEM's)."""
        return _crs.crs_of(self._native.epsg)

    def to_rasterio(self, path: str | os.PathLike[str], variable: str = "rsrp_dbm") -> None:
        """Writes one variable (``rsrp_dbm``, ``server``, ``sinr_db``,
        ``throughput_mbps`` or ``covered``) as a GeoTIFF with rasterio (an optional dependency)."""
        arrays: dict[str, tuple[npt.NDArray[Any], float | None]] = {
            "rsrp_dbm": (self.rsrp_dbm, np.nan),
            "sinr_db": (self.sinr_db, np.nan),
            "throughput_mbps": (self.throughput_mbps, np.nan),
            "server": (self.server, float(self.NO_SERVER)),
            "covered": (self.covered.astype(np.uint8), None),
        }
        if variable not in arrays:
            raise InvalidInputError(f"unknown variable {variable!r}; use one of {', '.join(arrays)}")
        rasterio = _rasterio()
        affine = importlib.import_module("affine")
        data, nodata = arrays[variable]
        rows, cols = data.shape
        with rasterio.open(
            path,
            "w",
            driver="GTiff",
            height=rows,
            width=cols,
            count=1,
            dtype=data.dtype.name,
            crs=self.crs.to_wkt(),
            transform=affine.Affine(*self.transform),
            nodata=nodata,
        ) as out:
            out.write(np.ascontiguousarray(data), 1)

    def __repr__(self) -> str:
        rows, cols = self.rsrp_dbm.shape
        return f"<bbcov.RadioCoverage {cols} x {rows} cells, {len(self.site_ids)} sites, {self.covered_count} covered>"


def _sites(sites: Site | Iterable[Site]) -> list[Site]:
    items = [sites] if isinstance(sites, _bbcov.Site) else list(sites)
    for i, s in enumerate(items):
        if not isinstance(s, _bbcov.Site):
            raise InvalidInputError(f"sites: item {i} is a {type(s).__name__}, not a bbcov.Site")
    return items


def _model(model: str) -> str:
    if model.lower() not in MODELS:
        raise InvalidInputError(f"unknown radio model {model!r}: use {', '.join(MODELS)}")
    return model.lower()


def radio_coverage(
    dem: Dem,
    sites: Site | Iterable[Site],
    radius_m: float = 10_000.0,
    model: str = "itm",
    rx_height_m: float = 1.5,
    threshold_dbm: float | None = None,
    load: float = 0.5,
    noise_figure_db: float = 7.0,
    extrapolate: bool = False,
    progress: bool = True,
) -> RadioCoverage:
    """Best-server RSRP, SINR and coverage of ``sites`` on every DEM cell
    within ``radius_m`` of a site, as ``bbcov radio`` computes them (the map
    is clipped to the DEM). ``model``: ``itm`` (Longley-Rice, maritime
    temperate climate over land), ``diffraction`` (free space + Bullington),
    ``rma``, ``uma`` or ``umi`` (3GPP TR 38.901). ``threshold_dbm``: RSRP of
    coverage (default per technology). Runs on all cores without the GIL;
    ``progress`` draws a tqdm bar on long runs; Ctrl-C cancels.

    >>> site = bbcov.Site("s1", 3000.0, 3000.0, 30.0, "LTE", 800.0, eirp_dbm=60.0)  # doctest: +SKIP
    >>> cov = bbcov.radio_coverage(dem, [site], radius_m=2000, model="diffraction")  # doctest: +SKIP
    >>> cov.rsrp_dbm.max()  # doctest: +SKIP
    """
    if not isinstance(dem, Dem):
        raise InvalidInputError(f"dem must be a bbcov.Dem, got {type(dem).__name__}")
    items = _sites(sites)
    native = _bbcov.radio_coverage(
        dem._native,
        items,
        radius_m=float(radius_m),
        model=_model(model),
        rx_height_m=float(rx_height_m),
        threshold_dbm=None if threshold_dbm is None else float(threshold_dbm),
        load=float(load),
        noise_figure_db=float(noise_figure_db),
        extrapolate=extrapolate,
        progress=progress,
    )
    return RadioCoverage(native, [s.id for s in items])


def household_signal(
    dem: Dem,
    sites: Site | Iterable[Site],
    households: Households,
    radius_m: float = 10_000.0,
    model: str = "itm",
    rx_height_m: float = 1.5,
    threshold_dbm: float | None = None,
    load: float = 0.5,
    noise_figure_db: float = 7.0,
    indoor: bool = True,
    extrapolate: bool = False,
    progress: bool = False,
) -> pd.DataFrame:
    """RSRP (dBm), serving site id (None where no site reaches), SINR (dB)
    and covered flag at each household, one row per household in their order
    (index: the household ids when they have them), as ``bbcov radio
    --households`` computes them: exact positions and profiles, TR 38.901 O2I
    low-loss indoor penetration unless ``indoor=False``. Households in
    another CRS than the DEM's are reprojected to it.

    >>> bbcov.household_signal(dem, sites, hh, model="itm")  # doctest: +SKIP
    """
    import pandas as pd

    if not isinstance(dem, Dem):
        raise InvalidInputError(f"dem must be a bbcov.Dem, got {type(dem).__name__}")
    if not isinstance(households, Households):
        raise InvalidInputError(f"households must be a bbcov.Households, got {type(households).__name__}")
    items = _sites(sites)
    native = households._native
    if native.epsg != dem.epsg:
        coords = np.asarray(native.coords)
        x, y = _crs.to_core(households.crs, dem.epsg, coords[:, 0].copy(), coords[:, 1].copy())
        native = _bbcov.Households(x, y, epsg=dem.epsg, weight=np.asarray(native.weights), ids=native.ids)
    rsrp, server, sinr, covered = _bbcov.household_signal_arrays(
        dem._native,
        items,
        native,
        radius_m=float(radius_m),
        model=_model(model),
        rx_height_m=float(rx_height_m),
        threshold_dbm=None if threshold_dbm is None else float(threshold_dbm),
        load=float(load),
        noise_figure_db=float(noise_figure_db),
        indoor=indoor,
        extrapolate=extrapolate,
        progress=progress,
    )
    ids = [s.id for s in items]
    serving = [ids[i] if i >= 0 else None for i in server.tolist()]
    index = pd.Index(households.ids, name="id") if households.ids is not None else None
    return pd.DataFrame(
        {"rsrp_dbm": rsrp, "serving_site": serving, "sinr_db": sinr, "covered": covered},
        index=index,
    )


_COLUMNS = {
    "id": ("site_id", "id"),
    "lon": ("lon", "lng", "longitude"),
    "lat": ("lat", "latitude"),
    "x": ("x",),
    "y": ("y",),
    "height_m": ("height_m",),
    "technology": ("technology",),
    "frequency_mhz": ("frequency_mhz",),
    "bandwidth_mhz": ("bandwidth_mhz",),
    "tx_power_dbm": ("tx_power_dbm",),
    "eirp_dbm": ("eirp_dbm",),
    "gain_dbi": ("gain_dbi",),
    "azimuth_deg": ("azimuth_deg", "azimuth"),
    "downtilt_deg": ("downtilt_deg", "downtilt"),
    "feeder_loss_db": ("feeder_loss_db",),
}


def sites_from_dataframe(df: pd.DataFrame, crs: Any = None, target: Dem | Any = None) -> list[Site]:
    """Sites from a table with the columns of the ``bbcov radio`` sites CSV
    (case-insensitive): ``site_id``/``id``, ``lon``/``lat`` or ``x``/``y``,
    ``height_m``, ``technology`` (4G/LTE, 5G/NR/local5G), ``frequency_mhz``,
    ``tx_power_dbm`` or ``eirp_dbm``, and optionally ``bandwidth_mhz``,
    ``gain_dbi``, ``azimuth_deg`` (empty: omni), ``downtilt_deg``,
    ``feeder_loss_db``; empty cells take the CSV's defaults.

    ``crs``: CRS of the coordinates (default EPSG:4326 for lon/lat columns;
    required for x/y; a GeoDataFrame's own CRS otherwise). ``target``: the
    :class:`Dem` (or a projected CRS) the sites are delivered in; by default
    the coordinates' own CRS, which must then be projected.

    >>> sites = bbcov.sites_from_dataframe(pd.read_csv("towers.csv"), target=dem)  # doctest: +SKIP
    """
    lower = {str(c).lower(): c for c in df.columns}

    def col(key: str) -> Any:
        return next((lower[n] for n in _COLUMNS[key] if n in lower), None)

    available = ", ".join(str(c) for c in df.columns)

    def need(key: str, what: str | None = None) -> Any:
        c = col(key)
        if c is None:
            raise InvalidInputError(f"sites: no column {what or key} (columns: {available})")
        return c

    if col("lon") is not None and col("lat") is not None:
        xc, yc, geographic = col("lon"), col("lat"), True
    elif col("x") is not None and col("y") is not None:
        xc, yc, geographic = col("x"), col("y"), False
    else:
        raise InvalidInputError(f"sites: no column lon/lat or x/y (columns: {available})")
    if crs is None:
        crs = getattr(df, "crs", None)
    if crs is None:
        if not geographic:
            raise InvalidInputError("sites: x/y columns need a CRS (crs=...)")
        crs = "EPSG:4326"
    source = _crs.parse(crs, "sites")
    if isinstance(target, Dem):
        target_epsg: int | None = target.epsg
    elif target is not None:
        target_epsg = _dem_epsg(target)
    else:
        target_epsg = _crs.core_epsg(source, "sites")
    if target_epsg is None:
        raise InvalidInputError(
            "sites: coordinates are lon/lat; give target= (the Dem, or a projected CRS) to compute in"
        )
    if col("tx_power_dbm") is None and col("eirp_dbm") is None:
        raise InvalidInputError(f"sites: no column tx_power_dbm or eirp_dbm (columns: {available})")
    for key in ("height_m", "technology", "frequency_mhz"):
        need(key)

    def numbers(key: str) -> npt.NDArray[np.float64]:
        c = col(key)
        if c is None:
            return np.full(len(df), np.nan)
        try:
            return np.asarray(
                [np.nan if v is None or (isinstance(v, str) and not v.strip()) else float(v) for v in df[c]],
                dtype=np.float64,
            )
        except (TypeError, ValueError) as e:
            raise InvalidInputError(f"sites: column {c}: {e}") from None

    x, y = numbers("lon" if geographic else "x"), numbers("lat" if geographic else "y")
    x, y = _crs.to_core(source, target_epsg, x, y)
    values = {k: numbers(k) for k in _COLUMNS if k not in ("id", "lon", "lat", "x", "y", "technology")}
    ids = df[col("id")].tolist() if col("id") is not None else [None] * len(df)
    tech = df[need("technology")].tolist()

    def opt(key: str, i: int) -> float | None:
        v = float(values[key][i])
        return None if np.isnan(v) else v

    sites = []
    for i in range(len(df)):
        sid = ids[i]
        name = f"site-{i + 1}" if sid is None or (isinstance(sid, float) and np.isnan(sid)) or str(sid) == "" else str(sid)
        sites.append(
            _bbcov.Site(
                name,
                float(x[i]),
                float(y[i]),
                float(values["height_m"][i]),
                str(tech[i]),
                float(values["frequency_mhz"][i]),
                bandwidth_mhz=opt("bandwidth_mhz", i),
                tx_power_dbm=opt("tx_power_dbm", i),
                eirp_dbm=None if opt("tx_power_dbm", i) is not None else opt("eirp_dbm", i),
                azimuth_deg=opt("azimuth_deg", i),
                downtilt_deg=opt("downtilt_deg", i) or 0.0,
                gain_dbi=opt("gain_dbi", i),
                feeder_loss_db=opt("feeder_loss_db", i) or 0.0,
            )
        )
    if not sites:
        raise InvalidInputError("sites: the layer is empty")
    return sites
