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
def _flux_pass(h: Any, z: Any, kind: Any, outlet_row: Any, n: Any, qx: Any, qy: Any, qxn: Any, qyn: Any,
               dt: float, dx: float) -> None:  # fmt: skip
    for i in range(h.shape[0] + 1):
        o._fluxes_of_row(i, h, z, kind, outlet_row, n, qx, qy, qxn, qyn, dt, dx, 0.7, 1e-6, False)


@njit(cache=True, fastmath=o._FASTMATH, error_model="numpy")
def _factor_pass(h: Any, kind: Any, qxn: Any, qyn: Any, dt: float, dx: float, factor: Any) -> None:
    for i in range(h.shape[0]):
        o._factors_of_row(i, h, kind, qxn, qyn, dt, dx, factor)


@njit(cache=True, fastmath=o._FASTMATH, error_model="numpy")
def _depth_pass(h: Any, kind: Any, border: Any, qx: Any, qy: Any, qxn: Any, qyn: Any, factor: Any, rain: float,
                w: Any, infil: Any, sink: Any, e: Any, ev: Any, hmax: Any, tmax: Any, vmax: Any, row_sums: Any,
                dt: float, dx: float) -> None:  # fmt: skip
    for i in range(h.shape[0]):
        o._depths_of_row(i, h, kind, border, qx, qy, qxn, qyn, factor, rain, w, infil, sink, e, e, ev, hmax, tmax,
                         vmax, row_sums, 1.0, dt, dx)  # fmt: skip


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
    n = np.full((ny, nx), 0.03)
    h = np.full((ny, nx), 0.05)
    qx, qy = np.zeros((ny, nx + 1)), np.zeros((ny + 1, nx))
    qxn, qyn = np.empty_like(qx), np.empty_like(qy)
    factor = np.ones((ny + 2, nx + 2))
    w, infil, sink = np.ones((ny, nx)), np.zeros((ny, nx)), np.zeros((ny, nx))
    e, ev = np.zeros(0, np.int64), np.zeros(0)
    hmax, tmax, vmax = np.zeros((ny, nx)), np.zeros((ny, nx)), np.zeros((ny, nx))
    row_sums = np.zeros((ny, 4))
    border = o.outlet_faces(kind, False)
    outlet_row = np.zeros(ny, np.bool_)
    dt, dx = 0.1, 1.0
    rain = 60.0 / 3.6e6 * dt
    bounds = o.row_bounds(ny, 1)
    def fluxes() -> None:
        _flux_pass(h, z, kind, outlet_row, n, qx, qy, qxn, qyn, dt, dx)

    def factors() -> None:
        _factor_pass(h, kind, qxn, qyn, dt, dx, factor)

    def depths() -> None:
        _depth_pass(h, kind, border, qx, qy, qxn, qyn, factor, rain, w, infil, sink, e, ev, hmax, tmax, vmax,
                    row_sums, dt, dx)  # fmt: skip

    def sweep() -> None:
        o._rows_ser(
            bounds, h, z, kind, outlet_row, border, n, qx, qy, qxn, qyn, factor, rain, w, infil, sink, e, e, ev,
            hmax, tmax, vmax, row_sums, 1.0, dt, dx, 0.7, 1e-6, False,
        )  # fmt: skip

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
