"""The small multiples of the trend view (``trend.png``): rows = themes, columns = scenarios.

Each panel is a small severity map of the study area in the shared colours of
:data:`alliantie.contract.theme.SEVERITY_COLORS`, with the share of the area
with moderate or high severity; a panel without data is grey.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from alliantie.contract.theme import MODERATE, NONE, SEVERITY_COLORS
from alliantie.i18n import translate
from alliantie.method.urgency.trend.data import NONE_COLOR, TrendData

#: Colour of a panel without data.
NO_DATA_COLOR = "#d9d9d9"
#: The small maps are drawn from at most this many cells along their long side (nearest cell, no smoothing).
PANEL_CELLS = 320


def _crop(area: np.ndarray | None, shape: tuple[int, int]) -> tuple[slice, slice]:
    """Rows and columns of the study area's bounding box (the whole raster without an area)."""
    if area is None or area.shape != shape or not area.any():
        return slice(0, shape[0]), slice(0, shape[1])
    rows = np.flatnonzero(area.any(axis=1))
    cols = np.flatnonzero(area.any(axis=0))
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def _rgba(severity: np.ndarray) -> np.ndarray:
    lut = np.zeros((256, 4), dtype=np.float32)  # everything else (255 outside the area) transparent
    lut[NONE] = to_rgba(NONE_COLOR)
    for c, color in SEVERITY_COLORS.items():
        lut[c] = to_rgba(color)
    return lut[severity]


def draw_small_multiples(
    data: TrendData,
    rasters: Mapping[str, Mapping[str, np.ndarray]],
    path: Path,
    language: str,
    *,
    area: np.ndarray | None = None,
    dpi: int = 200,
) -> Path:
    """Rows = themes, columns = scenarios: a small severity map each, one legend; readable at A4 width."""
    themes = list(data.themes)  # a theme not computed keeps its row: grey panels say so
    n_rows, n_cols = len(themes), max(1, len(data.scenarios))
    shape = next((r.shape for per in rasters.values() for r in per.values()), None)
    ys, xs = _crop(area, shape) if shape is not None else (slice(0, 1), slice(0, 1))
    height, width = ys.stop - ys.start, xs.stop - xs.start
    step = max(1, math.ceil(max(height, width) / PANEL_CELLS))
    aspect = height / width if width else 1.0
    fig_w = 7.4
    label_w = 0.75  # inches for the theme labels on the left
    panel_w = (fig_w - label_w - 0.1) / n_cols
    panel_h = panel_w * aspect
    title_h, legend_h = 0.3, 0.55
    fig_h = title_h + n_rows * (panel_h + 0.08) + legend_h
    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi)
    FigureCanvasAgg(fig)
    area_view = area[ys, xs][::step, ::step] if area is not None and shape == area.shape else None
    for r, theme in enumerate(themes):
        for c, scenario in enumerate(data.scenarios):
            left = (label_w + c * panel_w) / fig_w
            bottom = (legend_h + (n_rows - 1 - r) * (panel_h + 0.08)) / fig_h
            ax = fig.add_axes((left + 0.03 / fig_w, bottom, (panel_w - 0.06) / fig_w, panel_h / fig_h))
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_color("#9aa3a8")
                spine.set_linewidth(0.5)
            raster = rasters.get(theme.theme, {}).get(scenario.id)
            cell = theme.cell(scenario.id)
            if raster is not None and raster.shape == shape:
                ax.imshow(_rgba(raster[ys, xs][::step, ::step]), interpolation="nearest")
                if area_view is not None:
                    ax.contour(area_view.astype(np.uint8), levels=[0.5], colors="#333333", linewidths=0.4)
                if cell is not None and cell.share:
                    share = 100.0 * sum(cell.share[MODERATE:])
                    label = translate("trend.figure.share", language, share=_pct(share))
                    if cell.status == "current_only":
                        label += " *"
                    ax.text(0.03, 0.04, label, transform=ax.transAxes, fontsize=5.8, va="bottom", ha="left",
                            bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
            else:
                ax.set_facecolor(NO_DATA_COLOR)
                ax.set_xlim(-0.5, math.ceil(width / step) - 0.5)  # the same frame as the maps
                ax.set_ylim(math.ceil(height / step) - 0.5, -0.5)
                ax.set_aspect("equal")
                ax.text(0.5, 0.5, translate("trend.figure.no_data", language), ha="center", va="center",
                        fontsize=6.5, color="#555555", transform=ax.transAxes)
            if r == 0:
                ax.set_title(scenario.label.get(language), fontsize=7, pad=3)
            if c == 0:
                ax.set_ylabel(_wrap(theme.name.get(language), 16), fontsize=7, rotation=90, labelpad=4)
    handles = [Patch(facecolor=cls.color, edgecolor="#777777", linewidth=0.4, label=cls.label.get(language))
               for cls in data.classes]
    handles.append(Patch(facecolor=NO_DATA_COLOR, edgecolor="#777777", linewidth=0.4,
                         label=translate("trend.figure.no_data", language)))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=6.5, frameon=False,
               bbox_to_anchor=(0.5 + label_w / fig_w / 2, 0.2 / fig_h), handlelength=1.2, columnspacing=1.2)
    if any(c.status == "current_only" for t in themes for c in t.cells):
        footnote = translate("trend.figure.footnote", language)
        fig.text(0.5 + label_w / fig_w / 2, 0.04 / fig_h, footnote, ha="center", va="bottom", fontsize=5.5,
                 color="#5b6770")
    fig.savefig(path, dpi=dpi, facecolor="white")
    return path


def _pct(value: float) -> str:
    return f"{value:.0f} %"


def _wrap(label: str, width: int) -> str:
    """Break a theme label over two lines at the space nearest the middle when it is long."""
    if len(label) <= width or " " not in label:
        return label
    middle = len(label) // 2
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{label[:cut]}\n{label[cut + 1:]}"
