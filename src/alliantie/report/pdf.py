"""The report as an A4 PDF (``report.pdf``) with reportlab's platypus.

The same content as the HTML page: a title page, a table of contents, the
inputs table, the maps with captions, the analysewijzer on landscape pages,
the lagenkaart, the tables of landscape types and structure carriers and the
provenance appendix. Every page has a footer with the dossier name and the
page number. Fonts are the DejaVu fonts shipped with matplotlib, embedded in
the file, so every character of both languages prints.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from alliantie.io.atomic import atomic_file
from alliantie.report.build import MapImage
from alliantie.report.context import ReportContext
from alliantie.report.view import MapSection, ReportView, TableView, make_view
from alliantie.typeset.fonts import FONT, FONT_BOLD, FONT_ITALIC
from alliantie.typeset.styles import ABSENT, ACCENT, BAND, LINE, MUTED, paragraph_style
from alliantie.typeset.tables import ruled_table as _table

PDF_FILE = "report.pdf"

MARGIN = 16 * mm
FOOTER = 11 * mm


@cache
def _styles() -> dict[str, ParagraphStyle]:
    body = paragraph_style("body", size=9.5, leading=13.5, spaceAfter=5)
    return {
        "body": body,
        "kicker": ParagraphStyle("kicker", parent=body, fontName=FONT_BOLD, fontSize=11, textColor=ACCENT,
                                 spaceAfter=8),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=26, leading=31,
                                spaceAfter=8),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=13, leading=17, textColor=MUTED,
                                   spaceAfter=20),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20, spaceBefore=6,
                             spaceAfter=8, textColor=colors.black, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=12.5, leading=16,
                             spaceBefore=10, spaceAfter=6, textColor=ACCENT, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=14,
                             spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "caption": ParagraphStyle("caption", parent=body, fontSize=8.5, leading=11.5, spaceBefore=3,
                                  spaceAfter=10),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_small": ParagraphStyle("cell_small", parent=body, fontSize=7, leading=8.8, spaceAfter=0),
        "cell_absent": ParagraphStyle("cell_absent", parent=body, fontSize=7, leading=8.8, spaceAfter=0,
                                      textColor=ABSENT),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10,
                                    spaceAfter=0, textColor=colors.white),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8, leading=10, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "group": ParagraphStyle("group", parent=body, fontName=FONT_BOLD, fontSize=9, leading=11,
                                spaceAfter=0, textColor=ACCENT),
        "cell_head_right": ParagraphStyle("cell_head_right", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10,
                                          spaceAfter=0, textColor=colors.white, alignment=TA_RIGHT),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10,
                                    spaceAfter=0),
        "cell_bold_right": ParagraphStyle("cell_bold_right", parent=body, fontName=FONT_BOLD, fontSize=8,
                                          leading=10, spaceAfter=0, alignment=TA_RIGHT),
        "table_title": ParagraphStyle("table_title", parent=body, fontName=FONT_BOLD, fontSize=9.5, leading=12.5,
                                      spaceBefore=8, spaceAfter=3),
        "table_note": ParagraphStyle("table_note", parent=body, fontSize=7.5, leading=10, textColor=MUTED,
                                     spaceBefore=3, spaceAfter=10),
        "source": ParagraphStyle("source", parent=body, fontSize=7.5, leading=9.5, leftIndent=8,
                                 firstLineIndent=-8, spaceAfter=2),
        "muted": ParagraphStyle("muted", parent=body, textColor=MUTED, fontName=FONT_ITALIC),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=10, leading=15, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=body, fontSize=9, leading=13, leftIndent=14, textColor=MUTED),
    }


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), _styles()[style])


class _Doc(BaseDocTemplate):
    """A4 document with a portrait and a landscape page template and a footer on every page."""

    def __init__(self, filename: str, footer: str, page_label: str, **kwargs: Any) -> None:
        super().__init__(filename, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN, bottomMargin=MARGIN + FOOTER, **kwargs)
        self.footer = footer
        self.page_label = page_label
        pw, ph = A4
        portrait = Frame(MARGIN, MARGIN + FOOTER, pw - 2 * MARGIN, ph - 2 * MARGIN - FOOTER, id="p")
        lw, lh = landscape(A4)
        wide = Frame(MARGIN, MARGIN + FOOTER, lw - 2 * MARGIN, lh - 2 * MARGIN - FOOTER, id="l")
        self.addPageTemplates([
            PageTemplate(id="portrait", frames=[portrait], onPage=self._footer, pagesize=A4),
            PageTemplate(id="landscape", frames=[wide], onPage=self._footer, pagesize=landscape(A4)),
        ])

    def _footer(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width = canvas._pagesize[0]
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, MARGIN + 4 * mm, width - MARGIN, MARGIN + 4 * mm)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN, self.footer)
        canvas.drawRightString(width - MARGIN, MARGIN, self.page_label.format(page=doc.page))
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
            level = 0 if flowable.style.name == "h1" else 1
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def _jpeg(png: Path, folder: Path) -> Path:
    """A high-quality JPEG copy of ``png`` (on white) that reportlab embeds without re-encoding."""
    target = folder / f"{png.parent.name}-{png.stem}.jpg"
    if not target.exists():
        with PILImage.open(png) as im:
            if im.mode in ("RGBA", "LA", "P"):
                rgba = im.convert("RGBA")
                rgb = PILImage.new("RGB", rgba.size, "white")
                rgb.paste(rgba, mask=rgba.getchannel("A"))
            else:
                rgb = im.convert("RGB")
            rgb.save(target, format="JPEG", quality=93, subsampling=0)
    return target


def _image(path: Path, max_width: float, max_height: float, folder: Path) -> Image:
    path = _jpeg(path, folder)
    width_px, height_px = ImageReader(str(path)).getSize()
    scale = min(max_width / width_px, max_height / height_px)
    return Image(str(path), width=width_px * scale, height=height_px * scale)


def _map_flowables(view: ReportView, sections: list[MapSection], chapter: int, out_dir: Path, frame_w: float,
                   frame_h: float, jpegs: Path) -> list[Flowable]:
    t = view.t
    out: list[Flowable] = []
    for i, section in enumerate(sections, start=1):
        heading: list[Flowable] = [_p(f"{chapter}.{i}  {section.heading}", "h2")]
        figures = [(fig, t["map.figure"]) for fig in section.figures]
        figures += [(fig, t["figure.label"]) for fig in section.drawn]
        for fig, label in figures:
            # full text width keeps the legend legible in print (about 7 pt): one map per page
            img = _image(out_dir / fig.file, frame_w, frame_h - 45 * mm, jpegs)
            caption = Paragraph(
                f"<b>{escape(label.format(n=fig.number))}. {escape(fig.title)}.</b> "
                f"{escape(fig.description)}", _styles()["caption"])
            out.append(KeepTogether([*heading, img, caption]))
            heading = []
        for table in section.tables:
            out += _generic_table(table, t, frame_w, heading)
            heading = []
        out += heading
    return out


#: A table with at most this many rows stays on one page with its title; a longer one breaks across pages.
SHORT_TABLE_ROWS = 25


def _column_widths(table: TableView, frame_w: float) -> list[float]:
    """Numbers get narrow equal columns; text columns share the rest by how much text they hold."""
    n = len(table.headings)
    numeric = sum(table.numeric)
    texts = n - numeric
    if texts == 0:
        return [frame_w / n] * n
    num_w = min(30 * mm, max(15 * mm, (frame_w - 45 * mm * texts) / max(1, numeric))) if numeric else 0.0
    if numeric and num_w * numeric > frame_w - 20 * mm * texts:  # many columns: narrower numbers
        num_w = (frame_w - 20 * mm * texts) / numeric
    rest = frame_w - num_w * numeric
    columns = [j for j in range(n) if not table.numeric[j]]
    floors = [_longest_word_width(table, j) for j in columns]
    if sum(floors) > 0.85 * rest:  # many text columns: keep some room for the wordy ones
        floors = [f * 0.85 * rest / sum(floors) for f in floors]
    weights = [_text_weight(table, j) for j in columns]
    spare = rest - sum(floors)
    shares = iter([f + spare * w / sum(weights) for f, w in zip(floors, weights, strict=True)])
    return [num_w if is_num else next(shares) for is_num in table.numeric]


def _text_weight(table: TableView, column: int) -> float:
    """How much room a text column wants: its mean cell length, between 4 and 60 characters."""
    cells = [row[column] for row in table.rows if column < len(row)] or [""]
    mean = sum(len(c) for c in cells) / len(cells)
    return min(60.0, max(4.0, mean, 0.6 * len(table.headings[column])))


def _longest_word_width(table: TableView, column: int) -> float:
    """Room for the longest word of a text column (about 1.45 mm per character of the table font plus the cell
    padding), 8-30 mm."""
    words = [w for row in table.rows if column < len(row) for w in row[column].split()]
    longest = max((len(w) for w in words), default=4)
    return float(min(30 * mm, max(8 * mm, (longest * 1.45 + 4.5) * mm)))


def _generic_table(table: TableView, t: dict[str, str], frame_w: float, heading: list[Flowable]) -> list[Flowable]:
    """A product's table: title, description, the table (header repeated on every page, bold total), note."""
    head_style = ["cell_head_right" if num else "cell_head" for num in table.numeric]
    body_style = ["cell_right" if num else "cell" for num in table.numeric]
    bold_style = ["cell_bold_right" if num else "cell_bold" for num in table.numeric]
    rows: list[list[Any]] = [[_p(h, st) for h, st in zip(table.headings, head_style, strict=True)]]
    rows += [[_p(c, st) for c, st in zip(row, body_style, strict=True)] for row in table.rows]
    extra: list[tuple[Any, ...]] = []
    if table.total is not None:
        rows.append([_p(c, st) for c, st in zip(table.total, bold_style, strict=True)])
        extra.append(("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black))
    grid = _table(rows, _column_widths(table, frame_w), extra=extra, long=True)
    title = _p(f"{t['table.label'].format(n=table.number)}. {table.title}", "table_title")
    top: list[Flowable] = [*heading, title]
    if table.description:
        top.append(_p(table.description, "caption"))
    tail = [_p(table.note, "table_note")] if table.note else [Spacer(1, 4 * mm)]
    if len(table.rows) <= SHORT_TABLE_ROWS:
        return [KeepTogether([*top, grid, *tail])]
    # a long table: start it where at least a few rows fit, then let it run over the pages
    return [CondPageBreak(60 * mm), *top, grid, *tail]


def _count_tables(view: ReportView, frame_w: float) -> list[Flowable]:
    """One table per pluvial case: affected buildings and roads per neighbourhood, with the total."""
    t = view.t
    out: list[Flowable] = []
    head = [_p(t[f"step1.{key}"], "cell_head")
            for key in ("col_neighbourhood", "col_facade", "col_above_floor", "col_no_cars", "col_no_traffic")]
    first = frame_w - 4 * 28 * mm
    for table in view.pluvial_tables:
        rows: list[list[Any]] = [head]
        rows += [[_p(name, "cell"), *(_p(v, "cell_right") for v in values)] for name, *values in table.rows]
        rows.append([_p(table.total[0], "cell"), *(_p(v, "cell_right") for v in table.total[1:])])
        out.append(KeepTogether([
            _p(table.title, "h3"),
            _table(rows, [first] + [28 * mm] * 4, extra=[("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black)]),
        ]))
    return out


def _story(view: ReportView, out_dir: Path, frame_w: float, frame_h: float,
           wide_w: float, jpegs: Path) -> list[Flowable]:
    t = view.t
    s: list[Flowable] = []
    # title page
    s += [Spacer(1, 40 * mm), _p(t["title"].upper(), "kicker"), _p(view.facts[0][1], "title"),
          _p(t["subtitle"], "subtitle")]
    facts = [[_p(label, "cell"), _p(value, "cell")] for label, value in view.facts[1:]]
    s.append(_table(facts, [45 * mm, frame_w - 45 * mm], header=False,
                    extra=[("TEXTCOLOR", (0, 0), (0, -1), MUTED), ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE)]))
    s.append(PageBreak())
    # contents
    toc = TableOfContents()
    toc.levelStyles = [_styles()["toc1"], _styles()["toc2"]]
    toc.dotsMinLevel = 0
    s += [_p(t["toc"], "h3"), toc, PageBreak()]
    # 1 intro, 2 inputs
    s += [_p(f"1  {t['intro.heading']}", "h1"), _p(t["intro.text"])]
    s += [_p(f"2  {t['inputs.heading']}", "h1"), _p(t["inputs.intro"])]
    rows: list[list[Any]] = [[_p(t["inputs.col_name"], "cell_head"), _p(t["inputs.col_file"], "cell_head"),
                              _p(t["inputs.col_what"], "cell_head")]]
    rows += [[_p(name, "cell"), _p(file, "cell"), _p(what, "cell")] for name, file, what in view.inputs]
    s.append(_table(rows, [28 * mm, 62 * mm, frame_w - 90 * mm]))
    # 3 step 1 (when there are step-1 products), then the step 2 maps
    s1 = 1 if (view.step1_sections or view.pluvial_tables) else 0
    if s1:
        s += [PageBreak(), _p(f"3  {view.step1_heading}", "h1"), _p(view.step1_intro)]
        s += _map_flowables(view, view.step1_sections, 3, out_dir, frame_w, frame_h, jpegs)
        if view.pluvial_tables:
            s += [_p(f"3.{len(view.step1_sections) + 1}  {t['step1.counts_heading']}", "h2"),
                  _p(t["step1.counts_intro"])]
            s += _count_tables(view, frame_w)
    s += [PageBreak(), _p(f"{3 + s1}  {t['step2.heading']}", "h1"), _p(t["step2.intro"])]
    s += _map_flowables(view, view.map_sections, 3 + s1, out_dir, frame_w, frame_h, jpegs)
    # 4 analysewijzer on landscape pages
    s += [NextPageTemplate("landscape"), PageBreak(), _p(f"{4 + s1}  {t['analysewijzer.heading']}", "h1")]
    if view.matrix:
        s.append(_p(t["analysewijzer.intro"]))
        first = 42 * mm
        other = (wide_w - first) / max(1, len(view.goals))
        head = [_p(t["analysewijzer.col_element"], "cell_head")] + [_p(g, "cell_head") for g in view.goals]
        mrows: list[list[Any]] = [head]
        extra: list[tuple[Any, ...]] = []
        layer = None
        for row in view.matrix:
            if row.layer != layer:
                layer = row.layer
                mrows.append([_p(layer, "group")] + [""] * len(view.goals))
                r = len(mrows) - 1
                extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), BAND),
                          ("NOSPLIT", (0, r), (-1, r + 1))]
            style = "cell_small" if row.present else "cell_absent"
            label = f"<b>{escape(row.label)}</b>"
            if row.note:
                label += f"<br/><i>{escape(row.note)}</i>"
            mrows.append([Paragraph(label, _styles()[style])]
                         + [_p(cell or "–", style) for cell in row.cells])
        s.append(_table(mrows, [first] + [other] * len(view.goals), extra=extra))
    else:
        s.append(_p(t["analysewijzer.missing"], "muted"))
    s += [NextPageTemplate("portrait"), PageBreak()]
    # 5 lagenkaart
    s.append(_p(f"{5 + s1}  {t['lagenkaart.heading']}", "h1"))
    if view.lagenkaart:
        s += [_p(t["lagenkaart.intro"]), _image(out_dir / view.lagenkaart, frame_w, frame_h - 30 * mm, jpegs)]
    else:
        s.append(_p(t["lagenkaart.missing"], "muted"))
    # 6 landscape types (heading, intro and the short table stay on one page)
    landscape_heading = _p(f"{6 + s1}  {t['landscape.heading']}", "h1")
    if view.landscape:
        lrows: list[list[Any]] = [[_p(t["landscape.col_type"], "cell_head"),
                                   _p(t["landscape.col_area"], "cell_head"),
                                   _p(t["landscape.col_share"], "cell_head")]]
        extra = []
        for color, label, area, share in view.landscape:
            lrows.append([Paragraph(f'<font color="{color}">■</font>  {escape(label)}', _styles()["cell"]),
                          _p(area, "cell_right"), _p(share, "cell_right")])
        lrows.append([_p(t["landscape.total"], "cell"), _p(view.landscape_total, "cell_right"),
                      _p("100 %", "cell_right")])
        extra.append(("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black))
        s.append(KeepTogether([landscape_heading, _p(t["landscape.intro"]),
                               _table(lrows, [90 * mm, 35 * mm, 25 * mm], extra=extra)]))
    else:
        s += [landscape_heading, _p(t["landscape.missing"], "muted")]
    # 7 structure carriers
    s.append(_p(f"{7 + s1}  {t['carriers.heading']}", "h1"))
    if view.carriers:
        s.append(_p(t["carriers.intro"]))
        crows: list[list[Any]] = [[_p(t["carriers.col_kind"], "cell_head"), _p(t["carriers.col_name"], "cell_head"),
                                   _p(t["carriers.col_area"], "cell_head"),
                                   _p(t["carriers.col_description"], "cell_head")]]
        crows += [[_p(kind, "cell"), _p(name, "cell"), _p(area, "cell_right"), _p(desc, "cell_small")]
                  for kind, name, area, desc in view.carriers]
        s.append(_table(crows, [35 * mm, 40 * mm, 22 * mm, frame_w - 97 * mm]))
        if view.carriers_more:
            s.append(_p(f"… {view.carriers_more}", "muted"))
    else:
        s.append(_p(t["carriers.missing"], "muted"))
    # appendix
    s += [PageBreak(), _p(t["provenance.heading"], "h1"), _p(t["provenance.intro"])]
    for block in view.provenance:
        title = block.name + (f" – {block.title}" if block.title else "")
        # one table row per line: a row cannot break across pages, a long list of sources must
        prows: list[list[Any]] = []
        pextra: list[tuple[Any, ...]] = [("TEXTCOLOR", (0, 0), (0, -1), MUTED)]
        for label, value in block.rows:
            lines = value.split("\n") or [""]
            first = len(prows)
            prows += [[_p(label if i == 0 else "", "cell"), _p(line, "cell_small")] for i, line in enumerate(lines)]
            if len(lines) > 1:  # lines of one field: no rule between them, tight
                pextra += [("LINEBELOW", (0, first), (-1, len(prows) - 2), 0.6, colors.white),
                          ("TOPPADDING", (0, first + 1), (-1, len(prows) - 1), 0.5),
                          ("BOTTOMPADDING", (0, first), (-1, len(prows) - 2), 0.5)]
        table = _table(prows, [38 * mm, frame_w - 38 * mm], header=False, extra=pextra, long=True)
        if len(prows) <= SHORT_TABLE_ROWS:
            s.append(KeepTogether([_p(title, "h3"), table]))
        else:
            s += [CondPageBreak(50 * mm), _p(title, "h3"), table]
    if view.sources:
        s += [CondPageBreak(40 * mm), _p(t["provenance.sources_heading"], "h3"), _p(t["provenance.sources_intro"])]
        for name, items in view.sources:
            s.append(_p(name, "table_title"))
            s += [_p(f"• {item}", "source") for item in items]
    return s


def write_pdf(context: ReportContext, images: dict[tuple[str, str], MapImage], out_dir: Path) -> Path:
    """Write ``report.pdf`` into ``out_dir`` (maps must already be rendered there)."""
    from alliantie.report.build import LAGENKAART_FILE, MAPS_DIR

    view = make_view(context, images)
    if context.lagenkaart is not None:
        view.lagenkaart = f"{MAPS_DIR}/{LAGENKAART_FILE}"
    target = out_dir / PDF_FILE
    # binary image streams: ASCII85 in pure Python costs seconds per map and adds 25 % size
    a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        _build(context, view, out_dir, target)
    finally:
        rl_config.useA85 = a85
    return target


def _build(context: ReportContext, view: ReportView, out_dir: Path, target: Path) -> None:
    with atomic_file(target) as tmp:
        doc = _Doc(str(tmp), footer=f"{context.name} · {view.t['title']}", page_label=view.t["pdf.page"],
                   title=f"{view.t['title']} – {context.name}", author="alliantie",
                   subject=view.t["subtitle"], lang=context.language)
        portrait = doc.pageTemplates[0].frames[0]
        wide = doc.pageTemplates[1].frames[0]
        with tempfile.TemporaryDirectory(prefix="alliantie-pdf-") as jpegs:
            story = _story(view, out_dir, portrait._aW, portrait._aH, wide._aW, Path(jpegs))
            doc.multiBuild(story)
