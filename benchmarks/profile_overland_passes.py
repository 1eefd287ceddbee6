"""CPU time of each part of one row-kernel step of the overland engine, one thread: ns per cell.

The row kernels compute a step in three parts per row (fluxes, positivity factors,
depths with losses and maxima; ``hydrology/_overland.py``). Here each part runs as
its own pass over all rows of the grid (as the kernels did before they became one
sweep), on the DEM of ``bench_overland.synthetic_dem`` (``--size`` cells square,
1 m) with 5 cm of water everywhere and 60 mm/h, and its CPU time is taken over
``--repeat`` steps. Then the fused sweep (``_step_rows``, one chunk) runs the same
steps. The state advances with every pass, as in a run.

Usage::

    .venv/bin/python benchmarks/profile_overland_passes.py --size 500 --repeat 40
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit

from alliantie.hydrology import _overland as o


@njit(cache=True, fastmath=o._FASTMATH, error_model="numpy")
def _flux_pass(flow: Any, ground: Any, outlet_row: Any, dt: float, scheme: Any) -> None:
    for i in range(flow.h.shape[0] + 1):
        o._fluxes_of_row(i, flow, ground, outlet_row, dt, scheme)


@njit(cache=True, fastmath=o._FASTMATH, error_model="numpy")
def _factor_pass(flow: Any, kind: Any, dt: float, dx: float) -> None:
    for i in range(flow.h.shape[0]):
        o._factors_of_row(i, flow, kind, dt, dx)


@njit(cache=True, fastmath=o._FASTMATH, error_model="numpy")
def _depth_pass(flow: Any, ground: Any, forcing: Any, vol: Any, rain: float, record: Any, row_sums: Any,
                dt: float, dx: float) -> None:  # fmt: skip
    for i in range(flow.h.shape[0]):
        o._depths_of_row(i, flow, ground, forcing, vol, rain, record, row_sums, 1.0, dt, dx)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_overland import synthetic_dem

    z = synthetic_dem(args.size).astype(np.float64)
    ny, nx = z.shape
    kind = np.zeros((ny, nx), np.int8)
    ground = o.Ground(
        z, kind, np.full((ny, nx), 0.03), o.outlet_faces(kind, False), np.ones((ny, nx)), np.zeros((ny, nx)),
        np.zeros((ny, nx)),
    )  # fmt: skip
    flow = o.Flow(
        np.full((ny, nx), 0.05), np.zeros((ny, nx + 1)), np.zeros((ny + 1, nx)), np.empty((ny, nx + 1)),
        np.empty((ny + 1, nx)), np.ones((ny + 2, nx + 2)),
    )  # fmt: skip
    e, ev = np.zeros(0, np.int64), np.zeros(0)
    forcing = o.Forcing(np.zeros(1), 1.0, e, e, np.zeros((0, 0)), 1.0)
    cell = lambda: np.zeros((ny, nx))  # noqa: E731
    record = o.Record(cell(), cell(), cell(), np.zeros(0), np.zeros((0, ny, nx)), np.zeros(5))
    scheme = o.Scheme(1.0, 0.7, 0.7, 1e-6, 10.0, False)
    row_sums = np.zeros((ny, 4))
    outlet_row = np.zeros(ny, np.bool_)
    dt, dx = 0.1, 1.0
    rain = 60.0 / 3.6e6 * dt
    bounds = o.row_bounds(ny, 1)

    def fluxes() -> None:
        _flux_pass(flow, ground, outlet_row, dt, scheme)

    def factors() -> None:
        _factor_pass(flow, kind, dt, dx)

    def depths() -> None:
        _depth_pass(flow, ground, forcing, ev, rain, record, row_sums, dt, dx)

    def sweep() -> None:
        o._rows_ser(bounds, flow, ground, forcing, ev, outlet_row, rain, record, row_sums, 1.0, dt, scheme)

    passes = {"fluxes": fluxes, "factors": factors, "depths": depths}
    for run in [*passes.values(), sweep]:
        run()  # compile
    cpu = dict.fromkeys([*passes, "one sweep"], 0.0)
    for _ in range(args.repeat):
        for name, run in passes.items():
            start = time.process_time()
            run()
            cpu[name] += time.process_time() - start
        start = time.process_time()
        sweep()
        cpu["one sweep"] += time.process_time() - start
    cells = ny * nx * args.repeat
    for name, seconds in cpu.items():
        print(f"{name}: {seconds / cells * 1e9:.1f} ns per cell")
    three = sum(cpu[name] for name in passes)
    print(f"three passes: {three / cells * 1e9:.1f} ns per cell, {cells / three / 1e6:.1f} M cell updates/s")
    print(f"one sweep: {cells / cpu['one sweep'] / 1e6:.1f} M cell updates/s")


if __name__ == "__main__":
    main()
