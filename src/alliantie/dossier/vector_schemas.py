"""Attribute maps and national schemas: the columns of a user's vector file become the columns the products read.

Applied where vector inputs are read (``alliantie check`` and the run's :class:`~alliantie.dossier.registry.RunCache`),
before the checks of :mod:`alliantie.dossier.vector_checks`:

1. the dossier's own map (``buildings = { path = ..., columns = { year = "bouwjaar" } }``): a source column the
   file lacks is refused, naming the columns it has;
2. a national schema recognised by its column names (``national_schemas.toml``: BAG, CBS wijk- en buurtkaart)
   fills the columns the map does not give and the file does not already hold under our name, with the factor
   of its unit (a CBS percentage becomes a fraction);
3. the rules of the schema: CBS secrecy codes (-99999999, -99997, ...) become missing, BAG panden that do not
   stand (status 'Pand gesloopt', ...) are dropped, BAG gebruiksdoel (in the pand layer or through the
   verblijfsobjecten of the same GeoPackage) becomes our use class, placeholder construction years become
   unknown; each with a warning that counts what it changed.

What was understood is said once per input (``"BAG-panden herkend: bouwjaar -> year"``) and returned as a
:class:`Reading` for the provenance.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors

from alliantie.errors import InputDataError
from alliantie.i18n import current_language, translate
from alliantie.knowledge.national_schemas import NationalSchemas, Schema

log = logging.getLogger(__name__)

#: layers of a BAG GeoPackage that hold verblijfsobjecten, and their column naming the pand
_VBO_LAYERS = ("verblijfsobject", "verblijfsobjecten", "vbo")
_VBO_PAND = ("pandidentificatie", "pand_identificatie", "pandref", "pand_id")
_PAND_ID = ("identificatie", "identifica", "pand_identificatie")


@dataclass
class Reading:
    """What :func:`apply_schema` did to one vector input (for the log, ``check`` and the provenance)."""

    schema: str | None = None
    #: our column -> the file's column
    columns: dict[str, str] = field(default_factory=dict)
    #: messages (translated) saying what was understood
    notes: list[str] = field(default_factory=list)
    #: messages (translated) saying what was changed or assumed
    warnings: list[str] = field(default_factory=list)
    #: counts of what was changed: secrecy codes, dropped panden, placeholder years
    counts: dict[str, int] = field(default_factory=dict)

    def record(self) -> dict[str, object]:
        """The provenance entry of this reading."""
        return {"schema": self.schema, "columns": dict(self.columns), "counts": dict(self.counts)}


def _lookup(present: list[str]) -> dict[str, str]:
    """Column names by their lower-case form (national files differ in case: Vloerpeil_50, AANT_INW)."""
    out: dict[str, str] = {}
    for name in present:
        out.setdefault(name.lower(), name)
    return out


def recognise(name: str, present: list[str], knowledge: NationalSchemas) -> Schema | None:
    """The first schema of input ``name`` whose detecting columns the file has, or None."""
    lower = _lookup(present)
    for schema in knowledge.for_input(name):
        if any(d.lower() in lower for d in schema.detect):
            return schema
    return None


def apply_schema(
    gdf: gpd.GeoDataFrame, path: str, *, name: str, columns: dict[str, str] | None,
    knowledge: NationalSchemas, targets: tuple[str, ...],
) -> tuple[gpd.GeoDataFrame, Reading]:
    """``gdf`` with our columns ``targets`` filled from the dossier's map and a recognised schema; see the module."""
    what = f"inputs.{name}"
    reading = Reading()
    present = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    lower = _lookup(present)
    explicit = dict(columns or {})
    for target, source in explicit.items():
        if source not in gdf.columns:
            raise InputDataError("schemas.source_missing", what=what, path=path, target=target, source=source,
                                 present=", ".join(present) or "-")
    schema = recognise(name, present, knowledge)
    scales: dict[str, float] = {}
    mapping: dict[str, str] = dict(explicit)
    for known in knowledge.for_input(name):
        for column in known.columns:
            for candidate in column.candidates:
                scales.setdefault(candidate.lower(), column.scale)
    if schema is not None:
        reading.schema = schema.id
        for column in schema.columns:
            if column.target in mapping or column.target in gdf.columns or column.target not in targets:
                continue
            found = next((lower[c.lower()] for c in column.candidates if c.lower() in lower), None)
            if found is not None:
                mapping[column.target] = found
    gdf = gdf.copy()
    described: list[str] = []
    for target, source in mapping.items():
        values = gdf[source]
        if name == "neighbourhoods" and values.dtype.kind in "iuf":  # secrecy codes before any scaling
            values = _secrecy(values.astype(np.float64), source, path, what, knowledge, reading)
        scale = scales.get(source.lower(), 1.0)
        if scale != 1.0 and values.dtype.kind in "iuf":
            values = values.astype(np.float64) * scale
            described.append(f"{source} -> {target} ({translate('schemas.scaled', None)})")
        else:
            described.append(f"{source} -> {target}")
        gdf[target] = values
    reading.columns = dict(mapping)
    if name == "neighbourhoods":  # our own columns may carry the codes too
        for target in ("residents", "share_65plus"):
            if target not in mapping and target in gdf.columns and gdf[target].dtype.kind in "iuf":
                gdf[target] = _secrecy(gdf[target].astype(np.float64), target, path, what, knowledge, reading)
    if name == "soil":
        gdf = _bro_soil(gdf, path, what, knowledge, reading, mapping, described)
    if name == "buildings":
        gdf = _bag_status(gdf, path, what, knowledge, reading)
        gdf = _bag_use(gdf, path, what, knowledge, reading, mapping, described)
        if "year" in gdf.columns and gdf["year"].dtype.kind in "iuf":
            gdf["year"] = _placeholder_years(gdf["year"].astype(np.float64), path, what, knowledge, reading)
    if described:
        if reading.schema == "bro":
            reading.notes.append(translate("schemas.recognised", None, what=what, schema="BRO Bodemkaart",
                                           mapping=", ".join(described)))
        elif schema is not None:
            label = schema.nl if current_language() == "nl" else schema.en
            reading.notes.append(translate("schemas.recognised", None, what=what, schema=label,
                                           mapping=", ".join(described)))
        else:
            reading.notes.append(translate("schemas.mapped", None, what=what, mapping=", ".join(described)))
    return gdf, reading


