"""Raster inputs checked at the door: impossible values and coverage of the study area.

Each raster of the input table may declare a plausible value range in its unit
(:class:`alliantie.dossier.config.InputSpec` ``plausible``). Values outside it
(an ArcGIS ``-3.4e38`` without a nodata tag, a ``1e30`` block, ``-9999`` used as
a fill value) are not data: they are turned into no data, counted and named in
a warning, and refused when they are most of the study area. Then the share of
the study area with data is checked: refused below :data:`MIN_COVERAGE`,
a warning that names the share below :data:`FULL_COVERAGE`. ``alliantie check``
and ``alliantie run`` call the same function, so ``check`` says "in orde" only
when ``run`` will not refuse a raster for one of these reasons.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from alliantie.errors import InputDataError
from alliantie.i18n import translate
from alliantie.io.raster import RasterData

log = logging.getLogger(__name__)

#: What an uncovered study area means for a raster (see :func:`check_raster`).
CoverageRule = Literal["refuse", "warn", "none"]

#: Share of the study area a required raster must cover with data before anything is computed
#: (alliantie estimate: below half, every product would describe the gaps rather than the area).
MIN_COVERAGE = 0.5
#: Below this share a run goes on with a warning that names the share.
FULL_COVERAGE = 0.99


@dataclass(frozen=True)
class RasterCheck:
    """What the door found in one raster: cells with impossible values and the share of the area covered."""

    implausible_cells: int
    coverage: float
    data: RasterData


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def mask_implausible(data: RasterData, low: float, high: float, *, path: str, unit: str,
                     area: np.ndarray) -> tuple[RasterData, int]:
    """``data`` with values outside ``[low, high]`` set to NaN, and how many cells that were.

    A warning names the count, the extremes found and the range; when the
    impossible values cover at least :data:`MIN_COVERAGE` of the study area the
    raster is refused (most likely a unit or nodata-tag problem, not data).
    Categorical rasters are returned unchanged (their check is the code list).
    """
    array = data.array
    if not np.issubdtype(array.dtype, np.floating):
        return data, 0
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(array) & ((array < low) | (array > high))
    count = int(np.count_nonzero(bad))
    if not count:
        return data, 0
    found_low, found_high = float(np.min(array[bad])), float(np.max(array[bad]))
    inside = int(np.count_nonzero(area))
    share = float(np.count_nonzero(bad & area)) / inside if inside else 1.0
    fields = dict(path=path, count=count, share=f"{100 * share:.1f}", found_low=_fmt(found_low),
                  found_high=_fmt(found_high), low=_fmt(low), high=_fmt(high), unit=unit)
    if share >= MIN_COVERAGE:
        raise InputDataError("errors.raster_implausible", **fields)
    log.warning(translate("errors.raster_implausible_masked", None, **fields))
    cleaned = array.copy()
    cleaned[bad] = np.nan
    return replace(data, array=cleaned), count


def coverage(data: RasterData, area: np.ndarray) -> float:
    """The share of the study area (``area`` mask) where ``data`` has data."""
    inside = int(np.count_nonzero(area))
    return float(np.count_nonzero(data.valid & area)) / inside if inside else 0.0


def check_coverage(data: RasterData, area: np.ndarray, *, path: str, what: str) -> float:
    """The share of the study area with data; refused below :data:`MIN_COVERAGE`, a warning below full."""
    share = coverage(data, area)
    if share < MIN_COVERAGE:
        raise InputDataError("errors.raster_coverage", path=path, what=what, share=f"{100 * share:.0f}",
                             minimum=f"{100 * MIN_COVERAGE:.0f}")
    if share < FULL_COVERAGE:
        log.warning(translate("errors.raster_coverage_partial", None, path=path, what=what,
                              share=f"{100 * share:.1f}"))
    return share


def check_raster(data: RasterData, area: np.ndarray, *, path: str, what: str,
                 plausible: tuple[float, float] | None, unit: str, coverage_rule: CoverageRule) -> RasterCheck:
    """Impossible values masked (or refused), then coverage: refused below the minimum, warned about, or neither.

    ``coverage_rule``: ``"refuse"`` (the DEM, land use: every product rests on them), ``"warn"`` (groundwater:
    the products report what they could not assess), ``"none"`` (a flood-depth map, where dry may be no data).
    """
    count = 0
    if plausible is not None:
        data, count = mask_implausible(data, plausible[0], plausible[1], path=path, unit=unit, area=area)
    if coverage_rule == "refuse":
        share = check_coverage(data, area, path=path, what=what)
    else:
        share = coverage(data, area)
        if coverage_rule == "warn" and share < FULL_COVERAGE:
            log.warning(translate("errors.raster_coverage_partial", None, path=path, what=what,
                                  share=f"{100 * share:.1f}"))
    return RasterCheck(implausible_cells=count, coverage=share, data=data)
