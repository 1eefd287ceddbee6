"""``strategy.meekoppelen``: the planned works (input ``projects``) crossed with suitability and vulnerability, and
the features of the dossier's measure set (the sketch and its effects) that can go along with them.

Without planned projects the product writes an empty, valid ``meekoppelen.json`` and a table that says so.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from shapely.geometry.base import BaseGeometry

from alliantie.contract.effects import EFFECTS_FILE, read_effects
from alliantie.contract.meekoppelen import MeekoppelenFile, write_meekoppelen
from alliantie.contract.names import EFFECTS, SUITABILITY, VULNERABILITY
from alliantie.contract.spec import write_tables
from alliantie.contract.theme import THEMES
from alliantie.dossier.registry import ProductContext
from alliantie.io.raster import read_raster
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.sketch import Sketch
from alliantie.method.strategy.meekoppelen.analysis import (
    MeasureFeature,
    Project,
    ProjectShares,
    analyse,
    union,
    vulnerable_shares,
)
from alliantie.method.strategy.meekoppelen.knowledge import MeekoppelenRules
from alliantie.method.strategy.meekoppelen.outputs import (
    TIMELINE,
    draw_timeline,
    factor_table,
    no_projects_table,
    project_table,
    timeline_figure,
    write_map,
    write_projects,
)
from alliantie.method.vista.suitability.analysis import burn
from alliantie.parameters.damage import DamageParameters

log = logging.getLogger(__name__)

ZONES_FILE = "zones.gpkg"
CURRENT = "current"


def _text(value: object) -> str:
    """A cell as text; "" for an empty one (None or NaN)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def read_projects(frame: gpd.GeoDataFrame) -> list[Project]:
    """The planned projects of the input (columns name, kind, year, owner; an ``id`` column when present); a row
    without geometry or year is left out with a warning (the input check has refused a missing column)."""
    out = []
    for i, row in enumerate(frame.itertuples(index=False)):
        geometry = row.geometry
        values = row._asdict()
        year = values.get("year")
        if geometry is None or geometry.is_empty or year is None or pd.isna(year):
            log.warning("strategy.meekoppelen: planned project %d (%s) has no geometry or year; left out", i + 1,
                        values.get("name") or "-")
            continue
        pid = _text(values.get("id"))
        out.append(Project(id=pid or str(i + 1), name=_text(values.get("name")), kind=_text(values.get("kind")),
                           owner=_text(values.get("owner")), year=int(year), geometry=geometry))
    return out


def suitable_shares(ctx: ProductContext, projects: list[Project], groups: set[str],
                    suitable_class: float) -> dict[str, dict[str, float]]:
    """Project id -> measure group -> share of the project's cells suitable (class >= ``suitable_class``)."""
    folder = ctx.upstream(SUITABILITY)
    classes = {}
    for group in sorted(groups):
        path = folder / f"suitability_{group}.tif"
        if path.exists():
            classes[group] = read_raster(path, grid=ctx.grid, label=f"{SUITABILITY}/{path.name}").array
    out: dict[str, dict[str, float]] = {}
    for p in projects:
        cells = burn([p.geometry], ctx.grid).astype(bool) & ctx.mask
        n = int(cells.sum())
        out[p.id] = {g: float(np.count_nonzero(c[cells] >= suitable_class)) / n if n else 0.0
                     for g, c in classes.items()}
    return out


def _severe(frame: gpd.GeoDataFrame | None, severe: float) -> dict[str, BaseGeometry | None]:
    if frame is None:
        return {t: None for t in THEMES}
    return {t: union(list(frame.geometry[frame[t] >= severe])) if t in frame.columns else None for t in THEMES}


def severe_zones(ctx: ProductContext, severe: float) -> tuple[dict[str, BaseGeometry | None],
                                                              dict[str, BaseGeometry | None], BaseGeometry | None]:
    """The severe zones per theme of today's region and town maps, and the town map's extent."""
    path = ctx.upstream(VULNERABILITY) / ZONES_FILE
    layers = {str(name) for name, _ in pyogrio.list_layers(path)} if path.exists() else set()

    def layer(name: str) -> gpd.GeoDataFrame | None:
        return gpd.read_file(path, layer=name) if name in layers else None

    extent = layer("town_extent")
    return (_severe(layer(f"region_{CURRENT}"), severe), _severe(layer(f"town_{CURRENT}"), severe),
            union(list(extent.geometry)) if extent is not None else None)


def measure_features(ctx: ProductContext, catalogue: MeasureCatalogue) -> tuple[list[MeasureFeature], str]:
    """The features of the dossier's sketch with their investment and avoided damage of ``vista.effects``."""
    frame = ctx.vector("sketch")
    folder = ctx.upstream(EFFECTS)
    if frame is None or not (folder / EFFECTS_FILE).exists():
        return [], ""
    effects = read_effects(folder)
    ref = ctx.dossier.input_file("sketch")
    sketch = Sketch.from_frame(frame, catalogue, label=str(ref.path) if ref is not None else "sketch")
    records = {r.id: r for r in effects.features}
    out = []
    for f in sketch.features:
        r = records.get(f.id)
        if r is None:
            continue
        avoided = sum(per.get(CURRENT, 0.0) for per in r.avoided_ead_eur.values())
        out.append(MeasureFeature(id=f.id, measure=f.measure.id, geometry=f.geometry,
                                  investment_eur=r.investment_eur["mean"], avoided_ead_eur=avoided))
    return out, effects.sketch


def meekoppelen(ctx: ProductContext) -> None:
    """meekoppelen.json, projects.gpkg, timeline.png, maps.json and tables.json (or the no-projects table)."""
    rules = ctx.knowledge_model(MeekoppelenRules)
    damage = ctx.params(DamageParameters)
    frame = ctx.vector("projects")
    projects = read_projects(frame) if frame is not None else []
    if not projects:
        write_meekoppelen(ctx.out_dir, MeekoppelenFile(price_year=damage.price_year, measure_set="", projects=[],
                                                       couplings=[], reference_year=damage.start_year))
        write_tables(ctx.out_dir, [no_projects_table(), factor_table(rules)])
        return
    model = ctx.knowledge_model(MeasureCatalogue)
    catalogue = {m.id: m for m in model.measures}
    groups = {catalogue[m].group for k in rules.kinds for m in k.measures() if m in catalogue}
    suitable = suitable_shares(ctx, projects, groups, rules.thresholds.suitable_class.value)
    region, town, extent = severe_zones(ctx, rules.thresholds.severe_class.value)
    shares = {p.id: ProjectShares(suitable=suitable[p.id],
                                  vulnerable=vulnerable_shares(p.geometry, THEMES, region, town, extent))
              for p in projects}
    features, measure_set = measure_features(ctx, model)
    result = analyse(projects, shares, features, rules, catalogue, damage.start_year)
    data = MeekoppelenFile(price_year=damage.price_year, measure_set=measure_set, projects=result.projects,
                           couplings=result.couplings, reference_year=damage.start_year)
    write_meekoppelen(ctx.out_dir, data)
    write_projects(ctx.path("projects.gpkg"), projects, data, result.chance_class, ctx.grid.crs, ctx.language)
    write_map(ctx.out_dir, result.chance_class)
    draw_timeline(data.projects, rules, damage.start_year, ctx.path(TIMELINE), ctx.language)
    write_tables(ctx.out_dir, [project_table(data, rules, result.chance_class), factor_table(rules)],
                 [timeline_figure(damage.start_year)])
