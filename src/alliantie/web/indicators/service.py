"""``IndicatorService``: the live indicators of a workshop from the step 3 measure engine, on the saved baseline.

The baseline (:func:`alliantie.method.vista.baseline.saved_baseline`: the saved
step 1 products, nothing recomputed) is read once by :meth:`IndicatorService.warm`
and prepared for the fast level (:func:`alliantie.measures.evaluate.prepare`).
:meth:`IndicatorService.compute` turns the browser's sketches (GeoJSON, EPSG:4326)
into a :class:`~alliantie.measures.sketch.Sketch` in the dossier's CRS and
evaluates, at the fast level (:func:`alliantie.measures.evaluate.evaluate`):

* every sketch alone against the baseline (what ``per_feature=True`` gives: a
  feature's capacity, cost and effect do not depend on the others);
* every group (a synthesis: a list of sketch ids) with its sketches together;
* all valid sketches together (the total).

The numbers are today's climate (scenario ``current``; the first scenario of the
dossier when it has no ``current``). Results are cached by content (measure,
geometry, size), so after a change only what changed is evaluated again. A sketch
the engine refuses (wrong geometry for its measure, a geometry that covers no cell
of the grid, a bad size) goes into ``errors`` with the engine's message; the rest is
still computed. One lock serialises ``warm`` and ``compute``: the engine's baseline
keeps caches that are not safe to fill from two threads.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
import shapely.errors
import shapely.geometry

from alliantie.dossier import load_dossier, load_products
from alliantie.dossier.registry import RunCache
from alliantie.errors import AlliantieError, InputDataError
from alliantie.i18n import translate, use_language
from alliantie.measures.baseline import Baseline
from alliantie.measures.evaluate import Effects, evaluate, prepare
from alliantie.measures.overland import BeforeCache, overland_effect
from alliantie.measures.placement import place
from alliantie.measures.sketch import Feature, Sketch
from alliantie.method.vista.baseline import saved_baseline
from alliantie.web.indicators.dynamic import DYNAMIC_STAGES, MAP_STAGE, SERIES_STAGE

#: The scenario of the live indicators: today's climate.
TODAY = "current"
#: Results kept in the content cache (one per sketch alone and one per set of sketches evaluated together).
CACHE_SIZE = 512
#: The heat model's indicators of residents far from a cool place (before and after the measures).
FAR_BEFORE, FAR_AFTER = "residents_far_from_cool_place_before", "residents_far_from_cool_place_after"
#: The two levels an indicator can be: the fast estimate (fill-spill-merge, seconds) and the dynamic check (the
#: 2-D overland engine around the measures, minutes; replaces the fast estimate's pluvial numbers when done).
FAST, DYNAMIC = "fast", "dynamic"
#: The dynamic check's window buffer around the measures (m).
DYNAMIC_BUFFER_M = 300.0
#: The storms of the dynamic check's expected annual damage (return periods, years; the map storm's is always one
#: of them). None: every storm of today's series, as the damage product integrates; empty: the map storm only.
DYNAMIC_RETURN_PERIODS: tuple[float, ...] | None = None
#: Map-storm effects kept for the series stage (per content of the sketches; two grid-sized depths each, 26 MB on
#: the default demo). A job runs the map stage of the whole and every synthesis, then their series stage: beyond
#: this many parts the series stage runs the map storm again.
MAP_EFFECTS_SIZE = 8
#: Runs without measures kept for the dynamic check (per window and storm; an edit keeps most windows).
BEFORE_CACHE_SIZE = 64

Key = tuple[str, str, float | None, float | None]


@dataclass(frozen=True)
class SketchInput:
    """One sketch of the workshop as the store holds it."""

    id: str  #: the sketch id
    measure: str  #: catalogue id
    geometry: dict[str, Any]  #: GeoJSON geometry, EPSG:4326
    width_m: float | None = None
    count: float | None = None

    def key(self) -> Key:
        """What the sketch's effect depends on (not its id): the content cache's key."""
        return (self.measure, json.dumps(self.geometry, sort_keys=True, separators=(",", ":")), self.width_m,
                self.count)


def empty_indicators(residents: bool) -> dict[str, Any]:
    """The indicators of no measures (zeros; ``residents_*`` None when the dossier has no heat model)."""
    return {"buildings_kept_dry": 0, "buildings_newly_wet": 0, "water_stored_m3": 0.0, "storage_capacity_m3": 0.0,
            "residents_cooled": 0 if residents else None, "residents_cool_place_nearby": 0 if residents else None,
            "avoided_damage_eur_per_year": {}, "investment_eur": 0.0, "maintenance_eur_per_year": 0.0,
            "approximate": False, "level": FAST, "avoided_damage_level": {}}


def indicators_of(effects: Effects, scenario: str) -> dict[str, Any]:
    """The workshop's indicators of ``effects`` for ``scenario`` (JSON-able; amounts the mean level)."""
    ind = effects.indicators
    extra = ind.extra
    cooled = extra.get("residents_cooled", {}).get(scenario)
    far_before, far_after = extra.get(FAR_BEFORE, {}).get(scenario), extra.get(FAR_AFTER, {}).get(scenario)
    nearby = None if far_before is None or far_after is None else round(far_before - far_after)
    avoided = {theme: round(effect.avoided(scenario), 2) for theme, effect in effects.themes.items()
               if scenario in effect.before and scenario in effect.after}
    maintenance = sum(f.cost.maintenance_per_year["mean"] for f in effects.features)
    return {
        "buildings_kept_dry": int(ind.kept_dry.get(scenario, 0)),
        "buildings_newly_wet": int(ind.newly_wet.get(scenario, 0)),
        "water_stored_m3": round(float(ind.stored_m3.get(scenario, 0.0)), 2),
        "storage_capacity_m3": round(float(ind.storage_m3), 2),
        "residents_cooled": None if cooled is None else round(cooled),
        "residents_cool_place_nearby": nearby,
        "avoided_damage_eur_per_year": avoided,
        "investment_eur": round(float(effects.investment["mean"]), 2),
        "maintenance_eur_per_year": round(float(maintenance), 2),
        "approximate": bool(effects.approximate),
        "level": FAST,
        "avoided_damage_level": {theme: FAST for theme in avoided},
    }


