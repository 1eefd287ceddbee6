"""``baseinfo.structure_carriers``: the structure carriers (*structuurdragers*) of the region.

The three base maps (soil, water, green) combine into one map of the parts that
carry the regional spatial main structure: stream valleys, ridges, seepage
wetlands, green corridors, river and floodplain. Each kind is built from
documented rules (``structure_rules.toml``) on the rasters of the step 2
products, dissolved, split into separate pieces, and small pieces are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
from scipy import ndimage

from alliantie.contract.classes import ClassInfo
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, MapSpec, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.grid import Grid
from alliantie.io.styles import vector_categorized_qml
from alliantie.method.baseinfo import patches
from alliantie.method.baseinfo.classes import codes, style_classes, vector_legend
from alliantie.method.baseinfo.green import nature_codes
from alliantie.method.baseinfo.knowledge import (
    Carrier,
    LandscapeRules,
    SeepageRules,
    StructureRules,
    VegetationGroups,
    WaterKinds,
)
from alliantie.method.baseinfo.output import (
    text,
    upstream_raster,
    upstream_vector,
    write_layers,
)
from alliantie.method.baseinfo.products import STRUCTURE_PARAMETERS
from alliantie.method.baseinfo.rules import resolve_limit, rule_mask

LANDSCAPE, ELEVATION, SEEPAGE, GREEN, WATER = (
    "baseinfo.landscape", "baseinfo.elevation", "baseinfo.seepage", "baseinfo.green", "baseinfo.water",
)
STRUCTURE_FILE = "structure_carriers.gpkg"
STRUCTURE_LAYER = "structure_carriers"
#: Parameters of ``[parameters.baseinfo]`` the rules may name as ``"{name}"``.
#: Kinds drawn first (large, background) to last (small, on top).
DRAW_ORDER = ("green_corridor", "ridge", "stream_valley", "river_floodplain", "seepage_wetland")
COLUMNS = ("kind", "name", "area_ha", "components", "rule", "description_nl", "description_en")


def carrier_classes(knowledge: StructureRules) -> list[ClassInfo]:
    return [ClassInfo(c.kind, i + 1, c.nl, c.en, c.color) for i, c in enumerate(knowledge.carrier)]


def link_streams(pieces: np.ndarray, streams: np.ndarray) -> np.ndarray:
    """Stream cells outside ``pieces`` whose connected stretch touches two or more separate pieces."""
    labels, count = ndimage.label(pieces, structure=patches.EIGHT)
    stretch = streams & ~pieces
    if count < 2 or not stretch.any():
        return np.zeros(pieces.shape, dtype=bool)
    # neighbouring piece labels of every stretch cell: the largest and the smallest non-zero one
    high = ndimage.maximum_filter(labels, size=3)
    big = np.iinfo(np.int32).max
    low = ndimage.minimum_filter(np.where(labels > 0, labels, big).astype(np.int32), size=3)
    parts, n_parts = ndimage.label(stretch, structure=patches.EIGHT)
    index = np.arange(1, n_parts + 1)
    touching = stretch & (high > 0)
    highest = ndimage.maximum(np.where(touching, high, 0), labels=parts, index=index)
    lowest = ndimage.minimum(np.where(touching, low, big), labels=parts, index=index)
    linking = np.zeros(n_parts + 1, dtype=bool)
    linking[1:] = (np.asarray(highest) > 0) & (np.asarray(lowest) < np.asarray(highest))
    return linking[parts]


def carrier_mask(
    carrier: Carrier,
    variables: Mapping[str, np.ndarray],
    cats: Mapping[str, Mapping[str, int]],
    params: Mapping[str, float],
    cell_m: float,
) -> np.ndarray:
    """Cells of one carrier kind before the size filter."""
    shape = next(iter(variables.values())).shape
    rule_id = carrier.rule
    out = np.zeros(shape, dtype=bool)
    for part in carrier.part:
        hit = rule_mask(part.when, variables, cats, params, rule_id)
        out |= patches.dilate(hit, resolve_limit(part.buffer_m, params, rule_id), cell_m)
    close_m = resolve_limit(carrier.close_m, params, rule_id)
    if close_m > 0:
        out = patches.close(out, close_m, cell_m)
    link_m = resolve_limit(carrier.link_streams_m, params, rule_id)
    if link_m > 0 and "watercourse" in variables:
        streams = np.isin(variables["watercourse"], [cats["watercourse"]["stream"]])
        out |= patches.dilate(link_streams(out, streams), link_m, cell_m)
    return out


def carrier_frame(
    masks: Mapping[str, np.ndarray],
    knowledge: StructureRules,
    grid: Grid,
    area_mask: np.ndarray,
    min_area_ha: float,
) -> gpd.GeoDataFrame:
    """Polygons of all carriers: one row per connected piece at least ``min_area_ha`` large."""
    min_cells = max(1, int(np.ceil(min_area_ha * 1e4 / grid.cell_area - 1e-9)))
    by_kind = {c.kind: c for c in knowledge.carrier}
    rows: list[dict[str, Any]] = []
    order = [k for k in DRAW_ORDER if k in masks] + [k for k in masks if k not in DRAW_ORDER]
    for kind in order:
        carrier = by_kind[kind]
        mask = patches.drop_small(masks[kind] & area_mask, min_cells)
        if not mask.any():
            continue
        geoms = [
            shapely.geometry.shape(g)
            for g, _ in rasterio.features.shapes(
                mask.astype(np.uint8), mask=mask, transform=grid.transform, connectivity=8
            )
        ]
        merged = shapely.union_all(shapely.make_valid(np.array(geoms, dtype=object)))
        pieces = [p for p in getattr(merged, "geoms", [merged]) if p.geom_type == "Polygon"]
        pieces = sorted(pieces, key=lambda p: -p.area)
        for number, piece in enumerate(pieces, start=1):
            piece = piece.simplify(grid.res * 0.5, preserve_topology=True)
            if piece.area < min_area_ha * 1e4 * 0.5:
                continue
            rows.append({
                "kind": kind,
                "name": f"{carrier.nl} {number}",
                "area_ha": round(piece.area / 1e4, 2),
                "components": carrier.components,
                "rule": carrier.rule,
                "description_nl": carrier.description_nl,
                "description_en": carrier.description_en,
                "geometry": piece,
            })
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in COLUMNS}, geometry=gpd.GeoSeries([], crs=grid.crs), crs=grid.crs)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=grid.crs)


def rasterize_kinds(gdf: gpd.GeoDataFrame, lookup: Mapping[str, int], grid: Grid, *, lines: bool) -> np.ndarray:
    """Burn the ``kind`` codes of ``gdf`` into a uint8 raster (0 = none)."""
    known = gdf[gdf["kind"].isin(list(lookup))] if not gdf.empty else gdf
    if known.empty:
        return np.zeros(grid.shape, dtype=np.uint8)
    return rasterio.features.rasterize(
        zip(known.geometry.values, [lookup[k] for k in known["kind"]], strict=True),
        out_shape=grid.shape, transform=grid.transform, fill=0, dtype="uint8", all_touched=lines,
    )


def structure_categories(ctx: ProductContext) -> dict[str, dict[str, int]]:
    """Name -> code lookups of the categorical variables of the carrier rules."""
    water = ctx.knowledge_model(WaterKinds)
    return {
        "landscape": codes(ctx.knowledge_model(LandscapeRules).type),
        "vegetation": codes(ctx.knowledge_model(VegetationGroups).group),
        "seepage": codes(ctx.knowledge_model(SeepageRules).zone),
        "watercourse": codes(water.watercourse),
        "waterbody": codes(water.waterbody),
        "nature_kind": nature_codes(),
    }


def _in_draw_order(classes: list[ClassInfo]) -> list[ClassInfo]:
    rank = {kind: i for i, kind in enumerate(DRAW_ORDER)}
    return sorted(classes, key=lambda c: rank.get(c.id, len(rank)))


def structure_carriers(ctx: ProductContext) -> None:
    """structure_carriers.gpkg: one polygon per carrier piece (kind, name, area_ha, components, rule, descriptions)."""
    knowledge = ctx.knowledge_model(StructureRules)
    params = {p: float(ctx.param(f"baseinfo.{p}")) for p in STRUCTURE_PARAMETERS}
    cats = structure_categories(ctx)
    grid = ctx.grid
    nature = upstream_vector(ctx, GREEN, "nature.gpkg", "nature")
    network = nature[nature["network"].astype(bool)] if not nature.empty else nature
    variables = {
        "landscape": upstream_raster(ctx, LANDSCAPE, "landscape.tif", categorical=True),
        "vegetation": upstream_raster(ctx, GREEN, "vegetation.tif", categorical=True),
        "seepage": upstream_raster(ctx, SEEPAGE, "seepage.tif", categorical=True),
        "relief": upstream_raster(ctx, ELEVATION, "relief.tif"),
        "elevation": upstream_raster(ctx, ELEVATION, "elevation.tif"),
        "watercourse": rasterize_kinds(
            upstream_vector(ctx, WATER, "water.gpkg", "watercourses"), cats["watercourse"], grid, lines=True),
        "waterbody": rasterize_kinds(
            upstream_vector(ctx, WATER, "water.gpkg", "waterbodies"), cats["waterbody"], grid, lines=False),
        "nature_kind": rasterize_kinds(nature, cats["nature_kind"], grid, lines=False),
        "nature_network": rasterize_kinds(
            network.assign(kind="network") if not network.empty else network, {"network": 1}, grid, lines=False),
    }
    masks = {c.kind: carrier_mask(c, variables, cats, params, grid.res) for c in knowledge.carrier}
    gdf = carrier_frame(masks, knowledge, grid, ctx.mask, params["min_carrier_area_ha"])
    classes = carrier_classes(knowledge)
    write_layers(ctx, STRUCTURE_FILE, [
        (STRUCTURE_LAYER, gdf, "Polygon",
         vector_categorized_qml("kind", style_classes(classes, ctx.language, by="id"), "polygon")),
    ])
    write_maps(ctx.out_dir, [
        MapSpec(
            id="structure_carriers", theme="structure",
            title=text("baseinfo.maps.structure_carriers.title"),
            description=text("baseinfo.maps.structure_carriers.description",
                             area=f"{params['min_carrier_area_ha']:g}"),
            layers=[
                hillshade_layer(),
                # legend order is drawing order: large background kinds first, small wet ones on top
                Layer(file=STRUCTURE_FILE, layer=STRUCTURE_LAYER, type="vector", column="kind", alpha=0.7,
                      legend=vector_legend(_in_draw_order(classes), set(gdf["kind"]))),
            ],
        ),
    ])
