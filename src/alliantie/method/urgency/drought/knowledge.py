"""Typed view of the knowledge file ``drought.toml`` and the property tables per class code built from it.

:class:`DroughtKnowledge` parses the file (each table with its ``unit`` and ``source``);
:func:`soil_table` joins its ``[soil.class.<id>]`` rows to the codes of ``soil_classes.toml`` and
:func:`land_table` its ``[vegetation.group.<id>]`` rows to the LGN codes of ``lgn_classes.toml``.
A missing or malformed number is a :class:`~alliantie.errors.ConfigError` that names the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from alliantie.errors import ConfigError
from alliantie.hazards.drought import kernels as hz
from alliantie.hazards.drought.chain import USE_FARMLAND, USE_NATURE, USE_NONE, LandTable, SoilTable
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.model import NonBlank
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.soil import soil_tables

#: Name of the knowledge file in error messages.
PATH = "drought.toml"
_USES = {"none": USE_NONE, "farmland": USE_FARMLAND, "nature": USE_NATURE}


class _Table(BaseModel):
    # a dossier's own drought.toml may carry more (a source per row, notes): ignored, as before
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    unit: NonBlank = Field(description="units of the numbers of the table")
    source: NonBlank = Field(description="publication, or 'alliantie estimate: <reasoning>'")


class SoilWater(BaseModel):
    """Soil water and subsidence properties of one soil class (``[soil.class.<id>]``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    paw_mm: float = Field(description="plant-available water in the root zone (pF 2.0 to 4.2), mm")
    root_depth_m: float = Field(description="effective root-zone depth of grassland and arable crops, m")
    critical_distance_m: float = Field(
        description="'kritieke z-afstand': distance from the root zone to the groundwater over which capillary rise "
                    "still delivers 2 mm/day, m")
    specific_yield: float = Field(description="drainable porosity at the water table, -")
    peat_factor: float = Field(description="share of the peat-meadow subsidence rate that applies (0 = no peat), -")
    soft: bool = Field(False, description="compressible subsoil (clay, peat) that settles when groundwater falls")


class SoilSection(_Table):
    """``[soil]``: the rows per soil class id of ``soil_classes.toml``."""

    classes: dict[str, SoilWater] = Field(default_factory=dict, alias="class")


class Capillary(_Table):
    """``[capillary]``: capillary supply beyond the critical distance."""

    flux_mm_per_day: float = Field(description="capillary rise up to the critical distance, mm/day")
    season_days: float = Field(description="length of the growing season, days")
    decay_m: float = Field(description="distance over which the supply falls by a factor e beyond it, m")


class Subsidence(_Table):
    """``[subsidence]``: the linear relation of the peat subsidence rate with the GLG."""

    slope_mm_per_year_per_m: float = Field(description="mm/year per m of GLG below surface")
    intercept_mm_per_year: float = Field(description="mm/year")
    glg_max_m: float = Field(description="deeper GLGs are held at this depth (range of the fit), m below surface")


class VegetationGroup(BaseModel):
    """Use and fuel of one vegetation group (``[vegetation.group.<id>]``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    use: Literal["farmland", "nature", "none"] = Field(
        "none", description="drought sensitivity is mapped for farmland and nature")
    fuel: float = Field(0.0, description="relative flammability in a dry summer, 0-1")
    root_depth_m: float | None = Field(None, description="root depth where deeper than the soil's root zone, m")


class Vegetation(_Table):
    """``[vegetation]``: the groups of ``lgn_classes.toml``."""

    groups: dict[str, VegetationGroup] = Field(default_factory=dict, alias="group")


class NatureKind(BaseModel):
    """Fuel of one kind of nature area (``[nature_kind.kind.<kind>]``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    fuel: float = Field(0.0, description="least fuel of the cells in an area of this kind, 0-1")


class NatureKinds(_Table):
    """``[nature_kind]``: the kinds of the optional nature input."""

    kinds: dict[str, NatureKind] = Field(default_factory=dict, alias="kind")


class WildfireReference(_Table):
    """``[wildfire_reference]``: the seed report's chance of an uncontrollable natural fire (table note only)."""

    return_period_years: float | None = Field(None, description="return period today, years")
    increase_low: float | None = Field(None, description="expected increase of the chance, low, factor")
    increase_high: float | None = Field(None, description="expected increase of the chance, high, factor")


class DroughtKnowledge(BaseModel):
    """Contents of knowledge file ``drought.toml``: every table with its unit and source."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    title: str = ""
    source: NonBlank = Field(description="where the file's numbers come from, per table below")
    soil: SoilSection
    capillary: Capillary
    subsidence: Subsidence
    vegetation: Vegetation
    nature_kind: NatureKinds
    wildfire_reference: WildfireReference | None = None

    @field_validator("wildfire_reference", mode="before")
    @classmethod
    def _no_reference(cls, value: Any) -> Any:
        return value or None  # an empty table adds no note

    @classmethod
    def parse(cls, data: Mapping[str, Any], path: str = PATH) -> DroughtKnowledge:
        """The typed file, or a ConfigError that names the table and the number at fault."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise _explain(exc.errors()[0], path) from None


def _first_required(model: type[BaseModel]) -> str:
    """The first number a table needs (its unit and source are named by the field itself when missing)."""
    return next(name for name, field in model.model_fields.items()
                if field.is_required() and name not in ("unit", "source"))


def _explain(error: ErrorDetails, path: str) -> ConfigError:
    loc = tuple(str(p) for p in error["loc"])
    missing = error["type"] == "missing"
    if missing and loc[0] == "soil" and len(loc) == 4 and loc[1] == "class":
        return ConfigError("drought.errors.soil_key_missing", soil_class=loc[2], key=loc[3], path=path)
    if missing and loc[0] in ("capillary", "subsidence"):
        key = loc[1] if len(loc) > 1 else _first_required(Capillary if loc[0] == "capillary" else Subsidence)
        return ConfigError("drought.errors.knowledge_key_missing", key=key, path=path)
    if loc[0] == "vegetation" and len(loc) == 4 and loc[1] == "group" and loc[3] == "use":
        return ConfigError("drought.errors.bad_use", group=loc[2], value=str(error.get("input")), path=path)
    return ConfigError("drought.errors.knowledge_invalid", where=".".join(loc), detail=error["msg"], path=path)


def soil_table(knowledge: DroughtKnowledge, soil_classes: SoilClasses) -> SoilTable:
    """The properties of ``drought.toml`` for every soil class of ``soil_classes.toml`` (by its code)."""
    rows = knowledge.soil.classes
    arrays = {k: np.full(256, np.nan) for k in ("paw_mm", "root_depth_m", "critical_distance_m", "specific_yield")}
    peat = np.zeros(256)
    soft = np.zeros(256, dtype=np.uint8)
    classes, _mains, main_of = soil_tables(soil_classes)
    for entry in classes:
        row = rows.get(entry.id)
        if row is None:
            raise ConfigError("drought.errors.soil_class_missing", soil_class=entry.id, path=PATH)
        for key, arr in arrays.items():
            arr[entry.code] = float(getattr(row, key))
        peat[entry.code] = row.peat_factor
        if row.soft:
            soft[entry.code] = hz.SOFT_PEAT if (main_of[entry.id] == "peat" or peat[entry.code] > 0) else hz.SOFT_CLAY
    cap, sub = knowledge.capillary, knowledge.subsidence
    return SoilTable(**arrays, peat_factor=peat, soft=soft,
                     flux_mm_per_day=cap.flux_mm_per_day, season_days=cap.season_days, decay_m=cap.decay_m,
                     slope=sub.slope_mm_per_year_per_m, intercept=sub.intercept_mm_per_year,
                     glg_max_m=sub.glg_max_m)


def land_table(knowledge: DroughtKnowledge, lgn_classes: LgnClasses) -> LandTable:
    """Use and fuel of every LGN class from its vegetation group (``drought.toml`` [vegetation])."""
    groups = knowledge.vegetation.groups
    use = np.zeros(256, dtype=np.uint8)
    fuel = np.zeros(256)
    root = np.full(256, np.nan)
    for entry in lgn_classes.classes:
        group = entry.group
        row = groups.get(group)
        if row is None:
            raise ConfigError("drought.errors.group_missing", group=group, path=PATH)
        code = entry.code
        use[code] = _USES[row.use]
        fuel[code] = row.fuel
        if row.root_depth_m is not None:
            root[code] = row.root_depth_m
    nature_fuel = {str(k): v.fuel for k, v in knowledge.nature_kind.kinds.items()}
    return LandTable(use=use, fuel=fuel, nature_fuel=nature_fuel, root_depth_m=root)
