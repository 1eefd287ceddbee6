"""The dynamic check's windows against the pluvial product's own 2-D run over the whole grid.

    python benchmarks/compare_dynamic_windows.py DOSSIER.toml SKETCH.gpkg [--buffer-m 200] [--storms 10,100,1000]

The dossier must have run ``urgency.damage`` with ``[parameters.pluvial] engine = "overland"`` (the product's
depths and durations of every storm). Places the sketch, runs the dynamic check (:func:`overland_effect`) on
its windows, and prints per storm the damage and the buildings above the floor in the windows before the
measures next to the same numbers counted from the product's saved 2-D water on the same cells and buildings
(the damage product's functions), so the difference is what cutting the grid into windows does (edges, the
upstream inflow's routing); then both EADs over the storms and the product's EAD of the whole grid.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossier", type=Path)
    parser.add_argument("sketch", type=Path)
    parser.add_argument("--buffer-m", type=float, default=200.0)
    parser.add_argument("--storms", default="10,100,1000")
    args = parser.parse_args()
    from alliantie.contract.damage import read_damage
    from alliantie.contract.names import DAMAGE, PLUVIAL
    from alliantie.contract.pluvial_depths import DURATIONS_FILE, read_case_depths
    from alliantie.damage.risk import expected_annual_damage
    from alliantie.dossier import load_dossier
    from alliantie.dossier.registry import REGISTRY
    from alliantie.io.vector import read_vector
    from alliantie.measures.overland import overland_effect
    from alliantie.measures.overland_water import value_water
    from alliantie.measures.placement import place
    from alliantie.measures.sketch import Sketch
    from alliantie.method.vista.baseline import dossier_baseline

    dossier = load_dossier(args.dossier)
    baseline = dossier_baseline(dossier, update=False)
    base = baseline.pluvial
    assert base is not None
    folder = REGISTRY[PLUVIAL].output_dir(dossier)
    durations = read_case_depths(folder, DURATIONS_FILE)
    if durations is None or base.saved_depths is None:
        raise SystemExit("the pluvial product did not run with engine = 'overland' (no case_durations.npz)")
    frame = read_vector(args.sketch, target_crs=baseline.grid.crs, label=args.sketch.name)
    sketch = Sketch.from_frame(frame, baseline.catalogue, label=str(args.sketch))
    placements = [place(f, baseline.grid, baseline.buildings) for f in sketch.features]
    t0 = time.perf_counter()
    effect = overland_effect(base, placements, buffer_m=args.buffer_m,
                             return_periods=[float(t) for t in args.storms.split(",")])
    if effect is None:
        raise SystemExit("no measure of the sketch acts on pluvial flooding")
    print(f"dynamic check: {len(effect.windows)} windows, {effect.cells} cells, {int(effect.counted.sum())} buildings "
          f"counted, {time.perf_counter() - t0:.1f} s")
    in_windows = np.zeros(base.grid.shape, dtype=bool)
    for r0, r1, c0, c1 in effect.windows:
        in_windows[r0:r1, c0:c1] = True
    product: list[float] = []
    print("storm          windows: damage EUR, above floor | product's 2-D water on the same cells: damage, above")
    for run in effect.storms:
        case = next(c for c in base.cases if c.id == run.storm)
        depth = np.asarray(base.saved_depths[case.id], dtype=np.float32)
        water = value_water(base, case, np.where(in_windows, depth, np.nan).astype(np.float32),
                            np.asarray(durations[case.id], dtype=np.float32), np.zeros(base.grid.shape, np.float32),
                            base.ground, effect.counted, base.area & in_windows, in_windows)
        product.append(water.damage["mean"])
        print(f"{run.storm:<14} {run.damage_before['mean']:>14,.0f} {int(run.above_before.sum()):>6} | "
              f"{water.damage['mean']:>14,.0f} {int(water.above.sum()):>6}")
    rps = effect.return_periods
    if len(set(rps)) >= 2:
        windows_ead = expected_annual_damage([r.damage_before["mean"] for r in effect.storms], rps, effect.rule)
        product_ead = expected_annual_damage(product, rps, effect.rule)
        print(f"EAD over T = {', '.join(f'{t:g}' for t in rps)}: windows EUR {windows_ead:,.0f}, the product's "
              f"2-D water on the same cells EUR {product_ead:,.0f}")
    damage = read_damage(REGISTRY[DAMAGE].output_dir(dossier))
    annual = damage.themes["pluvial"].annual if damage is not None and "pluvial" in damage.themes else None
    if annual and "current" in annual:
        print(f"the damage product's pluvial EAD today, whole grid, all storms: EUR {annual['current'].mean:,.0f}")


if __name__ == "__main__":
    main()
