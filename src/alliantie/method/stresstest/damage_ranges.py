"""What the stresstest-light shows of ``damage.json`` (product ``urgency.damage``): ranges, status, worst incident.

The one place where this package reads the damage product's file (through the
typed contract :mod:`alliantie.contract.damage`); the rest sees
:class:`DamageSummary` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from alliantie.contract.damage import RangeEntry, read_damage
from alliantie.contract.spec import Text


@dataclass(frozen=True)
class DamageRow:
    """One theme of the damage product: present-value ranges to the horizon and the largest incident (EUR)."""

    theme: str
    title: Text
    status: str
    total: tuple[float, float] | None = None
    extra: tuple[float, float] | None = None
    incident: tuple[Text, float, float, float] | None = None


@dataclass(frozen=True)
class DamageSummary:
    """What the page shows of ``damage.json``."""

    price_year: int | None
    rate: float | None
    start_year: int | None
    horizon_year: int | None
    rows: list[DamageRow]


def _span(found: RangeEntry | None) -> tuple[float, float] | None:
    return None if found is None else (found.min, found.max)


def damage_ranges(folder: Path) -> DamageSummary | None:
    """The ranges of ``damage.json`` of product ``urgency.damage`` (None when absent or unreadable)."""
    try:
        data = read_damage(folder)
    except ValidationError:
        return None
    if data is None:
        return None
    rows: list[DamageRow] = []
    for theme, entry in data.themes.items():
        incident = None
        if entry.incidents:
            worst = max(entry.incidents, key=lambda i: i.damage.mean)
            incident = (worst.label, worst.damage.low, worst.damage.mean, worst.damage.high)
        rows.append(DamageRow(theme=theme, title=entry.title, status=entry.status.value,
                              total=_span(entry.range_total), extra=_span(entry.range_extra), incident=incident))
    return DamageSummary(price_year=data.price_year, rate=data.discount.rate, start_year=data.start_year,
                         horizon_year=data.horizon_year, rows=rows)


__all__ = ["DamageRow", "DamageSummary", "damage_ranges"]
