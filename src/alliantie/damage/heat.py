"""Damage of heat: excess mortality and lost labour productivity on heat days.

Per climate scenario (``docs/costs_heat_drought.md``, numbers in ``damage_heat.toml``)::

    excess deaths / year = rate (deaths per resident per heat day) x heat days (KNMI, per scenario) x residents
    mortality / year     = excess deaths x value of a heat death
    labour loss / year   = loss (EUR per resident per heat day) x heat days x residents
    damage / year        = mortality + labour loss

with low / mean / high rates (Dutch heat waves of 2018, 1979-1997 and 2019) and
values (a QALY value times 1 or 2.5 life-years lost, and the value of a
statistical life as the upper bound). The labour loss per resident per heat
day is the share of a heat day's work lost (2 % per degC indoors above 25 degC,
at an estimated 26 / 28 / 30 degC indoors) x hours worked per worker per
calendar day x labour costs per hour x workers per resident
(:func:`labour_loss`). Heat days are the KNMI tropical days of the scenario: a
scenario without a sourced number is listed in ``ThemeDamage.missing`` (for
both items), never guessed. When ``damage_heat.toml`` says ``[labour] valued =
false`` the labour item is listed as missing in every scenario. The incident
(mortality only) is a heat wave like that of July 2019 in today's climate.

:func:`indicator_totals` and :class:`PriceLevel` are shared with
:mod:`alliantie.damage.drought`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import Field, model_validator

from alliantie.climate.scenarios import SETS, ClimateScenario, ClimateTable
from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.damage.amounts import DamageRange, Incident, ThemeDamage
from alliantie.damage.npv import EconomicsFile, consumer_price_index
from alliantie.errors import ConfigError
from alliantie.knowledge.model import KnowledgeModel, NonBlank, SourcedTable, parse_knowledge

KNOWLEDGE = "damage_heat"
ITEM_MORTALITY = "heat_mortality"
ITEM_LABOUR = "labour_productivity"


# --------------------------------------------------------------------------- shared helpers


def indicator_totals(values: Sequence[IndicatorValue]) -> dict[tuple[str, str], float]:
    """(scenario id, indicator) -> value of the whole study area (rows with code "")."""
    return {(v.scenario, v.indicator): float(v.value) for v in values if v.code == ""}


def indicator_label(summary: ThemeSummary, indicator: str, language: str) -> str:
    """The theme's own label of ``indicator`` (theme.json), lower case; the id when the theme has none."""
    for info in summary.indicators:
        if info.id == indicator:
            label = info.label.get(language)
            return label[:1].lower() + label[1:] if label else indicator
    return indicator


def scenario_from_id(scenario_id: str) -> ClimateScenario | None:
    """``current`` -> today's climate; ``Hd2050`` -> KNMI'23 Hd around 2050; None for an id of no known set."""
    if scenario_id == "current":
        return ClimateScenario()
    match = re.fullmatch(r"([A-Za-z]+)(\d{4})", scenario_id)
    if match is None:
        return None
    name, horizon = match.group(1), int(match.group(2))
    for set_name, names in SETS.items():
        if name in names:
            return ClimateScenario(name=name, horizon=horizon, set=set_name)
    return None


@dataclass(frozen=True)
class PriceLevel:
    """Converts amounts of a source year to one price year with the CBS CPI of ``economics.toml``.

    When the CPI has no number for the requested year, amounts go to the nearest
    year it has (``year`` differs from ``requested``; :attr:`note` says so).
    """

    requested: int
    year: int
    cpi: dict[int, float]

    @classmethod
    def of(cls, price_year: int, economics: EconomicsFile) -> PriceLevel:
        cpi = consumer_price_index(economics)
        if not cpi:
            raise ConfigError("damage.errors.no_cpi", years=str(price_year), first="-", last="-")
        year = min(cpi, key=lambda y: (abs(y - price_year), -y))  # the year itself, else the nearest one
        return cls(requested=price_year, year=year, cpi=cpi)

    def factor(self, source_year: int) -> float:
        """Multiplier from ``source_year`` prices to :attr:`year` prices (1 when the CPI lacks the source year)."""
        if source_year not in self.cpi:
            return 1.0
        return self.cpi[self.year] / self.cpi[source_year]

    def note(self, language: str) -> str:
        if self.year == self.requested:
            return ""
        if language == "nl":
            return f" Prijspeil {self.year}: de consumentenprijsindex heeft geen getal voor {self.requested}."
        return f" Price level {self.year}: the consumer price index has no number for {self.requested}."


