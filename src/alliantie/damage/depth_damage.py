"""Damage of pluvial flooding per cell or per object, WaterSchadeSchatter style.

Per land-use class ``c`` (knowledge file ``damage_pluvial.toml``, STOWA WSS
amounts at price level 2015 with the WSS default factors)::

    damage = area * ( direct_c * g_depth_c(depth) * g_duration_c(duration) * g_month_c(month)
                    + indirect_c * g_repair_c(repair time) )          # indirect only where wet

with ``direct_c`` and ``indirect_c`` the low/mean/high amounts (EUR/m2 and
EUR/m2/day), each factor ``g`` piecewise linear between the table's nodes and
clamped beyond them, and the repair factor in days. Cells with a depth at or
below ``wet_threshold_m`` (default 0: dry) take no damage; NaN depth or NaN
land use give NaN (no data).

The same kernel serves rasters (depth and land-use grids, area = cell area) and
objects (1-D arrays: water above floor level per building, its WSS building
class and its floor area). It is a numba loop over the cells of a block of
rows; :func:`raster_damage` and :func:`raster_risk` walk the raster in blocks
so that memory stays bounded, and :func:`raster_risk` accumulates the expected
annual damage event by event (no stack of event rasters).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alliantie.damage.risk import DEFAULT_RULE, Rule, ead_weights
from alliantie.errors import ConfigError, InputDataError
from alliantie.knowledge.model import KnowledgeModel, NonBlank, SourcedTable, parse_knowledge, unique

KNOWLEDGE = "damage_pluvial"
Amount = Literal["low", "mean", "high"]
AMOUNTS: tuple[Amount, ...] = ("low", "mean", "high")
_UNIT_TO_M2 = {"EUR/m2": 1.0, "EUR/ha": 1.0e-4}


# --------------------------------------------------------------------------- the table


class DamageClass(BaseModel):
    """One land-use (or building) class of the damage table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: int = Field(description="class code (BAG building functions 1-14, WSS 2017 land-use codes)")
    nl: str = Field(description="Dutch name (WSS)")
    en: str = Field(description="English name (alliantie translation)")
    direct_eur_m2: tuple[float, float, float] = Field(
        description="maximum direct damage low/mean/high, EUR/m2 at the table's price year (WSS)"
    )
    indirect_eur_m2_day: tuple[float, float, float] = Field(
        description="indirect damage low/mean/high, EUR/m2/day (WSS); 0 where the WSS amount is per road section"
    )
    indirect_per_section: bool = Field(
        description="True where the WSS indirect amount is per road section per day (not a raster quantity)"
    )
    depth_factor: tuple[float, ...] = Field(description="factor at the depth nodes, - (WSS)")
    duration_factor: tuple[float, ...] = Field(description="factor at the duration nodes, - (WSS)")
    repair_factor: tuple[float, ...] = Field(description="days of indirect damage at the repair nodes (WSS)")
    month_factor: tuple[float, ...] = Field(description="factor per month January..December, - (WSS)")
    source: str = Field(description="where the row comes from")


class DamageTable(BaseModel):
    """The damage table: factor nodes and classes (knowledge file ``damage_pluvial.toml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    price_year: int = Field(description="price level of the amounts (WSS: 2015)")
    depth_m: tuple[float, ...] = Field(description="depth nodes, m above ground or floor")
    duration_h: tuple[float, ...] = Field(description="inundation-duration nodes, h")
    repair_h: tuple[float, ...] = Field(description="repair-time nodes, h")
    classes: dict[int, DamageClass] = Field(description="classes by WSS code")
    source: str = Field(description="source of the table")


class DamageSettings(BaseModel):
    """The circumstances of one event and the amount level."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Amount = Field("mean", description="low, mean or high WSS amounts")
    month: int = Field(9, ge=1, le=12, description="month of the event, 1-12 (WSS default September)")
    duration_h: float = Field(6.0, gt=0, description="inundation duration, h (issue 5 default 6 h)")
    repair_days: float = Field(5.0, ge=0, description="repair time, days (WSS event model default 5 days)")
    price_factor: float = Field(
        1.0, gt=0, description="multiplier from the table's price year to the report's (npv.price_index_factor)"
    )
    wet_threshold_m: float = Field(0.0, description="depth at or below which a cell is dry (no damage), m")


# --------------------------------------------------------------------------- the knowledge file

_Nodes = Annotated[list[float], Field(min_length=2, description="nodes, strictly increasing")]
_Amounts = Annotated[list[float], Field(min_length=3, max_length=3, description="low, mean, high")]


