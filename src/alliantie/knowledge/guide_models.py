"""The knowledge file ``guide_models.toml``: the guide models (*gidsmodellen*) of step 3, *Vergezicht*.

A guide model belongs to one or more landscape types of ``landscape_rules.toml``
(``[[assign]]``) or, for the city, to densely built land (``[city]``). Each gives
the four water principles in its order of priority with a reason, strategies on
the three levels (soil and subsurface; region; town, village and edges with the
neighbourhood merged in), the third-generation order, climate principles per
theme in the series prevent -> spatial prevention -> limit consequences (shared
ones in ``[[climate]]``, a model may replace a theme) and a legend of goals that
refer on to measure ids of the catalogue (``measures.toml``).

Content that is our reading of the principles, not published, says
``interpretation = "alliantie"``. The step 3 product ``vista.guide_models``
reads this file; the web workshop will show the same models.
"""

from __future__ import annotations

from typing import Literal, Self, get_args

from pydantic import Field, field_validator, model_validator

from alliantie.knowledge.measures import ClimatePrinciple, Principle
from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel, Names, NonBlank, unique

#: The levels of a guide model: soil and subsurface, region, town/village/edges (neighbourhood merged in).
GuideLevel = Literal["soil", "region", "town"]
GUIDE_LEVELS: tuple[GuideLevel, ...] = get_args(GuideLevel)
#: The climate themes of the climate principles: the four of step 1 and wildfire (part of drought there).
ClimateTheme = Literal["flood", "pluvial", "drought", "heat", "wildfire"]
CLIMATE_THEMES: tuple[ClimateTheme, ...] = get_args(ClimateTheme)
PRINCIPLES: tuple[Principle, ...] = get_args(Principle)
CLIMATE_PRINCIPLES: tuple[ClimatePrinciple, ...] = get_args(ClimatePrinciple)
#: Whose reading a text is: ``alliantie`` for our own interpretation of the published principles.
Interpretation = Literal["published", "alliantie"]
#: The model of ``[[assign]]`` that hands a landscape type to the nearest zone with a model.
NEAREST = "nearest"


class Number(KnowledgeModel):
    """A number with its unit and source."""

    value: float
    unit: NonBlank
    source: NonBlank


class WaterPrinciple(KnowledgeModel):
    """A ``[[model.principle]]``: one water principle and why it has its place in the order."""

    principle: Principle
    why: Names


class Strategy(KnowledgeModel):
    """``[model.strategy]``: what the model asks on each level."""

    soil: Names
    region: Names
    town: Names

    def at(self, level: GuideLevel) -> Names:
        """The strategy on ``level``."""
        return {"soil": self.soil, "region": self.region, "town": self.town}[level]


class ThirdGeneration(KnowledgeModel):
    """``[model.third_generation]``: the four steps of the third-generation guide models, in this order."""

    improve: Names = Field(description="improve the existing green-blue structures")
    connect: Names = Field(description="connect the surroundings to them")
    resilience: Names = Field(description="resilience and climate robustness")
    services: Names = Field(description="landscape-specific ecosystem services (ESD loops)")

    def steps(self) -> list[tuple[str, Names]]:
        """The four steps in their order: (key, text)."""
        return [("improve", self.improve), ("connect", self.connect), ("resilience", self.resilience),
                ("services", self.services)]


class ClimatePrinciples(KnowledgeModel):
    """A ``[[climate]]``: the series prevent -> spatial prevention -> limit consequences for one theme."""

    theme: ClimateTheme
    prevent: Names
    spatial_prevention: Names
    limit_consequences: Names
    source: NonBlank
    interpretation: Interpretation = "published"

    def series(self) -> list[tuple[ClimatePrinciple, Names]]:
        """The three principles in their order."""
        return [("prevent", self.prevent), ("spatial_prevention", self.spatial_prevention),
                ("limit_consequences", self.limit_consequences)]


class Goal(KnowledgeModel):
    """A ``[[model.goal]]``: a legend item (code as in the gidsmodellen legends) that refers on to measures."""

    code: NonBlank
    nl: NonBlank
    en: NonBlank
    principle: Principle
    level: GuideLevel
    measures: list[str] = Field(description="measure ids of measures.toml")
    refers_to: str | None = Field(None, description="another model this item points to (IIIC: the city)")


