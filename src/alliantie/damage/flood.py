"""Damage of a dike breach (flood safety, *waterveiligheid*): the incident and, with a probability, the annual damage.

The step 1 flood product leaves the water depth after a breach per climate
scenario (``depth_<scenario>.tif``). This module values it with the STOWA
WaterSchadeSchatter depth-damage table (:mod:`alliantie.damage.depth_damage`)
as an **approximation**: the national standard for breach floods is SSM2017
(*Standaardmethode Schade en Slachtoffers*, Deltares for Rijkswaterstaat), whose
maximum damages and depth curves are not in the knowledge base. The WSS depth
factors reach their maximum at 0.3 m of water, so deep water counts no more
than 0.3 m; neither business interruption beyond the repair days nor victims
are included. The amount is therefore a lower bound of a breach's damage.

* buildings: water above floor level = the highest water level on the
  footprint (ground + depth) minus the floor level; area the footprint;
* land use: every wet cell with its WSS class (built-up cells the terrain rate).

The annual damage is the incident damage times the breach probability per year
(:func:`annual_damage`); without a probability the theme is "not valued".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from alliantie.damage.amounts import DamageRange, Incident, ThemeDamage
from alliantie.damage.depth_damage import AMOUNTS
from alliantie.damage.pluvial import CaseDamage

__all__ = ["annual_damage", "water_above_floor"]

BREACH = "breach"


def water_above_floor(depth: NDArray[np.floating], ground: NDArray[np.floating], ids: NDArray[np.integer],
                      count: int, floor_level: NDArray[np.floating]) -> NDArray[np.float64]:
    """Water above floor level (m) per building: the highest water level on the footprint minus the floor (NaN dry).

    ``depth`` (m, NaN or 0 dry) and ``ground`` (m NAP) are rasters; ``ids`` the
    building numbers 1..count per cell (0 none); ``floor_level`` (m NAP) per building.
    """
    from alliantie.hazards.flood import per_building_max

    d = np.asarray(depth, dtype=np.float64)
    level = np.where(d > 0, np.asarray(ground, dtype=np.float64) + d, np.nan)
    return np.asarray(per_building_max(ids, count, level) - np.asarray(floor_level, dtype=np.float64))


def _range(case: CaseDamage, factor: float, price_year: int, sources: tuple[str, ...]) -> DamageRange:
    low, mean, high = (case.total(a) * factor for a in AMOUNTS)
    return DamageRange(low, max(mean, low), max(high, mean, low), price_year, sources)


def annual_damage(
    breaches: Sequence[CaseDamage],
    *,
    price_year: int,
    probability_per_year: float | None,
    scenarios: Sequence[str],
    sources: tuple[str, ...] = (),
    labels: Mapping[str, tuple[str, str]] | None = None,
) -> ThemeDamage:
    """The breach of each scenario as an incident; annual damage = incident x ``probability_per_year``.

    A scenario of ``scenarios`` without a breach inundation is listed in
    ``missing`` as ``("flood_depth", id)``; without a probability every scenario
    is listed as ``("breach_probability", id)`` and no annual damage is given.
    ``labels`` maps scenario id to the (nl, en) label of its incident.
    """
    theme = ThemeDamage(theme="flood")
    by_scenario = {b.scenario: b for b in breaches}
    for sid in scenarios:
        case = by_scenario.get(sid)
        if case is None:
            theme.missing.append(("flood_depth", sid))
            continue
        nl, en = (labels or {}).get(sid, (sid, sid))
        theme.incidents.append(Incident(id=f"flood_{BREACH}_{sid}", scenario=sid, label_nl=nl, label_en=en,
                                        damage=_range(case, 1.0, price_year, sources)))
        if probability_per_year is None:
            theme.missing.append(("breach_probability", sid))
        else:
            theme.annual[sid] = _range(case, float(probability_per_year), price_year, sources)
    return theme
