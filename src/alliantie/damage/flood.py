"""Damage of a dike breach (flood safety, *waterveiligheid*): the incident and, with a probability, the annual damage.

The step 1 flood product leaves the water depth after a breach per climate
scenario (``depth_<scenario>.tif``). This module values it per object and cell:

* buildings: the JRC global flood depth-damage functions (Huizinga, de Moel &
  Szewczyk 2017, JRC105688; knowledge file ``damage_flood.toml``): the Europe
  curve of the building's class (residential, commercial, industrial; from its
  WSS building class) to 6 m of water, times the Dutch maximum damage per m2
  (structure + contents, price level 2010), times the footprint area; the depth
  is the water above floor level = the highest water level on the footprint
  (ground + depth) minus the floor level. The JRC gives no low/high: the
  buildings' amount is the same at every amount level;
* land use: every wet cell outside the footprints with its STOWA
  WaterSchadeSchatter class and low/mean/high amounts
  (:mod:`alliantie.damage.depth_damage`, whose depth factors saturate at 0.3 m).

The national standard for breach floods, SSM2017 (*Standaardmethode Schade en
Slachtoffers*, Slager & Wagenaar 2017), could not be read (see the header of
``damage_flood.toml``); victims, business interruption beyond the WSS repair
days and flow-velocity damage are not included.

The annual damage is the incident damage times the breach probability per year
(:func:`annual_damage`); without a probability the theme is "not valued".
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alliantie.damage.amounts import DamageRange, Incident, ThemeDamage
from alliantie.damage.depth_damage import AMOUNTS, Coefficients
from alliantie.damage.pluvial import CaseDamage, case_damage
from alliantie.knowledge.model import KnowledgeModel, NonBlank, SourcedTable, parse_knowledge, unique

__all__ = ["FloodCurves", "FloodDamageFile", "annual_damage", "breach_case", "building_damage",
           "load_flood_curves", "water_above_floor"]

BREACH = "breach"
KNOWLEDGE = "damage_flood"


# --------------------------------------------------------------------------- the knowledge file


class FloodTableSection(SourcedTable):
    """``[table]``: price level and depth nodes of the breach curves."""

    price_year: int = Field(description="price level of the maximum damages (JRC: 2010)")
    depth_m: list[float] = Field(min_length=2, description="depth nodes, m of water above floor level")
    depth_unit: NonBlank
    area: str = Field("", description="what area the maximum damage counts per")
    range: str = Field("", description="what the table says about low/high")

    @field_validator("depth_m")
    @classmethod
    def _increasing(cls, nodes: list[float]) -> list[float]:
        if any(b <= a for a, b in itertools.pairwise(nodes)):
            raise ValueError("the nodes must increase")
        return nodes


class FloodClassRow(KnowledgeModel):
    """``[[class]]``: one building class: its curve and maximum damage."""

    name: str = Field(min_length=1, description="class name (JRC: residential, commercial, industrial)")
    nl: str
    en: str
    factor: list[float] = Field(description="fraction of the maximum damage at the depth nodes, - (JRC)")
    max_damage_eur_m2: float = Field(ge=0, description="maximum damage, EUR/m2 of building at the table's price year")
    structure_eur_m2: float | None = Field(None, ge=0, description="the structure's part of the maximum damage")
    content_eur_m2: float | None = Field(None, ge=0, description="the contents' part of the maximum damage")
    source: NonBlank


class WssBuildingRow(KnowledgeModel):
    """``[[wss_building]]``: a WSS building class and the curve it takes."""

    wss: int
    curve: str
    source: NonBlank


class FloodDamageFile(KnowledgeModel):
    """Knowledge file ``damage_flood.toml``: the breach depth-damage curves and the WSS classes they serve."""

    title: str = ""
    table: FloodTableSection
    classes: list[FloodClassRow] = Field(alias="class", min_length=1)
    wss_building: list[WssBuildingRow] = Field(default_factory=list)

    @field_validator("classes")
    @classmethod
    def _unique_names(cls, rows: list[FloodClassRow]) -> list[FloodClassRow]:
        return unique(rows, [r.name for r in rows], "class name")

    @field_validator("wss_building")
    @classmethod
    def _unique_codes(cls, rows: list[WssBuildingRow]) -> list[WssBuildingRow]:
        return unique(rows, [r.wss for r in rows], "wss class")

    @model_validator(mode="after")
    def _consistent(self) -> FloodDamageFile:
        n = len(self.table.depth_m)
        for row in self.classes:
            if len(row.factor) != n:
                raise ValueError(f"class {row.name}: factor must hold {n} values, one per node of [table] depth_m")
        names = {row.name for row in self.classes}
        unknown = sorted({row.curve for row in self.wss_building if row.curve not in names})
        if unknown:
            raise ValueError(f"wss_building names curve(s) {', '.join(unknown)} without a [[class]]")
        return self

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> FloodDamageFile:
        """The parsed file checked; a ConfigError naming ``path`` and the wrong fields when it does not fit."""
        return parse_knowledge(cls, data, path)


# --------------------------------------------------------------------------- the curves


class CurveClass(BaseModel):
    """One building class of the breach depth-damage table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="class name (JRC: residential, commercial, industrial)")
    factor: tuple[float, ...] = Field(description="fraction of the maximum damage at the depth nodes, - (JRC)")
    max_damage_eur_m2: float = Field(ge=0, description="maximum damage, EUR/m2 of building at the table's price year")
    source: str = Field(description="where the row comes from")


