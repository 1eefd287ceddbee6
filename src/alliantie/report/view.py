"""The report's content as plain texts and rows, shared by the HTML and PDF writers.

Everything a reader sees is formatted here once, in the report language:
numbers with a Dutch decimal comma in Dutch, texts from the catalogue, the
analysewijzer matrix, the provenance blocks. The writers only lay it out.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from alliantie.contract.spec import Cell, Column, TableSpec, Text
from alliantie.i18n import has_key, translate
from alliantie.report.build import MapImage
from alliantie.report.context import ReportContext

#: How many structure carriers the table lists before summarising the rest.
MAX_CARRIER_ROWS = 40


def number(value: float, language: str, decimals: int = 0) -> str:
    """``value`` with thousands separators: 1.234,5 in Dutch, 1,234.5 in English."""
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def long_date(day: dt.date, language: str) -> str:
    months_nl = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                 "september", "oktober", "november", "december")
    months_en = ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")
    months = months_nl if language == "nl" else months_en
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _text(value: Any, language: str) -> str:
    """A bilingual value from a product JSON: ``{"nl": .., "en": ..}`` or a plain string."""
    if isinstance(value, dict):
        return str(value.get(language) or value.get("nl") or value.get("en") or "")
    return "" if value is None else str(value)


@dataclass(frozen=True)
class MapFigure:
    number: int
    title: str
    description: str
    file: str
    product: str


@dataclass(frozen=True)
class TableView:
    """A product's table (:class:`~alliantie.contract.spec.TableSpec`) with every cell formatted."""

    number: int
    id: str
    title: str
    description: str
    headings: list[str]
    #: Per column: True when it holds numbers (set right-aligned).
    numeric: list[bool]
    rows: list[list[str]]
    total: list[str] | None
    note: str


@dataclass(frozen=True)
class MapSection:
    """One theme: its maps, then the figures its products drew, then their tables."""

    theme: str
    heading: str
    figures: list[MapFigure]
    drawn: list[MapFigure] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)


@dataclass(frozen=True)
class CountTable:
    """Affected buildings and roads per neighbourhood for one pluvial case (step 1)."""

    title: str
    rows: list[tuple[str, str, str, str, str]]
    total: tuple[str, str, str, str, str]


@dataclass(frozen=True)
class MatrixRow:
    layer: str
    label: str
    present: bool
    note: str
    cells: list[str]


@dataclass(frozen=True)
class ProvenanceBlock:
    name: str
    title: str
    rows: list[tuple[str, str]]


@dataclass
class ReportView:
    """All texts of the report, in order."""

    language: str
    t: dict[str, str]
    facts: list[tuple[str, str]]
    inputs: list[tuple[str, str, str]]
    map_sections: list[MapSection]
    goals: list[str] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    lagenkaart: str | None = None
    landscape: list[tuple[str, str, str, str]] = field(default_factory=list)
    landscape_total: str = ""
    carriers: list[tuple[str, str, str, str]] = field(default_factory=list)
    carriers_more: str = ""
    provenance: list[ProvenanceBlock] = field(default_factory=list)
    #: Knowledge file -> its sources, once for the whole report (the provenance blocks only count them).
    sources: list[tuple[str, list[str]]] = field(default_factory=list)
    step1_sections: list[MapSection] = field(default_factory=list)
    pluvial_tables: list[CountTable] = field(default_factory=list)
    #: Heading and intro of step 1: the general texts once themes other than pluvial flooding are present.
    step1_heading: str = ""
    step1_intro: str = ""


def _catalogue(language: str) -> dict[str, str]:
    """Every ``report.*`` text in ``language``, keyed without the prefix (``"inputs.heading"``)."""
    from alliantie.i18n import catalogue

    return {key[len("report."):]: texts[language] for key, texts in catalogue().items()
            if key.startswith("report.")}


def _facts(ctx: ReportContext, t: dict[str, str]) -> list[tuple[str, str]]:
    lang = ctx.language
    g = ctx.grid
    xmin, ymin, xmax, ymax = g.bounds
    return [
        (t["facts.area_name"], ctx.name),
        (t["facts.date"], long_date(ctx.date, lang)),
        (t["facts.area"], translate("report.facts.area_value", lang, km2=number(ctx.area_km2, lang, 1),
                                    ha=number(ctx.area_km2 * 100, lang))),
        (t["facts.grid"], translate("report.facts.grid_value", lang, width=number(g.width, lang),
                                    height=number(g.height, lang), res=f"{g.res:g}".replace(".", ","
                                    if lang == "nl" else "."), crs=g.crs)),
        (t["facts.extent"], translate("report.facts.extent_value", lang, xmin=number(xmin / 1000, lang, 1),
                                      xmax=number(xmax / 1000, lang, 1), ymin=number(ymin / 1000, lang, 1),
                                      ymax=number(ymax / 1000, lang, 1))),
        (t["facts.version"], ctx.version),
    ]


