"""What walking a grid tile by tile costs against walking it row by row: ns per cell, one thread.

The overland engine's tile kernels (local time steps) cost about three times the row
kernels per cell update. This isolates the walk: one multiply-add per cell over six
float64 arrays (``--size`` square), done row by row, and tile by tile (``--tile`` square)
with row slices, with whole-row views and with 2-D indexing. CPU time over ``--repeat``
walks, after one walk to compile.

Usage::

    .venv/bin/python benchmarks/profile_tile_traversal.py --size 512 --tile 32 --repeat 200
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit

_OPTIONS: dict[str, Any] = {"cache": False, "fastmath": True, "error_model": "numpy"}


@njit(**_OPTIONS)
def by_rows(a: Any, b: Any, c: Any, d: Any, e: Any, f: Any, tile: int) -> None:
    for i in range(a.shape[0]):
        ar, br, cr, dr, er, fr = a[i], b[i], c[i], d[i], e[i], f[i]
        for j in range(a.shape[1]):
            ar[j] = br[j] * cr[j] + dr[j] * er[j] - fr[j]


@njit(**_OPTIONS)
def tiles_row_slices(a: Any, b: Any, c: Any, d: Any, e: Any, f: Any, tile: int) -> None:
    ny, nx = a.shape
    for r0 in range(0, ny, tile):
        for c0 in range(0, nx, tile):
            for i in range(r0, min(r0 + tile, ny)):
                c1 = min(c0 + tile, nx)
                ar, br, cr, dr, er, fr = a[i, c0:c1], b[i, c0:c1], c[i, c0:c1], d[i, c0:c1], e[i, c0:c1], f[i, c0:c1]
                for jj in range(c1 - c0):
                    ar[jj] = br[jj] * cr[jj] + dr[jj] * er[jj] - fr[jj]


@njit(**_OPTIONS)
def tiles_row_views(a: Any, b: Any, c: Any, d: Any, e: Any, f: Any, tile: int) -> None:
    ny, nx = a.shape
    for r0 in range(0, ny, tile):
        for c0 in range(0, nx, tile):
            for i in range(r0, min(r0 + tile, ny)):
                ar, br, cr, dr, er, fr = a[i], b[i], c[i], d[i], e[i], f[i]
                for j in range(c0, min(c0 + tile, nx)):
                    ar[j] = br[j] * cr[j] + dr[j] * er[j] - fr[j]


@njit(**_OPTIONS)
def tiles_2d_index(a: Any, b: Any, c: Any, d: Any, e: Any, f: Any, tile: int) -> None:
    ny, nx = a.shape
    for r0 in range(0, ny, tile):
        for c0 in range(0, nx, tile):
            for i in range(r0, min(r0 + tile, ny)):
                for j in range(c0, min(c0 + tile, nx)):
                    a[i, j] = b[i, j] * c[i, j] + d[i, j] * e[i, j] - f[i, j]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--tile", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    arrays = [rng.random((args.size, args.size)) for _ in range(6)]
    walks: list[Callable[..., None]] = [by_rows, tiles_row_slices, tiles_row_views, tiles_2d_index]
    for walk in walks:
        walk(*arrays, args.tile)
    for _ in range(2):  # two rounds, alternately
        for walk in walks:
            start = time.process_time()
            for _ in range(args.repeat):
                walk(*arrays, args.tile)
            ns = (time.process_time() - start) / args.repeat / args.size**2 * 1e9
            print(f"{walk.__name__}: {ns:.2f} ns per cell")


if __name__ == "__main__":
    main()
