"""The dossier product ``urgency.drought``: read the inputs and knowledge, analyse, write."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from alliantie.climate import ClimateScenario, ClimateTable, dossier_scenarios, load_climate_table
from alliantie.contract.layers import hillshade_layer
from alliantie.dossier.registry import ProductContext
from alliantie.hazards.drought.chain import LandTable, SoilTable
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.urgency.drought.analysis import DroughtInput, analyse
from alliantie.method.urgency.drought.knowledge import DroughtKnowledge, land_table, soil_table
from alliantie.method.urgency.drought.outputs import write_outputs
from alliantie.parameters.drought import DroughtParameters
from alliantie.soil import classify_soil, rasterize_codes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """What the product reads: the inputs on the grid, the scenarios, the KNMI table, parameters and knowledge."""

    data: DroughtInput
    scenarios: list[ClimateScenario]
    table: ClimateTable
    params: DroughtParameters
    soil: SoilTable
    land: LandTable
    knowledge: DroughtKnowledge


def prepare(ctx: ProductContext) -> Prepared:
    """Read the parameters, knowledge and inputs of the product (also what the effect engine starts from)."""
    params = ctx.params(DroughtParameters)
    scenarios = dossier_scenarios(ctx.param("scenarios"))
    table = load_climate_table(ctx.knowledge("knmi_scenarios"), ctx.knowledge_path("knmi_scenarios"))
    knowledge = DroughtKnowledge.parse(ctx.knowledge("drought"), ctx.knowledge_path("drought"))
    soil_kn = ctx.knowledge_model(SoilClasses)
    soil = soil_table(knowledge, soil_kn)
    land = land_table(knowledge, ctx.knowledge_model(LgnClasses))
    soil_frame = ctx.vector("soil")
    codes = np.zeros(ctx.grid.shape, dtype=np.uint8)
    if soil_frame is not None and len(soil_frame):
        soil_input = ctx.dossier.input_file("soil")
        assert soil_input is not None  # a required input
        classified = classify_soil(soil_frame, soil_kn, path=str(soil_input.path))
        codes = rasterize_codes(classified, classified["code"].to_numpy(), ctx.grid)
    data = DroughtInput(
        grid=ctx.grid, dem=ctx.raster("dem").array, glg=ctx.raster("glg").array, ghg=ctx.raster("ghg").array,
        landuse=ctx.raster("landuse").array,
        soil=codes, area=ctx.mask, buildings=ctx.vector("buildings"), neighbourhoods=ctx.vector("neighbourhoods"),
        nature=ctx.vector("nature"),
    )
    return Prepared(data=data, scenarios=scenarios, table=table, params=params, soil=soil, land=land,
                    knowledge=knowledge)


def drought(ctx: ProductContext) -> None:
    """Sensitivity, subsidence, foundation risk, wildfire, severity and indicators for every climate scenario."""
    p = prepare(ctx)
    result = analyse(p.data, p.scenarios, p.table, p.params, p.soil, p.land, progress=ctx.progress)
    write_outputs(ctx.out_dir, result, ctx.language, hillshade=hillshade_layer(),
                  wildfire_reference=p.knowledge.wildfire_reference)
    log.info("drought: %s", ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items()))
