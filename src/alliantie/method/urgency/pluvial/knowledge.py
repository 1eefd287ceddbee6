"""Typed views of the knowledge files of pluvial flooding: ``rain_events.toml`` and ``infiltration.toml``.

Every number keeps its ``unit`` and ``source`` (the knowledge convention of
:mod:`alliantie.knowledge`); a file that lacks a field, has an unknown one or a
value of the wrong type is a :class:`~alliantie.errors.ConfigError` naming the
file and the field. The land-use groups (``lgn_classes.toml``) and main soil
classes (``soil_classes.toml``) that ``infiltration.toml`` refers to belong to
the base information: their models are on the knowledge floor
(:mod:`alliantie.knowledge.land_use`, :mod:`alliantie.knowledge.soil_classes`),
joined to this file where they are used (:mod:`.runoff`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any, Literal, Self

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from alliantie.knowledge.model import parse_knowledge


class _Knowledge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def parse(cls, data: Mapping[str, Any], name: str) -> Self:
        """The parsed knowledge file ``name`` (a knowledge name such as ``"rain_events"``, or the path of the file
        it was read from) as this model; a ConfigError naming the file and every wrong field."""
        return parse_knowledge(cls, data, name if name.endswith(".toml") else f"{name}.toml")


# --- rain_events.toml ------------------------------------------------------------------------------

class RainEventEntry(_Knowledge):
    """One standard cloudburst of ``[[event]]`` (today's climate)."""

    id: str = Field(description="event id, as in [parameters.pluvial] events (t100, t1000)")
    rain_mm: float = Field(description="rain depth over the duration, mm")
    duration_h: float = Field(description="duration of the event, h")
    return_period_years: float | None = Field(
        None, description="return period the maps are published with (legend and the damage incident only)")
    unit: str = Field(description="unit of rain_mm")
    nl: str | None = Field(None, description="Dutch label (default: the id)")
    en: str | None = Field(None, description="English label (default: the id)")
    source: str = Field(description="where the event comes from")


class RainEventsKnowledge(_Knowledge):
    """Contents of knowledge file ``rain_events.toml``."""

    title: str = ""
    event: list[RainEventEntry] = Field(default_factory=list, description="the standard events ([[event]])")


# --- infiltration.toml -----------------------------------------------------------------------------

class SewerCapacity(_Knowledge):
    """``[sewer]``: what the sewer takes of a cloudburst over the paved part of sewered land use, as an intensity."""

    capacity_mm_per_h: float = Field(ge=0, description="sewer capacity, mm per hour over the paved sewered area")
    unit: str
    source: str


class SoilInfiltration(_Knowledge):
    """``[[soil]]``: infiltration during a cloudburst on the unpaved ground of a main soil class."""

    main: str = Field(description="main soil class id of soil_classes.toml (sand, clay, ...)")
    infiltration_mm: float = Field(description="infiltration, mm per event")
    unit: str
    source: str


class LanduseRunoff(_Knowledge):
    """``[[landuse]]``: paved share of a land-use group and whether its paved part drains into a sewer."""

    group: str = Field(description="land-use group (vegetation group of lgn_classes.toml)")
    paved_share: float = Field(description="paved share of the cell, fraction")
    sewered: bool = Field(False, description="the paved part drains into a sewer")
    water: bool = Field(False, description="open water: no runoff, an outlet")
    unit: str
    source: str


class InfiltrationKnowledge(_Knowledge):
    """Contents of knowledge file ``infiltration.toml``."""

    title: str = ""
    sewer: SewerCapacity
    soil: list[SoilInfiltration]
    landuse: list[LanduseRunoff]


# --- pluvial_overland.toml -------------------------------------------------------------------------

class SubHourDepths(_Knowledge):
    """One row of ``[hyetograph.sub_hour] depths``: the wettest 10, 30 and 60 minutes of a return period."""

    return_period_years: float = Field(gt=0)
    depth_10min_mm: float = Field(gt=0)
    depth_30min_mm: float = Field(gt=0)
    depth_60min_mm: float = Field(gt=0)

    @model_validator(mode="after")
    def _rising(self) -> Self:
        if not self.depth_10min_mm < self.depth_30min_mm < self.depth_60min_mm:
            raise ValueError(f"T = {self.return_period_years:g}: the depths must rise from 10 to 30 to 60 minutes")
        return self

    @property
    def exponent(self) -> float:
        """``m`` of ``P(d) = P(1 h) (d / 1 h)^m`` through the 10- and 60-minute depths."""
        return math.log(self.depth_60min_mm / self.depth_10min_mm) / math.log(6.0)


class SubHourCurve(_Knowledge):
    """``[hyetograph.sub_hour]``: the short-duration depths (STOWA 2019) that shape the curve below one hour."""

    unit: str
    source: str
    depths: list[SubHourDepths] = Field(min_length=1)

    @model_validator(mode="after")
    def _sorted(self) -> Self:
        periods = [row.return_period_years for row in self.depths]
        if any(b <= a for a, b in itertools.pairwise(periods)):
            raise ValueError("depths: return_period_years must rise from row to row")
        return self

    def exponent(self, return_period: float) -> float:
        """``m`` at ``return_period``: linear in ``ln T`` between the rows, the first / last row's outside them.

        >>> curve = SubHourCurve(unit="mm", source="s", depths=[
        ...     SubHourDepths(return_period_years=10, depth_10min_mm=10, depth_30min_mm=15, depth_60min_mm=20),
        ...     SubHourDepths(return_period_years=100, depth_10min_mm=10, depth_30min_mm=20, depth_60min_mm=40)])
        >>> [round(curve.exponent(t), 4) for t in (1, 10, 10 ** 1.5, 100, 1000)]
        [0.3869, 0.3869, 0.5803, 0.7737, 0.7737]
        """
        if not return_period > 0:
            raise ValueError(f"return_period must be > 0, got {return_period}")
        logs = np.log([row.return_period_years for row in self.depths])
        return float(np.interp(math.log(return_period), logs, [row.exponent for row in self.depths]))


class SubHourClimate(_Knowledge):
    """``[hyetograph.sub_hour_climate]``: how the sub-hour curve changes with the climate scenario."""

    estimate: bool
    source: str


class HyetographEntry(_Knowledge):
    """``[hyetograph]``: the design hyetograph of the 2-D engine (alternating-block method)."""

    method: Literal["alternating_block"] = Field(description="the method (Chow, Maidment & Mays 1988, 14.4)")
    step_min: float = Field(gt=0, le=60, description="length of one block, minutes")
    step_unit: str
    source: str
    sub_hour: SubHourCurve
    sub_hour_climate: SubHourClimate

    def sub_hour_exponent(self, return_period: float) -> float:
        """The exponent of the depth-duration curve below one hour at ``return_period`` (years)."""
        return self.sub_hour.exponent(return_period)


class RoughnessEntry(_Knowledge):
    """``[roughness]``: Manning's n of the open cells."""

    manning_n: float = Field(gt=0, le=1, description="Manning's n, s m^-1/3")
    unit: str
    source: str


class LiteratureNote(_Knowledge):
    """What the literature searched for an estimate says (read by people, not by the code)."""

    source: str


class RoadDurationEntry(_Knowledge):
    """``[roads]``: how long a road piece must be under water (first depth class) to be impassable."""

    min_duration_h: float = Field(ge=0, description="hours at or above the first road depth class")
    unit: str
    estimate: bool = False
    source: str
    literature: LiteratureNote | None = None


class DrainEntry(_Knowledge):
    """``[drain]``: the duration of water still standing at the end of the run."""

    max_duration_h: float = Field(gt=0, description="longest duration, h")
    unit: str
    estimate: bool = False
    source: str


class OverlandKnowledge(_Knowledge):
    """Contents of knowledge file ``pluvial_overland.toml``."""

    title: str = ""
    hyetograph: HyetographEntry
    roughness: RoughnessEntry
    roads: RoadDurationEntry
    drain: DrainEntry