def _nl(value: float, decimals: int = 0) -> str:
    """A number in Dutch notation: 1.234.567 or 2,65."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


# --------------------------------------------------------------------------- the knowledge file

DAYS_PER_YEAR = 365.0  #: calendar days over which a worker's yearly hours are spread


class HeatDays(SourcedTable):
    """``[heat_days]``: the KNMI variable (``knmi_scenarios.toml``) that counts the heat days of a scenario."""

    variable: str = Field(min_length=1)


class Exposure(SourcedTable):
    """``[exposure]``: the heat product's indicators counted as exposed residents, first found first."""

    indicators: list[str] = Field(min_length=1)


class LowMeanHigh(SourcedTable):
    """A low / mean / high number, ordered."""

    low: float = Field(ge=0)
    mean: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> LowMeanHigh:
        if not self.low <= self.mean <= self.high:
            raise ValueError("low <= mean <= high")
        return self


class MortalityEvent(KnowledgeModel):
    """``[[mortality.event]]``: a Dutch heat wave and the excess deaths per resident per day it gives."""

    name: str
    excess_deaths: float
    days: int = Field(gt=0)
    population: float = Field(gt=0)
    rate: float = Field(ge=0, description="excess deaths / days / population")
    source: NonBlank


class Mortality(LowMeanHigh):
    """``[mortality]``: excess deaths per resident per heat-wave day, and the events they come from."""

    event: list[MortalityEvent] = Field(default_factory=list)


class PricedValue(SourcedTable):
    """An amount at its price year."""

    value: float = Field(ge=0)
    price_year: int


class LifeYearsLost(SourcedTable):
    """``[life_years_lost]``: years of life lost per heat death, low and mean."""

    low: float = Field(ge=0)
    mean: float = Field(ge=0)


class HeatIncident(SourcedTable):
    """``[incident]``: the heat wave valued as incident in today's climate."""

    id: str = Field(min_length=1)
    nl: str
    en: str
    excess_deaths_per_resident: float = Field(ge=0)


class LossFraction(LowMeanHigh):
    """``[labour.loss_fraction]``: the share of a heat day's work lost, and the indoor temperatures behind it."""

    high: float = Field(ge=0, le=1)
    threshold_degc: float | None = None
    loss_per_degree: float | None = None
    indoor_degc_low: float | None = None
    indoor_degc_mean: float | None = None
    indoor_degc_high: float | None = None


class WorkersPerResident(SourcedTable):
    """``[labour.workers_per_resident]``: persons in employment per resident."""

    value: float = Field(gt=0, le=1)
    employed: float | None = None
    population: float | None = None


class HoursPerWorker(SourcedTable):
    """``[labour.hours_per_worker]``: hours actually worked per person in employment per year."""

    value: float = Field(gt=0, le=24 * DAYS_PER_YEAR)


class LabourCost(PricedValue):
    """``[labour.labour_cost_per_hour]``: the employer's labour costs per hour worked."""

    value: float = Field(gt=0)


class Labour(SourcedTable):
    """``[labour]``: lost labour productivity on heat days; its four tables are needed when ``valued``."""

    valued: bool
    loss_fraction: LossFraction | None = None
    workers_per_resident: WorkersPerResident | None = None
    hours_per_worker: HoursPerWorker | None = None
    labour_cost_per_hour: LabourCost | None = None

    @model_validator(mode="after")
    def _complete(self) -> Labour:
        parts = ("loss_fraction", "workers_per_resident", "hours_per_worker", "labour_cost_per_hour")
        missing = [p for p in parts if getattr(self, p) is None]
        if self.valued and missing:
            raise ValueError(f"valued labour needs {', '.join(missing)}")
        return self


class HeatDamageFile(KnowledgeModel):
    """Knowledge file ``damage_heat.toml``: the numbers behind the damage of heat, each table with unit and source."""

    title: str = ""
    heat_days: HeatDays
    exposure: Exposure
    mortality: Mortality
    value_of_life_year: PricedValue
    life_years_lost: LifeYearsLost
    value_of_statistical_life: PricedValue
    value_per_death: SourcedTable
    incident: HeatIncident
    labour: Labour | None = None

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> HeatDamageFile:
        """The parsed file checked; a ConfigError naming ``path`` and the wrong fields when it does not fit."""
        return parse_knowledge(cls, data, path)


