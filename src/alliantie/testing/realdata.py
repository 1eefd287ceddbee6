"""Dossiers built from the real Dutch files of ``shared/realdata`` (Winterswijk AHN, HHNK polder 't Hoekje).

The files stay where they are (the dossier refers to them by absolute path) except what a dossier needs
and the folder does not hold, written into the dossier's ``inputs/`` and named as a stand-in in its
``dossier.toml``:

- Winterswijk (``winterswijk_achterhoek``): the AHN 5 m DTM in integer centimetres NAP, the HyDAMO test
  mask (the town of Winterswijk) as boundary; soil from the FGR region (Hogere Zandgronden: sand). The
  folder has no land use and no groundwater: stand-ins are uniform agricultural grass (LGN 1) and a GHG of
  0.6 m and GLG of 1.4 m below surface (a dry sandy Gt VI-like regime; alliantie estimate, a stand-in only).
- 't Hoekje (``hhnk_thoekje_schagen``): the 3Di model's 2 m DEM (m NAP), groundwater GHG and GLG in m NAP,
  the 0.5 m 3Di land use (threedi2019 codes), the 133 BAG buildings; boundary = the polder where the DEM has
  data; soil from the FGR regions (Zeekleigebied: sea clay, Duinen: sand).

``declare=False`` writes the ``[inputs]`` without ``units``, ``datum`` and ``codes``: the three silent
misreadings of issue 14 that ``alliantie check`` must now refuse.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
from rasterio.features import shapes
from rasterio.windows import from_bounds
from shapely.geometry import shape

from alliantie.grid import Grid
from alliantie.io.raster import write_raster
from alliantie.io.vector import write_vector

#: FGR region (Fysisch-Geografische Regio's 2013) -> soil class of soil_classes.toml, for stand-in soil maps.
FGR_SOIL = {"hogere zandgronden": "zand", "duinen": "zand", "zeekleigebied": "zeeklei", "noordzee": "water",
            "rivierengebied": "rivierklei", "laagveengebied": "veen", "hoogveengebied": "veen"}


def realdata_root(start: Path) -> Path:
    """The real-data folder: ``$ALLIANTIE_REALDATA``, else ``shared/realdata`` beside the repository that holds
    ``start`` (a test file; a worktree may sit one level deeper). CI clones only the project: the tests that
    need it skip there."""
    env = os.environ.get("ALLIANTIE_REALDATA")
    if env:
        return Path(env)
    here = start.resolve()
    candidates = [parent / "shared" / "realdata" for parent in here.parents]
    return next((c for c in candidates if c.exists()), here.parents[min(3, len(here.parents) - 1)] / "shared"
                / "realdata")


def _soil_from_fgr(source: Path, boundary: gpd.GeoDataFrame, out: Path) -> None:
    fgr = gpd.read_file(source).to_crs(boundary.crs)
    fgr = gpd.clip(fgr, boundary.geometry.union_all().buffer(50))
    soil = gpd.GeoDataFrame({"soil_class": [FGR_SOIL[str(n).strip().lower()] for n in fgr["fgr"]]},
                            geometry=fgr.geometry.values, crs=boundary.crs)
    write_vector(out, soil, layer="soil")


def _uniform(path: Path, grid: Grid, value: float, dtype: str) -> None:
    array = np.full(grid.shape, value, dtype=dtype)
    write_raster(path, array, grid, nodata=0 if np.issubdtype(np.dtype(dtype), np.integer) else None)


def winterswijk(folder: Path, source: Path, *, declare: bool = True, tagged: bool = False,
                resolution: float = 10.0) -> Path:
    """A dossier of the town of Winterswijk on the real AHN 5 m DTM (integer cm NAP); its ``dossier.toml``.

    ``tagged``: use the merged file that carries a ``units = cm NAP`` tag (else a cut of it without the tag,
    as users' files usually are); ``declare``: write ``units = "cm"`` for the DEM.
    """
    folder, source = folder.resolve(), source.resolve()
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    area = source / "winterswijk_achterhoek"
    mask = gpd.read_file(area / "hydamo_wrij_mask.gpkg", layer="mask")
    xmin, ymin, xmax, ymax = (float(v) for v in mask.total_bounds)
    margin = 4 * resolution
    grid = Grid.from_bounds((xmin - margin, ymin - margin, xmax + margin, ymax + margin), resolution)
    mosaic = area / "ahn_dtm_5m_winterswijk_cm.tif"
    dem = mosaic
    if not tagged:  # the cut keeps the values (int16 cm, nodata -9999) but not the file's tags
        dem = inputs / "ahn_dtm_5m_cm_cut.tif"
        with rasterio.open(mosaic) as ds:
            window = from_bounds(*grid.bounds, transform=ds.transform).round_offsets().round_lengths()
            values = ds.read(1, window=window)
            profile = {"driver": "GTiff", "width": values.shape[1], "height": values.shape[0], "count": 1,
                       "dtype": values.dtype.name, "crs": ds.crs, "transform": ds.window_transform(window),
                       "nodata": ds.nodata, "compress": "deflate"}
        with rasterio.open(dem, "w", **profile) as out:
            out.write(values, 1)
    _soil_from_fgr(area / "fgr_fysisch_geografische_regios.gpkg", mask, inputs / "soil.gpkg")
    _uniform(inputs / "landuse_standin.tif", grid, 1, "uint8")
    _uniform(inputs / "ghg_standin.tif", grid, 0.6, "float32")
    _uniform(inputs / "glg_standin.tif", grid, 1.4, "float32")
    units = ', units = "cm"' if declare else ""
    toml = folder / "dossier.toml"
    toml.write_text(
        'name = "Winterswijk (AHN 5 m, real data)"\n'
        'language = "en"\n'
        f"resolution = {resolution}\n"
        f'boundary = {{ path = "{area / "hydamo_wrij_mask.gpkg"}", layer = "mask" }}\n'
        "\n[inputs]\n"
        f'dem = {{ path = "{dem}"{units} }}   # AHN 5 m DTM, integer centimetres NAP\n'
        'soil = { path = "inputs/soil.gpkg", layer = "soil" }   # stand-in: FGR region Hogere Zandgronden\n'
        'ghg = "inputs/ghg_standin.tif"   # stand-in: the folder has no groundwater (0.6 m below surface)\n'
        'glg = "inputs/glg_standin.tif"   # stand-in (1.4 m below surface)\n'
        'landuse = "inputs/landuse_standin.tif"   # stand-in: the folder has no land use (LGN 1, grass)\n',
        encoding="utf-8",
    )
    return toml


def hoekje(folder: Path, source: Path, *, declare: bool = True, resolution: float = 2.0) -> Path:
    """A dossier of polder 't Hoekje (HHNK 3Di test model) on its real rasters and BAG; its ``dossier.toml``."""
    folder, source = folder.resolve(), source.resolve()
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    area = source / "hhnk_thoekje_schagen"
    rasters = area / "rasters"
    with rasterio.open(rasters / "dem_hoekje.tif") as ds:
        valid = (ds.read(1) != ds.nodata).astype("uint8")
        parts = [shape(g) for g, v in shapes(valid, mask=valid.astype(bool), transform=ds.transform) if v == 1]
        crs = ds.crs
    polder = gpd.read_file(area / "polder_polygon.gpkg").to_crs(crs).geometry.union_all()
    strip = gpd.GeoSeries(parts, crs=crs).union_all().intersection(polder)
    boundary = gpd.GeoDataFrame({"name": ["'t Hoekje, DEM strip"]}, geometry=[strip], crs=crs)
    write_vector(inputs / "boundary.gpkg", boundary, layer="boundary")
    _soil_from_fgr(area / "fgr_fysisch_geografische_regios.gpkg", boundary, inputs / "soil.gpkg")
    datum = ', datum = "NAP"' if declare else ""
    codes = ', codes = "3di"' if declare else ""
    toml = folder / "dossier.toml"
    toml.write_text(
        'name = "Polder \'t Hoekje (HHNK, real data)"\n'
        'language = "en"\n'
        f"resolution = {resolution}\n"
        'boundary = { path = "inputs/boundary.gpkg", layer = "boundary" }\n'
        "\n[inputs]\n"
        f'dem = "{rasters / "dem_hoekje.tif"}"   # 3Di DEM, m NAP (water raised to +10 m)\n'
        'soil = { path = "inputs/soil.gpkg", layer = "soil" }   # stand-in: FGR regions\n'
        f'ghg = {{ path = "{rasters / "gwlvl_ghg.tif"}"{datum} }}   # GHG, m NAP\n'
        f'glg = {{ path = "{rasters / "gwlvl_glg.tif"}"{datum} }}   # GLG, m NAP\n'
        f'landuse = {{ path = "{rasters / "landuse_threedi2019_hoekje.tif"}"{codes} }}   # 3Di land use, 0.5 m\n'
        f'buildings = "{area / "bag_panden.gpkg"}"   # 133 BAG panden (bouwjaar, Vloerpeil_*)\n',
        encoding="utf-8",
    )
    return toml
