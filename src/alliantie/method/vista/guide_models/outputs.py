"""The files of ``vista.guide_models``: the class raster, the zones, the map and the tables per model."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from alliantie.contract.classes import ClassInfo
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Cell, Column, Layer, MapSpec, TableSpec, Text, catalogue_text, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.grid import Grid
from alliantie.io.styles import vector_categorized_qml
from alliantie.knowledge.guide_models import ClimatePrinciples, GuideModel, GuideModels
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.method.baseinfo import patches
from alliantie.method.baseinfo.classes import legend, style_classes
from alliantie.method.baseinfo.output import OVER_HILLSHADE, write_classes, write_layers

RASTER = "guide_models.tif"
ZONES = "guide_models.gpkg"
THEME = "guide_models"
#: How many measures the overview lists as the priority measures of a model.
PRIORITY_MEASURES = 6

text = catalogue_text


def model_classes(models: GuideModels) -> list[ClassInfo]:
    """The models as the classes of the raster."""
    return [ClassInfo(id=m.id, code=m.code, nl=m.name.nl, en=m.name.en, color=m.color) for m in models.models]


def zones(codes: np.ndarray, grid: Grid, models: GuideModels) -> gpd.GeoDataFrame:
    """Polygons of equal model with the model id, names and area (ha)."""
    by_code = {m.code: m for m in models.models}
    rows = [{"model": by_code[code].id, "name_nl": by_code[code].name.nl, "name_en": by_code[code].name.en,
             "geometry": geom} for geom, code in patches.polygons(codes, grid.transform)]
    if not rows:
        return gpd.GeoDataFrame({"model": [], "name_nl": [], "name_en": [], "area_ha": []},
                                geometry=gpd.GeoSeries([], crs=grid.crs), crs=grid.crs)
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=grid.crs)
    gdf["area_ha"] = (gdf.geometry.area / 1e4).round(3)
    return gdf


def priority_measures(model: GuideModel) -> list[str]:
    """Measure ids of the legend in the order of the model's water principles, then of the legend."""
    rank = {p: i for i, p in enumerate(model.order)}
    out: list[str] = []
    for goal in sorted(model.goal, key=lambda g: rank[g.principle]):
        out += [m for m in goal.measures if m not in out]
    return out


def measure_names(ids: list[str], catalogue: MeasureCatalogue | None) -> Text:
    """The measures by name where the catalogue has them (else by id), separated by semicolons."""
    def name(measure_id: str, language: str) -> str:
        measure = catalogue.get(measure_id) if catalogue is not None else None
        if measure is None:
            return measure_id.replace("_", " ")
        label = measure.name.en if language == "en" else measure.name.nl
        return label[:1].lower() + label[1:]

    return Text(nl="; ".join(name(i, "nl") for i in ids) or "-", en="; ".join(name(i, "en") for i in ids) or "-")


def _principles(model: GuideModel) -> Text:
    nl = " > ".join(text(f"vista.principle.{p}").nl for p in model.order)
    en = " > ".join(text(f"vista.principle.{p}").en for p in model.order)
    return Text(nl=nl, en=en)


def overview_table(present: list[tuple[GuideModel, float]], total_ha: float,
                   catalogue: MeasureCatalogue | None) -> TableSpec:
    """One row per model present: area, share, water principles in order, priority measures."""
    rows: list[list[Cell]] = [
        [Text(nl=m.name.nl, en=m.name.en), area, 100.0 * area / total_ha if total_ha else None, _principles(m),
         measure_names(priority_measures(m)[:PRIORITY_MEASURES], catalogue)]
        for m, area in present
    ]
    return TableSpec(
        id="guide_models_overview", theme=THEME, title=text("vista.guide.overview.title"),
        description=text("vista.guide.overview.description"),
        columns=[Column(label=text("vista.guide.col.model")),
                 Column(label=text("vista.guide.col.area"), unit="ha", decimals=0),
                 Column(label=text("vista.guide.col.share"), unit="%", decimals=0),
                 Column(label=text("vista.guide.col.principles")),
                 Column(label=text("vista.guide.col.measures"))],
        rows=rows, note=text("vista.guide.overview.note"),
    )


def _series(climate: ClimatePrinciples) -> Text:
    """The climate principles of a theme as one text: 'prevent: ...; spatial prevention: ...; ...'."""
    parts = [(text(f"vista.climate.{key}"), value) for key, value in climate.series()]
    return Text(nl="; ".join(f"{label.nl}: {t.nl}" for label, t in parts),
                en="; ".join(f"{label.en}: {t.en}" for label, t in parts))


