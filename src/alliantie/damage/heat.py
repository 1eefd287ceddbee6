"""Damage of heat: excess mortality and lost labour productivity on heat days, where people feel the heat.

Per climate scenario (``docs/costs_heat_drought.md``, numbers in ``damage_heat.toml``)::

    local excess (degC)  = mean felt temperature (PET) around the homes on today's hot afternoon - the reference PET
    excess deaths / year = rate (deaths per resident per heat day) x heat days (KNMI, per scenario) x residents
                           x (1 + mortality slope x local excess)
    mortality / year     = excess deaths x value of a heat death (life-years lost x value of a life-year)
    labour loss / year   = share of a heat day's work lost x EUR of work per job per heat day
                           x heat days x jobs at the workplaces, the local excess taken around the workplaces
                           (where the heat product counts jobs: ``[labour.workplace]``); else the same per
                           resident by home address (x workers per resident x residents); the share = 2 % per
                           degC above 25 degC indoors, indoors = the indoor temperature measured in Dutch homes
                           in a heat wave (Zuurbier et al. 2021) + indoor response (Nguyen et al. 2014: 0.41
                           degC per degC) x local excess
    damage / year        = mortality + labour loss

The national rates (low / mean / high: Dutch heat waves of 2018, 1979-1997 and
2019) hold for the average Dutch resident; the local excess makes them respond
to the heat product's per-cell felt temperature, so greening and shade that cool
the homes' surroundings lower the euros. A heat death is valued by the years of
life lost (1 / 2.5 / 2.5 years) times the value of a life-year (the QALY values
EUR 50 000 low and mean, the Zorginstituut ceiling EUR 80 000 high); the value
of a statistical life is only a separate sensitivity
(:func:`statistical_life_sensitivity`), never the high value. Labour is counted
at the workplace where the heat product counts jobs, else by home address
(:func:`labour_exposure`); the basis text names the rule. Heat days are the KNMI
tropical days of the scenario: a scenario without a sourced number is listed in
``ThemeDamage.missing`` (for both items), never guessed. When
``damage_heat.toml`` says ``[labour] valued = false`` the labour item is listed
as missing in every scenario. The incident (mortality only) is a heat wave like
that of July 2019 in today's climate.

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
from alliantie.i18n import translate
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


class SourcedValue(SourcedTable):
    """One number with its unit and source."""

    value: float


class LocalHeat(SourcedTable):
    """``[local_heat]``: the heat product's per-cell felt temperature that scales the national rates locally.

    ``indicator`` is the residents' mean PET around their homes on the hot afternoon
    (degC, one value per scenario); ``reference_pet`` the value at which the national
    rates hold; ``mortality_slope`` the fractional rise of heat mortality per degC.
    """

    indicator: str = Field(min_length=1)
    reference_pet: SourcedValue
    mortality_slope: SourcedValue

    @model_validator(mode="after")
    def _slope(self) -> LocalHeat:
        if not 0 <= self.mortality_slope.value <= 0.2:
            raise ValueError("mortality_slope.value must lie between 0 and 0.2 per degC")
        return self


class LossFraction(LowMeanHigh):
    """``[labour.loss_fraction]``: the share of a heat day's work lost, and the indoor temperatures behind it.

    With ``threshold_degc``, ``loss_per_degree`` and the three indoor temperatures the
    loss is ``loss_per_degree x max(0, indoor - threshold)`` per level (checked against
    low / mean / high on reading), and the local heat raises the indoor temperature
    before the threshold is applied (:func:`labour_fractions`).
    """

    high: float = Field(ge=0, le=1)
    threshold_degc: float | None = None
    loss_per_degree: float | None = None
    indoor_degc_low: float | None = None
    indoor_degc_mean: float | None = None
    indoor_degc_high: float | None = None

    @property
    def indoor(self) -> tuple[float, float, float] | None:
        """The indoor temperatures (low, mean, high; degC) when the file gives all of them and the rule."""
        levels = (self.indoor_degc_low, self.indoor_degc_mean, self.indoor_degc_high)
        if self.threshold_degc is None or self.loss_per_degree is None or any(t is None for t in levels):
            return None
        return (float(levels[0] or 0.0), float(levels[1] or 0.0), float(levels[2] or 0.0))

    @model_validator(mode="after")
    def _rule(self) -> LossFraction:
        indoor = self.indoor
        if indoor is None:
            return self
        assert self.threshold_degc is not None and self.loss_per_degree is not None
        for name, t, f in zip(("low", "mean", "high"), indoor, (self.low, self.mean, self.high), strict=True):
            if abs(self.loss_per_degree * max(0.0, t - self.threshold_degc) - f) > 5e-4:
                raise ValueError(f"{name} must be loss_per_degree x max(0, indoor_degc_{name} - threshold_degc)")
        return self


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


class Workplace(SourcedTable):
    """``[labour.workplace]``: the heat product's jobs at the workplaces and their mean PET around the workplaces."""

    jobs_indicator: str = Field(min_length=1)
    pet_indicator: str = Field(min_length=1)


