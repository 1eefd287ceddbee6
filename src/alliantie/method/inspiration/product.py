"""The three inspiration maps of step 4: ``inspiration.veerkracht``, ``inspiration.economie`` and
``inspiration.gebied_stuurt``."""

from __future__ import annotations

import numpy as np

from alliantie.contract.layers import hillshade_layer
from alliantie.contract.names import GREEN, GUIDE_MODELS, LANDSCAPE, SEEPAGE, STRUCTURE, SUITABILITY, WATER
from alliantie.contract.spec import MapSpec, TableSpec, catalogue_text, read_maps, write_maps, write_tables
from alliantie.dossier.registry import ProductContext
from alliantie.io.raster import read_raster
from alliantie.io.vector import write_vector_layers
from alliantie.knowledge.guide_models import GuideModels
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.knowledge import LandscapeRules, SeepageRules, VegetationGroups
from alliantie.method.baseinfo.output import upstream_raster, upstream_vector
from alliantie.method.inspiration.chance_outputs import chance_layers, chance_map_layers, chance_table
from alliantie.method.inspiration.chances import BaseLayers, Placed, place_cells, place_water
from alliantie.method.inspiration.fallback import Zone, fallback_places
from alliantie.method.inspiration.knowledge import EconomicChances, InspirationRules
from alliantie.method.inspiration.link_outputs import gebied_map, link_layers, links_table
from alliantie.method.inspiration.links import carrier_patches, green_links
from alliantie.method.inspiration.outputs import (
    GpkgLayer,
    legend_table,
    places_layer,
    places_map_layer,
    sketch_layers,
    sketch_map_layers,
    zone_outline_layer,
    zones_table,
)
from alliantie.method.inspiration.sketches import Perspective, PerspectiveSketches, read_perspective
from alliantie.method.vista.suitability.outputs import raster_name

text = catalogue_text

VEERKRACHT_FILE = "veerkracht.gpkg"
ECONOMIE_FILE = "economie.gpkg"
GEBIED_FILE = "gebied_stuurt.gpkg"
THEME_VEERKRACHT = "inspiration_veerkracht"
THEME_ECONOMIE = "inspiration_economie"
THEME_GEBIED = "inspiration_gebied_stuurt"


def _sketches(ctx: ProductContext, perspective: Perspective, catalogue: MeasureCatalogue) -> PerspectiveSketches:
    return read_perspective(ctx.dossier.input_file("workshop"), perspective, catalogue, crs=ctx.grid.crs,
                            bbox=ctx.grid.bounds, label_root=ctx.dossier.root)


def _write(ctx: ProductContext, filename: str, layers: list[GpkgLayer]) -> None:
    write_vector_layers(ctx.path(filename), layers)


def veerkracht(ctx: ProductContext) -> None:
    """veerkracht.gpkg (sketches by goal, the guide model's places), maps.json and tables.json."""
    catalogue = ctx.knowledge_model(MeasureCatalogue)
    models = ctx.knowledge_model(GuideModels)
    rules = ctx.knowledge_model(InspirationRules)
    sketches = _sketches(ctx, "veerkracht", catalogue)
    folder = ctx.upstream(SUITABILITY)
    zone_frame = upstream_vector(ctx, GUIDE_MODELS, "guide_models.gpkg", "guide_models")
    zones = [Zone(models.model(str(m)), g) for m, g in zip(zone_frame["model"], zone_frame.geometry, strict=True)]
    groups = {p.stem.removeprefix("suitability_") for p in folder.glob("suitability_*.tif")}

    def suitability(group: str) -> np.ndarray | None:
        path = folder / raster_name(group)
        if not path.exists():
            return None
        return read_raster(path, grid=ctx.grid, categorical=True, label=f"{SUITABILITY}/{path.name}").array

    places, empty = fallback_places(zones, [f.geometry for f in sketches.features], catalogue, suitability, groups,
                                    ctx.grid, rules.fallback)
    _write(ctx, VEERKRACHT_FILE, [*sketch_layers(sketches, ctx.grid, ctx.language),
                                  places_layer(places, ctx.grid, ctx.language)])
    place = places_map_layer(VEERKRACHT_FILE, places)
    write_maps(ctx.out_dir, [MapSpec(
        id="inspiration_veerkracht", theme=THEME_VEERKRACHT, title=text("inspiration.veerkracht.map_title"),
        description=text("inspiration.veerkracht.map_description", sketched=len(sketches.features),
                         zones=len(empty), places=len(places)),
        layers=[hillshade_layer(alpha=0.6), zone_outline_layer(), *([place] if place else []),
                *sketch_map_layers(VEERKRACHT_FILE, sketches.features)])])
    write_tables(ctx.out_dir, [
        legend_table("inspiration_veerkracht_legend", THEME_VEERKRACHT, sketches.features, places, sketches),
        zones_table("inspiration_veerkracht_zones", THEME_VEERKRACHT, empty, places)])


