"""Damage of drought: foundations, crops and subsidence per year; nature and wildfire not monetised.

Every item of ``damage_drought.toml`` (``[[item]]``) names an indicator of the
drought product (``urgency.drought``, totals of the study area per scenario)
and an amount per unit per year, low / mean / high at a price year::

    damage / year = sum over valued items of  indicator(scenario) x amount(low | mean | high) x price factor

Items: ``foundations`` (buildings of foundation-risk class 2-3 x the Deltares
2020 damage to 2050 per sensitive building and year), ``crops`` (drought-sensitive
farmland x the 2018 agricultural drought loss per hectare, Ecorys 2019, x the
probability per year of a year as dry as 2018 in the scenario: see below),
``subsidence`` (peat subsiding more than 5 mm/year x the PBL 2016 rural costs per
hectare of peat and year). ``nature`` and ``wildfire`` carry ``valued = false``:
they add nothing and are named in the basis text. A scenario where a valued
item's indicator is absent is not valued and listed in ``ThemeDamage.missing``.
No incident: the drought product has no single event.

**Weighted by frequency** (an item with ``[item.frequency]``, the crops): its
amount is the loss of one dry year like 2018, so it is multiplied by the
probability per year of such a year in the scenario,
:func:`dry_year_probability`. The yearly largest precipitation deficit is taken
to follow a Gumbel (extreme value type I) distribution fitted to the two numbers
KNMI'23 gives per scenario (``knmi_scenarios.toml``): the mean and the 1-in-10-year
level. A year "like 2018" is a year whose deficit reaches the level that today's
climate exceeds once in ``return_period_years``; in today's climate its
probability is therefore ``1 / return_period_years``, in a drier scenario more.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alliantie.climate.scenarios import ClimateTable, load_climate_table
from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.damage.amounts import DamageRange, ThemeDamage
from alliantie.damage.heat import PriceLevel, indicator_totals, scenario_from_id
from alliantie.damage.npv import EconomicsFile
from alliantie.knowledge.model import KnowledgeModel, NonBlank, parse_knowledge, unique

KNOWLEDGE = "damage_drought"


class Derivation(BaseModel):
    """``[item.derivation]``: the national numbers an item's amounts are derived from (checked by the tests)."""

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)
    __pydantic_extra__: dict[str, float] = Field(init=False)  # the numbers, named by the item

    unit: NonBlank
    source: NonBlank


class Frequency(KnowledgeModel):
    """``[item.frequency]``: the item's amount is the loss of one dry year; weight it by that year's probability."""

    return_period_years: float = Field(gt=1, description="return period of the dry year in today's climate, years")
    mean_variable: str = Field("precip_deficit_mean", min_length=1,
                               description="knmi_scenarios.toml variable: mean of the yearly largest deficit, mm")
    t10_variable: str = Field("precip_deficit_10y", min_length=1,
                              description="knmi_scenarios.toml variable: the deficit exceeded once in 10 years, mm")
    nl: str = Field(min_length=1, description="the dry year in words, e.g. 'een droogtejaar als 2018'")
    en: str = Field(min_length=1)
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
    frequency: Frequency | None = Field(None, description="weight the amount by the probability of its dry year")

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


# --------------------------------------------------------------------------- frequency of a dry year

#: Euler-Mascheroni constant: the mean of the standard Gumbel distribution.
EULER_GAMMA = 0.5772156649015329


def gumbel_reduced_variate(return_period: float) -> float:
    """``y_T = -ln(-ln(1 - 1/T))``: the standard Gumbel quantile of the level exceeded once in ``T`` years."""
    if not return_period > 1:
        raise ValueError("the return period must exceed 1 year")
    return -math.log(-math.log(1.0 - 1.0 / return_period))


def gumbel_from_mean_and_t10(mean: float, t10: float) -> tuple[float, float]:
    """Location ``u`` and scale ``beta`` (mm) of the Gumbel distribution with this mean and 1-in-10-year level.

    ``mean = u + 0.5772 beta`` and ``t10 = u + y_10 beta`` (``y_10`` = 2.2504);
    ``t10`` must exceed ``mean``.
    """
    if not t10 > mean:
        raise ValueError(f"the 1-in-10-year deficit ({t10}) must exceed the mean ({mean})")
    beta = (t10 - mean) / (gumbel_reduced_variate(10.0) - EULER_GAMMA)
    return mean - EULER_GAMMA * beta, beta


def dry_year_probability(reference: tuple[float, float], scenario: tuple[float, float],
                         return_period: float) -> float:
    """Probability per year that the yearly largest deficit reaches today's ``return_period``-year level.

    ``reference`` and ``scenario`` are (mean, 1-in-10-year level) of the yearly
    largest precipitation deficit (mm) in today's climate and in the scenario.
    Equals ``1 / return_period`` when the scenario is today's climate; rises
    with the scenario's mean and (above the mean) with its spread.
    """
    u_ref, beta_ref = gumbel_from_mean_and_t10(*reference)
    level = u_ref + beta_ref * gumbel_reduced_variate(return_period)
    u, beta = gumbel_from_mean_and_t10(*scenario)
    return -math.expm1(-math.exp(-(level - u) / beta))


def _deficits(table: ClimateTable, frequency: Frequency, scenario_id: str) -> tuple[float, float] | list[str]:
    """(mean, t10) of the scenario's yearly largest deficit, or the variables without a sourced number."""
    scenario = scenario_from_id(scenario_id)
    found = []
    missing = []
    for variable in (frequency.mean_variable, frequency.t10_variable):
        value = None
        if scenario is not None and variable in table.variables:
            value = table.level(variable, scenario)
        if value is None:
            missing.append(variable)
        found.append(value)
    if missing:
        return missing
    return float(found[0]), float(found[1])  # type: ignore[arg-type]


