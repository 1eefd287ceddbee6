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

* business interruption (:func:`business_interruption`): the WSS indirect
  damage per m2 and day of the building's class times the WSS repair factor at
  the days the building is out of use (the inundation plus the WSS repair time),
  for every building with water above its floor;
* victims (:func:`mortality_fraction`, :func:`expected_victims`): the mortality
  functions of Jonkman (2007) / Jonkman, Vrijling & Vrouwenvelder (2008) of the
  water depth and, where the user gives it, the rise rate, applied to the
  residents of each wet building who were not evacuated; their value (one
  value per victim, ``[victim_value]``) is a separate line, not part of the
  annual damage.

The national standard for breach floods, SSM2017 (*Standaardmethode Schade en
Slachtoffers*, Slager & Wagenaar 2017), could not be read (see the header of
``damage_flood.toml``); flow-velocity damage is not included.

The annual damage is the incident damage times the breach probability per year
that the user gives (:func:`annual_damage`); without one the theme is "not valued".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alliantie.damage.amounts import DamageRange, Incident, ThemeDamage
from alliantie.damage.depth_damage import AMOUNTS, Coefficients
from alliantie.damage.pluvial import CaseDamage, case_damage
from alliantie.knowledge.model import KnowledgeModel, NonBlank, SourcedTable, parse_knowledge, unique

__all__ = ["BusinessInterruption", "Evacuation", "FloodCurves", "FloodDamageFile", "FloodPeople", "Mortality",
           "VictimValue", "Victims", "annual_damage", "breach_case", "building_damage", "business_interruption",
           "expected_victims", "load_flood_curves", "mortality_fraction", "water_above_floor"]

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


class Mortality(SourcedTable):
    """``[mortality]``: lognormal mortality functions of the water depth (Jonkman 2007), per zone.

    ``F_D(h) = Phi((ln h - mu) / sigma)``, ``h`` the water depth in m; the
    rapidly-rising zone where ``h >= rising_min_depth_m`` and the rise rate
    ``>= rising_min_rate_m_per_h``, the remaining zone elsewhere.
    """

    remaining_mu: float
    remaining_sigma: float = Field(gt=0)
    rising_mu: float
    rising_sigma: float = Field(gt=0)
    rising_min_depth_m: float = Field(ge=0)
    rising_min_rate_m_per_h: float = Field(gt=0)


class Evacuation(SourcedTable):
    """``[evacuation]``: the share of the residents evacuated before the breach (default of the parameter)."""

    fraction: float = Field(ge=0, le=1)


class VictimValue(SourcedTable):
    """``[victim_value]``: the value of one victim, a separate line beside the material damage."""

    value: float = Field(gt=0, description="EUR per victim at price_year")
    price_year: int
    nl: str = Field(min_length=1, description="what the value is, in words (Dutch)")
    en: str = Field(min_length=1)


class BusinessInterruption(SourcedTable):
    """``[business_interruption]``: days of lost use after a breach besides the inundation itself."""

    repair_days: float = Field(ge=0, description="days of repair after the water has gone")


class FloodDamageFile(KnowledgeModel):
    """Knowledge file ``damage_flood.toml``: the breach depth-damage curves and the WSS classes they serve."""

    title: str = ""
    table: FloodTableSection
    classes: list[FloodClassRow] = Field(alias="class", min_length=1)
    wss_building: list[WssBuildingRow] = Field(default_factory=list)
    mortality: Mortality | None = None
    evacuation: Evacuation | None = None
    victim_value: VictimValue | None = None
    business_interruption: BusinessInterruption | None = None

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


