"""A minimal dossier from a few files, and running the stresstest-light on it (``alliantie stresstest``).

Given a DEM, land use and buildings (optionally soil, neighbourhoods, roads,
GHG + GLG, a boundary and a flood-depth map), :func:`write_minimal_dossier`
writes ``dossier.toml`` in the output folder, pointing at the given files by
absolute path. A dossier needs soil, GHG and GLG today
(:class:`~alliantie.dossier.config.Inputs`); what is missing is written as a
clearly named placeholder in ``inputs/`` and recorded in ``stresstest.json``:

* no soil: ``inputs/assumed_soil.gpkg``, a soil layer **without polygons**, so
  pluvial flooding uses the cautious default infiltration everywhere (the
  smallest of ``infiltration.toml``) and the page says so;
* no GHG/GLG: ``inputs/assumed_ghg.tif`` / ``assumed_glg.tif`` **without any
  valid cell**; drought is then not computed, and product
  ``urgency.stresstest`` reports it as not assessed (no groundwater data).

:func:`run_stresstest` computes the theme products the data allow (flood,
pluvial flooding, heat; drought with groundwater), then the damage product and
the stresstest-light. Without groundwater the run excludes drought, which both
declare as an optional dependency and then report as not assessed.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from alliantie.contract.names import DAMAGE, DROUGHT, FLOOD, HEAT, PLUVIAL, STRESSTEST
from alliantie.contract.stresstest import PDF_FILE
from alliantie.errors import ConfigError, CRSError, InputDataError

MARKER_FILE = "stresstest.json"
ASSUMED_SOIL = "inputs/assumed_soil.gpkg"
ASSUMED_GHG = "inputs/assumed_ghg.tif"
ASSUMED_GLG = "inputs/assumed_glg.tif"
#: Smallest default cell size (m): a stresstest-light on a 0.5 m AHN needs no 0.5 m grid.
MIN_DEFAULT_RESOLUTION_M = 5.0
THEMES_ALWAYS = (FLOOD, PLUVIAL, HEAT)


@dataclass(frozen=True)
class StresstestFiles:
    """The files given to ``alliantie stresstest`` (None = not given)."""

    dem: Path
    landuse: Path
    buildings: Path
    soil: Path | None = None
    neighbourhoods: Path | None = None
    roads: Path | None = None
    ghg: Path | None = None
    glg: Path | None = None
    boundary: Path | None = None
    flood_depth: Path | None = None

    @property
    def has_groundwater(self) -> bool:
        return self.ghg is not None and self.glg is not None


@dataclass(frozen=True)
class StresstestRun:
    """What :func:`run_stresstest` made."""

    toml_path: Path
    pdf_path: Path
    product_dir: Path
    computed: list[str]
    seconds: float


def dem_crs_and_resolution(path: Path) -> tuple[str, float]:
    """The DEM's CRS (for ``dossier.toml``) and cell size; a clear error for a missing or geographic CRS."""
    import rasterio
    import rasterio.errors

    try:
        with rasterio.open(path) as ds:
            crs, res = ds.crs, float(max(abs(ds.res[0]), abs(ds.res[1])))
    except rasterio.errors.RasterioIOError as exc:
        raise InputDataError("errors.raster_unreadable", path=str(path), what="--dem", detail=str(exc)) from None
    if crs is None:
        raise CRSError("errors.raster_no_crs", path=str(path), what="--dem", expected="EPSG:28992")
    if not crs.is_projected:
        raise InputDataError("stresstest.errors.dem_not_projected", path=str(path), crs=crs.to_string())
    epsg = crs.to_epsg()
    return (f"EPSG:{epsg}" if epsg else crs.to_wkt()), res


