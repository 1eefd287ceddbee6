"""Parameters of the flood product (step 1, *Urgentie*), read from ``[parameters.flood]``.

Units are in the names; every default has its reasoning or source in the field description.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FloodParameters(BaseModel):
    """Tunable numbers of the flood product."""

    model_config = ConfigDict(extra="forbid", frozen=True)
