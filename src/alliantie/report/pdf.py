"""The report as an A4 PDF (``report.pdf``) with reportlab's platypus.

The same content as the HTML page: a title page, a table of contents, then the
view's sections in order, each block laid out by its kind (maps with captions,
tables breaking across pages, the analysewijzer on landscape pages...). Every
page has a footer with the dossier name and the page number. Fonts are the
DejaVu fonts shipped with matplotlib, embedded in the file, so every character
of both languages prints.
"""

from __future__ import annotations

import os
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
from alliantie.report.blocks import (
    Block,
    CarrierTable,
    ClassTable,
    CountTable,
    InputTable,
    Link,
    MapFigure,
    Matrix,
    ProvenanceList,
    Section,
    SourceList,
    TableView,
)
from alliantie.report.blocks import Image as ImageBlock
from alliantie.report.blocks import Paragraph as ParagraphBlock
from alliantie.report.view import ReportView
from alliantie.typeset.fonts import FONT, FONT_BOLD, FONT_ITALIC
from alliantie.typeset.styles import ABSENT, ACCENT, BAND, LINE, MUTED, paragraph_style
from alliantie.typeset.tables import rows_with_total
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


class _ImagePath(str):
    """A JPEG's full path that prints as its file name only.

    reportlab names an embedded image after ``str(path)``: with the temporary folder in that
    name, two runs would give different PDFs. The file itself is opened by the full path (the
    string's value), so the JPEG is still embedded as it is.
    """

    def __str__(self) -> str:
        return os.path.basename(self)  # not Path(self), which would call str() on it again


def _image(path: Path, max_width: float, max_height: float, folder: Path) -> Image:
    path = _jpeg(path, folder)
    width_px, height_px = ImageReader(str(path)).getSize()
    scale = min(max_width / width_px, max_height / height_px)
    return Image(_ImagePath(path), width=width_px * scale, height=height_px * scale)


#: A map that would shrink below this share of its full height to fit under a chapter's intro starts a page.
MIN_MAP_SHARE = 0.7

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
    # a number column as wide as its widest number and its heading's longest word, where the page allows
    wanted = {j: max(num_w, _number_width(table, j)) for j in range(n) if table.numeric[j]}
    budget = max(num_w * numeric, frame_w - 35 * mm * texts)
    if sum(wanted.values()) > budget:
        scale = max(0.0, budget - num_w * numeric) / max(1e-9, sum(wanted.values()) - num_w * numeric)
        wanted = {j: num_w + (w - num_w) * scale for j, w in wanted.items()}
    rest = frame_w - sum(wanted.values())
    columns = [j for j in range(n) if not table.numeric[j]]
    floors = [_longest_word_width(table, j) for j in columns]
    if sum(floors) > 0.85 * rest:  # many text columns: keep some room for the wordy ones
        floors = [f * 0.85 * rest / sum(floors) for f in floors]
    weights = [_text_weight(table, j) for j in columns]
    spare = rest - sum(floors)
    shares = iter([f + spare * w / sum(weights) for f, w in zip(floors, weights, strict=True)])
    return [wanted[j] if is_num else next(shares) for j, is_num in enumerate(table.numeric)]


def _number_width(table: TableView, column: int) -> float:
    """Room for a number column's widest cell and its heading's longest word (about 1.45 mm per character of
    the table font, 1.6 mm of the bold heading, plus the cell padding), at most 32 mm."""
    cells = [row[column] for row in (*table.rows, *([table.total] if table.total else [])) if column < len(row)]
    longest_cell = max((len(c) for c in cells), default=1)
    longest_word = max((len(w) for w in table.headings[column].split()), default=1)
    return float(min(32 * mm, max(longest_cell * 1.45, longest_word * 1.6) * mm + 4.5 * mm))


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
    styles = {"head": "cell_head", "body": "cell", "total": "cell_bold"}
    rows, extra = rows_with_total(table.headings, table.rows, table.total, table.numeric,
                                  lambda text, kind, num: _p(text, styles[kind] + ("_right" if num else "")))
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


