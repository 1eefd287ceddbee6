"""Damage + expected annual damage on a raster: alliantie against a bare numpy baseline, in one run.

    .venv/bin/python benchmarks/bench_damage.py [--size 1000] [--events 4] [--repeat 5] [--block-rows 512]

Seeded synthetic data on ``size x size`` cells (default 1000 x 1000 = 1 M cells, 5 m
cells): a land-use raster of LGN codes drawn from the demo's classes (mapped to the
WaterSchadeSchatter classes of ``damage_pluvial.toml``) and, per return period (10,
25, 100, 1000 years by default), a float32 depth raster: a smooth field (Gaussian-
filtered noise) that deepens with the return period, dry (<= 0) on about half of the
cells.

Tasks, each timed ``--repeat`` times after one warm-up (numba compilation), alternating, best time:

baseline  bare numpy: per return period ``np.interp`` of one depth-damage curve on
          every cell times a maximum damage and the cell area, summed; then the
          trapezoid EAD of the event totals (the issue's reference).
ours      ``alliantie.damage.raster_risk``: per cell its land-use class's WSS depth,
          duration, month and repair factors, low/mean/high amounts, block by block;
          the EAD raster accumulated event by event, plus the event totals and the EAD.

The check: with one land-use class everywhere (LGN 18 built-up, WSS class 15) both compute the
same thing; the script prints the relative difference of their EADs.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def synthetic(size: int, rps: list[float], seed: int = 7) -> tuple[list[np.ndarray], np.ndarray]:
    from scipy.ndimage import gaussian_filter

    from alliantie.damage import class_map
    from alliantie.knowledge import load_knowledge

    rng = np.random.default_rng(seed)
    codes = np.array(sorted(class_map(load_knowledge("damage_pluvial"))), dtype=np.int16)
    landuse = rng.choice(codes, size=(size, size)).astype(np.int16)
    field = gaussian_filter(rng.standard_normal((size, size)), sigma=8)
    field /= max(float(field.std()), 1e-12)
    depths = [(0.08 * field + 0.02 * np.log10(t)).astype(np.float32) for t in rps]
    return depths, landuse


def best_interleaved(fns: list[Callable[[], Any]], repeat: int) -> list[tuple[float, Any]]:
    """Best wall time of each function, the functions alternating in every round (fair on a busy machine)."""
    results = [fn() for fn in fns]  # warm-up (numba compilation, caches)
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            results[i] = fn()
            times[i].append(time.perf_counter() - t0)
    return [(min(t), r) for t, r in zip(times, results, strict=True)]


def trapezoid_ead(totals: np.ndarray, rps: np.ndarray) -> float:
    order = np.argsort(rps)
    f = 1.0 / rps[order]
    d = totals[order]
    return float(np.sum((f[:-1] - f[1:]) * (d[:-1] + d[1:]) / 2.0) + d[-1] * f[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000, help="cells per side (default 1000: 1 M cells)")
    parser.add_argument("--events", type=int, default=4, choices=range(2, 7), help="return periods (default 4)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--block-rows", type=int, default=512)
    args = parser.parse_args()

    from alliantie.damage import DamageSettings, class_map, coefficients, load_damage_table, raster_risk
    from alliantie.knowledge import load_knowledge

    rps = np.array([10.0, 25.0, 100.0, 1000.0, 50.0, 250.0][: args.events])
    depths, landuse = synthetic(args.size, rps.tolist())
    knowledge = load_knowledge("damage_pluvial")
    coef = coefficients(load_damage_table(knowledge), DamageSettings(), class_map(knowledge))
    cell_area = 25.0
    # the baseline's one curve: WSS residential terrain (class 15, where LGN 18 built-up maps to)
    k15 = int(np.searchsorted(coef.codes, 15))
    x, y, dmax = coef.nodes, coef.depth_y[k15], coef.direct[k15]

    def baseline(depth_list: list[np.ndarray] = depths) -> float:
        totals = np.array([float(np.sum(np.interp(d, x, y) * (dmax * cell_area))) for d in depth_list])
        return trapezoid_ead(totals, rps)

    def ours(lu: np.ndarray = landuse, depth_list: list[np.ndarray] = depths) -> float:
        risk = raster_risk(depth_list, rps, lu, coef, cell_area_m2=cell_area, block_rows=args.block_rows)
        return risk.ead_total

    n = args.size * args.size
    print(f"damage + EAD, {n / 1e6:.2f} M cells x {rps.size} return periods {rps.tolist()}, "
          f"float32 depths, block_rows {args.block_rows}, best of {args.repeat}")
    (t_base, _), (t_ours, ead) = best_interleaved([baseline, ours], args.repeat)
    work = n * rps.size / 1e6
    print(f"  baseline (np.interp, one curve)      {t_base * 1e3:8.1f} ms   {work / t_base:7.1f} Mcell-events/s")
    print(f"  ours (raster_risk, per-class WSS)    {t_ours * 1e3:8.1f} ms   {work / t_ours:7.1f} Mcell-events/s")
    print(f"  ratio ours / baseline                {t_ours / t_base:8.2f}   (goal <= 2)")
    print(f"  EAD of the synthetic area (ours)     {ead:12.0f} EUR/year")

    one_class = np.full_like(landuse, 18)  # LGN 18 -> class 15 everywhere
    e_base = baseline()
    e_ours = ours(one_class)
    print(f"  check, one class everywhere: EAD baseline {e_base:.2f}, ours {e_ours:.2f}, "
          f"relative difference {abs(e_ours - e_base) / max(e_base, 1e-12):.1e}")


if __name__ == "__main__":
    main()
