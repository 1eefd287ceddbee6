"""Exposure (*blootstelling*): residents and over-65s per cell, and the jobs at the workplaces.

The neighbourhoods layer (*buurten*) gives residents and the share of
over-65s per neighbourhood; :func:`resident_cells` spreads them over
the cells of its residential buildings by number of storeys, so the indicators
count the people who live where it is hot. :func:`job_cells` counts the jobs
of the buildings whose use class is a workplace (floor area / floor per job).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

import numpy as np
import rasterio.features

from alliantie.grid import Grid

if TYPE_CHECKING:
    import geopandas as gpd


def resident_cells(buildings: gpd.GeoDataFrame | None, neighbourhoods: gpd.GeoDataFrame | None, zones: np.ndarray,
                   grid: Grid, storey_height_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Residents and over-65s per cell.

    A neighbourhood's ``residents`` are spread over the cells of its
    residential buildings (``function`` "residential"; every building when the
    layer has no function column) in proportion to the number of storeys
    (height / storey height, at least 1); a neighbourhood without such
    buildings spreads them evenly over its cells. Over-65s are residents times
    ``share_65plus`` (0 when the column is absent).
    """
    n = 0 if neighbourhoods is None else len(neighbourhoods)
    residents = np.zeros(grid.shape)
    over65 = np.zeros(grid.shape)
    if neighbourhoods is None or n == 0 or "residents" not in neighbourhoods:
        return residents, over65
    people = np.concatenate([[0.0], np.nan_to_num(neighbourhoods["residents"].to_numpy(dtype=np.float64))])
    share = np.zeros(n + 1)
    if "share_65plus" in neighbourhoods:
        share[1:] = np.nan_to_num(neighbourhoods["share_65plus"].to_numpy(dtype=np.float64))
    weight = np.zeros(grid.shape)
    if buildings is not None and len(buildings):
        homes = buildings
        if "function" in buildings:
            homes = buildings[buildings["function"].astype(str).str.lower() == "residential"]
        if len(homes):
            heights = (homes["height_m"].to_numpy(dtype=np.float64) if "height_m" in homes
                       else np.full(len(homes), storey_height_m))
            storeys = np.maximum(1.0, np.round(np.nan_to_num(heights, nan=storey_height_m) / storey_height_m))
            shapes = [(g, float(s)) for g, s in zip(homes.geometry.values, storeys, strict=True)
                      if g is not None and not g.is_empty]
            if shapes:
                weight = np.asarray(rasterio.features.rasterize(
                    shapes, out_shape=grid.shape, transform=grid.transform, fill=0.0, dtype="float64"))
    weight[zones == 0] = 0.0
    total = np.bincount(zones.ravel(), weights=weight.ravel(), minlength=n + 1)
    cells = np.bincount(zones.ravel(), minlength=n + 1).astype(np.float64)
    even = total <= 0
    w = np.where(even[zones], (zones > 0).astype(np.float64), weight)
    denominator = np.where(even, cells, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_weight = np.where(denominator > 0, people / denominator, 0.0)
    residents = w * per_weight[zones]
    residents[zones == 0] = 0.0
    over65 = residents * share[zones]
    return residents, over65


def job_cells(buildings: gpd.GeoDataFrame | None, grid: Grid, storey_height_m: float,
              m2_per_job: Mapping[str, float], one_floor: Collection[str] = ()) -> np.ndarray:
    """Persons employed per cell at the buildings whose ``function`` has a floor area per job.

    A building's jobs = footprint area (m2) x storeys (height / storey height,
    rounded, at least 1; one storey without a height or when its use class is in
    ``one_floor``: halls) / ``m2_per_job`` of its use class, spread evenly over
    the cells whose centre lies in the footprint (a building smaller than that:
    the cell of its centroid; outside the grid: not counted). All zero without
    a ``function`` column or without classes.
    """
    jobs = np.zeros(grid.shape)
    if buildings is None or not len(buildings) or "function" not in buildings or not m2_per_job:
        return jobs
    use = buildings["function"].astype(str).str.lower()
    density = {str(k).lower(): float(v) for k, v in m2_per_job.items()}
    work = buildings[use.isin(density)]
    if not len(work):
        return jobs
    heights = (work["height_m"].to_numpy(dtype=np.float64) if "height_m" in work
               else np.full(len(work), np.nan))
    storeys = np.maximum(1.0, np.round(np.nan_to_num(heights, nan=storey_height_m) / storey_height_m))
    uses = work["function"].astype(str).str.lower().tolist()
    halls = {str(u).lower() for u in one_floor}
    storeys = np.where([u in halls for u in uses], 1.0, storeys)
    per_m2 = np.array([1.0 / density[u] for u in uses])
    counts = np.nan_to_num(work.geometry.area.to_numpy(dtype=np.float64)) * storeys * per_m2
    keep = [i for i, g in enumerate(work.geometry.values) if g is not None and not g.is_empty and counts[i] > 0]
    if not keep:
        return jobs
    ids = np.asarray(rasterio.features.rasterize(
        [(work.geometry.values[i], i + 1) for i in keep], out_shape=grid.shape, transform=grid.transform,
        fill=0, dtype="int32"))
    cells = np.bincount(ids.ravel(), minlength=len(work) + 1)[1:].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_cell = np.where(cells > 0, counts / np.maximum(cells, 1.0), 0.0)
    jobs = np.concatenate([[0.0], per_cell])[ids]
    inverse = ~grid.transform
    for i in keep:
        if cells[i] > 0:
            continue
        point = work.geometry.values[i].centroid
        col, row = (int(np.floor(v)) for v in inverse @ (point.x, point.y))
        if 0 <= row < grid.shape[0] and 0 <= col < grid.shape[1]:
            jobs[row, col] += counts[i]
    return jobs
