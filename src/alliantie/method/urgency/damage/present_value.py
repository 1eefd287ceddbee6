"""The net present value (*contante waarde*) of a theme's damage path per scenario, and its range.

Per scenario the expected annual damage runs linearly from today's value in
``start_year`` to the scenario's value in its horizon year; discounted to
``start_year`` (year 0 undiscounted) up to ``horizon_year``, and the speculative
trend after it. The *extra* is the same minus today's climate kept constant: the
cost of climate change (as CliCo). The range runs over amount levels x integration
rules x scenarios (:func:`alliantie.damage.sensitivity_range`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from alliantie.damage.depth_damage import AMOUNTS
from alliantie.damage.npv import RangeSummary, damage_path, sensitivity_range
from alliantie.parameters.damage import DamageParameters

#: Id of today's climate.
CURRENT = "current"
#: The rule level of themes without an integration rule (one level: the factor does not move the range).
NO_RULE = "-"
#: The factors of the range, in the order of the keys of :attr:`ThemeNpv.values`.
FACTORS = ("amount", "rule", "scenario")

#: scenario -> integration rule -> amount level -> EUR/year
AnnualTable = dict[str, dict[str, dict[str, float]]]


@dataclass(frozen=True)
class Npv:
    """Present values (EUR at the price year, discounted to ``start_year``) of one damage path."""

    total: float  #: sum of the discounted damage, start_year..horizon_year
    extra: float  #: the same minus today's climate kept constant (the cost of climate change)
    trend_total: float  #: the speculative years after horizon_year (trend only)
    trend_extra: float


def scenario_npv(ead_today: float, ead_scenario: float, scenario_year: int | None, params: DamageParameters,
                 rate: float) -> Npv:
    """Present value of the damage path of one scenario and of its extra over today's climate.

    The EAD runs linearly from ``ead_today`` in ``start_year`` to ``ead_scenario`` in
    ``scenario_year`` (today's climate: constant); years up to ``horizon_year`` count
    in ``total``/``extra``, later years up to ``trend_end_year`` are the speculative
    trend. A scenario year at or before the start year counts as reached at once.
    """
    start, horizon, end = params.start_year, params.horizon_year, params.trend_end_year
    if scenario_year is None:
        path = damage_path(ead_today, ead_today, start, horizon, rate=rate, end_year=end,
                           exposure_growth=params.exposure_growth)
    elif scenario_year <= start:
        path = damage_path(ead_scenario, ead_scenario, start, horizon, rate=rate, end_year=end,
                           exposure_growth=params.exposure_growth)
    else:
        path = damage_path(ead_today, ead_scenario, start, scenario_year, rate=rate,
                           end_year=max(end, scenario_year), exposure_growth=params.exposure_growth)
    base = damage_path(ead_today, ead_today, start, horizon, rate=rate, end_year=end,
                       exposure_growth=params.exposure_growth)
    firm = path.years <= horizon
    trend = (path.years > horizon) & (path.years <= end)
    base_firm = base.years <= horizon
    base_trend = base.years > horizon
    total = float(path.discounted[firm].sum())
    trend_total = float(path.discounted[trend].sum())
    return Npv(total=total, extra=total - float(base.discounted[base_firm].sum()), trend_total=trend_total,
               trend_extra=trend_total - float(base.discounted[base_trend].sum()))


@dataclass
class ThemeNpv:
    """The NPV of one theme per (amount, rule, scenario) and its ranges."""

    theme: str
    values: dict[tuple[str, str, str], Npv] = field(default_factory=dict)
    extra: RangeSummary | None = None
    total: RangeSummary | None = None
    #: True when no future scenario could be valued: the range is today's climate only.
    current_only: bool = False


def theme_npv(annual: Mapping[str, Mapping[str, Mapping[str, float]]], scenario_years: Mapping[str, int | None],
              params: DamageParameters, rate: float, theme: str) -> ThemeNpv:
    """NPV per amount x rule x scenario of ``annual[scenario][rule][amount]`` (EUR/year) and the ranges.

    Needs today's climate; the range runs over the future scenarios with a value
    (today's climate alone when there is none).
    """
    out = ThemeNpv(theme=theme)
    today = annual.get(CURRENT)
    if not today:
        return out
    future = [s for s in annual if s != CURRENT]
    scenarios = future or [CURRENT]
    out.current_only = not future
    for sid in scenarios:
        for rule, amounts in annual[sid].items():
            if rule not in today:
                continue
            for amount in AMOUNTS:
                out.values[(amount, rule, sid)] = scenario_npv(
                    float(today[rule][amount]), float(amounts[amount]), scenario_years.get(sid), params, rate)
    if out.values:
        out.extra = sensitivity_range({k: v.extra for k, v in out.values.items()}, FACTORS)
        out.total = sensitivity_range({k: v.total for k, v in out.values.items()}, FACTORS)
    return out
