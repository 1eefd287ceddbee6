"""The flood-safety effect model of a dossier: the breach of every scenario as the damage product valued it.

The breach water comes from the saved ``urgency.flood`` (``depth_<scenario>.tif``)
through the damage valuer's own functions
(:func:`~alliantie.method.urgency.damage.valuers.breach_water`,
:func:`~alliantie.method.urgency.damage.valuers.breach_damage`), the breach
point from its ``summary.json``, the victims from its ``flood.gpkg``, and the
breach probability from ``[parameters.damage]``: zero measures give
``damage.json``'s flood EAD (or, without a probability, its incident).
"""

from __future__ import annotations

import numpy as np

from alliantie.contract.names import FLOOD
from alliantie.contract.summaries import FloodSummary, read_summary
from alliantie.dossier.config import Dossier
from alliantie.dossier.registry import REGISTRY
from alliantie.hazards.bluespots import footprint_ground
from alliantie.measures.flood import FloodBreach, FloodModel
from alliantie.method.urgency.damage import breach
from alliantie.method.urgency.damage.inputs import DamageInputs
from alliantie.method.urgency.damage.valuers import breach_damage, breach_water


def flood_model(dossier: Dossier, inputs: DamageInputs) -> FloodModel | None:
    """The flood model of ``dossier``; None when ``urgency.flood`` has left no breach water."""
    folder = REGISTRY[FLOOD].output_dir(dossier)
    waters = breach_water(folder if folder.exists() else None, inputs)
    if not waters:
        return None
    params, knowledge, b = inputs.params, inputs.knowledge, inputs.buildings
    interruption = breach.interruption_coefficients(knowledge, params)
    victims = breach.breach_victims(folder, tuple(w.scenario for w in waters), knowledge, params)
    breaches = [FloodBreach(case=breach_damage(w, inputs, interruption),
                            above_floor=w.above_floor if w.above_floor is not None else np.zeros(0),
                            victims=victims.get(w.scenario)) for w in waters]
    summary = read_summary(folder, FloodSummary)
    return FloodModel(
        breaches=breaches, scenarios=tuple(w.scenario for w in waters), price_year=params.price_year,
        probability_per_year=params.breach_probability_per_year,
        breach_xy=summary.breach_xy if summary is not None else None, wss_class=b.wss_class,
        floor_area_m2=b.floor_area_m2, floor_level_m=b.floor_level_m,
        facade_ground_m=footprint_ground(b.ids, b.count, inputs.ground), curves=knowledge.flood_curves,
        curve_factor=inputs.coefficients.curve_factor, interruption=interruption)
