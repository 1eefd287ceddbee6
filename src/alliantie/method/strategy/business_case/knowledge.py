"""The knowledge file ``business_case.toml``: the parties, who pays for a measure, who gains from a benefit, and
the values of the co-benefits (sewer storage spared, property value, fine dust), each with unit and source.

Shares are fractions that sum to one per row (checked here); a dossier replaces a row's shares in
``[parameters.business_case]`` (:class:`alliantie.parameters.business_case.BusinessCaseParameters`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self

from pydantic import Field, field_validator, model_validator

from alliantie.knowledge.measures import Level, Measure
from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel, NonBlank, unique
from alliantie.parameters.business_case import PARTIES, PartyId, check_shares

#: The avoided damage of a theme is the benefit ``avoided_<theme>``.
AVOIDED = "avoided_"
#: The co-benefits valued here, by id (each a ``[[benefit]]`` row too).
CoBenefit = Literal["sewer_storage", "property_value", "fine_dust"]
CO_BENEFITS: tuple[CoBenefit, ...] = ("sewer_storage", "property_value", "fine_dust")


def _shares(value: dict[PartyId, float]) -> dict[PartyId, float]:
    check_shares(value)
    return value


class PartyRow(KnowledgeModel):
    """A ``[[party]]``: one of the seven parties, named in both languages."""

    id: PartyId
    nl: NonBlank
    en: NonBlank


class CostBearerRow(KnowledgeModel):
    """A ``[[cost_bearer]]``: who pays for a measure (``measure``) or for every measure of a group (``group``)."""

    group: str | None = None
    measure: str | None = None
    shares: dict[PartyId, float]
    source: NonBlank
    estimate: bool = False

    @field_validator("shares")
    @classmethod
    def _sum_one(cls, value: dict[PartyId, float]) -> dict[PartyId, float]:
        return _shares(value)

    @model_validator(mode="after")
    def _one_key(self) -> Self:
        if (self.group is None) == (self.measure is None):
            raise ValueError("a cost_bearer row names either a group or a measure")
        return self

    @property
    def key(self) -> str:
        return self.measure if self.measure is not None else str(self.group)


class BenefitRow(KnowledgeModel):
    """A ``[[benefit]]``: who gains from a benefit (``avoided_<theme>`` or a co-benefit id)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    nl: NonBlank
    en: NonBlank
    shares: dict[PartyId, float]
    source: NonBlank
    estimate: bool = False

    @field_validator("shares")
    @classmethod
    def _sum_one(cls, value: dict[PartyId, float]) -> dict[PartyId, float]:
        return _shares(value)


class SewerStorage(KnowledgeModel):
    """``[sewer_storage]``: storage in town valued at what the same storage costs underground (once)."""

    value: float = Field(ge=0)
    unit: NonBlank
    price_year: int = Field(ge=1990, le=2100)
    levels: list[Level] = Field(min_length=1, description="measures of these scale levels spare sewer storage")
    source: NonBlank
    estimate: bool = False


class Uplift(KnowledgeModel):
    """A ``[[property_value.uplift]]``: the share of a dwelling's value gained near a measure of these groups."""

    groups: list[str] = Field(min_length=1)
    share: float = Field(ge=0, le=1)
    unit: NonBlank
    source: NonBlank
    estimate: bool = False


class PropertyValue(KnowledgeModel):
    """``[property_value]``: dwellings within ``distance_m`` of a green or water measure gain a share of their
    value once (hedonic price)."""

    value_per_dwelling: float = Field(ge=0)
    value_unit: NonBlank
    price_year: int = Field(ge=1990, le=2100)
    value_source: NonBlank
    distance_m: float = Field(gt=0, le=1000)
    distance_unit: NonBlank
    distance_source: NonBlank
    residential: list[str] = Field(min_length=1, description="values of the buildings' 'function' that are dwellings")
    residential_source: NonBlank
    uplift: list[Uplift] = Field(min_length=1)

    def share(self, group: str) -> float:
        """The uplift near a measure of ``group`` (0 when no row names it; the largest when several do)."""
        return max((u.share for u in self.uplift if group in u.groups), default=0.0)


