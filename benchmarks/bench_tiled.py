"""Tiled depression filling (Barnes 2016) on a synthetic DEM larger than one wants in memory.

Writes a seeded synthetic DEM as a tiled GeoTIFF window by window (never whole in
memory), fills it file to file with :func:`alliantie.hydrology.tiled.fill_geotiff_tiled`
on Dask (threads, or a ``distributed.LocalCluster`` with ``--workers`` processes of one
thread and ``--memory-limit`` each) and prints wall time, Mcells/s and peak memory of
this process and of every worker. ``--verify`` then compares the output file with the
in-memory fill of the whole DEM (needs the DEM in memory: only for sizes that fit).

    python benchmarks/bench_tiled.py --size 20000 --tile 4096 --workers 2 --memory-limit 4GB
    python benchmarks/bench_tiled.py --size 3000 --tile 512 --workers 2 --verify
    /usr/bin/time -v python benchmarks/bench_tiled.py --size 20000 --workers 0   # threads, no cluster

The synthetic DEM: gentle relief (sines over several kilometres and tens of metres),
a slope, seeded noise (many small pits) and circular nodata "lakes" (NaN) placed
independently of the tile grid, so many cross tile seams.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _lakes(size: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed + 1)
    n = max(1, size * size // 4_000_000)
    centres = rng.uniform(0, size, (n, 2))
    radii = rng.uniform(5, max(6.0, size / 200), n)
    return np.column_stack([centres, radii])


def synthetic_window(size: int, seed: int, row0: int, rows: int, lakes: np.ndarray) -> np.ndarray:
    """Rows ``row0 .. row0+rows`` of the synthetic ``size`` x ``size`` DEM (float32, NaN = nodata)."""
    y = np.arange(row0, row0 + rows, dtype=np.float64)[:, None]
    x = np.arange(size, dtype=np.float64)[None, :]
    z = 3.0 * np.sin(x / 517.0) * np.sin(y / 711.0) + 0.8 * np.sin(x / 41.0 + y / 67.0) + 0.0004 * (x + 0.5 * y)
    noise = np.random.default_rng([seed, row0]).random((rows, size))
    z = (z + 0.25 * noise).astype(np.float32)
    for cx, cy, radius in lakes:
        if cy + radius < row0 or cy - radius > row0 + rows:
            continue
        c0, c1 = max(0, int(cx - radius)), min(size, int(cx + radius) + 1)
        inside = (x[:, c0:c1] - cx) ** 2 + (y - cy) ** 2 <= radius**2
        z[:, c0:c1][inside] = np.nan
    return z


def write_synthetic(path: Path, size: int, seed: int, strip: int = 512) -> None:
    """Write the synthetic DEM as a tiled (512 x 512) GeoTIFF, ``strip`` rows at a time."""
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    lakes = _lakes(size, seed)
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "count": 1,
        "dtype": "float32",
        "nodata": float("nan"),
        "crs": "EPSG:28992",
        "transform": from_origin(100_000.0, 500_000.0 + size * 0.5, 0.5, 0.5),
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "BIGTIFF": "YES",
    }
    with rasterio.open(path, "w", **profile) as dst:
        for row0 in range(0, size, strip):
            rows = min(strip, size - row0)
            dst.write(synthetic_window(size, seed, row0, rows, lakes), 1, window=Window(0, row0, size, rows))


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (MB; ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_IN_MEMORY = """
import resource, sys, time
import numpy as np, rasterio
engine, src, dst = sys.argv[1:4]
with rasterio.open(src) as ds:
    dem = ds.read(1)
started = time.perf_counter()
if engine == "alliantie":
    from alliantie.hydrology import fill_depressions
    out = fill_depressions(dem)
else:
    import topotoolbox
    grid = topotoolbox.GridObject()
    grid.z = dem
    grid.cellsize = 1.0
    out = grid.fillsinks().z
