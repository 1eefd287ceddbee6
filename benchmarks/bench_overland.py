"""2-D overland flow (local-inertial): cell updates per second, ours beside landlab's OverlandFlow.

A seeded synthetic DEM (smooth hills plus 5 cm cell noise, 1 m cells, open edges)
gets a constant rain for ``--seconds`` of model time, starting from ``--wet`` m of
water everywhere. The first call compiles the numba kernels (excluded: a tiny run
first). Printed (one JSON line per engine): steps, wall time, cell updates per
second (cells x steps / wall time) and the mass-balance error.

When landlab imports (``pip install alliantie[bench]``; landlab 2.9 runs on Python
3.11, 2.10 and later need 3.12), landlab's ``OverlandFlow`` (de Almeida et al. 2012,
the same scheme) runs on the same DEM, rain and initial water with the same
``alpha``, ``theta`` and Manning's n, and a third line compares the maximum depths:
the share of wet cells (max depth > 1 cm in either run) where the two agree within
2 cm, and the speed ratio. landlab's perimeter nodes are open boundaries that it
does not compute; in that run our outermost ring of cells is made nodata (outlets)
as well, so both compute the same interior. Without landlab only our line is
printed, with a note that landlab is missing.

``--noise`` sets the synthetic DEM's cell noise; ``--dem-file`` with ``--window`` runs a
window of a real DEM instead (nodata filled by the nearest cell, so both engines see
the same closed surface).

Usage::

    .venv/bin/python benchmarks/bench_overland.py --size 1000 --seconds 60 --wet 0.05
    /tmp/llvenv/bin/python benchmarks/bench_overland.py --size 200 --seconds 600
    /tmp/llvenv/bin/python benchmarks/bench_overland.py --size 150 --cell 5 --seconds 1800 --global-step \
        --dem-file ../shared/realdata/winterswijk_achterhoek/ahn_dtm_5m_winterswijk_cm.tif --dem-scale 0.01 \
        --window 300,0
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

import numpy as np

from alliantie.hydrology import overland_flow

MM_H = 1.0 / 3.6e6


def synthetic_dem(n: int, seed: int = 42, cell_size: float = 1.0, noise_m: float = 0.05) -> np.ndarray:
    """Seeded synthetic DEM (m): hills a few hundred cells across (2 m relief) and ``noise_m`` cell noise."""
    from scipy.ndimage import gaussian_filter

    rng = np.random.default_rng(seed)
    base = gaussian_filter(rng.standard_normal((n, n)), sigma=n / 40)
    base *= 2.0 / max(float(np.ptp(base)), 1e-9)
    return base + noise_m * rng.standard_normal((n, n))


def dem_window(path: str, row: int, col: int, n: int, scale: float) -> tuple[np.ndarray, int]:
    """An ``n`` x ``n`` window of a DEM file (values x ``scale`` = m); nodata cells take the nearest cell's value.

    Both engines then see the same closed surface (landlab has no nodata outlets inside the grid). Returns the
    DEM and the number of cells filled.
    """
    import rasterio
    from rasterio.windows import Window
    from scipy.ndimage import distance_transform_edt

    with rasterio.open(path) as src:
        band = src.read(1, window=Window(col, row, n, n), masked=True)
    if band.shape != (n, n):
        raise SystemExit(f"{path}: the window {row},{col} of {n} cells does not fit in the file")
    missing = np.ma.getmaskarray(band)
    if missing.all():
        raise SystemExit(f"{path}: the window {row},{col} holds only nodata")
    values = band.filled(0).astype(np.float64) * scale
    nearest = distance_transform_edt(missing, return_distances=False, return_indices=True)
    return values[tuple(nearest)], int(missing.sum())


def run_ours(dem: np.ndarray, args: argparse.Namespace) -> tuple[dict[str, Any], np.ndarray]:
    """Our engine; with ``args.ring`` the outermost cells are nodata (outlets), as landlab's perimeter."""
    if args.ring:
        dem = dem.copy()
        dem[[0, -1], :] = np.nan
        dem[:, [0, -1]] = np.nan
    overland_flow(np.zeros((4, 4)), 1.0, cell_size=1.0, duration_s=1.0)  # compile
    start = time.perf_counter()
    cpu = time.process_time()
    r = overland_flow(
        dem, args.rain, cell_size=args.cell, duration_s=args.seconds, initial_depth=args.wet,
        manning=args.manning, theta=args.theta, alpha=args.alpha, local_time_steps=not args.global_step,
    )  # fmt: skip
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    import numba

    result = {
        "engine": "alliantie",
        "cells": dem.size,
        "model_s": args.seconds,
        "steps": r.steps,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "threads": numba.get_num_threads(),
        "cell_updates_per_s": round(dem.size * r.steps / wall),
        "computed_cell_updates_per_s": round(r.cell_updates / wall),
        "time_stepping": "global" if args.global_step else "local",
        "balance_error": r.balance_error,
        "outlet_ring": bool(args.ring),
    }
    return result, np.nan_to_num(np.asarray(r.max_depth))


