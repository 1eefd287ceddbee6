"""Typed ``summary.json`` files that products hand each other (and the report and web app read).

Each model mirrors the file its product writes, field for field; readers get a
model (or None when the product did not run), never a dict read with ``.get()``.
The files keep their old layout, so saved products stay readable.

- :class:`PluvialSummary`: ``urgency.pluvial/summary.json``, every cloudburst case
  (event x scenario) with its water balance and counts, per neighbourhood too;
- :class:`PluvialOverlandSummary`: ``urgency.pluvial/overland.json``, the 2-D runs of
  the engine "overland" (water balance, roads impassable by depth and duration);
- :class:`FloodSummary`: ``urgency.flood/summary.json``, how the flood was made
  (:class:`FloodMode`) and each scenario's breach.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from alliantie.contract.spec import Text
from alliantie.io.atomic import atomic_file

SUMMARY_FILE = "summary.json"

Model = TypeVar("Model", bound=BaseModel)


class _Summary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def write_summary(folder: Path, summary: BaseModel, filename: str = SUMMARY_FILE) -> Path:
    """Write ``summary`` as ``folder/summary.json`` (atomically, UTF-8, indented)."""
    target = Path(folder) / filename
    with atomic_file(target) as tmp:
        tmp.write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    return target


def read_summary(folder: Path, model: type[Model], filename: str = SUMMARY_FILE) -> Model | None:
    """The ``summary.json`` of a saved product as ``model``; None when the file does not exist."""
    path = Path(folder) / filename
    if not path.exists():
        return None
    return model.model_validate_json(path.read_text(encoding="utf-8"))


# --- pluvial flooding ----------------------------------------------------------------------------


class PluvialCase(_Summary):
    """One cloudburst case: a rain event in one climate scenario.

    ``kind`` ``series``: a design storm of the KNMI'23 event series (its
    ``return_period_years`` in that climate; the damage product integrates them);
    ``stress``: a standard stress-test map, today only. Every case's depth is in
    ``case_depths.npz`` (:mod:`alliantie.contract.pluvial_depths`); ``depth_file``
    names its GeoTIFF when one was written (the cases the report shows).
    """

    id: str
    event: str
    scenario: str
    year: int | None = Field(description="horizon year; None for today's climate")
    kind: Literal["series", "stress"] = Field("stress", description="design storm of the series or stress-test map")
    return_period_years: float | None = Field(None, description="return period of the storm in its climate, years")
    duration_h: float = Field(2.0, description="duration of the storm, hours")
    depth_file: str | None = Field(None, description="depth GeoTIFF of the case, when written")
    #: Warming that scaled the rain in files of earlier editions (1.14^dT); no longer written.
    delta_t_c: float | None = Field(default=None, exclude=True, description="no longer used")
    rain_mm: float
    label: Text
    rain_m3: float
    outflow_m3: float
    stored_bluespots_m3: float
    buildings_facade: int = Field(description="buildings with water against the facade")
    buildings_above_floor: int = Field(description="buildings with water above floor level")
    #: Computing time of the case: not a result, so no longer written (a run's timings would make two runs of the
    #: same dossier differ); files written before still carry it and stay readable. The log has the times.
    seconds: float | None = Field(default=None, exclude=True, description="computing time of the case (not a result)")


class PluvialNeighbourhood(_Summary):
    """The counts of one case in one neighbourhood."""

    case: str
    event: str
    scenario: str
    rain_mm: float
    code: str
    name: str
    buildings_facade: int
    buildings_above_floor: int
    road_m_no_cars: float
    road_m_no_traffic: float


class PluvialSummary(_Summary):
    """``urgency.pluvial/summary.json``."""

    cases: list[PluvialCase]
    bluespots: int = Field(description="number of bluespots (depressions) in the area")
    neighbourhoods: list[PluvialNeighbourhood]
    #: Computing time per stage: not written any more (see :attr:`PluvialCase.seconds`), read from old files.
    seconds: dict[str, float] | None = Field(default=None, exclude=True,
                                             description="computing time per stage (not a result)")

    def case(self, case_id: str) -> PluvialCase | None:
        return next((c for c in self.cases if c.id == case_id), None)


#: ``urgency.pluvial/overland.json``: the 2-D runs (engine "overland" only).
OVERLAND_FILE = "overland.json"


class PluvialOverlandCase(_Summary):
    """One case run in time by the 2-D engine: its water balance and the roads impassable by depth and duration."""

    id: str
    rain_mm: float
    peak_mm_h: float = Field(description="largest intensity of the design hyetograph, mm/h")
    steps: int = Field(description="time steps of the run")
    rain_m3: float
    lost_m3: float = Field(description="infiltration, sewer and the storage of measures, m3")
    outflow_m3: float
    storage_end_m3: float = Field(description="water on the grid at the end of the run, m3")
    balance_error: float = Field(description="(in - out - storage) / in")
    wet_cells: int = Field(description="cells with water of at least min_depth_m at some time")
    wet_cell_hours: float = Field(description="sum over the wet cells of the hours they were wet")
    buildings_facade: int
    buildings_above_floor: int
    road_km_no_cars: float = Field(description="road length (km) with at least the first road depth at some time")
    road_km_impassable: float = Field(
        description="road length (km) with at least the first road depth for min_duration_h or longer")
    road_km_hours: float = Field(description="sum over the road pieces of length (km) x hours impassable for cars")
    road_max_hours: float = Field(description="longest time a road piece was impassable for cars, h")


class PluvialOverlandSummary(_Summary):
    """``urgency.pluvial/overland.json``: how the storms were run in time, and every case."""

    hyetograph: str = Field(description="method of the design hyetograph")
    hyetograph_step_min: float
    sub_hour_exponent: float = Field(description="exponent of the depth-duration curve below 1 hour at the map's "
                                     "return period (each storm uses its own; pluvial_overland.toml)")
    manning_n: float
    after_h: float = Field(description="hours simulated after the rain")
    output_every_s: float = Field(description="seconds between depth snapshots: the resolution of the durations")
    road_depth_m: float
    road_min_duration_h: float
    cases: list[PluvialOverlandCase]


# --- flood safety --------------------------------------------------------------------------------


class FloodMode(StrEnum):
    """How the flood product got its water: a breach it computed, a given depth map, or none."""

    BREACH = "breach"
    EXTERNAL = "external"
    NONE = "none"


class FloodCase(_Summary):
    """The breach of one climate scenario."""

    scenario: str
    river_level_m: float | None = Field(description="outside water level, m NAP; None for a given depth map")
    rise_m: float = Field(description="rise of the outside water level in the scenario, m")
    volume_m3: float
    capacity_m3: float
    volume_limited: bool
    max_depth_m: float | None
    buildings_flooded: int
    buildings_no_dry_floor: int


class FloodSummary(_Summary):
    """``urgency.flood/summary.json``."""

    mode: FloodMode
    breach_xy: tuple[float, float] | None = None
    entry_xy: tuple[float, float] | None = None
    cases: list[FloodCase]
    notes: list[Text]

    @property
    def has_flood(self) -> bool:
        """True when the product holds inundation depths (computed or given)."""
        return self.mode in (FloodMode.BREACH, FloodMode.EXTERNAL)