class Capture(KnowledgeModel):
    """A ``[[fine_dust.capture]]``: fine dust captured per ha of vegetation of these groups' measures."""

    groups: list[str] = Field(min_length=1)
    kg_per_ha_yr: float = Field(ge=0)
    unit: NonBlank
    source: NonBlank


class FineDust(KnowledgeModel):
    """``[fine_dust]``: the value of captured fine dust per kg and the capture per ha of vegetation."""

    value: float = Field(ge=0)
    unit: NonBlank
    price_year: int = Field(ge=1990, le=2100)
    source: NonBlank
    estimate: bool = False
    capture: list[Capture] = Field(min_length=1)

    def kg_per_ha_yr(self, group: str) -> float:
        return max((c.kg_per_ha_yr for c in self.capture if group in c.groups), default=0.0)


class NotValuedRow(KnowledgeModel):
    """A ``[[not_valued]]``: an effect the business case names but does not value, with why."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    nl: NonBlank
    en: NonBlank
    source: NonBlank


class BusinessCaseKnowledge(KnowledgeFile):
    """Contents of ``business_case.toml``."""

    FILE = "business_case"

    parties: list[PartyRow] = Field(alias="party", min_length=1)
    cost_bearers: list[CostBearerRow] = Field(alias="cost_bearer", min_length=1)
    benefits: list[BenefitRow] = Field(alias="benefit", min_length=1)
    sewer_storage: SewerStorage
    property_value: PropertyValue
    fine_dust: FineDust
    not_valued: list[NotValuedRow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if [p.id for p in self.parties] != list(PARTIES):
            raise ValueError(f"give the parties {', '.join(PARTIES)} in this order")
        unique(self.cost_bearers, [r.key for r in self.cost_bearers], "cost_bearer group or measure")
        unique(self.benefits, [r.id for r in self.benefits], "benefit id")
        missing = [c for c in CO_BENEFITS if c not in {r.id for r in self.benefits}]
        if missing:
            raise ValueError(f"a [[benefit]] row is needed for {', '.join(missing)}")
        return self

    def cost_shares(self, measure: Measure, overrides: Mapping[str, Mapping[Any, float]] | None = None
                    ) -> dict[str, float]:
        """Who pays for ``measure``: the dossier's row for the measure or its group, else the file's row for the
        measure, else for its group; a measure no row names is paid by the municipality (neighbourhood and
        town level) or the water board (regional)."""
        overrides = overrides or {}
        for key in (measure.id, measure.group):
            if key in overrides:
                return {str(k): v for k, v in overrides[key].items()}
        rows = {r.key: r for r in self.cost_bearers}
        for key in (measure.id, measure.group):
            if key in rows:
                return {str(k): v for k, v in rows[key].shares.items()}
        return {"water_board": 1.0} if measure.levels == ["region"] else {"municipality": 1.0}

    def benefit_shares(self, benefit: str, overrides: Mapping[str, Mapping[Any, float]] | None = None
                       ) -> dict[str, float]:
        """Who gains from ``benefit`` (the dossier's row first); a benefit without a row is the municipality's."""
        if overrides and benefit in overrides:
            return {str(k): v for k, v in overrides[benefit].items()}
        row = next((r for r in self.benefits if r.id == benefit), None)
        return {"municipality": 1.0} if row is None else {str(k): v for k, v in row.shares.items()}

    def benefit_name(self, benefit: str) -> tuple[str, str]:
        """(nl, en) name of ``benefit`` (its id when no row names it)."""
        row = next((r for r in self.benefits if r.id == benefit), None)
        return (benefit, benefit) if row is None else (row.nl, row.en)