def run_landlab(dem: np.ndarray, args: argparse.Namespace) -> tuple[dict[str, Any], np.ndarray]:
    """landlab's OverlandFlow on the same DEM (landlab rows run south to north: flipped)."""
    from landlab import RasterModelGrid
    from landlab.components import OverlandFlow

    ny, nx = dem.shape
    # one ring of closed nodes around the DEM would change the domain; instead landlab's
    # perimeter nodes are the outermost cells, set as fixed-value (open) boundaries of depth 0
    grid = RasterModelGrid((ny, nx), xy_spacing=args.cell)
    grid.add_field("topographic__elevation", dem[::-1].ravel().copy(), at="node")
    h_init = 1e-5  # landlab's default film: it divides by the link depth, so no node may be dry
    grid.add_field("surface_water__depth", np.full(grid.number_of_nodes, max(args.wet, h_init)), at="node")
    grid.set_closed_boundaries_at_grid_edges(False, False, False, False)  # open: fixed-value perimeter
    grid.at_node["surface_water__depth"][grid.boundary_nodes] = h_init
    of = OverlandFlow(
        grid, mannings_n=args.manning, alpha=args.alpha, theta=args.theta,
        rainfall_intensity=args.rain * MM_H, steep_slopes=True, h_init=h_init,
    )  # fmt: skip
    hmax = grid.at_node["surface_water__depth"].copy()
    start = time.perf_counter()
    cpu = time.process_time()
    t = 0.0
    steps = 0
    while t < args.seconds:
        dt = min(of.calc_time_step(), args.seconds - t)
        of.run_one_step(dt=dt)  # one step: its own sub-step equals dt
        np.maximum(hmax, grid.at_node["surface_water__depth"], out=hmax)  # landlab replaces the array
        t += dt
        steps += 1
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    result = {
        "engine": "landlab OverlandFlow",
        "cells": dem.size,
        "model_s": args.seconds,
        "steps": steps,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cell_updates_per_s": round(dem.size * steps / wall),
    }
    return result, hmax.reshape(ny, nx)[::-1]


