"""Section builders: what the report shows of a product beyond its maps and tables, one builder per product.

Most products offer the report everything in ``maps.json`` and ``tables.json``.
A few saved products hold something else the report shows, and only this
module knows their files:

- ``baseinfo.analysewijzer``: ``analysewijzer.json``, the elements x goals matrix;
- ``baseinfo.lagenkaart``: ``lagenkaart.png``, copied into the report;
- ``baseinfo.landscape``: the area per landscape type, counted from the cells of
  the landscape raster its map names (the only arithmetic of the report);
- ``baseinfo.structure_carriers``: the rows of ``structure_carriers.gpkg``;
- ``strategy.document``: the document's PDF and HTML, copied beside the maps and linked, with the count of
  its parts that still say something is missing (``document.json``);
- ``urgency.pluvial``: affected buildings and roads per neighbourhood and case
  from ``summary.json``, for a saved product whose ``tables.json`` has no
  pluvial tables yet (the product writes them since it counts per scenario).

A chapter names the product in a :class:`~alliantie.contract.sections.ProductSection`
block; :data:`PRODUCT_SECTIONS` maps the product to its builder, which returns
the blocks (or a subsection) and says what is missing when the product is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import rasterio

from alliantie.contract.names import ANALYSEWIJZER, LAGENKAART, LANDSCAPE, PLUVIAL, STRATEGY_DOCUMENT, STRUCTURE
from alliantie.contract.strategy_document import DOCUMENT_FILE, DOCUMENT_HTML, DOCUMENT_PDF, read_document_summary
from alliantie.contract.summaries import SUMMARY_FILE, PluvialSummary, read_summary
from alliantie.errors import ReportError
from alliantie.i18n import translate
from alliantie.report.blocks import (
    Block,
    CarrierTable,
    ClassTable,
    CountTable,
    Image,
    Link,
    Matrix,
    MatrixRow,
    Paragraph,
    Section,
)
from alliantie.report.context import ProductRecord, read_json
from alliantie.report.formatting import bilingual, number
from alliantie.report.images import LAGENKAART_FILE, MapImage

#: How many structure carriers the table lists before summarising the rest.
MAX_CARRIER_ROWS = 40


@dataclass(frozen=True)
class SectionEnv:
    """What a builder needs besides the product: the language, the ``report.*`` texts, the copied images."""

    language: str
    #: Every ``report.*`` text in the language, keyed without the prefix (``"lagenkaart.intro"``).
    t: Mapping[str, str]
    images: Mapping[tuple[str, str], MapImage]


@dataclass(frozen=True)
class ReportFile:
    """A file of a saved product the report copies into its ``maps/`` folder, found in the images by ``key``."""

    key: str
    source: Path
    name: str


def no_files(record: ProductRecord) -> list[ReportFile]:
    return []


@dataclass(frozen=True)
class ProductSectionBuilder:
    """The blocks of one product (``record`` None: the product is not in the report) and the files to copy."""

    build: Callable[[ProductRecord | None, SectionEnv], list[Block]]
    files: Callable[[ProductRecord], list[ReportFile]] = no_files


# --- analysewijzer --------------------------------------------------------------------------------

LAYER_ORDER = {"soil": 0, "water": 1, "green": 2}


def analysewijzer_matrix(data: Any, t: Mapping[str, str], language: str) -> tuple[list[str], list[MatrixRow]]:
    """Goal labels and one row per element (soil, water, green) of ``analysewijzer.json``."""
    if not data:
        return [], []
    goals = [g for g in data.get("goals", []) if isinstance(g, dict)]
    goal_ids = [str(g.get("id", "")) for g in goals]
    goal_labels = [bilingual(g.get("label", g), language) or str(g.get("id", "")) for g in goals]
    elements = sorted(
        (e for e in data.get("elements", []) if isinstance(e, dict)),
        key=lambda e: LAYER_ORDER.get(str(e.get("layer", "")), 3),
    )
    rows: list[MatrixRow] = []
    for element in elements:
        layer = str(element.get("layer", ""))
        present = bool(element.get("present", True))
        area = element.get("area_ha")
        if not present:
            note = t["analysewijzer.absent"]
        elif isinstance(area, int | float):
            note = translate("report.analysewijzer.area", language, area=number(float(area), language))
        else:
            note = ""
        meaning = element.get("meaning") or {}
        rows.append(MatrixRow(
            layer=t.get(f"analysewijzer.layer.{layer}", layer),
            label=bilingual(element.get("label"), language) or str(element.get("id", "")),
            present=present,
            note=note,
            cells=[bilingual(meaning.get(gid), language) for gid in goal_ids],
        ))
    return goal_labels, rows


def _analysewijzer(record: ProductRecord | None, env: SectionEnv) -> list[Block]:
    path = record.folder / "analysewijzer.json" if record is not None else None
    data = read_json(path) if path is not None and path.exists() else None
    goals, rows = analysewijzer_matrix(data, env.t, env.language)
    if not rows:
        return [Paragraph(env.t["analysewijzer.missing"], missing=True)]
    return [Paragraph(env.t["analysewijzer.intro"]),
            Matrix(element_heading=env.t["analysewijzer.col_element"], goals=goals, rows=rows)]


# --- lagenkaart -----------------------------------------------------------------------------------

LAGENKAART_KEY = "lagenkaart"


def lagenkaart_files(record: ProductRecord) -> list[ReportFile]:
    path = record.folder / "lagenkaart.png"
    return [ReportFile(key=LAGENKAART_KEY, source=path, name=LAGENKAART_FILE)] if path.exists() else []


def _lagenkaart(record: ProductRecord | None, env: SectionEnv) -> list[Block]:
    image = env.images.get((LAGENKAART, LAGENKAART_KEY))
    if image is None:
        return [Paragraph(env.t["lagenkaart.missing"], missing=True)]
    return [Paragraph(env.t["lagenkaart.intro"]),
            Image(id="lagenkaart", file=image.file, alt=env.t["lagenkaart.heading"])]


# --- landscape types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassArea:
    """Area of one class of a classified raster (e.g. a landscape type)."""

    value: int
    label: str
    color: str
    area_ha: float
    share: float


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


def _landscape(record: ProductRecord | None, env: SectionEnv) -> list[Block]:
    lang, t = env.language, env.t
    areas = landscape_table(record, lang)
    if not areas:
        return [Paragraph(t["landscape.missing"], missing=True)]
    return [Paragraph(t["landscape.intro"]), ClassTable(
        headings=(t["landscape.col_type"], t["landscape.col_area"], t["landscape.col_share"]),
        rows=[(r.color, r.label, number(r.area_ha, lang), f"{number(100 * r.share, lang, 1)} %") for r in areas],
        total=(t["landscape.total"], number(sum(r.area_ha for r in areas), lang), "100 %"),
    )]


# --- structure carriers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CarrierRow:
    kind: str
    name: str
    area_ha: float
    description: str


def carrier_table(record: ProductRecord | None, language: str) -> list[CarrierRow]:
    """Rows of the saved structure-carrier layer, largest first."""
    if record is None:
        return []
    path = record.folder / "structure_carriers.gpkg"
    if not path.exists():
        return []
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


def _carriers(record: ProductRecord | None, env: SectionEnv) -> list[Block]:
    lang, t = env.language, env.t
    carriers = carrier_table(record, lang)
    if not carriers:
        return [Paragraph(t["carriers.missing"], missing=True)]
    rest = carriers[MAX_CARRIER_ROWS:]
    more = (translate("report.carriers.more", lang, count=len(rest),
                      area=number(sum(c.area_ha for c in rest), lang, 1)) if rest else "")
    return [Paragraph(t["carriers.intro"]), CarrierTable(
        headings=(t["carriers.col_kind"], t["carriers.col_name"], t["carriers.col_area"],
                  t["carriers.col_description"]),
        rows=[(c.kind, c.name, number(c.area_ha, lang, 1), c.description) for c in carriers[:MAX_CARRIER_ROWS]],
        more=more,
    )]


# --- pluvial flooding: counts per neighbourhood ---------------------------------------------------


def pluvial_summary(record: ProductRecord) -> PluvialSummary | None:
    """The saved ``summary.json`` of the pluvial product; a :class:`ReportError` when it does not fit."""
    try:
        return read_summary(record.folder, PluvialSummary)
    except ValueError as exc:  # pydantic ValidationError and JSON errors
        raise ReportError("report.errors.bad_json", path=str(record.folder / SUMMARY_FILE),
                          detail=str(exc).splitlines()[0]) from None


def pluvial_count_tables(summary: PluvialSummary, t: Mapping[str, str], language: str) -> list[CountTable]:
    """One table per case with the neighbourhoods and the total (a case without a total row is left out)."""
    headings = (t["step1.col_neighbourhood"], t["step1.col_facade"], t["step1.col_above_floor"],
                t["step1.col_no_cars"], t["step1.col_no_traffic"])
    tables: list[CountTable] = []
    for case in summary.cases:
        rows: list[tuple[str, str, str, str, str]] = []
        total: tuple[str, str, str, str, str] | None = None
        for c in summary.neighbourhoods:
            if c.case != case.id:
                continue
            cells = (number(c.buildings_facade, language), number(c.buildings_above_floor, language),
                     number(c.road_m_no_cars / 1000, language, 2), number(c.road_m_no_traffic / 1000, language, 2))
            if c.code:
                rows.append((c.name or c.code, *cells))
            else:
                total = (t["step1.total"], *cells)
        if total is not None:
            tables.append(CountTable(title=case.label.get(language) or case.id, headings=headings, rows=rows,
                                     total=total, missing=t["step1.missing"]))
    return tables


def _pluvial(record: ProductRecord | None, env: SectionEnv) -> list[Block]:
    if record is None or any(table.theme == "pluvial" for table in record.tables.tables):
        return []  # the product writes its counts as generic tables (tables.json)
    summary = pluvial_summary(record)
    tables = pluvial_count_tables(summary, env.t, env.language) if summary is not None else []
    if not tables:
        return []
    return [Section(id="pluvial-counts", heading=env.t["step1.counts_heading"], level=2, theme="pluvial",
                    blocks=[Paragraph(env.t["step1.counts_intro"]), *tables])]


# --- the strategy document (step 5) -------------------------------------------------------------

STRATEGY_FILES = {"strategy_pdf": DOCUMENT_PDF, "strategy_html": DOCUMENT_HTML}


def strategy_files(record: ProductRecord) -> list[ReportFile]:
    """The strategy document's PDF and HTML, carried beside the report's maps (no links out of the report)."""
    return [ReportFile(key=key, source=record.folder / name, name=name)
            for key, name in STRATEGY_FILES.items() if (record.folder / name).exists()]


def _strategy(record: ProductRecord | None, env: SectionEnv) -> list[Block]:
    t = env.t
    links = [Link(text=t[f"strategy.document_{key.split('_')[1]}"], file=image.file)
             for key in STRATEGY_FILES if (image := env.images.get((STRATEGY_DOCUMENT, key))) is not None]
    if record is None or not links:
        return [Paragraph(t["strategy.document_missing"], missing=True)]
    blocks: list[Block] = [Paragraph(t["strategy.document_intro"]), *links]
    try:
        summary = read_document_summary(record.folder)
    except ValueError as exc:
        raise ReportError("report.errors.bad_json", path=str(record.folder / DOCUMENT_FILE),
                          detail=str(exc).splitlines()[0]) from None
    if summary is not None and (open_parts := sum(p.missing for p in summary.parts)):
        blocks.append(Paragraph(translate("report.strategy.parts_missing", env.language, count=open_parts,
                                          total=len(summary.parts))))
    return blocks


#: Product name -> its section builder.
PRODUCT_SECTIONS: dict[str, ProductSectionBuilder] = {
    ANALYSEWIJZER: ProductSectionBuilder(_analysewijzer),
    LAGENKAART: ProductSectionBuilder(_lagenkaart, files=lagenkaart_files),
    LANDSCAPE: ProductSectionBuilder(_landscape),
    STRUCTURE: ProductSectionBuilder(_carriers),
    PLUVIAL: ProductSectionBuilder(_pluvial),
    STRATEGY_DOCUMENT: ProductSectionBuilder(_strategy, files=strategy_files),
}