class Labour(SourcedTable):
    """``[labour]``: lost labour productivity on heat days; its four tables are needed when ``valued``.

    ``indoor_response`` (optional): degC indoors per degC of local felt-temperature
    excess (:class:`LocalHeat`); without it the indoor temperature is the same everywhere.
    ``workplace`` (optional): count the loss per job at the workplace where the heat
    product counts jobs; without it (or without jobs) the loss is counted by home address.
    """

    valued: bool
    indoor_response: SourcedValue | None = None
    workplace: Workplace | None = None
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
        if self.indoor_response is not None and (self.loss_fraction is None
                                                 or self.loss_fraction.loss_per_degree is None):
            raise ValueError("indoor_response needs loss_fraction.loss_per_degree")
        return self


class HeatDamageFile(KnowledgeModel):
    """Knowledge file ``damage_heat.toml``: the numbers behind the damage of heat, each table with unit and source."""

    title: str = ""
    heat_days: HeatDays
    exposure: Exposure
    mortality: Mortality
    value_of_life_year: PricedValue
    #: the high value of a life-year; without it the high amount uses ``value_of_life_year``
    value_of_life_year_high: PricedValue | None = None
    life_years_lost: LifeYearsLost
    #: only a separate sensitivity line (:func:`statistical_life_sensitivity`), never the high amount
    value_of_statistical_life: PricedValue
    value_per_death: SourcedTable
    incident: HeatIncident
    labour: Labour | None = None
    #: without it the national rates hold everywhere (no local response to the heat map)
    local_heat: LocalHeat | None = None

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> HeatDamageFile:
        """The parsed file checked; a ConfigError naming ``path`` and the wrong fields when it does not fit."""
        return parse_knowledge(cls, data, path)


# --------------------------------------------------------------------------- the heat numbers


@dataclass(frozen=True)
class LocalNumbers:
    """How the national rates respond to the local felt temperature (``[local_heat]``)."""

    indicator: str  #: the heat product's mean PET around the residents' homes (degC)
    reference_pet_c: float  #: the PET at which the national rates hold
    mortality_slope: float  #: fractional rise of heat mortality per degC of local excess
    labour_slope: float  #: rise of the share of work lost per degC of local excess (0 when not given)


