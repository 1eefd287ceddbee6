"""Damage of drought: foundations, crops and subsidence per year; nature and wildfire not monetised.

Every item of ``damage_drought.toml`` (``[[item]]``) names an indicator of the
drought product (``urgency.drought``, totals of the study area per scenario)
and an amount per unit per year, low / mean / high at a price year::

    damage / year = sum over valued items of  indicator(scenario) x amount(low | mean | high) x price factor

Items: ``foundations`` (buildings of foundation-risk class 2-3 x the Deltares
2020 damage to 2050 per sensitive building and year), ``crops`` (drought-sensitive
farmland x the 2018 agricultural drought loss per hectare, Ecorys 2019),
``subsidence`` (peat subsiding more than 5 mm/year x the PBL 2016 rural costs per
hectare of peat and year). ``nature`` and ``wildfire`` carry ``valued = false``:
they add nothing and are named in the basis text. A scenario where a valued
item's indicator is absent is not valued and listed in ``ThemeDamage.missing``.
No incident: the drought product has no single event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.damage.amounts import DamageRange, ThemeDamage
from alliantie.damage.heat import PriceLevel, indicator_totals
from alliantie.damage.npv import EconomicsFile
from alliantie.knowledge.model import KnowledgeModel, NonBlank, parse_knowledge, unique

KNOWLEDGE = "damage_drought"


class Derivation(BaseModel):
    """``[item.derivation]``: the national numbers an item's amounts are derived from (checked by the tests)."""

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)
    __pydantic_extra__: dict[str, float] = Field(init=False)  # the numbers, named by the item

    unit: NonBlank
    source: NonBlank


class DroughtItem(KnowledgeModel):
    """``[[item]]``: an indicator of the drought product and its amount per unit per year."""

    id: str = Field(min_length=1)
    indicator: str = Field(min_length=1, description="indicator id of the drought product's theme.json")
    valued: bool = Field(description="false: not monetised (amounts 0, the reason in the source)")
    unit: NonBlank
    low: float = Field(ge=0, description="EUR per indicator unit per year at price_year")
    mean: float = Field(ge=0)
    high: float = Field(ge=0)
    price_year: int | None = Field(None, description="price level of the amounts; needed when valued")
    nl: str
    en: str
    nl_per: str = Field("", description="the unit in words, e.g. 'per gebouw per jaar'")
    en_per: str = ""
    source: NonBlank
    derivation: Derivation | None = None

    @model_validator(mode="after")
    def _consistent(self) -> DroughtItem:
        if not self.low <= self.mean <= self.high:
            raise ValueError(f"item {self.id}: 0 <= low <= mean <= high")
        if not self.valued and any(self.amount):
            raise ValueError(f"item {self.id}: amounts other than 0 need valued = true")
        if self.valued and self.price_year is None:
            raise ValueError(f"item {self.id}: a valued item needs its price_year")
        return self

    @property
    def amount(self) -> tuple[float, float, float]:
        """EUR per indicator unit per year at the item's price year: low, mean, high."""
        return (self.low, self.mean, self.high)


class DroughtDamageFile(KnowledgeModel):
    """Knowledge file ``damage_drought.toml``: the valued (and the not monetised) items of drought."""

    title: str = ""
    item: list[DroughtItem] = Field(min_length=1)

    @field_validator("item")
    @classmethod
    def _unique_ids(cls, rows: list[DroughtItem]) -> list[DroughtItem]:
        return unique(rows, [r.id for r in rows], "item id")

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> DroughtDamageFile:
        """The parsed file checked; a ConfigError naming ``path`` and the wrong fields when it does not fit."""
        return parse_knowledge(cls, data, path)


def drought_items(knowledge: DroughtDamageFile | Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml",
                  ) -> list[DroughtItem]:
    """The items of ``damage_drought.toml``, checked (unit, source, low <= mean <= high, price year if valued)."""
    return parse_knowledge(DroughtDamageFile, knowledge, path).item


def annual_damage(summary: ThemeSummary, values: list[IndicatorValue], knowledge: DroughtDamageFile, *,
                  price_year: int, economics: EconomicsFile) -> ThemeDamage:
    """Expected annual damage of drought per scenario (EUR/year at ``price_year``).

    ``knowledge`` is ``damage_drought.toml`` and ``economics`` gives the price
    index; each the dossier's replacement where it has one.
    """
    price = PriceLevel.of(price_year, economics)
    items = knowledge.item
    valued = [i for i in items if i.valued]
    totals = indicator_totals(values)
    damage = ThemeDamage(theme="drought")
    sources = tuple(dict.fromkeys(i.source for i in valued))
    for sid in summary.scenarios:
        absent = [i for i in valued if (sid, i.indicator) not in totals]
        if absent:
            damage.missing.extend((i.id, sid) for i in absent)
            continue
        low = mean = high = 0.0
        for item in valued:
            quantity = max(totals[(sid, item.indicator)], 0.0)
            factor = price.factor(item.price_year) if item.price_year is not None else 1.0
            low += quantity * item.amount[0] * factor
            mean += quantity * item.amount[1] * factor
            high += quantity * item.amount[2] * factor
        damage.annual[sid] = DamageRange(low, mean, high, price.year, sources)
    not_valued = [i for i in items if not i.valued]
    damage.basis_nl = (
        "Per jaar: " + "; ".join(f"{i.nl}: € {_span(i, price, 'nl')} {i.nl_per}".rstrip() for i in valued)
        + (". Niet in geld uitgedrukt: " + ", ".join(i.nl for i in not_valued) if not_valued else "")
        + "." + price.note("nl")
    )
    damage.basis_en = (
        "Per year: " + "; ".join(f"{i.en}: EUR {_span(i, price, 'en')} {i.en_per}".rstrip() for i in valued)
        + (". Not monetised: " + ", ".join(i.en for i in not_valued) if not_valued else "")
        + "." + price.note("en")
    )
    return damage


def _span(item: DroughtItem, price: PriceLevel, language: str) -> str:
    """"202–2,100" (or one number when low = high) at the price level, in the language's notation."""
    factor = price.factor(item.price_year) if item.price_year is not None else 1.0
    low, high = (f"{item.amount[k] * factor:,.0f}" for k in (0, 2))
    if language == "nl":
        low, high = low.replace(",", "."), high.replace(",", ".")
    return low if low == high else f"{low}–{high}"


__all__ = ["DroughtDamageFile", "DroughtItem", "annual_damage", "drought_items"]
