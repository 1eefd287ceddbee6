"""Memory of the workshop's dynamic-check worker: the RSS of a process holding its ``IndicatorService``.

    python benchmarks/bench_dynamic_worker_memory.py DEMO/dossier.toml [--fast-level]

Warms the service as the dynamic worker does (``fast_level=False``; with ``--fast-level`` as the fast worker
does), runs the dynamic check of one wadi (a 30 m ring by the middle building of the dossier), and prints the
RSS and its peak (``VmRSS``, ``VmHWM`` of ``/proc/self/status``, MiB) after the imports, the warm-up and the
check, then the numpy arrays (and building frames) the service holds, by where they hang, largest first.
The dossier's step 1 products must be there (``alliantie run``). Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any


def rss() -> dict[str, int]:
    """VmRSS and VmHWM of this process, MiB."""
    out: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            key, value = line.split(":")
            out[key] = round(int(value.split()[0]) / 1024)
    return out


def held(root: Any, depth: int = 7) -> dict[str, int]:
    """Bytes of the numpy arrays and GeoDataFrames reachable from ``root``, per path of attributes (each once)."""
    import geopandas as gpd
    import numpy as np

    seen: set[int] = set()
    found: dict[str, int] = {}

    def walk(o: Any, path: str, level: int) -> None:
        if id(o) in seen or level > depth or isinstance(o, (str, bytes, int, float, bool, type(None))):
            return
        seen.add(id(o))
        if isinstance(o, np.ndarray):
            found[path] = o.nbytes
        elif isinstance(o, gpd.GeoDataFrame):
            found[path] = int(o.memory_usage(deep=True).sum())
        elif isinstance(o, dict):
            for value in o.values():
                walk(value, path, level + 1)
        elif isinstance(o, (list, tuple)):
            for value in o:
                walk(value, path, level + 1)
        else:
            for key, value in getattr(o, "__dict__", {}).items():
                walk(value, f"{path}.{key}", level + 1)

    walk(root, "service", 0)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossier", type=Path)
    parser.add_argument("--fast-level", action="store_true", help="warm as the fast worker does")
    args = parser.parse_args()
    import geopandas as gpd
    import shapely

    from alliantie.web.indicators import IndicatorService, SketchInput

    print("imports", rss(), flush=True)
    service = IndicatorService(args.dossier, fast_level=args.fast_level)
    t0 = time.perf_counter()
    service.warm()
    print(f"warm-up {time.perf_counter() - t0:.1f} s", rss(), flush=True)
    baseline = service.baseline
    frame = baseline.buildings.frame
    footprint = frame.geometry.iloc[len(frame) // 2]
    ring = footprint.centroid.buffer(30).difference(footprint.buffer(2))
    geometry = gpd.GeoSeries([ring], crs=baseline.grid.crs).to_crs("EPSG:4326").iloc[0]
    sketch = SketchInput("a", "wadi", json.loads(json.dumps(shapely.geometry.mapping(geometry))))
    t0 = time.perf_counter()
    result = service.dynamic([sketch], stage="map")  # the map storm, as before the series stage existed
    print(f"check {time.perf_counter() - t0:.1f} s", rss(), flush=True)
    print(json.dumps(result["check"]))
    per: dict[str, int] = {}
    for path, size in held(service).items():
        key = ".".join(path.split(".")[:4])
        per[key] = per.get(key, 0) + size
    print(f"arrays and frames held: {sum(per.values()) / 2**20:.0f} MiB")
    for key, size in sorted(per.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {key}: {size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
