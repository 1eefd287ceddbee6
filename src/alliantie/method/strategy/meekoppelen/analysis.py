"""Which measures fit each planned project, which features of the measure set go along with it, and at what cost.

Pure: projects, features, shares and the rules in, records out; the product reads the files and writes the results.

* a measure *fits* a project when its kind of works couples it (``meekoppelen.toml``) and at least
  ``min_suitable_share`` of the project area is suitable for the measure's group (``vista.suitability``), or
  the works themselves are its place (``in_place``: the dike being reinforced, the brook being restored);
* a feature of the measure set lies in the project that holds at least ``min_overlap_share`` of it (one project
  at most); it *couples* to a project when at least ``min_overlap_share`` of it lies inside, the
  kind couples its measure, and the design window is still open in the reference year (decide by
  ``year - design_window``); it is then invested in the project's year at ``factor`` times its cost alone;
* the *coupling chance* of a project is the largest, over its fitting measures, of the suitable share (1 in place)
  times the
  share of the project area in the severe classes of a theme the measure acts on (``urgency.vulnerability``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import shapely
from shapely.geometry.base import BaseGeometry

from alliantie.contract.meekoppelen import Coupling, FittingMeasure, Name, ProjectRecord
from alliantie.knowledge.measures import Measure
from alliantie.method.strategy.meekoppelen.knowledge import MeekoppelenRules

ChanceClass = Literal["none", "low", "medium", "high", "passed"]
#: The classes of the map, in legend order.
CHANCE_CLASSES: tuple[ChanceClass, ...] = ("high", "medium", "low", "none", "passed")


@dataclass(frozen=True)
class Project:
    """A planned project of ``inputs/projects.gpkg``."""

    id: str
    name: str
    kind: str
    owner: str
    year: int
    geometry: BaseGeometry


@dataclass(frozen=True)
class MeasureFeature:
    """A feature of the dossier's measure set: its geometry (the sketch) and its numbers (``effects.json``)."""

    id: str
    measure: str
    geometry: BaseGeometry
    investment_eur: float  #: mean amount, alone
    avoided_ead_eur: float  #: mean amount, all themes, today


@dataclass(frozen=True)
class ProjectShares:
    """What the upstream maps say of one project's area."""

    suitable: Mapping[str, float]  #: measure group -> share of the area suitable (0-1)
    vulnerable: Mapping[str, float]  #: theme -> share of the area in the severe classes (0-1)


@dataclass
class Result:
    projects: list[ProjectRecord] = field(default_factory=list)
    couplings: list[Coupling] = field(default_factory=list)
    chance_class: dict[str, ChanceClass] = field(default_factory=dict)  #: project id -> class of the map


def overlap_share(feature: BaseGeometry, project: BaseGeometry) -> float:
    """Share of ``feature`` inside ``project``: of its area (polygons), length (lines) or points."""
    if feature.is_empty:
        return 0.0
    if feature.area > 0:
        return float(feature.intersection(project).area / feature.area)
    if feature.length > 0:
        return float(feature.intersection(project).length / feature.length)
    points = list(getattr(feature, "geoms", [feature]))
    return sum(1 for p in points if project.covers(p)) / len(points)


def severe_share(project: BaseGeometry, severe: BaseGeometry | None) -> float:
    """Share of the project's area inside ``severe`` (a theme's zones in the severe classes)."""
    if severe is None or severe.is_empty or project.area <= 0:
        return 0.0
    return float(min(1.0, project.intersection(severe).area / project.area))


def vulnerable_shares(project: BaseGeometry, themes: Sequence[str], region: Mapping[str, BaseGeometry | None],
                      town: Mapping[str, BaseGeometry | None], town_extent: BaseGeometry | None) -> dict[str, float]:
    """Per theme the share of ``project`` in the severe zones: the town map's zones inside its extent (finer),
    the region map's outside it."""
    if town_extent is None or town_extent.is_empty:
        return {t: severe_share(project, region.get(t)) for t in themes}
    area = project.area
    inner, outer = project.intersection(town_extent), project.difference(town_extent)
    return {t: (severe_share(inner, town.get(t)) * inner.area + severe_share(outer, region.get(t)) * outer.area)
            / area if area > 0 else 0.0 for t in themes}


def union(geometries: Sequence[BaseGeometry]) -> BaseGeometry | None:
    """The union of ``geometries``; None when there are none."""
    geoms = [g for g in geometries if g is not None and not g.is_empty]
    return shapely.union_all(geoms) if geoms else None


