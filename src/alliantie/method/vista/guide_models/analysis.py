"""The guide model per cell: the landscape type's model, the nearest zone's for open water, the city where dense."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from alliantie.knowledge.guide_models import NEAREST, GuideModels
from alliantie.method.baseinfo import patches

#: Temporary code of cells that take the model of the nearest zone.
_NEAREST_CODE = 255


def model_codes(landscape: np.ndarray, landscape_codes: Mapping[str, int], models: GuideModels) -> np.ndarray:
    """Guide model code per cell from the landscape type (0 where the type has none or no landscape).

    Landscape types assigned ``nearest`` take the model of the nearest cell that has one.
    """
    codes = {m.id: m.code for m in models.models}
    lut = np.zeros(256, dtype=np.uint8)
    for landscape_id, code in landscape_codes.items():
        target = models.for_landscape(landscape_id)
        if target is not None:
            lut[code] = _NEAREST_CODE if target == NEAREST else codes[target]
    out = lut[landscape]
    holes = out == _NEAREST_CODE
    if holes.any():
        out[holes] = 0
        if (out != 0).any():
            out = patches.fill_nearest(out, holes)
        out[landscape == 0] = 0
    return out


def with_city(codes: np.ndarray, share: np.ndarray, models: GuideModels, cell_area_m2: float) -> np.ndarray:
    """``codes`` with the city model where the built share reaches the city threshold (inside the zones only),
    in connected areas of at least the city's minimum area."""
    city = models.model(models.city.model).code
    dense = (share >= models.city.min_built_share.value) & (codes != 0)
    dense = patches.drop_small(dense, math.ceil(models.city.min_area_ha.value * 1e4 / cell_area_m2))
    return np.where(dense, np.uint8(city), codes).astype(np.uint8)


def areas_ha(codes: np.ndarray, cell_area_m2: float) -> dict[int, float]:
    """Area (ha) per non-zero model code."""
    counts = np.bincount(codes.ravel(), minlength=256)
    return {int(c): float(counts[c]) * cell_area_m2 / 1e4 for c in np.nonzero(counts)[0] if c != 0}
