"""The dossier product ``urgency.drought``: read the inputs and knowledge, analyse, write."""

from __future__ import annotations

import logging

import numpy as np

from alliantie.climate import dossier_scenarios, load_climate_table
from alliantie.contract.layers import hillshade_layer
from alliantie.dossier.registry import ProductContext
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.urgency.drought.analysis import DroughtInput, analyse
from alliantie.method.urgency.drought.knowledge import DroughtKnowledge, land_table, soil_table
from alliantie.method.urgency.drought.outputs import write_outputs
from alliantie.parameters.drought import DroughtParameters
from alliantie.soil import classify_soil, rasterize_codes

log = logging.getLogger(__name__)


def drought(ctx: ProductContext) -> None:
    """Sensitivity, subsidence, foundation risk, wildfire, severity and indicators for every climate scenario."""
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
    result = analyse(data, scenarios, table, params, soil, land, progress=ctx.progress)
    write_outputs(ctx.out_dir, result, ctx.language, hillshade=hillshade_layer(),
                  wildfire_reference=knowledge.wildfire_reference)
    log.info("drought: %s", ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items()))
