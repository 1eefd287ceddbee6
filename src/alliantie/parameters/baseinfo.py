"""Parameters of step 2 (Basisinformatie), as read from ``[parameters.baseinfo]``.

Every parameter has a unit in its name or description; the defaults and their
reasoning is documented in ``docs/baseinfo.md``; the rule tables that use them
are the knowledge files ``seepage_rules``, ``landscape_rules`` and ``structure_rules``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class BaseInfoParameters(BaseModel):
    """Tunable numbers of the step 2 rules (see ``docs/baseinfo.md``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    relief_radius_m: float = Field(
        250.0, gt=0, le=5000,
        description="radius (m) of the neighbourhood for relative elevation (relief)",
    )
    regional_radius_m: float = Field(
        1000.0, gt=0, le=20000,
        description="radius (m) of the regional neighbourhood for seepage/infiltration",
    )
    seepage_ghg_max_m: float = Field(
        0.40, ge=0, le=3,
        description="GHG (m below surface) at or above which a low place counts as seepage",
    )
    infiltration_glg_min_m: float = Field(
        1.20, ge=0, le=20,
        description="GLG (m below surface) at or below which a high place counts as infiltration",
    )
    min_carrier_area_ha: float = Field(
        2.0, ge=0, le=10000,
        description="smallest structure carrier kept (ha)",
    )
    corridor_buffer_m: float = Field(
        50.0, ge=0, le=1000,
        description="buffer (m) that joins nature patches into a green corridor",
    )
    landscape_smoothing_m: float = Field(
        25.0, ge=0, le=500,
        description="width (m) of the majority (mode) filter window that smooths the landscape map",
    )
    landscape_min_patch_ha: float = Field(
        1.0, ge=0, le=1000,
        description="landscape patches smaller than this (ha) merge into their neighbours",
    )
