"""Raster reading (path or open dataset, aligned on the dossier grid) and COG writing."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import rasterio
import rasterio.errors
from affine import Affine
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.io import DatasetReader
from rasterio.warp import calculate_default_transform, reproject

from alliantie.errors import CRSError, InputDataError
from alliantie.grid import RD_NEW, Grid
from alliantie.i18n import translate
from alliantie.io.atomic import atomic_file

log = logging.getLogger(__name__)

RasterSource: TypeAlias = str | os.PathLike[str] | DatasetReader


@dataclass(frozen=True)
class RasterData:
    """One raster band with its georeferencing.

    Continuous rasters are ``float32`` with ``NaN`` where there is no data.
    Categorical rasters keep an integer dtype and mark no data with ``nodata``.
    """

    array: np.ndarray
    transform: Affine
    crs: str
    nodata: float | int | None
    source: str

    @property
    def grid(self) -> Grid:
        return Grid(self.crs, self.transform, self.array.shape[1], self.array.shape[0])

    @property
    def valid(self) -> np.ndarray:
        """Boolean mask of cells with data."""
        if np.issubdtype(self.array.dtype, np.floating):
            return ~np.isnan(self.array)
        if self.nodata is None:
            return np.ones(self.array.shape, dtype=bool)
        return self.array != self.nodata


def _source_name(source: RasterSource) -> str:
    if isinstance(source, DatasetReader):
        return str(source.name)
    return str(source)


def _crs_string(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


def _same_crs(a: CRS, b: str) -> bool:
    return bool(a == CRS.from_user_input(b))


def read_raster(
    source: RasterSource,
    *,
    grid: Grid | None = None,
    categorical: bool = False,
    band: int = 1,
    target_crs: str = RD_NEW,
    label: str | None = None,
    resampling: str | None = None,
) -> RasterData:
    """Read one band of a GeoTIFF/COG (or any GDAL raster) from a path or an open dataset.

    With ``grid`` the band is resampled onto it (bilinear for continuous data,
    nearest for ``categorical``), reprojecting when the CRS differs; cells of the
    grid outside the file get no data. Without ``grid`` the band is returned on
    its own grid, reprojected to ``target_crs`` when needed.

    ``label`` names the input in messages (e.g. ``"elevation (dem)"``); ``resampling`` (a GDAL method by
    name: ``"average"``, ...) replaces the default bilinear/nearest.
    """
    name = _source_name(source)
    what = label or Path(name).name
    if isinstance(source, DatasetReader):
        return _read_open(source, name, what, grid, categorical, band, target_crs, resampling)
    path = Path(source)
    if not path.exists():
        raise InputDataError("errors.file_missing", path=str(path), what=what)
    try:
        with rasterio.open(path) as ds:
            return _read_open(ds, name, what, grid, categorical, band, target_crs, resampling)
    except rasterio.errors.RasterioIOError as exc:
        raise InputDataError(
            "errors.raster_unreadable", path=str(path), what=what, detail=str(exc)
        ) from None


def _read_open(
    ds: DatasetReader,
    name: str,
    what: str,
    grid: Grid | None,
    categorical: bool,
    band: int,
    target_crs: str,
    resampling: str | None = None,
) -> RasterData:
    if ds.crs is None:
        raise CRSError("errors.raster_no_crs", path=name, what=what, expected=target_crs)
    if band < 1 or band > ds.count:
        raise InputDataError("errors.raster_band", path=name, what=what, band=band, count=ds.count)
    src_nodata = ds.nodatavals[band - 1]
    dtype = np.dtype(ds.dtypes[band - 1])
    try:
        data = ds.read(band)
    except rasterio.errors.RasterioIOError as exc:
        raise InputDataError(
            "errors.raster_unreadable", path=name, what=what, detail=str(exc)
        ) from None
    if not categorical:
        data = data.astype(np.float32)
        if src_nodata is not None and not np.isnan(src_nodata):
            data[data == np.float32(src_nodata)] = np.nan
        src_nodata_out: float | int | None = np.nan
        out_nodata: float | int | None = None
    else:
        if not np.issubdtype(dtype, np.integer):
            raise InputDataError("errors.raster_not_categorical", path=name, what=what, dtype=str(dtype))
        src_nodata_out = int(src_nodata) if src_nodata is not None else None
        out_nodata = src_nodata_out if src_nodata_out is not None else 0

    target = grid.crs if grid is not None else target_crs
    if not _same_crs(ds.crs, target):
        log.info("%s", translate("io.reprojecting", None, what=what, source=_crs_string(ds.crs), target=target))

    if grid is None:
        if _same_crs(ds.crs, target):
            return RasterData(data, ds.transform, target, out_nodata, name)
        transform, width, height = calculate_default_transform(
            ds.crs, target, ds.width, ds.height, *ds.bounds
        )
        grid = Grid(target, transform, int(width), int(height))

    if grid.transform == ds.transform and grid.shape == data.shape and _same_crs(ds.crs, grid.crs):
        return RasterData(data, grid.transform, grid.crs, out_nodata, name)

    fill: Any = np.nan if not categorical else out_nodata
    dest = np.full(grid.shape, fill, dtype=data.dtype)
    reproject(
        source=data,
        destination=dest,
        src_transform=ds.transform,
        src_crs=ds.crs,
        src_nodata=src_nodata_out if categorical else np.nan,
        dst_transform=grid.transform,
        dst_crs=grid.crs,
        dst_nodata=fill,
        resampling=Resampling[resampling] if resampling else Resampling.nearest if categorical else Resampling.bilinear,
    )
    return RasterData(dest, grid.transform, grid.crs, out_nodata, name)


def write_raster(
    path: str | os.PathLike[str],
    array: np.ndarray,
    grid: Grid,
    *,
    nodata: float | int | None = None,
    colormap: dict[int, tuple[int, int, int, int]] | None = None,
    description: str | None = None,
    tags: dict[str, str] | None = None,
    qml: str | None = None,
    overviews: Sequence[int] = (2, 4, 8, 16),
) -> Path:
    """Write ``array`` as a Cloud Optimized GeoTIFF (deflate), atomically.

    Float arrays are written with ``NaN`` as nodata unless ``nodata`` is given.
    ``colormap`` (for uint8 classes) is embedded; ``qml`` is written as a QGIS
    style next to the file (same name, ``.qml``), which QGIS loads by default.
    """
    final = Path(path)
    if array.shape != grid.shape:
        raise ValueError(f"array shape {array.shape} does not match grid {grid.shape}")
    if nodata is None and np.issubdtype(array.dtype, np.floating):
        nodata = float("nan")
    profile: dict[str, Any] = {
        "driver": "COG",
        "width": grid.width,
        "height": grid.height,
        "count": 1,
        "dtype": array.dtype.name,
        "crs": grid.crs,
        "transform": grid.transform,
        "nodata": nodata,
        "compress": "DEFLATE",
        "blocksize": 256,
        "overview_resampling": "nearest" if colormap or not np.issubdtype(array.dtype, np.floating) else "average",
    }
    with atomic_file(final) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.write(array, 1)
        if colormap:
            dst.write_colormap(1, colormap)
        if description:
            dst.set_band_description(1, description)
        if tags:
            dst.update_tags(**tags)
    if qml is not None:
        with atomic_file(final.with_suffix(".qml")) as tmp_qml:
            tmp_qml.write_text(qml, encoding="utf-8")
    return final
