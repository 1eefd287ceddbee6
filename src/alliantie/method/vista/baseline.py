"""The effect engine's baseline of a dossier: step 1's inputs and saved results, read once.

:func:`dossier_baseline` brings the products the engine starts from up to date
(``urgency.pluvial`` and ``urgency.damage``; fresh ones cost a look at their
provenance), then :func:`saved_baseline` (what the ``vista.effects`` product
calls with its own run cache: it runs nothing) reads the same inputs, knowledge and parameters those
products used through their own preparation functions, so that zero measures
reproduce step 1 exactly, and the saved depths of every storm (not where the
product ran the 2-D engine: the fast and full levels then route their own
fill-spill-merge "before", see ``PluvialBaseline.product_engine``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from alliantie.contract.names import DAMAGE, DROUGHT, FLOOD, HEAT, PLUVIAL
from alliantie.contract.pluvial_depths import read_case_depths
from alliantie.damage.npv import price_index_factor
from alliantie.dossier.config import Dossier
from alliantie.dossier.registry import REGISTRY, ProductContext, RunCache, load_products
from alliantie.dossier.run import run_dossier
from alliantie.grid import Grid
from alliantie.hazards.bluespots import cell_of, raise_buildings, road_pieces
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.baseline import Baseline
from alliantie.measures.costs import Appraisal
from alliantie.measures.placement import BuildingLayer
from alliantie.measures.pluvial import DynamicInputs, PluvialBaseline, StormCase
from alliantie.method.urgency.damage.inputs import damage_inputs
from alliantie.method.urgency.pluvial.events import SERIES, Case
from alliantie.method.urgency.pluvial.product import prepare
from alliantie.method.vista.drought_baseline import drought_model
from alliantie.method.vista.flood_baseline import flood_model
from alliantie.method.vista.heat_baseline import heat_models

#: The products the engine's baseline reads.
NEEDED = (PLUVIAL, DROUGHT, FLOOD, HEAT, DAMAGE)


def _context(name: str, dossier: Dossier, cache: RunCache, out_dir: Path) -> ProductContext:
    return ProductContext(product=REGISTRY[name], dossier=dossier, out_dir=out_dir, cache=cache)


def road_sample_cells(pieces: gpd.GeoDataFrame, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Start, middle and end cell (flat index, -1 outside) of every road piece, as ``sample_max`` reads them."""
    coords = shapely.get_coordinates(pieces.geometry.values).reshape(-1, 2, 2)
    out = np.full((len(coords), 3), -1, dtype=np.int64)
    for j, pt in enumerate((coords[:, 0], (coords[:, 0] + coords[:, 1]) / 2, coords[:, 1])):
        rows, cols = cell_of(pt[:, 0], pt[:, 1], grid)
        inside = (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)
        out[inside, j] = rows[inside] * grid.width + cols[inside]
    return out, pieces.geometry.length.to_numpy(dtype=np.float64)


def _valued(case: Case, incident_event: str) -> bool:
    """A storm the damage product values: the series, and today's stress-test incident."""
    return case.event.kind == SERIES or (case.scenario.id == "current" and case.event.id == incident_event)


def dossier_baseline(dossier: Dossier, *, update: bool = True) -> Baseline:
    """The baseline of ``dossier``; with ``update`` the needed step 1 products are computed first when stale."""
    load_products()
    if update:
        run_dossier(dossier, products=list(NEEDED))
    return saved_baseline(dossier, RunCache(dossier))


