"""``evaluate(baseline, sketch) -> Effects``: the effect of a set of measures on every theme, per feature and in total.

In total the features act together (storage measures in sketch order, each on
the runoff the earlier ones left). Per feature, with ``per_feature=True``, each
feature is evaluated alone against the baseline: the parts need not add up to the
total (two wadis on the same street share its runoff), which the table says.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from alliantie.damage.depth_damage import AMOUNTS
from alliantie.measures.baseline import Baseline
from alliantie.measures.costs import Cost, avoided_present_value, feature_cost
from alliantie.measures.placement import Placement, place
from alliantie.measures.pluvial import PluvialOutcome, evaluate_pluvial, road_depths
from alliantie.measures.pluvial_fast import case_states, evaluate_pluvial_fast
from alliantie.measures.sketch import Sketch
from alliantie.measures.theme_model import ThemeOutcome


@dataclass
class ThemeEffect:
    """One theme's effect: EAD before and after per scenario and amount level, and the avoided present value."""

    before: dict[str, dict[str, float]]  #: scenario -> amount -> EUR/year
    after: dict[str, dict[str, float]]
    avoided_pv: dict[str, float] = field(default_factory=dict)  #: scenario -> EUR (mean amount)

    def avoided(self, scenario: str, amount: str = "mean") -> float:
        return self.before[scenario][amount] - self.after[scenario][amount]


@dataclass
class Indicators:
    """The counts the stress test reports, before and after, for the map storm of each scenario."""

    storage_m3: float = 0.0  #: storage capacity of the measures
    stored_m3: dict[str, float] = field(default_factory=dict)  #: scenario -> water stored in the map storm
    above_floor_before: dict[str, int] = field(default_factory=dict)
    above_floor_after: dict[str, int] = field(default_factory=dict)
    kept_dry: dict[str, int] = field(default_factory=dict)  #: buildings dry only thanks to the measures
    newly_wet: dict[str, int] = field(default_factory=dict)  #: buildings wet only because of the measures
    #: scenario -> length of road (m) impassable for cars in the map storm, before and after
    roads_flooded_before_m: dict[str, float] = field(default_factory=dict)
    roads_flooded_after_m: dict[str, float] = field(default_factory=dict)
    #: scenario -> buildings with water at the facade in the map storm, before and after
    facade_wet_before: dict[str, int] = field(default_factory=dict)
    facade_wet_after: dict[str, int] = field(default_factory=dict)
    #: the other themes' indicators: name -> scenario -> value (``residents_cooled``, ...)
    extra: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class FeatureEffect:
    """One feature: where, how much, what it costs, and (alone) what it does."""

    placement: Placement
    cost: Cost
    capacity_m3: float
    themes: dict[str, ThemeEffect] = field(default_factory=dict)
    indicators: Indicators | None = None


@dataclass
class Effects:
    """What :func:`evaluate` returns."""

    features: list[FeatureEffect]
    themes: dict[str, ThemeEffect]
    indicators: Indicators
    cost_pv: dict[str, float]  #: amount level -> EUR (sum over the features)
    investment: dict[str, float]
    evaluated: tuple[str, ...]
    map_storm: dict[str, str]  #: scenario -> case id of the map storm
    depths_before: dict[str, np.ndarray] = field(default_factory=dict)
    depths_after: dict[str, np.ndarray] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    level: str = "full"
    #: the fast level counted terrain changes as storage
    approximate: bool = False
    #: the engine the saved pluvial product ran; "overland": the pluvial numbers here are the screening's
    #: (fill-spill-merge and the level rule on both sides), not the product's 2-D damage (the dynamic check is)
    pluvial_product_engine: str = "screening"

    def avoided_ead(self, theme: str, scenario: str, amount: str = "mean") -> float:
        return self.themes[theme].avoided(scenario, amount)


def _theme_effect(before: PluvialOutcome | ThemeOutcome, after: PluvialOutcome | ThemeOutcome,
                  baseline: Baseline) -> ThemeEffect:
    effect = ThemeEffect(before=before.ead, after=after.ead)
    today = effect.avoided("current") if "current" in before.ead else 0.0
    for sid in before.ead:
        if sid in after.ead:
            effect.avoided_pv[sid] = avoided_present_value(today, effect.avoided(sid), baseline.scenario_years.get(sid),
                                                           baseline.appraisal)
    return effect


def _indicators(before: PluvialOutcome, after: PluvialOutcome, baseline: Baseline,
                capacity: float, which: Sequence[int] | None = None) -> Indicators:
    out = Indicators(storage_m3=capacity)
    assert baseline.pluvial is not None
    for sid in baseline.scenarios:
        case = baseline.pluvial.shown_case(sid)
        if case is None or case.id not in after.above_floor:
            continue
        b, a = before.above_floor[case.id], after.above_floor[case.id]
        out.above_floor_before[sid], out.above_floor_after[sid] = int(b.sum()), int(a.sum())
        out.kept_dry[sid], out.newly_wet[sid] = int((b & ~a).sum()), int((a & ~b).sum())
        base = baseline.pluvial
        if base.road_length_m is not None and case.id in after.road_depth and case.id in before.road_depth:
            # a water square's or pond's own cells hold water on purpose: left out before and after alike
            limit, held = base.road_depth_m, after.road_held
            out.roads_flooded_before_m[sid] = float(
                base.road_length_m[road_depths(before.road_depth[case.id], held) >= limit].sum())
            out.roads_flooded_after_m[sid] = float(
                base.road_length_m[road_depths(after.road_depth[case.id], held) >= limit].sum())
        if case.id in after.facade and case.id in before.facade:
            out.facade_wet_before[sid] = int(before.facade[case.id].sum())
            out.facade_wet_after[sid] = int(after.facade[case.id].sum())
        stored = after.stored_m3.get(case.id, np.zeros(0))
        out.stored_m3[sid] = float(stored.sum() if which is None else stored[list(which)].sum())
    return out


