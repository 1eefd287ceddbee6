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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
from alliantie.measures.placement import place
from alliantie.measures.sketch import Feature, Sketch
from alliantie.method.vista.baseline import saved_baseline

#: The scenario of the live indicators: today's climate.
TODAY = "current"
#: Results kept in the content cache (one per sketch alone and one per set of sketches evaluated together).
CACHE_SIZE = 512
#: The heat model's indicators of residents far from a cool place (before and after the measures).
FAR_BEFORE, FAR_AFTER = "residents_far_from_cool_place_before", "residents_far_from_cool_place_after"

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
            "approximate": False}


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
    }


class IndicatorService:
    """The live indicators of one dossier; :meth:`compute` may be called from any thread."""

    def __init__(self, dossier_file: Path, *, cache_size: int = CACHE_SIZE) -> None:
        self.dossier_file = Path(dossier_file)
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
            baseline = saved_baseline(dossier, RunCache(dossier))
            prepare(baseline, "fast")
            self._scenario = TODAY if TODAY in baseline.scenarios else baseline.scenarios[0]
            self._baseline = baseline
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


def _copy(indicators: dict[str, Any]) -> dict[str, Any]:
    """A copy the caller may change without changing the cache."""
    return {**indicators, "avoided_damage_eur_per_year": dict(indicators["avoided_damage_eur_per_year"])}


def _number(value: float | None) -> float:
    """A size option as the sketch frame holds it: NaN (the catalogue's value) when not given."""
    return math.nan if value is None else float(value)
