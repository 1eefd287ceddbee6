"""Cell updates per second of the overland engine's row kernels and tile kernels, side by side in one process.

The DEM of ``bench_overland.synthetic_dem`` (``--size`` cells square, 1 m), 5 cm of
water everywhere and 60 mm/h for ``--seconds`` of model time. With water everywhere
every tile has level 0, so the tile kernels do the same updates as the row kernels:
this measures their cost per update. ``--buildings 0.1`` puts seeded blocks of 8 x 8
building cells (walls) on about that share of the cells, as in a town (the demo's rows
and tiles nearly all hold a building). Each variant runs ``--repeat`` times, alternating;
one JSON line per run. Point ``PYTHONPATH`` at an older ``src`` to time older kernels
(without ``local_time_steps`` only the row kernels run).

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_overland_kernels.py --threads 1 --size 500 --seconds 30
"""

from __future__ import annotations

import argparse
import inspect
import json
import time
from pathlib import Path

import numpy as np


def building_blocks(size: int, share: float, block: int = 8, seed: int = 7) -> np.ndarray:
    """Mask of seeded ``block`` x ``block`` squares of building cells, about ``share`` of the grid."""
    mask = np.zeros((size, size), dtype=bool)
    count = round(share * size * size / block**2)
    rng = np.random.default_rng(seed)
    for r, c in rng.integers(0, max(size - block, 1), size=(count, 2)):
        mask[r : r + block, c : c + block] = True
    return mask


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--buildings", type=float, default=0.0, help="share of cells in 8 x 8 building blocks")
    args = parser.parse_args()
    import sys

    import numba

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_overland import synthetic_dem

    from alliantie.hydrology import overland_flow

    numba.set_num_threads(args.threads)
    tiles = "local_time_steps" in inspect.signature(overland_flow).parameters
    dem = synthetic_dem(args.size)
    roofs = building_blocks(args.size, args.buildings)
    overland_flow(np.zeros((4, 4)), 1.0, cell_size=1.0, duration_s=1.0)  # compile
    variants: list[dict[str, bool]] = [{"local_time_steps": False}, {"local_time_steps": True}] if tiles else [{}]
    for _ in range(args.repeat):
        for extra in variants:
            wall = time.perf_counter()
            cpu = time.process_time()
            r = overland_flow(
                dem, 60.0, cell_size=1.0, duration_s=args.seconds, initial_depth=0.05, buildings=roofs, **extra
            )
            wall = time.perf_counter() - wall
            cpu = time.process_time() - cpu
            print(json.dumps({
                "kernels": "tiles" if extra.get("local_time_steps") else "rows", "threads": args.threads,
                "buildings": round(float(roofs.mean()), 3),
                "steps": r.steps, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                "cell_updates_per_s": round(dem.size * r.steps / wall),
            }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
