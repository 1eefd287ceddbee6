"""The knowledge file ``bgt_landuse.toml``: BGT land cover to LGN classes and a paved share.

Read by :mod:`alliantie.dossier.bgt_landuse`, which rasterises a BGT GeoPackage onto the dossier grid when the
dossier says ``landuse = { path = "bgt.gpkg", codes = "bgt" }``.
"""

from __future__ import annotations

from pydantic import Field

from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel, NonBlank


class BgtLayer(KnowledgeModel):
    """``[[layer]]``: a BGT layer, its LGN class and paved share where a feature has no fysiek voorkomen."""

    name: str = Field(min_length=1)
    lgn: int = Field(ge=1, le=255)
    paved_share: float = Field(ge=0, le=1, description="fraction of the area")
    source: NonBlank


class BgtCover(KnowledgeModel):
    """``[[cover]]``: a value of fysiek voorkomen, its LGN class and paved share."""

    value: str = Field(min_length=1)
    lgn: int = Field(ge=1, le=255)
    paved_share: float = Field(ge=0, le=1, description="fraction of the area")
    source: NonBlank


class MainRoads(KnowledgeModel):
    """``[main_roads]``: wegdeel functions that are main roads or rail, and their LGN class."""

    functions: list[str]
    lgn: int = Field(ge=1, le=255)
    source: NonBlank


class BgtColumns(KnowledgeModel):
    """``[columns]``: the names an attribute has in the different BGT downloads, and the statuses dropped."""

    fysiek_voorkomen: list[str]
    functie: list[str]
    end: list[str]
    status: list[str]
    level: list[str]
    drop_status: list[str]
    source: NonBlank


class BgtLanduse(KnowledgeFile):
    """Contents of ``bgt_landuse.toml``."""

    FILE = "bgt_landuse"

    unit: NonBlank
    layers: list[BgtLayer] = Field(alias="layer", min_length=1)
    main_roads: MainRoads
    covers: list[BgtCover] = Field(alias="cover", min_length=1)
    columns: BgtColumns
