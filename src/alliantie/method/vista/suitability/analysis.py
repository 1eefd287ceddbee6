"""Suitability per measure group: the variables of the rules on the dossier grid, the classes, their areas.

Pure arrays in, arrays out; the product reads the upstream files and writes the results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import rasterio.features

from alliantie.grid import Grid
from alliantie.method.baseinfo.rules import classify
from alliantie.method.vista.suitability.knowledge import Group, SuitabilityRules

#: The value of ``carrier`` outside every structure carrier.
NO_CARRIER = "none"


@dataclass(frozen=True)
class GroupResult:
    """The class per cell of one group (0: none or outside) and the index of the rule that decided (-1: none)."""

    group: Group
    classes: np.ndarray
    fired: np.ndarray


def slope_percent(elevation: np.ndarray, res: float) -> np.ndarray:
    """Terrain slope (%) by central differences; NaN where the elevation is missing."""
    dz_dy, dz_dx = np.gradient(elevation.astype(np.float64), res)
    return (100.0 * np.hypot(dz_dx, dz_dy)).astype(np.float32)


def burn(geometries: Sequence[Any], grid: Grid, values: Sequence[int] | None = None) -> np.ndarray:
    """uint8 raster of ``geometries`` (value 1, or ``values``) on ``grid``; cells whose centre lies inside."""
    if not len(geometries):
        return np.zeros(grid.shape, dtype=np.uint8)
    shapes = zip(geometries, values if values is not None else [1] * len(geometries), strict=True)
    return rasterio.features.rasterize(list(shapes), out_shape=grid.shape, transform=grid.transform,
                                       fill=0, dtype="uint8")


def distance_or_far(mask: np.ndarray, res: float) -> np.ndarray:
    """Distance (m) to the nearest cell of ``mask``; +inf everywhere when the mask is empty."""
    from alliantie.raster.distance import distance_to

    if not mask.any():
        return np.full(mask.shape, np.inf, dtype=np.float32)
    return distance_to(mask, res, np.float32)


def classify_groups(rules: SuitabilityRules, variables: Mapping[str, np.ndarray],
                    categories: Mapping[str, Mapping[str, int]], valid: np.ndarray) -> list[GroupResult]:
    """Every group's rules applied to ``variables``: a class in 0-5 per cell (0 outside ``valid``)."""
    table = rules.codes()
    out = []
    for group in rules.groups:
        classes, fired = classify(group.rule, table, variables, categories=categories, valid=valid)
        out.append(GroupResult(group=group, classes=classes, fired=fired))
    return out


def class_areas(classes: np.ndarray, valid: np.ndarray, cell_area_m2: float) -> dict[int, float]:
    """Area (ha) per class 0-5 inside ``valid``."""
    counts = np.bincount(classes[valid].ravel(), minlength=6)
    return {c: float(counts[c]) * cell_area_m2 / 1e4 for c in range(6)}


def rule_areas(result: GroupResult, valid: np.ndarray, cell_area_m2: float) -> dict[int, float]:
    """Area (ha) per rule index that decided at least one cell inside ``valid``."""
    fired = result.fired[valid]
    counts = np.bincount(fired[fired >= 0], minlength=len(result.group.rule))
    return {i: float(n) * cell_area_m2 / 1e4 for i, n in enumerate(counts) if n}


def spread(classes: np.ndarray, valid: np.ndarray) -> float:
    """Shannon entropy (bits) of the classes 1-5 inside ``valid``: how much a group's map tells apart."""
    counts = np.bincount(classes[valid & (classes > 0)].ravel(), minlength=6)[1:].astype(np.float64)
    total = counts.sum()
    if total == 0:
        return 0.0
    p = counts[counts > 0] / total
    return float(-(p * np.log2(p)).sum()) * min(1.0, total / max(1, int(valid.sum())))


def most_telling(results: Sequence[GroupResult], valid: np.ndarray, count: int) -> list[GroupResult]:
    """The ``count`` groups whose maps tell most apart (highest :func:`spread`), in catalogue order."""
    ranked = sorted(range(len(results)), key=lambda i: (-spread(results[i].classes, valid), i))[:count]
    return [results[i] for i in sorted(ranked)]


def grid_columns(count: int) -> tuple[int, int]:
    """Columns and rows of a small-multiples grid for ``count`` panels (at most four columns)."""
    cols = min(4, max(1, count))
    return cols, math.ceil(count / cols)
