"""What the flood valuer adds to the breach's material damage: business interruption, victims and the wording.

* :func:`interruption_coefficients`: the WaterSchadeSchatter building
  coefficients with the days a wet building is out of use (the inundation of
  ``breach_duration_h`` plus ``damage_flood.toml [business_interruption]
  repair_days``) as repair time, per amount level, price-indexed;
* :func:`breach_victims`: per scenario the expected victims of the saved flood
  product's wet buildings (``flood.gpkg``, layer ``buildings``: ``residents_est``
  and ``depth_m_<scenario>``), with the mortality functions of ``damage_flood.toml``;
* :func:`victim_lines` and :func:`basis`: the separate line of the victims' value
  and the basis text, which says whose number the breach probability is.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pyogrio

from alliantie.damage.depth_damage import AMOUNTS, Coefficients, coefficients, default_settings
from alliantie.damage.flood import Victims, expected_victims
from alliantie.damage.npv import price_index_factor
from alliantie.i18n import Language, translate
from alliantie.method.urgency.damage.knowledge import DamageKnowledge
from alliantie.method.urgency.damage.wording import scenario_label
from alliantie.parameters.damage import DamageParameters

log = logging.getLogger(__name__)

#: The flood product's GeoPackage and its layer of wet buildings.
FLOOD_GPKG, BUILDINGS_LAYER = "flood.gpkg", "buildings"


def interruption_coefficients(knowledge: DamageKnowledge, params: DamageParameters,
                              ) -> dict[str, Coefficients] | None:
    """WSS building coefficients per amount level with the days out of use after a breach; None without the table."""
    table = knowledge.flood_curves.people.business_interruption
    if table is None:
        return None
    factor = price_index_factor(knowledge.table.price_year, params.price_year, knowledge.economics)
    days = params.breach_duration_h / 24.0 + table.repair_days
    settings = default_settings(knowledge.pluvial).model_copy(update={"price_factor": factor, "repair_days": days})
    return {a: coefficients(knowledge.table, settings.model_copy(update={"amount": a}), None) for a in AMOUNTS}


def evacuation_fraction(knowledge: DamageKnowledge, params: DamageParameters) -> float | None:
    """The user's evacuation fraction, else the knowledge file's default; None without either."""
    if params.evacuation_fraction is not None:
        return params.evacuation_fraction
    table = knowledge.flood_curves.people.evacuation
    return None if table is None else table.fraction


def breach_victims(folder: Path, scenarios: tuple[str, ...], knowledge: DamageKnowledge,
                   params: DamageParameters) -> dict[str, Victims]:
    """Scenario id -> expected victims of the saved flood product's wet buildings (empty when not computable)."""
    mortality = knowledge.flood_curves.people.mortality
    evacuated = evacuation_fraction(knowledge, params)
    path = folder / FLOOD_GPKG
    if mortality is None or evacuated is None or not path.exists():
        return {}
    if BUILDINGS_LAYER not in {str(row[0]) for row in pyogrio.list_layers(path)}:
        return {}
    frame = pyogrio.read_dataframe(path, layer=BUILDINGS_LAYER, read_geometry=False)
    if "residents_est" not in frame.columns:
        return {}
    residents = frame["residents_est"].to_numpy(dtype=float)
    out: dict[str, Victims] = {}
    for sid in scenarios:
        column = f"depth_m_{sid}"
        if column in frame.columns:
            out[sid] = expected_victims(frame[column].to_numpy(dtype=float), residents, mortality,
                                        evacuation_fraction=evacuated,
                                        rise_rate_m_per_h=params.breach_rise_rate_m_per_h)
    return out


def _number(value: float, language: Language, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if language == "nl" else text


def victim_value(knowledge: DamageKnowledge, params: DamageParameters) -> float | None:
    """EUR per victim at the price year (None without ``[victim_value]``)."""
    table = knowledge.flood_curves.people.victim_value
    if table is None:
        return None
    return table.value * price_index_factor(table.price_year, params.price_year, knowledge.economics)


def victim_lines(victims: Mapping[str, Victims], knowledge: DamageKnowledge,
                 params: DamageParameters) -> dict[str, tuple[str, str, float]]:
    """Scenario id -> (nl label, en label, EUR): the value of the breach's victims, a line of its own."""
    value = victim_value(knowledge, params)
    table = knowledge.flood_curves.people.victim_value
    if value is None or table is None:
        return {}
    out: dict[str, tuple[str, str, float]] = {}
    for sid, v in victims.items():
        labels = [translate("flood_damage.victims_line", lang, scenario=scenario_label(sid, lang),
                            victims=_number(v.victims, lang, 2), value=_number(value / 1e6, lang, 1),
                            basis=table.nl if lang == "nl" else table.en)
                  for lang in ("nl", "en")]
        out[sid] = (labels[0], labels[1], v.victims * value)
    return out


def basis(language: Language, knowledge: DamageKnowledge, params: DamageParameters,
          victims: Mapping[str, Victims]) -> str:
    """The flood's basis text: material damage, business interruption, victims, and whose probability it is."""
    people = knowledge.flood_curves.people
    parts = [translate("flood_damage.material", language)]
    if people.business_interruption is not None:
        days = params.breach_duration_h / 24.0 + people.business_interruption.repair_days
        parts.append(translate("flood_damage.interruption", language, days=_number(days, language, 0)))
    current = victims.get("current") or next(iter(victims.values()), None)
    if current is not None:
        key = "flood_damage.victims_rising" if current.rising_zone else "flood_damage.victims_remaining"
        parts.append(translate(key, language, victims=_number(current.victims, language, 2),
                               exposed=_number(current.exposed, language, 0),
                               evacuated=_number(100.0 * current.evacuated, language, 0),
                               rate=_number(params.breach_rise_rate_m_per_h or 0.0, language, 1)))
    else:
        parts.append(translate("flood_damage.no_victims", language))
    p = params.breach_probability_per_year
    if p is None:
        parts.append(translate("flood_damage.no_probability", language))
    else:
        parts.append(translate("flood_damage.user_probability", language, probability=f"{p:.2g}",
                               one_in=_number(1.0 / p, language, 0)))
        if current is not None:
            value = victim_value(knowledge, params)
            parts.append(translate("flood_damage.victims_per_year", language,
                                   victims=f"{current.victims * p:.2g}",
                                   value=_number(current.victims * p * (value or 0.0), language, 0)))
    return " ".join(parts)


__all__ = ["basis", "breach_victims", "evacuation_fraction", "interruption_coefficients", "victim_lines",
           "victim_value"]
