"""``baseinfo.landscape``: a landscape type per place, as raster and polygons.

Ordered rules (``landscape_rules.toml``) on soil, elevation, relief,
groundwater, seepage and the distance to streams and rivers give a type per
cell; a majority filter and the merging of small patches make it a map; the
polygons carry the type, its landscape group and the matching gidsmodel.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import rasterio.features

from alliantie.contract.classes import ClassInfo, class_table
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, MapSpec, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.grid import Grid
from alliantie.io.styles import vector_categorized_qml
from alliantie.knowledge.model import Names
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.baseinfo import patches, terrain
from alliantie.method.baseinfo.classes import codes, style_classes
from alliantie.method.baseinfo.classes import legend as class_legend
from alliantie.method.baseinfo.knowledge import LandscapeRules, SeepageRules
from alliantie.method.baseinfo.output import (
    OVER_HILLSHADE,
    present_codes,
    text,
    upstream_raster,
    upstream_vector,
    write_classes,
    write_layers,
)
from alliantie.method.baseinfo.rules import classify
from alliantie.raster.distance import distance_to

#: Rule class that hands a cell to the nearest classified cell.
NEAREST = "nearest"
_NEAREST_CODE = 255

SOIL, ELEVATION, GROUNDWATER, SEEPAGE, WATER = (
    "baseinfo.soil", "baseinfo.elevation", "baseinfo.groundwater", "baseinfo.seepage", "baseinfo.water",
)


def landscape_types(knowledge: LandscapeRules) -> list[ClassInfo]:
    return class_table(knowledge.type)


def categories(soil_knowledge: SoilClasses, seepage_knowledge: SeepageRules) -> dict[str, dict[str, int]]:
    """Name -> code lookups of the categorical variables of the landscape rules."""
    return {
        "soil": codes(soil_knowledge.classes),
        "main": codes(soil_knowledge.main),
        "seepage": codes(seepage_knowledge.zone),
    }


def classify_landscape(
    variables: Mapping[str, np.ndarray],
    knowledge: LandscapeRules,
    cats: Mapping[str, Mapping[str, int]],
    valid: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Landscape code per cell before smoothing, and the index of the rule that fired.

    Cells matched by a ``nearest`` rule take the type of the nearest classified cell.
    """
    table = {**codes(landscape_types(knowledge)), NEAREST: _NEAREST_CODE}
    out, fired = classify(knowledge.rule, table, variables, categories=cats, valid=valid)
    holes = out == _NEAREST_CODE
    if holes.any():
        out[holes] = 0
        out = patches.fill_nearest(out, holes)
        out[~valid] = 0
    return out, fired


def smooth_landscape(landscape: np.ndarray, window_cells: int, min_cells: int) -> np.ndarray:
    """Majority filter, then small patches merged into their neighbours."""
    valid = landscape != 0
    out = patches.majority(landscape, window_cells)
    out = patches.merge_small_patches(out, min_cells)
    out[~valid] = 0
    return out


def water_distances(
    courses: gpd.GeoDataFrame, bodies: gpd.GeoDataFrame, grid: Grid
) -> dict[str, np.ndarray]:
    """Distance (m) to the nearest stream and to the nearest river (lines or river water bodies)."""

    def burn(geoms: list[Any]) -> np.ndarray:
        if not geoms:
            return np.zeros(grid.shape, dtype=bool)
        return rasterio.features.rasterize(
            [(g, 1) for g in geoms], out_shape=grid.shape, transform=grid.transform,
            fill=0, dtype="uint8", all_touched=True,
        ).astype(bool)

    streams = burn(list(courses.geometry[courses["kind"] == "stream"]))
    rivers = burn(
        list(courses.geometry[courses["kind"] == "river"])
        + list(bodies.geometry[bodies["kind"].isin(["river", "floodplain_lake"])])
    )
    return {
        "stream_distance": distance_to(streams, grid.res, np.float32),
        "river_distance": distance_to(rivers, grid.res, np.float32),
    }


