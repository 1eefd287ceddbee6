"""The files of ``strategy.meekoppelen`` besides ``meekoppelen.json``: the projects as a GeoPackage coloured by
coupling chance (``maps.json``), the timeline (a PNG), the tables per project and of the factors (``tables.json``)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from alliantie.contract.layers import hillshade_layer
from alliantie.contract.meekoppelen import MeekoppelenFile, ProjectRecord
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
from alliantie.io.styles import StyleClass, vector_categorized_qml
from alliantie.io.vector import write_vector_layers
from alliantie.method.strategy.meekoppelen.analysis import CHANCE_CLASSES, ChanceClass, Project
from alliantie.method.strategy.meekoppelen.knowledge import MeekoppelenRules

THEME = "meekoppelen"
PROJECTS_FILE = "projects.gpkg"
PROJECTS_LAYER = "projects"
TIMELINE = "timeline.png"
#: Colours of the coupling chance (a sequential green) and of a closed window (grey).
CHANCE_COLORS: dict[ChanceClass, str] = {
    "high": "#1a9641", "medium": "#a6d96a", "low": "#fdae61", "none": "#d9d9d9", "passed": "#969696",
}
WINDOW_COLOR = "#9ecae1"
WORKS_COLOR = "#08519c"
CLOSED_COLOR = "#d9d9d9"
REFERENCE_COLOR = "#cc4c02"
#: Fitting measures named per project on the timeline, at most, and the characters per line of their text.
NAMED = 4
WRAP = 46

text = catalogue_text


def _name(kind_id: str, rules: MeekoppelenRules) -> Text:
    kind = rules.kind(kind_id)
    return Text(nl=kind.nl, en=kind.en) if kind is not None else Text(nl=kind_id, en=kind_id)


def write_projects(path: Path, projects: Sequence[Project], data: MeekoppelenFile,
                   classes: Mapping[str, ChanceClass], crs: str, language: str) -> Path:
    """``projects.gpkg``: one polygon per project with its year, window, chance and coupled features."""
    records = {r.id: r for r in data.projects}
    rows = []
    for p in projects:
        r = records[p.id]
        rows.append({
            "id": p.id, "name": p.name, "kind": p.kind, "owner": r.owner, "year": r.year,
            "window_start": r.window_start, "window_end": r.window_end, "chance": r.chance,
            "chance_class": classes[p.id], "fitting": ", ".join(f.measure for f in r.fitting),
            "features": len(r.features), "investment_alone_eur": r.investment_alone_eur,
            "investment_together_eur": r.investment_together_eur, "geometry": p.geometry,
        })
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    styles = [StyleClass(c, CHANCE_COLORS[c], text(f"meekoppelen.chance.{c}").get(language)) for c in CHANCE_CLASSES]
    return write_vector_layers(path, [(PROJECTS_LAYER, frame, "MultiPolygon",
                                       vector_categorized_qml("chance_class", styles, "polygon", label_field="name"))])


def chance_map(classes: Mapping[str, ChanceClass]) -> MapSpec:
    """The projects coloured by coupling chance (only the classes present in the legend)."""
    present = set(classes.values())
    legend = [LegendEntry(value=c, color=CHANCE_COLORS[c], label=text(f"meekoppelen.chance.{c}"))
              for c in CHANCE_CLASSES if c in present]
    return MapSpec(id="meekoppelen_chance", theme=THEME, title=text("meekoppelen.map.title"),
                   description=text("meekoppelen.map.description"),
                   layers=[hillshade_layer(),
                           Layer(file=PROJECTS_FILE, type="vector", layer=PROJECTS_LAYER, column="chance_class",
                                 legend=legend, alpha=0.75, linewidth=0.8)])


def _measures_label(r: ProjectRecord, language: str) -> str:
    names = [f.name.en if language == "en" else f.name.nl for f in r.fitting[:NAMED]]
    more = len(r.fitting) - NAMED
    label = ", ".join(n.split(" (")[0] for n in names) + (f" +{more}" if more > 0 else "")
    if r.window_passed:
        label = text("meekoppelen.timeline.passed").get(language) + (f": {label}" if label else "")
    elif r.features:
        label = f"[{len(r.features)}] " + label
    return "\n".join(textwrap.wrap(label or "-", WRAP)[:3])


def draw_timeline(records: Sequence[ProjectRecord], rules: MeekoppelenRules, reference_year: int, path: Path,
                  language: str, dpi: int = 200) -> Path:
    """One row per project (by year): the design window as a light bar, the works dark, the fitting measures
    named beside them; a vertical line at the reference year."""
    rows = sorted(records, key=lambda r: (r.year, r.name))
    first = min([r.window_start for r in rows] + [reference_year]) - 1
    last = max(r.window_end for r in rows) + 2
    row_h, top, bottom = 0.5, 0.2, 0.6
    height = top + bottom + row_h * len(rows)
    fig = Figure(figsize=(7.4, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.25, bottom / height, 0.40, row_h * len(rows) / height))
    for i, r in enumerate(rows):
        y = len(rows) - 1 - i
        ax.barh(y, r.year - r.window_start, left=r.window_start, height=0.55,
                color=CLOSED_COLOR if r.window_passed else WINDOW_COLOR, edgecolor="none")
        ax.barh(y, r.window_end - r.year + 1, left=r.year, height=0.55, color=WORKS_COLOR, edgecolor="none")
        ax.annotate(_measures_label(r, language), xy=(1.02, y), xycoords=("axes fraction", "data"), va="center",
                    fontsize=6, linespacing=1.1, annotation_clip=False)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(["\n".join([*textwrap.wrap(r.name, 32)[:2], f"({_name(r.kind, rules).get(language).lower()})"])
                        for r in reversed(rows)], fontsize=6, linespacing=1.1)
    ax.axvline(reference_year, color=REFERENCE_COLOR, linewidth=0.9, linestyle="--")
    ax.set_xlim(first, last)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.tick_params(axis="x", labelsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", linewidth=0.3, color="#bbbbbb")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Patch(color=WINDOW_COLOR, label=text("meekoppelen.timeline.window").get(language)),
               Patch(color=WORKS_COLOR, label=text("meekoppelen.timeline.works").get(language)),
               Patch(color=CLOSED_COLOR, label=text("meekoppelen.timeline.closed").get(language)),
               Line2D([], [], color=REFERENCE_COLOR, linestyle="--", linewidth=0.9,
                      label=text("meekoppelen.timeline.reference", year=reference_year).get(language))]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=6.5, frameon=False)
    fig.savefig(path, dpi=dpi, metadata={"Software": None})
    return path


def timeline_figure(reference_year: int) -> FigureSpec:
    return FigureSpec(id="meekoppelen_timeline", theme=THEME, title=text("meekoppelen.timeline.title"),
                      description=text("meekoppelen.timeline.description", year=reference_year), file=TIMELINE)


def project_table(data: MeekoppelenFile, rules: MeekoppelenRules, classes: Mapping[str, ChanceClass]) -> TableSpec:
    """Per project: kind, owner, year, decide by, fitting measures, the worst severe share, the measure set's
    features inside, their investment alone and together, and their avoided damage."""
    rows: list[list[Cell]] = []
    for r in sorted(data.projects, key=lambda r: (r.year, r.name)):
        worst = max(r.vulnerable_share.items(), key=lambda kv: kv[1], default=("", 0.0))
        fitting = Text(nl=", ".join(f.name.nl for f in r.fitting) or "-",
                       en=", ".join(f.name.en for f in r.fitting) or "-")
        if rules.kind(r.kind) is None:
            fitting = text("meekoppelen.table.unknown_kind", kind=r.kind)
        rows.append([r.name, _name(r.kind, rules), r.owner, r.year, r.window_start, fitting,
                     text(f"meekoppelen.chance.{classes[r.id]}"),
                     Text(nl=f"{100 * worst[1]:.0f} % {text(f'damage_product.theme.{worst[0]}').nl}",
                          en=f"{100 * worst[1]:.0f} % {text(f'damage_product.theme.{worst[0]}').en}")
                     if worst[0] else "-",
                     len(r.features), r.investment_alone_eur, r.investment_together_eur, r.avoided_ead_eur])
    total: list[Cell] = [text("meekoppelen.table.total"), None, None, None, None, None, None, None,
                         sum(len(r.features) for r in data.projects),
                         sum(r.investment_alone_eur for r in data.projects),
                         sum(r.investment_together_eur for r in data.projects),
                         sum(r.avoided_ead_eur for r in data.projects)]
    return TableSpec(
        id="meekoppelen_projects", theme=THEME, title=text("meekoppelen.table.title"),
        description=text("meekoppelen.table.description", year=data.reference_year),
        columns=[Column(label=text("meekoppelen.col.project")), Column(label=text("meekoppelen.col.kind")),
                 Column(label=text("meekoppelen.col.owner")), Column(label=text("meekoppelen.col.year")),
                 Column(label=text("meekoppelen.col.decide_by")), Column(label=text("meekoppelen.col.fitting")),
                 Column(label=text("meekoppelen.col.chance")), Column(label=text("meekoppelen.col.severe")),
                 Column(label=text("meekoppelen.col.features")),
                 Column(label=text("meekoppelen.col.alone"), unit="EUR"),
                 Column(label=text("meekoppelen.col.together"), unit="EUR"),
                 Column(label=text("meekoppelen.col.avoided"), unit="EUR/yr")],
        rows=rows, total=total, note=text("meekoppelen.table.note"),
    )


def factor_table(rules: MeekoppelenRules) -> TableSpec:
    """The knowledge behind it: per kind of works the factor, the window and where they come from."""
    rows: list[list[Cell]] = []
    for k in rules.kinds:
        for c in k.coupling:
            rows.append([Text(nl=k.nl, en=k.en), ", ".join(c.measures), c.factor.value, k.design_window.value,
                         c.factor.source])
    return TableSpec(
        id="meekoppelen_factors", theme=THEME, title=text("meekoppelen.factors.title"),
        description=text("meekoppelen.factors.description"),
        columns=[Column(label=text("meekoppelen.col.kind")), Column(label=text("meekoppelen.col.measures")),
                 Column(label=text("meekoppelen.col.factor"), decimals=2),
                 Column(label=text("meekoppelen.col.window"), unit="yr"),
                 Column(label=text("meekoppelen.col.source"))],
        rows=rows,
    )


def no_projects_table() -> TableSpec:
    """One sentence: there are no planned projects, and how to give them."""
    return TableSpec(id="meekoppelen_none", theme=THEME, title=text("meekoppelen.none.title"),
                     columns=[Column(label=text("meekoppelen.none.column"))],
                     rows=[[text("meekoppelen.none.text")]])


def write_map(folder: Path, classes: Mapping[str, ChanceClass]) -> None:
    write_maps(folder, [chance_map(classes)])
