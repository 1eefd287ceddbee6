"""The strategy document as an A4 PDF (reportlab, the house fonts and tables of :mod:`alliantie.typeset`).

Title lines, a list of contents, the three chapters each on a new page; tables run over pages with their header
repeated; what is missing is set in grey italics with an orange rule. Written in reportlab's invariant mode, so
two runs give the same file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from alliantie.contract.strategy_document import DOCUMENT_PDF
from alliantie.io.atomic import atomic_file
from alliantie.method.strategy.document.model import Block, Bullets, Document, Para, Table
from alliantie.typeset.fonts import FONT
from alliantie.typeset.styles import ACCENT, LINE, MUTED, paragraph_style
from alliantie.typeset.tables import rows_with_total, ruled_table

PDF_FILE = DOCUMENT_PDF
MARGIN = 18 * mm
FOOTER = 10 * mm
#: the orange of the "moderate" severity class: the rule beside a missing part
MISSING_RULE = colors.HexColor("#fe9929")


@cache
def _styles() -> dict[str, ParagraphStyle]:
    body = paragraph_style("sd_body", size=9.5, leading=13.5, spaceAfter=5)
    return {
        "body": body,
        "kicker": paragraph_style("sd_kicker", size=11, leading=14, bold=True, parent=body, textColor=ACCENT),
        "title": paragraph_style("sd_title", size=24, leading=29, bold=True, parent=body, spaceAfter=6),
        "subtitle": paragraph_style("sd_subtitle", size=12.5, leading=16, parent=body, textColor=MUTED,
                                    spaceAfter=14),
        "h1": paragraph_style("sd_h1", size=16, leading=20, bold=True, parent=body, spaceAfter=8, keepWithNext=1),
        "h2": paragraph_style("sd_h2", size=11.5, leading=15, bold=True, parent=body, textColor=ACCENT,
                              spaceBefore=9, spaceAfter=4, keepWithNext=1),
        "missing": paragraph_style("sd_missing", size=9, leading=12.5, italic=True, parent=body, textColor=MUTED,
                                   leftIndent=7),
        "cell": paragraph_style("sd_cell", size=7.8, leading=9.8, parent=body, spaceAfter=0),
        "cell_right": paragraph_style("sd_cell_right", size=7.8, leading=9.8, parent=body, spaceAfter=0,
                                      alignment=TA_RIGHT),
        "head": paragraph_style("sd_head", size=7.8, leading=9.8, bold=True, parent=body, spaceAfter=0,
                                textColor=colors.white),
        "head_right": paragraph_style("sd_head_right", size=7.8, leading=9.8, bold=True, parent=body, spaceAfter=0,
                                      textColor=colors.white, alignment=TA_RIGHT),
        "bold": paragraph_style("sd_bold", size=7.8, leading=9.8, bold=True, parent=body, spaceAfter=0),
        "bold_right": paragraph_style("sd_bold_right", size=7.8, leading=9.8, bold=True, parent=body, spaceAfter=0,
                                      alignment=TA_RIGHT),
        "toc": paragraph_style("sd_toc", size=10, leading=15, parent=body),
        "toc2": paragraph_style("sd_toc2", size=9, leading=13, parent=body, leftIndent=14, textColor=MUTED),
    }


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), _styles()[style])


class _Missing(Flowable):
    """A paragraph of what is missing, with an orange rule on its left."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.para = _p(text, "missing")

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.para.wrap(available_width, available_height)
        return self.width, self.height + 4

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(MISSING_RULE)
        canvas.setLineWidth(2)
        canvas.line(1, 2, 1, self.height + 2)
        canvas.restoreState()
        self.para.drawOn(canvas, 0, 4)


#: about the width of one character of the table font (7.8 pt DejaVu Sans), and a cell's padding
CHAR_W = 1.5 * mm
PAD_W = 4.5 * mm


def _longest_word(cells: list[str]) -> int:
    return max((len(w) for c in cells for w in c.split()), default=4)


