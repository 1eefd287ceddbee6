"""What the report shows, read from the saved products (never recomputed).

:func:`load_context` gathers, for one dossier, the facts of the title page, the
inputs table, every product's ``maps.json`` and ``provenance.json``, the
analysewijzer, the lagenkaart and the tables of landscape types and structure
carriers into one :class:`ReportContext`. The HTML and PDF writers only format
what is here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from shapely.geometry.base import BaseGeometry

from alliantie import __version__
from alliantie.contract.spec import (
    MAPS_FILE,
    TABLES_FILE,
    FigureSpec,
    MapSpec,
    TableSet,
    TableSpec,
    read_maps,
    read_tables,
)
from alliantie.dossier.config import Dossier, Inputs
from alliantie.dossier.provenance import PROVENANCE_FILE, path_for_record, read_provenance
from alliantie.errors import ProductError, ReportError
from alliantie.grid import Grid

#: Product names whose files feed the special sections (other products only add maps).
ANALYSEWIJZER = "baseinfo.analysewijzer"
LAGENKAART = "baseinfo.lagenkaart"
LANDSCAPE = "baseinfo.landscape"
CARRIERS = "baseinfo.structure_carriers"
PLUVIAL = "urgency.pluvial"

#: Order of the map themes in the report.
THEMES = ("soil", "water", "green", "landscape", "structure", "other", "climate", "flood", "pluvial", "drought",
          "heat", "vulnerability", "trend", "damage", "stresstest")


@dataclass(frozen=True)
class ProductRecord:
    """A saved product: where it is, how it was made, which maps it offers."""

    name: str
    step: int
    folder: Path
    provenance: dict[str, Any]
    maps: list[MapSpec]
    #: Tables and product-drawn figures of ``tables.json`` (empty when the product writes none).
    tables: TableSet = field(default_factory=TableSet)


@dataclass(frozen=True)
class InputRow:
    name: str
    file: str
    configured: bool


@dataclass(frozen=True)
class ClassArea:
    """Area of one class of a classified raster (e.g. a landscape type)."""

    value: int
    label: str
    color: str
    area_ha: float
    share: float


@dataclass(frozen=True)
class CarrierRow:
    kind: str
    name: str
    area_ha: float
    description: str


@dataclass(frozen=True)
class PluvialCase:
    """One event in one climate of the pluvial-flooding product (step 1)."""

    id: str
    label: str
    rain_mm: float


@dataclass(frozen=True)
class PluvialCount:
    """Affected buildings and road length of one neighbourhood (``code`` "" = total) in one case."""

    case: str
    code: str
    name: str
    buildings_facade: int
    buildings_above_floor: int
    road_m_no_cars: float
    road_m_no_traffic: float


@dataclass(frozen=True)
class ThemeContent:
    """What the products offer for one theme: maps, figures they drew themselves, tables."""

    theme: str
    maps: list[tuple[ProductRecord, MapSpec]] = field(default_factory=list)
    figures: list[tuple[ProductRecord, FigureSpec]] = field(default_factory=list)
    tables: list[tuple[ProductRecord, TableSpec]] = field(default_factory=list)


@dataclass(frozen=True)
class ReportContext:
    """Everything the report writers need, in the report language."""

    language: str
    name: str
    date: dt.date
    version: str
    grid: Grid
    boundary: BaseGeometry
    area_km2: float
    inputs: list[InputRow]
    products: list[ProductRecord]
    analysewijzer: dict[str, Any] | None
    lagenkaart: Path | None
    landscape: list[ClassArea] = field(default_factory=list)
    carriers: list[CarrierRow] = field(default_factory=list)
    pluvial_cases: list[PluvialCase] = field(default_factory=list)
    pluvial_counts: list[PluvialCount] = field(default_factory=list)

    def product(self, name: str) -> ProductRecord | None:
        return next((p for p in self.products if p.name == name), None)

    def folder_of(self, name: str) -> Path:
        """Folder of a saved product (for map layers that point into another product)."""
        record = self.product(name)
        if record is None:
            raise ProductError("errors.product_missing", name=name, path=str(self.products[0].folder.parent)
                               if self.products else "products")
        return record.folder

    def maps_by_theme(self, step: int | None = None) -> list[tuple[str, list[tuple[ProductRecord, MapSpec]]]]:
        """Maps of all products (or those of ``step``) grouped by theme (in :data:`THEMES` order)."""
        groups: dict[str, list[tuple[ProductRecord, MapSpec]]] = {t: [] for t in THEMES}
        for record in self.products:
            if step is not None and record.step != step:
                continue
            for spec in record.maps:
                groups[spec.theme].append((record, spec))
        return [(theme, items) for theme, items in groups.items() if items]

    def sections(self, step: int | None = None) -> list[ThemeContent]:
        """Maps, product-drawn figures and tables of the products (of ``step``) per theme, in :data:`THEMES` order.

        A theme appears when it has anything to show, maps or not.
        """
        groups = {t: ThemeContent(theme=t) for t in THEMES}
        for record in self.products:
            if step is not None and record.step != step:
                continue
            for spec in record.maps:
                groups[spec.theme].maps.append((record, spec))
            for figure in record.tables.figures:
                groups[figure.theme].figures.append((record, figure))
            for table in record.tables.tables:
                groups[table.theme].tables.append((record, table))
        return [content for content in groups.values() if content.maps or content.figures or content.tables]


def read_json(path: Path) -> Any:
    """A JSON file of a product, or a :class:`ReportError` that says which file is broken."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError("report.errors.bad_json", path=str(path), detail=str(exc)) from None


