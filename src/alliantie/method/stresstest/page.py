"""The stresstest-light as one A4 page (``stresstest.pdf``, reportlab) with a small map drawn by matplotlib.

The page holds: the title and what the stresstest-light is; per theme the
traffic light, the key number today and in the reference scenario, the share
of the area with moderate or high severity, the focus areas and the sentence on
a detailed stress test; the counts per neighbourhood; a map of the highest
severity with the neighbourhoods that need a detailed stress test; the damage
range (when ``urgency.damage`` was computed) and the data and assumptions. All
content sits in one frame that shrinks to fit, so the page is always one page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import geopandas as gpd
import numpy as np
import rasterio
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Frame,
    Image,
    KeepInFrame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate

from alliantie import __version__
from alliantie.contract.names import THEMES
from alliantie.contract.stresstest import PDF_FILE
from alliantie.contract.theme import SEVERITY_COLORS, SEVERITY_NODATA
from alliantie.dossier.registry import ProductContext
from alliantie.i18n import has_key, translate
from alliantie.io.atomic import atomic_file
from alliantie.method.stresstest.damage_ranges import DamageSummary
from alliantie.method.stresstest.outputs import COUNT_COLUMNS, COUNT_UNITS, FOCUS_COLORS, SEVERITY_FILE, count_rows
from alliantie.method.stresstest.rules import LIGHT_COLORS, NOT_ASSESSED_COLOR
from alliantie.method.stresstest.verdict import (
    Stresstest,
    format_money,
    format_number,
    format_span,
    indicator_label,
    light_text,
    reference_note,
    scenario_label,
    sentence,
    themes_needing_detail,
)
from alliantie.typeset.fonts import FONT, FONT_BOLD
from alliantie.typeset.styles import ACCENT, MUTED, paragraph_style
from alliantie.typeset.tables import banded_table

MAP_FILE = "page_map.png"


def draw_map(result: Stresstest, severity: np.ndarray, extent: tuple[float, float, float, float],
             neighbourhoods: gpd.GeoDataFrame | None, path: Path, language: str) -> Path:
    """A compact map (PNG): highest severity, neighbourhood outlines, focus neighbourhoods shaded and named."""
    colours = ["#ffffff", SEVERITY_COLORS[1], SEVERITY_COLORS[2], SEVERITY_COLORS[3]]
    data = np.ma.masked_equal(severity, SEVERITY_NODATA)
    xmin, ymin, xmax, ymax = extent
    width_in = 3.5
    height_in = min(4.2, width_in * (ymax - ymin) / (xmax - xmin) + 0.9)
    fig = Figure(figsize=(width_in, height_in), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.12, 0.98, 0.87))
    ax.imshow(data, cmap=ListedColormap(colours), vmin=-0.5, vmax=3.5, extent=(xmin, xmax, ymin, ymax),
              interpolation="nearest")
    handles = [Patch(facecolor=SEVERITY_COLORS[k], label=translate(f"trend.classes.{k}", language))
               for k in (1, 2, 3)]
    if neighbourhoods is not None and len(neighbourhoods):
        counts = themes_needing_detail(result)
        names = [n for _, n in result.neighbourhoods]
        frame = neighbourhoods.copy()
        frame["_themes"] = [counts.get(n, 0) for n in names]
        frame.boundary.plot(ax=ax, color="#333333", linewidth=0.4)
        shown: set[int] = set()
        for k, color in FOCUS_COLORS.items():
            part = frame[np.minimum(frame["_themes"], 4) == k]
            if len(part):
                part.plot(ax=ax, facecolor="none", edgecolor=color, linewidth=1.6, hatch="////")
                shown.add(k)
        for (_, row), name in zip(frame.iterrows(), names, strict=True):
            if row["_themes"] > 0:
                point = row.geometry.representative_point()
                ax.annotate(name, (point.x, point.y), fontsize=4.5, ha="center", va="center",
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
        handles += [Patch(facecolor="white", edgecolor=FOCUS_COLORS[k], hatch="////",
                          label=translate("stresstest.maps.focus.themes", language, count=k)) for k in sorted(shown)]
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2, fontsize=5.5, frameon=False,
              handlelength=1.4)
    fig.set_facecolor("white")
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    canvas.draw()
    with atomic_file(path) as tmp:
        fig.savefig(tmp, format="png", dpi=200, facecolor="white", bbox_inches="tight", pad_inches=0.03)
    return path


def build_pdf(result: Stresstest, map_png: Path | None, target: Path, language: str) -> Path:
    """Write the one-page PDF of ``result`` in ``language``."""
    t = lambda key, **kw: translate(key, language, **kw)  # noqa: E731
    base = paragraph_style("b", size=7.2, leading=8.8)
    small = ParagraphStyle("s", parent=base, fontSize=6.4, leading=7.8)
    head = paragraph_style("h", parent=base, size=9.5, leading=12, bold=True, spaceBefore=4, spaceAfter=2,
                           textColor=ACCENT)
    title = paragraph_style("t", parent=base, size=15, leading=18, bold=True, textColor=ACCENT)
    bold = ParagraphStyle("bb", parent=small, fontName=FONT_BOLD)

    def p(text: str, style: ParagraphStyle = small) -> Paragraph:
        return Paragraph(escape(text), style)

    width, height = A4
    margin = 11 * mm
    frame_w = width - 2 * margin
    story: list[Flowable] = [p(t("stresstest.page.title", name=result.name), title), Spacer(1, 2),
                        p(t("stresstest.page.intro"), base)]

    # per theme
    story.append(p(t("stresstest.page.themes_heading"), head))
    header = [p(t(f"stresstest.columns.{k}"), bold) for k in ("theme", "light")] + [
        p(f"{t('stresstest.columns.key')}: {t('stresstest.columns.today').lower()} → "
          f"{t('stresstest.columns.reference').lower()}", bold),
        p(t("stresstest.columns.share"), bold), p(t("stresstest.columns.focus"), bold),
        p(t("stresstest.columns.detail"), bold)]
    rows: list[list[Any]] = [header]
    style: list[tuple[Any, ...]] = []
    for i, theme in enumerate(THEMES, start=1):
        a = result.assessments[theme]
        key = ""
        if a.assessed:
            label = indicator_label(a.indicator, language, result.data.get(theme))
            key = (f"{format_number(a.key_current, 0, language)} → {format_number(a.key_reference, 0, language)}"
                   f" ({scenario_label(a.scenario, language)}) {label}")
        share = "–" if a.share is None else f"{format_number(100 * a.share, 1, language)} %"
        focus = ", ".join(f"{f.name} ({format_number(f.value, 0, language)})" for f in a.focus) or "–"
        rows.append([p(t(f"report.themes.{theme}"), bold), p(light_text(a).get(language), bold), p(key),
                     p(share if a.assessed else "–"), p(focus if a.assessed else "–"),
                     p(sentence(a, language, result.data.get(theme)))])
        color = NOT_ASSESSED_COLOR if a.light is None else LIGHT_COLORS[a.light]
        style.append(("BACKGROUND", (1, i), (1, i), colors.HexColor(color)))
    widths = [22 * mm, 16 * mm, 38 * mm, 19 * mm, 32 * mm]
    widths.append(frame_w - sum(widths))
    story.append(banded_table(rows, widths, style))

    # per neighbourhood
    if result.neighbourhoods:
        story.append(p(t("stresstest.page.counts_heading"), head))
        values, total = count_rows(result)
        head_row = [p(t("stresstest.columns.neighbourhood"), bold)] + [
            p(t(f"stresstest.columns.{k}") + (f" ({COUNT_UNITS[k]})" if k in COUNT_UNITS else ""), bold)
            for k, *_ in COUNT_COLUMNS]
        body: list[list[Any]] = [head_row]
        for (_, name), row in zip(result.neighbourhoods, values, strict=True):
            body.append([p(name)] + [p(format_number(v, d, language)) for v, (_, _, _, d) in
                                     zip(row, COUNT_COLUMNS, strict=True)])
        body.append([p(t("stresstest.columns.total"), bold)] + [
            p(format_number(v, d, language), bold) for v, (_, _, _, d) in zip(total, COUNT_COLUMNS, strict=True)])
        cw = (frame_w - 42 * mm) / len(COUNT_COLUMNS)
        story.append(banded_table(body, [42 * mm] + [cw] * len(COUNT_COLUMNS),
                                  [("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("LINEABOVE", (0, -1), (-1, -1), 0.6, MUTED)]))
        story.append(p(f"{reference_note(result).get(language)} {t('stresstest.tables.counts.note')}"))

    # map | damage, data and assumptions
    right: list[Flowable] = [p(t("stresstest.page.damage_heading"), head)]
    right += _damage_flowables(result.damage, language, p, bold, frame_w * 0.5 - 4 * mm)
    right.append(p(t("stresstest.page.data_heading"), head))
    right.append(p(t("stresstest.page.data_used", inputs=", ".join(result.inputs))))
    for note in result.notes:
        right.append(p(note.get(language)))
    left: list[Flowable] = []
    if map_png is not None and map_png.exists():
        with PILImage.open(map_png) as im:
            w_px, h_px = im.size
        img_w = frame_w * 0.5 - 2 * mm
        left = [Image(str(map_png), width=img_w, height=img_w * h_px / w_px), p(t("stresstest.page.map_caption"))]
    bottom = Table([[left, right]], colWidths=[frame_w * 0.5, frame_w * 0.5])
    bottom.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    story += [Spacer(1, 4), bottom]

    # no date: a product is a function of its inputs, and the same inputs give the same bytes
    footer = t("stresstest.page.footer", version=__version__)

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6)
        canvas.setFillColor(MUTED)
        canvas.drawString(margin, 6 * mm, footer)
        canvas.restoreState()

    frame_h = height - 2 * margin - 3 * mm
    with atomic_file(target) as tmp:
        doc = BaseDocTemplate(str(tmp), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                              bottomMargin=margin, title=t("stresstest.page.title", name=result.name),
                              author="alliantie",
                              # reportlab's invariant mode: no creation date, a document id from the content
                              invariant=1)
        doc.addPageTemplates([PageTemplate(id="page", frames=[
            Frame(margin, margin + 3 * mm, frame_w, frame_h, 0, 0, 0, 0, id="f")], onPage=on_page)])
        doc.build([KeepInFrame(frame_w, frame_h, story, mode="shrink")])
    return target


def _damage_flowables(damage: DamageSummary | None, language: str, p: Callable[..., Paragraph],
                      bold: ParagraphStyle, width: float) -> list[Flowable]:
    """Per theme the damage range to the horizon, the part from climate change and the largest incident."""
    if damage is None:
        return [p(translate("stresstest.notes.damage_missing", language))]
    t = lambda key, **kw: translate(key, language, **kw)  # noqa: E731
    end = damage.horizon_year or 2050
    rows: list[list[Any]] = [[p(t("stresstest.damage.col_theme"), bold), p(t("stresstest.damage.col_total", end=end),
                                                                              bold),
                              p(t("stresstest.damage.col_extra"), bold), p(t("stresstest.damage.col_incident"), bold)]]
    for row in damage.rows:
        status = f"stresstest.damage.status.{row.status}"
        total = format_span(row.total, language)
        if row.total is None and has_key(status):
            total = t(status)
        incident = "–"
        if row.incident is not None:
            _, low, mean, high = row.incident
            low_high = f"{format_money(low, language)} – {format_money(high, language)}"
            incident = f"{format_money(mean, language)} ({low_high})"
        rows.append([p(row.title.get(language)), p(total), p(format_span(row.extra, language)), p(incident)])
    widths = [0.22 * width, 0.28 * width, 0.22 * width, 0.28 * width]
    out: list[Flowable] = [banded_table(rows, widths)]
    rate = "–" if damage.rate is None else format_number(100 * damage.rate, 2, language)
    out.append(p(t("stresstest.damage.basis", price_year=damage.price_year or "–", start=damage.start_year or "–",
                   end=end, rate=rate)))
    return out


def write_page(ctx: ProductContext, result: Stresstest) -> Path:
    """Draw the map and write ``stresstest.pdf`` into the product's folder (in the dossier language).

    The page draws its own compact map of ``severity_max.tif``; the report draws the product's map spec.
    """
    language = str(ctx.param("language"))
    with rasterio.open(ctx.path(SEVERITY_FILE)) as ds:
        severity = ds.read(1)
    hoods = ctx.vector("neighbourhoods")
    png = draw_map(result, severity, ctx.grid.bounds, hoods, ctx.path(MAP_FILE), language)
    return build_pdf(result, png, ctx.path(PDF_FILE), language)
