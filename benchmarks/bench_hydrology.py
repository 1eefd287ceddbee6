"""Hydrology kernels side by side with the libraries a user would otherwise pick.

    .venv/bin/python benchmarks/bench_hydrology.py --sizes 1000 4000 [8000] [--repeat 3]

For each size a seeded synthetic DEM (float32, no nodata): smooth noise at
several scales (8, 32, 128, n/4 and n cells across; amplitudes 40, 10, 3, 1,
0.3 m), a tilt of 20 m across the grid, rounded to centimetres like AHN. About
a quarter of the cells lie in depressions, and the rounding makes flats.

Tasks
  fill    ours (fill_depressions), TopoToolbox (GridObject.fillsinks), RichDEM
          (FillDepressions, epsilon=False), pysheds (Grid.fill_depressions),
          pyflwdir (pyflwdir.dem.fill_depressions; also returns D8).
          xarray-spatial has no depression filling (checked: version printed).
  d8acc   on our filled DEM: ours (flow_directions with flats resolved +
          flow_accumulation), pysheds (resolve_flats + flowdir + accumulation;
          np.in1d is aliased to np.isin for it under numpy >= 2.4),
          pyflwdir (from_dem, which fills again, + upstream_area), RichDEM
          (FlowAccumulation method D8: directions and accumulation; flats not
          routed), TopoToolbox (FlowObject, which fills and routes flats
          itself, + flow_accumulation).

Each library runs in its own subprocess on the DEM saved as .npy: a warm-up
call on a 64 x 64 corner (numba compilation, lazy imports), then ``--repeat``
timed calls; the best time is reported. Peak memory is the growth of the
process's peak resident set (``VmHWM`` in /proc/self/status, as
``resource.getrusage`` maxrss) during the first full-size call, over the peak
after loading the DEM and the warm-up: it counts C/C++ allocations as well as
numpy's (tracemalloc would miss the former). Bit-identity of our fill is checked
against TopoToolbox's and RichDEM's outputs in the parent process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

FILL_LIBS = ["ours", "topotoolbox", "richdem", "pysheds", "pyflwdir"]
D8_LIBS = ["ours", "pysheds", "pyflwdir", "richdem", "topotoolbox"]
REFERENCE = {"fill": "topotoolbox", "d8acc": "pysheds"}


def synthetic_dem(n: int, seed: int = 42) -> np.ndarray:
    """Seeded synthetic DEM of n x n cells, float32 (see the module docstring)."""
    from scipy import ndimage

    rng = np.random.default_rng(seed)
    z = np.zeros((n, n), np.float32)
    for cells, amplitude in [(8, 40.0), (32, 10.0), (128, 3.0), (n // 4, 1.0), (n, 0.3)]:
        m = max(2, min(n, cells))
        small = rng.standard_normal((m, m)).astype(np.float32)
        big = ndimage.zoom(small, n / m, order=3 if m < n // 4 else 1, prefilter=False)[:n, :n] if m < n else small
        z += amplitude * big / max(float(big.std()), 1e-6)
    y, x = np.mgrid[0:n, 0:n].astype(np.float32)
    z += 20.0 * (x + 0.5 * y) / n
    return np.round(z, 2).astype(np.float32)


# ---------------------------------------------------------------- worker side


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _fill_call(lib: str) -> Any:
    if lib == "ours":
        from alliantie.hydrology import fill_depressions

        return fill_depressions
    if lib == "topotoolbox":
        import topotoolbox as tt

        def tt_fill(dem: np.ndarray) -> np.ndarray:
            grid = tt.GridObject()
            grid.z = dem
            grid.cellsize = 1.0
            return np.asarray(grid.fillsinks().z)

        return tt_fill
    if lib == "richdem":
        import richdem as rd

        def rd_fill(dem: np.ndarray) -> np.ndarray:
            return np.asarray(rd.FillDepressions(rd.rdarray(dem, no_data=-9999.0), epsilon=False, in_place=False))

        return rd_fill
    if lib == "pysheds":
        from pysheds.grid import Grid
        from pysheds.sview import Raster, ViewFinder

        def ps_fill(dem: np.ndarray) -> np.ndarray:
            view = ViewFinder(shape=dem.shape, nodata=np.float32(-9999.0))
            grid = Grid(viewfinder=view)
            return np.asarray(grid.fill_depressions(Raster(dem, viewfinder=view)))

        return ps_fill
    if lib == "pyflwdir":
        import pyflwdir

        def pf_fill(dem: np.ndarray) -> np.ndarray:
            filled, _ = pyflwdir.dem.fill_depressions(dem, nodata=-9999.0)
            return np.asarray(filled)

        return pf_fill
    raise ValueError(lib)


def _d8acc_call(lib: str) -> Any:
    if lib == "ours":
        from alliantie.hydrology import flow_accumulation, flow_directions

        return lambda dem: flow_accumulation(flow_directions(dem))
    if lib == "pysheds":
        from pysheds.grid import Grid
        from pysheds.sview import Raster, ViewFinder

        if not hasattr(np, "in1d"):  # pysheds 0.5 resolve_flats still calls np.in1d (removed in numpy 2.4)
            np.in1d = np.isin  # type: ignore[attr-defined]

        def ps(dem: np.ndarray) -> np.ndarray:
            view = ViewFinder(shape=dem.shape, nodata=np.float32(-9999.0))
            grid = Grid(viewfinder=view)
            inflated = grid.resolve_flats(Raster(dem, viewfinder=view))
            fdir = grid.flowdir(inflated)
            return np.asarray(grid.accumulation(fdir))

        return ps
    if lib == "pyflwdir":
        import pyflwdir

        def pf(dem: np.ndarray) -> np.ndarray:
            flw = pyflwdir.from_dem(dem, nodata=-9999.0)
            return np.asarray(flw.upstream_area(unit="cell"))

        return pf
    if lib == "richdem":
        import richdem as rd

        def rdd8(dem: np.ndarray) -> np.ndarray:
            return np.asarray(rd.FlowAccumulation(rd.rdarray(dem, no_data=-9999.0), method="D8"))

        return rdd8
    if lib == "topotoolbox":
        import topotoolbox as tt

        def ttd8(dem: np.ndarray) -> np.ndarray:
            grid = tt.GridObject()
            grid.z = dem
            grid.cellsize = 1.0
            return np.asarray(tt.FlowObject(grid).flow_accumulation().z)

        return ttd8
    raise ValueError(lib)


def worker(task: str, lib: str, dem_path: str, repeat: int, out_path: str) -> None:
    import contextlib
    import io

    dem = np.load(dem_path)
    call = _fill_call(lib) if task == "fill" else _d8acc_call(lib)
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        call(np.ascontiguousarray(dem[:64, :64]))
    base = _peak_rss_mb()
    times = []
    result = None
    peak = 0.0
    for i in range(repeat):
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            t0 = time.perf_counter()
            result = call(dem)
            times.append(time.perf_counter() - t0)
        if i == 0:
            peak = _peak_rss_mb() - base
    if out_path and result is not None:
        np.save(out_path, np.asarray(result))
    print(json.dumps({"best_s": min(times), "times": times, "peak_mb": peak}))


# ---------------------------------------------------------------- parent side


def run_one(task: str, lib: str, dem_path: Path, repeat: int, out_path: str, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", task, lib, str(dem_path), str(repeat), out_path]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
    return {"error": tail[0][:120]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per library (best is reported)")
    parser.add_argument("--tasks", nargs="+", default=["fill", "d8acc"], choices=["fill", "d8acc"])
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per library and size")
    parser.add_argument("--workdir", type=Path, default=None, help="where DEMs and outputs go (default: a temp dir)")
    parser.add_argument("--worker", nargs=5, metavar=("TASK", "LIB", "DEM", "REPEAT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        task, lib, dem_path, repeat, out_path = args.worker
        worker(task, lib, dem_path, int(repeat), out_path)
        return

    import platform

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench_hydrology_"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(_versions())
    print("peak = growth of peak RSS (VmHWM) during the first full-size call, per cell in bytes\n")
    header = (
        f"{'task':6} {'size':>6} {'library':12} {'best s':>8} {'Mcells/s':>9} "
        f"{'peak MB':>8} {'B/cell':>7} {'ratio':>7}  note"
    )
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        dem_path = workdir / f"dem_{n}.npy"
        if not dem_path.exists():
            np.save(dem_path, synthetic_dem(n))
        for task in args.tasks:
            libs = FILL_LIBS if task == "fill" else D8_LIBS
            input_path = dem_path
            if task == "d8acc":
                input_path = workdir / f"filled_{n}.npy"
                if not input_path.exists():
                    from alliantie.hydrology import fill_depressions

                    np.save(input_path, fill_depressions(np.load(dem_path)))
            results: dict[str, dict[str, Any]] = {}
            for lib in libs:
                out_path = str(workdir / f"{task}_{lib}_{n}.npy") if task == "fill" else ""
                results[lib] = run_one(task, lib, input_path, args.repeat, out_path, args.timeout)
            ours_fill = np.load(workdir / f"fill_ours_{n}.npy") if task == "fill" else None
            ref = results.get(REFERENCE[task], {}).get("best_s")
            for lib in libs:
                res = results[lib]
                if "error" in res:
                    print(f"{task:6} {n:>6} {lib:12} {'-':>8} {'-':>9} {'-':>8} {'-':>7} {'-':>7}  {res['error']}")
                    continue
                best = res["best_s"]
                note = ""
                if task == "fill" and lib != "ours" and ours_fill is not None:
                    other = np.load(workdir / f"fill_{lib}_{n}.npy")
                    same = other.dtype == ours_fill.dtype and np.array_equal(other, ours_fill, equal_nan=True)
                    note = "ours bit-identical" if same else f"differs from ours ({other.dtype})"
                ratio = f"{best / ref:.2f}" if ref else "-"
                mcells = n * n / best / 1e6
                per_cell = res["peak_mb"] * 1024 * 1024 / (n * n)
                print(
                    f"{task:6} {n:>6} {lib:12} {best:8.3f} {mcells:9.1f} "
                    f"{res['peak_mb']:8.0f} {per_cell:7.1f} {ratio:>7}  {note}"
                )
        print()
    print(f"ratio = time / time of the reference ({REFERENCE['fill']} for fill, {REFERENCE['d8acc']} for d8acc)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}; outputs in {workdir}")


def _versions() -> str:
    from importlib import metadata

    parts = []
    for dist in ["numba", "numpy", "topotoolbox", "richdem2", "pysheds", "pyflwdir", "xarray-spatial"]:
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist} -")
    return ", ".join(parts) + " (xarray-spatial: no depression filling, not timed)"


if __name__ == "__main__":
    main()
