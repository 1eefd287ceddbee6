"""Raster operations on the dossier grid, numpy core, DataArray face.

Generic operations on 2-D rasters that several themes share, in the manner of
``xarray-spatial``: each has a numpy core (``numpy in, numpy out``, cell size
``res`` in metres, NaN = no data, row 0 north) and, where cheap, a thin face
that takes a ``DataArray`` and gives one back with the same dims, coordinates,
name and attributes (the cell size read from its coordinates).

* :mod:`alliantie.raster.focal`: means over a disc or a square around each cell
  (FFT convolution, optionally on coarse blocks interpolated back).
* :mod:`alliantie.raster.distance`: distance to the nearest cell of a mask.

No file I/O, no dossier: the engines (:mod:`alliantie.hazards`, ...) build on it.
"""
