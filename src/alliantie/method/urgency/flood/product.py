"""The dossier product ``urgency.flood``: read the inputs, compute the flood of each scenario, write it."""

from __future__ import annotations

import numpy as np

from alliantie.climate import dossier_scenarios, load_climate_table
from alliantie.contract.spec import write_maps, write_tables
from alliantie.contract.summaries import FloodMode
from alliantie.dossier.registry import ProductContext
from alliantie.errors import InputDataError
from alliantie.method.urgency.flood.analysis import FloodInput, LevelCase, analyse, scenario_levels
from alliantie.method.urgency.flood.knowledge import KNOWLEDGE, FloodKnowledge
from alliantie.method.urgency.flood.outputs import write_outputs
from alliantie.parameters.flood import FloodParameters


def flood(ctx: ProductContext) -> None:
    """Flood depth after a breach (or from an external raster), buildings with a dry floor, refuges, per scenario."""
    from alliantie.contract.layers import hillshade_layer

    params = ctx.params(FloodParameters)
    knowledge = FloodKnowledge.from_toml(ctx.knowledge(KNOWLEDGE), ctx.knowledge_path(KNOWLEDGE))
    scenarios = dossier_scenarios(ctx.param("scenarios"))
    dem = ctx.raster("dem").array.astype(np.float32)
    external = None
    if ctx.dossier.input_file("flood_depth") is not None:
        external = ctx.raster("flood_depth").array
        if external.shape != dem.shape:  # pragma: no cover - read_raster aligns on the grid
            raise InputDataError("errors.input_unreadable", path="flood_depth")
    levels: list[LevelCase] = []
    missing: list[tuple[str, str]] = []
    if external is None and params.has_breach:
        sea: dict[str, float | None] = {}
        if params.use_knmi_sea_level:
            table = load_climate_table(ctx.knowledge("knmi_scenarios"), ctx.knowledge_path("knmi_scenarios"))
            sea = {s.id: table.change("sea_level", s) for s in scenarios}
        levels, missing = scenario_levels(params, scenarios, sea)
    data = FloodInput(grid=ctx.grid, dem=dem, buildings=ctx.vector("buildings"),
                      neighbourhoods=ctx.vector("neighbourhoods"), waterbodies=ctx.vector("waterbodies"),
                      area=ctx.mask, external_depth=external)
    result = analyse(data, params, knowledge, levels)
    result.missing = missing
    ctx.progress(0.8)
    maps, tables = write_outputs(ctx.out_dir, result, ctx.language, hillshade=hillshade_layer())
    if result.mode is FloodMode.NONE:
        maps, tables = [], []
    write_maps(ctx.out_dir, maps)
    write_tables(ctx.out_dir, tables)
