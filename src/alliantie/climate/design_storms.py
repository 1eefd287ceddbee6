"""Design storms from the KNMI'23 extreme-rain statistics: a rain depth for any return period, duration and scenario.

The knowledge file ``rain_statistics.toml`` (:mod:`alliantie.climate.rain_statistics`)
gives, per rain regime (L, R, H), the depth exceeded once in 1, 10, 100 and 1000
years over 1 and 24 hours, today and in the lowest (``laag``) and highest
(``hoog``) KNMI'23 scenario around 2050 and 2100. The rules (docs/climate.md):

1. **Return period.** Between two tabulated return periods the depth is linear
   in ``ln T`` (the Gumbel-like shape of the exceedance curve of rain extremes:
   the four tabulated points of every column lie close to a line in ``ln T``,
   slightly convex). ``T`` is the mean interval between exceedances (an
   exceedance frequency of ``1/T`` per year; "eens per jaar" is ``T = 1``).
   Outside 1-1000 years no depth is given (no extrapolation).
2. **Duration.** Between 1 and 24 hours the depth is linear in ``ln(duration)``
   against ``ln(depth)`` (a power law through the two tabulated durations, at the
   same return period). Outside 1-24 hours no depth is given.
3. **Scenario.** Today's climate takes the column ``ref`` ("representative for
   the climate around 2022"). A KNMI'23 scenario takes the column of its warming
   level, its first letter: L (Ld, Ln) ``laag``, H (Hd, Hn) ``hoog``
   (``[scenario_columns]`` of the file says why), at its horizon (2050 or 2100).
   An M scenario (Md, Mn; not in the data) gets the change factor
   ``depth / ref`` interpolated linearly in its summer-mean warming (variable
   ``t_mean_summer`` of ``knmi_scenarios.toml``) between that of an L and an H
   scenario of the same horizon (the same d/n letter first); without those
   numbers it is missing. Other horizons and other scenario sets are missing.
   Rules 1 and 2 are applied within each column, so a tabulated value comes
   back exactly.

A hyetograph is not built: the pluvial screening (fill-spill-merge) uses only
the depth; :attr:`DesignStorm.intensity_mm_h` is the mean (block) intensity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from alliantie.climate.rain_statistics import HORIZONS, RainQuantile, RainStatistics, Regime
from alliantie.climate.scenarios import DEFAULT_SET, ClimateScenario, ClimateTable

#: The summer-mean warming that places an M scenario between L and H.
WARMING_VARIABLE = "t_mean_summer"
#: The return periods of the default event series, years (issue 10: at least these).
DEFAULT_RETURN_PERIODS: tuple[float, ...] = (2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0)


@dataclass(frozen=True)
class DesignStorm:
    """A rain depth (mm) over ``duration_h`` exceeded once in ``return_period_years`` in one climate."""

    return_period_years: float
    duration_h: float
    depth_mm: float
    scenario: str
    regime: str

    @property
    def intensity_mm_h(self) -> float:
        """Mean intensity over the duration (a block hyetograph), mm/h."""
        return self.depth_mm / self.duration_h


def interpolate_log_t(return_periods: Sequence[float], depths: Sequence[float], return_period: float) -> float:
    """Depth at ``return_period``, linear in ``ln T`` between the tabulated points (no extrapolation).

    >>> interpolate_log_t([1, 10, 100], [16.2, 31.0, 57.7], 10)
    31.0
    >>> round(interpolate_log_t([1, 10], [16.2, 31.0], 2), 3)   # 16.2 + 14.8 * log10(2)
    20.655
    """
    ts = [float(t) for t in return_periods]
    if not ts[0] <= return_period <= ts[-1]:
        raise ValueError(f"return period {return_period:g} outside {ts[0]:g}-{ts[-1]:g} years")
    for i in range(len(ts) - 1):
        t0, t1 = ts[i], ts[i + 1]
        if t0 <= return_period <= t1:
            if return_period == t0:
                return float(depths[i])
            if return_period == t1:
                return float(depths[i + 1])
            w = math.log(return_period / t0) / math.log(t1 / t0)
            return float(depths[i] + w * (depths[i + 1] - depths[i]))
    raise AssertionError("unreachable")  # pragma: no cover


def interpolate_log_log(durations: Sequence[float], depths: Sequence[float], duration_h: float) -> float:
    """Depth at ``duration_h``: ``ln depth`` linear in ``ln duration`` between tabulated durations.

    >>> round(interpolate_log_log([1, 24], [57.7, 98.9], 2), 3)   # 57.7 * 2 ** (ln(98.9/57.7) / ln 24)
    64.896
    """
    ds = [float(d) for d in durations]
    if not ds[0] <= duration_h <= ds[-1]:
        raise ValueError(f"duration {duration_h:g} h outside {ds[0]:g}-{ds[-1]:g} h")
    for i in range(len(ds) - 1):
        d0, d1 = ds[i], ds[i + 1]
        if d0 <= duration_h <= d1:
            if duration_h == d0:
                return float(depths[i])
            if duration_h == d1:
                return float(depths[i + 1])
            w = math.log(duration_h / d0) / math.log(d1 / d0)
            return float(math.exp(math.log(depths[i]) + w * (math.log(depths[i + 1]) - math.log(depths[i]))))
    if len(ds) == 1:
        return float(depths[0])
    raise AssertionError("unreachable")  # pragma: no cover


class DesignStorms:
    """Design-storm depths of one rain regime (rules in the module docs).

    ``climate`` (the KNMI table) is needed only for M scenarios.

    >>> from alliantie.climate.rain_statistics import load_rain_statistics
    >>> storms = DesignStorms(load_rain_statistics(), "R")
    >>> storms.depth_mm(100, 1)                     # tabulated: today, regime R
    57.7
    >>> storms.depth_mm(100, 1, ClimateScenario("Hd", 2100))
    71.2
    >>> round(storms.depth_mm(100, 2), 1)           # 2 hours, between 1 h and 24 h
    64.9
    """

    def __init__(self, statistics: RainStatistics, regime: Regime = "R", climate: ClimateTable | None = None,
                 warming_variable: str = WARMING_VARIABLE) -> None:
        if regime not in {r.regime for r in statistics.quantile}:
            raise ValueError(f"rain regime {regime!r} not in rain_statistics.toml")
        self.statistics = statistics
        self.regime = regime
        self.climate = climate
        self.warming_variable = warming_variable
        self.durations = statistics.durations(regime)
        self._rows: dict[float, list[RainQuantile]] = {d: statistics.rows(regime, d) for d in self.durations}

    @property
    def return_period_range(self) -> tuple[float, float]:
        """The smallest and largest return period with a depth, years (where every duration has one)."""
        low = max(rows[0].return_period_years for rows in self._rows.values())
        high = min(rows[-1].return_period_years for rows in self._rows.values())
        return low, high

    def column_depth(self, column: str, return_period: float, duration_h: float) -> float:
        """Depth (mm) of data column ``column`` (``ref``, ``laag_2050``, ...) by rules 1 and 2."""
        per_duration = []
        for d in self.durations:
            rows = self._rows[d]
            per_duration.append(interpolate_log_t([r.return_period_years for r in rows],
                                                  [r.depth(column) for r in rows], return_period))
        return interpolate_log_log(self.durations, per_duration, duration_h)

    def column(self, scenario: ClimateScenario) -> str | None:
        """The data column of ``scenario`` (``ref`` today), or None when it has none of its own (M, other)."""
        if scenario.is_current:
            return "ref"
        if scenario.set != DEFAULT_SET or scenario.horizon not in HORIZONS or not scenario.name:
            return None
        group = scenario.name[0]
        columns = self.statistics.scenario_columns
        level = {"L": columns.L, "H": columns.H}.get(group)
        return None if level is None else f"{level}_{scenario.horizon}"

    def change_factor(self, scenario: ClimateScenario, return_period: float, duration_h: float) -> float | None:
        """``depth(scenario) / depth(today)`` at ``return_period`` and ``duration_h``; None when missing."""
        depth = self.depth_mm(return_period, duration_h, scenario)
        return None if depth is None else depth / self.column_depth("ref", return_period, duration_h)

    def depth_mm(self, return_period: float, duration_h: float,
                 scenario: ClimateScenario | None = None) -> float | None:
        """Rain depth (mm) exceeded once in ``return_period`` years over ``duration_h`` in ``scenario``.

        None when the scenario has no number (rule 3); a ValueError outside the
        tabulated return periods (1-1000 years) or durations (1-24 hours).
        """
        scenario = scenario or ClimateScenario()
        column = self.column(scenario)
        if column is not None:
            return self.column_depth(column, return_period, duration_h)
        return self._interpolated(scenario, return_period, duration_h)

    def storm(self, return_period: float, duration_h: float,
              scenario: ClimateScenario | None = None) -> DesignStorm | None:
        """The :class:`DesignStorm` of :meth:`depth_mm` (None when the scenario has no number)."""
        scenario = scenario or ClimateScenario()
        depth = self.depth_mm(return_period, duration_h, scenario)
        if depth is None:
            return None
        return DesignStorm(float(return_period), float(duration_h), depth, scenario.id, self.regime)

    def _warming(self, name: str, horizon: int) -> float | None:
        if self.climate is None or self.warming_variable not in self.climate.variables:
            return None
        return self.climate.change(self.warming_variable, ClimateScenario(name, horizon))

    def _interpolated(self, scenario: ClimateScenario, return_period: float, duration_h: float) -> float | None:
        """An M scenario: the change factor linear in summer-mean warming between L and H (rule 3)."""
        name, horizon = scenario.name, scenario.horizon
        if (scenario.set != DEFAULT_SET or not name or name[0] != "M" or horizon not in HORIZONS
                or self.climate is None):
            return None
        assert horizon is not None
        warming = self._warming(name, horizon)
        if warming is None:
            return None
        wet_dry = name[1:]
        anchors: dict[str, tuple[float, str]] = {}
        for group in ("L", "H"):
            for suffix in (wet_dry, *(s for s in ("d", "n") if s != wet_dry)):
                found = self._warming(group + suffix, horizon)
                if found is not None:
                    column = self.column(ClimateScenario(group + suffix, horizon))
                    assert column is not None
                    anchors[group] = (found, column)
                    break
        if len(anchors) < 2 or anchors["H"][0] <= anchors["L"][0]:
            return None
        ref = self.column_depth("ref", return_period, duration_h)
        (w_low, col_low), (w_high, col_high) = anchors["L"], anchors["H"]
        f_low = self.column_depth(col_low, return_period, duration_h) / ref
        f_high = self.column_depth(col_high, return_period, duration_h) / ref
        share = min(max((warming - w_low) / (w_high - w_low), 0.0), 1.0)
        return ref * (f_low + share * (f_high - f_low))
