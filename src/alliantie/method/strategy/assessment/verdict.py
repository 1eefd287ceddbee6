"""The one-page verdict of the afwegingskader, in Dutch or English: ``verdict.html`` and ``verdict.pdf``.

Per initiative its overall status, the figures it gave, and per rule the status, the value against the
threshold and the reason; at the foot the adopted rules with their scope and source. The PDF is one A4 page
(reportlab, the house kit of :mod:`alliantie.typeset`; its content shrinks to fit, like the stresstest-light's
page) in reportlab's invariant mode, so the same verdict gives the same bytes. :func:`write_verdict` renders
all three files before it writes any, each atomically.
"""

from __future__ import annotations

import io
from html import escape
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, KeepInFrame, PageTemplate, Paragraph, Spacer
from reportlab.platypus.doctemplate import BaseDocTemplate

from alliantie import __version__
from alliantie.contract.assessment import ASSESSMENT_FILE, AssessmentFile, InitiativeResult, RuleInfo, Status
from alliantie.i18n import translate
from alliantie.io.atomic import atomic_file
from alliantie.method.strategy.assessment.rules import display, number
from alliantie.typeset.fonts import FONT, FONT_BOLD
from alliantie.typeset.styles import ACCENT, MUTED, paragraph_style
from alliantie.typeset.tables import banded_table

HTML_FILE = "verdict.html"
PDF_FILE = "verdict.pdf"
#: Status colours (the stresstest-light's traffic lights: green, amber, red).
STATUS_COLORS: dict[Status, str] = {"pass": "#2e9e44", "maatwerk": "#f0a202", "fail": "#d7301f"}


def _t(key: str, language: str, **params: Any) -> str:
    return translate(key, language, **params)


def _source_name(data: AssessmentFile) -> str:
    return Path(data.source).name or data.source


def _given(initiative: InitiativeResult, language: str) -> str:
    items = []
    for name, value in initiative.attributes.items():
        if value is None:
            continue
        items.append(f"{name} = {number(value, language) if isinstance(value, float) else value}")
    if not items:
        return _t("assessment.page.none_given", language)
    return _t("assessment.page.attributes", language, items=", ".join(items))


def _rule_names(data: AssessmentFile, language: str) -> dict[str, str]:
    return {r.id: r.name.get(language) for r in data.rules}


def _scope(rule: RuleInfo, language: str) -> str:
    return _t(f"assessment.page.scope_{rule.scope}", language)


# --- HTML -----------------------------------------------------------------------------------------------------------

_CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 13px; color: #222; max-width: 60rem;
       margin: 1.5rem auto; padding: 0 1rem; }
