"""Net present value of a damage path: discounting, price indexation and the range (CliCo).

Conventions (stated in every report that uses them):

* **Years.** The path runs over whole calendar years from ``start_year`` to
  ``end_year`` inclusive; the damage of a year is its expected annual damage.
* **Year 0 undiscounted.** The base year of discounting is ``start_year``: its
  damage counts in full, the damage of year ``t`` is multiplied by
  ``1 / (1 + r) ** (t - start_year)`` (real rate ``r``, amounts in constant
  prices of one price year).
* **Damage path.** The EAD moves linearly from ``ead_start`` in ``start_year``
  to ``ead_horizon`` in ``horizon_year`` (climate change moves the hazard
  probabilities: the EAD of today's climate and of the scenario's horizon).
  Optional exposure growth multiplies year ``t`` by ``(1 + g) ** (t - start_year)``.
  Years after the horizon continue the linear trend and are flagged
  ``speculative``.
* **Price level.** :func:`price_index_factor` converts amounts between price
  years with the CBS consumer price index (``economics.toml``); a year without a
  sourced index is refused (give a factor of your own instead).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, field_validator

from alliantie.errors import ConfigError, InputDataError
from alliantie.knowledge.model import KnowledgeModel, SourcedTable, parse_knowledge, unique

KNOWLEDGE = "economics"


# --------------------------------------------------------------------------- the knowledge file


class DiscountRateRow(SourcedTable):
    """``[[discount_rate]]``: a named real social discount rate."""

    name: str = Field(min_length=1, description="preset name (DamageParameters.discount_rate)")
    rate_percent: float = Field(description="percent per year, real")


class CpiRow(SourcedTable):
    """``[[cpi]]``: the CBS consumer price index of a year (1900 = 100)."""

    year: int
    index: float = Field(gt=0, description="index, 1900 = 100")


class CpiChangeRow(SourcedTable):
    """``[[cpi_change]]``: the published yearly change of the CPI (chained on the last indexed year)."""

    year: int
    percent: float = Field(description="percent change of the yearly average CPI")


class EconomicsFile(KnowledgeModel):
    """Knowledge file ``economics.toml``: discount-rate presets and the CBS price index, each row sourced."""

    title: str = ""
    default_discount_rate: str = Field("standard", description="name of the preset used when none is chosen")
    discount_rate: list[DiscountRateRow] = Field(min_length=1)
    cpi: list[CpiRow] = Field(min_length=1)
    cpi_change: list[CpiChangeRow] = Field(default_factory=list)

    @field_validator("discount_rate")
    @classmethod
    def _unique_names(cls, rows: list[DiscountRateRow]) -> list[DiscountRateRow]:
        return unique(rows, [r.name for r in rows], "name")

    @field_validator("cpi", "cpi_change")
    @classmethod
    def _unique_years(cls, rows: list[Any]) -> list[Any]:
        return unique(rows, [r.year for r in rows], "year")

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> EconomicsFile:
        """The parsed file checked; a ConfigError naming ``path`` and the wrong fields when it does not fit."""
        return parse_knowledge(cls, data, path)


# --------------------------------------------------------------------------- discounting


@dataclass(frozen=True)
class DiscountRate:
    """A real social discount rate (fraction per year) with its source."""

    name: str
    rate: float
    source: str


def discount_presets(economics: EconomicsFile) -> dict[str, DiscountRate]:
    """The discount-rate presets of ``economics.toml`` by name (``standard`` = 2.25 %)."""
    return {row.name: DiscountRate(row.name, row.rate_percent / 100.0, row.source) for row in economics.discount_rate}


def discount_rate(economics: EconomicsFile, name: str | None = None) -> DiscountRate:
    """The preset ``name`` (default: the file's ``default_discount_rate``); a ConfigError for an unknown name."""
    presets = discount_presets(economics)
    name = economics.default_discount_rate if name is None else name
    if name not in presets:
        raise ConfigError("damage.errors.unknown_preset", name=name, known=", ".join(presets))
    return presets[name]


def default_discount_rate(economics: EconomicsFile) -> DiscountRate:
    """The preset named by ``default_discount_rate`` of ``economics.toml``."""
    return discount_rate(economics)


def discount_factors(years: Sequence[int] | NDArray[np.int64], base_year: int, rate: float) -> NDArray[np.float64]:
    """``1 / (1 + rate) ** (year - base_year)``: 1 for the base year (year 0 undiscounted)."""
    if not np.isfinite(rate) or rate <= -1.0:
        raise InputDataError("damage.errors.bad_rate", rate=rate)
    t = np.asarray(years, dtype=np.float64) - float(base_year)
    return np.asarray((1.0 + rate) ** (-t), dtype=np.float64)


def present_value(values: Sequence[float] | NDArray[np.float64], years: Sequence[int] | NDArray[np.int64],
                  base_year: int, rate: float) -> float:
    """Sum of ``values`` (one per year) discounted to ``base_year``."""
    v = np.asarray(values, dtype=np.float64)
    return float(np.sum(v * discount_factors(years, base_year, rate)))


# --------------------------------------------------------------------------- damage path


@dataclass(frozen=True)
class DamagePath:
    """Damage per year and its present value."""

    years: NDArray[np.int64]
    damage: NDArray[np.float64]  #: expected damage per year (amount per year, constant prices)
    discounted: NDArray[np.float64]  #: the same, discounted to ``years[0]``
    speculative: NDArray[np.bool_]  #: years after the horizon (trend only)
    rate: float
    npv: float  #: sum of ``discounted`` (amount, price level of the inputs)

    @property
    def npv_to_horizon(self) -> float:
        """The present value over the years up to the horizon (no speculative years)."""
        return float(self.discounted[~self.speculative].sum())


def damage_path(
    ead_start: float,
    ead_horizon: float,
    start_year: int,
    horizon_year: int,
    *,
    rate: float,
    end_year: int | None = None,
    exposure_growth: float = 0.0,
) -> DamagePath:
    """The yearly damage from ``start_year`` to ``end_year`` (default the horizon), discounted at ``rate``.

    ``ead_start`` and ``ead_horizon`` are expected annual damages (amount per year) of
    today's climate and of the scenario at ``horizon_year``; in between linear.
    ``exposure_growth`` is a fraction per year (0.01 = 1 %/year), applied from ``start_year``.
    """
    end = horizon_year if end_year is None else end_year
    if horizon_year < start_year or end < start_year:
        raise InputDataError("damage.errors.bad_years", start=start_year, horizon=horizon_year, end=end)
    if ead_start < 0 or ead_horizon < 0 or not (np.isfinite(ead_start) and np.isfinite(ead_horizon)):
        raise InputDataError("damage.errors.damage_negative", count=1)
    years = np.arange(start_year, end + 1, dtype=np.int64)
    t = (years - start_year).astype(np.float64)
    span = float(horizon_year - start_year)
    slope = (ead_horizon - ead_start) / span if span > 0 else 0.0
    damage = np.maximum(ead_start + slope * t, 0.0)  # the trend after the horizon never goes below zero
    if exposure_growth:
        damage = damage * (1.0 + exposure_growth) ** t
    discounted = damage * discount_factors(years, start_year, rate)
    return DamagePath(
        years=years,
        damage=damage,
        discounted=discounted,
        speculative=years > horizon_year,
        rate=rate,
        npv=float(discounted.sum()),
    )


# --------------------------------------------------------------------------- price level


def consumer_price_index(economics: EconomicsFile) -> dict[int, float]:
    """CBS CPI per year (1900 = 100): the published index, extended by the published yearly changes."""
    index = {row.year: row.index for row in economics.cpi}
    for row in sorted(economics.cpi_change, key=lambda r: r.year):
        year = row.year
        if year in index:
            continue
        if year - 1 not in index:
            raise ConfigError("damage.errors.cpi_gap", year=year)
        index[year] = index[year - 1] * (1.0 + row.percent / 100.0)
    return index


def price_index_factor(from_year: int, to_year: int, economics: EconomicsFile) -> float:
    """Factor that converts an amount at the price level of ``from_year`` to that of ``to_year`` (CBS CPI)."""
    cpi = consumer_price_index(economics)
    missing = [y for y in (from_year, to_year) if y not in cpi]
    if missing:
        raise ConfigError(
            "damage.errors.no_cpi", years=", ".join(map(str, missing)), first=min(cpi), last=max(cpi)
        )
    return cpi[to_year] / cpi[from_year]


# --------------------------------------------------------------------------- the range and its drivers


@dataclass(frozen=True)
class Driver:
    """How far one factor moves the outcome: the mean over the other factors' combinations of (max - min)."""

    factor: str
    swing: float
    low_level: str  #: the level of this factor that gives the lowest outcome most often
    high_level: str  #: the level that gives the highest outcome most often


@dataclass(frozen=True)
class RangeSummary:
    """The range of an outcome over a full factorial of factors, and what drives it."""

    minimum: float
    maximum: float
    at_minimum: dict[str, str]  #: factor -> level of the lowest outcome
    at_maximum: dict[str, str]
    drivers: tuple[Driver, ...]  #: largest swing first

    @property
    def main_driver(self) -> str:
        return self.drivers[0].factor


def sensitivity_range(values: Mapping[tuple[str, ...], float], factors: Sequence[str]) -> RangeSummary:
    """Min/max of ``values`` (keyed by one level per factor, e.g. ``("mean", "trapezoid", "Hd2050")``)
    and the factor that moves it most.

    Every combination of the levels seen must be present (a full factorial, e.g.
    amounts low/mean/high x rules x scenarios).
    """
    if not values:
        raise InputDataError("damage.errors.range_empty")
    nf = len(factors)
    levels: list[list[str]] = [[] for _ in range(nf)]
    for key in values:
        if len(key) != nf:
            raise InputDataError("damage.errors.range_key", key=str(key), factors=", ".join(factors))
        for i, level in enumerate(key):
            if level not in levels[i]:
                levels[i].append(level)
    cube = np.full(tuple(len(lv) for lv in levels), np.nan)
    for combo in itertools.product(*[range(len(lv)) for lv in levels]):
        key = tuple(levels[i][j] for i, j in enumerate(combo))
        if key not in values:
            raise InputDataError("damage.errors.range_incomplete", key=str(key))
        cube[combo] = float(values[key])
    imin = np.unravel_index(int(np.nanargmin(cube)), cube.shape)
    imax = np.unravel_index(int(np.nanargmax(cube)), cube.shape)
    drivers = []
    for i, name in enumerate(factors):
        moved = np.moveaxis(cube, i, 0).reshape(cube.shape[i], -1)  # levels x other combinations
        swing = float(np.mean(moved.max(axis=0) - moved.min(axis=0)))
        lo = np.bincount(moved.argmin(axis=0), minlength=cube.shape[i]).argmax()
        hi = np.bincount(moved.argmax(axis=0), minlength=cube.shape[i]).argmax()
        drivers.append(Driver(name, swing, levels[i][int(lo)], levels[i][int(hi)]))
    drivers.sort(key=lambda d: -d.swing)
    return RangeSummary(
        minimum=float(cube[imin]),
        maximum=float(cube[imax]),
        at_minimum={f: levels[i][int(imin[i])] for i, f in enumerate(factors)},
        at_maximum={f: levels[i][int(imax[i])] for i, f in enumerate(factors)},
        drivers=tuple(drivers),
    )