seconds = time.perf_counter() - started
del dem
with rasterio.open(dst) as ds:
    same = bool(np.array_equal(ds.read(1), out, equal_nan=True))
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, same)
"""


def _in_memory(engine: str, src: Path, dst: Path) -> tuple[str, float, float, bool]:
    """Fill the whole DEM in memory in a fresh process: (name, seconds, peak RSS MB incl. reading, == tiled)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", _IN_MEMORY, engine, str(src), str(dst)], check=True, capture_output=True, text=True
    )
    seconds, peak, same = done.stdout.split()[-3:]
    name = {"alliantie": "alliantie fill_depressions", "topotoolbox": "topotoolbox fillsinks"}[engine]
    return name, float(seconds), float(peak), same == "True"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000, help="cells per side of the synthetic DEM")
    parser.add_argument("--tile", type=int, default=4096, help="cells per side of a tile")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers (1 thread each); 0 = threads")
    parser.add_argument("--threads", type=int, default=2, help="threads when --workers 0")
    parser.add_argument("--memory-limit", default="4GB", help="memory limit per LocalCluster worker")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--dir", type=Path, default=None, help="folder for the GeoTIFFs (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="reuse an existing input DEM of the same size and seed")
    parser.add_argument("--compress", default="none", help="output compression (none, deflate, lzw, zstd)")
    parser.add_argument(
        "--reuse-output", action="store_true", help="skip the tiled fill; verify/compare an existing output"
    )
    parser.add_argument("--verify", action="store_true", help="compare with the in-memory fill (DEM must fit)")
    parser.add_argument(
        "--compare", action="store_true", help="as --verify, and also TopoToolbox fillsinks (bench extra)"
    )
    args = parser.parse_args()

    from alliantie.hydrology.tiled import fill_geotiff_tiled

    folder = args.dir or Path(tempfile.mkdtemp(prefix="alliantie-tiled-"))
    folder.mkdir(parents=True, exist_ok=True)
    src = folder / f"synthetic_{args.size}_seed{args.seed}.tif"
    dst = folder / f"filled_{args.size}_tile{args.tile}.tif"
    cells = args.size * args.size
    print(
        f"synthetic DEM {args.size} x {args.size} = {cells / 1e6:.0f} Mcells float32 ({cells * 4 / 1e9:.2f} GB), {src}"
    )
    if not (args.keep and src.exists()):
        started = time.perf_counter()
        write_synthetic(src, args.size, args.seed)
        print(f"  written window by window in {time.perf_counter() - started:.1f} s")

    # warm the numba cache outside the timing (compilation is cached on disk after the first run)
    from alliantie.hydrology.tiled import fill_blocks_numpy

    fill_blocks_numpy(np.ones((4, 4), np.float32), None, [2, 2], [2, 2])

    wall = float("nan")
    tiled_peak: float | None = None
    if not args.reuse_output:
        client = cluster = None
        if args.workers > 0:
            from distributed import Client, LocalCluster

            cluster = LocalCluster(
                n_workers=args.workers,
                threads_per_worker=1,
                memory_limit=args.memory_limit,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
            client.run(lambda: fill_blocks_numpy(np.ones((4, 4), np.float32), None, [2, 2], [2, 2]) is not None)
            where = f"LocalCluster {args.workers} workers x 1 thread, memory_limit {args.memory_limit}"
        else:
            where = f"threaded scheduler, {args.threads} threads"
        compress = None if args.compress == "none" else args.compress
        started = time.perf_counter()
        fill_geotiff_tiled(src, dst, tile=args.tile, client=client, num_workers=args.threads, compress=compress)
        wall = time.perf_counter() - started
        print(f"tiled fill, tile {args.tile}, {where}")
        print(f"  wall {wall:.1f} s, {cells / wall / 1e6:.2f} Mcells/s")
        print(f"  peak RSS this process {_peak_rss_mb():.0f} MB ({_peak_rss_mb() * 1e6 / cells:.2f} B/cell)")
        tiled_peak = _peak_rss_mb()
        if client is not None:
            peaks = client.run(_worker_peak_rss_mb)
            for address, peak in sorted(peaks.items()):
                print(f"  peak RSS worker {address}: {peak:.0f} MB")
            total = _peak_rss_mb() + sum(peaks.values())
            tiled_peak = total
            print(f"  peak RSS process + workers (sum of peaks) {total:.0f} MB ({total * 1e6 / cells:.2f} B/cell)")
            client.close()
            cluster.close()  # type: ignore[union-attr]

    if args.verify or args.compare:
        rows = [] if args.reuse_output else [("tiled (this run, + workers)", wall, tiled_peak, True)]
        engines = ["alliantie"] + (["topotoolbox"] if args.compare else [])
        for engine in engines:
            rows.append(_in_memory(engine, src, dst))
        print(f"side by side on the same DEM ({cells / 1e6:.0f} Mcells), whole DEM in memory for the others:")
        print(f"  {'engine':<28}{'time s':>9}{'Mcells/s':>10}{'peak MB':>10}{'B/cell':>8}{'== tiled':>10}")
        for name, seconds, peak, same in rows:  # peak: whole process incl. reading the DEM
            peak_text = f"{peak:10.0f}{peak * 1e6 / cells:8.1f}" if peak is not None else f"{'':>10}{'':>8}"
            print(f"  {name:<28}{seconds:9.1f}{cells / seconds / 1e6:10.2f}{peak_text}{same!s:>10}")
        if not all(row[3] for row in rows):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