def _secrecy(values: pd.Series, column: str, path: str, what: str, knowledge: NationalSchemas,
             reading: Reading) -> pd.Series:
    """CBS secrecy and missing codes (at or below the threshold) as NaN, counted in a warning."""
    codes = values <= knowledge.cbs_missing.threshold
    count = int(codes.sum())
    if count:
        example = ", ".join(f"{v:g}" for v in sorted(set(values[codes].tolist()))[:3])
        message = translate("schemas.secrecy", None, what=what, path=path, column=column, count=count,
                            total=len(values), example=example)
        reading.warnings.append(message)
        reading.counts[f"secrecy:{column}"] = reading.counts.get(f"secrecy:{column}", 0) + count
        values = values.mask(codes)
    return values


def _bag_status(gdf: gpd.GeoDataFrame, path: str, what: str, knowledge: NationalSchemas,
                reading: Reading) -> gpd.GeoDataFrame:
    """BAG panden that do not stand dropped (counted); unknown statuses kept with a warning."""
    rules = knowledge.bag_status
    lower = _lookup([str(c) for c in gdf.columns])
    column = next((lower[c.lower()] for c in rules.candidates if c.lower() in lower), None)
    if column is None or gdf[column].dtype.kind in "iuf":
        return gdf
    status = gdf[column].astype("string").str.strip()
    drop = status.isin(rules.drop).fillna(False).to_numpy(dtype=bool)
    known = set(rules.drop) | set(rules.keep)
    unknown = sorted({s for s in status.dropna().unique() if s not in known})
    if unknown:
        reading.warnings.append(translate("schemas.status_unknown", None, what=what, path=path,
                                          statuses=", ".join(f"'{s}'" for s in unknown)))
    if drop.any():
        found = ", ".join(f"'{s}': {n}" for s, n in status[drop].value_counts().sort_index().items())
        reading.warnings.append(translate("schemas.status_dropped", None, what=what, path=path,
                                          count=int(drop.sum()), total=len(gdf), statuses=found))
        reading.counts["status_dropped"] = int(drop.sum())
        gdf = gdf[~drop]
    return gdf


def _classes(uses: object, knowledge: NationalSchemas, unmapped: set[str]) -> str | None:
    """Our use class of a pand from its gebruiksdoel text (one or more, comma separated), by priority."""
    if not isinstance(uses, str) or not uses.strip():
        return None
    rules = knowledge.bag_use
    found: set[str] = set()
    for use in uses.replace(";", ",").split(","):
        key = use.strip().lower()
        if not key:
            continue
        if key in rules.map:
            found.add(rules.map[key])
        else:
            unmapped.add(key)
    return next((c for c in rules.priority if c in found), None)


