"""How a product tells the report (and later the web atlas) what to draw.

Every product with maps writes ``maps.json`` in its folder: a :class:`MapSet`
of :class:`MapSpec` entries, each a stack of layers (files of the product or of
another saved product) with their legends. The report draws them with a legend,
scale bar and north arrow; it never recomputes the science.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from alliantie.io.atomic import atomic_file

MAPS_FILE = "maps.json"


#: The theme a map, table or figure belongs to; the report groups by it: the known themes in the order of
#: :data:`alliantie.contract.sections.REPORT_THEMES` (step 2, then step 1), a new step's own themes after them
#: (with their title ``report.themes.<theme>`` in the catalogue).
ThemeName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Text(BaseModel):
    """A text in both languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    nl: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.nl


def catalogue_text(key: str, **params: Any) -> Text:
    """The catalogue entry ``key`` in both languages, as a :class:`Text` for maps and tables."""
    from alliantie.i18n import translate

    return Text(nl=translate(key, "nl", **params), en=translate(key, "en", **params))


class LegendEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: int | str
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    label: Text


class Layer(BaseModel):
    """One layer of a map.

    ``file`` is relative to the product folder; ``product`` names another saved
    product when the file lives there. Types:

    * ``raster_classes``: integer classes drawn with ``legend`` colours;
    * ``raster_continuous``: values drawn with matplotlib colormap ``cmap``
      between ``vmin`` and ``vmax`` with a colour bar labelled ``label``/``unit``;
    * ``raster_hillshade``: grey shading under the other layers (``alpha``);
    * ``vector``: a GeoPackage ``layer``, coloured by ``column`` with ``legend``
      or in one ``color`` with ``label``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    file: str
    type: Literal["raster_classes", "raster_continuous", "raster_hillshade", "vector"]
    product: str | None = None
    layer: str | None = None
    legend: list[LegendEntry] = Field(default_factory=list)
    column: str | None = None
    color: str | None = None
    label: Text | None = None
    cmap: str | None = None
    vmin: float | None = None
    vmax: float | None = None
    unit: str | None = None
    alpha: float = 1.0
    linewidth: float = 0.8


class MapSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: Text
    description: Text
    theme: ThemeName
    layers: list[Layer]
    #: Map frame (xmin, ymin, xmax, ymax) in the dossier CRS when it is not the whole study area (e.g. the town).
    extent: tuple[float, float, float, float] | None = None


class MapSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    maps: list[MapSpec]


#: A table cell: a bilingual text, a plain string, a number (formatted in the report language) or empty.
Cell = Text | str | float | int | None


class Column(BaseModel):
    """A table column: heading, decimals for numbers, unit shown in the heading."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: Text
    decimals: int = Field(0, ge=0, le=6)
    unit: str = ""


class TableSpec(BaseModel):
    """A table a product offers the report (and later the web app): rows of cells under columns.

    ``total`` is an optional last row set in bold; ``note`` a sentence under the
    table (sources, what is missing).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    theme: ThemeName
    title: Text
    description: Text | None = None
    columns: list[Column]
    rows: list[list[Cell]]
    total: list[Cell] | None = None
    note: Text | None = None


class FigureSpec(BaseModel):
    """A figure a product drew itself (a PNG in its folder), e.g. the trend view's small multiples."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    theme: ThemeName
    title: Text
    description: Text
    file: str


class TableSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    tables: list[TableSpec] = Field(default_factory=list)
    figures: list[FigureSpec] = Field(default_factory=list)


TABLES_FILE = "tables.json"


def write_tables(folder: Path, tables: list[TableSpec], figures: list[FigureSpec] | None = None) -> Path:
    """Write ``tables.json`` (tables and product-drawn figures) atomically."""
    target = folder / TABLES_FILE
    with atomic_file(target) as tmp:
        tmp.write_text(TableSet(tables=tables, figures=figures or []).model_dump_json(indent=2), encoding="utf-8")
    return target


def read_tables(folder: Path) -> TableSet:
    path = folder / TABLES_FILE
    if not path.exists():
        return TableSet()
    return TableSet.model_validate(json.loads(path.read_text(encoding="utf-8")))


def write_maps(folder: Path, maps: list[MapSpec]) -> Path:
    target = folder / MAPS_FILE
    with atomic_file(target) as tmp:
        tmp.write_text(MapSet(maps=maps).model_dump_json(indent=2), encoding="utf-8")
    return target


def read_maps(folder: Path) -> list[MapSpec]:
    path = folder / MAPS_FILE
    if not path.exists():
        return []
    return MapSet.model_validate(json.loads(path.read_text(encoding="utf-8"))).maps