class PluvialTableSection(SourcedTable):
    """``[table]``: the price level and the factor nodes of the WaterSchadeSchatter table, each with its unit."""

    price_year: int = Field(description="price level of the amounts (WSS: 2015)")
    depth_m: _Nodes
    depth_unit: NonBlank
    duration_h: _Nodes
    duration_unit: NonBlank
    repair_h: _Nodes
    repair_unit: NonBlank
    month_unit: NonBlank

    @field_validator("depth_m", "duration_h", "repair_h")
    @classmethod
    def _increasing(cls, nodes: list[float]) -> list[float]:
        if any(b <= a for a, b in itertools.pairwise(nodes)):
            raise ValueError("the nodes must increase")
        return nodes


class EventDefaults(KnowledgeModel):
    """``[defaults]``: the circumstances of an event when the user gives none, each with its source."""

    month: int = Field(ge=1, le=12, description="month of the event, 1-12")
    month_source: NonBlank
    duration_h: float = Field(gt=0, description="inundation duration, h")
    duration_source: NonBlank
    repair_days: float = Field(ge=0, description="repair time, days")
    repair_source: NonBlank


class PluvialClassRow(KnowledgeModel):
    """``[[class]]``: one land-use or building class with its amounts (unit per row) and factors."""

    code: int = Field(description="class code (BAG building functions 1-14, WSS 2017 land-use codes)")
    system: str = Field(description="code system of the class (BAG, BGT, ...)")
    nl: str = Field(description="Dutch name (WSS)")
    en: str = Field(description="English name (alliantie translation)")
    direct_unit: Literal["EUR/m2", "EUR/ha"]
    direct: _Amounts
    indirect_unit: Literal["EUR/m2/day", "EUR/road section/day", "EUR/track section/day"]
    indirect: _Amounts
    depth_factor: list[float] = Field(description="factor at the depth nodes, -")
    duration_factor: list[float] = Field(description="factor at the duration nodes, -")
    repair_factor: list[float] = Field(description="days of indirect damage at the repair nodes")
    month_factor: list[float] = Field(min_length=12, max_length=12, description="factor per month, January first")
    source: NonBlank


class LgnRow(KnowledgeModel):
    """``[[lgn]]``: an LGN land-use code and its WSS class."""

    lgn: int
    wss: int
    source: NonBlank


class BuildingFunctionRow(KnowledgeModel):
    """``[[building_function]]``: a building function (``buildings.gpkg`` column ``function``) and its WSS class."""

    function: str
    wss: int
    source: NonBlank


class PluvialDamageFile(KnowledgeModel):
    """Knowledge file ``damage_pluvial.toml``: the WaterSchadeSchatter table and the class maps into it."""

    title: str = ""
    table: PluvialTableSection
    defaults: EventDefaults
    classes: list[PluvialClassRow] = Field(alias="class", min_length=1)
    lgn: list[LgnRow] = Field(default_factory=list)
    building_function: list[BuildingFunctionRow] = Field(default_factory=list)

    @field_validator("classes")
    @classmethod
    def _unique_codes(cls, rows: list[PluvialClassRow]) -> list[PluvialClassRow]:
        return unique(rows, [r.code for r in rows], "class code")

    @model_validator(mode="after")
    def _factor_lengths(self) -> PluvialDamageFile:
        sizes = {"depth_factor": len(self.table.depth_m), "duration_factor": len(self.table.duration_h),
                 "repair_factor": len(self.table.repair_h)}
        for row in self.classes:
            for key, n in sizes.items():
                if len(getattr(row, key)) != n:
                    raise ValueError(f"class {row.code}: {key} must hold {n} values, one per node of [table]")
        codes = {row.code for row in self.classes}
        for name, rows in (("lgn", self.lgn), ("building_function", self.building_function)):
            unknown = sorted({row.wss for row in rows if row.wss not in codes})
            if unknown:
                raise ValueError(f"[[{name}]] names WSS class(es) {', '.join(map(str, unknown))} without a [[class]]")
        return self

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml") -> PluvialDamageFile:
        """The parsed file checked; a ConfigError naming ``path`` and the wrong fields when it does not fit."""
        return parse_knowledge(cls, data, path)


def _pluvial_file(knowledge: PluvialDamageFile | Mapping[str, Any], path: str = f"{KNOWLEDGE}.toml",
                 ) -> PluvialDamageFile:
    """``damage_pluvial.toml`` as its model (parsed and checked when given as parsed TOML)."""
    return parse_knowledge(PluvialDamageFile, knowledge, path)


