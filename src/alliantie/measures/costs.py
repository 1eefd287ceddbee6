"""What measures cost and what their avoided damage is worth, as present values over the appraisal period.

Per feature, in the catalogue's cost unit (:mod:`alliantie.knowledge.measures`):
the investment in ``start_year`` (year 0, undiscounted), maintenance every year
from the year after, a replacement at the investment cost whenever the lifetime
ends before the horizon, and the residual value of the last one at the horizon
(straight-line, discounted) taken off: the Dutch MKBA practice (Romijn & Renes
2013, Algemene leidraad voor MKBA, CPB/PBL) over the period of the damage
product (``start_year`` to ``horizon_year``, default 2025-2050) at its discount
rate (standard 2.25 %, Rapport werkgroep discontovoet 2020). Amounts are moved
from the catalogue's price year to the dossier's with the CBS price index.

Avoided damage per scenario follows the damage product's path: linear from
today's avoided EAD in ``start_year`` to the scenario's in its horizon year.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from alliantie.damage.npv import discount_factors
from alliantie.knowledge.measures import CostRange
from alliantie.measures.placement import Placement

LEVELS = ("low", "mean", "high")


@dataclass(frozen=True)
class Appraisal:
    """The appraisal period, discount rate and price level (the damage product's)."""

    start_year: int = 2025
    horizon_year: int = 2050
    rate: float = 0.0225
    price_year: int = 2024
    #: factor that moves an amount of a price year to ``price_year`` (the CPI); None: no indexing
    price_factor: Callable[[int], float] | None = None

    def index(self, from_year: int) -> float:
        return 1.0 if self.price_factor is None else float(self.price_factor(from_year))


@dataclass(frozen=True)
class Cost:
    """Costs of one feature at the dossier's price level (EUR), per level low/mean/high."""

    quantity: float
    unit: str
    investment: dict[str, float]
    maintenance_per_year: dict[str, float]
    present_value: dict[str, float]


def quantity(placement: Placement, cost: CostRange, capacity_m3: float) -> float:
    """The feature's amount in the unit of ``cost`` (area, length, pieces, buildings or stored m³)."""
    unit = cost.base_unit
    if unit == "EUR/m2":
        return placement.area_m2
    if unit == "EUR/ha":
        return placement.area_m2 / 10_000.0
    if unit == "EUR/m":
        return placement.length_m if placement.length_m else math.sqrt(placement.area_m2)
    if unit == "EUR/km":
        return (placement.length_m if placement.length_m else math.sqrt(placement.area_m2)) / 1000.0
    if unit == "EUR/piece":
        return placement.count
    if unit == "EUR/building":
        return placement.count if placement.feature.measure.geometry == "building" else 1.0
    return capacity_m3  # EUR/m3


def feature_cost(placement: Placement, capacity_m3: float, appraisal: Appraisal) -> Cost:
    """Investment, maintenance and their present value (with replacement and residual value) of one feature."""
    measure = placement.feature.measure
    amount = quantity(placement, measure.investment, capacity_m3)
    upkeep_amount = quantity(placement, measure.maintenance, capacity_m3)
    years = np.arange(appraisal.start_year, appraisal.horizon_year + 1)
    factors = discount_factors(years, appraisal.start_year, appraisal.rate)
    life = measure.lifetime.years
    period = appraisal.horizon_year - appraisal.start_year
    # replacements at whole years after each lifetime within the period, and the residual value at the horizon
    replace_at = [round(k * life) for k in range(1, int(period // life) + 1) if round(k * life) <= period]
    last = replace_at[-1] if replace_at else 0
    residual_share = max(0.0, 1.0 - (period - last) / life)
    invest_index = appraisal.index(measure.investment.price_year)
    upkeep_index = appraisal.index(measure.maintenance.price_year)
    investment, upkeep, pv = {}, {}, {}
    for level in LEVELS:
        invest = getattr(measure.investment, level) * amount * invest_index
        per_year = getattr(measure.maintenance, level) * upkeep_amount * upkeep_index
        value = invest
        value += sum(invest * float(factors[t]) for t in replace_at)
        value += per_year * float(factors[1:].sum())
        value -= invest * residual_share * float(factors[-1])
        investment[level], upkeep[level], pv[level] = invest, per_year, value
    return Cost(quantity=amount, unit=measure.investment.unit, investment=investment,
                maintenance_per_year=upkeep, present_value=pv)


def avoided_present_value(avoided_today: float, avoided_scenario: float, scenario_year: int | None,
                          appraisal: Appraisal) -> float:
    """Present value (EUR) of the avoided damage from ``start_year`` to ``horizon_year``.

    Linear from ``avoided_today`` in ``start_year`` to ``avoided_scenario`` in
    ``scenario_year`` (and on along the same line, as the damage product's path);
    today's climate (``scenario_year`` None) stays constant. Negative values (a
    measure that adds damage) are kept.
    """
    start, horizon = appraisal.start_year, appraisal.horizon_year
    years = np.arange(start, horizon + 1)
    t = (years - start).astype(np.float64)
    if scenario_year is None:
        values = np.full(t.shape, avoided_today)
    elif scenario_year <= start:
        values = np.full(t.shape, avoided_scenario)
    else:
        values = avoided_today + (avoided_scenario - avoided_today) * t / float(scenario_year - start)
    return float(np.sum(values * discount_factors(years, start, appraisal.rate)))


def total(costs: Mapping[int, Cost], level: str = "mean") -> float:
    """The sum of the features' present values at ``level``."""
    return float(sum(c.present_value[level] for c in costs.values()))
