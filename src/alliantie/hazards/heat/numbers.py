"""The numbers of the heat chain (``heat.toml`` as the analysis uses them), shared by ``urgency.heat`` and the engine.

:class:`HeatKnowledge` is filled and checked by
:func:`alliantie.method.urgency.heat.knowledge.read_knowledge`; the land-use
properties (:data:`PROPERTIES`) and flags (:data:`FLAGS`) are looked up per
LGN code in :attr:`HeatKnowledge.by_code`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from alliantie.contract.spec import Text
from alliantie.hazards.heat.pet import Person
from alliantie.hazards.heat.radiation import Sun

__all__ = ["FLAGS", "PROPERTIES", "HeatKnowledge", "PetClass"]

#: Land-use properties read from ``heat.toml`` per LGN code.
PROPERTIES = ("shade", "albedo", "kc", "canopy_height_m", "wind_factor", "surface_excess_k")
FLAGS = ("vegetated", "cool", "green_area")


@dataclass(frozen=True)
class PetClass:
    id: str
    lower_c: float
    color: str
    label: Text


@dataclass(frozen=True)
class HeatKnowledge:
    """The numbers of ``heat.toml`` the analysis uses, checked on reading."""

    air_temperature_c: float
    relative_humidity_pct: float
    wind_10m_ms: float
    suns: tuple[Sun, ...]
    sun_azimuths_deg: tuple[float, ...]
    person: Person
    absorption_short: float
    absorption_long: float
    surface_emissivity: float
    shaded_surface_excess_k: float
    sky_emissivity: float
    pet_classes: tuple[PetClass, ...]
    uhi_s: float
    uhi_dtr_k: float
    uhi_wind_ms: float
    uhi_radius_m: float
    uhi_high_k: float
    cooling_weights: tuple[float, float, float]
    cooling_distance_m: float
    min_green_area_ha: float
    et0_mm: float
    cool_min_area_m2: float
    cool_max_distance_m: float
    cool_min_shade: float
    settled_buffer_m: float
    home_radius_m: float
    storey_height_m: float
    building_albedo: float
    building_default_height_m: float
    #: Per LGN code (index 0-255): properties (float) and flags (bool); code 0/unknown: the "built" group.
    by_code: dict[str, np.ndarray] = field(default_factory=dict)
    #: use class of the buildings layer -> m2 of floor area per person employed (``[workplaces]``); empty: no jobs
    floor_area_per_job_m2: dict[str, float] = field(default_factory=dict)
    #: use classes counted as one floor whatever their height (halls)
    one_floor_uses: frozenset[str] = frozenset()

    @property
    def pet_bounds(self) -> list[float]:
        """Lower bounds of the PET classes above the first (degC)."""
        return [c.lower_c for c in self.pet_classes[1:]]