def load_damage_table(knowledge: PluvialDamageFile | Mapping[str, Any],
                      path: str = f"{KNOWLEDGE}.toml") -> DamageTable:
    """The damage table of ``damage_pluvial.toml`` (amounts converted to EUR/m2)."""
    file = _pluvial_file(knowledge, path)
    classes: dict[int, DamageClass] = {}
    for row in file.classes:
        per_section = row.indirect_unit != "EUR/m2/day"
        direct = tuple(v * _UNIT_TO_M2[row.direct_unit] for v in row.direct)
        indirect = tuple(0.0 if per_section else v for v in row.indirect)
        classes[row.code] = DamageClass(
            code=row.code, nl=row.nl, en=row.en, direct_eur_m2=direct, indirect_eur_m2_day=indirect,
            indirect_per_section=per_section, depth_factor=tuple(row.depth_factor),
            duration_factor=tuple(row.duration_factor), repair_factor=tuple(row.repair_factor),
            month_factor=tuple(row.month_factor), source=row.source,
        )
    table = file.table
    return DamageTable(price_year=table.price_year, depth_m=tuple(table.depth_m), duration_h=tuple(table.duration_h),
                       repair_h=tuple(table.repair_h), classes=classes, source=table.source)


def class_map(knowledge: PluvialDamageFile | Mapping[str, Any]) -> dict[int, int]:
    """LGN land-use code -> WSS class (``[[lgn]]`` rows)."""
    return {row.lgn: row.wss for row in _pluvial_file(knowledge).lgn}


def building_classes(knowledge: PluvialDamageFile | Mapping[str, Any]) -> dict[str, int]:
    """Building function (``buildings.gpkg`` column ``function``) -> WSS building class (``[[building_function]]``)."""
    return {row.function: row.wss for row in _pluvial_file(knowledge).building_function}


def default_settings(knowledge: PluvialDamageFile | Mapping[str, Any]) -> DamageSettings:
    """Event settings from the ``[defaults]`` of the knowledge file."""
    d = _pluvial_file(knowledge).defaults
    return DamageSettings(month=d.month, duration_h=d.duration_h, repair_days=d.repair_days)


# --------------------------------------------------------------------------- per-class coefficients


@dataclass(frozen=True)
class Coefficients:
    """Per-class numbers of one event, ready for the kernel (dense class index)."""

    lut: NDArray[np.int32]  #: input code -> dense class index, -1 unknown
    nodes: NDArray[np.float64]  #: depth nodes, m
    depth_y: NDArray[np.float64]  #: (classes, nodes) depth factors
    direct: NDArray[np.float64]  #: EUR/m2 at full depth factor (amount x duration x month x price factor)
    indirect: NDArray[np.float64]  #: EUR/m2 per wet event (amount per day x repair days x price factor)
    codes: NDArray[np.int64]  #: WSS code per dense index


def coefficients(
    table: DamageTable, settings: DamageSettings, code_map: Mapping[int, int] | None = None
) -> Coefficients:
    """The per-class factors of an event; ``code_map`` maps input codes (e.g. LGN) to WSS codes."""
    wss_codes = np.array(sorted(table.classes), dtype=np.int64)
    index = {int(c): i for i, c in enumerate(wss_codes)}
    k = AMOUNTS.index(settings.amount)
    repair_h = settings.repair_days * 24.0
    direct = np.empty(wss_codes.size)
    indirect = np.empty(wss_codes.size)
    depth_y = np.empty((wss_codes.size, len(table.depth_m)))
    for i, code in enumerate(wss_codes):
        c = table.classes[int(code)]
        g_dur = float(np.interp(settings.duration_h, table.duration_h, c.duration_factor))
        g_month = c.month_factor[settings.month - 1]
        g_rep = float(np.interp(repair_h, table.repair_h, c.repair_factor))
        direct[i] = c.direct_eur_m2[k] * g_dur * g_month * settings.price_factor
        indirect[i] = c.indirect_eur_m2_day[k] * g_rep * settings.price_factor
        depth_y[i] = c.depth_factor
    mapping = {c: c for c in index} if code_map is None else dict(code_map)
    bad = sorted({v for v in mapping.values() if v not in index})
    if bad:
        raise ConfigError("damage.errors.map_unknown_class", codes=", ".join(map(str, bad)))
    size = max([*mapping, 0]) + 1
    lut = np.full(size, -1, dtype=np.int32)
    for src, dst in mapping.items():
        if src >= 0:
            lut[src] = index[dst]
    return Coefficients(lut, np.asarray(table.depth_m, dtype=np.float64), depth_y, direct, indirect, wss_codes)


