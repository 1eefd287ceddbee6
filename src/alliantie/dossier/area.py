"""The study area of a dossier: its boundary polygon and the grid derived from it."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import rasterio
import rasterio.features
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from alliantie.dossier.config import Dossier
from alliantie.errors import InputDataError
from alliantie.grid import Grid
from alliantie.io.mosaic import tiles_bounds
from alliantie.io.raster import read_raster
from alliantie.io.vector import read_vector


def boundary_geometry(dossier: Dossier) -> BaseGeometry:
    """The study area as one (multi)polygon in the dossier CRS.

    Without a configured boundary the area is the extent of the DEM.
    """
    ref = dossier.input_file("boundary")
    if ref is not None:
        gdf = read_vector(ref.path, layer=ref.layer, target_crs=dossier.config.crs, label="boundary")
        polygons = gdf[gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
        if polygons.empty:
            raise InputDataError("errors.boundary_no_polygon", path=ref.path)
        area = polygons.geometry.union_all()
        cell = dossier.config.resolution
        if area.area < cell * cell:  # review case 26d: not one cell centre inside; blamed on the DEM or breach
            raise InputDataError("errors.boundary_too_small", path=ref.path, area=f"{area.area:.3g}",
                                 cell=f"{cell:g}")
        return area
    dem = dossier.input_file("dem")
    assert dem is not None
    if dem.tiled:  # a folder or list of tiles: their extent together
        return box(*tiles_bounds(dem.files, dossier.config.crs, what="inputs.dem"))
    with rasterio.open(dem.path) as ds:
        if ds.crs is None:
            read_raster(ds, label="dem")  # raises the CRS error with the standard message
        from rasterio.warp import transform_bounds

        bounds = transform_bounds(ds.crs, dossier.config.crs, *ds.bounds)
    return box(*bounds)


def dossier_grid(dossier: Dossier) -> Grid:
    """The grid all rasters of ``dossier`` are aligned on."""
    geom = boundary_geometry(dossier)
    return Grid.from_bounds(geom.bounds, dossier.config.resolution, dossier.config.crs)


def area_mask(grid: Grid, geometry: BaseGeometry) -> np.ndarray:
    """Boolean raster: True inside ``geometry`` (cell centres)."""
    return rasterio.features.geometry_mask(
        [geometry], out_shape=grid.shape, transform=grid.transform, invert=True
    )


def boundary_frame(dossier: Dossier) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [dossier.config.name]}, geometry=[boundary_geometry(dossier)],
                            crs=dossier.config.crs)
