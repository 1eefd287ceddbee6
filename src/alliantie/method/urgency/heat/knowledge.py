"""The knowledge file ``heat.toml``: typed sections (:class:`HeatFile`) and the numbers the analysis uses.

:class:`HeatFile` mirrors the file: one model per table, each with the
``unit`` and ``source`` the file gives. :func:`read_knowledge` checks it and
turns it, with the LGN groups of ``lgn_classes.toml``, into a
:class:`HeatKnowledge`: the sun positions of the standard hot day, the sky
emissivity, Theeuwes' S and the land-use properties per LGN code.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alliantie.contract.spec import Text
from alliantie.errors import ConfigError
from alliantie.hazards.heat.heat_island import radiation_to_s
from alliantie.hazards.heat.numbers import FLAGS, PROPERTIES, HeatKnowledge, PetClass
from alliantie.hazards.heat.pet import Person
from alliantie.hazards.heat.radiation import Sun, clear_sky_sun, sky_emissivity_brutsaert, solar_position
from alliantie.knowledge.land_use import LgnClass, LgnClasses

# --- the file --------------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    unit: str = Field(description="units of the numbers of the table")
    source: str = Field(description="publication or 'alliantie estimate: ...'")


class HotDay(_Sourced):
    """``[hot_day]``: the weather of the afternoon of the standard hot day and its sun positions."""

    air_temperature_c: float
    relative_humidity_pct: float
    wind_10m_ms: float
    latitude_deg: float
    day_of_year: int
    solar_hours: list[float] = Field(description="solar time (h) of the afternoon sun positions")
    transmissivity: float


class Diffuse(_Sourced):
    """``[diffuse]``: Liu & Jordan's clear-day diffuse radiation."""

    intercept: float
    slope: float


class Solar(_Sourced):
    """``[solar]``: the solar constant."""

    constant_wm2: float


class PersonSection(_Sourced):
    """``[person]``: the standard person of PET."""

    activity_w: float
    clothing_clo: float
    age: float
    sex: str
    weight_kg: float
    height_m: float
    position: str


class Radiation(_Sourced):
    """``[radiation]``: absorption of the body, emissivity of surfaces, shaded surfaces above the air."""

    absorption_short: float
    absorption_long: float
    surface_emissivity: float
    shaded_surface_excess_k: float


class SkyEmissivity(_Sourced):
    """``[sky_emissivity]``: Brutsaert's clear-sky emissivity."""

    coefficient: float
    exponent: float


class PetClassRow(_Strict):
    """A ``[[pet_class]]`` row: lower bound (degC PET), colour and label of a heat stress class."""

    id: str
    lower_c: float
    nl: str
    en: str
    color: str


class HeatIsland(_Sourced):
    """``[uhi]``: the day of Theeuwes' equation, the radius of its means and the threshold of a high UHI."""

    shortwave_daily_mean_wm2: float
    dtr_k: float
    wind_10m_ms: float
    rho_kg_m3: float
    cp_j_kg_k: float
    radius_m: float
    high_k: float


class Cooling(_Sourced):
    """``[cooling]``: the InVEST Urban Cooling Model."""

    weight_shade: float
    weight_albedo: float
    weight_eti: float
    cooling_distance_m: float
    min_green_area_ha: float
    et0_mm: float


class CoolPlace(_Sourced):
    """``[cool_place]``: a cool place and the walking distance to one."""

    min_area_m2: float
    max_distance_m: float
    min_shade: float


class Exposure(_Sourced):
    """``[exposure]``: where people live and work."""

    settled_buffer_m: float
    home_radius_m: float
    storey_height_m: float


class JobDensity(_Sourced):
    """A ``[workplaces.<use class>]`` row: floor area per person employed in buildings of that use class."""

    m2_per_job: float = Field(gt=0)
    #: False: one floor whatever the height (halls, whose height is their clear height, not storeys)
    storeys_from_height: bool = True
    estimate: bool = False


class Workplaces(_Sourced):
    """``[workplaces]``: the use classes of the buildings layer where people work, each with its floor per job."""

    model_config = ConfigDict(extra="allow", frozen=True)

    def rows(self) -> dict[str, JobDensity]:
        """Use class -> its row (the sub-tables of the table)."""
        return {name: JobDensity.model_validate(row) for name, row in (self.model_extra or {}).items()}


class LanduseProperties(_Strict):
    """The land-use properties of a ``[[group]]`` or ``[[code]]`` row (units and source in ``[landuse]``)."""

    shade: float
    albedo: float
    kc: float
    canopy_height_m: float
    wind_factor: float
    surface_excess_k: float
    vegetated: bool
    cool: bool
    green_area: bool


class GroupRow(LanduseProperties):
    """A ``[[group]]`` row: the properties of a vegetation group of ``lgn_classes.toml``."""

    id: str


class CodeRow(LanduseProperties):
    """A ``[[code]]`` row: an LGN class whose properties differ from its group's."""

    code: int


class Building(_Sourced):
    """``[building]``: roofs."""

    albedo: float
    kc: float = Field(description="listed for completeness: the analysis gives buildings no evaporation (kc 0)")
    default_height_m: float


class HeatFile(_Strict):
    """The content of ``heat.toml``."""

    title: str
    source: str
    hot_day: HotDay
    diffuse: Diffuse
    solar: Solar
    person: PersonSection
    radiation: Radiation
    sky_emissivity: SkyEmissivity
    pet_class: list[PetClassRow]
    pet_classes: _Sourced
    uhi: HeatIsland
    cooling: Cooling
    cool_place: CoolPlace
    exposure: Exposure
    #: without it no jobs are counted (the heat damage counts lost labour by home address)
    workplaces: Workplaces | None = None
    landuse: _Sourced
    group: list[GroupRow]
    code: list[CodeRow] = Field(default_factory=list)
    building: Building