# --------------------------------------------------------------------------- the kernels

_NODATA = -2  # class index of a cell without land use (NaN)
_UNKNOWN = -1  # class index of a land-use code without a damage class


@numba.njit(cache=True, nogil=True)
def _class_index(landuse, lut, out):
    """Dense class index per cell (codes of any numeric dtype in, int32 out); returns the number of unknown codes."""
    n_lut = lut.size
    unknown = 0
    for i in range(landuse.size):
        v = landuse[i]
        if v != v:
            out[i] = _NODATA
            continue
        code = int(v)
        c = lut[code] if 0 <= code < n_lut else _UNKNOWN
        if c < 0:
            unknown += 1
        out[i] = c
    return unknown


@numba.njit(cache=True, nogil=True, inline="always")
def _cell(d, c, nodes, depth_y, direct, indirect, wet):
    """Damage per m2 of one cell (NaN for no data, 0 when dry or of an unknown class)."""
    if d != d or c == _NODATA:
        return np.nan
    if d <= wet or c < 0:
        return 0.0
    n = nodes.size
    if d <= nodes[0]:
        g = depth_y[c, 0]
    elif d >= nodes[n - 1]:
        g = depth_y[c, n - 1]
    else:
        k = 0
        while d >= nodes[k + 1]:
            k += 1
        t = (d - nodes[k]) / (nodes[k + 1] - nodes[k])
        g = depth_y[c, k] + t * (depth_y[c, k + 1] - depth_y[c, k])
    return direct[c] * g + indirect[c]


@numba.njit(cache=True, nogil=True)
def _damage_kernel(depth, cls, area, nodes, depth_y, direct, indirect, wet, out):
    """Damage per cell (area: one value, or one per cell)."""
    one = area.size == 1
    for i in range(depth.size):
        a = area[0] if one else area[i]
        out[i] = _cell(depth[i], cls[i], nodes, depth_y, direct, indirect, wet) * a


@numba.njit(cache=True, nogil=True)
def _risk_kernel(depth, cls, area, nodes, depth_y, direct, indirect, wet, weight, acc):
    """Add ``weight`` x damage per cell to ``acc``; return the event's total damage (NaN cells left out)."""
    total = 0.0
    for i in range(depth.size):
        dmg = _cell(depth[i], cls[i], nodes, depth_y, direct, indirect, wet) * area
        if dmg == dmg:
            total += dmg
        acc[i] += weight * dmg
    return total


def _flat(a: NDArray[Any], dtype: Any = None) -> NDArray[Any]:
    """A flat view of contiguous data (a copy only when the layout or ``dtype`` needs one)."""
    return np.ascontiguousarray(a, dtype=dtype).reshape(-1)


def _depth(a: NDArray[Any]) -> NDArray[Any]:
    """Depths as float32 or float64 (two kernel signatures at most)."""
    return _flat(a, None if a.dtype in (np.float32, np.float64) else np.float64)


def _classes(landuse: NDArray[Any], coef: Coefficients) -> tuple[NDArray[np.int32], int]:
    idx = np.empty(landuse.size, dtype=np.int32)
    lu = landuse if landuse.dtype.kind in "iuf" else landuse.astype(np.float64)
    unknown = _class_index(_flat(lu), coef.lut, idx)  # compiled per land-use dtype (int16, float32, ...)
    return idx, int(unknown)


def _raise_unknown(landuse: NDArray[Any], coef: Coefficients) -> None:
    lu = np.asarray(landuse, dtype=np.float64).reshape(-1)
    codes = np.unique(lu[np.isfinite(lu)].astype(np.int64))
    inside = (codes >= 0) & (codes < coef.lut.size)
    known = np.zeros(codes.shape, dtype=bool)
    known[inside] = coef.lut[codes[inside]] >= 0
    raise InputDataError("damage.errors.unknown_class", codes=", ".join(map(str, codes[~known][:20].tolist())))