def economie(ctx: ProductContext) -> None:
    """economie.gpkg (economic chances, sketches by goal), maps.json and tables.json."""
    catalogue = ctx.knowledge_model(MeasureCatalogue)
    chances = ctx.knowledge_model(EconomicChances)
    models = ctx.knowledge_model(GuideModels)
    sketches = _sketches(ctx, "regionale_economie", catalogue)
    base = BaseLayers(
        landuse=upstream_raster(ctx, GREEN, "vegetation.tif", categorical=True),
        landscape=upstream_raster(ctx, LANDSCAPE, "landscape.tif", categorical=True),
        seepage=upstream_raster(ctx, SEEPAGE, "seepage.tif", categorical=True),
        valid=ctx.mask,
        city=upstream_raster(ctx, GUIDE_MODELS, "guide_models.tif", categorical=True)
        == models.model(models.city.model).code,
        codes={"landuse": codes(ctx.knowledge_model(VegetationGroups).group),
               "landscape": codes(ctx.knowledge_model(LandscapeRules).type),
               "seepage": codes(ctx.knowledge_model(SeepageRules).zone)})
    waterbodies = upstream_vector(ctx, WATER, "water.gpkg", "waterbodies")
    buildings = ctx.vector("buildings")
    placed: list[Placed] = []
    for chance in chances.chances:
        if chance.where is not None:
            placed += place_cells(chance, chance.where, base, ctx.grid)
        elif chance.water is not None:
            placed += place_water(chance, chance.water, waterbodies, buildings)
    _write(ctx, ECONOMIE_FILE, [*chance_layers(placed, chances, ctx.grid, ctx.language),
                                *sketch_layers(sketches, ctx.grid, ctx.language)])
    write_maps(ctx.out_dir, [MapSpec(
        id="inspiration_economie", theme=THEME_ECONOMIE, title=text("inspiration.economie.map_title"),
        description=text("inspiration.economie.map_description", sketched=len(sketches.features),
                         chances=len({p.chance.id for p in placed})),
        layers=[hillshade_layer(alpha=0.6), *chance_map_layers(ECONOMIE_FILE, placed, chances),
                *sketch_map_layers(ECONOMIE_FILE, sketches.features, text("inspiration.map.sketch"))])])
    tables: list[TableSpec] = [chance_table("inspiration_economie_chances", THEME_ECONOMIE, placed, chances)]
    if sketches.features or sketches.how != "no_file":
        tables.append(legend_table("inspiration_economie_legend", THEME_ECONOMIE, sketches.features, [], sketches))
    write_tables(ctx.out_dir, tables)


def gebied_stuurt(ctx: ProductContext) -> None:
    """gebied_stuurt.gpkg (carrier patches, green links), maps.json and tables.json."""
    rules = ctx.knowledge_model(InspirationRules).green_links
    carriers = upstream_vector(ctx, STRUCTURE, "structure_carriers.gpkg", "structure_carriers")
    patches = carrier_patches(list(carriers.geometry), [str(n) for n in carriers["name"]],
                              rules.min_carrier_ha.value * 1e4)
    landuse = upstream_raster(ctx, GREEN, "vegetation.tif", categorical=True)
    links = green_links(patches, landuse, ctx.mask, codes(ctx.knowledge_model(VegetationGroups).group), ctx.grid,
                        rules)
    _write(ctx, GEBIED_FILE, link_layers(patches, links, ctx.grid))
    upstream = next((layer for m in read_maps(ctx.upstream(STRUCTURE)) for layer in m.layers
                     if layer.type == "vector" and layer.layer == "structure_carriers"), None)
    write_maps(ctx.out_dir, [gebied_map(GEBIED_FILE, upstream, links, THEME_GEBIED, hillshade_layer(alpha=0.6))])
    write_tables(ctx.out_dir, [links_table("inspiration_gebied_links", THEME_GEBIED, patches, links, rules)])
