"""Pluvial flooding outside a dossier: the ``alliantie bluespots`` command on any GeoTIFF DEM.

The same analysis and files as the dossier product, for one uniform rain depth
on the DEM's own grid, without land use, soil, roads or neighbourhoods.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from alliantie.contract.spec import write_maps
from alliantie.dossier.config import input_specs
from alliantie.dossier.raster_inputs import dem_in_metres
from alliantie.dossier.vector_checks import vector_check
from alliantie.errors import ConfigError, InputDataError
from alliantie.io.vector import read_vector
from alliantie.method.urgency.pluvial.analysis import PluvialInput, PluvialResult, analyse
from alliantie.method.urgency.pluvial.events import Case, custom_case
from alliantie.method.urgency.pluvial.outputs import write_outputs
from alliantie.parameters.pluvial import PluvialParameters


def bluespots_on_dem(
    dem_path: str | Path,
    rain_mm: float,
    out: str | Path,
    *,
    buildings_path: str | Path | None = None,
    loss_mm: float = 0.0,
    params: PluvialParameters | None = None,
    language: str = "nl",
    units: str | None = None,
) -> PluvialResult:
    """Bluespots and water depth for ``rain_mm`` on any GeoTIFF DEM (the ``alliantie bluespots`` command).

    The DEM is used on its own grid (reprojected to RD New when in another CRS);
    ``loss_mm`` (infiltration plus sewer capacity) is subtracted uniformly.
    Writes the same files as the dossier product into ``out``. ``units``: of the elevations (m, dm, cm, mm;
    default what the file's metadata says, else metres, refused when the values only fit in another unit).
    """
    if not rain_mm > 0:
        raise ConfigError("pluvial.errors.bad_rain", value=rain_mm)
    params = params or PluvialParameters()
    dem, _unit = dem_in_metres(dem_path, units)
    if not np.isfinite(dem.array).any():  # review case 38f: "0 bluespots" from a DEM without data
        raise InputDataError("errors.raster_no_data", path=str(dem_path), what="DEM")
    grid = dem.grid
    buildings = None
    if buildings_path is not None:
        buildings = read_vector(buildings_path, target_crs=grid.crs, bbox=grid.bounds, label="buildings",
                                check=vector_check(input_specs()["buildings"]))
    runoff_depth = np.float32(max(rain_mm - loss_mm, 0.0))

    def runoff(case: Case) -> np.ndarray:
        return np.full(grid.shape, runoff_depth, dtype=np.float32)

    data = PluvialInput(grid=grid, dem=dem.array.astype(np.float32), runoff_mm=runoff, buildings=buildings)
    result = analyse(data, [custom_case(rain_mm)], params)
    folder = Path(out)
    maps = write_outputs(folder, result, language)
    write_maps(folder, maps)
    return result
