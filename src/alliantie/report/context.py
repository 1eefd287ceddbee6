"""What the report shows, read from the saved products (never recomputed).

:func:`load_context` gathers, for one dossier, the facts of the title page, the
inputs table and every product's ``maps.json``, ``tables.json`` and
``provenance.json`` into one :class:`ReportContext`. What only one product
offers (the analysewijzer, the lagenkaart...) its section builder reads
(:mod:`alliantie.report.product_sections`). The writers only lay out the view.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from alliantie import __version__
from alliantie.contract.sections import REPORT_THEMES
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
from alliantie.dossier.input_reading import status
from alliantie.dossier.provenance import PROVENANCE_FILE, path_for_record, read_provenance
from alliantie.dossier.registry import load_products
from alliantie.errors import ProductError, ReportError
from alliantie.grid import Grid


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
    #: share of the study area with data after the checks at the door (rasters; None when not known)
    coverage: float | None = None
    #: cells whose impossible values were treated as no data
    implausible_cells: int = 0
    #: what the reading found (``provenance.json`` ``input_checks``: understood, assumed, converted, ...)
    checks: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        """``used``, ``converted``, ``defaulted`` (what was not declared was assumed) or ``missing``."""
        return status(self.checks) if self.configured else "missing"


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
        """Maps of all products (or those of ``step``) grouped by theme (in :data:`REPORT_THEMES` order)."""
        groups: dict[str, list[tuple[ProductRecord, MapSpec]]] = {t: [] for t in REPORT_THEMES}
        for record in self.products:
            if step is not None and record.step != step:
                continue
            for spec in record.maps:
                groups.setdefault(spec.theme, []).append((record, spec))
        return [(theme, items) for theme, items in groups.items() if items]

    def sections(self, steps: Collection[int] | None = None) -> list[ThemeContent]:
        """Maps, product-drawn figures and tables of the products (of ``steps``) per theme, in
        :data:`REPORT_THEMES` order.

        A theme appears when it has anything to show, maps or not.
        """
        groups = {t: ThemeContent(theme=t) for t in REPORT_THEMES}
        for record in self.products:
            if steps is not None and record.step not in steps:
                continue
            for spec in record.maps:
                groups.setdefault(spec.theme, ThemeContent(theme=spec.theme)).maps.append((record, spec))
            for figure in record.tables.figures:
                groups.setdefault(figure.theme, ThemeContent(theme=figure.theme)).figures.append((record, figure))
            for table in record.tables.tables:
                groups.setdefault(table.theme, ThemeContent(theme=table.theme)).tables.append((record, table))
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


def _door_findings(products: list[ProductRecord]) -> dict[str, dict[str, Any]]:
    """Per raster input what the checks at the door found, from the first product's provenance that read it."""
    found: dict[str, dict[str, Any]] = {}
    for record in products:
        checks = record.provenance.get("input_checks")
        if isinstance(checks, dict):
            for name, values in checks.items():
                if isinstance(values, dict):
                    found.setdefault(str(name), values)
    return found


def input_rows(dossier: Dossier, products: list[ProductRecord] | None = None) -> list[InputRow]:
    """One row per input of the input table; rasters with their coverage of the study area when a product read them."""
    door = _door_findings(products or [])
    rows: list[InputRow] = []
    for name in ("boundary", *Inputs.model_fields):
        ref = dossier.input_file(name)
        if ref is None:
            rows.append(InputRow(name=name, file="", configured=False))
            continue
        file = path_for_record(ref.path, dossier.root)
        if ref.layer:
            file = f"{file} ({ref.layer})"
        checks = door.get(name, {})
        coverage = checks.get("coverage")
        rows.append(InputRow(name=name, file=file, configured=True,
                             coverage=float(coverage) if isinstance(coverage, int | float) else None,
                             implausible_cells=int(checks.get("implausible_cells") or 0), checks=dict(checks)))
    return rows


def _registered_step(name: str) -> int:
    product = load_products().get(name)
    return product.step if product is not None else 2


def report_date() -> dt.date:
    """The date the report shows: today, or the day of ``SOURCE_DATE_EPOCH`` (UTC) where that is set.

    ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention) pins the one
    dated line of the report, so two runs on different days can give the same report files.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


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
    return ReportContext(
        language=language,
        name=dossier.config.name,
        date=date or report_date(),
        version=__version__,
        grid=grid,
        boundary=boundary,
        area_km2=float(boundary.area) / 1e6,
        inputs=input_rows(dossier, products),
        products=products,
    )


__all__ = [
    "PROVENANCE_FILE",
    "InputRow",
    "ProductRecord",
    "ReportContext",
    "ThemeContent",
    "load_context",
]