def dry_year_probabilities(table: ClimateTable, frequency: Frequency, scenario_ids: list[str],
                           ) -> tuple[dict[str, float], list[tuple[str, str]]]:
    """Per scenario id the probability per year of the dry year of ``frequency``; and (variable, id) missing."""
    out: dict[str, float] = {}
    missing: list[tuple[str, str]] = []
    reference = _deficits(table, frequency, "current")
    for sid in scenario_ids:
        found = _deficits(table, frequency, sid)
        if isinstance(reference, list) or isinstance(found, list):
            absent = (reference if isinstance(reference, list) else []) + (found if isinstance(found, list) else [])
            missing.extend((v, sid) for v in dict.fromkeys(absent))
            continue
        out[sid] = dry_year_probability(reference, found, frequency.return_period_years)
    return out, missing


# --------------------------------------------------------------------------- the annual damage


def annual_damage(summary: ThemeSummary, values: list[IndicatorValue], knowledge: DroughtDamageFile, *,
                  price_year: int, economics: EconomicsFile, climate: ClimateTable | None = None) -> ThemeDamage:
    """Expected annual damage of drought per scenario (EUR/year at ``price_year``).

    ``knowledge`` is ``damage_drought.toml``, ``economics`` gives the price
    index and ``climate`` the deficit statistics of the items weighted by
    frequency (default: the packaged ``knmi_scenarios.toml``); each the dossier's
    replacement where it has one.
    """
    price = PriceLevel.of(price_year, economics)
    items = knowledge.item
    valued = [i for i in items if i.valued]
    totals = indicator_totals(values)
    damage = ThemeDamage(theme="drought")
    sources = tuple(dict.fromkeys(s for i in valued for s in (i.source, *_frequency_source(i))))
    weights: dict[str, dict[str, float]] = {}
    lacking: dict[str, list[tuple[str, str]]] = {}
    for item in valued:
        if item.frequency is not None:
            table = climate if climate is not None else load_climate_table()
            weights[item.id], lacking[item.id] = dry_year_probabilities(table, item.frequency,
                                                                        list(summary.scenarios))
    for sid in summary.scenarios:
        absent = [i for i in valued if (sid, i.indicator) not in totals]
        no_climate = [m for i in valued for m in lacking.get(i.id, []) if m[1] == sid]
        if absent or no_climate:
            damage.missing.extend((i.id, sid) for i in absent)
            damage.missing.extend(no_climate)
            continue
        low = mean = high = 0.0
        for item in valued:
            quantity = max(totals[(sid, item.indicator)], 0.0) * weights.get(item.id, {}).get(sid, 1.0)
            factor = price.factor(item.price_year) if item.price_year is not None else 1.0
            low += quantity * item.amount[0] * factor
            mean += quantity * item.amount[1] * factor
            high += quantity * item.amount[2] * factor
        damage.annual[sid] = DamageRange(low, mean, high, price.year, sources)
    not_valued = [i for i in items if not i.valued]
    damage.basis_nl = (
        "Per jaar: " + "; ".join(f"{i.nl}: € {_span(i, price, 'nl')} {i.nl_per}".rstrip()
                                 + _weight_text(i, weights.get(i.id), "nl") for i in valued)
        + (". Niet in geld uitgedrukt: " + ", ".join(i.nl for i in not_valued) if not_valued else "")
        + "." + price.note("nl")
    )
    damage.basis_en = (
        "Per year: " + "; ".join(f"{i.en}: EUR {_span(i, price, 'en')} {i.en_per}".rstrip()
                                 + _weight_text(i, weights.get(i.id), "en") for i in valued)
        + (". Not monetised: " + ", ".join(i.en for i in not_valued) if not_valued else "")
        + "." + price.note("en")
    )
    return damage


def _frequency_source(item: DroughtItem) -> tuple[str, ...]:
    return () if item.frequency is None else (item.frequency.source,)


def _weight_text(item: DroughtItem, weights: Mapping[str, float] | None, language: str) -> str:
    """", times the probability of a dry year like 2018 (today 5 %, Hd2050 68 %)" for an item weighted by frequency."""
    if item.frequency is None or not weights:
        return ""
    shares = ", ".join(
        f"{'vandaag' if sid == 'current' and language == 'nl' else 'today' if sid == 'current' else sid} "
        f"{100.0 * p:.0f} %" for sid, p in weights.items())
    if language == "nl":
        return f", maal de kans per jaar op {item.frequency.nl} ({shares})"
    return f", times the probability per year of {item.frequency.en} ({shares})"


def _span(item: DroughtItem, price: PriceLevel, language: str) -> str:
    """"202–2,100" (or one number when low = high) at the price level, in the language's notation."""
    factor = price.factor(item.price_year) if item.price_year is not None else 1.0
    low, high = (f"{item.amount[k] * factor:,.0f}" for k in (0, 2))
    if language == "nl":
        low, high = low.replace(",", "."), high.replace(",", ".")
    return low if low == high else f"{low}–{high}"


__all__ = ["DroughtDamageFile", "DroughtItem", "Frequency", "annual_damage", "drought_items", "dry_year_probabilities",
           "dry_year_probability", "gumbel_from_mean_and_t10", "gumbel_reduced_variate"]
