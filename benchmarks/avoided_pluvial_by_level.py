"""The fast and full levels' pluvial EAD of today (mean) before and after a sketch, and the avoided EAD.

    python benchmarks/avoided_pluvial_by_level.py DOSSIER_FOLDER SKETCH.gpkg

Reads the saved products (runs nothing). On a dossier whose pluvial product ran 2-D (``engine = "overland"``)
this shows whether the two levels compare like with like: a sketch that does nothing to pluvial flooding must
avoid nothing (docs/measures.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from alliantie.dossier import load_dossier
from alliantie.io.vector import read_vector
from alliantie.measures.evaluate import Level, evaluate
from alliantie.measures.sketch import Sketch
from alliantie.method.vista.baseline import dossier_baseline


def main() -> None:
    demo, sketch = Path(sys.argv[1]), Path(sys.argv[2])
    baseline = dossier_baseline(load_dossier(demo / "dossier.toml"), update=False)
    frame = read_vector(sketch, target_crs=baseline.grid.crs, label=sketch.name)
    features = Sketch.from_frame(frame, baseline.catalogue, label=sketch.name)
    levels: tuple[Level, ...] = ("fast", "full")
    for level in levels:
        effect = evaluate(baseline, features, level=level).themes["pluvial"]
        print(f"{sketch.name} {level}: pluvial EAD today before {effect.before['current']['mean']:.0f} after "
              f"{effect.after['current']['mean']:.0f} avoided {effect.avoided('current'):.0f} EUR/year")


if __name__ == "__main__":
    main()
