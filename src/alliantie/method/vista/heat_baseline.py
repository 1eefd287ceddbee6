"""The heat effect model of a dossier: the inputs of ``urgency.heat`` and its saved indicators, read once.

:func:`heat_models` reads the inputs, knowledge and parameters the heat product
used (:func:`alliantie.method.urgency.heat.product.prepare`), builds the same
surface and sky view factor (:func:`~alliantie.method.urgency.heat.analysis.surface_of`,
:func:`~alliantie.method.urgency.heat.analysis.sky_view`), residents and jobs, and
the valuation of the damage product's heat valuer on the saved indicators, so
that zero measures give the damage product's heat EAD exactly.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alliantie.contract.names import HEAT
from alliantie.contract.theme import neighbourhood_zones, read_theme
from alliantie.dossier.config import Dossier
from alliantie.dossier.registry import REGISTRY, ProductContext, RunCache
from alliantie.measures.heat import GREEN_GROUP, HeatBaseline, HeatModel, HeatValuation
from alliantie.measures.theme_model import ThemeModel
from alliantie.method.urgency.damage.inputs import DamageInputs
from alliantie.method.urgency.heat.analysis import air_temperatures, sky_view, surface_of, workplace_jobs
from alliantie.method.urgency.heat.exposure import resident_cells
from alliantie.method.urgency.heat.knowledge import HeatFile
from alliantie.method.urgency.heat.product import prepare


def heat_models(dossier: Dossier, cache: RunCache, inputs: DamageInputs) -> dict[str, ThemeModel]:
    """``{"heat": HeatModel}`` when the saved heat product has indicators to value; else empty.

    ``inputs`` are the damage product's (its heat knowledge, economics, climate and price year).
    """
    saved = read_theme(REGISTRY[HEAT].output_dir(dossier))
    if saved is None:
        return {}
    with tempfile.TemporaryDirectory() as scratch:
        ctx = ProductContext(product=REGISTRY[HEAT], dossier=dossier, out_dir=Path(scratch), cache=cache)
        prepared = prepare(ctx)
        raw = ctx.knowledge("heat")
    data, kn, params = prepared.data, prepared.knowledge, prepared.params
    grid = data.grid
    surface = surface_of(data, kn)
    zones = neighbourhood_zones(data.neighbourhoods, grid)
    residents, _over65 = resident_cells(data.buildings, data.neighbourhoods, zones, grid, kn.storey_height_m)
    temperatures, _missing = air_temperatures(kn, prepared.scenarios, prepared.table)
    group = next((g for g in HeatFile.model_validate(raw).group if g.id == GREEN_GROUP), None)
    knowledge = inputs.knowledge
    summary, values = saved
    valuation = HeatValuation(summary=summary, values=values, knowledge=knowledge.heat,
                              economics=knowledge.economics, climate=knowledge.climate,
                              price_year=inputs.params.price_year)
    base = HeatBaseline(grid=grid, knowledge=kn, params=params, surface=surface,
                        svf=sky_view(surface, float(grid.res), params), residents=residents,
                        air_temperatures={s: temperatures[s] for s in inputs.scenarios if s in temperatures},
                        valuation=valuation,
                        green={} if group is None else {"surface_excess_k": group.surface_excess_k, "kc": group.kc},
                        jobs=workplace_jobs(data, kn))
    return {"heat": HeatModel(base)}
