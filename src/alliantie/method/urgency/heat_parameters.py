"""Parameters of the heat product (step 1, *Urgentie*), read from ``[parameters.heat]``.

Units are in the names; every default has its reasoning or source in the field description.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class HeatParameters(BaseModel):
    """Tunable numbers of the heat product."""

    model_config = ConfigDict(extra="forbid", frozen=True)
