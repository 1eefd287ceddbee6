"""``urgency.pluvial``: the dossier product of pluvial flooding (*wateroverlast*).

Reads the inputs and knowledge, builds the cases (the design storm of every
return period of ``[parameters.pluvial] return_periods`` in every scenario of
the dossier, from the KNMI'23 statistics, and the stress-test events of
``events`` today), runs
:func:`~alliantie.method.urgency.pluvial.analysis.analyse` and writes the
files, maps, theme files and tables.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from alliantie.climate import dossier_scenarios, load_climate_table
from alliantie.climate.design_storms import DesignStorms
from alliantie.climate.hyetograph import Hyetograph, alternating_block, depth_duration_exponent
from alliantie.climate.rain_statistics import load_rain_statistics
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.hazards.overland_storm import DynamicSettings, loss_rate_mm_h
from alliantie.hazards.runoff import Surface, runoff_of_surface, surface
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.urgency.open_water import water_mask
from alliantie.method.urgency.pluvial import events as ev
from alliantie.method.urgency.pluvial.analysis import PluvialInput, analyse
from alliantie.method.urgency.pluvial.counts import neighbourhood_counts
from alliantie.method.urgency.pluvial.events import Case
from alliantie.method.urgency.pluvial.knowledge import InfiltrationKnowledge, OverlandKnowledge, RainEventsKnowledge
from alliantie.method.urgency.pluvial.outputs import write_outputs, write_overland_outputs
from alliantie.method.urgency.pluvial.runoff import runoff_tables, water_cells
from alliantie.method.urgency.pluvial.tables import write_theme_outputs
from alliantie.parameters.pluvial import PluvialParameters
from alliantie.soil import classify_soil, rasterize_codes, soil_tables

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreparedPluvial:
    """What the pluvial analysis runs on: the inputs on the dossier grid, every case, and the missing scenarios."""

    data: PluvialInput
    cases: list[Case]
    missing: list[tuple[str, str]]
    params: PluvialParameters
    #: what the runoff rule reads per cell (the measure engine changes it where measures lie)
    surface: Surface
    #: engine "overland": the knowledge of the 2-D runs (hyetograph, roughness, road duration)
    overland: OverlandKnowledge | None = None


def prepare(ctx: ProductContext, *, dynamic: bool | None = None) -> PreparedPluvial:
    """The dossier's inputs on one grid and the cases (design-storm series and stress-test storms).

    ``dynamic``: also prepare the inputs of the 2-D runs (hyetograph, loss rates, settings, ``overland``);
    default only with ``engine = "overland"``. The measure engine's dynamic check asks for them with either
    engine. Also used by ``benchmarks/compare_pluvial_engines.py``, which runs the same
    inputs through the 2-D overland-flow engine.
    """
    params = ctx.params(PluvialParameters)
    knowledge = RainEventsKnowledge.parse(ctx.knowledge("rain_events"), ctx.knowledge_path("rain_events"))
    table = load_climate_table(ctx.knowledge("knmi_scenarios"), ctx.knowledge_path("knmi_scenarios"))
    statistics = load_rain_statistics(ctx.knowledge("rain_statistics"), ctx.knowledge_path("rain_statistics"))
    storms = DesignStorms(statistics, params.regime, table)
    climates = dossier_scenarios(ctx.param("scenarios"))
    series, missing = ev.series_cases(storms, params.return_periods, params.duration_h, climates,
                                      shown_return_period=params.map_return_period)
    cases = [*series, *ev.stress_cases(knowledge, params.events)]
    soil_knowledge = ctx.knowledge_model(SoilClasses)
    infiltration = InfiltrationKnowledge.parse(ctx.knowledge("infiltration"), ctx.knowledge_path("infiltration"))
    tables = runoff_tables(infiltration, ctx.knowledge_model(LgnClasses), soil_knowledge)
    landuse = ctx.raster("landuse").array
    soil_frame = ctx.vector("soil")
    soil_main = None
    if soil_frame is not None and len(soil_frame):
        soil_file = ctx.dossier.input_file("soil")  # set, since the soil layer was read
        path = str(soil_file.path) if soil_file is not None else "soil"
        classified = classify_soil(soil_frame, soil_knowledge, path=path)
        _, mains, _ = soil_tables(soil_knowledge)
        main_code = {m.id: m.code for m in mains}
        soil_main = rasterize_codes(classified, np.array([main_code[m] for m in classified["main_class"]]), ctx.grid)
    dem = ctx.raster("dem").array.astype(np.float32)
    outlets = None
    if params.water_as_outlet:
        outlets = water_cells(landuse, tables) | water_mask(
            [ctx.vector("watercourses"), ctx.vector("waterbodies")], ctx.grid)

    cells = surface(landuse, soil_main, tables)
    bgt_paved = ctx.paved_share("landuse")
    if bgt_paved is not None:  # the BGT says per cell how much is paved: it replaces the land-use class's share
        cells = cells.with_changes(paved=np.where(np.isnan(bgt_paved), cells.paved, bgt_paved).astype(np.float32))

    def runoff(case: Case) -> np.ndarray:
        return runoff_of_surface(case.rain_mm, case.event.duration_h, cells, extra_storage_mm=params.extra_storage_mm)

    data = PluvialInput(
        grid=ctx.grid, dem=dem, runoff_mm=runoff, buildings=ctx.vector("buildings"), roads=ctx.vector("roads"),
        neighbourhoods=ctx.vector("neighbourhoods"), outlets=outlets, area=ctx.mask,
        sewer_mm_per_h=infiltration.sewer.capacity_mm_per_h,
    )
    overland = None
    if dynamic or (dynamic is None and params.engine == "overland"):
        overland = OverlandKnowledge.parse(ctx.knowledge("pluvial_overland"), ctx.knowledge_path("pluvial_overland"))
        climate_of = {c.id: c for c in climates}
        fallback = depth_duration_exponent(storms, params.map_return_period)
        assert fallback is not None  # today's climate always has numbers

        def hyetograph(case: Case) -> Hyetograph:
            t = case.event.return_period_years
            exponent = None
            if t is not None and storms.return_period_range[0] <= t <= storms.return_period_range[1]:
                exponent = depth_duration_exponent(storms, t, climate_of.get(case.scenario.id))
            shape = overland.hyetograph
            # below 1 hour the STOWA 2019 short-duration curve of the return period (a stress-test storm without
            # one takes the map's return period, as for the 1-24 h exponent)
            sub_hour = shape.sub_hour_exponent(t if t is not None else params.map_return_period)
            return alternating_block(case.rain_mm, case.event.duration_h, exponent or fallback, shape.step_min,
                                     sub_hour)

        def loss_mm_h(case: Case) -> np.ndarray:
            return loss_rate_mm_h(cells, case.event.duration_h, params.extra_storage_mm)

        data.hyetograph = hyetograph
        data.loss_mm_h = loss_mm_h
        data.dynamic = DynamicSettings(
            after_h=params.overland_after_h, output_every_s=params.overland_output_every_s,
            manning_n=overland.roughness.manning_n, min_depth_m=params.min_depth_m,
            road_depth_m=params.road_depth_classes_m[0], drain_max_h=overland.drain.max_duration_h)
    return PreparedPluvial(data=data, cases=cases, missing=missing, params=params, surface=cells,
                           overland=overland)


def pluvial(ctx: ProductContext) -> None:
    """Water depth, bluespots, flow paths, buildings, roads and counts per neighbourhood per event and scenario."""
    prepared = prepare(ctx)
    data, cases, missing, params = prepared.data, prepared.cases, prepared.missing, prepared.params
    result = analyse(data, cases, params, progress=ctx.progress)
    # computing times go to the log (and the run's duration to provenance.json), not into summary.json
    log.info("pluvial: %s", ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))
    counts = neighbourhood_counts(result)
    maps = write_outputs(ctx.out_dir, result, ctx.language, hillshade=hillshade_layer(), counts=counts)
    write_maps(ctx.out_dir, maps)
    if prepared.overland is not None:
        write_overland_outputs(ctx.out_dir, result, prepared.overland)
    write_theme_outputs(ctx.out_dir, result, counts, missing, ctx.mask)
