"""Checks of a vector input against its row of the input table (geometry family, columns, values).

One checker for ``alliantie check`` (:func:`alliantie.dossier.inspect.check_inputs`) and ``run``
(:meth:`alliantie.dossier.registry.RunCache.vector`), so both refuse the same data with the same message and
every product sees checked data. What is expected comes from :func:`alliantie.dossier.config.input_specs`
(``geometry`` and ``columns`` of each vector input):

- features without geometry (null or empty) are dropped with a warning that counts them; a layer with
  features but none with a geometry is refused;
- a geometry of another family (points where polygons are expected) is refused, naming what was found;
- a required column that is missing is refused, listing the columns present; missing optional columns are
  reported once (one warning) with the default the products use instead;
- a number column holding text, or a value out of its range (negative residents, a share 0-1 given as a
  percent) is refused, naming the column and the first bad rows (1-based, in the order of the file).

The checks only read: data that passes is returned unchanged apart from the dropped empty features.
"""

from __future__ import annotations

import logging
import numbers
from collections.abc import Callable
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from alliantie.dossier.config import ColumnSpec, GeometryFamily, InputSpec
from alliantie.dossier.vector_schemas import Reading, apply_schema
from alliantie.errors import AlliantieError, InputDataError
from alliantie.i18n import translate
from alliantie.knowledge.national_schemas import NationalSchemas

log = logging.getLogger(__name__)

#: shapely geometry type ids per family (GeometryCollections are judged by their parts).
_FAMILY_TYPES: dict[GeometryFamily, frozenset[int]] = {
    "point": frozenset({0, 4}),
    "line": frozenset({1, 2, 5}),
    "polygon": frozenset({3, 6}),
}
_TYPE_NAMES = {0: "Point", 1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
               6: "MultiPolygon", 7: "GeometryCollection"}
_COLLECTION = 7
#: Bad rows named in a message, at most.
_EXAMPLES = 5


class _Text(AlliantieError):
    """A catalogue text as a parameter of an error: rendered in the language the error is rendered in."""


def vector_check(
    spec: InputSpec, *, columns: dict[str, str] | None = None, reading: Reading | None = None,
    knowledge: NationalSchemas | None = None,
) -> Callable[[gpd.GeoDataFrame, str], gpd.GeoDataFrame]:
    """The check of input ``spec`` as ``(frame, path) -> frame`` for :func:`alliantie.io.vector.read_vector`.

    Inputs with expected columns first go through their attribute map ``columns`` and the national schemas
    (:func:`alliantie.dossier.vector_schemas.apply_schema`); what that did is copied into ``reading`` when given
    (``alliantie check`` prints it), otherwise logged (the run).
    """
    if not spec.columns:
        return partial(check_vector, spec=spec)
    return partial(_mapped_check, spec=spec, columns=columns, reading=reading,
                   knowledge=knowledge or NationalSchemas.load())


def _mapped_check(gdf: gpd.GeoDataFrame, path: str, *, spec: InputSpec, columns: dict[str, str] | None,
                  reading: Reading | None, knowledge: NationalSchemas) -> gpd.GeoDataFrame:
    gdf, found = apply_schema(gdf, path, name=spec.name, columns=columns, knowledge=knowledge,
                              targets=tuple(c.name for c in spec.columns))
    if reading is None:
        for note in found.notes:
            log.info("%s", note)
        for warning in found.warnings:
            log.warning("%s", warning)
    else:
        reading.schema, reading.columns, reading.counts = found.schema, found.columns, found.counts
        reading.notes.extend(found.notes)
        reading.warnings.extend(found.warnings)
    checked = check_vector(gdf, path, spec=spec)
    _mostly_empty(checked, path, spec, knowledge.mostly_empty.share, reading)
    return checked


def _mostly_empty(gdf: gpd.GeoDataFrame, path: str, spec: InputSpec, limit: float, reading: Reading | None) -> None:
    """A warning for each expected column that is present but empty in more than ``limit`` of the features."""
    if not len(gdf):
        return
    for column in spec.columns:
        if column.required or column.name not in gdf.columns:
            continue  # a required column is refused when it is missing; its empty cells are the product's concern
        values = gdf[column.name]
        empty = values.isna() | (values.astype("string").str.strip() == "").fillna(True)
        share = float(empty.mean())
        if share > limit:
            message = translate(
                "schemas.mostly_empty", None, what=f"inputs.{spec.name}", path=path, column=column.name,
                share=f"{100 * share:.0f}", default=translate(f"errors.vector.default.{spec.name}.{column.name}", None),
            )
            if reading is None:
                log.warning("%s", message)
            else:
                reading.warnings.append(message)


