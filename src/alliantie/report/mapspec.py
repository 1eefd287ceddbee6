"""How a product tells the report (and later the web atlas) what to draw.

Every product with maps writes ``maps.json`` in its folder: a :class:`MapSet`
of :class:`MapSpec` entries, each a stack of layers (files of the product or of
another saved product) with their legends. The report draws them with a legend,
scale bar and north arrow; it never recomputes the science.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from alliantie.io.atomic import atomic_file

MAPS_FILE = "maps.json"


class Text(BaseModel):
    """A text in both languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    nl: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.nl


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
    theme: Literal["soil", "water", "green", "landscape", "structure", "other", "pluvial"]
    layers: list[Layer]


class MapSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    maps: list[MapSpec]


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
