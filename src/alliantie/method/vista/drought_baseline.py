"""The drought effect model of a dossier: the drought chain's inputs and the saved ``urgency.drought`` totals.

Reads the inputs, knowledge and parameters through the product's own
preparation (:func:`alliantie.method.urgency.drought.product.prepare` and
:func:`~alliantie.method.urgency.drought.analysis.setup`), so the chain the
model recomputes on the measures' cells is the product's, and takes the totals
and the damage from the saved ``theme.json`` / ``indicators.csv``, as the damage
product does: zero measures give ``damage.json``'s drought EAD.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from alliantie.contract.names import DROUGHT
from alliantie.contract.theme import read_theme
from alliantie.dossier.config import Dossier
from alliantie.dossier.registry import REGISTRY, ProductContext, RunCache
from alliantie.hazards.drought.chain import cell_index, subsidence_years
from alliantie.measures.drought import DroughtModel, DroughtScenario
from alliantie.method.urgency.damage.inputs import DamageInputs
from alliantie.method.urgency.drought.analysis import deficits, setup
from alliantie.method.urgency.drought.product import prepare


def drought_model(dossier: Dossier, cache: RunCache, inputs: DamageInputs) -> DroughtModel | None:
    """The drought model of ``dossier``; None when ``urgency.drought`` has not been computed."""
    saved = read_theme(REGISTRY[DROUGHT].output_dir(dossier))
    if saved is None:
        return None
    summary, values = saved
    with tempfile.TemporaryDirectory() as scratch:
        p = prepare(ProductContext(product=REGISTRY[DROUGHT], dossier=dossier, out_dir=Path(scratch), cache=cache))
    ready = setup(p.data, p.params, p.soil, p.land)
    scenarios = [DroughtScenario(d.scenario.id, d.design_mm, d.design_change_mm,
                                 subsidence_years(d.scenario.is_current, d.scenario.horizon, p.params))
                 for d in deficits(p.table, p.scenarios, p.params.deficit_variable)
                 if d.design_mm is not None and d.design_change_mm is not None]
    g = ready.ground
    on = ready.on_ground
    cells = cell_index(on.x, on.y, p.data.grid) if on is not None else np.zeros(0, dtype=np.int64)
    knowledge = inputs.knowledge
    return DroughtModel(
        grid=p.data.grid, ground=g, ghg=p.data.ghg, near=ready.near, soil=p.soil, params=p.params,
        scenarios=scenarios, buildings=on, building_cells=cells,
        peat_cells=int(((g.peat_factor > 0) & ready.area).sum()), summary=summary, values=values,
        knowledge=knowledge.drought, price_year=inputs.params.price_year, economics=knowledge.economics,
        climate=knowledge.climate)