@dataclass(frozen=True)
class HeatNumbers:
    """The numbers of ``damage_heat.toml`` (values per death already at the price level)."""

    heat_day_variable: str
    exposure_indicators: tuple[str, ...]
    rate: tuple[float, float, float]  #: excess deaths per resident per heat day, low/mean/high
    value_per_death: tuple[float, float, float]  #: EUR at the price level, low/mean/high (life-years)
    incident_rate: float  #: excess deaths per resident over the incident heat wave
    incident_id: str
    incident_nl: str
    incident_en: str
    sources: tuple[str, ...]
    #: EUR lost per resident per heat day at the reference PET and the price level, low/mean/high; None when
    #: labour is not valued.
    labour_per_resident_day: tuple[float, float, float] | None = None
    labour_sources: tuple[str, ...] = ()
    labour_loss_fraction: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: indoor temperatures (degC, low/mean/high) behind the loss fractions, with the rule's threshold (degC),
    #: loss per degC and indoor degC per degC of local excess; None when the file gives the fractions only
    labour_indoor: tuple[float, float, float] | None = None
    labour_threshold_c: float = 0.0
    labour_per_degree: float = 0.0
    labour_indoor_response: float = 0.0
    #: EUR of work per resident per heat day (hours per calendar day x labour costs x workers per resident)
    labour_day_value: float = 0.0
    #: EUR of work per job per heat day (hours per calendar day x labour costs)
    labour_job_day_value: float = 0.0
    #: (jobs indicator, PET-around-the-workplaces indicator) of the heat product; None: by home address only
    workplace: tuple[str, str] | None = None
    local: LocalNumbers | None = None
    statistical_life: float = 0.0  #: EUR per death at the price level: the sensitivity line only
    statistical_life_source: str = ""
    life_years: tuple[float, float, float] = (0.0, 0.0, 0.0)  #: life-years lost per death, low/mean/high
    life_year_value: tuple[float, float] = (0.0, 0.0)  #: EUR per life-year at the price level: central, high


def labour_numbers(knowledge: HeatDamageFile, price: PriceLevel,
                   ) -> tuple[tuple[float, float, float], tuple[float, float, float], tuple[str, ...]] | None:
    """``[labour]`` of ``damage_heat.toml``: (EUR per resident per heat day, loss fractions, sources), or None.

    EUR per resident per heat day = loss fraction x hours per worker / 365 x labour
    costs per hour (indexed to ``price``) x workers per resident, for low / mean / high
    (at the reference felt temperature: :func:`annual_damage` adds the local excess).
    None when the file has no ``[labour]`` or says ``valued = false``.
    """
    labour = knowledge.labour
    if labour is None or not labour.valued:
        return None
    day = _labour_day_value(labour, price)
    loss, workers, hours, cost = (labour.loss_fraction, labour.workers_per_resident, labour.hours_per_worker,
                                  labour.labour_cost_per_hour)
    assert loss is not None and workers is not None and hours is not None and cost is not None  # checked on reading
    sources = tuple(dict.fromkeys(s for s in (labour.source, loss.source, workers.source, hours.source,
                                              cost.source) if s))
    fractions = (loss.low, loss.mean, loss.high)
    return (fractions[0] * day, fractions[1] * day, fractions[2] * day), fractions, sources


def _labour_day_value(labour: Labour, price: PriceLevel) -> float:
    workers = labour.workers_per_resident
    assert workers is not None  # checked on reading
    return _job_day_value(labour, price) * workers.value


def _job_day_value(labour: Labour, price: PriceLevel) -> float:
    """EUR of work per person employed per calendar day: hours per year / 365 x labour costs per hour."""
    hours, cost = labour.hours_per_worker, labour.labour_cost_per_hour
    assert hours is not None and cost is not None  # checked on reading
    return hours.value / DAYS_PER_YEAR * cost.value * price.factor(cost.price_year)


def _local_numbers(knowledge: HeatDamageFile) -> LocalNumbers | None:
    local = knowledge.local_heat
    if local is None:
        return None
    labour = knowledge.labour
    slope = 0.0
    if labour is not None and labour.valued and labour.indoor_response is not None:
        loss = labour.loss_fraction
        assert loss is not None and loss.loss_per_degree is not None  # checked on reading
        slope = loss.loss_per_degree * labour.indoor_response.value
    return LocalNumbers(indicator=local.indicator, reference_pet_c=local.reference_pet.value,
                        mortality_slope=local.mortality_slope.value, labour_slope=slope)


