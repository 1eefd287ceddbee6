"""The knowledge file ``measures.toml``: the measure catalogue of step 3 (*Vergezicht*).

Every measure a workshop can place: its names, themes, scale levels, the
geometry it is drawn with, its water principles, what it costs (investment,
maintenance, lifetime) and what it does, in the units the engines use. Every
number carries its unit and source; a number without a published source says
``estimate = true`` and gives our reasoning in ``source``.

How the effect engine (:mod:`alliantie.measures`) reads a measure's size:

* ``polygon``: its area (m²);
* ``line``: its length (m) times ``width_m`` (the sketch's ``width_m`` column,
  else the measure's ``default_width_m``) for area-based effects;
* ``point``: ``count`` pieces per point (the sketch's ``count`` column, else 1);
* ``building``: every building whose footprint the geometry touches; area-based
  effects and costs use the footprint area (a roof).

Cost quantities follow the cost unit: ``EUR/m2`` and ``EUR/ha`` on the area,
``EUR/m`` and ``EUR/km`` on the length, ``EUR/piece`` on the count,
``EUR/building`` on the number of buildings, ``EUR/m3`` on the stored volume.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from alliantie.knowledge.model import KnowledgeFile, KnowledgeModel, Names, NonBlank, unique

#: The climate-effect themes a measure acts on (as ``contract.names.Theme``).
MeasureTheme = Literal["flood", "pluvial", "drought", "heat"]
#: The scale levels of the workshop: *wijk en buurt* (building and street), *stad, dorp en randen*, *regio*.
Level = Literal["neighbourhood", "town", "region"]
#: How a measure is drawn.
GeometryKind = Literal["polygon", "line", "point", "building"]
#: The four water principles of the guide models (seed §4.1.2).
Principle = Literal["infiltrate", "retain", "circulate", "drain"]
#: The series of climate principles of gidsmodellen.nl: prevent, spatial prevention, limit the consequences.
ClimatePrinciple = Literal["prevent", "spatial_prevention", "limit_consequences"]
#: Units of an investment; maintenance takes the same with ``/yr``.
CostUnit = Literal["EUR/m2", "EUR/ha", "EUR/m", "EUR/km", "EUR/piece", "EUR/building", "EUR/m3"]

LEVELS: tuple[Level, ...] = ("neighbourhood", "town", "region")
THEMES: tuple[MeasureTheme, ...] = ("flood", "pluvial", "drought", "heat")


class Sourced(KnowledgeModel):
    """One number with its unit and source; ``estimate`` marks our own estimate (the reasoning in ``source``)."""

    value: float
    unit: NonBlank
    source: NonBlank
    estimate: bool = False


class CostRange(KnowledgeModel):
    """Low, mean and high cost in one unit and price year."""

    unit: NonBlank = Field(description="a CostUnit; maintenance adds '/yr'")
    price_year: int = Field(ge=1990, le=2100)
    low: float = Field(ge=0)
    mean: float = Field(ge=0)
    high: float = Field(ge=0)
    source: NonBlank
    estimate: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low <= self.mean <= self.high:
            raise ValueError(f"low <= mean <= high is not true: {self.low}, {self.mean}, {self.high}")
        return self

    @property
    def base_unit(self) -> CostUnit:
        """The unit without ``/yr``."""
        base = self.unit.removesuffix("/yr")
        if base not in ("EUR/m2", "EUR/ha", "EUR/m", "EUR/km", "EUR/piece", "EUR/building", "EUR/m3"):
            raise ValueError(f"unknown cost unit {self.unit!r}")
        return base  # type: ignore[return-value]


class Lifetime(KnowledgeModel):
    """Technical lifetime (years): the measure is replaced at its investment cost after it."""

    years: float = Field(gt=0, le=200)
    source: NonBlank
    estimate: bool = False


class Effect(KnowledgeModel):
    """What a measure does, in the units the engines use; a parameter left out has no effect.

    Per m² of the measure's area unless the name says otherwise.
    """

    # pluvial flooding (the runoff and fill-spill-merge of urgency.pluvial)
    storage_mm: Sourced | None = Field(None, description="water stored per m² of the measure's area (mm)")
    storage_m3_per_piece: Sourced | None = Field(None, description="water stored per piece (m³; point measures)")
    drained_area_ratio: Sourced | None = Field(
        None, description="m² of surrounding (paved) area whose runoff the measure takes, per m² of its own area")
    paved_share: Sourced | None = Field(None, description="paved share of the measure's area after it (0-1)")
    infiltration_mm: Sourced | None = Field(
        None, description="infiltration of the measure's unpaved area during a storm (mm per event)")
    lower_terrain_m: Sourced | None = Field(None, description="terrain lowered over the measure's area (m)")
    floor_raise_m: Sourced | None = Field(
        None, description="extra height water must reach before it enters a building (m; thresholds, barriers)")
    protects_up_to_m: Sourced | None = Field(
        None, description="water depth at the facade above which the floor raise no longer protects (m)")
    # heat
    vegetation_share: Sourced | None = Field(None, description="share of the area that becomes vegetated (0-1)")
    shade_share: Sourced | None = Field(None, description="share of the area shaded by canopy or screens (0-1)")
    canopy_m2_per_piece: Sourced | None = Field(None, description="crown area per tree (m²; point and line measures)")
    canopy_height_m: Sourced | None = Field(None, description="height of the canopy that casts shadow (m)")
    albedo: Sourced | None = Field(None, description="surface albedo after the measure (0-1)")
    cool_place: bool = Field(False, description="the area counts as a cool place when shaded enough")
    # drought
    water_level_change_m: Sourced | None = Field(
        None, description="change of the ditch or groundwater level (m, + is higher)")
    subsidence_factor: Sourced | None = Field(None, description="multiplies the peat subsidence rate (-)")
    recharge_mm_per_yr: Sourced | None = Field(None, description="extra groundwater recharge (mm per year)")
    fire_risk_factor: Sourced | None = Field(None, description="multiplies the wildfire hazard where it lies (-)")
    # flood safety
    breach_probability_factor: Sourced | None = Field(
        None, description="multiplies the breach probability of the dike section it lies on (-)")
    #: what the measure does that no engine computes (listed as not modelled, never valued)
    not_modelled: Names | None = None

    def parameters(self) -> dict[str, Sourced]:
        """The numeric effect parameters that are set, by name."""
        return {name: value for name, value in self if isinstance(value, Sourced)}


class Measure(KnowledgeModel):
    """A ``[[measure]]``: one measure of the catalogue."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Names
    description: Names
    themes: list[MeasureTheme] = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)
    geometry: GeometryKind
    principles: list[Principle] = Field(default_factory=list, description="water principles (empty: none)")
    climate_principle: ClimatePrinciple
    group: str = Field(min_length=1, description="suitability group (suitability_rules.toml)")
    default_width_m: Sourced | None = Field(None, description="width of a line measure (m)")
    investment: CostRange
    maintenance: CostRange
    lifetime: Lifetime
    effect: Effect

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.geometry == "line" and self.default_width_m is None:
            raise ValueError(f"measure {self.id!r}: a line measure needs default_width_m")
        if not self.maintenance.unit.endswith("/yr"):
            raise ValueError(f"measure {self.id!r}: maintenance unit must end with '/yr'")
        for cost in (self.investment, self.maintenance):
            cost.base_unit  # noqa: B018 - raises on an unknown unit
        if self.investment.base_unit == "EUR/m3" and not (self.effect.storage_mm or self.effect.storage_m3_per_piece):
            raise ValueError(f"measure {self.id!r}: a cost per m3 needs a storage effect")
        return self