class _Page:
    """The frames of the story, the folders of the pictures and the orientation of the current page."""

    def __init__(self, out_dir: Path, jpegs: Path, frame_w: float, frame_h: float, wide_w: float) -> None:
        self.out_dir = out_dir
        self.jpegs = jpegs
        self.frame_w = frame_w
        self.frame_h = frame_h
        self.wide_w = wide_w
        self.landscape = False
        #: height (pt) that a chapter's heading and intro take above the first block of its first subsection:
        #: a map there shrinks by it, if it stays large, so the chapter page is not left with its intro alone
        self.reserve = 0.0

    @property
    def width(self) -> float:
        return self.wide_w if self.landscape else self.frame_w


def _figure(fig: MapFigure, t: dict[str, str], page: _Page, heading: list[Flowable]) -> list[Flowable]:
    """A map or a product-drawn figure with its caption, kept with the heading before it."""
    label = t["figure.label"] if fig.drawn else t["map.figure"]
    # full text width keeps the legend legible in print (about 7 pt): one map per page
    full = page.frame_h - 45 * mm
    room = full - page.reserve
    img = _image(page.out_dir / fig.file, page.width, room if room >= MIN_MAP_SHARE * full else full, page.jpegs)
    caption = Paragraph(
        f"<b>{escape(label.format(n=fig.number))}. {escape(fig.title)}.</b> "
        f"{escape(fig.description)}", _styles()["caption"])
    return [KeepTogether([*heading, img, caption])]


def _inputs(block: InputTable, page: _Page) -> list[Flowable]:
    rows: list[list[Any]] = [[_p(h, "cell_head") for h in block.headings]]
    rows += [[_p(name, "cell"), _p(file, "cell"), _p(use, "cell"), _p(what, "cell")]
             for name, file, use, what, _set in block.rows]
    return [_table(rows, [24 * mm, 48 * mm, 30 * mm, page.width - 102 * mm])]


def _matrix(block: Matrix, page: _Page) -> list[Flowable]:
    """The analysewijzer: a band per layer, absent elements grey."""
    first = 42 * mm
    other = (page.width - first) / max(1, len(block.goals))
    head = [_p(block.element_heading, "cell_head")] + [_p(g, "cell_head") for g in block.goals]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    layer = None
    for row in block.rows:
        if row.layer != layer:
            layer = row.layer
            rows.append([_p(layer, "group")] + [""] * len(block.goals))
            r = len(rows) - 1
            extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), BAND),
                      ("NOSPLIT", (0, r), (-1, r + 1))]
        style = "cell_small" if row.present else "cell_absent"
        label = f"<b>{escape(row.label)}</b>"
        if row.note:
            label += f"<br/><i>{escape(row.note)}</i>"
        rows.append([Paragraph(label, _styles()[style])] + [_p(cell or "–", style) for cell in row.cells])
    return [_table(rows, [first] + [other] * len(block.goals), extra=extra)]