def heat_numbers(knowledge: HeatDamageFile, price: PriceLevel) -> HeatNumbers:
    """The numbers of ``damage_heat.toml`` with the values of a death indexed to ``price``.

    Value of a death: low = life-year value x life-years lost (low), mean = the same
    with the mean life-years, high = the high life-year value (``value_of_life_year_high``,
    else the central one) x the mean life-years. The value of a statistical life stays
    apart (:attr:`HeatNumbers.statistical_life`).
    """
    mort, days, exposure, incident = knowledge.mortality, knowledge.heat_days, knowledge.exposure, knowledge.incident
    voly, lyl, vsl = knowledge.value_of_life_year, knowledge.life_years_lost, knowledge.value_of_statistical_life
    voly_high = knowledge.value_of_life_year_high or voly
    life_year = voly.value * price.factor(voly.price_year)
    life_year_high = max(life_year, voly_high.value * price.factor(voly_high.price_year))
    statistical_life = vsl.value * price.factor(vsl.price_year)
    values = (life_year * lyl.low, life_year * lyl.mean, life_year_high * lyl.mean)
    labour = labour_numbers(knowledge, price)
    local = knowledge.local_heat
    sources = tuple(dict.fromkeys(s for s in (
        mort.source, *(e.source for e in mort.event), voly.source, voly_high.source, lyl.source, days.source,
        exposure.source, *((local.source, local.reference_pet.source, local.mortality_slope.source) if local else ()),
    ) if s))
    labour_sources = labour[2] if labour else ()
    if labour and knowledge.labour is not None and knowledge.labour.indoor_response is not None:
        labour_sources = (*labour_sources, knowledge.labour.indoor_response.source)
    workplace = None if not labour or knowledge.labour is None else knowledge.labour.workplace
    if workplace is not None:
        labour_sources = (*labour_sources, workplace.source)
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
        labour_sources=labour_sources,
        labour_loss_fraction=labour[1] if labour else (0.0, 0.0, 0.0),
        **_indoor_numbers(knowledge.labour if labour else None),
        labour_day_value=(_labour_day_value(knowledge.labour, price)
                          if labour and knowledge.labour is not None else 0.0),
        labour_job_day_value=(_job_day_value(knowledge.labour, price)
                              if labour and knowledge.labour is not None else 0.0),
        workplace=None if workplace is None else (workplace.jobs_indicator, workplace.pet_indicator),
        local=_local_numbers(knowledge),
        statistical_life=statistical_life,
        statistical_life_source=vsl.source,
        life_years=(lyl.low, lyl.mean, lyl.mean),
        life_year_value=(life_year, life_year_high),
    )


def _indoor_numbers(labour: Labour | None) -> dict[str, Any]:
    """The indoor-temperature fields of :class:`HeatNumbers` (empty when the file gives fractions only)."""
    loss = None if labour is None else labour.loss_fraction
    indoor = None if loss is None else loss.indoor
    if labour is None or loss is None or indoor is None:
        return {}
    assert loss.threshold_degc is not None and loss.loss_per_degree is not None
    response = 0.0 if labour.indoor_response is None else labour.indoor_response.value
    return {"labour_indoor": indoor, "labour_threshold_c": loss.threshold_degc,
            "labour_per_degree": loss.loss_per_degree, "labour_indoor_response": response}


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
    heat_days: float = 0.0  #: heat days per year of the scenario
    #: mean PET around the homes minus the reference PET (degC); None when there is no local indicator
    excess_c: float | None = None
    mortality_factor: float = 1.0  #: 1 + mortality slope x excess (at least 0)


#: The scenario whose hot afternoon gives the local excess of every scenario (the climate enters by the heat days).
LOCAL_SCENARIO = "current"


def local_excess(numbers: HeatNumbers, totals: Mapping[tuple[str, str], float]) -> float | None:
    """Mean PET around the residents' homes in today's climate minus the reference PET (degC).

    None without ``[local_heat]`` or without the indicator. Every scenario uses
    today's value: the climate enters through the number of heat days only, so a
    future afternoon that is warmer as a whole does not count the warming twice;
    what is local (shade, green, sky view around the homes) moves every scenario.
    """
    if numbers.local is None or (LOCAL_SCENARIO, numbers.local.indicator) not in totals:
        return None
    return totals[(LOCAL_SCENARIO, numbers.local.indicator)] - numbers.local.reference_pet_c


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
    excess = local_excess(numbers, totals)
    factor = 1.0
    if excess is not None and numbers.local is not None:
        factor = max(0.0, 1.0 + numbers.local.mortality_slope * excess)
    low, mean, high = (r * people_days * factor for r in numbers.rate)
    return _Deaths((low, mean, high), exposed[1], found.source, people_days, float(found.value), excess, factor)


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
            out[sid] = _labour_range(numbers, found, totals, sid, price)[0]
    return out


