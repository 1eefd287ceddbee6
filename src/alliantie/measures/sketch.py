"""A sketch: features that each place one measure of the catalogue, checked before anything is computed.

A sketch is a GeoDataFrame (a GeoPackage layer as the web workshop exports it)
with a column ``measure`` holding a catalogue id. Optional columns: ``width_m``
(line measures), ``count`` (pieces per point), ``level``, ``comment``, ``name``,
and any numeric effect parameter of the catalogue (e.g. ``storage_mm``) to
override the catalogue's value for that feature. Empty cells mean "the
catalogue's value". Everything wrong is refused with a message that names the
file, the feature and what to write instead.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from alliantie.errors import InputDataError
from alliantie.knowledge.measures import Effect, Measure, MeasureCatalogue

#: Geometry types accepted per geometry kind of the catalogue.
ACCEPTED: Mapping[str, tuple[str, ...]] = {
    "polygon": ("Polygon", "MultiPolygon"),
    "line": ("LineString", "MultiLineString"),
    "point": ("Point", "MultiPoint"),
    "building": ("Polygon", "MultiPolygon", "Point", "MultiPoint", "LineString", "MultiLineString"),
}
#: Effect parameters that are shares (0-1); the others must be >= 0 except water-level and terrain changes.
SHARES = frozenset({"paved_share", "vegetation_share", "shade_share", "albedo"})
SIGNED = frozenset({"water_level_change_m"})
OVERRIDABLE = frozenset(name for name, info in Effect.model_fields.items()
                        if info.annotation is not bool and name != "not_modelled")


@dataclass(frozen=True)
class Feature:
    """One checked feature: its measure, geometry, size options and effect parameters (overrides applied)."""

    index: int  #: position in the sketch (0-based)
    measure: Measure
    geometry: shapely.Geometry
    width_m: float | None  #: line measures
    count: float  #: pieces per point (1 for other kinds)
    params: dict[str, float]  #: effect parameter -> value (catalogue, or the sketch's override)
    overridden: tuple[str, ...] = ()
    label: str = ""  #: the feature's name or comment, for tables

    @property
    def id(self) -> str:
        return f"{self.index + 1}:{self.measure.id}"


@dataclass(frozen=True)
class Sketch:
    """The checked features of a sketch."""

    features: list[Feature]
    source: str = "sketch"
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.features)

    @classmethod
    def empty(cls) -> Sketch:
        return cls([])

    @classmethod
    def from_frame(cls, frame: gpd.GeoDataFrame, catalogue: MeasureCatalogue, *, label: str = "sketch") -> Sketch:
        """Check ``frame`` (already in the grid's CRS) against ``catalogue``; ``label`` names the file in errors."""
        measures = check_measure_ids(frame, catalogue, label=label)
        features = [_feature(i, measure, row._asdict(), label)
                    for i, (measure, row) in enumerate(zip(measures, frame.itertuples(index=False), strict=True))]
        return cls(features, source=label)


def check_measure_ids(frame: pd.DataFrame, catalogue: MeasureCatalogue, *, label: str = "sketch") -> list[Measure]:
    """The measure of every row of ``frame`` (column ``measure``, an id of ``catalogue``); an input error names the
    first bad row and the closest ids. The geometry is not needed: a run checks this before it starts."""
    if "measure" not in frame.columns:
        raise InputDataError("effects.errors.no_measure_column", path=label,
                             columns=", ".join(str(c) for c in frame.columns if c != "geometry") or "-")
    known = [m.id for m in catalogue.measures]
    measures: list[Measure] = []
    for i, mid in enumerate(frame["measure"]):
        if not isinstance(mid, str) or not mid.strip():
            raise InputDataError("effects.errors.empty_measure", path=label, feature=i + 1)
        measure = catalogue.get(mid.strip())
        if measure is None:
            close = difflib.get_close_matches(mid, known, n=3) or known[:5]
            raise InputDataError("effects.errors.unknown_measure", path=label, feature=i + 1, measure=mid,
                                 close=", ".join(close))
        measures.append(measure)
    return measures


def _number(values: Mapping[str, object], name: str) -> float | None:
    value = values.get(name)
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return None if np.isnan(number) and not isinstance(value, str) else number


def _feature(index: int, measure: Measure, values: Mapping[str, object], label: str) -> Feature:
    geometry = values.get("geometry")
    if not isinstance(geometry, shapely.Geometry) or shapely.is_empty(geometry):
        raise InputDataError("effects.errors.no_geometry", path=label, feature=index + 1, measure=measure.id)
    type_name = geometry.geom_type
    if type_name not in ACCEPTED[measure.geometry]:
        raise InputDataError("effects.errors.wrong_geometry", path=label, feature=index + 1, measure=measure.id,
                             found=type_name, expected=measure.geometry)
    if not shapely.is_valid(geometry):
        geometry = shapely.make_valid(geometry)
    width = None
    if measure.geometry == "line":
        assert measure.default_width_m is not None  # the catalogue model requires it
        width = _positive(values, "width_m", measure.default_width_m.value, label, index, measure.id)
    count = 1.0
    if measure.geometry == "point":
        count = _positive(values, "count", 1.0, label, index, measure.id)
    params = {name: s.value for name, s in measure.effect.parameters().items()}
    overridden = []
    for name in sorted(OVERRIDABLE):
        value = _number(values, name)
        if value is None:
            continue
        if not _allowed(name, value):
            raise InputDataError("effects.errors.bad_value", path=label, feature=index + 1, measure=measure.id,
                                 column=name, value=values.get(name))
        params[name] = value
        overridden.append(name)
    text = next((str(values[k]) for k in ("name", "comment") if isinstance(values.get(k), str) and values[k]), "")
    return Feature(index=index, measure=measure, geometry=geometry, width_m=width, count=count, params=params,
                   overridden=tuple(overridden), label=text)


def _allowed(name: str, value: float) -> bool:
    if not np.isfinite(value):
        return False
    if name in SHARES:
        return 0.0 <= value <= 1.0
    if name in SIGNED:
        return abs(value) <= 5.0
    return value >= 0.0


def _positive(values: Mapping[str, object], name: str, default: float, label: str, index: int,
              measure: str) -> float:
    value = _number(values, name)
    if value is None:
        return default
    if not (np.isfinite(value) and value > 0):
        raise InputDataError("effects.errors.bad_value", path=label, feature=index + 1, measure=measure,
                             column=name, value=values.get(name))
    return value