def agreement(
    ours: np.ndarray, theirs: np.ndarray, dem: np.ndarray, tol: float = 0.02, wet: float = 0.01
) -> dict[str, Any]:
    """Share of wet cells (either > ``wet`` m) whose max depths agree within ``tol`` m (edge ring excluded).

    Of the cells that differ by more (``off``): the share where ours is higher, the share that are
    pits (lower than their four neighbours; among all wet cells beside it), and the share within
    two cells of the ring.
    """
    a, b = ours[1:-1, 1:-1], theirs[1:-1, 1:-1]
    mask = (a > wet) | (b > wet)
    signed = a - b
    diff = np.abs(signed)[mask]
    off = mask & (np.abs(signed) > tol)
    z = dem[1:-1, 1:-1]
    pit = z < np.minimum.reduce([dem[:-2, 1:-1], dem[2:, 1:-1], dem[1:-1, :-2], dem[1:-1, 2:]])
    rows, cols = np.nonzero(off)
    edge = np.minimum.reduce([rows, cols, a.shape[0] - 1 - rows, a.shape[1] - 1 - cols]) <= 1
    return {
        "wet_cells": int(mask.sum()),
        "share_within_2cm": round(float((diff <= tol).mean()), 4) if diff.size else None,
        "median_abs_diff_m": round(float(np.median(diff)), 4) if diff.size else None,
        "p99_abs_diff_m": round(float(np.quantile(diff, 0.99)), 4) if diff.size else None,
        "off_cells": int(off.sum()),
        "off_ours_higher": round(float((signed[off] > 0).mean()), 3) if off.any() else None,
        "off_pits": round(float(pit[off].mean()), 3) if off.any() else None,
        "wet_pits": round(float(pit[mask].mean()), 3) if mask.any() else None,
        "off_within_2_cells_of_ring": round(float(edge.mean()), 3) if off.any() else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--wet", type=float, default=0.0, help="initial water depth (m) everywhere")
    parser.add_argument("--rain", type=float, default=60.0, help="mm/h")
    parser.add_argument("--cell", type=float, default=1.0, help="cell size (m)")
    parser.add_argument("--manning", type=float, default=0.03)
    parser.add_argument("--theta", type=float, default=0.7)
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--threads", type=int, default=0, help="numba threads (0: all)")
    parser.add_argument("--no-landlab", action="store_true", help="skip landlab even where it imports")
    parser.add_argument("--global-step", action="store_true", help="ours with one time step for the whole grid")
    parser.add_argument("--save", default=None, help="save the DEM and both engines' max depths to this .npz")
    parser.add_argument("--landlab-from", default=None, help="landlab's max depths from an .npz of --save (no rerun)")
    parser.add_argument("--noise", type=float, default=0.05, help="cell noise of the synthetic DEM (m)")
    parser.add_argument("--dem-file", default=None, help="a DEM GeoTIFF instead of the synthetic DEM (--window)")
    parser.add_argument("--window", default="0,0", help="ROW,COL of the --dem-file window's corner (--size cells)")
    parser.add_argument("--dem-scale", type=float, default=1.0, help="--dem-file values x this = m (0.01 for cm)")
    args = parser.parse_args()
    if args.threads:
        import numba

        numba.set_num_threads(args.threads)
    try:
        import landlab

        have_landlab = not args.no_landlab
    except Exception:
        have_landlab = False
    args.ring = have_landlab or bool(args.landlab_from)
    filled = None
    if args.dem_file:
        row, col = (int(v) for v in args.window.split(","))
        dem, filled = dem_window(args.dem_file, row, col, args.size, args.dem_scale)
    else:
        dem = synthetic_dem(args.size, noise_m=args.noise)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    ours, ours_hmax = run_ours(dem, args)
    ours["load_average_1min"] = load
    print(json.dumps(ours))
    if args.no_landlab:
        return
    try:
        if not args.landlab_from:
            import landlab  # noqa: F401
    except Exception as exc:  # missing, or landlab 2.10+ on Python 3.11 (it needs 3.12): any import error
        print(json.dumps({"engine": "landlab OverlandFlow", "missing": f"landlab does not import: {exc!r}"}))
        return
    if args.landlab_from:
        theirs_hmax = np.load(args.landlab_from)["landlab"]
        theirs = {"engine": "landlab OverlandFlow", "from": args.landlab_from}
    else:
        theirs, theirs_hmax = run_landlab(dem, args)
    print(json.dumps(theirs))
    if args.save:
        np.savez_compressed(args.save, dem=dem, ours=ours_hmax, landlab=theirs_hmax)
    result = agreement(ours_hmax, theirs_hmax, dem)
    result["dem"] = f"{args.dem_file} window {args.window}" if args.dem_file else f"synthetic, noise {args.noise} m"
    if filled is not None:
        result["nodata_cells_filled"] = filled
    if not args.landlab_from:
        result["speed_ratio"] = round(ours["cell_updates_per_s"] / max(theirs["cell_updates_per_s"], 1), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