def labour_fractions(numbers: HeatNumbers, excess_c: float | None) -> tuple[float, float, float]:
    """The share of a heat day's work lost (low, mean, high) at a local excess of ``excess_c`` degC, within 0-1.

    With indoor temperatures: ``loss_per_degree x max(0, indoor + indoor_response x excess - threshold)``
    per level (an indoor temperature below the threshold loses nothing until the local heat lifts it
    over). Without them: the file's fractions shifted by ``labour_slope x excess``.
    """
    if excess_c is None or numbers.local is None:
        excess_c = 0.0
    if numbers.labour_indoor is not None:
        shifted = (t + numbers.labour_indoor_response * excess_c for t in numbers.labour_indoor)
        low, mean, high = (min(1.0, numbers.labour_per_degree * max(0.0, t - numbers.labour_threshold_c))
                           for t in shifted)
        return low, mean, high
    shift = 0.0 if numbers.local is None else numbers.local.labour_slope * excess_c
    low, mean, high = (min(1.0, max(0.0, f + shift)) for f in numbers.labour_loss_fraction)
    return low, mean, high


RULE_WORKPLACE = "workplace"  #: lost labour counted per job at the workplace, with the heat around the workplaces
RULE_HOME = "home"  #: lost labour counted per resident by home address, with the heat around the homes


@dataclass(frozen=True)
class LabourExposure:
    """Who loses work on a heat day in one scenario, and how hot it is around them."""

    rule: str  #: :data:`RULE_WORKPLACE` or :data:`RULE_HOME`
    people: float  #: jobs at the workplaces, or residents
    day_value: float  #: EUR of work per job (or per resident) per heat day at the price level
    #: mean PET around the workplaces (or homes) today minus the reference PET (degC); None without local heat
    excess_c: float | None


def workplace_jobs(numbers: HeatNumbers, totals: Mapping[tuple[str, str], float], scenario_id: str) -> float:
    """The jobs the heat product counts at the workplaces in ``scenario_id`` (0 without the indicator or the rule)."""
    if numbers.workplace is None:
        return 0.0
    return max(0.0, totals.get((scenario_id, numbers.workplace[0]), 0.0))


def labour_exposure(numbers: HeatNumbers, totals: Mapping[tuple[str, str], float], scenario_id: str,
                    residents: float) -> LabourExposure:
    """At the workplace where the heat product counts jobs and their PET around the workplaces; else by home.

    The workplace rule needs ``[labour.workplace]``, jobs above zero in the scenario
    and the jobs' mean PET of today's climate (the climate enters by the heat days
    only, as for the homes: :func:`local_excess`).
    """
    jobs = workplace_jobs(numbers, totals, scenario_id)
    if numbers.workplace is not None and jobs > 0 and (LOCAL_SCENARIO, numbers.workplace[1]) in totals:
        excess = None
        if numbers.local is not None:
            excess = totals[(LOCAL_SCENARIO, numbers.workplace[1])] - numbers.local.reference_pet_c
        return LabourExposure(RULE_WORKPLACE, jobs, numbers.labour_job_day_value, excess)
    return LabourExposure(RULE_HOME, residents, numbers.labour_day_value, local_excess(numbers, totals))


def _labour_range(numbers: HeatNumbers, found: _Deaths, totals: Mapping[tuple[str, str], float],
                  scenario_id: str, price: PriceLevel) -> tuple[DamageRange, LabourExposure]:
    assert numbers.labour_per_resident_day is not None
    residents = found.people_days / found.heat_days if found.heat_days > 0 else 0.0
    exposure = labour_exposure(numbers, totals, scenario_id, residents)
    low, mean, high = (f * exposure.day_value * exposure.people * found.heat_days
                       for f in labour_fractions(numbers, exposure.excess_c))
    return DamageRange(low, mean, high, price.year, (*numbers.labour_sources, found.days_source)), exposure