def now_iso() -> str:
    """The current UTC time as the API writes it (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def with_dynamic(fast: dict[str, Any], dynamic: Mapping[str, Any] | None) -> dict[str, Any]:
    """The fast indicators of a set of sketches with the pluvial numbers of its dynamic check put in their place.

    ``dynamic`` is what :meth:`IndicatorService.dynamic` returned for the same sketches (None: not done yet,
    the fast estimate stands; a check without a window, where no sketch acts on pluvial flooding, leaves it too).
    Kept from the fast level: capacity, costs, heat and the other themes' damage. The avoided pluvial damage is
    replaced once the check's storm series is done (its second stage); ``avoided_damage_level`` says per theme
    which level the avoided damage is (``"fast"`` or ``"dynamic"``).
    """
    if dynamic is None or dynamic.get("check") is None:
        return fast
    out = {**fast, "level": DYNAMIC, "level_computed_at": dynamic["computed_at"], "dynamic": dynamic["check"]}
    out.update(dynamic["replace"])
    avoided = dict(fast["avoided_damage_eur_per_year"])
    levels = dict(fast.get("avoided_damage_level", {theme: FAST for theme in avoided}))
    for theme, value in dynamic.get("avoided_damage_eur_per_year", {}).items():
        avoided[theme], levels[theme] = value, DYNAMIC
    out["avoided_damage_eur_per_year"] = avoided
    out["avoided_damage_level"] = levels
    return out


class IndicatorService:
    """The live indicators of one dossier; :meth:`compute` may be called from any thread."""

    def __init__(self, dossier_file: Path, *, cache_size: int = CACHE_SIZE, dynamic_buffer_m: float = DYNAMIC_BUFFER_M,
                 dynamic_return_periods: Sequence[float] | None = DYNAMIC_RETURN_PERIODS,
                 fast_level: bool = True) -> None:
        """``fast_level`` False: a service for :meth:`dynamic` only (the dynamic check's worker): :meth:`warm`
        neither prepares the fast level nor reads the heat, drought and flood models or keeps the saved depths
        of every storm, none of which the check reads, and :meth:`compute` is refused."""
        self.dossier_file = Path(dossier_file)
        self.fast_level = fast_level
        self.dynamic_buffer_m = dynamic_buffer_m
        self.dynamic_return_periods = None if dynamic_return_periods is None else tuple(dynamic_return_periods)
        self._before_runs: BeforeCache = _Bounded(BEFORE_CACHE_SIZE)
        self._map_effects: _Bounded = _Bounded(MAP_EFFECTS_SIZE)
        self._lock = threading.RLock()
        self._baseline: Baseline | None = None
        self._scenario = TODAY
        self._cache: OrderedDict[tuple[Key, ...], dict[str, Any]] = OrderedDict()
        self._cache_size = cache_size
        self.warm_seconds: float | None = None

    @property
    def baseline(self) -> Baseline:
        """The engine's baseline (read on first use)."""
        self.warm()
        assert self._baseline is not None
        return self._baseline

    @property
    def scenario(self) -> str:
        """The scenario the indicators are for."""
        self.warm()
        return self._scenario

    def warm(self) -> None:
        """Read the saved baseline and prepare the fast level; idempotent and thread-safe.

        Raises the engine's errors (:class:`~alliantie.errors.AlliantieError`) when the dossier's
        step 1 products are missing or unreadable.
        """
        with self._lock:
            if self._baseline is not None:
                return
            t0 = time.perf_counter()
            load_products()
            dossier = load_dossier(self.dossier_file)
            baseline = saved_baseline(dossier, RunCache(dossier), theme_models=self.fast_level)
            if self.fast_level:
                prepare(baseline, "fast")
            elif baseline.pluvial is not None:
                baseline.pluvial.saved_depths = None  # the fast level's baseline; the dynamic check runs its own
            self._scenario = TODAY if TODAY in baseline.scenarios else baseline.scenarios[0]
            self._baseline = baseline
            if self.fast_level:
                self._compile_kernels()
            self.warm_seconds = time.perf_counter() - t0

    def _compile_kernels(self) -> None:
        """One small measure of every theme evaluated once (a tiny forest in the middle of the grid), so the
        engine's kernels are compiled before the first participant draws (else the first heat sketch waits
        seconds). Its result is forgotten; a dossier where it cannot go simply skips this."""
        assert self._baseline is not None
        west, south, east, north = self._baseline.grid.bounds
        x, y = (west + east) / 2, (south + north) / 2
        square = gpd.GeoSeries([shapely.box(x - 20, y - 20, x + 20, y + 20)], crs=self._baseline.grid.crs)
        geometry = shapely.geometry.mapping(square.to_crs("EPSG:4326").iloc[0])
        with contextlib.suppress(AlliantieError):
            self.compute([SketchInput("warm-up", "tiny_forest", json.loads(json.dumps(geometry)))], {})
        self._cache.clear()

    def compute(self, sketches: Sequence[SketchInput], groups: Mapping[str, Sequence[str]], *,
                language: str | None = None) -> dict[str, Any]:
        """The indicators of every sketch alone, of every group together and of all sketches together.

        ``groups`` maps a group id to sketch ids (unknown or refused ids are left out of the group).
        Returns ``{"total", "groups", "sketches", "errors", "seconds", "scenario"}``; ``errors`` maps a
        refused sketch's id to the engine's message in ``language`` (default: the current context's).
        """
        if not self.fast_level:
            raise RuntimeError("this indicator service runs the dynamic check only (fast_level=False)")
        t0 = time.perf_counter()
        with self._lock, use_language(language):
            baseline = self.baseline
            features: dict[str, tuple[Key, Feature]] = {}
            errors: dict[str, str] = {}
            for s in sketches:
                try:
                    features[s.id] = (s.key(), self._feature(s, baseline))
                except AlliantieError as exc:
                    errors[s.id] = exc.message(language)
            order = [s.id for s in sketches if s.id in features]
            per_sketch = {sid: self._evaluate([features[sid]]) for sid in order}
            per_group = {gid: self._evaluate([features[sid] for sid in order if sid in set(ids)])
                         for gid, ids in groups.items()}
            total = self._evaluate([features[sid] for sid in order])
        return {"total": total, "groups": per_group, "sketches": per_sketch, "errors": errors,
                "seconds": round(time.perf_counter() - t0, 3), "scenario": self._scenario}

    def dynamic(self, sketches: Sequence[SketchInput], *, should_stop: Callable[[], bool] | None = None,
                stage: str = SERIES_STAGE) -> dict[str, Any]:
        """The dynamic check of ``sketches`` together (the 2-D overland engine around them, with the water from
        upstream; :func:`alliantie.measures.overland.overland_effect`), as the indicators it replaces.

        ``stage`` :data:`MAP_STAGE`: today's map storm only. :data:`SERIES_STAGE`: also the storms of the
        expected annual damage (:meth:`ead_return_periods`), the map storm taken over from an earlier map stage of
        the same sketches (else run first); the avoided EAD is
        :meth:`~alliantie.measures.overland.OverlandEffect.avoided_ead`, the path of ``alliantie evaluate
        --overland --overland-storms``.

        Returns ``{"computed_at", "replace": {indicator: value}, "avoided_damage_eur_per_year": {"pluvial": ..}
        (series stage, two or more storms), "check": {stage, storm, windows, cells, buildings_counted, inflow_m3,
        above_floor_before, above_floor_after, wet_facade_before, wet_facade_after, roads_impassable_before_m,
        roads_impassable_after_m, damage_before_eur, damage_after_eur (the map storm in the windows, mean amount),
        seconds (this stage), return_periods (the storms run), ead_return_periods (the series stage's storms),
        ead_before_eur, ead_after_eur (series stage: in the windows over those storms)}}``; ``check`` None and
        nothing replaced when no sketch acts on pluvial flooding. Sketches the engine refuses are left out (as
        :meth:`compute` does). Raises :class:`~alliantie.measures.overland.Cancelled` when ``should_stop`` says
        so between two runs.
        """
        if stage not in DYNAMIC_STAGES:
            raise ValueError(f"unknown stage of the dynamic check: {stage!r}")
        with self._lock:
            baseline = self.baseline
            features = []
            for s in sketches:
                with contextlib.suppress(AlliantieError):
                    features.append(self._feature(s, baseline))
            placements = [place(dataclasses.replace(f, index=i), baseline.grid, baseline.buildings)
                          for i, f in enumerate(features)]
        key = tuple(s.key() for s in sketches)
        effect = None
        series = self.ead_return_periods()
        if baseline.pluvial is not None and placements:
            previous = self._map_effects.get(key)
            if stage == MAP_STAGE or not series:
                effect = previous if previous is not None else overland_effect(
                    baseline.pluvial, placements, scenario=self._scenario, buffer_m=self.dynamic_buffer_m,
                    should_stop=should_stop, before_cache=self._before_runs)
                if effect is not None:
                    self._map_effects[key] = effect
            else:
                effect = overland_effect(baseline.pluvial, placements, scenario=self._scenario,
                                         buffer_m=self.dynamic_buffer_m, return_periods=series,
                                         should_stop=should_stop, before_cache=self._before_runs, previous=previous)
        out: dict[str, Any] = {"computed_at": now_iso(), "replace": {}, "check": None}
        if effect is None:
            return out
        out["replace"] = {"buildings_kept_dry": effect.kept_dry, "buildings_newly_wet": effect.newly_wet,
                          "water_stored_m3": round(float(effect.stored_m3), 2)}
        ead = effect.ead() if stage == SERIES_STAGE else None
        if ead is not None:
            out["avoided_damage_eur_per_year"] = {"pluvial": round(ead[0] - ead[1], 2)}
        main = effect.main
        assert main is not None and main.facade_before is not None and main.facade_after is not None
        out["check"] = {"stage": stage, "storm": effect.storm, "windows": len(effect.windows), "cells": effect.cells,
                        "buildings_counted": int(effect.counted.sum()), "inflow_m3": round(effect.inflow_m3, 1),
                        "above_floor_before": int(effect.above_before.sum()),
                        "above_floor_after": int(effect.above_after.sum()),
                        "wet_facade_before": int(main.facade_before.sum()),
                        "wet_facade_after": int(main.facade_after.sum()),
                        "roads_impassable_before_m": round(main.roads_impassable_before_m, 1),
                        "roads_impassable_after_m": round(main.roads_impassable_after_m, 1),
                        "damage_before_eur": round(main.damage_before["mean"], 2),
                        "damage_after_eur": round(main.damage_after["mean"], 2),
                        "seconds": round(effect.seconds, 1), "return_periods": effect.return_periods,
                        "ead_return_periods": list(series),
                        "ead_before_eur": None if ead is None else round(ead[0], 2),
                        "ead_after_eur": None if ead is None else round(ead[1], 2)}
        return out

    def ead_return_periods(self) -> list[float]:
        """The storms of the dynamic EAD (years): ``dynamic_return_periods`` (default every storm of today's
        series) with the map storm's; empty where no EAD is asked for or the dossier has no pluvial baseline."""
        pluvial = self.baseline.pluvial
        if pluvial is None or self.dynamic_return_periods == ():
            return []
        series = [float(c.return_period) for c in pluvial.series(self._scenario) if c.return_period is not None]
        wanted = set(series) if self.dynamic_return_periods is None else {float(t) for t in self.dynamic_return_periods}
        shown = pluvial.shown_case(self._scenario)
        if shown is not None and shown.return_period is not None:
            wanted.add(float(shown.return_period))
        return [t for t in series if t in wanted]

    # --- one sketch ---------------------------------------------------------------------------------------

    def _feature(self, sketch: SketchInput, baseline: Baseline) -> Feature:
        label = translate("web_indicators.sketch_label", None, id=sketch.id)
        try:
            geometry = shapely.geometry.shape(sketch.geometry)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, shapely.errors.ShapelyError):
            raise InputDataError("web_indicators.errors.geometry", sketch=label) from None
        if geometry.is_empty:
            raise InputDataError("web_indicators.errors.geometry", sketch=label)
        frame = gpd.GeoDataFrame(
            {"measure": [sketch.measure], "width_m": [_number(sketch.width_m)], "count": [_number(sketch.count)]},
            geometry=[geometry], crs="EPSG:4326").to_crs(baseline.grid.crs)
        feature = Sketch.from_frame(frame, baseline.catalogue, label=label).features[0]
        placement = place(feature, baseline.grid, baseline.buildings)
        if not placement.cells.size:
            key = "no_building" if feature.measure.geometry == "building" else "no_cells"
            raise InputDataError(f"web_indicators.errors.{key}", sketch=label, measure=feature.measure.id)
        return feature

    # --- a set of sketches together -----------------------------------------------------------------------

    def _evaluate(self, items: Sequence[tuple[Key, Feature]]) -> dict[str, Any]:
        key = tuple(k for k, _f in items)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return _copy(cached)
        baseline = self.baseline
        if not items:
            result = empty_indicators("heat" in baseline.models)
        else:
            sketch = Sketch([dataclasses.replace(f, index=i) for i, (_k, f) in enumerate(items)], source="workshop")
            result = indicators_of(evaluate(baseline, sketch, level="fast"), self._scenario)
        self._cache[key] = result
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return _copy(result)


class _Bounded(OrderedDict[tuple[object, ...], Any]):
    """A mapping that forgets its oldest entries beyond ``size``."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key: tuple[object, ...], value: Any) -> None:
        super().__setitem__(key, value)
        while len(self) > self.size:
            self.popitem(last=False)


def _copy(indicators: dict[str, Any]) -> dict[str, Any]:
    """A copy the caller may change without changing the cache."""
    return {**indicators, "avoided_damage_eur_per_year": dict(indicators["avoided_damage_eur_per_year"])}


def _number(value: float | None) -> float:
    """A size option as the sketch frame holds it: NaN (the catalogue's value) when not given."""
    return math.nan if value is None else float(value)
