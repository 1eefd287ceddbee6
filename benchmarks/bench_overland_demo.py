"""The T=100 design storm of the default demo through the 2-D overland-flow engine: wall time and speed.

The inputs are the pluvial product's own, prepared as ``compare_pluvial_engines.py``
does (``urgency.pluvial``'s preparation of the dossier): the DEM with open water as
nodata (outlets), buildings as walls, the storm's rain as a block of its duration
(T=100, 2 hours on the demo), then ``--after-h`` hours without rain, and per cell a
loss rate (as infiltration) such that the cell loses over the storm what the
screening takes off. Printed (one JSON line): the model time run, wall time, fine
steps, cell updates computed, cells x steps / wall time (the rate a global time step
would need for the same wall time) and cell updates / wall time, the water balance
and the largest depth. With ``--seconds`` only the first part of the storm runs and
the line says so; the wall time of the whole run is then not known.

The prepared inputs are kept in ``--cache`` (an .npz) so that later runs skip the
preparation (about 10 s).

Usage::

    alliantie demo --out /tmp/eng_demo
    .venv/bin/python benchmarks/bench_overland_demo.py /tmp/eng_demo/dossier.toml
    .venv/bin/python benchmarks/bench_overland_demo.py /tmp/eng_demo/dossier.toml --global-step --seconds 900
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np


def prepare_inputs(dossier_path: Path, return_period: float, scenario: str) -> dict[str, np.ndarray]:
    """DEM (outlets NaN), building mask, loss rate (mm/h), rain (mm) and duration (h) of the storm."""
    from alliantie.dossier import load_dossier
    from alliantie.dossier.registry import REGISTRY, ProductContext, RunCache, load_products
    from alliantie.hazards import bluespots as bs
    from alliantie.method.urgency.pluvial.events import SERIES
    from alliantie.method.urgency.pluvial.product import prepare

    load_products()
    dossier = load_dossier(dossier_path)
    ctx = ProductContext(product=REGISTRY["urgency.pluvial"], dossier=dossier, out_dir=Path("."),
                         cache=RunCache(dossier))  # fmt: skip
    prepared = prepare(ctx)
    data = prepared.data
    case = next(c for c in prepared.cases if c.event.kind == SERIES
                and c.event.return_period_years == return_period and c.scenario.id == scenario)  # fmt: skip
    buildings = data.buildings.reset_index(drop=True) if data.buildings is not None else None
    ids = bs.building_ids(buildings, data.grid)
    dem = np.asarray(data.dem, dtype=np.float64).copy()
    if data.outlets is not None:
        dem[data.outlets] = np.nan
    runoff = np.asarray(data.runoff_mm(case), dtype=np.float64)
    hours = case.event.duration_h
    return {
        "dem": dem, "buildings": ids > 0, "loss_mm_h": np.clip(case.rain_mm - runoff, 0.0, None) / hours,
        "rain_mm": np.float64(case.rain_mm), "hours": np.float64(hours), "res": np.float64(data.grid.res),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dossier", type=Path)
    parser.add_argument("--return-period", type=float, default=100.0)
    parser.add_argument("--scenario", default="current")
    parser.add_argument("--after-h", type=float, default=1.0, help="hours simulated after the rain")
    parser.add_argument("--seconds", type=float, default=0.0, help="run only this much model time (0: all)")
    parser.add_argument("--manning", type=float, default=0.03)
    parser.add_argument("--global-step", action="store_true", help="one time step for the whole grid")
    parser.add_argument("--threads", type=int, default=0, help="numba threads (0: all)")
    parser.add_argument("--cache", type=Path, default=None, help="npz of the prepared inputs (made if missing)")
    args = parser.parse_args()
    import numba

    from alliantie.hydrology import _overland, overland_flow

    if args.threads:
        numba.set_num_threads(args.threads)
    cache = args.cache or args.dossier.parent / f"overland_inputs_T{args.return_period:g}_{args.scenario}.npz"
    if cache.exists():
        inputs = dict(np.load(cache))
    else:
        inputs = prepare_inputs(args.dossier, args.return_period, args.scenario)
        np.savez_compressed(cache, **inputs)
    dem = inputs["dem"]
    hours = float(inputs["hours"])
    total_s = (hours + args.after_h) * 3600.0
    run_s = min(args.seconds, total_s) if args.seconds > 0 else total_s
    # compile (or load from the cache) the kernel the timed run uses: a grid as large as the demo's takes the
    # parallel kernels, a 4 x 4 grid only the serial ones (the parallel compile then fell in the timed run)
    side = int(np.ceil(np.sqrt(_overland.PARALLEL_MIN_CELLS))) if dem.size >= _overland.PARALLEL_MIN_CELLS else 4
    overland_flow(np.zeros((side, side)), 1.0, cell_size=1.0, duration_s=1.0, local_time_steps=not args.global_step)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    start = time.perf_counter()
    r = overland_flow(
        dem, [float(inputs["rain_mm"]) / hours], rain_step_s=hours * 3600.0, cell_size=float(inputs["res"]),
        duration_s=run_s, manning=args.manning, buildings=inputs["buildings"], infiltration_mm_h=inputs["loss_mm_h"],
        local_time_steps=not args.global_step,
    )  # fmt: skip
    wall = time.perf_counter() - start
    print(json.dumps({
        "case": f"T={args.return_period:g} {args.scenario}, {hours:g} h rain + {args.after_h:g} h",
        "rain_mm": round(float(inputs["rain_mm"]), 1), "cells": int(dem.size), "cell_size_m": float(inputs["res"]),
        "time_stepping": "global" if args.global_step else "local", "threads": numba.get_num_threads(),
        "model_s": run_s, "whole_run": run_s >= total_s, "wall_s": round(wall, 1), "steps": r.steps,
        "cell_updates": r.cell_updates,
        "cells_x_steps_per_s": round(dem.size * r.steps / wall),
        "cell_updates_per_s": round(r.cell_updates / wall),
        "balance_error": r.balance_error, "max_depth_m": round(float(np.nanmax(r.max_depth)), 3),
        "load_average_1min": load,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
