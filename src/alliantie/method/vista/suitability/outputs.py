"""The files of ``vista.suitability``: a class raster per group, legends that name the deciding rules,
the tables of areas, the small multiples of all groups and the maps of the most telling ones."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from alliantie.contract.classes import ClassInfo
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import (
    Cell,
    Column,
    FigureSpec,
    Layer,
    LegendEntry,
    MapSpec,
    TableSpec,
    Text,
    catalogue_text,
    write_maps,
)
from alliantie.dossier.registry import ProductContext
from alliantie.method.baseinfo.output import OVER_HILLSHADE, write_classes
from alliantie.method.vista.suitability.analysis import GroupResult, class_areas, grid_columns, rule_areas
from alliantie.method.vista.suitability.knowledge import SuitabilityRules

THEME = "suitability"
FIGURE = "suitability.png"
#: Colour of class 0 (none, not applicable) in the small multiples; transparent on the maps.
NONE_COLOR = "#e6e6e6"
#: How many groups get a map of their own in maps.json (the report); all are in the small multiples.
MAPS = 4

text = catalogue_text


def raster_name(group_id: str) -> str:
    return f"suitability_{group_id}.tif"


def classes(rules: SuitabilityRules) -> list[ClassInfo]:
    return [ClassInfo(id=c.id, code=c.code, nl=c.nl, en=c.en, color=c.color) for c in rules.classes]


def legend(result: GroupResult, rules: SuitabilityRules, valid: np.ndarray) -> list[LegendEntry]:
    """One entry per class present: its name and the rules that decided it there."""
    fired = set(rule_areas(result, valid, 1.0))
    out = []
    for c in rules.classes:
        decided = [r for i, r in enumerate(result.group.rule) if i in fired and r.class_name == c.id]
        if not decided:
            continue
        out.append(LegendEntry(value=c.code, color=c.color, label=Text(
            nl=f"{c.nl} - {'; '.join(f'{r.id} {r.nl}' for r in decided)}",
            en=f"{c.en} - {'; '.join(f'{r.id} {r.en}' for r in decided)}")))
    return out


def area_table(results: Sequence[GroupResult], rules: SuitabilityRules, valid: np.ndarray,
               cell_area: float) -> TableSpec:
    """Area (ha) per class per group; class 0 is 'not applicable'."""
    rows: list[list[Cell]] = []
    for r in results:
        areas = class_areas(r.classes, valid, cell_area)
        rows.append([Text(nl=r.group.nl, en=r.group.en), *(areas[c.code] for c in rules.classes), areas[0]])
    return TableSpec(
        id="suitability_areas", theme=THEME, title=text("vista.suit.areas.title"),
        description=text("vista.suit.areas.description"),
        columns=[Column(label=text("vista.suit.col.group")),
                 *(Column(label=Text(nl=c.nl, en=c.en), unit="ha") for c in rules.classes),
                 Column(label=text("vista.suit.col.none"), unit="ha")],
        rows=rows,
    )


def rule_table(results: Sequence[GroupResult], rules: SuitabilityRules, valid: np.ndarray,
               cell_area: float) -> TableSpec:
    """Every rule that decided cells: group, rule, class, what it says, area (ha)."""
    names = {c.id: Text(nl=c.nl, en=c.en) for c in rules.classes}
    rows: list[list[Cell]] = []
    for r in results:
        for index, area in rule_areas(r, valid, cell_area).items():
            rule = r.group.rule[index]
            rows.append([r.group.id, rule.id, names.get(rule.class_name, text("vista.suit.col.none")),
                         Text(nl=rule.nl, en=rule.en), area])
    return TableSpec(
        id="suitability_rules", theme=THEME, title=text("vista.suit.rules.title"),
        description=text("vista.suit.rules.description"),
        columns=[Column(label=text("vista.suit.col.group")), Column(label=text("vista.suit.col.rule")),
                 Column(label=text("vista.suit.col.class")), Column(label=text("vista.suit.col.text")),
                 Column(label=text("vista.guide.col.area"), unit="ha")],
        rows=rows, note=text("vista.suit.rules.note"),
    )


def _crop(valid: np.ndarray) -> tuple[slice, slice]:
    rows, cols = np.flatnonzero(valid.any(axis=1)), np.flatnonzero(valid.any(axis=0))
    if not len(rows):
        return slice(0, valid.shape[0]), slice(0, valid.shape[1])
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def draw_small_multiples(results: Sequence[GroupResult], rules: SuitabilityRules, valid: np.ndarray,
                         path: Path, language: str, dpi: int = 200) -> Path:
    """All groups side by side (four columns), one legend of the classes."""
    ys, xs = _crop(valid)
    n_cols, n_rows = grid_columns(len(results))
    height, width = ys.stop - ys.start, xs.stop - xs.start
    fig_w = 7.4
    panel_w = fig_w / n_cols
    panel_h = panel_w * height / max(1, width)
    title_h, legend_h = 0.28, 0.45
    fig = Figure(figsize=(fig_w, n_rows * (panel_h + title_h) + legend_h), dpi=dpi)
    FigureCanvasAgg(fig)
    colors = [NONE_COLOR] + [c.color for c in sorted(rules.classes, key=lambda c: c.code)]
    cmap = ListedColormap(colors)
    fig_h = fig.get_figheight()
    for k, r in enumerate(results):
        row, col = divmod(k, n_cols)
        bottom = (legend_h + (n_rows - 1 - row) * (panel_h + title_h)) / fig_h
        ax = fig.add_axes((col * panel_w / fig_w + 0.004, bottom, panel_w / fig_w - 0.008, panel_h / fig_h))
        data = np.ma.masked_where(~valid[ys, xs], r.classes[ys, xs])
        ax.imshow(data, cmap=cmap, vmin=-0.5, vmax=len(colors) - 0.5, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_linewidth(0.4)
        name = r.group.en if language == "en" else r.group.nl
        ax.set_title(name.split(" (")[0], fontsize=7, pad=2)
    handles = [Patch(facecolor=NONE_COLOR, edgecolor="#999999", linewidth=0.3,
                     label=text("vista.suit.col.none").get(language))]
    handles += [Patch(facecolor=c.color, edgecolor="#999999", linewidth=0.3, label=c.en if language == "en" else c.nl)
                for c in rules.classes]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=7, frameon=False)
    fig.savefig(path, dpi=dpi, metadata={"Software": None})
    return path


def write_outputs(ctx: ProductContext, results: Sequence[GroupResult], shown: Sequence[GroupResult],
                  rules: SuitabilityRules, valid: np.ndarray) -> tuple[list[TableSpec], list[FigureSpec]]:
    """Rasters and maps; returns the tables and the figure (the product writes tables.json)."""
    table = classes(rules)
    for r in results:
        write_classes(ctx, raster_name(r.group.id), r.classes, table, f"suitability of {r.group.id}, 1-5 (0: none)")
    write_maps(ctx.out_dir, [
        MapSpec(id=f"suitability_{r.group.id}", theme=THEME,
                title=text("vista.suit.map.title", group_nl=r.group.nl, group_en=r.group.en),
                description=text("vista.suit.map.description"),
                layers=[hillshade_layer(),
                        Layer(file=raster_name(r.group.id), type="raster_classes", alpha=OVER_HILLSHADE,
                              legend=legend(r, rules, valid))])
        for r in shown
    ])
    draw_small_multiples(results, rules, valid, ctx.path(FIGURE), ctx.language)
    cell_area = ctx.grid.cell_area
    figure = FigureSpec(id="suitability_all", theme=THEME, title=text("vista.suit.figure.title"),
                        description=text("vista.suit.figure.description",
                                         groups_nl=", ".join(r.group.nl.split(" (")[0].lower() for r in shown),
                                         groups_en=", ".join(r.group.en.split(" (")[0].lower() for r in shown)),
                        file=FIGURE)
    return [area_table(results, rules, valid, cell_area), rule_table(results, rules, valid, cell_area)], [figure]
