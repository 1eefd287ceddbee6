"""Parameters of the pluvial-flooding products (step 1, *Urgentie*), read from ``[parameters.pluvial]``.

Units are in the names; the defaults and their reasoning are in ``docs/pluvial.md``.
"""

from __future__ import annotations

import itertools
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


def _default_events() -> list[str]:
    return ["t100", "t1000"]


def _default_return_periods() -> list[float]:
    return [2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0]


class PluvialParameters(BaseModel):
    """Tunable numbers of the pluvial-flooding products (see ``docs/pluvial.md``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    return_periods: list[float] = Field(
        default_factory=_default_return_periods, min_length=2,
        description=(
            "return periods (years, 1-1000, increasing) of the event series: a design storm of duration_h hours "
            "from the KNMI'23 statistics (rain_statistics.toml) for each, in every scenario; the expected annual "
            "damage integrates them"
        ),
    )
    duration_h: float = Field(
        2.0, ge=1, le=24, description="duration of the design storms of the series, hours (1-24)",
    )
    regime: Literal["L", "R", "H"] = Field(
        "R", description=(
            "KNMI rain regime of the area (Neerslagregime_JAAR of the KNMI'23 data: L lower, R the reference, "
            "H higher extremes; De Bilt and Amersfoort lie in R)"
        ),
    )
    map_return_period: float = Field(
        100.0, description=(
            "return period (one of return_periods) whose depth is written as a raster and drawn per scenario, "
            "and gives the severity classes of the vulnerability map"
        ),
    )
    events: list[str] = Field(
        default_factory=_default_events,
        description=(
            "ids of the stress-test events of knowledge file rain_events.toml (the Klimaateffectatlas standard "
            "maps, 70 and 140 mm in 2 hours), computed in today's climate only and drawn as such"
        ),
    )
    extra_storage_mm: float = Field(
        0.0, ge=0, le=1000, description=(
            "storage added by measures (mm of water per m2 of land: wadis, water squares, green roofs, spread "
            "over the area), taken off the runoff of every land cell before it is routed"
        ),
    )
    building_raise_m: float = Field(
        10.0, ge=0, le=100, description="height (m) by which building footprints are raised in the DEM",
    )
    min_depth_m: float = Field(
        0.02, ge=0, le=1, description="water depths below this (m) are not shown",
    )
    min_bluespot_area_m2: float = Field(
        50.0, ge=0, le=1e7, description="bluespots smaller than this (m2) are not listed",
    )
    floor_height_m: float = Field(
        0.15, ge=0, le=2,
        description="floor height above ground (m) for buildings without floor_level_m",
    )
    road_depth_classes_m: tuple[float, float] = Field(
        (0.10, 0.30), description="water depths (m) from which a road is impassable for cars / for all traffic",
    )
    flow_path_min_area_ha: float = Field(
        5.0, gt=0, le=100000, description="smallest upstream area (ha) of a drawn flow path",
    )
    engine: Literal["screening", "overland"] = Field(
        "screening", description=(
            "engine of every storm: 'screening' (fill-spill-merge of the net runoff, water at rest, fast) or "
            "'overland' (2-D overland flow in time with a design hyetograph: the largest depth, and how long the "
            "water stands, per cell; minutes per storm)"
        ),
    )
    overland_after_h: float = Field(
        1.0, ge=0, le=24, description="engine 'overland': hours simulated after the rain has stopped",
    )
    overland_output_every_s: float = Field(
        300.0, ge=10, le=3600, description=(
            "engine 'overland': seconds between the depth snapshots from which the durations are counted "
            "(the resolution of every duration)"
        ),
    )
    water_as_outlet: bool = Field(
        True, description=(
            "cells of land-use group water and cells touched by the water courses and water bodies are outlets "
            "(runoff reaching them joins the water system)"
        ),
    )

    @field_validator("road_depth_classes_m")
    @classmethod
    def _increasing(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not 0 < value[0] < value[1]:
            raise ValueError("road depth classes must be two increasing depths above 0 (m)")
        return value

    @field_validator("return_periods")
    @classmethod
    def _series(cls, value: list[float]) -> list[float]:
        if any(not 1 <= t <= 1000 for t in value):
            raise ValueError("return periods must lie between 1 and 1000 years (the KNMI'23 statistics' range)")
        if any(b <= a for a, b in itertools.pairwise(value)):
            raise ValueError("return periods must increase")
        return value

    @model_validator(mode="after")
    def _map_in_series(self) -> PluvialParameters:
        if self.map_return_period not in self.return_periods:
            raise ValueError(f"map_return_period {self.map_return_period:g} is not one of return_periods")
        return self
