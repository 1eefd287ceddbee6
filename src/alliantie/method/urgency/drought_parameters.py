"""Parameters of the drought product (step 1, *Urgentie*), read from ``[parameters.drought]``.

Units are in the names; every default has its reasoning or source in the field description.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class DroughtParameters(BaseModel):
    """Tunable numbers of the drought product."""

    model_config = ConfigDict(extra="forbid", frozen=True)