def _classes(block: ClassTable, heading: list[Flowable]) -> list[Flowable]:
    """Area and share per class with its colour; the heading, intro and the short table stay on one page."""
    rows: list[list[Any]] = [[_p(block.headings[0], "cell_head"), _p(block.headings[1], "cell_head"),
                              _p(block.headings[2], "cell_head")]]
    for color, label, area, share in block.rows:
        rows.append([Paragraph(f'<font color="{color}">■</font>  {escape(label)}', _styles()["cell"]),
                     _p(area, "cell_right"), _p(share, "cell_right")])
    rows.append([_p(block.total[0], "cell"), _p(block.total[1], "cell_right"), _p(block.total[2], "cell_right")])
    extra: list[tuple[Any, ...]] = [("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black)]
    return [KeepTogether([*heading, _table(rows, [90 * mm, 35 * mm, 25 * mm], extra=extra)])]


def _carriers(block: CarrierTable, page: _Page) -> list[Flowable]:
    rows: list[list[Any]] = [[_p(h, "cell_head") for h in block.headings]]
    rows += [[_p(kind, "cell"), _p(name, "cell"), _p(area, "cell_right"), _p(desc, "cell_small")]
             for kind, name, area, desc in block.rows]
    out: list[Flowable] = [_table(rows, [35 * mm, 40 * mm, 22 * mm, page.width - 97 * mm])]
    if block.more:
        out.append(_p(f"… {block.more}", "muted"))
    return out


def _counts(block: CountTable, page: _Page) -> list[Flowable]:
    """Affected buildings and roads per neighbourhood in one pluvial case, with the total."""
    rows: list[list[Any]] = [[_p(h, "cell_head") for h in block.headings]]
    rows += [[_p(name, "cell"), *(_p(v, "cell_right") for v in values)] for name, *values in block.rows]
    rows.append([_p(block.total[0], "cell"), *(_p(v, "cell_right") for v in block.total[1:])])
    first = page.width - 4 * 28 * mm
    return [KeepTogether([
        _p(block.title, "h3"),
        _table(rows, [first] + [28 * mm] * 4, extra=[("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black)]),
    ])]


def _provenance(block: ProvenanceList, page: _Page) -> list[Flowable]:
    out: list[Flowable] = []
    for prov in block.blocks:
        title = prov.name + (f" – {prov.title}" if prov.title else "")
        # one table row per line: a row cannot break across pages, a long list of sources must
        rows: list[list[Any]] = []
        extra: list[tuple[Any, ...]] = [("TEXTCOLOR", (0, 0), (0, -1), MUTED)]
        for label, value in prov.rows:
            lines = value.split("\n") or [""]
            first = len(rows)
            rows += [[_p(label if i == 0 else "", "cell"), _p(line, "cell_small")] for i, line in enumerate(lines)]
            if len(lines) > 1:  # lines of one field: no rule between them, tight
                extra += [("LINEBELOW", (0, first), (-1, len(rows) - 2), 0.6, colors.white),
                          ("TOPPADDING", (0, first + 1), (-1, len(rows) - 1), 0.5),
                          ("BOTTOMPADDING", (0, first), (-1, len(rows) - 2), 0.5)]
        table = _table(rows, [38 * mm, page.width - 38 * mm], header=False, extra=extra, long=True)
        if len(rows) <= SHORT_TABLE_ROWS:
            out.append(KeepTogether([_p(title, "h3"), table]))
        else:
            out += [CondPageBreak(50 * mm), _p(title, "h3"), table]
    return out


def _sources(block: SourceList) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(40 * mm), _p(block.heading, "h3"), _p(block.intro)]
    for name, items in block.files:
        out.append(_p(name, "table_title"))
        out += [_p(f"• {item}", "source") for item in items]
    return out


def _block(block: Block, t: dict[str, str], page: _Page, heading: list[Flowable]) -> list[Flowable]:
    """The flowables of one block; figures and short tables keep the heading (and intro) before them."""
    if not isinstance(block, Section):  # the chapter's room is for the first block below it, whatever it is
        reserve, page.reserve = page.reserve, 0.0
    match block:
        case MapFigure():
            page.reserve = reserve
            flowables = _figure(block, t, page, heading)
            page.reserve = 0.0
            return flowables
        case TableView():
            return _generic_table(block, t, page.width, heading)
        case ClassTable():
            return _classes(block, heading)
        case Section():
            # what the chapter's heading and intro take on its page, for the subsection's first map
            page.reserve = sum(f.wrap(page.width, page.frame_h)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                               for f in heading)
            return [*heading, *_section(block, t, page)]
        case InputTable():
            return [*heading, *_inputs(block, page)]
        case Matrix():
            return [*heading, *_matrix(block, page)]
        case ImageBlock():
            return [*heading, _image(page.out_dir / block.file, page.width, page.frame_h - 30 * mm, page.jpegs)]
        case CarrierTable():
            return [*heading, *_carriers(block, page)]
        case CountTable():
            return [*heading, *_counts(block, page)]
        case ProvenanceList():
            return [*heading, *_provenance(block, page)]
        case SourceList():
            return [*heading, *_sources(block)]
        case Link():
            link = Paragraph(f'<a href="{escape(block.file)}" color="#2f6b3a"><u>{escape(block.text)}</u></a> '
                             f'({escape(block.file)})', _styles()["body"])
            return [*heading, link]
    raise TypeError(f"no PDF layout for {type(block).__name__}")


def _page_start(section: Section, page: _Page) -> list[Flowable]:
    """Where a chapter starts: a new page when it asks for one or when the orientation changes."""
    if section.level > 1:
        return []
    landscape = section.page == "landscape"
    if landscape != page.landscape:
        page.landscape = landscape
        return [NextPageTemplate("landscape" if landscape else "portrait"), PageBreak()]
    return [PageBreak()] if section.page == "new" else []


def _section(section: Section, t: dict[str, str], page: _Page) -> list[Flowable]:
    """A chapter (h1) or subsection (h2) with its blocks in order."""
    out = _page_start(section, page)
    title = f"{section.number}  {section.heading}" if section.number else section.heading
    # the heading and the paragraphs under it wait for the first block, which may keep them on its page
    pending: list[Flowable] = [_p(title, "h1" if section.level == 1 else "h2")]
    for block in section.blocks:
        if isinstance(block, ParagraphBlock):
            pending.append(_p(block.text, "muted" if block.missing else "body"))
            continue
        out += _block(block, t, page, pending)
        pending = []
    return out + pending


def _front(view: ReportView, page: _Page) -> list[Flowable]:
    """The title page and the table of contents."""
    t = view.t
    s: list[Flowable] = [Spacer(1, 40 * mm), _p(t["title"].upper(), "kicker"), _p(view.facts[0][1], "title"),
                         _p(t["subtitle"], "subtitle")]
    facts = [[_p(label, "cell"), _p(value, "cell")] for label, value in view.facts[1:]]
    s.append(_table(facts, [45 * mm, page.frame_w - 45 * mm], header=False,
                    extra=[("TEXTCOLOR", (0, 0), (0, -1), MUTED), ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE)]))
    s.append(PageBreak())
    toc = TableOfContents()
    toc.levelStyles = [_styles()["toc1"], _styles()["toc2"]]
    toc.dotsMinLevel = 0
    return [*s, _p(t["toc"], "h3"), toc, PageBreak()]


def _story(view: ReportView, page: _Page) -> list[Flowable]:
    story = _front(view, page)
    for section in view.sections:
        story += _section(section, view.t, page)
    return story


def write_pdf(view: ReportView, out_dir: Path) -> Path:
    """Write ``report.pdf`` into ``out_dir`` (maps must already be rendered there)."""
    target = out_dir / PDF_FILE
    # binary image streams: ASCII85 in pure Python costs seconds per map and adds 25 % size
    a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        _build(view, out_dir, target)
    finally:
        rl_config.useA85 = a85
    return target


def _build(view: ReportView, out_dir: Path, target: Path) -> None:
    with atomic_file(target) as tmp:
        doc = _Doc(str(tmp), footer=f"{view.name} · {view.t['title']}", page_label=view.t["pdf.page"],
                   title=f"{view.t['title']} – {view.name}", author="alliantie",
                   subject=view.t["subtitle"], lang=view.language,
                   # reportlab's invariant mode: no creation date, a document id from the content, not the time
                   invariant=1)
        portrait = doc.pageTemplates[0].frames[0]
        wide = doc.pageTemplates[1].frames[0]
        with tempfile.TemporaryDirectory(prefix="alliantie-pdf-") as jpegs:
            page = _Page(out_dir=out_dir, jpegs=Path(jpegs), frame_w=portrait._aW, frame_h=portrait._aH,
                         wide_w=wide._aW)
            doc.multiBuild(_story(view, page))