def fitting_measures(project: Project, shares: ProjectShares, rules: MeekoppelenRules,
                     catalogue: Mapping[str, Measure]) -> list[FittingMeasure]:
    """The measures of the project's kind that are suitable on enough of its area, most suitable first."""
    kind = rules.kind(project.kind)
    if kind is None:
        return []
    out = []
    for measure_id in kind.measures():
        measure = catalogue.get(measure_id)
        factor = kind.factor(measure_id)
        if measure is None or factor is None:
            continue
        share = float(shares.suitable.get(measure.group, 0.0))
        if kind.in_place(measure_id) or (share >= rules.thresholds.min_suitable_share.value and share > 0):
            out.append(FittingMeasure(measure=measure_id, name=Name(nl=measure.name.nl, en=measure.name.en),
                                      suitable_share=round(share, 4), investment_factor=factor.value,
                                      source=f"meekoppelen.toml, kind {kind.id}: {factor.source}"))
    return sorted(out, key=lambda f: -f.suitable_share)


def coupling_chance(fitting: Sequence[FittingMeasure], vulnerable: Mapping[str, float],
                    catalogue: Mapping[str, Measure], in_place: frozenset[str] = frozenset()) -> float:
    """Largest suitable share (1 for a measure ``in_place``) x severe share of a theme the measure acts on, over the
    fitting measures."""
    best = 0.0
    for f in fitting:
        measure = catalogue.get(f.measure)
        need = max((vulnerable.get(t, 0.0) for t in measure.themes), default=0.0) if measure else 0.0
        best = max(best, (1.0 if f.measure in in_place else f.suitable_share) * need)
    return best


def chance_class(chance: float, fitting: bool, passed: bool, rules: MeekoppelenRules) -> ChanceClass:
    """The class of the map: passed (the window closed), none (nothing fits), low, medium or high."""
    if passed:
        return "passed"
    if not fitting:
        return "none"
    if chance >= rules.thresholds.chance_high.value:
        return "high"
    if chance >= rules.thresholds.chance_medium.value:
        return "medium"
    return "low"


def _assign(projects: Sequence[Project], features: Sequence[MeasureFeature], rules: MeekoppelenRules,
            reference_year: int) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The features of each project (by project id) and the project each coupled feature goes with.

    A feature belongs to one project at most, so no amount is counted twice: the one it couples with, else the
    one it overlaps most (then the earliest, then the first id).
    """
    minimum = rules.thresholds.min_overlap_share.value
    inside: dict[str, list[str]] = {p.id: [] for p in projects}
    chosen: dict[str, str] = {}
    for f in features:
        candidates, coupling = [], []
        for p in projects:
            share = overlap_share(f.geometry, p.geometry)
            if share < minimum or share <= 0:
                continue
            candidates.append((-share, p.year, p.id))
            kind = rules.kind(p.kind)
            if kind is not None and kind.factor(f.measure) is not None and kind.window(p.year)[0] >= reference_year:
                coupling.append((-share, p.year, p.id))
        if coupling:
            chosen[f.id] = min(coupling)[2]
        if candidates:
            inside[chosen.get(f.id, min(candidates)[2])].append(f.id)
    return inside, chosen


def analyse(projects: Sequence[Project], shares: Mapping[str, ProjectShares], features: Sequence[MeasureFeature],
            rules: MeekoppelenRules, catalogue: Mapping[str, Measure], reference_year: int) -> Result:
    """The records of every project and the couplings of the measure set's features."""
    by_id = {f.id: f for f in features}
    inside, chosen = _assign(projects, features, rules, reference_year)
    result = Result()
    for p in projects:
        kind = rules.kind(p.kind)
        first, last = kind.window(p.year) if kind is not None else (p.year, p.year)
        passed = first < reference_year
        s = shares[p.id]
        fitting = fitting_measures(p, s, rules, catalogue)
        alone = together = avoided = 0.0
        for fid in inside[p.id]:
            f = by_id[fid]
            factor = kind.factor(f.measure) if kind is not None and chosen.get(fid) == p.id else None
            alone += f.investment_eur
            together += f.investment_eur * (factor.value if factor is not None else 1.0)
            avoided += f.avoided_ead_eur
            if factor is not None and kind is not None:
                result.couplings.append(Coupling(
                    feature_id=fid, measure=f.measure, project_id=p.id, year=p.year,
                    investment_factor=factor.value, source=f"meekoppelen.toml, kind {kind.id}: {factor.source}"))
        in_place = frozenset(m for m in kind.measures() if kind.in_place(m)) if kind is not None else frozenset()
        chance = coupling_chance(fitting, s.vulnerable, catalogue, in_place)
        result.projects.append(ProjectRecord(
            id=p.id, name=p.name, kind=p.kind, owner=p.owner or (kind.owners[0] if kind is not None else ""),
            year=p.year, window_start=first, window_end=last, area_m2=round(float(p.geometry.area), 1),
            vulnerable_share={t: round(v, 4) for t, v in s.vulnerable.items()}, fitting=fitting,
            features=list(inside[p.id]), investment_alone_eur=round(alone, 2),
            investment_together_eur=round(together, 2), avoided_ead_eur=round(avoided, 2),
            window_passed=passed, chance=round(chance, 4)))
        result.chance_class[p.id] = chance_class(chance, bool(fitting), passed, rules)
    return result