class FloodPeople(BaseModel):
    """Victims and business interruption of ``damage_flood.toml`` (each None when the file has no such table)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mortality: Mortality | None = None
    evacuation: Evacuation | None = None
    victim_value: VictimValue | None = None
    business_interruption: BusinessInterruption | None = None


class FloodCurves(BaseModel):
    """The breach depth-damage table for buildings (knowledge file ``damage_flood.toml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    price_year: int = Field(description="price level of the maximum damages (JRC: 2010)")
    depth_m: tuple[float, ...] = Field(description="depth nodes, m of water above floor level")
    classes: dict[str, CurveClass] = Field(description="classes by name")
    wss_class: dict[int, str] = Field(description="WSS building class -> class name (others: no damage)")
    source: str = Field(description="source of the table")
    people: FloodPeople = Field(default_factory=FloodPeople, description="victims and business interruption")


def load_flood_curves(knowledge: FloodDamageFile | Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml",
                      ) -> FloodCurves:
    """The breach depth-damage table of ``damage_flood.toml`` (checked: nodes rising, lengths, names)."""
    file = parse_knowledge(FloodDamageFile, knowledge, path)
    classes = {row.name: CurveClass(name=row.name, factor=tuple(row.factor), max_damage_eur_m2=row.max_damage_eur_m2,
                                    source=row.source) for row in file.classes}
    people = FloodPeople(mortality=file.mortality, evacuation=file.evacuation, victim_value=file.victim_value,
                         business_interruption=file.business_interruption)
    return FloodCurves(price_year=file.table.price_year, depth_m=tuple(file.table.depth_m), classes=classes,
                       wss_class={row.wss: row.curve for row in file.wss_building}, source=file.table.source,
                       people=people)


# --------------------------------------------------------------------------- victims


def _phi(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The standard normal distribution function."""
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return np.asarray(0.5 * (1.0 + erf(x / math.sqrt(2.0))), dtype=np.float64)


def mortality_fraction(depth_m: ArrayLike, mortality: Mortality,
                       rise_rate_m_per_h: ArrayLike | None = None) -> NDArray[np.float64]:
    """Share of the exposed people that die at water depth ``depth_m`` (m; NaN or <= 0: 0).

    ``Phi((ln h - mu) / sigma)`` with the rapidly-rising zone's ``mu, sigma`` where
    ``h >= rising_min_depth_m`` and ``rise_rate_m_per_h >= rising_min_rate_m_per_h``,
    the remaining zone's elsewhere (also everywhere when the rise rate is None).
    In the rapidly-rising zone the larger of the two functions counts (alliantie
    choice: just above 2.1 m the rapidly-rising function lies below the
    remaining-zone one, and deeper or faster water should not kill fewer).
    """
    h = np.asarray(depth_m, dtype=np.float64)
    wet = np.isfinite(h) & (h > 0)
    out = np.zeros(h.shape, dtype=np.float64)
    if not wet.any():
        return out
    ln_h = np.log(h[wet])
    out[wet] = _phi((ln_h - mortality.remaining_mu) / mortality.remaining_sigma)
    if rise_rate_m_per_h is not None:
        w = np.broadcast_to(np.asarray(rise_rate_m_per_h, dtype=np.float64), h.shape)
        rising = wet & (h >= mortality.rising_min_depth_m) & (w >= mortality.rising_min_rate_m_per_h)
        fast = _phi((np.log(h[rising]) - mortality.rising_mu) / mortality.rising_sigma)
        out[rising] = np.maximum(out[rising], fast)  # no drop at the zone's edge (2.1 m: 0.52 % < 0.63 %)
    return out


@dataclass(frozen=True)
class Victims:
    """The expected victims of one breach inundation and what they rest on."""

    victims: float  #: expected deaths
    exposed: float  #: residents in wet buildings
    evacuated: float  #: fraction evacuated before the breach
    rising_zone: bool  #: True when a rise rate was given (the rapidly-rising function could apply)


def expected_victims(depth_m: ArrayLike, residents: ArrayLike, mortality: Mortality, *, evacuation_fraction: float,
                     rise_rate_m_per_h: float | None = None) -> Victims:
    """``sum residents x (1 - evacuation_fraction) x F_D(depth, rise rate)`` over the buildings.

    ``depth_m`` (m above ground at the building; NaN or <= 0 dry) and ``residents``
    per building.
    """
    if not 0.0 <= evacuation_fraction <= 1.0:
        raise ValueError("the evacuation fraction lies between 0 and 1")
    h = np.asarray(depth_m, dtype=np.float64)
    people = np.nan_to_num(np.asarray(residents, dtype=np.float64), nan=0.0)
    wet = np.isfinite(h) & (h > 0)
    f = mortality_fraction(h, mortality, rise_rate_m_per_h)
    stay = 1.0 - evacuation_fraction
    return Victims(victims=float((people * stay * f).sum()), exposed=float(people[wet].sum()),
                   evacuated=evacuation_fraction, rising_zone=rise_rate_m_per_h is not None)


# --------------------------------------------------------------------------- business interruption


def business_interruption(above_floor: ArrayLike, wss_class: ArrayLike, area_m2: ArrayLike,
                          coef: Mapping[str, Coefficients]) -> dict[str, float]:
    """Indirect damage (EUR) per amount level of the buildings with water above their floor.

    ``coef`` are WSS coefficients of the buildings (no code map: the WSS class is
    the code) made with the days out of use as repair time; a class without a
    WSS row takes 0.
    """
    d = np.asarray(above_floor, dtype=np.float64)
    cls = np.asarray(wss_class).astype(np.int64)
    area = np.broadcast_to(np.asarray(area_m2, dtype=np.float64), d.shape)
    wet = np.isfinite(d) & (d > 0)
    out: dict[str, float] = {}
    for amount, c in coef.items():
        known = wet & (cls >= 0) & (cls < c.lut.size)
        index = np.full(d.shape, -1, dtype=np.int64)
        index[known] = c.lut[cls[known]]
        use = known & (index >= 0)
        out[amount] = float((c.indirect[index[use]] * area[use]).sum())
    return out


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
                area: NDArray[np.bool_] | None = None,
                interruption: Mapping[str, Coefficients] | None = None) -> CaseDamage:
    """The damage of one breach inundation: land use with the WSS table, buildings with the breach curves.

    ``depth`` should be NaN on the building footprints (buildings count as
    objects); the buildings' direct damage is the same at every amount level (no
    range); with ``interruption`` (:func:`business_interruption`) their indirect
    damage is added per amount level.
    """
    case = case_damage(BREACH, scenario, float("nan"), depth, landuse, land_coef, cell_area_m2, area=area)
    n_above = 0
    total = 0.0
    indirect = dict.fromkeys(case.land, 0.0)
    if above_floor is not None and len(above_floor):
        above = np.asarray(above_floor, dtype=np.float64)
        n_above = int((np.isfinite(above) & (above > 0)).sum())
        total = float(building_damage(above, wss_class, area_m2, curves, price_factor).sum())
        if interruption is not None:
            indirect.update(business_interruption(above, wss_class, area_m2, interruption))
    return CaseDamage(event=BREACH, scenario=scenario, return_period=float("nan"), land=case.land,
                      buildings={a: total + indirect.get(a, 0.0) for a in case.land}, buildings_above_floor=n_above)


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
    victim_lines: Mapping[str, tuple[str, str, float]] | None = None,
) -> ThemeDamage:
    """The breach of each scenario as an incident; annual damage = incident x ``probability_per_year``.

    A scenario of ``scenarios`` without a breach inundation is listed in
    ``missing`` as ``("flood_depth", id)``; without a probability every scenario
    is listed as ``("breach_probability", id)`` and no annual damage is given.
    ``labels`` maps scenario id to the (nl, en) label of its incident.
    ``victim_lines`` maps scenario id to (nl label, en label, EUR): the value of
    the breach's victims as a separate incident line (``flood_victims_<id>``),
    never part of the annual damage.
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
        if victim_lines is not None and sid in victim_lines:
            v_nl, v_en, value = victim_lines[sid]
            theme.incidents.append(Incident(id=f"flood_victims_{sid}", scenario=sid, label_nl=v_nl, label_en=v_en,
                                            damage=DamageRange(value, value, value, price_year, sources)))
        if probability_per_year is None:
            theme.missing.append(("breach_probability", sid))
        else:
            theme.annual[sid] = _range(case, float(probability_per_year), price_year, sources)
    return theme
