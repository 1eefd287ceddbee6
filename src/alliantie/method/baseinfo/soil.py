"""``baseinfo.soil``: the soil map clipped to the study area, with main soil classes, as vector and raster."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from alliantie.contract.classes import class_table
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, MapSpec, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.io.styles import vector_categorized_qml
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.baseinfo.classes import legend as class_legend
from alliantie.method.baseinfo.classes import style_classes
from alliantie.method.baseinfo.output import (
    OVER_HILLSHADE,
    present_codes,
    text,
    write_classes,
)
from alliantie.soil import classify_soil, rasterize_codes


def soil(ctx: ProductContext) -> None:
    """Soil polygons clipped to the area with their main class; soil.tif (class) and soil_main.tif (main class)."""
    knowledge = ctx.knowledge_model(SoilClasses)
    classes, mains = class_table(knowledge.classes), class_table(knowledge.main)
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
    for row in knowledge.classes:
        main_lookup[row.code] = main_by_id[row.main]
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