class FloodCurves(BaseModel):
    """The breach depth-damage table for buildings (knowledge file ``damage_flood.toml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    price_year: int = Field(description="price level of the maximum damages (JRC: 2010)")
    depth_m: tuple[float, ...] = Field(description="depth nodes, m of water above floor level")
    classes: dict[str, CurveClass] = Field(description="classes by name")
    wss_class: dict[int, str] = Field(description="WSS building class -> class name (others: no damage)")
    source: str = Field(description="source of the table")


def load_flood_curves(knowledge: FloodDamageFile | Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml",
                      ) -> FloodCurves:
    """The breach depth-damage table of ``damage_flood.toml`` (checked: nodes rising, lengths, names)."""
    file = parse_knowledge(FloodDamageFile, knowledge, path)
    classes = {row.name: CurveClass(name=row.name, factor=tuple(row.factor), max_damage_eur_m2=row.max_damage_eur_m2,
                                    source=row.source) for row in file.classes}
    return FloodCurves(price_year=file.table.price_year, depth_m=tuple(file.table.depth_m), classes=classes,
                       wss_class={row.wss: row.curve for row in file.wss_building}, source=file.table.source)


def building_damage(above_floor: ArrayLike, wss_class: ArrayLike, area_m2: ArrayLike, curves: FloodCurves,
                    price_factor: float = 1.0) -> NDArray[np.float64]:
    """Damage (EUR) per building: max damage x curve factor at the water above floor x area x ``price_factor``.

    ``above_floor`` (m; NaN or <= 0 dry: 0), ``wss_class`` (WSS building class; one
    without a curve takes 0) and ``area_m2`` (m2) per building. The factor is
    linear between the depth nodes and clamped at the last node.
    """
    d = np.asarray(above_floor, dtype=np.float64)
    cls = np.asarray(wss_class).astype(np.int64)
    area = np.broadcast_to(np.asarray(area_m2, dtype=np.float64), d.shape)
    out = np.zeros(d.shape, dtype=np.float64)
    wet = np.isfinite(d) & (d > 0)
    nodes = np.asarray(curves.depth_m)
    for code, name in curves.wss_class.items():
        sel = wet & (cls == code)
        if sel.any():
            c = curves.classes[name]
            out[sel] = c.max_damage_eur_m2 * np.interp(d[sel], nodes, c.factor) * area[sel] * price_factor
    return out


def breach_case(scenario: str, depth: NDArray[np.floating], landuse: NDArray[np.floating],
                land_coef: Mapping[str, Coefficients], cell_area_m2: float, *,
                above_floor: NDArray[np.floating] | None, wss_class: NDArray[np.integer],
                area_m2: NDArray[np.floating], curves: FloodCurves, price_factor: float,
                area: NDArray[np.bool_] | None = None) -> CaseDamage:
    """The damage of one breach inundation: land use with the WSS table, buildings with the breach curves.

    ``depth`` should be NaN on the building footprints (buildings count as
    objects); the buildings' amount is the same at every amount level (no range).
    """
    case = case_damage(BREACH, scenario, float("nan"), depth, landuse, land_coef, cell_area_m2, area=area)
    n_above = 0
    total = 0.0
    if above_floor is not None and len(above_floor):
        above = np.asarray(above_floor, dtype=np.float64)
        n_above = int((np.isfinite(above) & (above > 0)).sum())
        total = float(building_damage(above, wss_class, area_m2, curves, price_factor).sum())
    return CaseDamage(event=BREACH, scenario=scenario, return_period=float("nan"), land=case.land,
                      buildings={a: total for a in case.land}, buildings_above_floor=n_above)


def water_above_floor(depth: NDArray[np.floating], ground: NDArray[np.floating], ids: NDArray[np.integer],
                      count: int, floor_level: NDArray[np.floating]) -> NDArray[np.float64]:
    """Water above floor level (m) per building: the highest water level on the footprint minus the floor (NaN dry).

    ``depth`` (m, NaN or 0 dry) and ``ground`` (m NAP) are rasters; ``ids`` the
    building numbers 1..count per cell (0 none); ``floor_level`` (m NAP) per building.
    """
    from alliantie.hazards.flood import per_building_max

    d = np.asarray(depth, dtype=np.float64)
    level = np.where(d > 0, np.asarray(ground, dtype=np.float64) + d, np.nan)
    return np.asarray(per_building_max(ids, count, level) - np.asarray(floor_level, dtype=np.float64))


def _range(case: CaseDamage, factor: float, price_year: int, sources: tuple[str, ...]) -> DamageRange:
    low, mean, high = (case.total(a) * factor for a in AMOUNTS)
    return DamageRange(low, max(mean, low), max(high, mean, low), price_year, sources)


def annual_damage(
    breaches: Sequence[CaseDamage],
    *,
    price_year: int,
    probability_per_year: float | None,
    scenarios: Sequence[str],
    sources: tuple[str, ...] = (),
    labels: Mapping[str, tuple[str, str]] | None = None,
) -> ThemeDamage:
    """The breach of each scenario as an incident; annual damage = incident x ``probability_per_year``.

    A scenario of ``scenarios`` without a breach inundation is listed in
    ``missing`` as ``("flood_depth", id)``; without a probability every scenario
    is listed as ``("breach_probability", id)`` and no annual damage is given.
    ``labels`` maps scenario id to the (nl, en) label of its incident.
    """
    theme = ThemeDamage(theme="flood")
    by_scenario = {b.scenario: b for b in breaches}
    for sid in scenarios:
        case = by_scenario.get(sid)
        if case is None:
            theme.missing.append(("flood_depth", sid))
            continue
        nl, en = (labels or {}).get(sid, (sid, sid))
        theme.incidents.append(Incident(id=f"flood_{BREACH}_{sid}", scenario=sid, label_nl=nl, label_en=en,
                                        damage=_range(case, 1.0, price_year, sources)))
        if probability_per_year is None:
            theme.missing.append(("breach_probability", sid))
        else:
            theme.annual[sid] = _range(case, float(probability_per_year), price_year, sources)
    return theme