def model_table(model: GuideModel, models: GuideModels, area_ha: float,
                catalogue: MeasureCatalogue | None) -> TableSpec:
    """The model in full: landscape, principles with why, strategies, third generation, climate, legend."""
    rows: list[list[Cell]] = [[text("vista.guide.part.landscape"),
                               Text(nl=model.description.nl, en=model.description.en)]]
    for i, p in enumerate(model.principle, start=1):
        name = text(f"vista.principle.{p.principle}")
        rows.append([text("vista.guide.part.principle", n=i),
                     Text(nl=f"{name.nl}: {p.why.nl}", en=f"{name.en}: {p.why.en}")])
    for level in ("soil", "region", "town"):
        strategy = model.strategy.at(level)
        rows.append([text(f"vista.level.{level}"), Text(nl=strategy.nl, en=strategy.en)])
    for key, step in model.third_generation.steps():
        rows.append([text(f"vista.third.{key}"), Text(nl=step.nl, en=step.en)])
    for climate in model.climate:  # its own; the shared ones are in the climate table
        rows.append([text(f"vista.theme.{climate.theme}"), _series(climate)])
    for goal in model.goal:
        measures = measure_names(goal.measures, catalogue)
        refer = models.model(goal.refers_to).name if goal.refers_to else None
        detail = Text(nl=f"{goal.nl} ({text(f'vista.principle.{goal.principle}').nl}; "
                         f"{measures.nl if goal.measures else refer.nl if refer else '-'})",
                      en=f"{goal.en} ({text(f'vista.principle.{goal.principle}').en}; "
                         f"{measures.en if goal.measures else refer.en if refer else '-'})")
        rows.append([Text(nl=f"{goal.code} ({text(f'vista.level.{goal.level}').nl.lower()})",
                          en=f"{goal.code} ({text(f'vista.level.{goal.level}').en.lower()})"), detail])
    note = text("vista.guide.model.note_alliantie" if model.interpretation == "alliantie"
                else "vista.guide.model.note_published", source=model.source)
    return TableSpec(
        id=f"guide_model_{model.id}", theme=THEME,
        title=text("vista.guide.model.title", name_nl=model.name.nl, name_en=model.name.en),
        description=text("vista.guide.model.description", area=f"{area_ha:.0f}"),
        columns=[Column(label=text("vista.guide.col.part")), Column(label=text("vista.guide.col.content"))],
        rows=rows, note=note,
    )


def climate_table(models: GuideModels, present: list[GuideModel]) -> TableSpec:
    """The shared climate principles per theme (of the themes the models present speak to)."""
    themes = {t for m in present for t in m.themes}
    rows: list[list[Cell]] = [
        [text(f"vista.theme.{c.theme}"), Text(nl=c.prevent.nl, en=c.prevent.en),
         Text(nl=c.spatial_prevention.nl, en=c.spatial_prevention.en),
         Text(nl=c.limit_consequences.nl, en=c.limit_consequences.en),
         text(f"vista.guide.climate.{c.interpretation}")]
        for c in models.climate if c.theme in themes
    ]
    return TableSpec(
        id="guide_models_climate", theme=THEME, title=text("vista.guide.climate.title"),
        description=text("vista.guide.climate.description"),
        columns=[Column(label=text("vista.guide.col.theme")),
                 *(Column(label=text(f"vista.climate.{k}")) for k in ("prevent", "spatial_prevention",
                                                                       "limit_consequences")),
                 Column(label=text("vista.guide.col.origin"))],
        rows=rows, note=text("vista.guide.climate.note"),
    )


def write_outputs(ctx: ProductContext, codes: np.ndarray, models: GuideModels, areas: dict[int, float],
                  catalogue: MeasureCatalogue | None) -> list[TableSpec]:
    """Raster, zones and map; returns the tables (the product writes them)."""
    classes = model_classes(models)
    write_classes(ctx, RASTER, codes, classes, "guide model (gidsmodel) per cell")
    write_layers(ctx, ZONES, [
        ("guide_models", zones(codes, ctx.grid, models), "MultiPolygon",
         vector_categorized_qml("model", style_classes(classes, ctx.language, by="id"), "polygon")),
    ])
    write_maps(ctx.out_dir, [MapSpec(
        id="guide_models", theme=THEME, title=text("vista.guide.map.title"),
        description=text("vista.guide.map.description"),
        layers=[hillshade_layer(),
                Layer(file=RASTER, type="raster_classes", alpha=OVER_HILLSHADE,
                      legend=legend(classes, set(areas)))],
    )])
    by_code = {m.code: m for m in models.models}
    present = sorted(((by_code[c], a) for c, a in areas.items()), key=lambda x: -x[1])
    total = sum(areas.values())
    return [overview_table(present, total, catalogue), climate_table(models, [m for m, _ in present]),
            *(model_table(m, models, a, catalogue) for m, a in present)]
