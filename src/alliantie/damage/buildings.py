"""Buildings on the grid as the damage functions see them, and the damage of one event per cell.

:class:`Buildings` holds the buildings rasterised once (cell ids, WSS class,
footprint area, floor level, the facade ring); the pluvial and breach damage
read it per case. :func:`cell_damage` spreads one event's damage over the cells
(land use per cell, each building's damage evenly over its footprint), the
building block of the map of the expected annual damage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from alliantie.damage.depth_damage import Coefficients, object_damage
from alliantie.damage.pluvial import DurationCoefficients, FacadeRing, facade_ring, land_damage, land_damage_timed


@dataclass(frozen=True)
class Buildings:
    """The buildings prepared once: cell ids, WSS class, footprint area, floor level."""

    ids: NDArray[np.int32]  #: building number per cell (row position + 1; 0 = no building)
    count: int
    wss_class: NDArray[np.int64]  #: WaterSchadeSchatter class per building (1: no damage)
    floor_area_m2: NDArray[np.float64]
    floor_level_m: NDArray[np.float64]  #: m NAP
    unmapped: list[str]  #: building functions without a WSS class
    ring: FacadeRing

    @classmethod
    def none(cls, shape: tuple[int, int]) -> Buildings:
        """No buildings on a grid of ``shape``."""
        empty = np.zeros(0)
        ids0 = np.zeros(shape, np.int32)
        return cls(ids0, 0, np.zeros(0, np.int64), empty, empty, [], facade_ring(ids0, 0))


def cell_damage(depth: NDArray[np.floating], landuse: NDArray[np.floating], coef: Coefficients, cell_area: float,
                area: NDArray[np.bool_], buildings: Buildings, above: NDArray[np.floating] | None,
                building_coef: Coefficients, hours: NDArray[np.floating] | None = None,
                land_by_duration: DurationCoefficients | None = None) -> NDArray[np.float64]:
    """Damage (EUR) per cell of one event: land use, plus each building's damage spread over its footprint.

    With ``hours`` (h per cell) and ``land_by_duration`` the land use takes each cell's own duration.
    """
    flat = np.zeros(depth.size)
    if hours is not None and land_by_duration is not None:
        idx, per_cell = land_damage_timed(depth, hours, landuse, land_by_duration, cell_area, area)
    else:
        idx, per_cell = land_damage(depth, landuse, coef, cell_area, area)
    flat[idx] = np.nan_to_num(per_cell, nan=0.0)
    out: NDArray[np.float64] = flat.reshape(depth.shape)
    if buildings.count and above is not None:
        wet = np.isfinite(above) & (above > 0)
        if wet.any():
            per_b = object_damage(np.where(wet, above, 0.0), buildings.wss_class, buildings.floor_area_m2,
                                  building_coef, unknown="zero")
            cells = np.bincount(buildings.ids.ravel(), minlength=buildings.count + 1)[1:]
            share = np.zeros(buildings.count + 1)
            share[1:] = np.where(cells > 0, np.nan_to_num(per_b) / np.maximum(cells, 1), 0.0)
            out += share[buildings.ids]
    return out
