"""The breach point checked at the door: inside the grid, with elevation data around it.

Review cases 05b and 38f: a breach point where the elevation model has no data
made the flood product report "nothing floods, choose another point on the dike"
while the real cause, missing elevation, went unnamed; ``check`` said "in orde".
``alliantie check`` and ``run`` (before any product is computed, when the flood
product is to be computed) call :func:`check_breach_point`.
"""

from __future__ import annotations

import numpy as np

from alliantie.errors import ConfigError, InputDataError
from alliantie.grid import Grid
from alliantie.parameters.flood import FloodParameters


def check_breach_point(params: FloodParameters, grid: Grid, dem_valid: np.ndarray) -> None:
    """Refuse a breach point outside the grid, or one with no elevation data within ``breach_search_m``.

    Without a breach point (no computed breach) there is nothing to check.
    """
    if params.breach_x is None or params.breach_y is None:
        return
    t = grid.transform
    col = int(np.floor((params.breach_x - t.c) / t.a))
    row = int(np.floor((params.breach_y - t.f) / t.e))
    if not (0 <= row < grid.height and 0 <= col < grid.width):
        raise ConfigError("flood.errors.breach_outside", x=f"{params.breach_x:g}", y=f"{params.breach_y:g}",
                          crs=grid.crs)
    radius = max(int(np.ceil(params.breach_search_m / grid.res)), 1)
    r0, r1 = max(row - radius, 0), min(row + radius + 1, grid.height)
    c0, c1 = max(col - radius, 0), min(col + radius + 1, grid.width)
    rr, cc = np.mgrid[r0:r1, c0:c1]
    near = (rr - row) ** 2 + (cc - col) ** 2 <= radius**2
    if not dem_valid[r0:r1, c0:c1][near].any():
        raise InputDataError("errors.breach_no_dem", x=f"{params.breach_x:g}", y=f"{params.breach_y:g}",
                             search=f"{params.breach_search_m:g}")
