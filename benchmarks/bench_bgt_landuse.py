"""BGT land cover rasterised into LGN land use and a paved share (``landuse = { codes = "bgt" }``), timed.

    .venv/bin/python benchmarks/bench_bgt_landuse.py [--size-m 2000] [--res 5] [--features 20000] [--panden 5000]

Seeded synthetic BGT GeoPackage in a temporary folder: one begroeid terreindeel covering the area
('grasland agrarisch'), ``--features`` random square onbegroeid terreindelen of 5-30 m with a fysiek voorkomen
drawn from five values, and ``--panden`` panden of 10 x 12 m. Times :func:`alliantie.dossier.bgt_landuse.
read_bgt_landuse` (read, classify, rasterise at ``ceil(res / 0.5)`` sub-cells per side) once.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from alliantie.dossier.bgt_landuse import _factor, read_bgt_landuse
from alliantie.grid import Grid
from alliantie.io.vector import write_vector_layers

COVERS = ["grasland overig", "gesloten verharding", "open verharding", "erf", "loofbos"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-m", type=float, default=2000.0)
    parser.add_argument("--res", type=float, default=5.0)
    parser.add_argument("--features", type=int, default=20000)
    parser.add_argument("--panden", type=int, default=5000)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    x0, y0 = 155000.0, 463000.0
    grid = Grid.from_bounds((x0, y0, x0 + args.size_m, y0 + args.size_m), args.res)
    n = args.features
    x, y = rng.uniform(x0, x0 + args.size_m, n), rng.uniform(y0, y0 + args.size_m, n)
    side = rng.uniform(5, 30, n)
    crs = "EPSG:28992"
    base = gpd.GeoDataFrame({"bgt-fysiekVoorkomen": ["grasland agrarisch"]}, geometry=[box(*grid.bounds)], crs=crs)
    terrain = gpd.GeoDataFrame({"bgt-fysiekVoorkomen": rng.choice(COVERS, n)},
                               geometry=[box(a, b, a + s, b + s) for a, b, s in zip(x, y, side, strict=True)], crs=crs)
    px, py = rng.uniform(x0, x0 + args.size_m, args.panden), rng.uniform(y0, y0 + args.size_m, args.panden)
    panden = gpd.GeoDataFrame({"lokaalID": np.arange(args.panden)},
                              geometry=[box(a, b, a + 10, b + 12) for a, b in zip(px, py, strict=True)], crs=crs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bgt.gpkg"
        write_vector_layers(path, [("begroeidterreindeel", base, None, None),
                                   ("onbegroeidterreindeel", terrain, None, None), ("pand", panden, None, None)])
        started = time.perf_counter()
        result = read_bgt_landuse(str(path), grid, target_crs=crs)
        seconds = time.perf_counter() - started
    total = 1 + n + args.panden
    print(f"{grid.width} x {grid.height} cells of {args.res:g} m, {_factor(grid)} sub-cells per side, "
          f"{total} BGT features: {seconds:.1f} s; mean paved share {result.mean_paved():.2f}")


if __name__ == "__main__":
    main()