# --- the numbers of the analysis: :class:`~alliantie.hazards.heat.numbers.HeatKnowledge` -------------------


def read_knowledge(heat: Mapping[str, Any], lgn: LgnClasses, path: str = "heat.toml") -> HeatKnowledge:
    """Parse ``heat.toml`` (and the LGN groups of ``lgn_classes.toml``); ConfigError naming the file when wrong."""
    try:
        return _read_knowledge(heat, lgn)
    except ValidationError as exc:
        raise ConfigError("heat.errors.knowledge", path=path, detail=_first_error(exc)) from None
    except (KeyError, TypeError, ValueError) as exc:
        detail = f"missing or wrong entry {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ConfigError("heat.errors.knowledge", path=path, detail=detail) from None


def _first_error(exc: ValidationError) -> str:
    """``missing or wrong entry hot_day.air_temperature_c: Field required`` for a knowledge file's reader."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"missing or wrong entry {where}: {error['msg']}"


def _read_knowledge(heat: Mapping[str, Any], lgn: LgnClasses) -> HeatKnowledge:
    file = HeatFile.model_validate(heat)
    day = file.hot_day
    suns: list[Sun] = []
    azimuths: list[float] = []
    for hour in day.solar_hours:
        elevation, azimuth = solar_position(day.latitude_deg, day.day_of_year, hour)
        suns.append(clear_sky_sun(elevation, day.transmissivity, file.solar.constant_wm2, file.diffuse.intercept,
                                  file.diffuse.slope))
        azimuths.append(azimuth)
    if not suns:
        raise ValueError("hot_day.solar_hours is empty")
    classes = tuple(PetClass(id=c.id, lower_c=c.lower_c, color=c.color, label=Text(nl=c.nl, en=c.en))
                    for c in file.pet_class)
    if len(classes) != 5 or any(b.lower_c <= a.lower_c for a, b in itertools.pairwise(classes)):
        raise ValueError("pet_class needs five classes with increasing lower_c")
    person, rad, sky, uhi = file.person, file.radiation, file.sky_emissivity, file.uhi
    cooling, cool, exposure = file.cooling, file.cool_place, file.exposure
    return HeatKnowledge(
        air_temperature_c=day.air_temperature_c, relative_humidity_pct=day.relative_humidity_pct,
        wind_10m_ms=day.wind_10m_ms, suns=tuple(suns), sun_azimuths_deg=tuple(azimuths),
        person=Person(activity_w=person.activity_w, clothing_clo=person.clothing_clo, age=person.age,
                      sex=person.sex, weight_kg=person.weight_kg, height_m=person.height_m,
                      position=person.position),
        absorption_short=rad.absorption_short, absorption_long=rad.absorption_long,
        surface_emissivity=rad.surface_emissivity, shaded_surface_excess_k=rad.shaded_surface_excess_k,
        sky_emissivity=sky_emissivity_brutsaert(day.air_temperature_c, day.relative_humidity_pct, sky.coefficient,
                                                sky.exponent),
        pet_classes=classes,
        uhi_s=radiation_to_s(uhi.shortwave_daily_mean_wm2, uhi.rho_kg_m3, uhi.cp_j_kg_k),
        uhi_dtr_k=uhi.dtr_k, uhi_wind_ms=uhi.wind_10m_ms, uhi_radius_m=uhi.radius_m, uhi_high_k=uhi.high_k,
        cooling_weights=(cooling.weight_shade, cooling.weight_albedo, cooling.weight_eti),
        cooling_distance_m=cooling.cooling_distance_m, min_green_area_ha=cooling.min_green_area_ha,
        et0_mm=cooling.et0_mm,
        cool_min_area_m2=cool.min_area_m2, cool_max_distance_m=cool.max_distance_m, cool_min_shade=cool.min_shade,
        settled_buffer_m=exposure.settled_buffer_m, home_radius_m=exposure.home_radius_m,
        storey_height_m=exposure.storey_height_m,
        floor_area_per_job_m2=({} if file.workplaces is None else
                               {name: row.m2_per_job for name, row in file.workplaces.rows().items()}),
        one_floor_uses=frozenset() if file.workplaces is None else frozenset(
            name for name, row in file.workplaces.rows().items() if not row.storeys_from_height),
        building_albedo=file.building.albedo, building_default_height_m=file.building.default_height_m,
        by_code=_code_tables(file, lgn.classes),
    )


def _code_tables(file: HeatFile, lgn: list[LgnClass]) -> dict[str, np.ndarray]:
    groups = {g.id: g for g in file.group}
    if "built" not in groups:
        raise ValueError("group 'built' is missing")
    tables: dict[str, np.ndarray] = {}
    for name in PROPERTIES:
        tables[name] = np.full(256, float(getattr(groups["built"], name)))
    for name in FLAGS:
        tables[name] = np.full(256, bool(getattr(groups["built"], name)))
    rows: list[tuple[int, LanduseProperties]] = []
    for cls in lgn:
        if cls.group not in groups:
            raise ValueError(f"LGN class {cls.code}: group {cls.group!r} has no properties")
        rows.append((cls.code, groups[cls.group]))
    rows += [(c.code, c) for c in file.code]
    for code, props in rows:
        if not 0 <= code <= 255:
            raise ValueError(f"LGN code {code} out of range 0-255")
        for name in PROPERTIES:
            tables[name][code] = float(getattr(props, name))
        for name in FLAGS:
            tables[name][code] = bool(getattr(props, name))
    for name in ("shade", "albedo"):
        if ((tables[name] < 0) | (tables[name] > 1)).any():
            raise ValueError(f"{name} must lie between 0 and 1")
    return tables
