"""Economic chances placed by the rules of ``economic_chances.toml`` on the base information.

A cell rule (``[chance.where]``) keeps the cells whose vegetation group,
landscape type and seepage zone are among those listed (every condition given
must hold) and, with ``near``, that lie within ``within_m`` of the town (``city``:
the zones of the city guide model, where land is densely built) or of a
vegetation group, outside it; patches smaller than ``min_area_ha`` are dropped. A water rule
(``[chance.water]``) keeps the water bodies of the listed kinds of at least
``min_area_ha`` with at least ``min_buildings`` buildings within
``buildings_within_m`` of their shore.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from alliantie.grid import Grid
from alliantie.method.baseinfo import patches
from alliantie.method.inspiration.knowledge import CellRule, Chance, WaterRule
from alliantie.raster.distance import within_distance

#: ``near`` value for the town: the city guide model's zones.
CITY = "city"


@dataclass(frozen=True)
class Placed:
    """One place of a chance: a polygon (cell rules) or a water body with its buildings nearby."""

    chance: Chance
    geometry: BaseGeometry
    area_ha: float
    buildings: int | None = None  #: water rule: buildings within reach
    name: str = ""


@dataclass(frozen=True)
class BaseLayers:
    """The base information the rules read, on the dossier grid."""

    landuse: np.ndarray  #: vegetation group codes (baseinfo.green)
    landscape: np.ndarray  #: landscape type codes (baseinfo.landscape)
    seepage: np.ndarray  #: seepage zone codes (baseinfo.seepage)
    valid: np.ndarray
    city: np.ndarray  #: the city guide model's cells (vista.guide_models): the town
    codes: Mapping[str, Mapping[str, int]]  #: "landuse" / "landscape" / "seepage" -> id -> code


def _isin(values: np.ndarray, ids: list[str], table: Mapping[str, int], what: str) -> np.ndarray:
    unknown = [i for i in ids if i not in table]
    if unknown:
        raise ValueError(f"economic_chances.toml: unknown {what} {unknown} (known: {sorted(table)})")
    return np.isin(values, [table[i] for i in ids])


def cell_mask(rule: CellRule, base: BaseLayers, grid: Grid) -> np.ndarray:
    """Cells where every condition of ``rule`` holds, in patches of at least ``min_area_ha``."""
    mask = base.valid.copy()
    if rule.landuse_in:
        mask &= _isin(base.landuse, rule.landuse_in, base.codes["landuse"], "vegetation group")
    if rule.landscape_in:
        mask &= _isin(base.landscape, rule.landscape_in, base.codes["landscape"], "landscape type")
    if rule.seepage_in:
        mask &= _isin(base.seepage, rule.seepage_in, base.codes["seepage"], "seepage zone")
    if rule.near is not None and rule.within_m is not None:
        target = base.city if rule.near == CITY else _isin(base.landuse, [rule.near], base.codes["landuse"],
                                                          "vegetation group")
        mask &= ~target & (within_distance(target, grid.res, rule.within_m.value) if target.any() else False)
    return patches.drop_small(mask, max(1, math.ceil(rule.min_area_ha.value * 1e4 / grid.cell_area)))


def place_cells(chance: Chance, rule: CellRule, base: BaseLayers, grid: Grid) -> list[Placed]:
    """The patches of a cell rule as polygons."""
    mask = cell_mask(rule, base, grid)
    out = []
    for geom, _ in patches.polygons(mask.astype(np.uint8), grid.transform):
        out.append(Placed(chance, geom, round(geom.area / 1e4, 3)))
    return out


def place_water(chance: Chance, rule: WaterRule, waterbodies: gpd.GeoDataFrame,
                buildings: gpd.GeoDataFrame | None) -> list[Placed]:
    """The water bodies of a water rule with enough buildings nearby."""
    if buildings is None or not len(buildings) or not len(waterbodies):
        return []
    kinds = waterbodies["kind"].astype(str) if "kind" in waterbodies.columns else None
    tree = shapely.STRtree(list(buildings.geometry.values))
    out = []
    for i, geom in enumerate(waterbodies.geometry.values):
        if kinds is not None and kinds.iloc[i] not in rule.kinds:
            continue
        if geom is None or geom.area < rule.min_area_ha.value * 1e4:
            continue
        near = tree.query(geom.buffer(rule.buildings_within_m.value), predicate="intersects")
        if len(near) < rule.min_buildings.value:
            continue
        name = str(waterbodies["name"].iloc[i]) if "name" in waterbodies.columns else ""
        out.append(Placed(chance, geom, round(geom.area / 1e4, 3), len(near), "" if name == "None" else name))
    return out