def statistical_life_sensitivity(summary: ThemeSummary, values: list[IndicatorValue], knowledge: HeatDamageFile,
                                 *, price_year: int, economics: EconomicsFile,
                                 climate: ClimateTable) -> dict[str, DamageRange]:
    """Sensitivity only: the excess deaths per year (low/mean/high rates) valued at the value of a statistical life.

    The value of a statistical life (the road-death VSL) has no age or frailty
    adjustment; Dutch health economics values heat deaths of the frail elderly per
    life-year (:func:`annual_damage`). This line is shown apart and never enters
    the range of the theme.
    """
    price = PriceLevel.of(price_year, economics)
    numbers = heat_numbers(knowledge, price)
    totals = indicator_totals(values)
    source = numbers.statistical_life_source
    out: dict[str, DamageRange] = {}
    for sid in summary.scenarios:
        found = _scenario_deaths(numbers, climate, totals, sid)
        if isinstance(found, _Deaths):
            low, mean, high = (d * numbers.statistical_life for d in found.deaths)
            out[sid] = DamageRange(low, mean, high, price.year, (source, found.days_source))
    return out


# --------------------------------------------------------------------------- the contract


def annual_damage(summary: ThemeSummary, values: list[IndicatorValue], knowledge: HeatDamageFile, *,
                  price_year: int, economics: EconomicsFile, climate: ClimateTable) -> ThemeDamage:
    """Expected annual damage of heat per scenario (EUR/year at ``price_year``), the 2019 heat wave as incident.

    The annual damage is excess mortality plus lost labour productivity; the labour
    part alone is :func:`labour_loss`, the excess deaths :func:`excess_deaths`, the
    value-of-a-statistical-life sensitivity :func:`statistical_life_sensitivity`.

    ``knowledge`` is ``damage_heat.toml``, ``economics`` gives the price index and
    ``climate`` the heat days per scenario (``knmi_scenarios.toml``); each the
    dossier's replacement where it has one.
    """
    price = PriceLevel.of(price_year, economics)
    numbers = heat_numbers(knowledge, price)
    totals = indicator_totals(values)
    damage = ThemeDamage(theme="heat")
    exposure_used: set[str] = set()
    local_used = False
    labour_used: list[LabourExposure] = []
    for sid in summary.scenarios:
        found = _scenario_deaths(numbers, climate, totals, sid)
        if not isinstance(found, _Deaths):
            damage.missing.extend((name, sid) for name in found)
            damage.missing.append((ITEM_MORTALITY, sid))
            damage.missing.append((ITEM_LABOUR, sid))
            continue
        exposure_used.add(found.exposure)
        local_used = local_used or found.excess_c is not None
        low, mean, high = (d * v for d, v in zip(found.deaths, numbers.value_per_death, strict=True))
        total = DamageRange(low, mean, high, price.year, (*numbers.sources, found.days_source))
        if numbers.labour_per_resident_day is None:
            damage.missing.append((ITEM_LABOUR, sid))
        else:
            labour, rule = _labour_range(numbers, found, totals, sid, price)
            labour_used.append(rule)
            total = total + labour
        damage.annual[sid] = total
    now = _exposed(totals, "current", numbers.exposure_indicators)
    if now is not None:
        excess = local_excess(numbers, totals)
        factor = 1.0 if excess is None or numbers.local is None else max(
            0.0, 1.0 + numbers.local.mortality_slope * excess)
        deaths = numbers.incident_rate * now[0] * factor
        low, mean, high = (deaths * v for v in numbers.value_per_death)
        damage.incidents.append(Incident(
            id=numbers.incident_id, scenario="current", label_nl=numbers.incident_nl, label_en=numbers.incident_en,
            damage=DamageRange(low, mean, high, price.year, numbers.sources)))
    used = sorted(exposure_used) or [numbers.exposure_indicators[-1]]
    exposure_nl = ", ".join(indicator_label(summary, i, "nl") for i in used)
    exposure_en = ", ".join(indicator_label(summary, i, "en") for i in used)
    per_million = [r * 1e6 for r in numbers.rate]
    v = numbers.value_per_death
    lyv = numbers.life_year_value
    yrs = numbers.life_years
    damage.basis_nl = (
        f"Extra sterfte door hitte: {_nl(per_million[1], 2)} (laag {_nl(per_million[0], 2)}, hoog "
        f"{_nl(per_million[2], 2)}) extra doden per miljoen inwoners per hittedag × tropische dagen per jaar "
        f"(KNMI, per scenario) × inwoners ({exposure_nl}){_local_text(numbers, local_used, 'nl')}; waarde per dode "
        f"€ {_nl(v[1])} (laag € {_nl(v[0])}, hoog € {_nl(v[2])}): {_nl(yrs[1], 1)} verloren levensjaren (laag "
        f"{_nl(yrs[0], 1)}) van vooral kwetsbare ouderen × € {_nl(lyv[0])} per levensjaar (QALY; hoog € "
        f"{_nl(lyv[1])}). De waarde van een statistisch leven (€ {_nl(numbers.statistical_life)}) staat alleen "
        f"als gevoeligheid apart. {_labour_text(numbers, labour_used, 'nl')}{price.note('nl')}"
    )
    damage.basis_en = (
        f"Excess mortality from heat: {per_million[1]:.2f} (low {per_million[0]:.2f}, high {per_million[2]:.2f}) "
        f"excess deaths per million residents per heat day × tropical days per year (KNMI, per scenario) × "
        f"residents ({exposure_en}){_local_text(numbers, local_used, 'en')}; value per death EUR {v[1]:,.0f} "
        f"(low {v[0]:,.0f}, high {v[2]:,.0f}): {yrs[1]:.1f} life-years lost (low {yrs[0]:.1f}) by mostly frail "
        f"elderly × EUR {lyv[0]:,.0f} per life-year (QALY; high EUR {lyv[1]:,.0f}). The value of a statistical "
        f"life (EUR {numbers.statistical_life:,.0f}) is shown apart, as a sensitivity only. "
        f"{_labour_text(numbers, labour_used, 'en')}{price.note('en')}"
    )
    if numbers.labour_per_resident_day is not None and labour_used:
        damage.note_nl, damage.note_en = (translate("damage.heat.labour_note", lang,
                                                    rule=_labour_rule(numbers, labour_used, lang))
                                          for lang in ("nl", "en"))
    return damage