def _widths(table: Table, width: float) -> list[float]:
    """Numbers get a column as wide as their longest cell; text columns at least their longest word, then a share
    of the rest by their mean length."""
    total = table.total or []
    columns = [[r[j] for r in table.rows] + total[j:j + 1] for j in range(len(table.numeric))]
    widths: list[float] = []
    for j, is_num in enumerate(table.numeric):
        if is_num:
            # bold totals and headings are wider than the body: a tenth more per character
            longest = max([len(c) for c in columns[j]] + [round(1.15 * _longest_word([table.headings[j]]))])
            widths.append(min(30 * mm, max(12 * mm, longest * CHAR_W * 1.1 + PAD_W)))
        else:
            longest = max(_longest_word(columns[j]), round(1.15 * _longest_word([table.headings[j]])))
            widths.append(min(32 * mm, longest * CHAR_W * 1.1 + PAD_W))
    text = [j for j, is_num in enumerate(table.numeric) if not is_num]
    spare = width - sum(widths)
    if spare < 0:  # too many columns: shrink all in proportion
        return [w * width / sum(widths) for w in widths]
    weights = [min(60.0, max(4.0, sum(len(c) for c in columns[j]) / max(1, len(columns[j])))) for j in text]
    for j, weight in zip(text, weights, strict=True):
        widths[j] += spare * weight / sum(weights)
    if not text:
        widths = [w + spare / len(widths) for w in widths]
    return widths


def _table(table: Table, width: float) -> Flowable:
    styles = {"head": "head", "body": "cell", "total": "bold"}
    rows, extra = rows_with_total(table.headings, table.rows, table.total, table.numeric,
                                  lambda text, kind, num: _p(text, styles[kind] + ("_right" if num else "")))
    return ruled_table(rows, _widths(table, width), extra=extra, long=True)


def _block(block: Block, width: float) -> list[Flowable]:
    if isinstance(block, Para):
        return [_Missing(block.text)] if block.missing else [_p(block.text)]
    if isinstance(block, Bullets):
        items = [ListItem(_p(item), leftIndent=12, value="•") for item in block.items]
        return [ListFlowable(items, bulletType="bullet", start="•", leftIndent=12, bulletFontName=FONT,
                             bulletFontSize=8), Spacer(1, 3)]
    return [_table(block, width), Spacer(1, 4 * mm)]


class _Doc(BaseDocTemplate):
    def __init__(self, filename: str, footer: str, **kwargs: Any) -> None:
        super().__init__(filename, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN + FOOTER, **kwargs)
        self.footer = footer
        width, height = A4
        frame = Frame(MARGIN, MARGIN + FOOTER, width - 2 * MARGIN, height - 2 * MARGIN - FOOTER, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])

    def _footer(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width = canvas._pagesize[0]
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, MARGIN + 4 * mm, width - MARGIN, MARGIN + 4 * mm)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN, self.footer)
        canvas.drawRightString(width - MARGIN, MARGIN, str(doc.page))
        canvas.restoreState()


def _story(doc: Document, width: float) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 20 * mm), _p(doc.title.upper(), "kicker"), _p(doc.name, "title"),
                             _p(doc.subtitle, "subtitle")]
    facts = [[_p(label, "cell"), _p(value, "cell")] for label, value in doc.facts]
    story += [ruled_table(facts, [40 * mm, width - 40 * mm], header=False,
                          extra=[("TEXTCOLOR", (0, 0), (0, -1), MUTED)]), Spacer(1, 10 * mm)]
    for chapter in doc.chapters:
        story.append(_p(f"{chapter.number}  {chapter.heading}", "toc"))
        story += [_p(f"{chapter.number}.{i}  {p.heading}", "toc2") for i, p in enumerate(chapter.parts, start=1)]
    for chapter in doc.chapters:
        story += [PageBreak(), _p(f"{chapter.number}  {chapter.heading}", "h1"), _p(chapter.intro)]
        for i, part in enumerate(chapter.parts, start=1):
            flowables = [f for b in part.blocks for f in _block(b, width)]
            heading = _p(f"{chapter.number}.{i}  {part.heading}", "h2")
            if flowables and not isinstance(part.blocks[0], Table):
                story += [CondPageBreak(30 * mm), KeepTogether([heading, flowables[0]]), *flowables[1:]]
            else:
                story += [CondPageBreak(45 * mm), heading, *flowables]
    return story


def write_pdf(doc: Document, target: Path) -> Path:
    """Write ``doc`` as an A4 PDF at ``target`` (atomically)."""
    with atomic_file(target) as tmp:
        pdf = _Doc(str(tmp), footer=f"{doc.name} · {doc.title}", title=f"{doc.title} – {doc.name}",
                   author="alliantie", subject=doc.subtitle, lang=doc.language, invariant=1)
        pdf.build(_story(doc, pdf.width))
    return target
