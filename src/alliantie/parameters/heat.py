"""Parameters of the heat product (step 1, *Urgentie*), read from ``[parameters.heat]``.

Units are in the names; every default has its reasoning or source in the field description
(more in ``docs/heat.md``). Numbers of physical relations with a published source (the standard
hot day, PET classes, land-use properties, InVEST cooling) live in the knowledge file
``heat.toml``; here are the choices of the method.
"""

from __future__ import annotations

import itertools

from pydantic import BaseModel, ConfigDict, Field, field_validator


class HeatParameters(BaseModel):
    """Tunable numbers of the heat product."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    svf_directions: int = Field(
        16, ge=4, le=64,
        description=(
            "number of directions (-) in which the horizon of the sky view factor is searched; 16 is the common "
            "choice of horizon-based SVF (Zakšek, Oštir & Kokalj 2011, Remote Sensing 3:398-415)"
        ),
    )
    svf_max_distance_m: float = Field(
        100.0, gt=0, le=1000,
        description=(
            "distance (m) up to which the horizon is searched (alliantie estimate: buildings of 10-20 m subtend "
            "less than 6-11 degrees beyond 100 m, which changes the SVF by less than 0.01-0.04 per direction)"
        ),
    )
    shadow_max_distance_m: float = Field(
        150.0, gt=0, le=2000,
        description=(
            "distance (m) up to which a cell looks towards the sun for a building or hill that shades it "
            "(alliantie estimate: a 30 m building at 12 degrees sun elevation casts 140 m of shadow; the "
            "afternoon sun of the hot day stands above 40 degrees)"
        ),
    )
    pet_tmrt_step_c: float = Field(
        5.0, gt=0, le=10,
        description=(
            "step (degC) of mean radiant temperature of the PET table that is interpolated per cell (alliantie "
            "estimate: PET is nearly linear in Tmrt; linear interpolation over 5 degC steps differs from a 1 degC "
            "table by less than 0.04 degC, measured at 32 degC air temperature)"
        ),
    )
    severity_night_uhi_k: float = Field(
        2.0, ge=0, le=10,
        description=(
            "heat-island intensity (K, UHImax) from which extreme daytime heat stress counts as the highest "
            "severity of the vulnerability map; below it extreme PET counts as strong (alliantie estimate, the same "
            "2 K as the 'strong heat island' of heat.toml: "
            "heat stress is worst where hot afternoons meet warm nights; with PET alone nearly every sunny street "
            "is 'extreme' and the map no longer tells places apart)"
        ),
    )
    pet_wind_ms: tuple[float, ...] = Field(
        (0.3, 0.6, 1.0, 1.5, 2.2, 3.2, 4.5),
        min_length=2,
        description=(
            "wind speeds (m/s at 1.2 m) of the PET table, increasing; lower winds are set to the first (alliantie "
            "estimate: PET is most sensitive to wind below 1.5 m/s, hence the denser steps there)"
        ),
    )

    @field_validator("pet_wind_ms")
    @classmethod
    def _increasing(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if value[0] <= 0 or any(b <= a for a, b in itertools.pairwise(value)):
            raise ValueError("pet_wind_ms must be positive wind speeds in increasing order")
        return value