# --------------------------------------------------------------------------- the heat numbers


@dataclass(frozen=True)
class HeatNumbers:
    """The numbers of ``damage_heat.toml`` (values per death already at the price level)."""

    heat_day_variable: str
    exposure_indicators: tuple[str, ...]
    rate: tuple[float, float, float]  #: excess deaths per resident per heat day, low/mean/high
    value_per_death: tuple[float, float, float]  #: EUR at the price level, low/mean/high
    incident_rate: float  #: excess deaths per resident over the incident heat wave
    incident_id: str
    incident_nl: str
    incident_en: str
    sources: tuple[str, ...]
    #: EUR lost per resident per heat day at the price level, low/mean/high; None when labour is not valued.
    labour_per_resident_day: tuple[float, float, float] | None = None
    labour_sources: tuple[str, ...] = ()
    labour_loss_fraction: tuple[float, float, float] = (0.0, 0.0, 0.0)



def labour_numbers(knowledge: HeatDamageFile, price: PriceLevel,
                   ) -> tuple[tuple[float, float, float], tuple[float, float, float], tuple[str, ...]] | None:
    """``[labour]`` of ``damage_heat.toml``: (EUR per resident per heat day, loss fractions, sources), or None.

    EUR per resident per heat day = loss fraction x hours per worker / 365 x labour
    costs per hour (indexed to ``price``) x workers per resident, for low / mean / high.
    None when the file has no ``[labour]`` or says ``valued = false``.
    """
    labour = knowledge.labour
    if labour is None or not labour.valued:
        return None
    loss, workers, hours, cost = (labour.loss_fraction, labour.workers_per_resident, labour.hours_per_worker,
                                  labour.labour_cost_per_hour)
    assert loss is not None and workers is not None and hours is not None and cost is not None  # checked on reading
    per_hour = cost.value * price.factor(cost.price_year)
    day = hours.value / DAYS_PER_YEAR * per_hour * workers.value
    sources = tuple(dict.fromkeys(s for s in (labour.source, loss.source, workers.source, hours.source,
                                              cost.source) if s))
    fractions = (loss.low, loss.mean, loss.high)
    return (fractions[0] * day, fractions[1] * day, fractions[2] * day), fractions, sources


def heat_numbers(knowledge: HeatDamageFile, price: PriceLevel) -> HeatNumbers:
    """The numbers of ``damage_heat.toml`` with the values of a death indexed to ``price``."""
    mort, days, exposure, incident = knowledge.mortality, knowledge.heat_days, knowledge.exposure, knowledge.incident
    voly, lyl, vsl = knowledge.value_of_life_year, knowledge.life_years_lost, knowledge.value_of_statistical_life
    life_year = voly.value * price.factor(voly.price_year)
    statistical_life = vsl.value * price.factor(vsl.price_year)
    low = life_year * lyl.low
    mean = life_year * lyl.mean
    values = (low, mean, max(mean, statistical_life))
    labour = labour_numbers(knowledge, price)
    sources = tuple(dict.fromkeys(s for s in (
        mort.source, *(e.source for e in mort.event), voly.source, lyl.source, vsl.source, days.source,
        exposure.source) if s))
    return HeatNumbers(
        heat_day_variable=days.variable,
        exposure_indicators=tuple(exposure.indicators),
        rate=(mort.low, mort.mean, mort.high),
        value_per_death=values,
        incident_rate=incident.excess_deaths_per_resident,
        incident_id=incident.id,
        incident_nl=incident.nl,
        incident_en=incident.en,
        sources=sources,
        labour_per_resident_day=labour[0] if labour else None,
        labour_sources=labour[2] if labour else (),
        labour_loss_fraction=labour[1] if labour else (0.0, 0.0, 0.0),
    )


def _exposed(totals: Mapping[tuple[str, str], float], scenario_id: str,
             indicators: Sequence[str]) -> tuple[float, str] | None:
    for name in indicators:
        if (scenario_id, name) in totals:
            return totals[(scenario_id, name)], name
    return None


