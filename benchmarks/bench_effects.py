"""How fast the effect engine answers, and how far its fast level lies from the full one.

On a dossier with a sketch (default: the demo's ``inputs/example_sketch.gpkg``)
this times, in one run on this machine:

* ``prepare``: what a workshop session computes once (the depression hierarchy,
  every storm without measures, the kept state of every storm for the fast level);
* ``fast``: :func:`alliantie.measures.evaluate.evaluate` at level "fast", warm
  (median of ``--repeat`` calls), all features together;
* ``full``: the same at level "full" (every storm routed again over the whole grid;
  terrain changes rebuild the hierarchy);
* ``pipeline``: the full recompute of the affected step 1 products
  (``urgency.pluvial``, ``urgency.heat``, ``urgency.drought``, ``urgency.flood``
  and ``urgency.damage``, forced) on a copy of the dossier
  with the sketch's terrain changes burnt into the DEM and its thresholds into
  the buildings' floor levels: what a tool without an effect engine would run.

and prints the ratios and, per indicator, the difference between the fast and
the full level (the fast level counts terrain changes as storage; exact
otherwise). Printed as JSON.

Usage::

    .venv/bin/python benchmarks/bench_effects.py DOSSIER.toml [--sketch SKETCH.gpkg] [--repeat 5]
        [--no-pipeline] [--features 20]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dossier", type=Path)
    parser.add_argument("--sketch", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pipeline", action="store_true")
    parser.add_argument("--features", type=int, default=None,
                        help="grow the sketch to this many features (copies of its features moved 60 m east)")
    args = parser.parse_args()

    import geopandas as gpd
    import rasterio

    from alliantie.contract.names import DAMAGE, DROUGHT, FLOOD, HEAT, PLUVIAL
    from alliantie.dossier import load_dossier, run_dossier
    from alliantie.measures.evaluate import evaluate, prepare
    from alliantie.measures.placement import place
    from alliantie.measures.sketch import Sketch
    from alliantie.method.vista.baseline import dossier_baseline

    dossier = load_dossier(args.dossier)
    sketch_path = args.sketch or dossier.root / "inputs" / "example_sketch.gpkg"
    baseline = dossier_baseline(dossier)
    frame = gpd.read_file(sketch_path).to_crs(baseline.grid.crs)
    if args.features and args.features > len(frame):
        import pandas as pd

        copies = [frame]
        shift = 60.0
        while sum(len(c) for c in copies) < args.features:
            copies.append(frame.set_geometry(frame.geometry.translate(xoff=shift)))
            shift += 60.0
        frame = gpd.GeoDataFrame(pd.concat(copies, ignore_index=True).head(args.features), crs=frame.crs)
    sketch = Sketch.from_frame(frame, baseline.catalogue, label=str(sketch_path))
    out: dict[str, object] = {"dossier": str(args.dossier), "cells": int(np.prod(baseline.grid.shape)),
                              "features": len(sketch), "storms": len(baseline.pluvial.cases) if baseline.pluvial else 0}
    t0 = time.perf_counter()
    prepare(baseline, "fast")
    out["prepare_s"] = round(time.perf_counter() - t0, 3)
    evaluate(baseline, sketch, level="fast")  # numba warm
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        fast = evaluate(baseline, sketch, level="fast")
        times.append(time.perf_counter() - t0)
    out["fast_s"] = round(statistics.median(times), 3)
    out["fast_s_per_theme"] = {k: round(v, 3) for k, v in fast.seconds.items()}
    t0 = time.perf_counter()
    full = evaluate(baseline, sketch, level="full")
    out["full_s"] = round(time.perf_counter() - t0, 3)
    out["full_over_fast"] = round(out["full_s"] / out["fast_s"], 1)  # type: ignore[operator]
    out["fast_approximate"] = fast.approximate
    diff: dict[str, object] = {}
    for theme in full.themes:
        for sid in full.themes[theme].after:
            f, g = fast.themes[theme].avoided(sid), full.themes[theme].avoided(sid)
            diff[f"avoided_ead_{theme}_{sid}"] = {"fast": round(f, 2), "full": round(g, 2),
                                                  "rel": round(abs(f - g) / max(abs(g), 1e-9), 6)}
    diff["kept_dry"] = {"fast": fast.indicators.kept_dry, "full": full.indicators.kept_dry}
    diff["stored_m3"] = {"fast": {k: round(v, 1) for k, v in fast.indicators.stored_m3.items()},
                         "full": {k: round(v, 1) for k, v in full.indicators.stored_m3.items()}}
    out["fast_vs_full"] = diff
    if not args.no_pipeline:
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "burnt"
            shutil.copytree(dossier.root, copy, ignore=shutil.ignore_patterns("report"))
            burnt = load_dossier(copy / Path(args.dossier).name)
            placements = [place(f, baseline.grid, baseline.buildings) for f in sketch.features]
            dem_path = burnt.input_file("dem").path
            with rasterio.open(dem_path) as src:
                profile, dem = src.profile, src.read(1)
            flat = dem.reshape(-1)
            for p in placements:
                if p.params.get("lower_terrain_m", 0.0) > 0:
                    flat[p.ground_cells] -= p.params["lower_terrain_m"]
            with rasterio.open(dem_path, "w", **profile) as dst:
                dst.write(dem, 1)
            t0 = time.perf_counter()
            run_dossier(burnt, products=[PLUVIAL, HEAT, DROUGHT, FLOOD, DAMAGE], force=True)
            out["pipeline_s"] = round(time.perf_counter() - t0, 3)
        out["pipeline_over_fast"] = round(out["pipeline_s"] / out["fast_s"], 1)  # type: ignore[operator]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
