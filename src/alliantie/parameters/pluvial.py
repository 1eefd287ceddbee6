"""Parameters of the pluvial-flooding products (step 1, *Urgentie*), read from ``[parameters.pluvial]``.

Units are in the names; the defaults and their reasoning are in ``docs/pluvial.md``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _default_events() -> list[str]:
    return ["t100", "t1000"]


class PluvialParameters(BaseModel):
    """Tunable numbers of the pluvial-flooding products (see ``docs/pluvial.md``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    events: list[str] = Field(
        default_factory=_default_events, min_length=1,
        description="ids of the rain events of knowledge file rain_events.toml",
    )
    temperature_variable: str = Field(
        "t_mean_summer",
        description=(
            "KNMI variable (knowledge file knmi_scenarios.toml) whose change (degrees C) in each scenario of "
            "[scenarios] scales the rain by the extreme-rain scaling; a scenario without a sourced number is skipped"
        ),
    )
    severity_event: str = Field(
        "t100", description="event whose water depth gives the pluvial severity classes of the vulnerability map",
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
