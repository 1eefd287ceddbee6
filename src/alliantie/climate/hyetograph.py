"""Design hyetographs: how a design storm's depth is spread over its duration.

The KNMI'23 statistics (:mod:`alliantie.climate.design_storms`) give a depth for
a duration; the static screening needs only that depth (a block storm). A model
in time (:func:`alliantie.hydrology.overland_flow`) needs the intensity from
minute to minute. We use the **alternating-block method** (V. T. Chow,
D. R. Maidment & L. W. Mays 1988, *Applied Hydrology*, McGraw-Hill, section 14.4
"Design hyetographs from IDF relationships"):

1. the depth-duration curve of the storm's return period gives the depth ``P(d)``
   of the wettest ``d`` minutes for ``d = dt, 2 dt, ..., D``;
2. the block ``j`` holds the increment ``P(j dt) - P((j - 1) dt)``;
3. the largest block goes to the middle of the storm, the others in decreasing
   order alternately to its right and left.

The depth-duration curve from one hour to ``D`` is the power law
``P(d) = P(D) (d / D)^n`` that the design storms themselves use between 1 and 24
hours (rule 2 of :mod:`~alliantie.climate.design_storms`), with the exponent
``n`` of the storm's return period and climate (:func:`depth_duration_exponent`).
The KNMI'23 table starts at one hour; below it the curve continues as
``P(d) = P(1 h) (d / 1 h)^m`` with a sub-hour exponent ``m`` of the storm's
return period through the 10- and 60-minute depths of the STOWA 2019
short-duration statistics (``knowledge/data/pluvial_overland.toml``
``[hyetograph.sub_hour]``: 0.28 at 2 years, 0.39 at 100, 0.47 at 1000; the 1-24 h
exponent, 0.09-0.24, would put 40 of the 65 mm of a 2-hour 100-year storm in its
wettest 10 minutes, STOWA gives 28.7 mm). The total over the storm is exactly
``P(D)``, the depth of the design storm.

No Dutch standard storm shape with a citable table for any duration was found
for this module (the STOWA *neerslagpatronen* of the stochastic method are
classes of observed storms, not one design shape; the sewer design storms of the
Leidraad Riolering are fixed storms, not a shape for a given depth).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from alliantie.climate.design_storms import DesignStorms
from alliantie.climate.scenarios import ClimateScenario

__all__ = ["Hyetograph", "alternating_block", "depth_duration_exponent"]


@dataclass(frozen=True)
class Hyetograph:
    """Rain intensity (mm/h) per block of ``step_s`` seconds, from the start of the storm."""

    intensity_mm_h: tuple[float, ...]
    step_s: float

    @property
    def total_mm(self) -> float:
        return float(sum(self.intensity_mm_h) * self.step_s / 3600.0)

    @property
    def duration_h(self) -> float:
        return len(self.intensity_mm_h) * self.step_s / 3600.0


def alternating_block(total_mm: float, duration_h: float, exponent: float, step_min: float = 10.0,
                      short_exponent: float | None = None) -> Hyetograph:
    """The alternating-block hyetograph of ``total_mm`` over ``duration_h`` for ``P(d) ~ d^exponent``.

    ``step_min`` must divide the duration into whole blocks. ``exponent`` in (0, 1]
    (1 gives a block storm). ``short_exponent`` (None: ``exponent``) replaces it below
    one hour (``P(d) = P(1 h) d^short_exponent``). The largest block is block
    ``(N - 1) // 2`` of ``N``.

    >>> h = alternating_block(60.0, 1.0, 0.5, step_min=15)
    >>> [round(v, 1) for v in h.intensity_mm_h]
    [38.1, 120.0, 49.7, 32.2]
    >>> round(h.total_mm, 6)
    60.0
    """
    if total_mm < 0 or not math.isfinite(total_mm):
        raise ValueError(f"total_mm must be >= 0, got {total_mm}")
    short = exponent if short_exponent is None else short_exponent
    for name, value in (("exponent", exponent), ("short_exponent", short)):
        if not 0.0 < value <= 1.0:
            raise ValueError(f"{name} must lie in (0, 1], got {value}")
    blocks = duration_h * 60.0 / step_min
    count = round(blocks)
    if count < 1 or abs(blocks - count) > 1e-9:
        raise ValueError(f"step_min {step_min:g} does not divide {duration_h:g} h into whole blocks")
    hours = np.arange(1, count + 1, dtype=np.float64) * (duration_h / count)
    cumulative = total_mm * (hours / duration_h) ** exponent
    below = hours < 1.0
    if below.any() and duration_h >= 1.0:
        one_hour = total_mm * (1.0 / duration_h) ** exponent
        cumulative[below] = one_hour * hours[below] ** short
    increments = np.diff(np.concatenate([[0.0], cumulative]))
    order = np.sort(increments)[::-1]
    out = np.zeros(count)
    centre = (count - 1) // 2
    positions = [centre]
    for k in range(1, count):
        offset = (k + 1) // 2
        positions.append(centre + offset if k % 2 == 1 else centre - offset)
    for value, pos in zip(order, positions, strict=True):
        out[pos] = value
    step_s = step_min * 60.0
    return Hyetograph(tuple(float(v) * 3600.0 / step_s for v in out), step_s)


def depth_duration_exponent(storms: DesignStorms, return_period: float,
                            scenario: ClimateScenario | None = None) -> float | None:
    """``n`` of the power law ``P(d) ~ d^n`` between 1 and 24 hours at ``return_period`` in ``scenario``.

    None when the scenario has no numbers.

    >>> from alliantie.climate.rain_statistics import load_rain_statistics
    >>> round(depth_duration_exponent(DesignStorms(load_rain_statistics(), "R"), 100), 3)
    0.17
    """
    short = storms.depth_mm(return_period, 1.0, scenario)
    long = storms.depth_mm(return_period, 24.0, scenario)
    if short is None or long is None or short <= 0 or long <= short:
        return None
    return math.log(long / short) / math.log(24.0)
