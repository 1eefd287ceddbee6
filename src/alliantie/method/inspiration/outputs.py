"""Files shared by the inspiration maps: the sketches as styled GeoPackage layers coloured by goal, their map
layers and the legend table grouped by goal; and the files of *Veerkracht* (the guide-model places)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import shapely

from alliantie.contract.names import GUIDE_MODELS
from alliantie.contract.spec import Cell, Column, Layer, LegendEntry, TableSpec, Text, catalogue_text
from alliantie.grid import Grid
from alliantie.io.styles import StyleClass, vector_categorized_qml
from alliantie.knowledge.measures import Measure
from alliantie.measures.sketch import Feature
from alliantie.method.inspiration.fallback import Place, Zone
from alliantie.method.inspiration.goals import GOAL_COLORS, goal_name, goal_of, legend_label, measure_name, ordered
from alliantie.method.inspiration.sketches import PerspectiveSketches

text = catalogue_text

#: GeoPackage layer per geometry family of the sketches.
FAMILIES: dict[str, tuple[str, ...]] = {
    "polygons": ("Polygon", "MultiPolygon"),
    "lines": ("LineString", "MultiLineString"),
    "points": ("Point", "MultiPoint"),
}
_STYLE_GEOMETRY = {"polygons": "polygon", "lines": "line", "points": "point"}
_EMPTY_TYPE = {"polygons": "MultiPolygon", "lines": "MultiLineString", "points": "MultiPoint"}
PLACES_LAYER = "guide_model_places"
#: Opacity of the sketched polygons and of the guide model's places (paler: a search area, not a design).
SKETCH_ALPHA = 0.7
PLACE_ALPHA = 0.28

GpkgLayer = tuple[str, gpd.GeoDataFrame, str | None, str | None]


def family(geometry: shapely.Geometry) -> str:
    kind = geometry.geom_type
    return next((f for f, kinds in FAMILIES.items() if kind in kinds), "polygons")


def sketch_layer(fam: str) -> str:
    return f"sketches_{fam}"


def _principles(measure: Measure, language: str) -> str:
    return ", ".join(text(f"vista.principle.{p}").get(language).lower() for p in measure.principles)


def _measure_columns(measure: Measure, language: str) -> dict[str, object]:
    goal = goal_of(measure)
    return {"measure": measure.id, "name": measure.name.en if language == "en" else measure.name.nl,
            "goal": goal, "goal_name": goal_name(goal).get(language), "principles": _principles(measure, language),
            "climate_principle": text(f"vista.climate.{measure.climate_principle}").get(language),
            "text": measure.description.en if language == "en" else measure.description.nl}


def goal_style(goals: Sequence[str], geometry: str, language: str) -> str:
    """QGIS style: categorized by goal, labelled with the measure's name."""
    classes = [StyleClass(g, GOAL_COLORS[g], goal_name(g).get(language)) for g in ordered(goals)]
    return vector_categorized_qml("goal", classes, geometry, label_field="name")


def sketch_layers(sketches: PerspectiveSketches, grid: Grid, language: str) -> list[GpkgLayer]:
    """The sketches in one layer per geometry family present, coloured by goal."""
    rows = []
    for i, f in enumerate(sketches.features):
        rows.append({**_measure_columns(f.measure, language), "comment": sketches.columns["comment"][i],
                     "author": sketches.columns["author_name"][i], "discipline": sketches.columns["discipline"][i],
                     "origin": "workshop", "family": family(f.geometry), "geometry": f.geometry})
    if not rows:
        return []
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=grid.crs)
    out: list[GpkgLayer] = []
    for fam in FAMILIES:
        part = frame[frame["family"] == fam].drop(columns="family").reset_index(drop=True)
        if len(part):
            out.append((sketch_layer(fam), part, None, goal_style(list(part["goal"]), _STYLE_GEOMETRY[fam], language)))
    return out


def _legend(measures: Sequence[Measure], suffix: Text | None = None) -> list[LegendEntry]:
    by_goal: dict[str, list[Measure]] = {}
    for m in measures:
        by_goal.setdefault(goal_of(m), []).append(m)
    out = []
    for goal in ordered(by_goal):
        label = legend_label(goal, by_goal[goal])
        if suffix is not None:
            label = Text(nl=f"{label.nl} ({suffix.nl})", en=f"{label.en} ({suffix.en})")
        out.append(LegendEntry(value=goal, color=GOAL_COLORS[goal], label=label))
    return out


def sketch_map_layers(file: str, features: Sequence[Feature], suffix: Text | None = None) -> list[Layer]:
    """Map layers of the sketches: per family, a legend entry per goal naming its measures (``suffix`` after it)."""
    layers = []
    for fam in FAMILIES:
        measures = [f.measure for f in features if family(f.geometry) == fam]
        if measures:
            layers.append(Layer(file=file, type="vector", layer=sketch_layer(fam), column="goal",
                                legend=_legend(measures, suffix), alpha=SKETCH_ALPHA,
                                linewidth=2.4 if fam == "lines" else 0.9))
    return layers


