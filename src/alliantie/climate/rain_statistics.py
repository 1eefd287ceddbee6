"""The KNMI'23 extreme-rain statistics of knowledge file ``rain_statistics.toml``, typed.

24 rows: the rain depth (mm) exceeded once in ``T`` years (``T`` = 1, 10, 100,
1000) over 1 hour and over 24 hours, in the three rain regimes of the
Netherlands (``L``, ``R``, ``H``), for today's climate (``ref``, "representative
for the climate around 2022") and for the lowest (``laag``) and highest
(``hoog``) KNMI'23 scenario around 2050 and 2100. Every row keeps its source; a
file with a missing column, an unknown key, a repeated row or a depth that does
not grow from ``ref`` to ``hoog_2100`` and with the return period is a
:class:`~alliantie.errors.ConfigError` naming the file.

:mod:`alliantie.climate.design_storms` turns the table into a depth for any
return period, duration and scenario.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel, NonBlank, unique

KNOWLEDGE = "rain_statistics"
#: The rain regimes of the Netherlands (Neerslagregime_JAAR.geojson of the CAS data set).
Regime = Literal["L", "R", "H"]
REGIMES: tuple[Regime, ...] = ("L", "R", "H")
#: The columns of a row: today's climate, then the lowest and highest scenario per horizon.
COLUMNS: tuple[str, ...] = ("ref", "laag_2050", "hoog_2050", "laag_2100", "hoog_2100")
#: The horizons of the data.
HORIZONS: tuple[int, ...] = (2050, 2100)
Column = Literal["laag", "hoog"]


class RainQuantile(KnowledgeModel):
    """``[[quantile]]``: the depth exceeded once in ``return_period_years`` over ``duration_h`` in one regime."""

    duration_h: float = Field(gt=0, description="duration, hours (1 or 24 in the data)")
    return_period_years: float = Field(ge=1, description="mean interval between exceedances, years")
    regime: Regime
    ref: float = Field(gt=0, description="today's climate (around 2022), mm")
    laag_2050: float = Field(gt=0, description="lowest KNMI'23 scenario around 2050, mm")
    hoog_2050: float = Field(gt=0, description="highest KNMI'23 scenario around 2050, mm")
    laag_2100: float = Field(gt=0, description="lowest KNMI'23 scenario around 2100, mm")
    hoog_2100: float = Field(gt=0, description="highest KNMI'23 scenario around 2100, mm")
    source: NonBlank

    def depth(self, column: str) -> float:
        """The depth of ``column`` (``ref``, ``laag_2050``, ...), mm."""
        if column not in COLUMNS:
            raise KeyError(column)
        return float(getattr(self, column))


class ScenarioColumns(KnowledgeModel):
    """``[scenario_columns]``: which column a KNMI'23 scenario group (the first letter: L, M, H) takes."""

    L: Column = "laag"
    H: Column = "hoog"
    source: NonBlank


class RainStatistics(KnowledgeFile):
    """Knowledge file ``rain_statistics.toml``."""

    FILE: ClassVar[str] = KNOWLEDGE

    unit: NonBlank
    scenario_columns: ScenarioColumns
    quantile: list[RainQuantile] = Field(min_length=1)

    @field_validator("quantile")
    @classmethod
    def _unique(cls, rows: list[RainQuantile]) -> list[RainQuantile]:
        return unique(rows, [(r.regime, r.duration_h, r.return_period_years) for r in rows],
                      "(regime, duration_h, return_period_years)")

    @model_validator(mode="after")
    def _consistent(self) -> RainStatistics:
        for regime in {r.regime for r in self.quantile}:
            for duration in {r.duration_h for r in self.quantile if r.regime == regime}:
                rows = self.rows(regime, duration)
                if len(rows) < 2:
                    raise ValueError(f"regime {regime}, {duration:g} h: at least two return periods are needed")
                for column in COLUMNS:
                    depths = [r.depth(column) for r in rows]
                    if any(b <= a for a, b in itertools.pairwise(depths)):
                        raise ValueError(f"regime {regime}, {duration:g} h, {column}: depths must grow with the "
                                         "return period")
        for row in self.quantile:
            if not row.ref <= row.laag_2050 <= row.hoog_2050 or not row.ref <= row.laag_2100 <= row.hoog_2100:
                raise ValueError(f"regime {row.regime}, {row.duration_h:g} h, T={row.return_period_years:g}: "
                                 "depths must not fall from ref to laag to hoog")
        return self

    def rows(self, regime: str, duration_h: float) -> list[RainQuantile]:
        """The rows of ``regime`` and ``duration_h``, from frequent to rare."""
        return sorted((r for r in self.quantile if r.regime == regime and r.duration_h == duration_h),
                      key=lambda r: r.return_period_years)

    def durations(self, regime: str) -> list[float]:
        """The tabulated durations of ``regime``, hours, ascending."""
        return sorted({r.duration_h for r in self.quantile if r.regime == regime})


def load_rain_statistics(data: Mapping[str, Any] | None = None, path: str | Path | None = None) -> RainStatistics:
    """The shipped ``rain_statistics.toml`` (or ``data`` already read from ``path``), checked."""
    if data is None:
        return RainStatistics.load(Path(path) if path is not None else None)
    return RainStatistics.parse(data, path)
