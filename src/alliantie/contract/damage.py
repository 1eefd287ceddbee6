"""Typed ``damage.json`` of product ``urgency.damage`` (the costs of doing nothing): what it hands on.

The models mirror the file field for field (the layout a web viewer and the
stresstest page read); :func:`read_damage` gives a :class:`DamageFile` (None when
the product did not run), :func:`write_damage` writes one. Fields a theme does
not have are left out of the file (not written as ``null``): a theme that is not
valued has only ``status`` and ``title``; ``npv`` and the ranges come with a
present value; ``rule``, ``ead_by_rule`` and ``events`` only with pluvial flooding.

Amounts are euro at the file's ``price_year``, rounded to cents; annual amounts
are per year; present values are discounted to ``start_year``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from alliantie.contract.spec import Text
from alliantie.io.atomic import atomic_file

DAMAGE_FILE = "damage.json"


class ValuationStatus(StrEnum):
    """Whether a theme's damage could be valued, and why not."""

    VALUED = "valued"
    #: the theme product left nothing to value (no cases, no indicators, not computed)
    NO_DATA = "no_data"
    #: only incidents: the event has no probability (a dike breach without ``breach_probability_per_year``)
    NO_PROBABILITY = "no_probability"
    #: the theme has no damage function (yet)
    NOT_VALUED = "not_valued"


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Amount(_Part):
    """A low/mean/high amount (EUR, per year for annual damage) at ``price_year``."""

    low: float
    mean: float
    high: float
    price_year: int


class IncidentEntry(_Part):
    """The damage of one event (a cloudburst, a breach, a heat wave) in one climate."""

    id: str
    scenario: str
    label: Text
    damage: Amount


class NpvEntry(_Part):
    """The present values of one combination of amount level, integration rule and scenario, EUR."""

    amount: str
    rule: str = Field(description="integration rule; '-' for a theme without one")
    scenario: str
    total: float = Field(description="discounted damage from start_year to horizon_year")
    extra: float = Field(description="total minus today's climate kept constant: the cost of climate change")
    trend_total: float = Field(description="the speculative years after horizon_year up to trend_end_year")
    trend_extra: float


class DriverEntry(_Part):
    """How far one factor (amount, rule, scenario) moves the present value, and its low and high levels."""

    factor: str
    swing: float
    low_level: str
    high_level: str


class RangeEntry(_Part):
    """The range of a present value over amounts x rules x scenarios, where it lies and what drives it."""

    min: float
    max: float
    at_min: dict[str, str] = Field(description="factor -> level of the lowest value")
    at_max: dict[str, str]
    main_driver: str
    drivers: list[DriverEntry] = Field(description="largest swing first")


class EventEntry(_Part):
    """The pluvial damage of one case (rain event x scenario) per amount level, EUR."""

    event: str
    scenario: str
    return_period_years: float
    land: dict[str, float]
    buildings: dict[str, float]
    buildings_above_floor: int


class ThemeEntry(_Part):
    """One climate-effect theme; the optional groups are absent (not null) where the theme has none."""

    status: ValuationStatus
    title: Text
    # with a damage function's result
    basis: Text | None = None
    sources: list[str] | None = None
    annual: dict[str, Amount] | None = Field(None, description="scenario -> expected annual damage")
    incidents: list[IncidentEntry] | None = None
    missing: list[tuple[str, str]] | None = Field(None, description="(item, scenario) not valued: never guessed")
    # with a present value
    npv: list[NpvEntry] | None = None
    range_extra: RangeEntry | None = None
    range_total: RangeEntry | None = None
    current_only: bool | None = Field(None, description="True when no future scenario could be valued")
    # pluvial flooding only
    rule: str | None = Field(None, description="the integration rule of the annual damage")
    ead_by_rule: dict[str, dict[str, dict[str, float]]] | None = Field(
        None, description="scenario -> rule -> amount level -> EUR/year")
    events: list[EventEntry] | None = None


class Discount(_Part):
    preset: str
    rate: float = Field(description="fraction per year")
    source: str


class DamageFile(_Part):
    """``urgency.damage/damage.json``."""

    price_year: int
    currency: str
    start_year: int
    horizon_year: int
    trend_end_year: int
    discount: Discount
    exposure_growth: float = Field(description="growth of the exposed value, fraction per year")
    conventions: Text
    themes: dict[str, ThemeEntry] = Field(description="theme -> entry, in report order")


def write_damage(folder: Path, damage: DamageFile) -> Path:
    """Write ``damage`` as ``folder/damage.json`` (atomically, UTF-8, indented; absent fields left out)."""
    target = Path(folder) / DAMAGE_FILE
    data = damage.model_dump(mode="json", exclude_none=True)
    with atomic_file(target) as tmp:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return target


def read_damage(folder: Path) -> DamageFile | None:
    """The ``damage.json`` of a saved ``urgency.damage`` product; None when the file does not exist."""
    path = Path(folder) / DAMAGE_FILE
    if not path.exists():
        return None
    return DamageFile.model_validate_json(path.read_text(encoding="utf-8"))
