"""Time the workshop's dynamic check of a sketch on a dossier: the map stage, then the series stage.

    python benchmarks/time_dynamic_stages.py DOSSIER.toml SKETCH.gpkg [--buffer-m 300] [--storms 10,1000]

Runs :meth:`alliantie.web.indicators.service.IndicatorService.dynamic` as the dynamic worker does
(``fast_level=False``): ``stage="map"`` (today's map storm), then ``stage="series"`` (the storms of the expected
annual damage, default today's whole series; the map storm's runs taken over). Prints, as they happen, the
seconds of every run of the 2-D engine (the check asks ``should_stop`` before each), then per stage its seconds,
windows, buildings kept dry, impassable road before and after, and the series stage's EAD in the windows
before, after and avoided (EUR/year, mean amount).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import geopandas as gpd
import shapely.geometry

from alliantie.web.indicators.service import IndicatorService, SketchInput


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossier", type=Path)
    parser.add_argument("sketch", type=Path)
    parser.add_argument("--buffer-m", type=float, default=300.0)
    parser.add_argument("--storms", type=str, default=None, help="return periods of the EAD (default: the series)")
    args = parser.parse_args()
    storms = None if args.storms is None else tuple(float(t) for t in args.storms.split(","))
    frame = gpd.read_file(args.sketch).to_crs("EPSG:4326")
    sketches = [SketchInput(str(i), str(row.measure), json.loads(json.dumps(shapely.geometry.mapping(row.geometry))),
                            width_m=None, count=None) for i, row in enumerate(frame.itertuples())]
    service = IndicatorService(args.dossier, dynamic_buffer_m=args.buffer_m, dynamic_return_periods=storms,
                               fast_level=False)
    t0 = time.perf_counter()
    service.warm()
    print(f"warm {time.perf_counter() - t0:.1f} s; EAD storms {service.ead_return_periods()}", flush=True)
    last = [time.perf_counter()]

    def tick() -> bool:
        now = time.perf_counter()
        print(f"  run of the 2-D engine starts ({now - last[0]:.1f} s since the last)", flush=True)
        last[0] = now
        return False

    for stage in ("map", "series"):
        t0 = last[0] = time.perf_counter()
        out = service.dynamic(sketches, should_stop=tick, stage=stage)
        check = out["check"]
        if check is None:
            print(f"{stage}: no measure acts on pluvial flooding")
            return
        print(f"{stage}: {time.perf_counter() - t0:.1f} s, windows {check['windows']} ({check['cells']} cells), "
              f"storms {check['return_periods']}, kept dry {out['replace']['buildings_kept_dry']}, impassable road "
              f"{check['roads_impassable_before_m']} -> {check['roads_impassable_after_m']} m, EAD in the windows "
              f"{check['ead_before_eur']} -> {check['ead_after_eur']}, avoided "
              f"{out.get('avoided_damage_eur_per_year', {}).get('pluvial')} EUR/year", flush=True)


if __name__ == "__main__":
    main()
