"""Reading users' data and writing products.

Readers take a path or an open dataset (rasterio ``DatasetReader`` /
``MemoryFile`` dataset, a GeoDataFrame), refuse data without a CRS, reproject
other CRSs to the dossier CRS with a log line, align rasters on the dossier
:class:`~alliantie.grid.Grid` and respect nodata. Every failure becomes an
:class:`~alliantie.errors.InputDataError` that names the file and what to do.
Writers are atomic: a file appears complete or not at all.

The names below are loaded on first use, so importing :mod:`alliantie.io`
does not load GDAL.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alliantie.io.atomic import atomic_dir, atomic_file
    from alliantie.io.raster import RasterData, read_raster, write_raster
    from alliantie.io.vector import read_vector, write_vector

_EXPORTS = {
    "atomic_dir": "alliantie.io.atomic",
    "atomic_file": "alliantie.io.atomic",
    "RasterData": "alliantie.io.raster",
    "read_raster": "alliantie.io.raster",
    "write_raster": "alliantie.io.raster",
    "read_vector": "alliantie.io.vector",
    "write_vector": "alliantie.io.vector",
}

__all__ = [
    "RasterData",
    "atomic_dir",
    "atomic_file",
    "read_raster",
    "read_vector",
    "write_raster",
    "write_vector",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'alliantie.io' has no attribute {name!r}")
