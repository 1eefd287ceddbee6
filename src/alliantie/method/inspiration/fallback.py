"""Where nobody sketched: the guide model's priority measures at their best-suited places, zone by zone.

A zone is a connected area of one guide model (``vista.guide_models``,
``guide_models.gpkg``) of at least ``[fallback] min_zone_ha``. A zone that no
sketch touches gets the first ``measures_per_zone`` measures of its model's
legend in the order of the model's water principles (as the guide-model table
lists them), one per suitability group; each is placed (on cells no earlier measure of the zone took) on the cells
of the best
class of its group's ``vista.suitability`` raster present in the zone (at least
``min_class``), as the ``max_patches`` largest patches of at least
``min_patch_ha``; a patch larger than ``max_place_ha`` is cut to a disc of that area around its most
interior cell (a place, not the whole zone). A zone with a sketch is left as the workshop drew it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import rasterio.features
import shapely
from scipy import ndimage
from shapely.geometry.base import BaseGeometry

from alliantie.grid import Grid
from alliantie.knowledge.guide_models import GuideModel
from alliantie.knowledge.measures import Measure, MeasureCatalogue
from alliantie.method.baseinfo import patches
from alliantie.method.inspiration.knowledge import Fallback
from alliantie.method.vista.guide_models.outputs import priority_measures


@dataclass(frozen=True)
class Zone:
    """A connected area of one guide model."""

    model: GuideModel
    geometry: BaseGeometry


@dataclass(frozen=True)
class Place:
    """A best-suited place of a priority measure in a zone without sketches."""

    measure: Measure
    model: GuideModel
    suitability_class: int
    geometry: BaseGeometry


def zone_has_sketch(zone: BaseGeometry, sketches: Sequence[BaseGeometry]) -> bool:
    """True when a sketch lies (partly) inside the zone; touching its edge does not count."""
    return any(zone.intersects(g) and not zone.touches(g) for g in sketches)


def measures_for(model: GuideModel, catalogue: MeasureCatalogue, groups: set[str], count: int) -> list[Measure]:
    """The first ``count`` priority measures of ``model`` whose suitability group has a map, one per group."""
    out: list[Measure] = []
    used: set[str] = set()
    for mid in priority_measures(model):
        measure = catalogue.get(mid)
        if measure is None or measure.group not in groups or measure.group in used:
            continue
        out.append(measure)
        used.add(measure.group)
        if len(out) == count:
            break
    return out


def best_patches(classes: np.ndarray, inside: np.ndarray, rules: Fallback, grid: Grid) -> tuple[int, np.ndarray]:
    """The best class (>= min_class) present inside and a mask of its largest patches; (0, empty) when none."""
    present = classes[inside]
    best = int(present.max()) if present.size else 0
    if best < rules.min_class.value:
        return 0, np.zeros(classes.shape, dtype=bool)
    cells = inside & (classes == best)
    labels, n = ndimage.label(cells, structure=np.ones((3, 3), dtype=bool))
    if n == 0:
        return 0, np.zeros(classes.shape, dtype=bool)
    sizes = np.bincount(labels.ravel())[1:]
    min_cells = max(1, math.ceil(rules.min_patch_ha.value * 1e4 / grid.cell_area))
    order = [int(i) + 1 for i in np.argsort(-sizes, kind="stable") if sizes[i] >= min_cells]
    keep = order[: int(rules.max_patches.value)]
    if not keep:
        return 0, np.zeros(classes.shape, dtype=bool)
    out = np.zeros(classes.shape, dtype=bool)
    max_cells = max(1, math.ceil(rules.max_place_ha.value * 1e4 / grid.cell_area))
    for label in keep:
        out |= compact(labels == label, max_cells)
    return best, out


def compact(patch: np.ndarray, max_cells: int) -> np.ndarray:
    """``patch`` itself when it has at most ``max_cells`` cells, else its cells within a disc of that area around
    its most interior cell (the cell farthest from the patch's edge)."""
    if int(patch.sum()) <= max_cells:
        return patch
    depth = ndimage.distance_transform_edt(patch)
    r0, c0 = np.unravel_index(int(np.argmax(depth)), patch.shape)
    rows, cols = np.ogrid[: patch.shape[0], : patch.shape[1]]
    radius2 = max_cells / math.pi
    return patch & ((rows - r0) ** 2 + (cols - c0) ** 2 <= radius2)


def fallback_places(zones: Sequence[Zone], sketches: Sequence[BaseGeometry], catalogue: MeasureCatalogue,
                    suitability: Callable[[str], np.ndarray | None], groups: set[str], grid: Grid,
                    rules: Fallback) -> tuple[list[Place], list[Zone]]:
    """The places of the zones without sketches, and those zones (``suitability(group)`` reads a class raster)."""
    places: list[Place] = []
    empty: list[Zone] = []
    min_area = rules.min_zone_ha.value * 1e4
    for zone in zones:
        if zone.geometry.area < min_area or zone_has_sketch(zone.geometry, sketches):
            continue
        empty.append(zone)
        inside = rasterio.features.geometry_mask([zone.geometry], out_shape=grid.shape, transform=grid.transform,
                                                 invert=True)
        for measure in measures_for(zone.model, catalogue, groups, int(rules.measures_per_zone.value)):
            classes = suitability(measure.group)
            if classes is None:
                continue
            best, mask = best_patches(classes, inside, rules, grid)
            if not best:
                continue
            inside &= ~mask  # the next measure of the zone takes another place
            shapes = [geom for geom, _ in patches.polygons(mask.astype(np.uint8), grid.transform)]
            places.append(Place(measure, zone.model, best, shapely.union_all(shapes)))
    return places, empty