def check_vector(gdf: gpd.GeoDataFrame, path: str, *, spec: InputSpec) -> gpd.GeoDataFrame:
    """Check ``gdf`` (read from ``path``) against ``spec``; the frame without empty features, or InputDataError."""
    what = f"inputs.{spec.name}"
    empty = (gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy()
    rows = np.flatnonzero(~empty) + 1  # the 1-based row in the file of every feature kept
    count, total = int(empty.sum()), len(gdf)
    if count:
        if count == total:
            raise InputDataError("errors.vector.all_null", what=what, path=path, total=total)
        log.warning(translate("errors.vector.null_dropped", None, what=what, path=path, count=count, total=total))
        gdf = gdf[~empty]
    if spec.geometry is not None:
        _check_geometry(gdf, spec.geometry, path, what)
    _check_columns(gdf, rows, spec, path, what)
    return gdf


def _check_geometry(gdf: gpd.GeoDataFrame, family: GeometryFamily, path: str, what: str) -> None:
    geoms = gdf.geometry.to_numpy()
    types = shapely.get_type_id(geoms)
    collections = types == _COLLECTION
    found = types[~collections]
    if collections.any():
        parts = shapely.get_parts(geoms[collections])
        found = np.concatenate([found, shapely.get_type_id(parts[~shapely.is_empty(parts)])])
    allowed = _FAMILY_TYPES[family]
    if all(int(t) in allowed for t in np.unique(found)):
        return
    ids, counts = np.unique(found, return_counts=True)
    listing = ", ".join(f"{_TYPE_NAMES.get(int(t), str(t))}: {n}" for t, n in zip(ids, counts, strict=True))
    raise InputDataError(
        "errors.vector.geometry", what=what, path=path, found=listing,
        expected=_Text(f"errors.vector.family.{family}"),
    )


def _check_columns(gdf: gpd.GeoDataFrame, rows: np.ndarray, spec: InputSpec, path: str, what: str) -> None:
    present = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    missing_optional: list[ColumnSpec] = []
    for column in spec.columns:
        if column.name not in gdf.columns:
            if column.required:
                raise InputDataError(
                    "errors.vector.column_missing", what=what, path=path, column=column.name,
                    present=", ".join(present) or _Text("errors.vector.none_present"),
                )
            missing_optional.append(column)
            continue
        if column.kind == "number":
            values = _numbers(gdf[column.name], rows, column, path, what)
            _check_range(values, rows, column, path, what)
    if missing_optional:
        defaults = "; ".join(
            f"{c.name}: {translate(f'errors.vector.default.{spec.name}.{c.name}', None)}" for c in missing_optional
        )
        log.warning(translate(
            "errors.vector.defaults", None, what=what, path=path,
            columns=", ".join(c.name for c in missing_optional), defaults=defaults,
        ))


def _value(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{float(value):g}"
    return str(value)


def _examples(rows: np.ndarray, values: list[object]) -> str:
    """``3: 'veel', 9: -2, ... (+4)`` (row: value) for the first bad rows, in no language."""
    shown = [f"{int(r)}: {_value(v)}" for r, v in zip(rows[:_EXAMPLES], values[:_EXAMPLES], strict=True)]
    if len(rows) > _EXAMPLES:
        shown.append(f"... (+{len(rows) - _EXAMPLES})")
    return ", ".join(shown)


def _numbers(series: pd.Series, rows: np.ndarray, column: ColumnSpec, path: str, what: str) -> np.ndarray:
    """The column as float64 (NaN for empty cells); InputDataError naming the rows that hold text."""
    if series.dtype.kind in "iuf":
        return series.to_numpy(dtype=np.float64)
    raw = series.to_numpy(dtype=object)
    is_number = np.array([isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_) for v in raw],
                         dtype=bool)
    bad = np.flatnonzero(~is_number & ~pd.isna(series).to_numpy())
    if len(bad):
        raise InputDataError(
            "errors.vector.not_number", what=what, path=path, column=column.name,
            examples=_examples(rows[bad], [raw[i] for i in bad]),
        )
    return np.array([np.nan if not n else float(v) for v, n in zip(raw, is_number, strict=True)], dtype=np.float64)


def _check_range(values: np.ndarray, rows: np.ndarray, column: ColumnSpec, path: str, what: str) -> None:
    low = values < column.minimum if column.minimum is not None else np.zeros(len(values), dtype=bool)
    high = values > column.maximum if column.maximum is not None else np.zeros(len(values), dtype=bool)
    bad = np.flatnonzero(low | high)
    if not len(bad):
        return
    if column.fraction:
        expected = _Text("errors.vector.range_fraction")
    elif column.minimum is not None and column.maximum is not None:
        expected = _Text("errors.vector.range_between", minimum=f"{column.minimum:g}", maximum=f"{column.maximum:g}")
    elif column.minimum is not None:
        expected = _Text("errors.vector.range_min", minimum=f"{column.minimum:g}")
    else:
        expected = _Text("errors.vector.range_max", maximum=f"{column.maximum:g}")
    hint: AlliantieError | str = ""
    percents = values[bad][(values[bad] > 1) & (values[bad] <= 100)]
    if column.fraction and len(percents):
        value = float(percents[0])
        hint = _Text("errors.vector.percent_hint", value=f"{value:g}", fraction=f"{value / 100:g}")
    raise InputDataError(
        "errors.vector.out_of_range", what=what, path=path, column=column.name, range=expected,
        examples=_examples(rows[bad], values[bad].tolist()), hint=hint,
    )