def _local_text(numbers: HeatNumbers, used: bool, language: str) -> str:
    """How the local felt temperature scales the national rate, or that it could not."""
    local = numbers.local
    if local is None:
        return (" (landelijk gemiddelde, zonder lokale hitte)" if language == "nl"
                else " (national average, no local heat)")
    if not used:
        return (" (landelijk gemiddelde: het hitteproduct geeft geen gevoelstemperatuur rond de woningen)"
                if language == "nl" else
                " (national average: the heat product gives no felt temperature around the homes)")
    pct = 100 * local.mortality_slope
    if language == "nl":
        return (f" × (1 + {_nl(pct, 2)} % per °C dat de gemiddelde gevoelstemperatuur (PET) rond de woningen op "
                f"de hete middag van het huidige klimaat boven {_nl(local.reference_pet_c, 1)} °C ligt; het klimaat "
                f"telt alleen via het aantal tropische dagen)")
    return (f" × (1 + {pct:.2f} % per degC by which the mean felt temperature (PET) around the homes on the hot "
            f"afternoon of today's climate exceeds {local.reference_pet_c:.1f} degC; the climate counts through the "
            f"number of tropical days only)")


def _labour_rule(numbers: HeatNumbers, used: Sequence[LabourExposure], language: str) -> str:
    """Which rule counted the lost labour (catalogue ``damage.heat.labour_*``): at the workplace or by home."""
    at_work = [u for u in used if u.rule == RULE_WORKPLACE]
    if at_work:
        jobs = max(u.people for u in at_work)
        return translate("damage.heat.labour_workplace", language,
                         jobs=_nl(jobs) if language == "nl" else f"{jobs:,.0f}")
    return translate("damage.heat.labour_home" if numbers.workplace is not None else
                     "damage.heat.labour_home_only", language)