def landscape_polygons(
    landscape: np.ndarray, grid: Grid, types: list[ClassInfo], knowledge: LandscapeRules
) -> gpd.GeoDataFrame:
    """Polygons of the landscape map with type, names, group, gidsmodel and area (ha)."""
    by_code = {t.code: t for t in types}
    entries = {e.id: e for e in knowledge.type}
    no_name = Names(nl="", en="")
    rows = []
    for geom, code in patches.polygons(landscape, grid.transform):
        info = by_code[code]
        entry = entries[info.id]
        group = knowledge.groups.get(entry.group, no_name)
        guide = entry.gidsmodel or no_name
        rows.append({
            "type": info.id, "name_nl": info.nl, "name_en": info.en,
            "group_nl": group.nl, "group_en": group.en,
            "gidsmodel_nl": guide.nl, "gidsmodel_en": guide.en, "geometry": geom,
        })
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=grid.crs) if rows else gpd.GeoDataFrame(
        {"type": []}, geometry=gpd.GeoSeries([], crs=grid.crs), crs=grid.crs
    )
    gdf["area_ha"] = (gdf.geometry.area / 1e4).round(3)
    return gdf


def landscape(ctx: ProductContext) -> None:
    """landscape.tif (type code) and landscape.gpkg (polygons with type, group, gidsmodel, area_ha)."""
    knowledge = ctx.knowledge_model(LandscapeRules)
    cats = categories(ctx.knowledge_model(SoilClasses), ctx.knowledge_model(SeepageRules))
    types = landscape_types(knowledge)
    grid = ctx.grid
    soil = upstream_raster(ctx, SOIL, "soil.tif", categorical=True)
    main = upstream_raster(ctx, SOIL, "soil_main.tif", categorical=True)
    elevation = upstream_raster(ctx, ELEVATION, "elevation.tif")
    courses = upstream_vector(ctx, WATER, "water.gpkg", "watercourses")
    bodies = upstream_vector(ctx, WATER, "water.gpkg", "waterbodies")
    variables = {
        "soil": soil, "main": main, "elevation": elevation,
        "relief": upstream_raster(ctx, ELEVATION, "relief.tif"),
        "regional_relief": upstream_raster(ctx, SEEPAGE, "regional_relief.tif"),
        "height_above_low": terrain.height_above_low(
            elevation, float(ctx.param("baseinfo.regional_radius_m")), grid.res),
        "ghg": upstream_raster(ctx, GROUNDWATER, "ghg.tif"),
        "glg": upstream_raster(ctx, GROUNDWATER, "glg.tif"),
        "seepage": upstream_raster(ctx, SEEPAGE, "seepage.tif", categorical=True),
        **water_distances(courses, bodies, grid),
    }
    valid = ctx.mask & np.isfinite(elevation)
    raw, _ = classify_landscape(variables, knowledge, cats, valid)
    window = patches_window(float(ctx.param("baseinfo.landscape_smoothing_m")), grid.res)
    min_cells = round(float(ctx.param("baseinfo.landscape_min_patch_ha")) * 1e4 / grid.cell_area)
    final = smooth_landscape(raw, window, min_cells)
    gdf = landscape_polygons(final, grid, types, knowledge)

    write_classes(ctx, "landscape.tif", final, types, "landscape type")
    write_layers(ctx, "landscape.gpkg", [
        ("landscape", gdf, "MultiPolygon",
         vector_categorized_qml("type", style_classes(types, ctx.language, by="id"), "polygon")),
    ])
    write_maps(ctx.out_dir, [
        MapSpec(
            id="landscape", theme="landscape",
            title=text("baseinfo.maps.landscape.title"),
            description=text("baseinfo.maps.landscape.description"),
            layers=[
                hillshade_layer(),
                Layer(file="landscape.tif", type="raster_classes", alpha=OVER_HILLSHADE,
                      legend=class_legend(types, present_codes(final))),
            ],
        ),
    ])


def patches_window(width_m: float, cell_m: float) -> int:
    """Odd window width in cells of the majority filter for ``width_m``."""
    cells = max(1, round(width_m / cell_m))
    return cells if cells % 2 == 1 else cells + 1