def _check_given(files: StresstestFiles) -> None:
    if (files.ghg is None) != (files.glg is None):
        raise ConfigError("stresstest.errors.groundwater_pair")
    for name in ("dem", "landuse", "buildings", "soil", "neighbourhoods", "roads", "ghg", "glg", "boundary",
                 "flood_depth"):
        path = getattr(files, name)
        if path is not None and not Path(path).exists():
            raise ConfigError("errors.config_file_missing", key=f"--{name.replace('_', '-')}", file=str(path))


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON escaping, plus DEL, which JSON leaves raw and TOML forbids: review case 35j)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _write_empty_soil(path: Path, crs: str) -> None:
    import geopandas as gpd
    import pandas as pd

    from alliantie.io.vector import write_vector_layers

    frame = gpd.GeoDataFrame({"soil_class": pd.Series([], dtype=str)}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    write_vector_layers(path, [("soil", frame, "Polygon", None)])


def _write_empty_raster(path: Path, dem: Path) -> None:
    """A small all-nodata float32 GeoTIFF over the DEM's extent (placeholder GHG/GLG)."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_bounds

    with rasterio.open(dem) as ds:
        bounds, crs = ds.bounds, ds.crs
    size = 8
    profile = {"driver": "GTiff", "width": size, "height": size, "count": 1, "dtype": "float32", "crs": crs,
               "transform": from_bounds(*bounds, size, size), "nodata": -9999.0}
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", **profile) as out:
        out.write(np.full((1, size, size), -9999.0, dtype=np.float32))
        out.update_tags(ALLIANTIE_ASSUMED="no data given: placeholder written by alliantie stresstest")


def write_minimal_dossier(
    files: StresstestFiles,
    out: Path,
    *,
    name: str | None = None,
    language: str = "nl",
    resolution: float | None = None,
) -> Path:
    """Write ``dossier.toml`` (and placeholders for missing soil and groundwater) in ``out``; return its path."""
    _check_given(files)
    crs, dem_res = dem_crs_and_resolution(files.dem)
    out = Path(out)
    toml_path = out / "dossier.toml"
    if toml_path.exists() and not (out / MARKER_FILE).exists():
        raise ConfigError("stresstest.errors.out_not_empty", out=str(out))
    out.mkdir(parents=True, exist_ok=True)
    res = float(resolution) if resolution else max(dem_res, MIN_DEFAULT_RESOLUTION_M)
    assumed: list[str] = []
    paths: dict[str, str] = {}
    for key in ("dem", "landuse", "buildings", "neighbourhoods", "roads", "flood_depth"):
        given = getattr(files, key)
        if given is not None:
            paths[key] = str(Path(given).resolve())
    if files.soil is not None:
        paths["soil"] = str(Path(files.soil).resolve())
    else:
        _write_empty_soil(out / ASSUMED_SOIL, crs)
        paths["soil"] = ASSUMED_SOIL
        assumed.append("soil")
    if files.has_groundwater:
        paths["ghg"] = str(Path(files.ghg).resolve())  # type: ignore[arg-type]
        paths["glg"] = str(Path(files.glg).resolve())  # type: ignore[arg-type]
    else:
        _write_empty_raster(out / ASSUMED_GHG, files.dem)
        _write_empty_raster(out / ASSUMED_GLG, files.dem)
        paths["ghg"], paths["glg"] = ASSUMED_GHG, ASSUMED_GLG
        assumed += ["ghg", "glg"]
    title = name or out.resolve().name
    lines = [
        "# Minimal dossier written by `alliantie stresstest` (stresstest-light).",
        "# Files named inputs/assumed_* are placeholders for data that were not given (see stresstest.json).",
        "",
        f"name = {_toml_string(title)}",
        f"language = {_toml_string(language)}",
        f"crs = {_toml_string(crs)}",
        f"resolution = {res!r}",
    ]
    if files.boundary is not None:
        lines.append(f"boundary = {_toml_string(str(Path(files.boundary).resolve()))}")
    lines += ["", "[inputs]"]
    for key in ("dem", "landuse", "soil", "ghg", "glg", "buildings", "roads", "neighbourhoods", "flood_depth"):
        if key in paths:
            note = "  # assumed: not given" if key in assumed else ""
            lines.append(f"{key} = {_toml_string(paths[key])}{note}")
    toml_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    marker = {"given": {k: (None if v is None else str(Path(v).resolve())) for k, v in asdict(files).items()},
              "assumed": assumed, "resolution": res, "crs": crs}
    (out / MARKER_FILE).write_text(json.dumps(marker, indent=2, ensure_ascii=False), encoding="utf-8")
    return toml_path


def run_stresstest(
    files: StresstestFiles,
    out: Path,
    *,
    name: str | None = None,
    language: str = "nl",
    resolution: float | None = None,
    on_event: Callable[[object], None] | None = None,
) -> StresstestRun:
    """Write the minimal dossier in ``out`` and compute the stresstest-light; rerunning reuses unchanged products."""
    from alliantie.dossier import load_dossier, load_products, run_dossier

    started = time.perf_counter()
    toml_path = write_minimal_dossier(files, out, name=name, language=language, resolution=resolution)
    dossier = load_dossier(toml_path)
    exclude = frozenset() if files.has_groundwater else frozenset({DROUGHT})
    summary = run_dossier(dossier, products=[*THEMES_ALWAYS, DAMAGE, STRESSTEST], exclude=exclude,
                          on_event=on_event)
    computed = list(summary.computed)
    folder = load_products()[STRESSTEST].output_dir(dossier)
    pdf = Path(out) / PDF_FILE  # the page also next to dossier.toml, where a planner looks first
    shutil.copyfile(folder / PDF_FILE, pdf)
    return StresstestRun(toml_path=toml_path, pdf_path=pdf, product_dir=folder, computed=computed,
                         seconds=time.perf_counter() - started)


__all__ = [
    "MARKER_FILE", "StresstestFiles", "StresstestRun", "dem_crs_and_resolution",
    "run_stresstest", "write_minimal_dossier",
]
