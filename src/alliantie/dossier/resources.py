"""Will the dossier fit in memory? Checked before any work starts.

The step 1 products hold a few dozen float layers of the dossier grid at once
(heat: sky view, shadows, radiation and PET per scenario; pluvial: depths per
cloudburst). Measured on the default demo (2000 x 1600 cells of 5 m, all
products and the report, ``/usr/bin/time -v alliantie run``, 2026-12-06): a
peak of 1.43 GB resident, about 450 bytes per cell over a base of about
0.3 GB for the libraries. A grid whose estimate exceeds :data:`SHARE` of the
machine's memory is refused with the estimate and the resolution that would
fit, instead of running until the operating system kills it.
"""

from __future__ import annotations

import logging
import math
import os

from alliantie.errors import ConfigError
from alliantie.grid import Grid

log = logging.getLogger(__name__)

#: Peak memory per grid cell of a full run (bytes; measured, see the module docs).
BYTES_PER_CELL = 450
#: Memory of the libraries and the run itself, independent of the grid (bytes; measured).
BASE_BYTES = 300 * 2**20
#: Share of the machine's memory a run may plan to use.
SHARE = 0.8


def machine_memory() -> int | None:
    """Physical memory of this machine in bytes (None where the platform does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        return None


def memory_estimate(cells: int) -> int:
    """Estimated peak memory (bytes) of a full run on a grid of ``cells`` cells."""
    return BASE_BYTES + BYTES_PER_CELL * cells


def check_memory(grid: Grid, *, path: str, available: int | None = None) -> None:
    """Refuse a grid whose run would not fit in memory: a ConfigError with the estimate and a resolution that fits.

    ``available`` defaults to :func:`machine_memory`; without it nothing is checked.
    """
    memory = machine_memory() if available is None else available
    if memory is None:
        return
    cells = grid.width * grid.height
    need = memory_estimate(cells)
    allowed = SHARE * memory
    if need <= allowed:
        return
    fitting_cells = max((allowed - BASE_BYTES) / BYTES_PER_CELL, 1.0)
    fit = math.ceil(grid.res * math.sqrt(cells / fitting_cells) * 10) / 10  # coarser cells, rounded up to 0.1 m
    raise ConfigError(
        "errors.grid_too_large", path=path, width=grid.width, height=grid.height, resolution=f"{grid.res:g}",
        need=f"{need / 2**30:.1f}", have=f"{memory / 2**30:.1f}", fit=f"{fit:g}",
    )
