"""Raster tiles (AHN map sheets as users download them) mosaicked on the fly onto a grid.

A user who downloads the AHN gets a folder of map sheets (``41EN1_CM.tif``,
``M_41EN1.TIF``, ...), often at 0.5 m, while a dossier computes on a 5 m grid.
:func:`read_tiles` reads each tile that intersects the grid through the GDAL
warper straight into the grid's cells (``rasterio.warp.reproject`` from the
tile's band, so a 0.5 m sheet of 10,000 x 12,500 cells is never held in memory
at its own resolution), and fills the grid tile by tile; tiles that do not
touch the grid are not opened beyond their header.

Resampling (:func:`resampling_for`): ``average`` where the tiles' cells are at
least twice as fine as the grid (the mean elevation of the 100 cells of 0.5 m
in a 5 m cell; GDAL's average ignores no-data cells, so a 5 m cell half under
a building takes the mean of its street half), ``bilinear`` otherwise, and
``nearest`` for classes. The method used is returned, so provenance states it.

Tiles of one mosaic share a CRS, a data type and a band count and do not
overlap (map sheets touch at their edges); a folder holding other rasters
(a DEM beside its groundwater and land-use maps) is refused by name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import rasterio.errors
from affine import Affine
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.warp import reproject, transform_bounds

from alliantie.errors import CRSError, InputDataError
from alliantie.grid import Grid
from alliantie.io.raster import RasterData

#: Two tiles overlapping by more than this share of the smaller one are not map sheets of one mosaic
#: (AHN sheets touch; a few cells of overlap from rounding are tolerated). alliantie estimate.
MAX_OVERLAP = 0.05

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class TileHeader:
    """What the header of one tile says (read without its cells)."""

    path: str
    crs: str
    bounds: Bounds
    res: float
    dtype: str
    count: int


@dataclass(frozen=True)
class Mosaic:
    """A mosaic on the grid: the band, the tiles used (those intersecting the grid) and the resampling."""

    data: RasterData
    tiles_used: tuple[str, ...]
    tiles_total: int
    resampling: str


def tile_headers(paths: Sequence[str], *, what: str) -> list[TileHeader]:
    """The headers of ``paths``; refuses a tile without CRS, and tiles that are not one mosaic."""
    headers: list[TileHeader] = []
    for path in paths:
        try:
            with rasterio.open(path) as ds:
                if ds.crs is None:
                    raise CRSError("errors.raster_no_crs", path=path, what=what, expected="EPSG:28992")
                crs = ds.crs.to_string()
                headers.append(TileHeader(path=path, crs=crs, bounds=tuple(ds.bounds), res=float(min(ds.res)),
                                          dtype=str(ds.dtypes[0]), count=int(ds.count)))
        except rasterio.errors.RasterioIOError as exc:
            raise InputDataError("errors.raster_unreadable", path=path, what=what, detail=str(exc)) from None
    _check_one_mosaic(headers, what=what)
    return headers


def _check_one_mosaic(headers: list[TileHeader], *, what: str) -> None:
    if not headers:
        return
    first = headers[0]
    for other in headers[1:]:
        if (other.crs, other.dtype, other.count) != (first.crs, first.dtype, first.count):
            raise InputDataError("errors.tiles.mixed", what=what, first=Path(first.path).name,
                                 other=Path(other.path).name,
                                 found=f"{first.crs}/{first.dtype}/{first.count} <> {other.crs}/{other.dtype}/"
                                       f"{other.count}")
    for i, a in enumerate(headers):
        for b in headers[i + 1:]:
            share = _overlap(a.bounds, b.bounds)
            if share > MAX_OVERLAP:
                raise InputDataError("errors.tiles.overlap", what=what, first=Path(a.path).name,
                                     other=Path(b.path).name, share=f"{100 * share:.0f}")


def _overlap(a: Bounds, b: Bounds) -> float:
    """Overlapping area as a share of the smaller of the two boxes."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / smaller if smaller > 0 else 0.0


def tiles_bounds(paths: Sequence[str], crs: str, *, what: str) -> Bounds:
    """The extent of all tiles together, in ``crs``."""
    boxes = [transform_bounds(h.crs, crs, *h.bounds) for h in tile_headers(paths, what=what)]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def res_in(crs_from: str, bounds: Bounds, res: float, crs_to: str) -> float:
    """A cell size ``res`` of a raster in ``crs_from`` with ``bounds``, as a length in ``crs_to``'s units."""
    if CRS.from_user_input(crs_from) == CRS.from_user_input(crs_to):
        return res
    moved = transform_bounds(crs_from, crs_to, *bounds)
    return (moved[2] - moved[0]) / max((bounds[2] - bounds[0]) / res, 1.0)


