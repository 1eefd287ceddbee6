"""Parameters of the drought product (step 1, *Urgentie*), read from ``[parameters.drought]``.

Units are in the names; every default has its reasoning or source in the field description
(more in ``docs/drought.md``). Numbers of physical relations with a published source live in the
knowledge file ``drought.toml``; here are the choices of the method.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


def _ascending(values: tuple[float, float, float], name: str) -> None:
    if not values[0] <= values[1] <= values[2]:
        raise ValueError(f"{name} must be three ascending numbers")


class DroughtParameters(BaseModel):
    """Tunable numbers of the drought product."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    deficit_variable: Literal["precip_deficit_10y", "precip_deficit_mean"] = Field(
        "precip_deficit_mean",
        description=(
            "KNMI variable (mm, knowledge file knmi_scenarios.toml) whose level per scenario is the design "
            "precipitation deficit; default the mean yearly largest deficit (alliantie estimate: with the "
            "once-in-10-years deficit, precip_deficit_10y, nearly all sandy nature and farmland is already "
            "'high' today and the map no longer tells places apart; choose it for a dry-year stress test)"
        ),
    )
    shortage_limits_mm: tuple[float, float, float] = Field(
        (0.0, 50.0, 100.0),
        description=(
            "shortage (design deficit minus water supply, mm) above which a farmland or nature cell is low, "
            "moderately, highly drought sensitive (alliantie estimate: any shortage means water stress; 50 mm "
            "is roughly a fortnight of summer evapotranspiration without supply, 100 mm a month)"
        ),
    )
    groundwater_share: float = Field(
        0.3, ge=0, le=1,
        description=(
            "share (-) of an extra precipitation deficit taken from groundwater storage, the rest from less "
            "drainage and surface-water inlet (alliantie estimate: about a third; replace with a groundwater "
            "model result)"
        ),
    )
    max_glg_drop_m: float = Field(
        0.5, ge=0, le=5,
        description="upper limit (m) of the estimated GLG lowering per scenario (alliantie estimate)",
    )
    base_year: int = Field(
        2025, ge=1990, le=2100,
        description="year (a) from which subsidence is accumulated to the scenario horizon (alliantie choice)",
    )
    current_period_years: float = Field(
        25.0, ge=1, le=200,
        description=(
            "years (a) over which subsidence is accumulated with today's climate and groundwater "
            "(alliantie choice: 2025-2050)"
        ),
    )
    subsidence_limits_mm_per_year: tuple[float, float, float] = Field(
        (2.0, 5.0, 10.0),
        description=(
            "subsidence rates (mm/year) above which land is low, moderately, highly affected (alliantie "
            "estimate around the 7 mm/year mean of Dutch peat meadows 1970-2020, Wageningen Environmental "
            "Research report 3420, 2025)"
        ),
    )
    wooden_until_year: int = Field(
        1970, ge=1800, le=2030,
        description=(
            "buildings on clay or peat from before this year (a) without a recorded foundation are assumed "
            "to stand on wooden piles (alliantie estimate after the brief of the method: wooden piles were "
            "common on soft soils until about 1970)"
        ),
    )
    pile_head_below_floor_m: float = Field(
        1.2, ge=0, le=5,
        description=(
            "depth (m) of the wooden pile heads below the ground-floor level (alliantie estimate: floors "
            "0.2-0.5 m above the street, pile heads placed below the lowest groundwater of the building "
            "period, about 0.7-1.0 m below the street)"
        ),
    )
    pile_margin_m: float = Field(
        0.2, ge=0, le=2,
        description=(
            "groundwater less than this (m) above the pile heads at GLG gives a moderate risk (alliantie "
            "estimate: the GLG of a dry year lies some decimetres below the mean)"
        ),
    )
    settlement_drop_m: float = Field(
        0.1, ge=0, le=2,
        description=(
            "GLG lowering (m) from which shallow foundations on clay or peat get one risk class more "
            "(alliantie estimate: a decimetre of extra drawdown loads soft layers noticeably)"
        ),
    )
    near_buildings_m: float = Field(
        100.0, ge=0, le=5000,
        description=(
            "distance (m) to buildings within which fire-prone vegetation counts fully in the wildfire "
            "susceptibility (alliantie estimate: flying embers and radiant heat of a crown fire)"
        ),
    )
    far_from_buildings_m: float = Field(
        500.0, gt=0, le=10000,
        description="distance (m) from which vegetation no longer threatens buildings (alliantie estimate)",
    )
    glg_wet_m: float = Field(
        0.5, ge=0, le=5,
        description=(
            "GLG (m below surface) at and above which the soil stays wet (boundary of Gt I/II, groundwater "
            "class table of the Bodemkaart, knowledge file groundwater_classes.toml)"
        ),
    )
    glg_dry_m: float = Field(
        1.2, ge=0, le=10,
        description=(
            "GLG (m below surface) from which the vegetation gets no groundwater in summer (boundary of Gt "
            "V-VIII, groundwater_classes.toml)"
        ),
    )
    wet_floor: float = Field(
        0.2, ge=0, le=1,
        description=(
            "dryness factor (-) of vegetation on wet soil: even there the litter dries out in a dry summer "
            "(alliantie estimate)"
        ),
    )
    deficit_full_dryness_mm: float = Field(
        300.0, gt=0, le=1000,
        description=(
            "precipitation deficit (mm) at which vegetation is fully dry (alliantie estimate: deficits of about "
            "300 mm were reached in the driest summers of the record, 1976 and 2018)"
        ),
    )
    wildfire_limits: tuple[float, float, float] = Field(
        (0.1, 0.3, 0.5),
        description="wildfire susceptibility index (-) above which it is low, moderate, high (alliantie estimate)",
    )
    fire_prone_fuel: float = Field(
        0.6, ge=0, le=1,
        description=(
            "fuel (-, drought.toml) from which vegetation is fire prone for firebreak zones: coniferous forest "
            "and heath (alliantie estimate)"
        ),
    )
    firebreak_width_m: float = Field(
        30.0, gt=0, le=1000,
        description=(
            "width (m) of the candidate firebreak band around buildings (alliantie estimate after the usual "
            "defensible space of about 30 m around buildings)"
        ),
    )
    firebreak_min_area_m2: float = Field(
        200.0, ge=0,
        description="firebreak zones smaller than this (m2) are dropped (alliantie choice against slivers)",
    )
    @model_validator(mode="after")
    def _check(self) -> DroughtParameters:
        _ascending(self.shortage_limits_mm, "shortage_limits_mm")
        _ascending(self.subsidence_limits_mm_per_year, "subsidence_limits_mm_per_year")
        _ascending(self.wildfire_limits, "wildfire_limits")
        if self.far_from_buildings_m <= self.near_buildings_m:
            raise ValueError("far_from_buildings_m must exceed near_buildings_m")
        if self.glg_dry_m <= self.glg_wet_m:
            raise ValueError("glg_dry_m must exceed glg_wet_m")
        return self
