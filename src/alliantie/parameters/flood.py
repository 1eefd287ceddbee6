"""Parameters of the flood product (step 1, *Urgentie*), read from ``[parameters.flood]``.

Units are in the names; every default has its reasoning or source in the field
description. The fixed numbers (LIWO depth classes, storey height, floor height,
severity bounds) live in knowledge file ``flood.toml``; see ``docs/flood.md``.

Example (the demo)::

    [parameters.flood]
    breach_x = 154850.0        # m, EPSG:28992: a point on the dike
    breach_y = 465100.0
    river_level_m = 0.9        # m NAP, the river's flood level
    # volume_m3 = 2.0e6        # optional: only this volume enters
    # level_rise_m = { Hd2100 = 0.5 }   # optional, m per scenario id
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class FloodParameters(BaseModel):
    """Tunable numbers of the flood product (see ``docs/flood.md``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    breach_x: float | None = Field(
        None, description="x (m, dossier CRS) of the breach point on the dike; None = no computed breach. "
        "Source: the user (a dike section of the water board's breach scenarios)",
    )
    breach_y: float | None = Field(
        None, description="y (m, dossier CRS) of the breach point on the dike; None = no computed breach",
    )
    river_level_m: float | None = Field(
        None, ge=-10, le=50,
        description="water level (m NAP) of the river outside the breach during the flood; the water on land "
        "rises to this level at most. Source: the user (e.g. the design water level of the dike section)",
    )
    volume_m3: float | None = Field(
        None, ge=0, le=1e11,
        description="optional volume (m3) that flows in through the breach; None = unlimited (the river keeps "
        "flowing in until the land stands at the river level). Source: the user (e.g. a breach-growth estimate)",
    )
    level_rise_m: dict[str, float] = Field(
        default_factory=dict,
        description="rise (m) of the river level per climate scenario id (e.g. {Hd2100 = 0.5}); empty = only "
        "today's climate is computed. No national table of regional river levels per KNMI'23 scenario exists in "
        "the knowledge base, so the user fills this from the water board's numbers",
    )
    use_knmi_sea_level: bool = Field(
        False,
        description="add the KNMI'23 change of mean sea level (knowledge file knmi_scenarios.toml, variable "
        "sea_level, cm) to the river level of each scenario. Only for a breach on the sea or a tidal river mouth, "
        "where the outside water level rises with the sea; not for a river upstream or a regulated lake",
    )
    breach_search_m: float = Field(
        150.0, gt=0, le=2000,
        description="largest distance (m) from the breach point to the land-side cell (ground below the river "
        "level, not outside water) where the water enters. alliantie estimate: the width of a dike body with its "
        "toe (30-100 m) plus a margin for a point drawn on the crest",
    )
    refuge_min_area_m2: float = Field(
        2500.0, ge=0, le=1e7,
        description="smallest dry patch (m2) that counts as dry ground to flee to. alliantie estimate: a dry "
        "hump of less than about 50 x 50 m in a flooded area is no safe place to wait for help",
    )

    @model_validator(mode="after")
    def _breach_complete(self) -> FloodParameters:
        given = [v is not None for v in (self.breach_x, self.breach_y, self.river_level_m)]
        if any(given) and not all(given):
            raise ValueError("give breach_x, breach_y and river_level_m together (or none of them)")
        return self

    @property
    def has_breach(self) -> bool:
        """True when a breach is configured."""
        return self.breach_x is not None and self.breach_y is not None and self.river_level_m is not None
