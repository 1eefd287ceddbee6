"""Reading users' data and writing products.

Readers take a path or an open dataset (rasterio ``DatasetReader`` /
``MemoryFile`` dataset, a GeoDataFrame), refuse data without a CRS, reproject
other CRSs to the dossier CRS with a log line, align rasters on the dossier
:class:`~alliantie.grid.Grid` and respect nodata. Every failure becomes an
:class:`~alliantie.errors.InputDataError` that names the file and what to do.
Writers are atomic: a file appears complete or not at all.
"""

from alliantie.io.atomic import atomic_dir, atomic_file
from alliantie.io.raster import RasterData, read_raster, write_raster
from alliantie.io.vector import read_vector, write_vector

__all__ = [
    "RasterData",
    "atomic_dir",
    "atomic_file",
    "read_raster",
    "read_vector",
    "write_raster",
    "write_vector",
]
