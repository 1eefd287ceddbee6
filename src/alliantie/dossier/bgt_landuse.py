"""BGT land cover as the dossier's land use: LGN classes and a paved share on the dossier grid.

``landuse = { path = "bgt.gpkg", codes = "bgt" }`` in ``dossier.toml`` names a GeoPackage with the BGT layers
(pand, wegdeel, ondersteunendwegdeel, waterdeel, ondersteunendwaterdeel, begroeidterreindeel,
onbegroeidterreindeel; the names may carry a ``bgt_`` prefix, in any case). Each feature gets an LGN class and a
paved share from ``bgt_landuse.toml`` (by its layer, its fysiek voorkomen and, for wegdeel, its function);
features that ended (``eindRegistratie``), are planned or historic (``plus-status``) or lie above or below the
ground (``relatieveHoogteligging`` not 0) are left out.

The features are burnt into a finer grid (``factor`` sub-cells per cell side, so each dossier cell is judged on
``factor``\\ :sup:`2` samples; later layers of the table win where features overlap); each cell of the dossier
grid takes the LGN class that covers most of its sub-cells and the mean paved share of its covered sub-cells.
Cells no BGT feature reaches are no data (0).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
from affine import Affine
from rasterio.features import rasterize

from alliantie.errors import InputDataError
from alliantie.grid import Grid
from alliantie.i18n import translate
from alliantie.io.raster import RasterData
from alliantie.io.vector import read_vector, vector_read_error
from alliantie.knowledge.bgt_landuse import BgtLanduse

log = logging.getLogger(__name__)

#: no data in the land-use raster
NODATA = 0
#: sub-cells per side of a dossier cell: about 0.5 m samples, at most this many
MAX_FACTOR = 10
#: the finer grid is kept below this many cells (memory: about 8 bytes each while it is summed)
MAX_SUBCELLS = 50_000_000


@dataclass
class BgtLanduseResult:
    """The BGT rasterised on the dossier grid."""

    landuse: RasterData
    #: paved share of each cell (0-1), NaN where no BGT feature reaches
    paved_share: np.ndarray
    #: BGT layers read and their feature counts
    layers: dict[str, int] = field(default_factory=dict)
    #: messages (translated) about values not in the table
    warnings: list[str] = field(default_factory=list)

    def mean_paved(self, mask: np.ndarray | None = None) -> float:
        """Mean paved share over the covered cells (within ``mask`` when given)."""
        values = self.paved_share if mask is None else self.paved_share[mask]
        values = values[~np.isnan(values)]
        return float(values.mean()) if len(values) else 0.0


def _first(columns: list[str], candidates: list[str]) -> str | None:
    lower = {c.lower(): c for c in columns}
    return next((lower[c.lower()] for c in candidates if c.lower() in lower), None)


def bgt_layers(path: str, table: BgtLanduse) -> dict[str, str]:
    """The BGT layers of the file ``path``: our layer name -> the file's layer name."""
    try:
        present = [str(row[0]) for row in pyogrio.list_layers(path)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise vector_read_error(path, "inputs.landuse", None, exc) from None
    found: dict[str, str] = {}
    for layer in table.layers:
        for name in present:
            key = name.lower().removeprefix("bgt_").removeprefix("bgt-")
            if key == layer.name:
                found[layer.name] = name
    if not found:
        raise InputDataError("schemas.bgt_no_layers", what="inputs.landuse", path=path,
                             expected=", ".join(layer.name for layer in table.layers), present=", ".join(present))
    return found


def classify(gdf: gpd.GeoDataFrame, layer: str, table: BgtLanduse, path: str,
             warnings: list[str]) -> gpd.GeoDataFrame:
    """The features of BGT ``layer`` that lie at ground level and exist, with columns ``lgn`` and ``paved``."""
    columns = [str(c) for c in gdf.columns]
    keep = np.ones(len(gdf), dtype=bool)
    end = _first(columns, table.columns.end)
    if end is not None:
        keep &= gdf[end].isna().to_numpy() | (gdf[end].astype("string").str.strip() == "").fillna(True).to_numpy()
    status = _first(columns, table.columns.status)
    if status is not None:
        keep &= ~gdf[status].astype("string").str.strip().str.lower().isin(table.columns.drop_status) \
            .fillna(False).to_numpy(dtype=bool)
    level = _first(columns, table.columns.level)
    if level is not None:
        levels = pd.to_numeric(gdf[level], errors="coerce").fillna(0).to_numpy()
        keep &= levels == 0
    gdf = gdf[keep]
    row = next(r for r in table.layers if r.name == layer)
    lgn = np.full(len(gdf), row.lgn, dtype=np.uint8)
    paved = np.full(len(gdf), row.paved_share, dtype=np.float32)
    cover = _first(columns, table.columns.fysiek_voorkomen)
    if cover is not None and layer not in ("pand", "waterdeel", "ondersteunendwaterdeel"):
        covers = {c.value: c for c in table.covers}
        values = gdf[cover].astype("string").str.strip().str.lower().fillna("")
        unknown: set[str] = set()
        for i, value in enumerate(values.tolist()):
            if value in covers:
                lgn[i], paved[i] = covers[value].lgn, covers[value].paved_share
            elif value and value != "waardeonbekend":
                unknown.add(value)
        if unknown:
            warnings.append(translate(
                "schemas.bgt_unknown_values", None, what="inputs.landuse", path=path, layer=layer,
                values=", ".join(f"'{v}'" for v in sorted(unknown)), fallback=f"LGN {row.lgn}",
            ))
    functie = _first(columns, table.columns.functie)
    if layer == "wegdeel" and functie is not None:
        main = gdf[functie].astype("string").str.strip().isin(table.main_roads.functions).fillna(False)
        lgn[main.to_numpy(dtype=bool)] = table.main_roads.lgn
    out = gpd.GeoDataFrame({"lgn": lgn, "paved": paved}, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    return out[out.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]


def _factor(grid: Grid) -> int:
    """Sub-cells per cell side: about 0.5 m, at most :data:`MAX_FACTOR`, and within :data:`MAX_SUBCELLS`."""
    res = abs(grid.transform.a)
    factor = max(1, min(MAX_FACTOR, math.ceil(res / 0.5)))
    while factor > 1 and grid.width * grid.height * factor * factor > MAX_SUBCELLS:
        factor -= 1
    return factor


def rasterise_bgt(features: list[gpd.GeoDataFrame], grid: Grid, table: BgtLanduse,
                  source: str) -> tuple[RasterData, np.ndarray]:
    """LGN classes (most covered) and mean paved share per cell of ``grid`` from classified BGT ``features``.

    ``features`` are in the order of the table's layers (later ones win where they overlap).
    """
    factor = _factor(grid)
    fine = Affine(grid.transform.a / factor, grid.transform.b, grid.transform.c,
                  grid.transform.d, grid.transform.e / factor, grid.transform.f)
    shape = (grid.height * factor, grid.width * factor)
    # one index per (lgn, paved) pair, burnt in table order; 0 = not covered
    pairs: list[tuple[int, float]] = []
    shapes: list[tuple[dict[str, object], int]] = []
    for frame in features:
        # GeoJSON through shapely's vectorised writer: much faster than each geometry's __geo_interface__
        geojson = [json.loads(text) for text in shapely.to_geojson(frame.geometry.to_numpy())]
        for geom, lgn, paved in zip(geojson, frame["lgn"].to_numpy(), frame["paved"].to_numpy(), strict=True):
            pair = (int(lgn), float(paved))
            if pair not in pairs:
                pairs.append(pair)
            shapes.append((geom, pairs.index(pair) + 1))
    if not shapes:
        empty = np.full(grid.shape, NODATA, dtype=np.uint8)
        return RasterData(empty, grid.transform, grid.crs, NODATA, source), np.full(grid.shape, np.nan, np.float32)
    burnt = rasterize(shapes, out_shape=shape, transform=fine, fill=0, dtype="uint16")
    blocks = burnt.reshape(grid.height, factor, grid.width, factor)
    codes = np.array([0] + [p[0] for p in pairs], dtype=np.uint8)
    paved_of = np.array([np.nan] + [p[1] for p in pairs], dtype=np.float32)
    covered = (blocks > 0).sum(axis=(1, 3))
    paved_sum = np.nan_to_num(paved_of[blocks]).sum(axis=(1, 3), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        paved = np.where(covered > 0, paved_sum / np.maximum(covered, 1), np.nan).astype(np.float32)
    best = np.zeros(grid.shape, dtype=np.int32)
    landuse = np.full(grid.shape, NODATA, dtype=np.uint8)
    for code in sorted({int(c) for c in codes[1:]}):
        count = np.isin(blocks, np.flatnonzero(codes == code)).sum(axis=(1, 3))
        wins = count > best
        landuse[wins] = code
        best[wins] = count[wins]
    return RasterData(landuse, grid.transform, grid.crs, NODATA, source), paved


def read_bgt_landuse(path: str, grid: Grid, *, target_crs: str, table: BgtLanduse | None = None) -> BgtLanduseResult:
    """Read the BGT GeoPackage ``path`` and rasterise it on ``grid`` (see the module)."""
    table = table or BgtLanduse.load()
    found = bgt_layers(path, table)
    warnings: list[str] = []
    frames: list[gpd.GeoDataFrame] = []
    counts: dict[str, int] = {}
    for row in table.layers:  # table order: later layers win where features overlap
        if row.name not in found:
            continue
        gdf = read_vector(path, layer=found[row.name], target_crs=target_crs, bbox=grid.bounds,
                          label="inputs.landuse")
        classified = classify(gdf, row.name, table, path, warnings)
        counts[row.name] = len(classified)
        frames.append(classified)
    landuse, paved = rasterise_bgt(frames, grid, table, path)
    return BgtLanduseResult(landuse=landuse, paved_share=paved, layers=counts, warnings=warnings)