@dataclass(frozen=True)
class _Deaths:
    """Excess deaths per year in one scenario, and what they rest on."""

    deaths: tuple[float, float, float]  #: low, mean, high
    exposure: str  #: the indicator counted as residents
    days_source: str  #: source of the scenario's heat days
    people_days: float = 0.0  #: heat days per year x residents


def _scenario_deaths(numbers: HeatNumbers, table: ClimateTable, totals: Mapping[tuple[str, str], float],
                     scenario_id: str) -> _Deaths | list[str]:
    """The excess deaths of ``scenario_id``, or the numbers that are missing for it."""
    scenario = scenario_from_id(scenario_id)
    found = None
    if scenario is not None and numbers.heat_day_variable in table.variables:
        found = table.get(numbers.heat_day_variable, scenario)
    exposed = _exposed(totals, scenario_id, numbers.exposure_indicators)
    missing = []
    if found is None or found.value is None:
        missing.append(numbers.heat_day_variable)
    if exposed is None:
        missing.append(numbers.exposure_indicators[-1])
    if missing or found is None or found.value is None or exposed is None:
        return missing
    people_days = found.value * exposed[0]
    low, mean, high = (r * people_days for r in numbers.rate)
    return _Deaths((low, mean, high), exposed[1], found.source, people_days)


def excess_deaths(summary: ThemeSummary, values: list[IndicatorValue], knowledge: HeatDamageFile, *,
                  economics: EconomicsFile, climate: ClimateTable) -> dict[str, tuple[float, float, float]]:
    """Expected excess deaths per year (low, mean, high) per scenario that has heat days and residents."""
    price = PriceLevel.of(max(consumer_price_index(economics), default=2024), economics)  # deaths need no price
    numbers = heat_numbers(knowledge, price)
    totals = indicator_totals(values)
    out: dict[str, tuple[float, float, float]] = {}
    for sid in summary.scenarios:
        found = _scenario_deaths(numbers, climate, totals, sid)
        if isinstance(found, _Deaths):
            out[sid] = found.deaths
    return out


def labour_loss(summary: ThemeSummary, values: list[IndicatorValue], knowledge: HeatDamageFile, *,
                price_year: int, economics: EconomicsFile, climate: ClimateTable) -> dict[str, DamageRange]:
    """Lost labour productivity per year (EUR at ``price_year``) per scenario that has heat days and residents.

    Empty when ``damage_heat.toml`` does not value labour (``[labour] valued = false``).
    """
    price = PriceLevel.of(price_year, economics)
    numbers = heat_numbers(knowledge, price)
    totals = indicator_totals(values)
    out: dict[str, DamageRange] = {}
    for sid in summary.scenarios:
        found = _scenario_deaths(numbers, climate, totals, sid)
        if isinstance(found, _Deaths) and numbers.labour_per_resident_day is not None:
            out[sid] = _labour_range(numbers, found, price)
    return out


def _labour_range(numbers: HeatNumbers, found: _Deaths, price: PriceLevel) -> DamageRange:
    assert numbers.labour_per_resident_day is not None
    low, mean, high = (v * found.people_days for v in numbers.labour_per_resident_day)
    return DamageRange(low, mean, high, price.year, (*numbers.labour_sources, found.days_source))


# --------------------------------------------------------------------------- the contract