def saved_baseline(dossier: Dossier, cache: RunCache, *, theme_models: bool = True) -> Baseline:
    """The baseline of ``dossier`` from the saved products as they are: runs nothing.

    ``theme_models`` False leaves out the heat, drought and flood models (the dynamic check of the workshop
    needs pluvial flooding only; on the default demo they hold about 620 MiB).

    A product passes its own ``ctx.dossier`` and ``ctx.cache`` (the run's aligned inputs are read once);
    its declared dependencies make sure the saved products are fresh.
    """
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        prepared = prepare(_context(PLUVIAL, dossier, cache, out), dynamic=True)
        inputs = damage_inputs(_context(DAMAGE, dossier, cache, out))
    data, params = prepared.data, prepared.params
    grid = data.grid
    ground = np.asarray(data.dem, dtype=np.float32)
    ids = inputs.buildings.ids
    model = raise_buildings(ground, ids, params.building_raise_m)
    if data.outlets is not None:
        model[data.outlets] = np.nan
    area = np.asarray(data.area if data.area is not None else np.ones(grid.shape, bool), dtype=bool)
    hide = (ids > 0) | ~area
    cases = [StormCase(id=c.id, event=c.event.id, scenario=c.scenario.id, rain_mm=c.rain_mm,
                       duration_h=c.event.duration_h,
                       return_period=c.event.return_period_years if c.event.kind == SERIES else None)
             for c in prepared.cases if c.scenario.id in inputs.scenarios and _valued(c, inputs.params.incident_event)]
    saved = read_case_depths(REGISTRY[PLUVIAL].output_dir(dossier))
    two_d = params.engine == "overland"
    catalogue = MeasureCatalogue.load(dossier.knowledge_override(MeasureCatalogue.FILE))
    dynamic = None
    if data.dynamic is not None and data.hyetograph is not None and prepared.overland is not None \
            and inputs.coefficients.land_by_duration is not None:
        hyetograph = data.hyetograph
        dynamic = DynamicInputs(
            settings=data.dynamic,
            hyetographs={c.id: hyetograph(c) for c in prepared.cases if c.id in {s.id for s in cases}},
            land_by_duration=inputs.coefficients.land_by_duration,
            road_min_hours=float(prepared.overland.roads.min_duration_h),
            spread_band_m=float(catalogue.dynamic_check.upstream_spread_band_m.value))
    pluvial = PluvialBaseline(
        grid=grid, ground=ground, model_dem=model, hide=hide, area=area, surface=prepared.surface,
        landuse=inputs.landuse, cases=cases, buildings=inputs.buildings, land_coef=inputs.coefficients.land,
        building_coef=inputs.coefficients.building, scenarios=inputs.scenarios, price_year=inputs.params.price_year,
        min_depth_m=params.min_depth_m, extra_storage_mm=params.extra_storage_mm,
        shown_return_period=float(params.map_return_period), rule=inputs.params.rule,
        # 2-D depths are not the screening's: the fast and full levels route their own "before" (PluvialBaseline)
        saved_depths=saved if saved is not None and all(c.id in saved for c in cases) and not two_d else None,
        product_engine=params.engine,
        road_depth_m=float(params.road_depth_classes_m[0]), dynamic=dynamic,
    )
    if data.roads is not None and len(data.roads):
        pieces = road_pieces(data.roads.reset_index(drop=True), grid.res)
        pluvial.road_cells, pluvial.road_length_m = road_sample_cells(pieces, grid)
    economics = inputs.knowledge.economics
    damage_params = inputs.params
    appraisal = Appraisal(start_year=damage_params.start_year, horizon_year=damage_params.horizon_year,
                          rate=inputs.knowledge.discount.rate, price_year=damage_params.price_year,
                          price_factor=lambda year: price_index_factor(year, damage_params.price_year, economics))
    frame = data.buildings.reset_index(drop=True) if data.buildings is not None else None
    layer = BuildingLayer(frame, ids) if frame is not None else BuildingLayer.none(grid)
    baseline = Baseline(grid=grid, catalogue=catalogue, buildings=layer, appraisal=appraisal,
                        scenario_years=dict(inputs.scenario_years), pluvial=pluvial)
    if not theme_models:
        return baseline
    baseline.models.update(heat_models(dossier, cache, inputs))
    for theme_model in (drought_model(dossier, cache, inputs), flood_model(dossier, inputs)):
        if theme_model is not None:
            baseline.models[theme_model.theme] = theme_model
    return baseline
