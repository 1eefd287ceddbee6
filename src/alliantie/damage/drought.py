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
from dataclasses import dataclass
from typing import Any

from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.damage.amounts import DamageRange, ThemeDamage
from alliantie.damage.depth_damage import need_field
from alliantie.damage.heat import PriceLevel, economics_of, indicator_totals
from alliantie.errors import ConfigError

KNOWLEDGE = "damage_drought"


@dataclass(frozen=True)
class DroughtItem:
    """One item of ``damage_drought.toml``: an indicator and its amount per unit per year."""

    id: str
    indicator: str
    valued: bool
    amount: tuple[float, float, float]  #: EUR per indicator unit per year at the item's price year
    price_year: int | None
    unit: str
    nl: str
    en: str
    nl_per: str  #: the unit in words, e.g. "per gebouw per jaar"
    en_per: str
    source: str


def drought_items(knowledge: Mapping[str, Any], path: str = KNOWLEDGE) -> list[DroughtItem]:
    """The items of ``damage_drought.toml``, checked (unit, source, low <= mean <= high, price year if valued)."""
    rows = knowledge.get("item")
    if not isinstance(rows, list) or not rows:
        raise ConfigError("damage.errors.table_field", path=path, key="item", code="-")
    items: list[DroughtItem] = []
    for row in rows:
        item_id = str(need_field(row, "id", path, "item"))
        valued = bool(need_field(row, "valued", path, item_id))
        amount = tuple(float(need_field(row, k, path, item_id)) for k in ("low", "mean", "high"))
        if not 0 <= amount[0] <= amount[1] <= amount[2]:
            raise ConfigError("damage.errors.table_field", path=path, key="0 <= low <= mean <= high", code=item_id)
        if not valued and any(amount):
            raise ConfigError("damage.errors.table_field", path=path, key="valued = true", code=item_id)
        source = str(need_field(row, "source", path, item_id)).strip()
        unit = str(need_field(row, "unit", path, item_id)).strip()
        if not source or not unit:
            raise ConfigError("damage.errors.table_field", path=path, key="source, unit", code=item_id)
        items.append(DroughtItem(
            id=item_id, indicator=str(need_field(row, "indicator", path, item_id)), valued=valued,
            amount=(amount[0], amount[1], amount[2]),
            price_year=int(need_field(row, "price_year", path, item_id)) if valued else None,
            unit=unit, nl=str(row.get("nl", item_id)), en=str(row.get("en", item_id)),
            nl_per=str(row.get("nl_per", "")), en_per=str(row.get("en_per", "")), source=source))
    return items


def annual_damage(summary: ThemeSummary, values: list[IndicatorValue], knowledge: dict, *,
                  price_year: int) -> ThemeDamage:
    """Expected annual damage of drought per scenario (EUR/year at ``price_year``).

    ``knowledge`` is the parsed ``damage_drought.toml``; it may carry the parsed
    ``economics`` file under that key (a dossier's replacement), otherwise the
    packaged one is read.
    """
    price = PriceLevel.of(price_year, economics_of(knowledge))
    items = drought_items(knowledge)
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


__all__ = ["DroughtItem", "annual_damage", "drought_items"]