def _bag_use(gdf: gpd.GeoDataFrame, path: str, what: str, knowledge: NationalSchemas, reading: Reading,
             mapping: dict[str, str], described: list[str]) -> gpd.GeoDataFrame:
    """``function`` from the BAG gebruiksdoel: the pand's own column or the verblijfsobjecten of the file."""
    if "function" in mapping and mapping["function"].lower() != "gebruiksdoel":
        return gdf  # the dossier's own map names a column of our use classes
    source: pd.Series | None = None
    if "function" in mapping:
        source = gdf[mapping["function"]]
    elif "function" not in gdf.columns and reading.schema == "bag":
        layer, uses = _vbo_uses(path, gdf)
        if uses is not None:
            source = uses
            described.append(translate("schemas.use_from_vbo", None, layer=layer))
            reading.columns["function"] = f"{layer}.gebruiksdoel"
    if source is None:
        return gdf
    unmapped: set[str] = set()
    gdf["function"] = [_classes(v, knowledge, unmapped) for v in source.tolist()]
    if unmapped:
        reading.warnings.append(translate("schemas.use_unmapped", None, what=what, path=path,
                                          uses=", ".join(f"'{u}'" for u in sorted(unmapped))))
    return gdf


def _vbo_uses(path: str, gdf: gpd.GeoDataFrame) -> tuple[str, pd.Series | None]:
    """The gebruiksdoelen of each pand's verblijfsobjecten (comma joined), from a layer of the same file."""
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):
        return "", None
    layer = next((name for name in layers if name.lower() in _VBO_LAYERS), None)
    lower = _lookup([str(c) for c in gdf.columns])
    pand_id = next((lower[c] for c in _PAND_ID if c in lower), None)
    if layer is None or pand_id is None or not Path(path).exists():
        return "", None
    vbo = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
    vlower = _lookup([str(c) for c in vbo.columns])
    ref = next((vlower[c] for c in _VBO_PAND if c in vlower), None)
    use = vlower.get("gebruiksdoel")
    if ref is None or use is None:
        return layer, None
    joined = vbo.dropna(subset=[use]).groupby(vbo[ref].astype(str))[use].agg(lambda s: ",".join(map(str, s)))
    return layer, gdf[pand_id].astype(str).map(joined)


def _bro_soil(gdf: gpd.GeoDataFrame, path: str, what: str, knowledge: NationalSchemas, reading: Reading,
              mapping: dict[str, str], described: list[str]) -> gpd.GeoDataFrame:
    """``soil_class`` from the BRO Bodemkaart soil code (own map to a BRO column, or recognised by its name)."""
    rules = knowledge.bro_soil
    source = mapping.get("soil_class")
    if source is None and "soil_class" not in gdf.columns:
        lower = _lookup([str(c) for c in gdf.columns])
        source = next((lower[c.lower()] for c in rules.candidates if c.lower() in lower), None)
    elif source is not None and source.lower() not in {c.lower() for c in rules.candidates}:
        return gdf  # the dossier maps soil_class to a column of our own class ids
    if source is None:
        return gdf
    codes = gdf[source].astype("string").fillna("")
    classes = [rules.soil_class(code) for code in codes.tolist()]
    unknown = sorted({c for c, k in zip(codes.tolist(), classes, strict=True) if k is None})
    gdf = gdf.copy()
    gdf["soil_class"] = [k if k is not None else c for c, k in zip(codes.tolist(), classes, strict=True)]
    reading.schema = "bro"
    reading.columns["soil_class"] = source
    described[:] = [d for d in described if not d.endswith("-> soil_class")]
    described.append(translate("schemas.bro_classes", None, column=source, count=len(set(codes.tolist())),
                               classes=len({k for k in classes if k is not None})))
    if unknown:
        reading.warnings.append(translate("schemas.bro_unknown", None, what=what, path=path,
                                          codes=", ".join(f"'{c}'" for c in unknown[:10])))
    return gdf


def _placeholder_years(years: pd.Series, path: str, what: str, knowledge: NationalSchemas,
                       reading: Reading) -> pd.Series:
    """Construction years outside the plausible range as NaN, counted in a warning."""
    low, high = knowledge.plausible.year_min, knowledge.plausible.year_max
    bad = (years < low) | (years > high)
    count = int(bad.sum())
    if count:
        reading.warnings.append(translate("schemas.year_placeholder", None, what=what, path=path, count=count,
                                          low=f"{low:g}", high=f"{high:g}", example=f"{years[bad].iloc[0]:g}"))
        reading.counts["year_placeholders"] = count
        years = years.mask(bad)
    return years
