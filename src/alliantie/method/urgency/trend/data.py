"""The content of ``trend.json`` (:class:`TrendData`): scenarios, severity classes, themes and their cells.

Everything a web viewer needs to switch theme and scenario; written by
:func:`alliantie.method.urgency.trend.outputs.write_trend`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from alliantie.contract.spec import Text
from alliantie.contract.theme import HIGH, LOW, MODERATE, NONE

#: Colour of severity class 0 (none) in the small multiples: a light neutral under the yellow-brown classes.
NONE_COLOR = "#eeeee6"
CLASSES = (NONE, LOW, MODERATE, HIGH)

Status = Literal["computed", "current_only", "no_data"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrendScenario(_Frozen):
    id: str = Field(description="scenario id: current, Ld2050, ... (file names of every step 1 product)")
    label: Text = Field(description="label for maps and tables")


class SeverityClass(_Frozen):
    value: int = Field(description="severity class 0 none, 1 low, 2 moderate, 3 high")
    color: str = Field(description="colour #rrggbb, shared by every theme")
    label: Text


class Neighbourhood(_Frozen):
    code: str
    name: str


class TrendCell(_Frozen):
    """One theme in one scenario."""

    scenario: str = Field(description="scenario id")
    status: Status = Field(description="computed: the theme's raster of this scenario; current_only: the theme "
                                       "does not vary with the climate and today's raster stands for every "
                                       "scenario; no_data: nothing sourced to show")
    file: str | None = Field(None, description="severity raster relative to the trend folder, None without data")
    area_ha: list[float] = Field(default_factory=list, description="ha per severity class 0-3 inside the area")
    share: list[float] = Field(default_factory=list, description="share 0-1 of the assessed area per class 0-3")
    zones: dict[str, list[float]] = Field(default_factory=dict,
                                          description="neighbourhood code -> share 0-1 per class 0-3")
    missing: list[str] = Field(default_factory=list, description="climate variables without a sourced number")


class TrendIndicator(_Frozen):
    id: str
    unit: str
    label: Text
    higher_is_worse: bool = True
    key: bool = Field(False, description="the theme's key indicator (the first it lists), shown in the report")


class TrendTheme(_Frozen):
    theme: str
    product: str
    available: bool = Field(description="False when the theme product left no theme.json and no rasters")
    name: Text = Field(description="short theme name for labels (Hittestress)")
    title: Text = Field(description="the theme product's own title (theme.json)")
    classes: dict[str, Text] = Field(default_factory=dict, description="what severity classes 1-3 mean")
    indicators: list[TrendIndicator] = Field(default_factory=list)
    cells: list[TrendCell] = Field(default_factory=list, description="one per scenario, in scenario order")
    #: indicator id -> scenario id -> neighbourhood code ("" = the whole area) -> value in the indicator's unit.
    values: dict[str, dict[str, dict[str, float]]] = Field(default_factory=dict)

    def cell(self, scenario_id: str) -> TrendCell | None:
        return next((c for c in self.cells if c.scenario == scenario_id), None)


class TrendData(_Frozen):
    """Content of ``trend.json``."""

    version: int = 1
    scenarios: list[TrendScenario]
    classes: list[SeverityClass]
    neighbourhoods: list[Neighbourhood] = Field(default_factory=list)
    themes: list[TrendTheme]