def _matrix(ctx: ReportContext, t: dict[str, str]) -> tuple[list[str], list[MatrixRow]]:
    data = ctx.analysewijzer
    if not data:
        return [], []
    lang = ctx.language
    goals = [g for g in data.get("goals", []) if isinstance(g, dict)]
    goal_ids = [str(g.get("id", "")) for g in goals]
    goal_labels = [_text(g.get("label", g), lang) or str(g.get("id", "")) for g in goals]
    order = {"soil": 0, "water": 1, "green": 2}
    elements = sorted(
        (e for e in data.get("elements", []) if isinstance(e, dict)),
        key=lambda e: order.get(str(e.get("layer", "")), 3),
    )
    rows: list[MatrixRow] = []
    for element in elements:
        layer = str(element.get("layer", ""))
        present = bool(element.get("present", True))
        area = element.get("area_ha")
        if not present:
            note = t["analysewijzer.absent"]
        elif isinstance(area, int | float):
            note = translate("report.analysewijzer.area", lang, area=number(float(area), lang))
        else:
            note = ""
        meaning = element.get("meaning") or {}
        rows.append(MatrixRow(
            layer=t.get(f"analysewijzer.layer.{layer}", layer),
            label=_text(element.get("label"), lang) or str(element.get("id", "")),
            present=present,
            note=note,
            cells=[_text(meaning.get(gid), lang) for gid in goal_ids],
        ))
    return goal_labels, rows


def _provenance(ctx: ReportContext, t: dict[str, str]) -> list[ProvenanceBlock]:
    lang = ctx.language
    blocks: list[ProvenanceBlock] = []
    for record in ctx.products:
        prov = record.provenance
        inputs = []
        for name, meta in (prov.get("inputs") or {}).items():
            if isinstance(meta, dict) and meta.get("sha256"):
                inputs.append(f"{name}: {meta.get('path', '')} [{str(meta['sha256'])[:10]}]")
        params = [f"{k} = {v}" for k, v in (prov.get("parameters") or {}).items()]
        knowledge = [translate("report.provenance.knowledge_value", lang, name=name, count=len(values))
                     for name, values in (prov.get("knowledge_sources") or {}).items() if values]
        none = t["provenance.none"]
        duration = prov.get("duration_s")
        rows = [
            (t["provenance.computed_at"], str(prov.get("computed_at", "")).replace("T", " ")),
            (t["provenance.duration"], translate("report.provenance.duration_value", lang,
                                                 seconds=number(float(duration), lang, 1))
             if isinstance(duration, int | float) else none),
            (t["provenance.version"], str(prov.get("alliantie", ""))),
            (t["provenance.inputs"], "\n".join(inputs) or none),
            (t["provenance.parameters"], "\n".join(params) or none),
            (t["provenance.depends"], ", ".join(prov.get("depends") or {}) or none),
            (t["provenance.knowledge"], ", ".join(knowledge) or none),
        ]
        title_key = f"products.{record.name}"
        title = translate(title_key, lang) if has_key(title_key) else ""
        blocks.append(ProvenanceBlock(name=record.name, title=title, rows=rows))
    return blocks


def _sources(ctx: ReportContext) -> list[tuple[str, list[str]]]:
    """Every knowledge file the products used and its sources, each listed once (files by name)."""
    by_file: dict[str, list[str]] = {}
    for record in ctx.products:
        for name, values in (record.provenance.get("knowledge_sources") or {}).items():
            listed = by_file.setdefault(str(name), [])
            listed.extend(str(v) for v in values if str(v) not in listed)
    return [(name, by_file[name]) for name in sorted(by_file) if by_file[name]]


def _pluvial_tables(ctx: ReportContext, t: dict[str, str]) -> list[CountTable]:
    lang = ctx.language
    tables: list[CountTable] = []
    for case in ctx.pluvial_cases:
        rows: list[tuple[str, str, str, str, str]] = []
        total: tuple[str, str, str, str, str] | None = None
        for c in ctx.pluvial_counts:
            if c.case != case.id:
                continue
            cells = (number(c.buildings_facade, lang), number(c.buildings_above_floor, lang),
                     number(c.road_m_no_cars / 1000, lang, 2), number(c.road_m_no_traffic / 1000, lang, 2))
            if c.code:
                rows.append((c.name or c.code, *cells))
            else:
                total = (t["step1.total"], *cells)
        if total is not None:
            tables.append(CountTable(title=case.label, rows=rows, total=total))
    return tables


@dataclass
class _Numbers:
    """Running numbers of maps, product-drawn figures and tables through the report."""

    maps: int = 0
    figures: int = 0
    tables: int = 0


def cell_text(cell: Cell, column: Column, language: str, empty: str = "–") -> str:
    """A table cell in ``language``: numbers with the column's decimals, texts translated, None as ``empty``."""
    if cell is None:
        return empty
    if isinstance(cell, Text):
        return cell.get(language)
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not math.isfinite(cell):
            return empty
        return number(float(cell), language, column.decimals)
    return str(cell)


def column_heading(column: Column, language: str) -> str:
    """The column label with its unit: "Oppervlakte (ha)"."""
    label = column.label.get(language)
    return f"{label} ({column.unit})" if column.unit else label


