"""The dossier product ``urgency.heat``: read the inputs and knowledge, analyse, write the theme's files."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from alliantie.climate import ClimateScenario, ClimateTable, dossier_scenarios, load_climate_table
from alliantie.dossier.registry import ProductContext
from alliantie.knowledge import knowledge_file
from alliantie.knowledge.land_use import LgnClasses
from alliantie.method.urgency.heat.analysis import HeatInput, analyse
from alliantie.method.urgency.heat.knowledge import HeatKnowledge, read_knowledge
from alliantie.method.urgency.heat.outputs import write_outputs
from alliantie.method.urgency.open_water import water_mask
from alliantie.parameters.heat import HeatParameters

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """What the analysis reads: the inputs on the grid, the knowledge, the parameters and the climate."""

    data: HeatInput
    knowledge: HeatKnowledge
    params: HeatParameters
    scenarios: list[ClimateScenario]
    table: ClimateTable


def prepare(ctx: ProductContext) -> Prepared:
    """Read the parameters, knowledge, climate and inputs of the heat product (also for the effect engine)."""
    params = ctx.params(HeatParameters)
    override = ctx.dossier.knowledge_override("heat")
    knowledge = read_knowledge(ctx.knowledge("heat"), ctx.knowledge_model(LgnClasses),
                               path=str(knowledge_file("heat", override)))
    scenarios = dossier_scenarios(ctx.param("scenarios"))
    table = load_climate_table(ctx.knowledge("knmi_scenarios"), ctx.knowledge_path("knmi_scenarios"))
    water = water_mask([ctx.vector("watercourses"), ctx.vector("waterbodies")], ctx.grid)
    data = HeatInput(grid=ctx.grid, dem=ctx.raster("dem").array, landuse=ctx.raster("landuse").array,
                     buildings=ctx.vector("buildings"), neighbourhoods=ctx.vector("neighbourhoods"),
                     area=ctx.mask, water=water)
    return Prepared(data=data, knowledge=knowledge, params=params, scenarios=list(scenarios), table=table)


def heat(ctx: ProductContext) -> None:
    """Felt temperature per scenario, heat island, cooling, cool places and residents per neighbourhood."""
    p = prepare(ctx)
    result = analyse(p.data, p.knowledge, p.params, p.scenarios, p.table, progress=ctx.progress)
    log.info("heat: %s", ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))
    write_outputs(ctx.out_dir, result, ctx.language, area=ctx.mask)
