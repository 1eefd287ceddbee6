"""The dossier grid: one CRS, one transform, one shape for every raster.

All rasters of a dossier are aligned on a :class:`Grid` (EPSG:28992 by
default, north-up, square cells). Products are computed on this grid so that
arrays can be combined cell by cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from affine import Affine

RD_NEW = "EPSG:28992"


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid.

    ``transform`` maps (col, row) to (x, y) of the upper-left cell corner;
    ``res`` is the cell size in metres (CRS units).
    """

    crs: str
    transform: Affine
    width: int
    height: int

    @classmethod
    def from_bounds(
        cls,
        bounds: tuple[float, float, float, float],
        res: float,
        crs: str = RD_NEW,
    ) -> Grid:
        """A grid covering ``bounds`` (xmin, ymin, xmax, ymax), snapped outward to ``res``."""
        xmin, ymin, xmax, ymax = bounds
        if not (xmax > xmin and ymax > ymin):
            raise ValueError(f"empty bounds {bounds}")
        if res <= 0:
            raise ValueError(f"cell size must be positive, got {res}")
        x0 = math.floor(xmin / res) * res
        y1 = math.ceil(ymax / res) * res
        width = math.ceil((xmax - x0) / res - 1e-9)
        height = math.ceil((y1 - ymin) / res - 1e-9)
        return cls(crs=crs, transform=Affine(res, 0.0, x0, 0.0, -res, y1), width=width, height=height)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def res(self) -> float:
        return float(self.transform.a)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        t = self.transform
        return (t.c, t.f + t.e * self.height, t.c + t.a * self.width, t.f)

    @property
    def cell_area(self) -> float:
        """Area of one cell in m²."""
        return abs(self.transform.a * self.transform.e)

    def x_coords(self) -> np.ndarray:
        """x of cell centres, left to right."""
        t = self.transform
        return t.c + t.a * (np.arange(self.width) + 0.5)

    def y_coords(self) -> np.ndarray:
        """y of cell centres, top to bottom."""
        t = self.transform
        return t.f + t.e * (np.arange(self.height) + 0.5)

    def to_dict(self) -> dict[str, object]:
        return {
            "crs": self.crs,
            "transform": list(self.transform)[:6],
            "width": self.width,
            "height": self.height,
        }
