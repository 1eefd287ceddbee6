"""``baseinfo.green``: vegetation groups from LGN land use, and the nature areas of the study area."""

from __future__ import annotations

import logging

import numpy as np

from alliantie.contract.classes import ClassInfo, class_table
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, LegendEntry, MapSpec, Text, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.io.styles import vector_categorized_qml
from alliantie.knowledge.land_use import LgnClasses
from alliantie.method.baseinfo.classes import legend as class_legend
from alliantie.method.baseinfo.classes import style_classes
from alliantie.method.baseinfo.knowledge import VegetationGroups
from alliantie.method.baseinfo.output import (
    OVER_HILLSHADE,
    present_codes,
    text,
    write_classes,
    write_layers,
)
from alliantie.method.baseinfo.water import clip_kind

log = logging.getLogger(__name__)

#: Kinds of nature areas of the input contract with map colours.
NATURE_KINDS: dict[str, tuple[str, Text]] = {
    "forest": ("#3f8f3a", Text(nl="Bos", en="Forest")),
    "heath": ("#b07cb8", Text(nl="Heide", en="Heath")),
    "wetland": ("#5fb8a6", Text(nl="Moeras", en="Wetland")),
    "grassland": ("#b9dd8b", Text(nl="Natuurgrasland", en="Nature grassland")),
    "nature_network": ("#7aa95c", Text(nl="Natuurnetwerk", en="Nature network")),
}


def nature_codes() -> dict[str, int]:
    """Code of each nature kind in rasters (1, 2, ... in the order of :data:`NATURE_KINDS`)."""
    return {kind: i + 1 for i, kind in enumerate(NATURE_KINDS)}


def vegetation_lookup(lgn: LgnClasses, groups: list[ClassInfo]) -> np.ndarray:
    """Table LGN code (0..255) -> vegetation group code (0 = unknown / no data)."""
    code_of = {g.id: g.code for g in groups}
    table = np.zeros(256, dtype=np.uint8)
    for row in lgn.classes:
        if row.group not in code_of:
            raise ValueError(f"lgn_classes.toml: LGN {row.code} has unknown group {row.group!r}")
        table[row.code] = code_of[row.group]
    return table


def vegetation_groups(landuse: np.ndarray, lookup: np.ndarray) -> np.ndarray:
    """Vegetation group code per cell from LGN codes (uint8 land use; 0 = no data)."""
    return lookup[np.clip(landuse, 0, 255).astype(np.uint8)]


def green(ctx: ProductContext) -> None:
    """vegetation.tif (vegetation group) and nature.gpkg (nature areas clipped to the area)."""
    groups = class_table(ctx.knowledge_model(VegetationGroups).group)
    lookup = vegetation_lookup(ctx.knowledge_model(LgnClasses), groups)
    landuse = ctx.raster("landuse").array
    vegetation = vegetation_groups(landuse, lookup)
    vegetation[~ctx.mask] = 0
    unknown = (vegetation == 0) & (landuse != 0) & ctx.mask
    if unknown.any():
        codes = sorted(int(c) for c in np.unique(landuse[unknown]))
        log.warning("landuse: %d cells have LGN codes without a vegetation group: %s", int(unknown.sum()), codes)

    crs = ctx.grid.crs
    nature = clip_kind(ctx.vector("nature"), ctx.area, crs, ("kind", "name", "network"))
    nature["network"] = nature["network"].fillna(False).astype(bool)
    nature["area_ha"] = (nature.geometry.area / 1e4).round(3)
    nature_classes = [ClassInfo(k, nature_codes()[k], t.nl, t.en, c) for k, (c, t) in NATURE_KINDS.items()]
    write_classes(ctx, "vegetation.tif", vegetation, groups, "vegetation group")
    write_layers(ctx, "nature.gpkg", [
        ("nature", nature, "MultiPolygon",
         vector_categorized_qml("kind", style_classes(nature_classes, ctx.language, by="id"), "polygon")),
    ])
    present_kinds = set(nature["kind"])
    write_maps(ctx.out_dir, [
        MapSpec(
            id="vegetation", theme="green",
            title=text("baseinfo.maps.vegetation.title"),
            description=text("baseinfo.maps.vegetation.description"),
            layers=[
                hillshade_layer(),
                Layer(file="vegetation.tif", type="raster_classes", alpha=OVER_HILLSHADE,
                      legend=class_legend(groups, present_codes(vegetation))),
            ],
        ),
        MapSpec(
            id="nature", theme="green",
            title=text("baseinfo.maps.nature.title"),
            description=text("baseinfo.maps.nature.description"),
            layers=[
                hillshade_layer(),
                Layer(file="nature.gpkg", layer="nature", type="vector", column="kind", alpha=OVER_HILLSHADE,
                      legend=[LegendEntry(value=k, color=c, label=t)
                              for k, (c, t) in NATURE_KINDS.items() if k in present_kinds]),
            ],
        ),
    ])
