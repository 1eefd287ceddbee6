"""What the stresstest-light shows of ``damage.json`` (product ``urgency.damage``): ranges, status, worst incident.

The one place where this package reads the damage product's file; the rest
sees :class:`DamageSummary` only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliantie.contract.spec import Text

DAMAGE_FILE = "damage.json"


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


def read_damage(folder: Path) -> DamageSummary | None:
    """The ranges of ``damage.json`` of product ``urgency.damage`` (None when absent or unreadable)."""
    path = folder / DAMAGE_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows: list[DamageRow] = []
        for theme, entry in data.get("themes", {}).items():
            title = entry.get("title") or {"nl": theme, "en": theme}

            def span(key: str, entry: dict[str, Any] = entry) -> tuple[float, float] | None:
                found = entry.get(key)
                return None if not found else (float(found["min"]), float(found["max"]))

            incident = None
            incidents = entry.get("incidents") or []
            if incidents:
                worst = max(incidents, key=lambda i: float(i["damage"]["mean"]))
                dmg = worst["damage"]
                incident = (Text(**worst["label"]), float(dmg["low"]), float(dmg["mean"]), float(dmg["high"]))
            rows.append(DamageRow(theme=str(theme), title=Text(**title), status=str(entry.get("status", "")),
                                  total=span("range_total"), extra=span("range_extra"), incident=incident))
        discount = data.get("discount") or {}
        return DamageSummary(
            price_year=data.get("price_year"), rate=discount.get("rate"), start_year=data.get("start_year"),
            horizon_year=data.get("horizon_year"), rows=rows,
        )
    except (KeyError, TypeError, ValueError):
        return None


__all__ = ["DamageRow", "DamageSummary", "read_damage"]
