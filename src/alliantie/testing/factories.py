"""Small seeded rasters, vectors and dossiers for tests."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from alliantie.grid import Grid
from alliantie.io.raster import write_raster
from alliantie.io.vector import write_vector


def small_grid(width: int = 40, height: int = 30, res: float = 10.0) -> Grid:
    """A small grid in RD New near Amersfoort."""
    x0, y0 = 155000.0, 463000.0
    return Grid.from_bounds((x0, y0, x0 + width * res, y0 + height * res), res)


def make_raster_file(path: Path, array: np.ndarray, grid: Grid, *, nodata: float | int | None = None) -> Path:
    return write_raster(path, array, grid, nodata=nodata)


def write_minimal_dossier(folder: Path, *, seed: int = 1, extra_toml: str = "") -> Path:
    """A tiny valid dossier (sloping DEM, sand and peat, groundwater, grass) for pipeline tests."""
    rng = np.random.default_rng(seed)
    grid = small_grid()
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    _yy, xx = np.mgrid[0 : grid.height, 0 : grid.width]
    dem = (10.0 - 0.2 * xx + rng.normal(0, 0.05, grid.shape)).astype(np.float32)
    write_raster(inputs / "dem.tif", dem, grid, nodata=-9999.0)
    ghg = np.clip(0.05 * xx, 0.0, 3.0).astype(np.float32)[:, ::-1].copy()
    write_raster(inputs / "ghg.tif", ghg, grid, nodata=-9999.0)
    write_raster(inputs / "glg.tif", (ghg + 0.8).astype(np.float32), grid, nodata=-9999.0)
    landuse = np.where(xx < grid.width // 2, 11, 1).astype(np.uint8)
    write_raster(inputs / "landuse.tif", landuse, grid, nodata=0)
    xmin, ymin, xmax, ymax = grid.bounds
    mid = (xmin + xmax) / 2
    soil = gpd.GeoDataFrame(
        {"soil_class": ["podzol", "veen"]},
        geometry=[box(xmin, ymin, mid, ymax), box(mid, ymin, xmax, ymax)],
        crs=grid.crs,
    )
    write_vector(inputs / "soil.gpkg", soil, layer="soil")
    boundary = gpd.GeoDataFrame({"name": ["test"]}, geometry=[box(xmin, ymin, xmax, ymax)], crs=grid.crs)
    write_vector(inputs / "boundary.gpkg", boundary, layer="boundary")
    toml = folder / "dossier.toml"
    toml.write_text(
        'name = "Testgebied"\n'
        'resolution = 10.0\n'
        'boundary = "inputs/boundary.gpkg"\n'
        f"{extra_toml}\n"
        "[inputs]\n"
        'dem = "inputs/dem.tif"\n'
        'soil = { path = "inputs/soil.gpkg", layer = "soil" }\n'
        'ghg = "inputs/ghg.tif"\n'
        'glg = "inputs/glg.tif"\n'
        'landuse = "inputs/landuse.tif"\n',
        encoding="utf-8",
    )
    return toml