def object_damage(
    depth: ArrayLike,
    classes: ArrayLike,
    area_m2: ArrayLike,
    coef: Coefficients,
    *,
    wet_threshold_m: float = 0.0,
    unknown: Literal["error", "zero"] = "error",
) -> NDArray[np.float64]:
    """Damage (EUR) per object or cell of any shape: depth (m), class code and area (m2) per element."""
    d = np.asarray(depth)
    lu = np.asarray(classes)
    if lu.shape != d.shape:
        raise InputDataError("damage.errors.shape_mismatch", depth=str(d.shape), landuse=str(lu.shape))
    area = np.asarray(area_m2, dtype=np.float64)
    area_flat = area.reshape(1) if area.size == 1 else _flat(np.broadcast_to(area, d.shape), np.float64)
    cls, n_unknown = _classes(lu, coef)
    if n_unknown and unknown == "error":
        _raise_unknown(lu, coef)
    out = np.empty(d.size)
    _damage_kernel(_depth(d), cls, area_flat, coef.nodes, coef.depth_y, coef.direct, coef.indirect,
                   float(wet_threshold_m), out)
    return out.reshape(d.shape)


def _blocks(rows: int, block_rows: int) -> list[tuple[int, int]]:
    step = max(int(block_rows), 1)
    return [(r, min(r + step, rows)) for r in range(0, rows, step)]


def raster_damage(
    depth: NDArray[Any],
    landuse: NDArray[Any],
    coef: Coefficients,
    *,
    cell_area_m2: float,
    wet_threshold_m: float = 0.0,
    unknown: Literal["error", "zero"] = "error",
    block_rows: int = 512,
) -> NDArray[np.float64]:
    """Damage (EUR per cell) of one event on a depth raster (m) and a class raster, block by block.

    An unknown land-use code is an error anywhere on the map (``unknown="zero"``: no damage there).
    """
    if depth.shape != landuse.shape or depth.ndim != 2:
        raise InputDataError("damage.errors.shape_mismatch", depth=str(depth.shape), landuse=str(landuse.shape))
    result = np.empty(depth.shape, dtype=np.float64)
    area = np.array([float(cell_area_m2)])
    for r0, r1 in _blocks(depth.shape[0], block_rows):
        cls, n_unknown = _classes(landuse[r0:r1], coef)
        if n_unknown and unknown == "error":
            _raise_unknown(landuse, coef)
        _damage_kernel(_depth(depth[r0:r1]), cls, area, coef.nodes, coef.depth_y, coef.direct, coef.indirect,
                       float(wet_threshold_m), result[r0:r1].reshape(-1))
    return result


@dataclass(frozen=True)
class RasterRisk:
    """Expected annual damage of a set of events on a raster."""

    ead: NDArray[np.float64]  #: EUR per year per cell (NaN: no data)
    event_totals: NDArray[np.float64]  #: EUR per event, summed over the cells (NaN cells left out)
    return_periods: NDArray[np.float64]
    rule: Rule

    @property
    def ead_total(self) -> float:
        """EUR per year over the raster (NaN cells left out)."""
        return float(np.nansum(self.ead))


def raster_risk(
    depths: Sequence[NDArray[Any]],
    return_periods: ArrayLike,
    landuse: NDArray[Any],
    coef: Coefficients,
    *,
    cell_area_m2: float,
    rule: Rule = DEFAULT_RULE,
    wet_threshold_m: float = 0.0,
    unknown: Literal["error", "zero"] = "error",
    block_rows: int = 512,
    progress: Callable[[float], None] | None = None,
) -> RasterRisk:
    """Damage per event and the EAD raster, accumulated block by block with the rule's weights.

    ``depths`` holds one depth raster (m) per event, in the order of ``return_periods`` (years).
    Memory: the EAD raster plus one block of class indices; no stack of event rasters.
    """
    rp = np.asarray(return_periods, dtype=np.float64)
    w = ead_weights(rp, rule)
    if len(depths) != w.size:
        raise InputDataError("damage.errors.damages_shape", n=w.size, shape=str(len(depths)))
    shape = landuse.shape
    for depth in depths:
        if depth.shape != shape:
            raise InputDataError("damage.errors.shape_mismatch", depth=str(depth.shape), landuse=str(shape))
    ead = np.zeros(shape, dtype=np.float64)
    totals = np.zeros(w.size)
    blocks = _blocks(shape[0], block_rows)
    for b, (r0, r1) in enumerate(blocks):
        cls, n_unknown = _classes(landuse[r0:r1], coef)
        if n_unknown and unknown == "error":
            _raise_unknown(landuse, coef)
        acc = ead[r0:r1].reshape(-1)
        for i, depth in enumerate(depths):
            totals[i] += _risk_kernel(_depth(depth[r0:r1]), cls, float(cell_area_m2), coef.nodes, coef.depth_y,
                                      coef.direct, coef.indirect, float(wet_threshold_m), float(w[i]), acc)
        if progress is not None:
            progress((b + 1) / len(blocks))
    return RasterRisk(ead=ead, event_totals=totals, return_periods=rp, rule=rule)
