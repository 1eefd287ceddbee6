"""The runoff lookup tables of a dossier: the knowledge files read into :class:`~alliantie.hazards.runoff.RunoffTables`.

The numbers come from ``infiltration.toml`` (land-use groups as in
``lgn_classes.toml``, main soil classes as in ``soil_classes.toml``); the rule
itself (rain minus infiltration and sewer capacity) is
:mod:`alliantie.hazards.runoff`, re-exported here.
"""

from __future__ import annotations

import numpy as np

from alliantie.hazards.runoff import RunoffTables, runoff_mm, water_cells
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.urgency.pluvial.knowledge import InfiltrationKnowledge

__all__ = ["RunoffTables", "runoff_mm", "runoff_tables", "water_cells"]


def runoff_tables(
    infiltration: InfiltrationKnowledge, lgn: LgnClasses, soil_classes: SoilClasses | None = None
) -> RunoffTables:
    """Lookup tables from the knowledge files ``infiltration``, ``lgn_classes`` and ``soil_classes``."""
    groups = {row.group: row for row in infiltration.landuse}
    sewer = infiltration.sewer.capacity_mm_per_h
    paved = np.zeros(256, dtype=np.float32)
    sewer_mm_h = np.zeros(256, dtype=np.float32)
    water = np.zeros(256, dtype=bool)
    for row in lgn.classes:
        code, group = row.code, row.group
        if group not in groups:
            raise ValueError(f"infiltration.toml: no [[landuse]] entry for group {group!r} (LGN {code})")
        entry = groups[group]
        paved[code] = entry.paved_share
        sewer_mm_h[code] = sewer if entry.sewered else 0.0
        water[code] = entry.water
    by_main = {row.main: row.infiltration_mm for row in infiltration.soil}
    infil = np.zeros(256, dtype=np.float32)
    # soil code 0 (no soil polygon) gets the smallest land infiltration: a cautious default
    land = [v for k, v in by_main.items() if k != "water"] or [0.0]
    default = float(min(land))
    infil[:] = default
    if soil_classes is not None:
        for main in soil_classes.main:
            infil[main.code] = by_main.get(main.id, default)
    return RunoffTables(paved, sewer_mm_h, water, infil, default)