def resampling_for(source_res: float, grid_res: float, *, categorical: bool, asked: str | None = None) -> str:
    """The resampling method: ``asked`` when given, else nearest (classes), average (downsampling >= 2x), bilinear.

    >>> resampling_for(0.5, 5.0, categorical=False)
    'average'
    >>> resampling_for(5.0, 5.0, categorical=False)
    'bilinear'
    >>> resampling_for(0.5, 5.0, categorical=True)
    'nearest'
    """
    if asked is not None:
        return asked
    if categorical:
        return "nearest"
    return "average" if source_res * 2.0 <= grid_res else "bilinear"


def _window(grid: Grid, bounds: Bounds) -> tuple[int, int, int, int] | None:
    """Rows and columns ``(row0, row1, col0, col1)`` of ``grid`` that ``bounds`` touches, or None."""
    x0, y0 = grid.transform.c, grid.transform.f
    res = grid.res
    col0 = max(0, math.floor((bounds[0] - x0) / res))
    col1 = min(grid.width, math.ceil((bounds[2] - x0) / res))
    row0 = max(0, math.floor((y0 - bounds[3]) / res))
    row1 = min(grid.height, math.ceil((y0 - bounds[1]) / res))
    if col1 <= col0 or row1 <= row0:
        return None
    return row0, row1, col0, col1


def read_tiles(
    paths: Sequence[str],
    grid: Grid,
    *,
    categorical: bool = False,
    resampling: str | None = None,
    label: str | None = None,
) -> Mosaic:
    """Mosaic the tiles ``paths`` onto ``grid`` (band 1), reading only the tiles that intersect it.

    Continuous data come back as ``float32`` with NaN where no tile has data; classes keep the tiles'
    integer type with their no-data value (0 when they have none). Where two tiles both cover a cell
    (a shared edge), the first tile in ``paths`` wins.
    """
    what = label or "tiles"
    headers = tile_headers(paths, what=what)
    finest = min((res_in(h.crs, h.bounds, h.res, grid.crs) for h in headers), default=grid.res)
    method = resampling_for(finest, grid.res, categorical=categorical, asked=resampling)
    used: list[str] = []
    if categorical:
        dtype = np.dtype(headers[0].dtype) if headers else np.dtype(np.uint8)
        if not np.issubdtype(dtype, np.integer):
            raise InputDataError("errors.raster_not_categorical", path=headers[0].path, what=what, dtype=str(dtype))
        nodata: float | int | None = None
        out = np.zeros(grid.shape, dtype=dtype)
    else:
        out = np.full(grid.shape, np.nan, dtype=np.float32)
    for header in headers:
        window = _window(grid, transform_bounds(header.crs, grid.crs, *header.bounds))
        if window is None:
            continue
        row0, row1, col0, col1 = window
        sub_transform = grid.transform @ Affine.translation(col0, row0)
        with rasterio.open(header.path) as ds:
            src_nodata = ds.nodatavals[0]
            fill: float | int = np.nan
            if categorical:
                fill = int(src_nodata) if src_nodata is not None else 0
                nodata = fill if nodata is None else nodata
            part = np.full((row1 - row0, col1 - col0), fill, dtype=out.dtype)
            try:
                reproject(source=rasterio.band(ds, 1), destination=part, src_nodata=src_nodata,
                          dst_transform=sub_transform, dst_crs=grid.crs, dst_nodata=fill,
                          resampling=Resampling[method])
            except rasterio.errors.RasterioIOError as exc:
                raise InputDataError("errors.raster_unreadable", path=header.path, what=what,
                                     detail=str(exc)) from None
        target = out[row0:row1, col0:col1]
        if categorical:
            empty, has = target == (nodata if nodata is not None else 0), part != fill
        else:
            empty, has = np.isnan(target), ~np.isnan(part)
        if has.any():
            used.append(header.path)
        take = empty & has
        target[take] = part[take]
    if categorical:
        data = RasterData(out, grid.transform, grid.crs, nodata if nodata is not None else 0, what)
    else:
        data = RasterData(out, grid.transform, grid.crs, None, what)
    return Mosaic(data=data, tiles_used=tuple(used), tiles_total=len(headers), resampling=method)
