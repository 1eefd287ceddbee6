"""Sketches for tests: rows of (measure id, geometry, overrides) as a checked Sketch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np

from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.sketch import Sketch

Row = tuple[str, Any, Mapping[str, float]]


def sketch_of(rows: Sequence[Row], crs: str, catalogue: MeasureCatalogue) -> Sketch:
    """A sketch with one feature per row; an override column is empty (the catalogue's value) where a row lacks it."""
    frame = gpd.GeoDataFrame({"measure": [m for m, _g, _o in rows]}, geometry=[g for _m, g, _o in rows], crs=crs)
    for i, (_m, _g, overrides) in enumerate(rows):
        for key, value in overrides.items():
            if key not in frame:
                frame[key] = np.nan
            frame.loc[i, key] = value
    return Sketch.from_frame(frame, catalogue, label="test sketch")
