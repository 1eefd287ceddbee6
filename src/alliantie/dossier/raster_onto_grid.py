"""A raster input of the dossier read onto the grid: one file or a set of tiles, resampled by a stated method.

:func:`read_onto_grid` puts an ``[inputs]`` raster on the grid for
:func:`alliantie.dossier.raster_inputs.read_input_raster` (which then converts and checks it): a file through
:func:`alliantie.io.raster.read_raster`, a folder or list of tiles (AHN map sheets) through
:func:`alliantie.io.mosaic.read_tiles`, both with the resampling of :func:`~alliantie.io.mosaic.resampling_for`
(or the input's own ``resampling``). :func:`fill_dem` fills the enclosed gaps of the DEM
(:mod:`alliantie.raster.gaps`) after the checks at the door. Both return what they did as notes, which the
reading keeps (``provenance.json`` ``input_checks``, ``check``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import rasterio
import rasterio.errors

from alliantie.dossier.config import InputFile
from alliantie.errors import InputDataError
from alliantie.grid import Grid
from alliantie.io.mosaic import read_tiles, res_in, resampling_for
from alliantie.io.raster import RasterData, read_raster
from alliantie.raster.gaps import MAX_DISTANCE_M, METHOD, fill_gaps

#: What the door notes about a raster input: numbers (coverage, counts, shares) and words (methods).
Notes = dict[str, float | int | str]


@dataclass(frozen=True)
class InputRaster:
    """A raster input on the grid, with what was done to it."""

    data: RasterData
    notes: Notes = field(default_factory=dict)


def _source_res(path: str, what: str, crs: str) -> float:
    """The cell size of the raster at ``path`` in the units of ``crs`` (the grid's)."""
    try:
        with rasterio.open(path) as ds:
            if ds.crs is None:
                return float(min(ds.res))  # the reader refuses it with the standard message
            return res_in(ds.crs.to_string(), tuple(ds.bounds), float(min(ds.res)), crs)
    except rasterio.errors.RasterioIOError as exc:
        raise InputDataError("errors.raster_unreadable", path=path, what=what, detail=str(exc)) from None


def read_onto_grid(ref: InputFile, grid: Grid, *, categorical: bool, target_crs: str, label: str) -> InputRaster:
    """``ref`` (a file, or tiles) on ``grid``, with the resampling method used (and the tiles used) as notes."""
    if ref.tiled:
        mosaic = read_tiles(ref.files, grid, categorical=categorical, resampling=ref.resampling, label=label)
        if not mosaic.tiles_used:
            raise InputDataError("errors.tiles.none_inside", what=label, path=ref.path, count=mosaic.tiles_total)
        return InputRaster(replace(mosaic.data, source=ref.path), {
            "resampling": mosaic.resampling, "tiles_used": len(mosaic.tiles_used), "tiles": mosaic.tiles_total})
    source_res = _source_res(ref.path, label, grid.crs)
    method = resampling_for(source_res, grid.res, categorical=categorical, asked=ref.resampling)
    data = read_raster(ref.path, grid=grid, categorical=categorical, target_crs=target_crs, label=label,
                       resampling=method)
    return InputRaster(data, {"resampling": method})


def fill_dem(data: RasterData, area: np.ndarray, ref: InputFile, grid: Grid) -> InputRaster:
    """The DEM with its enclosed gaps filled (unless ``fill_gaps = false``) and the filled share of the area."""
    if not ref.fill_gaps:
        return InputRaster(data, {"gaps": "kept (fill_gaps = false)"})
    result = fill_gaps(data.array, grid.res)
    inside = int(np.count_nonzero(area))
    filled_inside = int(np.count_nonzero(area & np.isnan(data.array) & ~np.isnan(result.array)))
    notes: Notes = {
        "gaps": METHOD.format(distance=MAX_DISTANCE_M),
        "filled_share": round(filled_inside / inside, 4) if inside else 0.0,
        "filled_interpolated": result.interpolated,
        "filled_lowest_edge": result.lowest_edge,
    }
    return InputRaster(replace(data, array=result.array), notes)
