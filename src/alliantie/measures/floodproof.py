"""Thresholds and floodproofing on buildings: the water that still enters a building behind them.

The same rule for rainwater (:mod:`alliantie.measures.pluvial`) and for the water after a dike breach
(:mod:`alliantie.measures.flood`): a measure with ``floor_raise_m`` on a building raises the level the
water must reach before it enters, as long as the water at the facade stays at or below
``protects_up_to_m`` (above that the barrier is overtopped or the walls give way, and the building is
as wet as without it). Several measures on one building: the highest raise and the lowest limit count.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from alliantie.measures.placement import Placement


def floor_raise(count: int, placements: Sequence[Placement]) -> tuple[np.ndarray, np.ndarray] | None:
    """(raise m, protects up to m) per building of ``count``, or None when no measure raises a floor."""
    raising = [p for p in placements if p.params.get("floor_raise_m", 0.0) > 0 and p.buildings.size]
    if not raising:
        return None
    raise_m = np.zeros(count)
    limit = np.full(count, np.inf)
    for p in raising:
        raise_m[p.buildings] = np.maximum(raise_m[p.buildings], p.params["floor_raise_m"])
        if "protects_up_to_m" in p.params:
            limit[p.buildings] = np.minimum(limit[p.buildings], p.params["protects_up_to_m"])
    return raise_m, limit


def protected(water: np.ndarray, floor: np.ndarray, ground: np.ndarray, raise_m: np.ndarray,
              limit: np.ndarray) -> np.ndarray:
    """Water above the floor (m, NaN dry) behind the measures.

    ``water`` above the floor level ``floor`` (m NAP) per building, ``ground`` the lowest ground around
    it (m NAP): the water at the facade is ``water + floor - ground``. Where it stays at or below
    ``limit``, the water above the floor is less by ``raise_m``; elsewhere unchanged.
    """
    facade = water + floor - ground  # water depth at the facade
    with np.errstate(invalid="ignore"):
        holds = (raise_m > 0) & (facade <= limit)
        out = np.where(holds, water - raise_m, water)
        out = np.where(np.isfinite(out) & (out > 0), out, np.nan)
    return out