def _labour_text(numbers: HeatNumbers, used: Sequence[LabourExposure], language: str) -> str:
    """The labour part of the basis text: always names the rule (workplace or home address) it used."""
    if numbers.labour_per_resident_day is None:
        return ("Arbeidsproductiviteit is niet gewaardeerd (geen bron)." if language == "nl"
                else "Labour productivity is not valued (no source).")
    rule = _labour_rule(numbers, used, language)
    if any(u.rule == RULE_WORKPLACE for u in used):
        unit, around = "labour_per_job", "labour_around_work"
        day_value = numbers.labour_job_day_value
    else:
        unit, around = "labour_per_resident", "labour_around_home"
        day_value = numbers.labour_day_value
    per = translate(f"damage.heat.{unit}", language)
    where = translate(f"damage.heat.{around}", language)
    fractions = numbers.labour_loss_fraction
    day = [f * day_value for f in fractions]
    pct = [100 * f for f in fractions]
    slope = 0.0 if numbers.local is None else 100 * numbers.local.labour_slope
    t = numbers.labour_indoor
    if language == "nl":
        indoor = ("een geschatte binnentemperatuur" if t is None else
                  f"de binnentemperatuur die in Nederlandse woningen tijdens een hittegolf is gemeten (laag "
                  f"{_nl(t[0], 1)}, midden {_nl(t[1], 2)}, hoog {_nl(t[2], 1)} °C)")
        local = (f", plus {_nl(slope, 2)} procentpunt per °C dat de gevoelstemperatuur rond {where} boven de "
                 f"referentie ligt" if slope > 0 else "")
        counts = ("gewerkte uren per jaar volgens OESO" if unit == "labour_per_job" else
                  "werkenden per inwoner en gewerkte uren per jaar volgens CBS en OESO")
        return (f"Plus verlies aan arbeidsproductiviteit, {rule}: {_nl(pct[1])} % van het werk van een tropische "
                f"dag (laag {_nl(pct[0])} %, hoog {_nl(pct[2])} %; 2 % per °C boven 25 °C binnen, bij "
                f"{indoor}{local}), € {_nl(day[1], 2)} (laag {_nl(day[0], 2)}, hoog {_nl(day[2], 2)}) {per} per "
                f"tropische dag tegen de loonkosten per gewerkt uur; {counts}. Hittegolf-incident: alleen sterfte.")
    indoor = ("an estimated indoor temperature" if t is None else
              f"the indoor temperature measured in Dutch homes during a heat wave (low {t[0]:.1f}, mid "
              f"{t[1]:.2f}, high {t[2]:.1f} degC)")
    local = (f", plus {slope:.2f} percentage points per degC by which the felt temperature around {where} exceeds "
             f"the reference" if slope > 0 else "")
    counts = ("hours worked per year from the OECD" if unit == "labour_per_job" else
              "workers per resident and hours worked per year from CBS and OECD")
    return (f"Plus lost labour productivity, {rule}: {pct[1]:.0f} % of a tropical day's work (low {pct[0]:.0f} %, "
            f"high {pct[2]:.0f} %; 2 % per degC above 25 degC indoors, at {indoor}{local}), EUR {day[1]:.2f} (low "
            f"{day[0]:.2f}, high {day[2]:.2f}) {per} per tropical day at labour costs per hour worked; {counts}. "
            f"Heat-wave incident: mortality only.")


__all__ = ["RULE_HOME", "RULE_WORKPLACE", "HeatDamageFile", "HeatNumbers", "LabourExposure", "LocalNumbers",
           "PriceLevel", "annual_damage", "excess_deaths", "heat_numbers", "indicator_totals", "labour_exposure",
           "labour_fractions", "labour_loss", "labour_numbers", "local_excess", "scenario_from_id",
           "statistical_life_sensitivity", "workplace_jobs"]