def table_view(spec: TableSpec, language: str, number_: int, empty: str = "–") -> TableView:
    """Format a :class:`TableSpec` for the writers (short rows are padded, long rows cut to the columns)."""
    columns = spec.columns
    width = len(columns)

    def fit(cells: list[Cell]) -> list[Cell]:
        return (list(cells) + [None] * width)[:width]

    rows = [fit(r) for r in spec.rows]
    total = fit(spec.total) if spec.total is not None else None
    # a column of numbers and empty cells is numeric (right-aligned), one with any text is not
    numeric = [not any(_is_text(r[i]) for r in (rows or ([total] if total else []))) for i in range(width)]
    return TableView(
        number=number_,
        id=spec.id,
        title=spec.title.get(language),
        description=spec.description.get(language) if spec.description else "",
        headings=[column_heading(c, language) for c in columns],
        numeric=numeric,
        rows=[[cell_text(c, col, language, empty) for c, col in zip(r, columns, strict=True)] for r in rows],
        total=[cell_text(c, col, language, "") for c, col in zip(total, columns, strict=True)] if total else None,
        note=spec.note.get(language) if spec.note else "",
    )


def _is_text(cell: Cell) -> bool:
    return isinstance(cell, Text) or (isinstance(cell, str) and bool(cell.strip()))


def _map_sections(ctx: ReportContext, images: dict[tuple[str, str], MapImage], t: dict[str, str], step: int,
                  numbers: _Numbers) -> list[MapSection]:
    """Sections of the products of ``step``: maps, drawn figures and tables numbered on from ``numbers``."""
    from alliantie.report.build import figure_key

    lang = ctx.language
    sections: list[MapSection] = []
    for content in ctx.sections(step):
        figures: list[MapFigure] = []
        for record, spec in content.maps:
            image = images.get((record.name, spec.id))
            if image is None:
                continue
            numbers.maps += 1
            figures.append(MapFigure(number=numbers.maps, title=spec.title.get(lang),
                                     description=spec.description.get(lang), file=image.file,
                                     product=record.name))
        drawn: list[MapFigure] = []
        for record, figure in content.figures:
            image = images.get((record.name, figure_key(figure.id)))
            if image is None:
                continue
            numbers.figures += 1
            drawn.append(MapFigure(number=numbers.figures, title=figure.title.get(lang),
                                   description=figure.description.get(lang), file=image.file,
                                   product=record.name))
        tables: list[TableView] = []
        for _record, table in content.tables:
            numbers.tables += 1
            tables.append(table_view(table, lang, numbers.tables, t["table.no_data"]))
        if figures or drawn or tables:
            sections.append(MapSection(theme=content.theme, heading=t[f"themes.{content.theme}"],
                                       figures=figures, drawn=drawn, tables=tables))
    return sections


def make_view(ctx: ReportContext, images: dict[tuple[str, str], MapImage]) -> ReportView:
    """Format the context in its language for the writers."""
    lang = ctx.language
    t = _catalogue(lang)
    inputs = [
        (row.name, row.file or t["inputs.not_configured"], t.get(f"inputs.what.{row.name}", ""))
        for row in ctx.inputs
    ]
    numbers = _Numbers()
    step1 = _map_sections(ctx, images, t, 1, numbers)
    sections = _map_sections(ctx, images, t, 2, numbers)
    goals, matrix = _matrix(ctx, t)
    total_ha = sum(r.area_ha for r in ctx.landscape)
    carriers = [(c.kind, c.name, number(c.area_ha, lang, 1), c.description)
                for c in ctx.carriers[:MAX_CARRIER_ROWS]]
    rest = ctx.carriers[MAX_CARRIER_ROWS:]
    more = (translate("report.carriers.more", lang, count=len(rest),
                      area=number(sum(c.area_ha for c in rest), lang, 1)) if rest else "")
    return ReportView(
        language=lang,
        t=t,
        facts=_facts(ctx, t),
        inputs=inputs,
        map_sections=sections,
        goals=goals,
        matrix=matrix,
        lagenkaart=None,
        landscape=[(r.color, r.label, number(r.area_ha, lang), f"{number(100 * r.share, lang, 1)} %")
                   for r in ctx.landscape],
        landscape_total=number(total_ha, lang),
        carriers=carriers,
        carriers_more=more,
        provenance=_provenance(ctx, t),
        sources=_sources(ctx),
        step1_sections=step1,
        pluvial_tables=_pluvial_tables(ctx, t),
        **_step1_texts(step1, t),
    )


def _step1_texts(step1: list[MapSection], t: dict[str, str]) -> dict[str, str]:
    """The pluvial heading while pluvial flooding is step 1's only theme, the general one otherwise."""
    only_pluvial = all(section.theme == "pluvial" for section in step1)
    if only_pluvial and "step1.heading" in t:
        return {"step1_heading": t["step1.heading"], "step1_intro": t.get("step1.intro", "")}
    return {"step1_heading": t["step1.heading_all"], "step1_intro": t["step1.intro_all"]}