h1 { color: #2f6b3a; font-size: 1.5rem; margin-bottom: 0.3rem; }
h2 { color: #2f6b3a; font-size: 1.1rem; margin: 1.4rem 0 0.3rem; }
p.muted, td.muted { color: #5b6770; }
table { border-collapse: collapse; width: 100%; margin: 0.3rem 0; }
th { text-align: left; border-bottom: 1.5px solid #5b6770; padding: 3px 5px; }
td { padding: 3px 5px; vertical-align: top; }
tr:nth-child(even) td { background: #f3f6f3; }
.status { color: white; font-weight: bold; padding: 1px 6px; border-radius: 3px; white-space: nowrap; }
footer { color: #5b6770; font-size: 11px; margin-top: 1.5rem; }
"""


def _badge(status: Status, language: str) -> str:
    return (f'<span class="status" style="background:{STATUS_COLORS[status]}">'
            f'{escape(_t(f"assessment.status.{status}", language))}</span>')


def verdict_html(data: AssessmentFile, language: str) -> str:
    """The verdict as one self-contained HTML page in ``language``."""
    names = _rule_names(data, language)
    themes = {r.id: _t(f"assessment.theme.{r.theme}", language) for r in data.rules}
    parts = [f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
             f"<title>{escape(_t('assessment.page.title', language, source=_source_name(data)))}</title>\n"
             f"<style>{_CSS}</style>\n</head>\n<body>\n",
             f"<h1>{escape(_t('assessment.page.title', language, source=_source_name(data)))}</h1>\n",
             f"<p class=\"muted\">{escape(_t('assessment.page.intro', language, dossier=data.dossier))}</p>\n"]
    for initiative in data.initiatives:
        area = number(initiative.area_m2 / 10_000.0, language, 2)
        heading = escape(_t("assessment.page.initiative", language, name=initiative.name, area=area, status=""))
        parts.append(f"<h2>{heading.rstrip()} {_badge(initiative.status, language)}</h2>\n")
        parts.append(f"<p class=\"muted\">{escape(_given(initiative, language))}</p>\n<table>\n<tr>")
        for key in ("theme", "rule", "status", "reason"):
            parts.append(f"<th>{escape(_t(f'assessment.page.{key}', language))}</th>")
        parts.append("</tr>\n")
        for result in initiative.rules:
            parts.append(f"<tr><td>{escape(themes.get(result.id, result.theme))}</td>"
                         f"<td>{escape(names.get(result.id, result.id))}</td>"
                         f"<td>{_badge(result.status, language)}</td>"
                         f"<td>{escape(result.reason.get(language))}</td></tr>\n")
        parts.append("</table>\n")
    parts.append(f"<h2>{escape(_t('assessment.page.rules_heading', language))}</h2>\n<table>\n<tr>"
                 f"<th>{escape(_t('assessment.page.rule', language))}</th>"
                 f"<th>{escape(_t('assessment.page.threshold', language))}</th><th></th></tr>\n")
    for rule in data.rules:
        comparison = "≥" if rule.comparison == "at_least" else "≤"
        parts.append(f"<tr><td>{escape(rule.name.get(language))} ({escape(_scope(rule, language))})</td>"
                     f"<td>{comparison} {escape(display(rule.unit, rule.threshold, language))}"
                     f"<br><span class=\"muted\">{escape(rule.unit)}</span></td>"
                     f"<td class=\"muted\">{escape(rule.source)}</td></tr>\n")
    parts.append(f"</table>\n<footer>{escape(_t('assessment.page.footer', language, version=__version__))}"
                 "</footer>\n</body>\n</html>\n")
    return "".join(parts)


# --- PDF ------------------------------------------------------------------------------------------------------------

def verdict_pdf(data: AssessmentFile, language: str) -> bytes:
    """The verdict as a one-page A4 PDF in ``language``: the largest type size (down to half) at which it fits."""
    width, height = A4
    margin = 12 * mm
    frame_w = width - 2 * margin
    frame_h = height - 2 * margin - 3 * mm
    names = _rule_names(data, language)

    def fits(size: float) -> tuple[bool, list[Flowable]]:
        story = _story(data, language, names, frame_w, size)
        fitted = KeepInFrame(frame_w, frame_h, story, mode="shrink")
        fitted.wrapOn(Canvas(io.BytesIO()), frame_w, frame_h)
        # reportlab's factor by which the content is too big (absent when it fits)
        return float(getattr(fitted, "_scale", 1.0)) <= 1.001, story

    # smaller type rather than KeepInFrame's shrinking, which lays the text out wider than the tables:
    # the largest size from half to full that fits, by bisection
    ok, story = fits(1.0)
    if not ok:
        low, high = 0.5, 1.0
        ok, story = fits(low)
        for _ in range(5):
            middle = (low + high) / 2
            middle_ok, middle_story = fits(middle)
            if middle_ok:
                low, story = middle, middle_story
            else:
                high = middle
    footer = _t("assessment.page.footer", language, version=__version__)

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6)
        canvas.setFillColor(MUTED)
        canvas.drawString(margin, 6 * mm, footer)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                          bottomMargin=margin, title=_t("assessment.page.title", language, source=_source_name(data)),
                          author="alliantie", invariant=1)
    doc.addPageTemplates([PageTemplate(id="page", frames=[
        Frame(margin, margin + 3 * mm, frame_w, frame_h, 0, 0, 0, 0, id="f")], onPage=on_page)])
    doc.build([KeepInFrame(frame_w, frame_h, story, mode="shrink")])
    return buffer.getvalue()


def _story(data: AssessmentFile, language: str, names: dict[str, str], frame_w: float, size: float
           ) -> list[Flowable]:
    """The page's content with type ``size`` times the house sizes."""
    base = paragraph_style("b", size=8.2 * size, leading=10.0 * size)
    small = ParagraphStyle("s", parent=base, fontSize=7.4 * size, leading=9.0 * size)
    tiny = ParagraphStyle("ti", parent=base, fontSize=6.2 * size, leading=7.6 * size, textColor=MUTED)
    bold = ParagraphStyle("bb", parent=small, fontName=FONT_BOLD)
    white = ParagraphStyle("w", parent=bold, textColor=colors.white)
    head = paragraph_style("h", parent=base, size=11 * size, leading=14 * size, bold=True, spaceBefore=5 * size,
                           spaceAfter=2 * size, textColor=ACCENT)
    title = paragraph_style("t", parent=base, size=16 * size, leading=19 * size, bold=True, textColor=ACCENT)

    def p(text: str, style: ParagraphStyle = small) -> Paragraph:
        return Paragraph(xml_escape(text), style)

    def badge(status: Status) -> Paragraph:
        return Paragraph(xml_escape(_t(f"assessment.status.{status}", language)), white)

    story: list[Flowable] = [p(_t("assessment.page.title", language, source=_source_name(data)), title),
                             Spacer(1, 2), p(_t("assessment.page.intro", language, dossier=data.dossier), base)]
    # widths as shares of the frame: the content shrinks to fit the page as a whole (KeepInFrame lays it out
    # wider, then scales it), and a share keeps the tables as wide as the text
    widths = [0.14 * frame_w, 0.26 * frame_w, 0.11 * frame_w, 0.49 * frame_w]
    for initiative in data.initiatives:
        area = number(initiative.area_m2 / 10_000.0, language, 2)
        status = _t(f"assessment.status.{initiative.status}", language)
        story.append(p(_t("assessment.page.initiative", language, name=initiative.name, area=area, status=status),
                       ParagraphStyle("hs", parent=head, textColor=colors.HexColor(STATUS_COLORS[initiative.status]))))
        story.append(p(_given(initiative, language), tiny))
        rows: list[list[Any]] = [[p(_t(f"assessment.page.{k}", language), bold)
                                  for k in ("theme", "rule", "status", "reason")]]
        style: list[tuple[Any, ...]] = []
        for i, result in enumerate(initiative.rules, start=1):
            rows.append([p(_t(f"assessment.theme.{result.theme}", language)), p(names.get(result.id, result.id)),
                         badge(result.status), p(result.reason.get(language))])
            style.append(("BACKGROUND", (2, i), (2, i), colors.HexColor(STATUS_COLORS[result.status])))
        table = banded_table(rows, widths, style)
        table.hAlign = "LEFT"
        story.append(table)
    story.append(p(_t("assessment.page.rules_heading", language), head))
    rule_rows: list[list[Any]] = [[p(_t("assessment.page.rule", language), bold),
                                   p(_t("assessment.page.threshold", language), bold), p("", bold)]]
    for rule in data.rules:
        comparison = "≥" if rule.comparison == "at_least" else "≤"
        threshold = p(f"{comparison} {display(rule.unit, rule.threshold, language)}", small)
        rule_rows.append([p(f"{rule.name.get(language)} ({_scope(rule, language)})", tiny),
                          [threshold, p(rule.unit, tiny)],
                          p(rule.source, tiny)])
    sources = banded_table(rule_rows, [0.22 * frame_w, 0.23 * frame_w, 0.55 * frame_w])
    sources.hAlign = "LEFT"
    story.append(sources)
    return story


def write_verdict(out: Path, data: AssessmentFile, language: str) -> Path:
    """Write ``assessment.json``, ``verdict.html`` and ``verdict.pdf`` into ``out``: all rendered first, then each
    file atomically (an error while rendering leaves ``out`` as it was)."""
    payloads: dict[str, bytes] = {
        ASSESSMENT_FILE: (data.model_dump_json(indent=1) + "\n").encode("utf-8"),
        HTML_FILE: verdict_html(data, language).encode("utf-8"),
        PDF_FILE: verdict_pdf(data, language),
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, payload in payloads.items():
        with atomic_file(out / name) as tmp:
            tmp.write_bytes(payload)
    return out


__all__ = ["HTML_FILE", "PDF_FILE", "STATUS_COLORS", "verdict_html", "verdict_pdf", "write_verdict"]
