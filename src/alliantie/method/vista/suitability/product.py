"""``vista.suitability``: per measure group an ordinal class per cell from the base information and the hazards."""

from __future__ import annotations

import numpy as np

from alliantie.contract.names import (
    DROUGHT,
    ELEVATION,
    FLOOD,
    GREEN,
    GROUNDWATER,
    LANDSCAPE,
    PLUVIAL,
    SEEPAGE,
    SOIL,
    STRUCTURE,
    WATER,
)
from alliantie.contract.spec import write_tables
from alliantie.dossier.registry import ProductContext
from alliantie.io.raster import read_raster
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.knowledge import LandscapeRules, SeepageRules, StructureRules, VegetationGroups
from alliantie.method.baseinfo.output import upstream_raster, upstream_vector
from alliantie.method.vista.density import built_share
from alliantie.method.vista.suitability.analysis import (
    NO_CARRIER,
    burn,
    classify_groups,
    distance_or_far,
    most_telling,
    slope_percent,
)
from alliantie.method.vista.suitability.knowledge import SuitabilityRules
from alliantie.method.vista.suitability.outputs import MAPS, write_outputs

#: No data of the wildfire raster of urgency.drought (uint8 percent).
_WILDFIRE_NODATA = 255


def _optional_raster(ctx: ProductContext, product: str, filename: str) -> np.ndarray | None:
    folder = ctx.optional_upstream(product)
    if folder is None or not (folder / filename).exists():
        return None
    return read_raster(folder / filename, grid=ctx.grid, label=f"{product}/{filename}").array


def categories(ctx: ProductContext) -> dict[str, dict[str, int]]:
    """Name -> code of the categorical variables of the rules."""
    soil = ctx.knowledge_model(SoilClasses)
    kinds = [c.kind for c in ctx.knowledge_model(StructureRules).carrier]
    return {
        "main": codes(soil.main),
        "landscape": codes(ctx.knowledge_model(LandscapeRules).type),
        "landuse": codes(ctx.knowledge_model(VegetationGroups).group),
        "seepage": codes(ctx.knowledge_model(SeepageRules).zone),
        "carrier": {NO_CARRIER: 0, **{kind: i for i, kind in enumerate(kinds, start=1)}},
    }


def variables(ctx: ProductContext, cats: dict[str, dict[str, int]], radius_m: float) -> dict[str, np.ndarray]:
    """The variables of the rules on the dossier grid (see suitability_rules.toml)."""
    grid = ctx.grid
    elevation = upstream_raster(ctx, ELEVATION, "elevation.tif")
    landuse = upstream_raster(ctx, GREEN, "vegetation.tif", categorical=True)
    valid = ctx.mask & np.isfinite(elevation)
    carriers = upstream_vector(ctx, STRUCTURE, "structure_carriers.gpkg", "structure_carriers")
    bluespots = upstream_vector(ctx, PLUVIAL, "bluespots.gpkg", "bluespots")
    courses = upstream_vector(ctx, WATER, "water.gpkg", "watercourses")
    buildings = ctx.vector("buildings")
    streams = burn(list(courses.geometry[courses["kind"] == "stream"]), grid).astype(bool)
    in_bluespot = burn(list(bluespots.geometry), grid).astype(bool)
    flood = _optional_raster(ctx, FLOOD, "depth_current.tif")
    wildfire = _optional_raster(ctx, DROUGHT, "wildfire_current.tif")
    return {
        "main": upstream_raster(ctx, SOIL, "soil_main.tif", categorical=True),
        "landscape": upstream_raster(ctx, LANDSCAPE, "landscape.tif", categorical=True),
        "landuse": landuse,
        "seepage": upstream_raster(ctx, SEEPAGE, "seepage.tif", categorical=True),
        "carrier": burn(list(carriers.geometry), grid,
                        [cats["carrier"].get(str(k), 0) for k in carriers["kind"]]),
        "ghg": upstream_raster(ctx, GROUNDWATER, "ghg.tif"),
        "glg": upstream_raster(ctx, GROUNDWATER, "glg.tif"),
        "slope": slope_percent(elevation, grid.res),
        "relief": upstream_raster(ctx, ELEVATION, "relief.tif"),
        "building": burn(list(buildings.geometry), grid).astype(np.float32) if buildings is not None
        else np.zeros(grid.shape, np.float32),
        "built_share": built_share(landuse, [cats["landuse"]["built"]], valid, grid.res, radius_m),
        "bluespot": in_bluespot.astype(np.float32),
        "bluespot_distance": distance_or_far(in_bluespot, grid.res),
        "stream_distance": distance_or_far(streams, grid.res),
        "flood_depth": np.nan_to_num(flood, nan=0.0).astype(np.float32) if flood is not None
        else np.zeros(grid.shape, np.float32),
        "wildfire": np.where(wildfire == _WILDFIRE_NODATA, 0.0, wildfire).astype(np.float32) if wildfire is not None
        else np.zeros(grid.shape, np.float32),
    }


def suitability(ctx: ProductContext) -> None:
    """suitability_<group>.tif per measure group, suitability.png, maps.json and tables.json."""
    rules = ctx.knowledge_model(SuitabilityRules)
    cats = categories(ctx)
    values = variables(ctx, cats, rules.built_radius_m.value)
    valid = ctx.mask & np.isfinite(upstream_raster(ctx, ELEVATION, "elevation.tif"))
    results = classify_groups(rules, values, cats, valid)
    tables, figures = write_outputs(ctx, results, most_telling(results, valid, MAPS), rules, valid)
    write_tables(ctx.out_dir, tables, figures)
