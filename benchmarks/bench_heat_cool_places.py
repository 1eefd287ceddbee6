"""The heat model's cool-place distances: all places measured again against the incremental count.

On a run dossier (the saved step 1 products) and a sketch (default: the demo's
``inputs/example_sketch.gpkg``) this times, best of ``--repeat``:

* ``far_full_ms``: ``HeatModel._far`` (every cool place relabelled on the grid, every home measured);
* ``far_incremental_ms``: ``HeatModel._far_after`` (only the new places, only the homes that were far);
* ``outcome_s``: ``HeatModel.outcome(sketch)`` warm with each of the two.

and checks that both give the same count. Printed as JSON.

Usage::

    .venv/bin/python benchmarks/bench_heat_cool_places.py DEMO/dossier.toml [--sketch SKETCH.gpkg] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossier", type=Path)
    parser.add_argument("--sketch", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from alliantie.dossier import load_dossier, load_products
    from alliantie.dossier.registry import RunCache
    from alliantie.io.vector import read_vector
    from alliantie.measures.placement import place
    from alliantie.measures.sketch import Sketch
    from alliantie.method.vista.baseline import saved_baseline

    load_products()
    dossier = load_dossier(args.dossier)
    baseline = saved_baseline(dossier, RunCache(dossier))
    model: Any = baseline.models["heat"]
    sketch_path = args.sketch or args.dossier.parent / "inputs" / "example_sketch.gpkg"
    frame = read_vector(sketch_path, target_crs=baseline.grid.crs, label=sketch_path.name)
    sketch = Sketch.from_frame(frame, baseline.catalogue, label=str(sketch_path))
    placements = [place(f, baseline.grid, baseline.buildings) for f in sketch.features]
    after = model.results(placements)
    full_s, full = _best(lambda: model._far(after.cool), args.repeat)
    inc_s, inc = _best(lambda: model._far_after(after.cool), args.repeat)
    model.outcome(placements)
    out_inc, _ = _best(lambda: model.outcome(placements), max(args.repeat // 2, 1))
    incremental = model._far_after
    model._far_after = model._far
    try:
        out_full, _ = _best(lambda: model.outcome(placements), max(args.repeat // 2, 1))
    finally:
        model._far_after = incremental
    print(json.dumps({"grid": list(baseline.grid.shape), "far_full_ms": round(full_s * 1000, 1),
                      "far_incremental_ms": round(inc_s * 1000, 1), "same_count": full == inc,
                      "outcome_s": {"full": round(out_full, 3), "incremental": round(out_inc, 3)}}, indent=1))


if __name__ == "__main__":
    main()
