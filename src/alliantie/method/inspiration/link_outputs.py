"""Files of *Gebied stuurt*: the carrier patches and the green links as styled layers, the map and the table."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd

from alliantie.contract.names import STRUCTURE
from alliantie.contract.spec import Cell, Column, Layer, MapSpec, TableSpec, Text, catalogue_text
from alliantie.grid import Grid
from alliantie.io.styles import vector_single_qml
from alliantie.method.inspiration.knowledge import GreenLinks
from alliantie.method.inspiration.links import Link, Patch
from alliantie.method.inspiration.outputs import GpkgLayer

text = catalogue_text

LINKS_LAYER = "green_links"
PATCHES_LAYER = "carrier_patches"
LINK_COLOR = "#00a651"
PATCH_COLOR = "#7b5a3c"


#: A patch of more carriers than this is named by its first ones and the count of the others.
MAX_NAMES = 3


def _names(patch: Patch) -> str:
    if len(patch.names) <= MAX_NAMES:
        return ", ".join(patch.names)
    return f"{', '.join(patch.names[:MAX_NAMES])} (+{len(patch.names) - MAX_NAMES})"


def link_layers(patches: Sequence[Patch], links: Sequence[Link], grid: Grid) -> list[GpkgLayer]:
    """The carrier patches (touching carriers merged) and the links between them."""
    patch_frame = gpd.GeoDataFrame(
        {"patch": list(range(1, len(patches) + 1)), "carriers": [_names(p) for p in patches],
         "area_ha": [round(p.geometry.area / 1e4, 2) for p in patches]},
        geometry=gpd.GeoSeries([p.geometry for p in patches], crs=grid.crs), crs=grid.crs)
    link_frame = gpd.GeoDataFrame(
        {"from_patch": [lk.a + 1 for lk in links], "to_patch": [lk.b + 1 for lk in links],
         "from_carriers": [_names(patches[lk.a]) for lk in links],
         "to_carriers": [_names(patches[lk.b]) for lk in links],
         "length_m": [lk.length_m for lk in links], "cost": [lk.cost for lk in links],
         "green_share": [lk.green_share for lk in links]},
        geometry=gpd.GeoSeries([lk.geometry for lk in links], crs=grid.crs), crs=grid.crs)
    return [(PATCHES_LAYER, patch_frame, "MultiPolygon", vector_single_qml(PATCH_COLOR, "polygon")),
            (LINKS_LAYER, link_frame, "LineString", vector_single_qml(LINK_COLOR, "line"))]


def gebied_map(file: str, carriers: Layer | None, links: Sequence[Link], theme: str, hillshade: Layer) -> MapSpec:
    """The structure carriers (as step 2 draws them) and the green links over them."""
    layers = [hillshade]
    if carriers is not None:
        layers.append(carriers.model_copy(update={"product": STRUCTURE, "alpha": 0.55}))
    if links:
        layers.append(Layer(file=file, type="vector", layer=LINKS_LAYER, color=LINK_COLOR, linewidth=3.0,
                            label=text("inspiration.links.map_label")))
    return MapSpec(id="inspiration_gebied_stuurt", theme=theme, title=text("inspiration.links.map_title"),
                   description=text("inspiration.links.map_description"), layers=layers)


def links_table(table_id: str, theme: str, patches: Sequence[Patch], links: Sequence[Link],
                rules: GreenLinks) -> TableSpec:
    """Per link: the carriers it joins, its length, its cost and its share over nature and urban green."""
    rows: list[list[Cell]] = [[_names(patches[lk.a]), _names(patches[lk.b]), lk.length_m, 100.0 * lk.green_share]
                              for lk in links]
    total: list[Cell] | None = None
    if links:
        total = [text("inspiration.links.total", n=len(links)), "", round(sum(lk.length_m for lk in links), 1), None]
    return TableSpec(
        id=table_id, theme=theme, title=text("inspiration.links.table_title"),
        description=text("inspiration.links.table_description", patches=len(patches)),
        columns=[Column(label=text("inspiration.links.col.from")), Column(label=text("inspiration.links.col.to")),
                 Column(label=text("inspiration.links.col.length"), unit="m"),
                 Column(label=text("inspiration.links.col.green"), unit="%")],
        rows=rows, total=total,
        note=Text(nl=text("inspiration.links.table_note").nl + " " + rules.method,
                  en=text("inspiration.links.table_note").en + " " + rules.method),
    )
