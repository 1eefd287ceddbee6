"""The knowledge files of step 4: ``economic_chances.toml`` (Regionale economie) and ``inspiration_rules.toml``
(the guide-model fallback of Veerkracht and the green links of Gebied stuurt)."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel, NonBlank, unique

#: What an economic chance brings: energy, food, water (as a resource or a service).
ChanceGoal = Literal["energy", "food", "water"]
CHANCE_GOALS: tuple[ChanceGoal, ...] = ("energy", "food", "water")


class Number(KnowledgeModel):
    """A number with its unit and source."""

    value: float
    unit: NonBlank
    source: NonBlank


class CellRule(KnowledgeModel):
    """``[chance.where]``: cells that match every condition given, in patches of at least ``min_area_ha``."""

    landuse_in: list[str] = Field(default_factory=list, description="vegetation groups (vegetation_groups.toml)")
    landscape_in: list[str] = Field(default_factory=list, description="landscape types (landscape_rules.toml)")
    seepage_in: list[str] = Field(default_factory=list, description="seepage zones (seepage_rules.toml)")
    near: str | None = Field(None, description="'city' (the city model's zones of vista.guide_models: the town) or "
                                                 "a vegetation group the cells must lie near, outside it")
    within_m: Number | None = None
    min_area_ha: Number

    @model_validator(mode="after")
    def _near(self) -> Self:
        if (self.near is None) != (self.within_m is None):
            raise ValueError("near and within_m go together")
        if not (self.landuse_in or self.landscape_in or self.seepage_in or self.near):
            raise ValueError("a rule needs at least one condition")
        return self


class WaterRule(KnowledgeModel):
    """``[chance.water]``: water bodies of these kinds, large enough, with enough buildings nearby."""

    kinds: list[str] = Field(min_length=1, description="waterbody kinds (water_kinds.toml)")
    min_area_ha: Number
    buildings_within_m: Number
    min_buildings: Number


class Chance(KnowledgeModel):
    """A ``[[chance]]``: one economic chance, its texts, the source of the idea and the rule that places it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    goal: ChanceGoal
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    nl: NonBlank
    en: NonBlank
    text_nl: NonBlank
    text_en: NonBlank
    source: NonBlank
    where: CellRule | None = None
    water: WaterRule | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Self:
        if (self.where is None) == (self.water is None):
            raise ValueError(f"chance {self.id!r}: give exactly one of [chance.where] and [chance.water]")
        return self


class EconomicChances(KnowledgeFile):
    """Contents of ``economic_chances.toml``."""

    FILE = "economic_chances"

    chances: list[Chance] = Field(alias="chance", min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        unique(self.chances, [c.id for c in self.chances], "chance id")
        return self


class Fallback(KnowledgeModel):
    """``[fallback]``: the guide model's priority measures where a zone has no sketch."""

    min_zone_ha: Number
    measures_per_zone: Number
    min_class: Number
    min_patch_ha: Number
    max_patches: Number
    max_place_ha: Number


class Resistance(KnowledgeModel):
    """``[green_links.resistance]``: resistance per metre of each vegetation group."""

    model_config = KnowledgeModel.model_config | {"extra": "allow"}

    unit: NonBlank
    source: NonBlank

    def values(self) -> dict[str, float]:
        """Vegetation group -> resistance."""
        extra = self.model_extra or {}
        out: dict[str, float] = {}
        for key, value in extra.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"green_links.resistance.{key}: a positive number, got {value!r}")
            out[key] = float(value)
        return out


class GreenLinks(KnowledgeModel):
    """``[green_links]``: least-cost links between the structure carriers."""

    method: NonBlank
    cell_m: Number
    min_carrier_ha: Number
    max_link_m: Number
    width_m: Number
    resistance: Resistance


class InspirationRules(KnowledgeFile):
    """Contents of ``inspiration_rules.toml``."""

    FILE = "inspiration_rules"

    fallback: Fallback
    green_links: GreenLinks
