"""Files of *Regionale economie*: the economic chances as styled layers, their map layers and their table."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd

from alliantie.contract.spec import Cell, Column, Layer, LegendEntry, TableSpec, Text, catalogue_text
from alliantie.grid import Grid
from alliantie.io.styles import StyleClass, vector_categorized_qml
from alliantie.method.inspiration.chances import Placed
from alliantie.method.inspiration.knowledge import EconomicChances
from alliantie.method.inspiration.outputs import GpkgLayer

text = catalogue_text

AREAS_LAYER = "chance_areas"
WATERS_LAYER = "chance_waters"
POINTS_LAYER = "chance_points"
CHANCE_ALPHA = 0.5


def _rows(placed: Sequence[Placed], language: str, point: bool = False) -> list[dict[str, object]]:
    return [{"chance": p.chance.id, "name": p.chance.en if language == "en" else p.chance.nl,
             "goal": p.chance.goal, "text": p.chance.text_en if language == "en" else p.chance.text_nl,
             "source": p.chance.source, "area_ha": p.area_ha, "water": p.name,
             "buildings": p.buildings if p.buildings is not None else -1,
             "geometry": p.geometry.representative_point() if point else p.geometry} for p in placed]


def _frame(rows: list[dict[str, object]], grid: Grid) -> gpd.GeoDataFrame:
    if rows:
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=grid.crs)
    return gpd.GeoDataFrame({c: [] for c in ("chance", "name", "goal", "area_ha")},
                            geometry=gpd.GeoSeries([], crs=grid.crs), crs=grid.crs)


def chance_layers(placed: Sequence[Placed], chances: EconomicChances, grid: Grid, language: str) -> list[GpkgLayer]:
    """Areas (cell rules), water bodies (water rules) and a point on each water body, styled by chance."""
    areas = [p for p in placed if p.chance.where is not None]
    waters = [p for p in placed if p.chance.water is not None]
    classes = [StyleClass(c.id, c.color, c.en if language == "en" else c.nl) for c in chances.chances]
    return [
        (AREAS_LAYER, _frame(_rows(areas, language), grid), "MultiPolygon",
         vector_categorized_qml("chance", classes, "polygon")),
        (WATERS_LAYER, _frame(_rows(waters, language), grid), "MultiPolygon",
         vector_categorized_qml("chance", classes, "polygon", label_field="water")),
        (POINTS_LAYER, _frame(_rows(waters, language, point=True), grid), "Point",
         vector_categorized_qml("chance", classes, "point")),
    ]


def chance_map_layers(file: str, placed: Sequence[Placed], chances: EconomicChances) -> list[Layer]:
    """The chances present: areas half transparent, water bodies with a marker each."""
    present = {p.chance.id for p in placed}

    def legend(kind: str) -> list[LegendEntry]:
        return [LegendEntry(value=c.id, color=c.color, label=Text(nl=c.nl, en=c.en)) for c in chances.chances
                if c.id in present and (c.where is not None if kind == "areas" else c.water is not None)]

    layers = []
    if legend("areas"):
        layers.append(Layer(file=file, type="vector", layer=AREAS_LAYER, column="chance", legend=legend("areas"),
                            alpha=CHANCE_ALPHA, linewidth=0.6))
    if legend("waters"):
        layers.append(Layer(file=file, type="vector", layer=WATERS_LAYER, column="chance", legend=legend("waters"),
                            alpha=0.9, linewidth=0.6))
        layers.append(Layer(file=file, type="vector", layer=POINTS_LAYER, column="chance", legend=legend("waters"),
                            alpha=1.0))
    return layers


def chance_table(table_id: str, theme: str, placed: Sequence[Placed], chances: EconomicChances) -> TableSpec:
    """Per chance: its goal, short text, where it was placed (places, ha) and the source of the idea."""
    rows: list[list[Cell]] = []
    for c in chances.chances:
        mine = [p for p in placed if p.chance.id == c.id]
        area = round(sum(p.area_ha for p in mine), 1)
        if c.water is not None:
            names = ", ".join(p.name for p in mine if p.name)
            where = text("inspiration.chance.waters", n=len(mine), names=names or "-")
        else:
            where = (text("inspiration.chance.area_one", ha=f"{area:g}") if len(mine) == 1
                     else text("inspiration.chance.areas", n=len(mine), ha=f"{area:g}"))
        rows.append([Text(nl=c.nl, en=c.en), text(f"inspiration.chance.goal.{c.goal}"),
                     Text(nl=c.text_nl, en=c.text_en), where, c.source])
    return TableSpec(
        id=table_id, theme=theme, title=text("inspiration.chance.table_title"),
        description=text("inspiration.chance.table_description"),
        columns=[Column(label=text("inspiration.chance.col.chance")), Column(label=text("inspiration.chance.col.goal")),
                 Column(label=text("inspiration.table.col.text")), Column(label=text("inspiration.chance.col.where")),
                 Column(label=text("inspiration.chance.col.source"))],
        rows=rows, note=text("inspiration.chance.table_note"),
    )