class GuideModel(KnowledgeModel):
    """A ``[[model]]``: one guide model."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    code: int = Field(ge=1, le=255, description="value in guide_models.tif")
    name: Names
    group: NonBlank
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    themes: list[ClimateTheme] = Field(min_length=1, description="the climate themes the model speaks to")
    interpretation: Interpretation
    source: NonBlank
    description: Names
    principle: list[WaterPrinciple] = Field(description="the four water principles, highest priority first")
    strategy: Strategy
    third_generation: ThirdGeneration
    climate: list[ClimatePrinciples] = Field(default_factory=list, description="replaces shared themes")
    goal: list[Goal] = Field(min_length=1)

    @field_validator("principle")
    @classmethod
    def _all_four(cls, rows: list[WaterPrinciple]) -> list[WaterPrinciple]:
        order = [r.principle for r in rows]
        if sorted(order) != sorted(PRINCIPLES):
            raise ValueError(f"each of the four water principles {PRINCIPLES} once, in order; got {order}")
        return rows

    @field_validator("goal")
    @classmethod
    def _unique_codes(cls, rows: list[Goal]) -> list[Goal]:
        return unique(rows, [g.code for g in rows], "goal code")

    @property
    def order(self) -> list[Principle]:
        """The water principles, highest priority first."""
        return [p.principle for p in self.principle]

    def measures(self) -> list[str]:
        """Every measure id its legend refers to, in legend order, each once."""
        out: list[str] = []
        for goal in self.goal:
            out += [m for m in goal.measures if m not in out]
        return out


class Assign(KnowledgeModel):
    """An ``[[assign]]``: the guide model of a landscape type (``nearest``: that of the nearest zone)."""

    landscape: NonBlank
    model: NonBlank


class City(KnowledgeModel):
    """``[city]``: where the city model replaces the landscape's: the built share within a radius."""

    model: NonBlank
    radius_m: Number
    min_built_share: Number
    min_area_ha: Number
    built_groups: list[str] = Field(min_length=1, description="vegetation groups (vegetation_groups.toml) that count")


class GuideModels(KnowledgeFile):
    """Contents of ``guide_models.toml``."""

    FILE = "guide_models"

    city: City
    assign: list[Assign] = Field(min_length=1)
    climate: list[ClimatePrinciples] = Field(default_factory=list)
    models: list[GuideModel] = Field(alias="model", min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [m.id for m in self.models]
        unique(self.models, ids, "model id")
        unique(self.models, [m.code for m in self.models], "model code")
        unique(self.assign, [a.landscape for a in self.assign], "landscape type in [[assign]]")
        unique(self.climate, [c.theme for c in self.climate], "theme in [[climate]]")
        known = {*ids, NEAREST}
        wrong = [a.model for a in self.assign if a.model not in known]
        if self.city.model not in ids:
            wrong.append(self.city.model)
        wrong += [g.refers_to for m in self.models for g in m.goal if g.refers_to and g.refers_to not in ids]
        if wrong:
            raise ValueError(f"unknown guide model(s) {sorted(set(wrong))} (known: {ids})")
        if not 0.0 < self.city.min_built_share.value <= 1.0 or self.city.radius_m.value <= 0:
            raise ValueError("city: min_built_share must lie in (0, 1] and radius_m be positive")
        for model in self.models:
            missing = [t for t in model.themes if not self._has_climate(model, t)]
            if missing:
                raise ValueError(f"model {model.id!r}: no climate principles for theme(s) {missing}")
        return self

    def _has_climate(self, model: GuideModel, theme: ClimateTheme) -> bool:
        return any(c.theme == theme for c in (*model.climate, *self.climate))

    def model(self, model_id: str) -> GuideModel:
        """The model ``model_id`` (KeyError when there is none)."""
        for m in self.models:
            if m.id == model_id:
                return m
        raise KeyError(model_id)

    def for_landscape(self, landscape: str) -> str | None:
        """The model id of landscape type ``landscape`` (``nearest`` or None when not assigned)."""
        return next((a.model for a in self.assign if a.landscape == landscape), None)

    def climate_principles(self, model: GuideModel) -> list[ClimatePrinciples]:
        """The climate principles of ``model``'s themes: its own where it has them, else the shared ones."""
        own = {c.theme: c for c in model.climate}
        shared = {c.theme: c for c in self.climate}
        return [own.get(t) or shared[t] for t in CLIMATE_THEMES if t in model.themes]

    def measure_ids(self) -> set[str]:
        """Every measure id any legend refers to."""
        return {m for model in self.models for m in model.measures()}
