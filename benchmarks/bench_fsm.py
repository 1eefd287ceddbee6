"""Fill-spill-merge: alliantie against RichDEM (richdem2), side by side on the same DEMs.

Seeded synthetic DEMs (float32, metres): smooth hills (Gaussian-filtered noise at
two scales) plus 5 cm of cell noise, which gives many small pits as in AHN data.
Both engines get the same uniform runoff. For each size the script prints wall time,
Mcells/s, peak memory (growth of the peak RSS over the RSS after importing and
loading the DEM, in a fresh child process per engine and size; the DEM itself is not
counted), the ratio ours / RichDEM, and the agreement of the depth fields
(max |difference|, share of cells within 1 mm).

RichDEM's fill-spill-merge is ``richdem.get_depression_hierarchy`` followed by
``richdem.fill_spill_merge`` (the water-table-depth raster in and out); its grid
edge is the "ocean" (as our convention: edge cells never hold water). It recurses
deeply: above about 50 M cells run with ``ulimit -s unlimited``.

Usage::

    .venv/bin/python benchmarks/bench_fsm.py --sizes 1000 4000 [--runoff 0.05] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from typing import Any

import numpy as np


def synthetic_dem(n: int, seed: int = 42) -> np.ndarray:
    """Seeded synthetic DEM (float32, m): hills of a few hundred metres across, 5 cm noise."""
    from scipy.ndimage import gaussian_filter

    rng = np.random.default_rng(seed)
    base = gaussian_filter(rng.standard_normal((n, n)).astype(np.float32), sigma=n / 40)
    base *= 20.0 / max(float(base.std()), 1e-9)
    hills = gaussian_filter(rng.standard_normal((n, n)).astype(np.float32), sigma=4)
    hills *= 1.0 / max(float(hills.std()), 1e-9)
    noise = rng.standard_normal((n, n)).astype(np.float32) * 0.05
    return (base + hills + noise + 10.0).astype(np.float32)


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _run_ours(dem: np.ndarray, runoff: float) -> np.ndarray:
    from alliantie.hydrology.fsm import fill_spill_merge

    res = fill_spill_merge(dem, runoff)
    return np.asarray(res.depth)


def _run_richdem(dem: np.ndarray, runoff: float) -> np.ndarray:
    import contextlib
    import io

    import richdem as rd

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        rdem = rd.rdarray(dem.astype(np.float64), no_data=-9999.0)
        rdem.geotransform = rd.STANDARD_GEOTRANSFORM
        labels = rd.get_new_depression_hierarchy_labels(dem.shape)
        deps, flowdirs = rd.get_depression_hierarchy(rdem, labels)
        wtd = rd.rdarray(np.full(dem.shape, runoff, dtype=np.float64), no_data=-9999.0)
        wtd.geotransform = rd.STANDARD_GEOTRANSFORM
        rd.fill_spill_merge(rdem, labels, flowdirs, deps, wtd)
    return np.asarray(wtd)


def _child(engine: str, dem_path: str, runoff: float, repeat: int, out_path: str, conn: Any) -> None:
    """Run one engine in a fresh process; report time, peak memory; save the depth."""
    dem = np.load(dem_path)
    fn = _run_ours if engine == "alliantie" else _run_richdem
    if engine == "alliantie":
        fn(dem[:64, :64], runoff)  # numba: load the compiled kernels outside the timing
    else:
        import richdem  # noqa: F401  (imported before the memory baseline)
    base = _rss_kib()
    times = []
    depth = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        depth = fn(dem, runoff)
        times.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    # peak RSS growth over the loaded DEM (the imports and the DEM are in ``base``)
    assert depth is not None
    np.save(out_path, depth.astype(np.float32))
    conn.send({"time": min(times), "peak_mib": max(peak - base, 0) / 1024.0})
    conn.close()


def _measure(engine: str, dem_path: str, runoff: float, repeat: int, out_path: str) -> dict[str, float]:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(engine, dem_path, runoff, repeat, out_path, child))
    proc.start()
    result = parent.recv()
    proc.join()
    return dict(result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--runoff", type=float, default=0.05, help="uniform runoff (m)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--tmp", default="/tmp/bench_fsm")
    parser.add_argument("--json", default=None, help="write the rows to this JSON file")
    args = parser.parse_args(argv)
    os.makedirs(args.tmp, exist_ok=True)
    soft, _hard = resource.getrlimit(resource.RLIMIT_STACK)
    print(f"stack limit: {'unlimited' if soft == resource.RLIM_INFINITY else soft}; cpus: {os.cpu_count()}")
    header = (
        f"{'size':>6} {'engine':>10} {'time_s':>8} {'Mcells/s':>9} {'peak_MiB':>9} {'B/cell':>7} "
        f"{'ratio':>6} {'max|dd|_m':>10} {'<=1mm':>7}"
    )
    print(header)
    rows = []
    for n in args.sizes:
        cells = n * n
        res: dict[str, dict[str, float]] = {}
        dem_path = os.path.join(args.tmp, f"dem_{n}.npy")
        np.save(dem_path, synthetic_dem(n))
        for engine in ("alliantie", "richdem"):
            path = os.path.join(args.tmp, f"{engine}_{n}.npy")
            res[engine] = _measure(engine, dem_path, args.runoff, args.repeat, path)
        ours = np.load(os.path.join(args.tmp, f"alliantie_{n}.npy"))
        theirs = np.load(os.path.join(args.tmp, f"richdem_{n}.npy"))
        diff = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
        max_diff = float(np.nanmax(diff))
        within = float(np.mean(diff <= 1e-3))
        ratio = res["alliantie"]["time"] / res["richdem"]["time"]
        for engine in ("alliantie", "richdem"):
            r = res[engine]
            row = {
                "size": n,
                "engine": engine,
                "time_s": r["time"],
                "mcells_s": cells / r["time"] / 1e6,
                "peak_mib": r["peak_mib"],
                "bytes_per_cell": r["peak_mib"] * 2**20 / cells,
                "ratio": ratio if engine == "alliantie" else 1.0,
                "max_abs_diff_m": max_diff if engine == "alliantie" else 0.0,
                "share_within_1mm": within if engine == "alliantie" else 1.0,
            }
            rows.append(row)
            print(
                f"{n:>6} {engine:>10} {row['time_s']:>8.3f} {row['mcells_s']:>9.2f} {row['peak_mib']:>9.1f} "
                f"{row['bytes_per_cell']:>7.1f} {row['ratio']:>6.2f} {row['max_abs_diff_m']:>10.2e} "
                f"{row['share_within_1mm']:>7.4f}",
                flush=True,
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
