"""The workshop's sketches of one perspective, read from the web workshop's export (input ``workshop``).

The export (``web/export.py``) holds layer ``sketches`` with a column
``syntheses`` and one layer ``synthesis_<name>`` per synthesis. A perspective
reads, in this order:

1. its synthesis layer (``synthesis_veerkracht``, ``synthesis_regionale_economie``
   or an alias such as ``synthesis_resilience``) when the file has it;
2. else the features of layer ``sketches`` whose ``syntheses`` column names it;
3. else, when no sketch names any synthesis (a file without syntheses, or an
   older export without the column), *Veerkracht* takes every sketch and
   *Regionale economie* none: the sketches are measures, the resilience map's
   material.

Every feature is checked against the measure catalogue as ``vista.effects`` does
(:meth:`alliantie.measures.sketch.Sketch.from_frame`): an unknown id is an input
error naming the file and layer, the feature and the closest ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pyogrio
import shapely

from alliantie.dossier.config import InputFile, input_specs
from alliantie.dossier.vector_checks import vector_check
from alliantie.io.vector import read_vector
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.sketch import Feature, Sketch

Perspective = Literal["veerkracht", "regionale_economie"]
#: The synthesis names (as slugs) each perspective answers to.
ALIASES: dict[Perspective, tuple[str, ...]] = {
    "veerkracht": ("veerkracht", "resilience"),
    "regionale_economie": ("regionale_economie", "regional_economy", "economie", "economy"),
}
SKETCH_LAYER = "sketches"
SYNTHESIS_PREFIX = "synthesis_"
#: How the sketches were found: a synthesis layer, the syntheses column, all (no syntheses), none.
How = Literal["layer", "column", "all", "none", "no_file"]


@dataclass(frozen=True)
class PerspectiveSketches:
    """The checked sketches of one perspective and where they came from."""

    features: list[Feature]
    how: How
    source: str  #: ``path:layer`` as the dossier names it, or "" without a file
    columns: dict[str, list[str]]  #: author_name, discipline, comment per feature (in feature order)


def slug(name: str) -> str:
    """A synthesis name as the export names its layer: lower-case letters, digits and underscores."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _names(value: object) -> list[str]:
    return [slug(p) for p in str(value or "").split(";") if p.strip()]


def _text_column(frame: gpd.GeoDataFrame, name: str) -> list[str]:
    if name not in frame.columns:
        return [""] * len(frame)
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in frame[name]]


def read_perspective(ref: InputFile | None, perspective: Perspective, catalogue: MeasureCatalogue, *,
                     crs: str, bbox: tuple[float, float, float, float], label_root: Path) -> PerspectiveSketches:
    """The sketches of ``perspective`` in the workshop file ``ref`` (None: no workshop input)."""
    if ref is None:
        return PerspectiveSketches([], "no_file", "", {})
    path = Path(ref.path)
    try:
        shown = str(path.relative_to(label_root))
    except ValueError:
        shown = str(path)
    check = vector_check(input_specs()["workshop"])
    present = [str(row[0]) for row in pyogrio.list_layers(path)] if path.exists() else []
    layer = next((f"{SYNTHESIS_PREFIX}{a}" for a in ALIASES[perspective] if f"{SYNTHESIS_PREFIX}{a}" in present),
                 None)
    how: How
    if layer is not None:
        frame = read_vector(path, layer=layer, target_crs=crs, label=f"inputs.workshop ({layer})", check=check)
        how = "layer"
    else:
        layer = ref.layer or (SKETCH_LAYER if SKETCH_LAYER in present else None)
        frame = read_vector(path, layer=layer, target_crs=crs, label="inputs.workshop", check=check)
        layer = layer or (present[0] if present else SKETCH_LAYER)
        names = [_names(v) for v in frame["syntheses"]] if "syntheses" in frame.columns else [[] for _ in frame.index]
        if any(names):
            member = [any(n in ALIASES[perspective] for n in row) for row in names]
            frame = frame[member].reset_index(drop=True)
            how = "column"
        elif perspective == "veerkracht":
            how = "all"
        else:
            frame = frame.iloc[0:0]
            how = "none"
    source = f"{shown}:{layer}"
    sketch = Sketch.from_frame(frame, catalogue, label=source)
    frame_box = shapely.box(*bbox)
    inside = [f for f in sketch.features if f.geometry.intersects(frame_box)]
    keep = {f.index for f in inside}
    columns = {c: [v for i, v in enumerate(_text_column(frame, c)) if i in keep]
               for c in ("author_name", "discipline", "comment")}
    return PerspectiveSketches(inside, how, source, columns)