class DynamicCheck(KnowledgeModel):
    """``[dynamic_check]``: settings of the measure engine's dynamic check (:mod:`alliantie.measures.overland`)."""

    #: the band before a window in which the water from upstream spreads by multiple flow directions (m)
    upstream_spread_band_m: Sourced

    @field_validator("upstream_spread_band_m")
    @classmethod
    def _band(cls, value: Sourced) -> Sourced:
        if value.unit != "m" or not 0 <= value.value <= 2000:
            raise ValueError("upstream_spread_band_m: a width in m (unit = \"m\") from 0 to 2000")
        return value


class MeasureCatalogue(KnowledgeFile):
    """Contents of ``measures.toml``."""

    FILE = "measures"

    measures: list[Measure] = Field(alias="measure", min_length=1)
    dynamic_check: DynamicCheck

    @field_validator("measures")
    @classmethod
    def _unique(cls, rows: list[Measure]) -> list[Measure]:
        return unique(rows, [r.id for r in rows], "measure id")

    def get(self, measure_id: str) -> Measure | None:
        """The measure with id ``measure_id``, None when the catalogue has none."""
        return next((m for m in self.measures if m.id == measure_id), None)

    def select(self, theme: str | None = None, level: str | None = None) -> list[Measure]:
        """The measures acting on ``theme`` at ``level`` (None: any), in file order."""
        return [m for m in self.measures
                if (theme is None or theme in m.themes) and (level is None or level in m.levels)]
