"""``baseinfo.water``: water courses and water bodies of the study area, by kind."""

from __future__ import annotations

import geopandas as gpd

from alliantie.contract.classes import class_table
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, MapSpec, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.io.styles import vector_categorized_qml
from alliantie.method.baseinfo.classes import style_classes, vector_legend
from alliantie.method.baseinfo.knowledge import WaterKinds
from alliantie.method.baseinfo.output import text, write_layers

WATER_FILE = "water.gpkg"


def clip_kind(gdf: gpd.GeoDataFrame | None, area: object, crs: str, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """``gdf`` clipped to ``area`` with the given columns (empty frame when None); ``kind`` lower case."""
    if gdf is None or gdf.empty:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    out = gdf.copy()
    for column in columns:
        if column not in out.columns:
            out[column] = None
    out["kind"] = out["kind"].astype(str).str.strip().str.lower()
    out = gpd.clip(out[[*columns, out.geometry.name]], area)
    return out[~out.geometry.is_empty].reset_index(drop=True)


def water(ctx: ProductContext) -> None:
    """water.gpkg with layers ``watercourses`` (lines) and ``waterbodies`` (polygons)."""
    knowledge = ctx.knowledge_model(WaterKinds)
    course_kinds = class_table(knowledge.watercourse)
    body_kinds = class_table(knowledge.waterbody)
    crs = ctx.grid.crs
    courses = clip_kind(ctx.vector("watercourses"), ctx.area, crs, ("kind", "name", "width_m"))
    bodies = clip_kind(ctx.vector("waterbodies"), ctx.area, crs, ("kind", "name"))
    courses["length_m"] = courses.geometry.length.round(1)
    bodies["area_ha"] = (bodies.geometry.area / 1e4).round(3)
    write_layers(ctx, WATER_FILE, [
        ("waterbodies", bodies, "MultiPolygon",
         vector_categorized_qml("kind", style_classes(body_kinds, ctx.language, by="id"), "polygon")),
        ("watercourses", courses, "MultiLineString",
         vector_categorized_qml("kind", style_classes(course_kinds, ctx.language, by="id"), "line")),
    ])
    write_maps(ctx.out_dir, [
        MapSpec(
            id="water", theme="water",
            title=text("baseinfo.maps.water.title"),
            description=text("baseinfo.maps.water.description"),
            layers=[
                hillshade_layer(),
                Layer(file=WATER_FILE, layer="waterbodies", type="vector", column="kind",
                      legend=vector_legend(body_kinds, set(bodies["kind"]))),
                Layer(file=WATER_FILE, layer="watercourses", type="vector", column="kind",
                      legend=vector_legend(course_kinds, set(courses["kind"])), linewidth=1.0),
            ],
        ),
    ])