def zone_outline_layer() -> Layer:
    """The guide-model zones as thin grey outlines (from vista.guide_models)."""
    return Layer(file="guide_models.gpkg", product=GUIDE_MODELS, type="vector", layer="guide_models",
                 color="#6e6e6e", alpha=0.0, linewidth=0.5, label=text("inspiration.map.zones"))


def places_layer(places: Sequence[Place], grid: Grid, language: str) -> GpkgLayer:
    """The guide model's places in the zones without sketches."""
    rows = [{**_measure_columns(p.measure, language), "model": p.model.id,
             "model_name": p.model.name.en if language == "en" else p.model.name.nl,
             "suitability_class": p.suitability_class, "origin": "guide_model", "geometry": p.geometry}
            for p in places]
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=grid.crs) if rows else gpd.GeoDataFrame(
        {c: [] for c in ("measure", "name", "goal", "model", "suitability_class")},
        geometry=gpd.GeoSeries([], crs=grid.crs), crs=grid.crs)
    return (PLACES_LAYER, frame, "MultiPolygon", goal_style([goal_of(p.measure) for p in places],
                                                              "polygon", language))


def places_map_layer(file: str, places: Sequence[Place]) -> Layer | None:
    if not places:
        return None
    return Layer(file=file, type="vector", layer=PLACES_LAYER, column="goal",
                 legend=_legend([p.measure for p in places], text("inspiration.map.guide_model")),
                 alpha=PLACE_ALPHA, linewidth=0.6)


@dataclass
class _Row:
    measure: Measure
    sketched: int = 0
    placed: int = 0
    models: list[str] = field(default_factory=list)


def legend_table(table_id: str, theme: str, features: Sequence[Feature], places: Sequence[Place],
                 sketches: PerspectiveSketches) -> TableSpec:
    """The map's elements grouped by goal: the measure, its short text, how often sketched and placed."""
    rows: dict[str, _Row] = {}
    for f in features:
        rows.setdefault(f.measure.id, _Row(f.measure)).sketched += 1
    for p in places:
        row = rows.setdefault(p.measure.id, _Row(p.measure))
        row.placed += 1
        if p.model.name.nl not in row.models:
            row.models.append(p.model.name.nl)
    cells: list[list[Cell]] = []
    for goal in ordered(goal_of(r.measure) for r in rows.values()):
        for k, r in enumerate(r for r in rows.values() if goal_of(r.measure) == goal):
            where = []
            if r.sketched:
                where.append(text("inspiration.table.sketched_once") if r.sketched == 1
                             else text("inspiration.table.sketched", n=r.sketched))
            if r.placed:
                where.append(text("inspiration.table.placed_once") if r.placed == 1
                             else text("inspiration.table.placed", n=r.placed))
            # the goal heads its group: named on its first row only
            cells.append([goal_name(goal) if k == 0 else "",
                          Text(nl=measure_name(r.measure, "nl"), en=measure_name(r.measure, "en")),
                          Text(nl=r.measure.description.nl, en=r.measure.description.en),
                          Text(nl="; ".join(w.nl for w in where), en="; ".join(w.en for w in where))])
    return TableSpec(
        id=table_id, theme=theme, title=text("inspiration.table.legend_title"),
        description=text(f"inspiration.table.how.{sketches.how}", source=sketches.source),
        columns=[Column(label=text("inspiration.table.col.goal")), Column(label=text("inspiration.table.col.element")),
                 Column(label=text("inspiration.table.col.text")), Column(label=text("inspiration.table.col.where"))],
        rows=cells, note=text("inspiration.table.legend_note"),
    )


def zones_table(table_id: str, theme: str, empty: Sequence[Zone], places: Sequence[Place]) -> TableSpec:
    """The zones without sketches and what the guide model placed there."""
    cells: list[list[Cell]] = []
    for zone in empty:
        inside = [p for p in places if p.model.id == zone.model.id and p.geometry.intersects(zone.geometry)]
        cells.append([Text(nl=zone.model.name.nl, en=zone.model.name.en), round(zone.geometry.area / 1e4, 1),
                      Text(nl="; ".join(f"{measure_name(p.measure, 'nl')} (klasse {p.suitability_class})"
                                        for p in inside) or "-",
                           en="; ".join(f"{measure_name(p.measure, 'en')} (class {p.suitability_class})"
                                        for p in inside) or "-")])
    return TableSpec(
        id=table_id, theme=theme, title=text("inspiration.table.zones_title"),
        description=text("inspiration.table.zones_description"),
        columns=[Column(label=text("inspiration.table.col.model")),
                 Column(label=text("inspiration.table.col.area"), unit="ha", decimals=1),
                 Column(label=text("inspiration.table.col.placed"))],
        rows=cells, note=text("inspiration.table.zones_note"),
    )