def load_product(name: str, step: int, folder: Path) -> ProductRecord:
    """A saved product; :class:`ProductError` when it has not been computed."""
    provenance = read_provenance(folder)
    if provenance is None:
        raise ProductError("errors.product_missing", name=name, path=str(folder))
    try:
        maps = read_maps(folder)
    except ValueError as exc:  # pydantic ValidationError and JSON errors
        raise ReportError("report.errors.bad_json", path=str(folder / MAPS_FILE),
                          detail=str(exc).splitlines()[0]) from None
    try:
        tables = read_tables(folder)
    except ValueError as exc:
        raise ReportError("report.errors.bad_json", path=str(folder / TABLES_FILE),
                          detail=str(exc).splitlines()[0]) from None
    return ProductRecord(name=name, step=step, folder=folder, provenance=provenance, maps=maps, tables=tables)


def input_rows(dossier: Dossier) -> list[InputRow]:
    rows: list[InputRow] = []
    for name in ("boundary", *Inputs.model_fields):
        ref = dossier.input_file(name)
        if ref is None:
            rows.append(InputRow(name=name, file="", configured=False))
            continue
        file = path_for_record(ref.path, dossier.root)
        if ref.layer:
            file = f"{file} ({ref.layer})"
        rows.append(InputRow(name=name, file=file, configured=True))
    return rows


def class_areas(raster: Path, spec_layer_legend: list[Any], language: str,
                mask: np.ndarray | None = None) -> list[ClassArea]:
    """Area per legend class of a saved classified raster (counting cells, nothing more)."""
    with rasterio.open(raster) as ds:
        data = ds.read(1)
        cell_ha = abs(ds.transform.a * ds.transform.e) / 1e4
    if mask is not None and mask.shape == data.shape:
        data = np.where(mask, data, 0)
    values = data[data >= 0].astype(np.int64).ravel()
    counts = np.bincount(values) if values.size else np.zeros(1, dtype=np.int64)
    rows: list[ClassArea] = []
    for entry in spec_layer_legend:
        value = int(entry.value)
        count = int(counts[value]) if 0 <= value < counts.size else 0
        if count:
            rows.append(ClassArea(value=value, label=entry.label.get(language), color=entry.color,
                                  area_ha=count * cell_ha, share=0.0))
    total = sum(r.area_ha for r in rows) or 1.0
    rows = [ClassArea(r.value, r.label, r.color, r.area_ha, r.area_ha / total) for r in rows]
    return sorted(rows, key=lambda r: -r.area_ha)


def landscape_table(record: ProductRecord | None, language: str) -> list[ClassArea]:
    """Area per landscape type from the saved landscape raster and its legend."""
    if record is None:
        return []
    for spec in record.maps:
        for layer in spec.layers:
            if layer.type == "raster_classes" and layer.product is None and layer.legend \
                    and Path(layer.file).stem == "landscape":
                path = record.folder / layer.file
                if path.exists():
                    return class_areas(path, list(layer.legend), language)
    return []


