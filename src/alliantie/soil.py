"""Soil classification (*bodemkaart*): the classes of ``soil_classes.toml`` on a soil map, as codes and rasters.

A soil map is a GeoDataFrame of polygons with a ``soil_class`` column (ids of ``soil_classes.toml``,
e.g. ``podzol``, ``zeeklei``, ``veen``). :func:`classify_soil` adds the main class (sand, clay, peat,
loam, built, water) and the raster codes; :func:`rasterize_codes` burns codes into a grid. Used by
the soil base map (``baseinfo.soil``) and by the themes that need the soil under each cell
(pluvial runoff, drought). No files and no dossier.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import rasterio.features

from alliantie.contract.classes import ClassInfo, class_table
from alliantie.errors import InputDataError
from alliantie.grid import Grid
from alliantie.knowledge.soil_classes import SoilClasses


def soil_tables(knowledge: SoilClasses) -> tuple[list[ClassInfo], list[ClassInfo], dict[str, str]]:
    """(soil classes, main classes, soil class id -> main class id) of ``soil_classes.toml``.

    The model has checked the file: unique ids and codes, every main class known.
    """
    return class_table(knowledge.classes), class_table(knowledge.main), knowledge.main_of()


def rasterize_codes(gdf: gpd.GeoDataFrame, values: np.ndarray, grid: Grid) -> np.ndarray:
    """Burn integer ``values`` of polygons into a uint8 raster (0 outside polygons)."""
    if gdf.empty:
        return np.zeros(grid.shape, dtype=np.uint8)
    return rasterio.features.rasterize(
        zip(gdf.geometry.values, values.tolist(), strict=True), out_shape=grid.shape,
        transform=grid.transform, fill=0, dtype="uint8",
    )


def classify_soil(gdf: gpd.GeoDataFrame, knowledge: SoilClasses, path: str = "soil") -> gpd.GeoDataFrame:
    """Add ``main_class``, ``code``, ``main_code`` and the names to a soil layer with ``soil_class``."""
    classes, mains, main_of = soil_tables(knowledge)
    if "soil_class" not in gdf.columns:
        raise InputDataError(
            "errors.vector_columns", path=path, missing="soil_class",
            present=", ".join(str(c) for c in gdf.columns if c != "geometry"),
        )
    soil_class = gdf["soil_class"].astype(str).str.strip().str.lower()
    known = {c.id: c for c in classes}
    unknown = sorted(set(soil_class) - set(known))
    if unknown:
        raise InputDataError(
            "baseinfo.errors.soil_class_unknown", path=path, unknown=", ".join(unknown),
            known=", ".join(known),
        )
    main_by_id = {m.id: m for m in mains}
    out = gdf[[gdf.geometry.name]].copy()
    out["soil_class"] = soil_class.values
    out["main_class"] = [main_of[s] for s in soil_class]
    out["name_nl"] = [known[s].nl for s in soil_class]
    out["name_en"] = [known[s].en for s in soil_class]
    out["code"] = np.array([known[s].code for s in soil_class], dtype=np.uint8)
    out["main_code"] = np.array([main_by_id[m].code for m in out["main_class"]], dtype=np.uint8)
    return out
