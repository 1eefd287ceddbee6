"""``baseinfo.soil``: the soil map clipped to the study area, with main soil classes, as vector and raster."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import rasterio.features

from alliantie.contract.spec import Layer, MapSpec, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.errors import InputDataError
from alliantie.grid import Grid
from alliantie.io.styles import vector_categorized_qml
from alliantie.method.baseinfo.classes import ClassInfo, class_table, style_classes
from alliantie.method.baseinfo.classes import legend as class_legend
from alliantie.method.baseinfo.output import (
    OVER_HILLSHADE,
    hillshade_layer,
    present_codes,
    text,
    write_classes,
)


def soil_tables(knowledge: dict[str, Any]) -> tuple[list[ClassInfo], list[ClassInfo], dict[str, str]]:
    """(soil classes, main classes, soil class id -> main class id) of ``soil_classes.toml``."""
    classes = class_table(knowledge["class"])
    mains = class_table(knowledge["main"])
    main_of = {str(e["id"]): str(e["main"]) for e in knowledge["class"]}
    unknown = set(main_of.values()) - {m.id for m in mains}
    if unknown:
        raise ValueError(f"soil_classes.toml: unknown main classes {sorted(unknown)}")
    return classes, mains, main_of


def rasterize_codes(gdf: gpd.GeoDataFrame, values: np.ndarray, grid: Grid) -> np.ndarray:
    """Burn integer ``values`` of polygons into a uint8 raster (0 outside polygons)."""
    if gdf.empty:
        return np.zeros(grid.shape, dtype=np.uint8)
    return rasterio.features.rasterize(
        zip(gdf.geometry.values, values.tolist(), strict=True), out_shape=grid.shape,
        transform=grid.transform, fill=0, dtype="uint8",
    )


def classify_soil(gdf: gpd.GeoDataFrame, knowledge: dict[str, Any], path: str = "soil") -> gpd.GeoDataFrame:
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


def soil(ctx: ProductContext) -> None:
    """Soil polygons clipped to the area with their main class; soil.tif (class) and soil_main.tif (main class)."""
    knowledge = ctx.knowledge("soil_classes")
    classes, mains, _ = soil_tables(knowledge)
    raw = ctx.vector("soil")
    assert raw is not None  # a required input
    gdf = classify_soil(raw, knowledge, path=str(ctx.dossier.input_file("soil").path))  # type: ignore[union-attr]
    gdf = gdf[gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    clipped = gpd.clip(gdf, ctx.area)
    clipped = clipped[~clipped.geometry.is_empty].reset_index(drop=True)
    clipped["area_ha"] = (clipped.geometry.area / 1e4).round(3)

    outside = ~ctx.mask
    soil_raster = rasterize_codes(gdf, gdf["code"].to_numpy(), ctx.grid)
    soil_raster[outside] = 0
    main_lookup = np.zeros(256, dtype=np.uint8)
    main_by_id = {m.id: m.code for m in mains}
    for row in knowledge["class"]:
        main_lookup[int(row["code"])] = main_by_id[str(row["main"])]
    main_raster = main_lookup[soil_raster]

    write_classes(ctx, "soil.tif", soil_raster, classes, "soil class")
    write_classes(ctx, "soil_main.tif", main_raster, mains, "main soil class")
    ctx.write_vector(
        "soil.gpkg", clipped.drop(columns=["code", "main_code"]), layer="soil",
        qml=vector_categorized_qml("main_class", style_classes(mains, ctx.language, by="id"), "polygon"),
    )
    write_maps(ctx.out_dir, [
        MapSpec(
            id="soil_main", theme="soil",
            title=text("baseinfo.maps.soil_main.title"),
            description=text("baseinfo.maps.soil_main.description"),
            layers=[
                hillshade_layer(),
                Layer(file="soil_main.tif", type="raster_classes", alpha=OVER_HILLSHADE,
                      legend=class_legend(mains, present_codes(main_raster))),
            ],
        ),
        MapSpec(
            id="soil_classes", theme="soil",
            title=text("baseinfo.maps.soil_classes.title"),
            description=text("baseinfo.maps.soil_classes.description"),
            layers=[
                hillshade_layer(),
                Layer(file="soil.tif", type="raster_classes", alpha=OVER_HILLSHADE,
                      legend=class_legend(classes, present_codes(soil_raster))),
            ],
        ),
    ])
