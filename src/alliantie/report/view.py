"""The report's content as one ordered list of sections, shared by the HTML and PDF writers.

:func:`make_view` walks the declared chapters
(:data:`alliantie.contract.sections.REPORT_SECTIONS`) once and formats
everything a reader sees in the report language: numbers with a Dutch decimal
comma in Dutch, texts from the catalogue, the products' tables, the provenance
blocks. Chapters, subsections, maps, figures and tables are numbered from the
order of the list; the writers only lay it out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from alliantie.contract import sections as declared
from alliantie.contract.spec import Cell, Column, TableSpec, Text
from alliantie.dossier.config import Parameters
from alliantie.dossier.input_reading import describe
from alliantie.i18n import catalogue, has_key, translate
from alliantie.report.blocks import (
    Block,
    InputTable,
    Kind,
    MapFigure,
    Paragraph,
    ProvenanceBlock,
    ProvenanceList,
    Section,
    SourceList,
    TableView,
)
from alliantie.report.context import InputRow, ReportContext
from alliantie.report.formatting import long_date, number
from alliantie.report.images import MapImage, figure_key
from alliantie.report.product_sections import PRODUCT_SECTIONS, SectionEnv


@dataclass
class ReportView:
    """The title page and the sections of the report, in order, in one language."""

    language: str
    name: str
    t: dict[str, str]
    facts: list[tuple[str, str]]
    sections: list[Section] = field(default_factory=list)

    def section(self, section_id: str) -> Section | None:
        """The chapter or subsection ``section_id``."""
        stack = list(self.sections)
        while stack:
            section = stack.pop(0)
            if section.id == section_id:
                return section
            stack[:0] = section.sections
        return None

    def first(self, kind: type[Kind]) -> Kind | None:
        """The first block of type ``kind`` anywhere in the report."""
        stack: list[Block] = list(self.sections)
        while stack:
            block = stack.pop(0)
            if isinstance(block, kind):
                return block
            if isinstance(block, Section):
                stack[:0] = block.blocks
        return None


def _catalogue(language: str) -> dict[str, str]:
    """Every ``report.*`` text in ``language``, keyed without the prefix (``"inputs.heading"``)."""
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


def _inputs(ctx: ReportContext, t: dict[str, str]) -> InputTable:
    return InputTable(
        headings=(t["inputs.col_name"], t["inputs.col_file"], t["inputs.status.heading"], t["inputs.col_what"]),
        rows=[(row.name, row.file or t["inputs.not_configured"], t[f"inputs.status.{row.status}"],
               _what(row, ctx.language, t), bool(row.file)) for row in ctx.inputs],
    )


def _what(row: InputRow, language: str, t: dict[str, str]) -> str:
    """What an input is, and for a raster what the checks at the door found (coverage, impossible values)."""
    parts = [t.get(f"inputs.what.{row.name}", "")]
    if row.coverage is not None:
        parts.append(translate("report.inputs.coverage", language,
                               share=number(100 * row.coverage, language, 1)))
    if row.implausible_cells:
        parts.append(translate("report.inputs.implausible", language, count=row.implausible_cells))
    reading = describe(row.checks, language)  # what was understood, assumed and converted (units, datum, codes)
    if reading:
        parts.append(translate("report.inputs.reading.read_as", language, what="; ".join(reading)))
    text = ""
    for part in (p for p in parts if p):
        text = f"{text}{'' if not text or text.endswith('.') else '.'}{' ' if text else ''}{part}"
    return text


def _parameter_lines(parameters: dict[str, Any]) -> list[str]:
    """``name = value`` per parameter; a typed ``[parameters.<section>]`` as one line per field."""
    lines: list[str] = []
    for name, value in parameters.items():
        if name in Parameters.model_fields and isinstance(value, dict):
            lines += [f"{name}.{field} = {v}" for field, v in value.items()]
        else:
            lines.append(f"{name} = {value}")
    return lines


def _provenance(ctx: ReportContext, t: dict[str, str]) -> list[ProvenanceBlock]:
    lang = ctx.language
    blocks: list[ProvenanceBlock] = []
    for record in ctx.products:
        prov = record.provenance
        inputs = []
        for name, meta in (prov.get("inputs") or {}).items():
            if isinstance(meta, dict) and meta.get("sha256"):
                inputs.append(f"{name}: {meta.get('path', '')} [{str(meta['sha256'])[:10]}]")
        params = _parameter_lines(prov.get("parameters") or {})
        knowledge = [translate("report.provenance.knowledge_value", lang, name=name, count=len(values))
                     for name, values in (prov.get("knowledge_sources") or {}).items() if values]
        none = t["provenance.none"]
        # no computing time or duration here: they differ per run, the report's date (title page) is its one
        # dated line; each product's provenance.json keeps computed_at and duration_s
        rows = [
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


def _provenance_blocks(ctx: ReportContext, t: dict[str, str]) -> list[Block]:
    out: list[Block] = [ProvenanceList(_provenance(ctx, t))]
    sources = _sources(ctx)
    if sources:
        out.append(SourceList(heading=t["provenance.sources_heading"], intro=t["provenance.sources_intro"],
                              files=sources))
    return out


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


@dataclass
class _Builder:
    """Builds the sections in report order; maps, product-drawn figures and tables are numbered on through them."""

    ctx: ReportContext
    images: Mapping[tuple[str, str], MapImage]
    t: dict[str, str]
    maps: int = 0
    figures: int = 0
    tables: int = 0

    @property
    def language(self) -> str:
        return self.ctx.language

    def chapter(self, decl: declared.SectionDecl) -> Section | None:
        """The chapter ``decl`` (None when it is optional and shows nothing but text)."""
        body = [b for block in decl.blocks for b in self.blocks(block)]
        if decl.optional and all(isinstance(b, Paragraph) for b in body):
            return None
        heading, intro = decl.heading, decl.intro
        sole = decl.sole_theme
        if sole is not None and declared.exists(sole.heading) \
                and all(s.theme == sole.theme for s in body if isinstance(s, Section)):
            heading, intro = sole.heading, self.variant(sole.intro, sole.intro_variant)
        top: list[Block] = [Paragraph(declared.resolve(intro, self.language))] if intro is not None else []
        return Section(id=decl.id, heading=declared.resolve(heading, self.language), page=decl.page,
                       appendix=decl.appendix, blocks=top + body)

    def variant(self, text: declared.Heading, by: declared.ParameterVariant | None) -> declared.Heading:
        """``text``, or its catalogue variant ``<key>_<value>`` for the value of ``by``'s product parameter."""
        if by is None or not isinstance(text, str):
            return text
        record = self.ctx.product(by.product)
        value: Any = record.provenance.get("parameters") if record is not None else None
        for part in by.parameter.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        key = f"{text}_{value}"
        return key if isinstance(value, str) and has_key(key) else text

    def blocks(self, decl: declared.BlockDecl) -> list[Block]:
        if isinstance(decl, declared.Paragraph):
            return [Paragraph(declared.resolve(decl.text, self.language))]
        if isinstance(decl, declared.StepThemes):
            return list(self.themes(decl.steps))
        if isinstance(decl, declared.ProductSection):
            env = SectionEnv(language=self.language, t=self.t, images=self.images)
            return PRODUCT_SECTIONS[decl.product].build(self.ctx.product(decl.product), env)
        if isinstance(decl, declared.Inputs):
            return [_inputs(self.ctx, self.t)]
        if isinstance(decl, declared.Provenance):
            return _provenance_blocks(self.ctx, self.t)
        raise TypeError(f"no view for the block {decl!r}")

    def themes(self, steps: tuple[int, ...]) -> list[Section]:
        """One subsection per theme of the products of ``steps``: maps, then drawn figures, then tables."""
        lang, t = self.language, self.t
        sections: list[Section] = []
        for content in self.ctx.sections(steps):
            blocks: list[Block] = []
            for record, spec in content.maps:
                image = self.images.get((record.name, spec.id))
                if image is None:
                    continue
                self.maps += 1
                blocks.append(MapFigure(number=self.maps, title=spec.title.get(lang),
                                        description=spec.description.get(lang), file=image.file,
                                        product=record.name))
            for record, figure in content.figures:
                image = self.images.get((record.name, figure_key(figure.id)))
                if image is None:
                    continue
                self.figures += 1
                blocks.append(MapFigure(number=self.figures, title=figure.title.get(lang),
                                        description=figure.description.get(lang), file=image.file,
                                        product=record.name, drawn=True))
            for _record, table in content.tables:
                self.tables += 1
                blocks.append(table_view(table, lang, self.tables, t["table.no_data"]))
            if blocks:
                heading = t.get(f"themes.{content.theme}", content.theme.replace("_", " ").capitalize())
                sections.append(Section(id=f"theme-{content.theme}", heading=heading, level=2,
                                        theme=content.theme, blocks=blocks))
        return sections


def number_sections(sections: list[Section], prefix: str = "") -> None:
    """Number the sections in order ("3", then "3.1", "3.2" inside); an appendix gets no number."""
    n = 0
    for section in sections:
        if section.appendix:
            section.number = ""
            continue
        n += 1
        section.number = f"{prefix}{n}"
        number_sections(section.sections, f"{section.number}.")


def make_view(ctx: ReportContext, images: Mapping[tuple[str, str], MapImage],
              sections: tuple[declared.SectionDecl, ...] = declared.REPORT_SECTIONS) -> ReportView:
    """The report's sections from the declared chapters ``sections``, in the context's language."""
    t = _catalogue(ctx.language)
    builder = _Builder(ctx=ctx, images=images, t=t)
    steps = {record.step for record in ctx.products}
    chapters = [c for decl in declared.report_sections(sections, steps) if (c := builder.chapter(decl)) is not None]
    number_sections(chapters)
    return ReportView(language=ctx.language, name=ctx.name, t=t, facts=_facts(ctx, t), sections=chapters)
