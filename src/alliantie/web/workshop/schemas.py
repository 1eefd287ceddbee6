"""The request bodies of the workshop API (pydantic): what is accepted, with its limits."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["region", "town", "neighbourhood"]
Discipline = Literal["soil", "water", "green", "planning", "other"]
JoinRole = Literal["participant", "observer"]
SynthesisKind = Literal["veerkracht", "regionale_economie", "free"]
GeometryType = Literal["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]

#: Longest comment of a sketch, characters.
MAX_COMMENT = 2000
#: Most vertices of one sketch.
MAX_VERTICES = 10_000


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class WorkshopIn(_Body):
    title: str = Field(min_length=1, max_length=200)
    facilitator_name: str = Field("", max_length=100)
    language: Literal["nl", "en"] = "nl"


class JoinIn(_Body):
    join_code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    organisation: str = Field("", max_length=200)
    discipline: Discipline
    role: JoinRole = "participant"


class GeometryIn(BaseModel):
    """A GeoJSON geometry (RFC 7946, EPSG:4326); its coordinates are checked by the sketch validator."""

    model_config = ConfigDict(extra="ignore")

    type: GeometryType
    coordinates: list[Any]


class SketchProperties(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a drawing tool may add its own properties; they are not kept

    measure: str = Field(min_length=1, max_length=64)
    level: Level
    comment: str = Field("", max_length=MAX_COMMENT)
    width_m: float | None = Field(None, gt=0, le=1000, allow_inf_nan=False)
    count: float | None = Field(None, gt=0, le=100_000, allow_inf_nan=False)


class SketchIn(BaseModel):
    """A GeoJSON Feature with a measure."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["Feature"] = "Feature"
    geometry: GeometryIn
    properties: SketchProperties


class SketchPropertiesPatch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    measure: str | None = Field(None, min_length=1, max_length=64)
    level: Level | None = None
    comment: str | None = Field(None, max_length=MAX_COMMENT)
    width_m: float | None = Field(None, gt=0, le=1000, allow_inf_nan=False)
    count: float | None = Field(None, gt=0, le=100_000, allow_inf_nan=False)


class SketchPatch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["Feature"] = "Feature"
    geometry: GeometryIn | None = None
    properties: SketchPropertiesPatch = Field(default_factory=SketchPropertiesPatch)


class SynthesisIn(_Body):
    name: str = Field(min_length=1, max_length=200)
    kind: SynthesisKind = "free"
    sketch_ids: list[str] = Field(default_factory=list, max_length=10_000)


class SynthesisPut(_Body):
    name: str | None = Field(None, min_length=1, max_length=200)
    sketch_ids: list[str] = Field(max_length=10_000)