def annual_damage(summary: ThemeSummary, values: list[IndicatorValue], knowledge: HeatDamageFile, *,
                  price_year: int, economics: EconomicsFile, climate: ClimateTable) -> ThemeDamage:
    """Expected annual damage of heat per scenario (EUR/year at ``price_year``), the 2019 heat wave as incident.

    The annual damage is excess mortality plus lost labour productivity; the labour
    part alone is :func:`labour_loss`, the excess deaths :func:`excess_deaths`.

    ``knowledge`` is ``damage_heat.toml``, ``economics`` gives the price index and
    ``climate`` the heat days per scenario (``knmi_scenarios.toml``); each the
    dossier's replacement where it has one.
    """
    price = PriceLevel.of(price_year, economics)
    numbers = heat_numbers(knowledge, price)
    totals = indicator_totals(values)
    damage = ThemeDamage(theme="heat")
    exposure_used: set[str] = set()
    for sid in summary.scenarios:
        found = _scenario_deaths(numbers, climate, totals, sid)
        if not isinstance(found, _Deaths):
            damage.missing.extend((name, sid) for name in found)
            damage.missing.append((ITEM_MORTALITY, sid))
            damage.missing.append((ITEM_LABOUR, sid))
            continue
        exposure_used.add(found.exposure)
        low, mean, high = (d * v for d, v in zip(found.deaths, numbers.value_per_death, strict=True))
        total = DamageRange(low, mean, high, price.year, (*numbers.sources, found.days_source))
        if numbers.labour_per_resident_day is None:
            damage.missing.append((ITEM_LABOUR, sid))
        else:
            total = total + _labour_range(numbers, found, price)
        damage.annual[sid] = total
    now = _exposed(totals, "current", numbers.exposure_indicators)
    if now is not None:
        deaths = numbers.incident_rate * now[0]
        low, mean, high = (deaths * v for v in numbers.value_per_death)
        damage.incidents.append(Incident(
            id=numbers.incident_id, scenario="current", label_nl=numbers.incident_nl, label_en=numbers.incident_en,
            damage=DamageRange(low, mean, high, price.year, numbers.sources)))
    used = sorted(exposure_used) or [numbers.exposure_indicators[-1]]
    exposure_nl = ", ".join(indicator_label(summary, i, "nl") for i in used)
    exposure_en = ", ".join(indicator_label(summary, i, "en") for i in used)
    per_million = [r * 1e6 for r in numbers.rate]
    v = numbers.value_per_death
    damage.basis_nl = (
        f"Extra sterfte door hitte: {_nl(per_million[1], 2)} (laag {_nl(per_million[0], 2)}, hoog "
        f"{_nl(per_million[2], 2)}) extra doden per miljoen inwoners per hittedag × tropische dagen per jaar "
        f"(KNMI, per scenario) × inwoners ({exposure_nl}); waarde per dode € {_nl(v[0])} tot € {_nl(v[1])} "
        f"(verloren levensjaren van kwetsbare ouderen), hoog € {_nl(v[2])} (statistisch leven). "
        f"{_labour_text(numbers, 'nl')}{price.note('nl')}"
    )
    damage.basis_en = (
        f"Excess mortality from heat: {per_million[1]:.2f} (low {per_million[0]:.2f}, high {per_million[2]:.2f}) "
        f"excess deaths per million residents per heat day × tropical days per year (KNMI, per scenario) × "
        f"residents ({exposure_en}); value per death EUR {v[0]:,.0f} to {v[1]:,.0f} (life-years lost by frail "
        f"elderly), high EUR {v[2]:,.0f} (statistical life). {_labour_text(numbers, 'en')}"
        f"{price.note('en')}"
    )
    return damage


def _labour_text(numbers: HeatNumbers, language: str) -> str:
    """The labour part of the basis text."""
    day = numbers.labour_per_resident_day
    pct = [100 * f for f in numbers.labour_loss_fraction]
    if language == "nl":
        if day is None:
            return "Arbeidsproductiviteit is niet gewaardeerd (geen bron)."
        return (f"Plus verlies aan arbeidsproductiviteit: € {_nl(day[1], 2)} (laag {_nl(day[0], 2)}, hoog "
                f"{_nl(day[2], 2)}) per inwoner per tropische dag ({_nl(pct[1])} % van het werk van die dag, laag "
                f"{_nl(pct[0])} %, hoog {_nl(pct[2])} %, tegen de loonkosten per gewerkt uur; werkenden per "
                f"inwoner en gewerkte uren per jaar volgens CBS en OESO). Hittegolf-incident: alleen sterfte.")
    if day is None:
        return "Labour productivity is not valued (no source)."
    return (f"Plus lost labour productivity: EUR {day[1]:.2f} (low {day[0]:.2f}, high {day[2]:.2f}) per resident "
            f"per tropical day ({pct[1]:.0f} % of that day's work, low {pct[0]:.0f} %, high {pct[2]:.0f} %, valued "
            f"at labour costs per hour worked; workers per resident and hours worked per year from CBS and OECD). "
            f"Heat-wave incident: mortality only.")


__all__ = ["HeatDamageFile", "HeatNumbers", "PriceLevel", "annual_damage", "excess_deaths", "heat_numbers",
           "indicator_totals", "labour_loss", "labour_numbers", "scenario_from_id"]
