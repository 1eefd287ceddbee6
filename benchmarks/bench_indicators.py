"""The workshop's live indicators (:class:`alliantie.web.indicators.IndicatorService`) on a run dossier.

    .venv/bin/python benchmarks/bench_indicators.py DOSSIER.toml [--counts 1 10 30] [--seed 1]

Times ``warm()`` (the saved baseline read and prepared for the fast level) and
``compute()`` for N sketches drawn next to random buildings of the dossier (a mix
of wadis, water squares, street trees, green roofs and cool places, GeoJSON in
EPSG:4326 as the browser sends them), with two syntheses of half the sketches each:

cold     every sketch new (nothing cached): N sketches alone + 2 groups + the total;
change   the same N with one sketch moved (what a participant's edit costs: that
         sketch alone, the groups holding it and the total).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry

from alliantie.web.indicators import IndicatorService, SketchInput

MIX = ("wadi", "water_square", "street_trees", "green_roof", "cool_place")


def sketches(service: IndicatorService, n: int, rng: np.random.Generator, tag: str) -> list[SketchInput]:
    baseline = service.baseline
    frame = baseline.buildings.frame
    out = []
    for i in range(n):
        k = int(rng.integers(len(frame)))
        centre = frame.geometry.iloc[k].centroid
        measure = MIX[i % len(MIX)]
        dx, dy = rng.uniform(-40, 40, 2)
        if measure == "street_trees":
            shape: shapely.Geometry = shapely.LineString([(centre.x + dx - 60, centre.y + dy),
                                                          (centre.x + dx + 60, centre.y + dy)])
        elif measure == "green_roof":
            shape = frame.geometry.iloc[k].representative_point()
        else:
            shape = shapely.box(centre.x + dx - 15, centre.y + dy - 15, centre.x + dx + 15, centre.y + dy + 15)
        geo = gpd.GeoSeries([shape], crs=baseline.grid.crs).to_crs("EPSG:4326").iloc[0]
        out.append(SketchInput(id=f"{tag}{i}", measure=measure, geometry=shapely.geometry.mapping(geo)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dossier", type=Path)
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    service = IndicatorService(args.dossier)
    t0 = time.perf_counter()
    service.warm()
    grid = service.baseline.grid
    print(f"{args.dossier}: grid {grid.width} x {grid.height} cells of {grid.res:g} m; "
          f"warm {time.perf_counter() - t0:.2f} s")
    rng = np.random.default_rng(args.seed)
    for n in args.counts:
        drawn = sketches(service, n, rng, f"n{n}-")
        ids = [s.id for s in drawn]
        groups = {"veerkracht": ids[::2], "regionale_economie": ids[1::2]}
        t0 = time.perf_counter()
        out = service.compute(drawn, groups)
        cold = time.perf_counter() - t0
        moved = [*drawn[:-1], sketches(service, 1, rng, f"n{n}-moved")[0]]
        moved[-1] = SketchInput(id=drawn[-1].id, measure=moved[-1].measure, geometry=moved[-1].geometry)
        t0 = time.perf_counter()
        service.compute(moved, groups)
        change = time.perf_counter() - t0
        total = out["total"]
        print(f"N={n:3d}: cold {cold:6.2f} s, one sketch changed {change:6.2f} s; errors {len(out['errors'])}; "
              f"kept dry {total['buildings_kept_dry']}, stored {total['water_stored_m3']:.0f} m3, "
              f"residents cooled {total['residents_cooled']}, investment {total['investment_eur']:.0f} EUR")


if __name__ == "__main__":
    main()