def carrier_table(record: ProductRecord | None, language: str) -> list[CarrierRow]:
    """Rows of the saved structure-carrier layer, largest first."""
    if record is None:
        return []
    path = record.folder / "structure_carriers.gpkg"
    if not path.exists():
        return []
    import pyogrio

    frame = pyogrio.read_dataframe(path, layer="structure_carriers", read_geometry=False)
    labels: dict[str, str] = {}
    for spec in record.maps:
        for layer in spec.layers:
            if layer.type == "vector" and layer.column == "kind":
                labels.update({str(e.value): e.label.get(language) for e in layer.legend})
    description = f"description_{language}"
    rows = [
        CarrierRow(
            kind=labels.get(str(row.get("kind", "")), str(row.get("kind", ""))),
            name=str(row.get("name") or ""),
            area_ha=float(row.get("area_ha") or 0.0),
            description=str(row.get(description) or ""),
        )
        for row in frame.to_dict("records")
    ]
    return sorted(rows, key=lambda r: -r.area_ha)


def pluvial_tables(record: ProductRecord | None, language: str) -> tuple[list[PluvialCase], list[PluvialCount]]:
    """Cases and per-neighbourhood counts from the saved ``summary.json`` of the pluvial product."""
    if record is None or any(table.theme == "pluvial" for table in record.tables.tables):
        return [], []  # the product writes its counts as generic tables (tables.json)
    path = record.folder / "summary.json"
    if not path.exists():
        return [], []
    data = read_json(path)
    cases = [
        PluvialCase(id=str(c.get("id", "")), label=_label(c.get("label"), language) or str(c.get("id", "")),
                    rain_mm=float(c.get("rain_mm") or 0.0))
        for c in data.get("cases", []) if isinstance(c, dict)
    ]
    counts = [
        PluvialCount(
            case=str(r.get("case", "")), code=str(r.get("code") or ""), name=str(r.get("name") or ""),
            buildings_facade=int(r.get("buildings_facade") or 0),
            buildings_above_floor=int(r.get("buildings_above_floor") or 0),
            road_m_no_cars=float(r.get("road_m_no_cars") or 0.0),
            road_m_no_traffic=float(r.get("road_m_no_traffic") or 0.0),
        )
        for r in data.get("neighbourhoods", []) if isinstance(r, dict)
    ]
    return cases, counts


def _label(value: Any, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("nl") or "")
    return "" if value is None else str(value)


def _registered_step(name: str) -> int:
    from alliantie.dossier.registry import REGISTRY

    product = REGISTRY.get(name)
    return product.step if product is not None else 2


def load_context(
    dossier: Dossier,
    product_dirs: Mapping[str, Path],
    *,
    grid: Grid,
    boundary: BaseGeometry,
    steps: Mapping[str, int] | None = None,
    date: dt.date | None = None,
) -> ReportContext:
    """Read everything the report needs from the saved products in ``product_dirs``.

    ``product_dirs`` maps product name to its folder, in report order. A product
    without ``provenance.json`` has not been computed: :class:`ProductError`.
    """
    language = dossier.language
    products = [
        load_product(name, (steps or {}).get(name, _registered_step(name)), Path(folder))
        for name, folder in product_dirs.items()
    ]
    by_name = {p.name: p for p in products}
    analysewijzer = None
    if ANALYSEWIJZER in by_name:
        path = by_name[ANALYSEWIJZER].folder / "analysewijzer.json"
        if path.exists():
            analysewijzer = read_json(path)
    lagenkaart = None
    if LAGENKAART in by_name:
        path = by_name[LAGENKAART].folder / "lagenkaart.png"
        lagenkaart = path if path.exists() else None
    pluvial_cases, pluvial_counts = pluvial_tables(by_name.get(PLUVIAL), language)
    return ReportContext(
        language=language,
        name=dossier.config.name,
        date=date or dt.date.today(),
        version=__version__,
        grid=grid,
        boundary=boundary,
        area_km2=float(boundary.area) / 1e6,
        inputs=input_rows(dossier),
        products=products,
        analysewijzer=analysewijzer,
        lagenkaart=lagenkaart,
        landscape=landscape_table(by_name.get(LANDSCAPE), language),
        carriers=carrier_table(by_name.get(CARRIERS), language),
        pluvial_cases=pluvial_cases,
        pluvial_counts=pluvial_counts,
    )


__all__ = [
    "PROVENANCE_FILE",
    "CarrierRow",
    "ClassArea",
    "InputRow",
    "PluvialCase",
    "PluvialCount",
    "ProductRecord",
    "ReportContext",
    "ThemeContent",
    "load_context",
]
