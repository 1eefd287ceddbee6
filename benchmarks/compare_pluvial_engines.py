"""Where the static screening (fill-spill-merge) and the 2-D overland flow differ on a dossier.

The pluvial product screens every design storm with the static fill-spill-merge
engine: the storm's net runoff (rain minus infiltration and sewer, per cell) is
put on the DEM at once and routed through the depressions. Here the same storm
runs through :func:`alliantie.hydrology.overland_flow` on the same grid, with the
same inputs (``urgency.pluvial``'s own preparation): the rain as a block of
``duration_h`` hours, then one hour without rain; per cell a loss rate such that
the water a cell loses over the storm equals what the screening takes off
(``(rain - runoff) / duration_h`` mm/h, limited by the water present; it goes on
after the rain, so late peaks are slightly lower); open water as outlets;
buildings as walls (their roof rain goes to the nearest open cell), where the
screening raises them. Both results go through the product's own
post-processing: depth shown from ``min_depth_m``, water at the facade, water
above the floor level.

Printed (JSON): wet cells of each engine and of both, the depth difference where
both are wet, buildings with water above floor level in each, the water balance
and the wall time of each engine.

Usage::

    .venv/bin/python benchmarks/compare_pluvial_engines.py DOSSIER.toml [--return-period 100] [--scenario current]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dossier", type=Path)
    parser.add_argument("--return-period", type=float, default=100.0)
    parser.add_argument("--scenario", default="current")
    parser.add_argument("--after-h", type=float, default=1.0, help="hours simulated after the rain")
    parser.add_argument("--manning", type=float, default=0.03)
    args = parser.parse_args()

    from alliantie.dossier import load_dossier
    from alliantie.dossier.registry import REGISTRY, ProductContext, RunCache, load_products
    from alliantie.hazards import bluespots as bs
    from alliantie.hydrology import overland_flow
    from alliantie.method.urgency.pluvial.analysis import analyse
    from alliantie.method.urgency.pluvial.events import SERIES
    from alliantie.method.urgency.pluvial.product import prepare

    load_products()
    dossier = load_dossier(args.dossier)
    ctx = ProductContext(product=REGISTRY["urgency.pluvial"], dossier=dossier, out_dir=Path("."),
                         cache=RunCache(dossier))
    prepared = prepare(ctx)
    data, params = prepared.data, prepared.params
    case = next(c for c in prepared.cases if c.event.kind == SERIES
                and c.event.return_period_years == args.return_period and c.scenario.id == args.scenario)
    grid = data.grid

    start = time.perf_counter()
    static = analyse(data, [case], params).cases[0]
    static_s = time.perf_counter() - start

    buildings = data.buildings.reset_index(drop=True) if data.buildings is not None else None
    ids = bs.building_ids(buildings, grid)
    ground = np.asarray(data.dem, dtype=np.float64)
    dem = ground.copy()
    if data.outlets is not None:
        dem[data.outlets] = np.nan
    runoff = np.asarray(data.runoff_mm(case), dtype=np.float64)
    hours = case.event.duration_h
    loss_mm_h = np.clip(case.rain_mm - runoff, 0.0, None) / hours
    start = time.perf_counter()
    dynamic = overland_flow(dem, [case.rain_mm / hours], rain_step_s=hours * 3600.0, cell_size=grid.res,
                            duration_s=(hours + args.after_h) * 3600.0, manning=args.manning,
                            buildings=ids > 0, infiltration_mm_h=loss_mm_h)
    dynamic_s = time.perf_counter() - start

    hide = ids > 0
    if data.area is not None:
        hide = hide | ~data.area
    shown_dynamic = bs.shown_depth(np.asarray(dynamic.max_depth, dtype=np.float32), params.min_depth_m, hide=hide)
    shown_static = static.depth
    wet_static = np.isfinite(shown_static)
    wet_dynamic = np.isfinite(shown_dynamic)
    both = wet_static & wet_dynamic
    diff = (shown_dynamic - shown_static)[both]

    above = {"static": int(np.count_nonzero(static.building_class == bs.ABOVE_FLOOR)), "dynamic": 0}
    if buildings is not None and len(buildings):
        floor = bs.floor_levels(buildings, ground.astype(np.float32), ids, params.floor_height_m)
        level = ground + np.where(wet_dynamic, shown_dynamic, np.nan)
        f_depth, f_level = bs.facade_water(ids, len(buildings), np.where(hide & (ids == 0), np.nan, shown_dynamic),
                                           level)
        classes = bs.building_classes(f_depth[1:], f_level[1:], floor, params.min_depth_m)
        above["dynamic"] = int(np.count_nonzero(classes == bs.ABOVE_FLOOR))
        above["both"] = int(np.count_nonzero((classes == bs.ABOVE_FLOOR) & (static.building_class == bs.ABOVE_FLOOR)))
    cell_area = grid.cell_area
    print(json.dumps({
        "case": case.id, "rain_mm": round(case.rain_mm, 1), "duration_h": hours, "cells": int(dem.size),
        "cell_size_m": grid.res, "manning": args.manning,
        "wet_cells": {"static": int(wet_static.sum()), "dynamic": int(wet_dynamic.sum()), "both": int(both.sum())},
        "depth_difference_where_both_wet_m": {
            "mean": round(float(diff.mean()), 3) if diff.size else None,
            "p5": round(float(np.percentile(diff, 5)), 3) if diff.size else None,
            "p95": round(float(np.percentile(diff, 95)), 3) if diff.size else None,
        },
        "shown_volume_m3": {"static": round(float(np.nansum(shown_static)) * cell_area),
                            "dynamic_max": round(float(np.nansum(shown_dynamic)) * cell_area)},
        "buildings_above_floor": above,
        "dynamic_balance_m3": {"rain": round(dynamic.rain_m3), "lost": round(dynamic.infiltrated_m3),
                               "outflow": round(dynamic.outflow_m3), "storage_end": round(dynamic.storage_m3),
                               "balance_error": dynamic.balance_error},
        "static_outflow_m3": round(static.outflow_m3),
        "steps": dynamic.steps,
        "wall_s": {"static": round(static_s, 1), "dynamic": round(dynamic_s, 1)},
    }, indent=1))


if __name__ == "__main__":
    main()