#: The two levels: "full" recomputes every storm (terrain changes rebuild the hierarchy); "fast" re-routes
#: only what the measures touch (the workshop's indicators while people draw).
Level = Literal["full", "fast"]


def _pluvial(baseline: Baseline, placements: list[Placement], level: Level) -> tuple[PluvialOutcome, bool]:
    base = baseline.pluvial
    assert base is not None
    if not placements:
        return base.before(), False
    if level == "fast":
        if base._states is None:
            base._states = case_states(base)
        return evaluate_pluvial_fast(base, placements, base._states)
    return evaluate_pluvial(base, placements), False


def prepare(baseline: Baseline, level: Level = "fast") -> None:
    """Compute once what every evaluation at ``level`` starts from (the hierarchy, the storms without measures)."""
    if baseline.pluvial is not None:
        baseline.pluvial.before()
        if level == "fast" and baseline.pluvial._states is None:
            baseline.pluvial._states = case_states(baseline.pluvial)


def evaluate(baseline: Baseline, sketch: Sketch, *, per_feature: bool = False, level: Level = "full") -> Effects:
    """The effects of ``sketch`` on ``baseline``: in total, and per feature alone when ``per_feature``.

    ``level`` "fast" answers from the cells the measures touch (exact for storage, surface and
    threshold measures; terrain changes counted as storage, ``approximate`` set).
    """
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    placements = [place(f, baseline.grid, baseline.buildings) for f in sketch.features]
    seconds["placement"] = time.perf_counter() - t0
    themes: dict[str, ThemeEffect] = {}
    indicators = Indicators()
    features: list[FeatureEffect] = []
    map_storm: dict[str, str] = {}
    before_depths: dict[str, np.ndarray] = {}
    after_depths: dict[str, np.ndarray] = {}
    capacity = np.zeros(len(placements))
    approximate = False
    if baseline.pluvial is not None:
        t0 = time.perf_counter()
        before = baseline.pluvial.before()
        seconds["pluvial baseline"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        after, approximate = _pluvial(baseline, placements, level)
        seconds["pluvial"] = time.perf_counter() - t0
        capacity = after.capacity_m3 if placements else capacity
        themes["pluvial"] = _theme_effect(before, after, baseline)
        indicators = _indicators(before, after, baseline, float(capacity.sum()))
        for sid in baseline.scenarios:
            case = baseline.pluvial.shown_case(sid)
            if case is not None:
                map_storm[sid] = case.id
                if case.id in before.depths and case.id in after.depths:
                    before_depths[sid] = before.depths[case.id]
                    after_depths[sid] = after.depths[case.id]
        if per_feature:
            t0 = time.perf_counter()
            for i, p in enumerate(placements):
                alone, _ = _pluvial(baseline, [p], level)
                fe = FeatureEffect(p, feature_cost(p, float(capacity[i]), baseline.appraisal), float(capacity[i]))
                fe.themes["pluvial"] = _theme_effect(before, alone, baseline)
                fe.indicators = _indicators(before, alone, baseline, float(capacity[i]), which=[0])
                features.append(fe)
            seconds["pluvial per feature"] = time.perf_counter() - t0
    if not features:
        features = [FeatureEffect(p, feature_cost(p, float(capacity[i]), baseline.appraisal), float(capacity[i]))
                    for i, p in enumerate(placements)]
    for theme, model in baseline.models.items():
        t0 = time.perf_counter()
        base_outcome = model.outcome([])
        outcome = model.outcome(placements) if placements else base_outcome
        themes[theme] = _theme_effect(base_outcome, outcome, baseline)
        for name, per in outcome.indicators.items():
            indicators.extra.setdefault(name, {}).update(per)
        if per_feature:
            for fe, p in zip(features, placements, strict=True):
                fe.themes[theme] = _theme_effect(base_outcome, model.outcome([p]), baseline)
        seconds[theme] = time.perf_counter() - t0
    cost_pv = {str(a): float(sum(f.cost.present_value[a] for f in features)) for a in AMOUNTS}
    investment = {str(a): float(sum(f.cost.investment[a] for f in features)) for a in AMOUNTS}
    return Effects(features=features, themes=themes, indicators=indicators, cost_pv=cost_pv, investment=investment,
                   evaluated=tuple(themes), map_storm=map_storm, depths_before=before_depths,
                   depths_after=after_depths, seconds=seconds, level=level, approximate=approximate,
                   pluvial_product_engine=baseline.pluvial.product_engine if baseline.pluvial else "screening")
