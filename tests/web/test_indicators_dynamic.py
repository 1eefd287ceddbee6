"""The dynamic check of the live indicators: run in the background after the fast estimate, it replaces the
fast numbers when done, never for a state that has changed since; superseded checks stop, bursts are debounced."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.geometry

from alliantie.web.indicators.dynamic import DynamicChecks
from alliantie.web.indicators.service import DYNAMIC, FAST, with_dynamic
from alliantie.web.workshop.indicators import IndicatorRunner


@dataclass(frozen=True)
class Sk:
    id: str
    measure: str = "wadi"
    size: float = 1.0

    def key(self) -> tuple[str, float]:
        return (self.measure, self.size)


def _fast(sketches: list[Sk], groups: dict[str, list[str]]) -> dict[str, Any]:
    def ind(n: int) -> dict[str, Any]:
        return {"buildings_kept_dry": n, "buildings_newly_wet": 0, "water_stored_m3": 10.0 * n,
                "avoided_damage_eur_per_year": {"pluvial": 100.0 * n, "heat": 5.0}, "level": FAST}

    return {"total": ind(len(sketches)), "groups": {g: ind(len(ids)) for g, ids in groups.items()},
            "sketches": {s.id: ind(1) for s in sketches}, "errors": {}, "seconds": 0.0, "scenario": "current"}


def _dyn(members: list[Sk]) -> dict[str, Any]:
    """A dynamic result that differs from the fast one: 100 buildings kept dry per sketch, EUR 7 per sketch."""
    return {"computed_at": "2026-12-07T15:00:00Z", "replace": {"buildings_kept_dry": 100 * len(members)},
            "avoided_damage_eur_per_year": {"pluvial": 7.0 * len(members)}, "check": {"windows": 1}}


class SlowRun:
    """The check as a double: records what it was asked, waits for ``gate`` when given, honours a stop."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], int]] = []
        self.gate: threading.Event | None = None
        self.stopped: set[int] = set()

    def __call__(self, members: list[Sk], token: int, stage: str = "check") -> dict[str, Any] | None:
        self.calls.append((tuple(s.key() for s in members), token))
        if self.gate is not None:
            self.gate.wait(10)
        return _dyn(members)

    def stop(self, token: int) -> None:
        self.stopped.add(token)


def _wait(predicate: Any, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_the_dynamic_check_replaces_the_fast_estimate_of_the_whole_and_the_syntheses():
    run = SlowRun()
    checks = DynamicChecks(run, delay_s=0.0, stop=run.stop)
    sketches, groups = [Sk("a"), Sk("b", size=2.0)], {"g": ["a"]}
    fast = _fast(sketches, groups)
    before = checks.merge(fast, sketches, groups, with_dynamic)
    assert before["total"]["level"] == FAST and before["total"]["buildings_kept_dry"] == 2  # shown at once
    done = threading.Event()
    assert checks.refine("w", sketches, groups, {}, done.set)
    _wait(lambda: checks.runs == 2)
    assert done.is_set()
    after = checks.merge(fast, sketches, groups, with_dynamic)
    total, group = after["total"], after["groups"]["g"]
    assert total["level"] == DYNAMIC and total["level_computed_at"] == "2026-12-07T15:00:00Z"
    assert total["buildings_kept_dry"] == 200 != fast["total"]["buildings_kept_dry"]  # replaced
    assert total["water_stored_m3"] == fast["total"]["water_stored_m3"]  # not given by the check: fast stands
    assert total["avoided_damage_eur_per_year"] == {"pluvial": 14.0, "heat": 5.0}  # heat from the fast level
    assert group["level"] == DYNAMIC and group["buildings_kept_dry"] == 100
    assert after["sketches"]["a"]["level"] == FAST  # one sketch alone: the fast estimate
    assert run.calls[0][0] == (("wadi", 1.0), ("wadi", 2.0))  # the whole first
    # the same state again: nothing to compute, no callback loop
    assert not checks.refine("w", sketches, groups, {}, lambda: pytest.fail("no second check"))
    json.dumps(after)


def test_a_result_for_an_old_state_is_never_shown():
    run = SlowRun()
    run.gate = threading.Event()
    checks = DynamicChecks(run, delay_s=0.0, stop=run.stop)
    old, new = [Sk("a")], [Sk("a", size=3.0)]  # the sketch was edited while its check ran
    checks.refine("w", old, {}, {}, lambda: None)
    _wait(lambda: len(run.calls) == 1)
    checks.refine("w", new, {}, {}, lambda: None)
    assert run.stopped == {run.calls[0][1]}  # the running check was told to stop
    run.gate.set()  # it finishes anyway (stopped too late): its result is kept for its own content only
    _wait(lambda: len(run.calls) == 2)
    _wait(lambda: checks.runs == 2)
    shown = checks.merge(_fast(new, {}), new, {}, with_dynamic)
    assert shown["total"]["level"] == DYNAMIC and run.calls[1][0] == (("wadi", 3.0),)
    # a state between the two, never checked, shows the fast estimate
    other = [Sk("a", size=9.0)]
    assert checks.merge(_fast(other, {}), other, {}, with_dynamic)["total"]["level"] == FAST


def test_the_recompute_after_a_part_is_done_lets_the_rest_of_the_check_go_on():
    run = SlowRun()
    checks = DynamicChecks(run, delay_s=0.0, stop=run.stop)
    sketches, groups = [Sk("a"), Sk("b", size=2.0)], {"g": ["a"], "h": ["b"]}

    def recompute() -> None:  # what the runner does when a part is done: compute, then refine the same state
        checks.refine("w", sketches, groups, {}, recompute)

    checks.refine("w", sketches, groups, {}, recompute)
    _wait(lambda: checks.runs == 3 and not checks.pending("w"))
    assert run.stopped == set() and len(run.calls) == 3  # nothing stopped, nothing run twice
    # a synthesis removed while the check runs is not checked any more
    run2 = SlowRun()
    run2.gate = threading.Event()
    other = DynamicChecks(run2, delay_s=0.0, stop=run2.stop)
    other.refine("w", sketches, groups, {}, lambda: None)
    _wait(lambda: len(run2.calls) == 1)
    other.refine("w", sketches, {"g": ["a"]}, {}, lambda: None)  # "h" is gone; the whole and "g" are the same
    run2.gate.set()
    _wait(lambda: not other.pending("w"))
    assert run2.stopped == set() and [c[0] for c in run2.calls] == [(("wadi", 1.0), ("wadi", 2.0)), (("wadi", 1.0),)]


def test_a_burst_of_changes_is_checked_once_and_other_workshops_wait_their_turn():
    run = SlowRun()
    checks = DynamicChecks(run, delay_s=0.3, stop=run.stop)
    for size in range(1, 6):
        checks.refine("w", [Sk("a", size=float(size))], {}, {}, lambda: None)
        time.sleep(0.02)
    checks.refine("v", [Sk("z", measure="pond")], {}, {}, lambda: None)
    _wait(lambda: checks.runs == 2)
    time.sleep(0.4)
    assert [c[0] for c in run.calls] == [(("wadi", 5.0),), (("pond", 1.0),)]  # only the last state of "w"


def test_a_failed_check_leaves_the_fast_estimate_and_is_not_retried():
    calls = []

    def broken(members: list[Sk], token: int, stage: str) -> dict[str, Any] | None:
        calls.append(token)
        raise RuntimeError("engine broke")

    checks = DynamicChecks(broken, delay_s=0.0)
    checks.refine("w", [Sk("a")], {}, {}, lambda: None)
    _wait(lambda: len(calls) == 1 and not checks.pending("w"))
    assert checks.merge(_fast([Sk("a")], {}), [Sk("a")], {}, with_dynamic)["total"]["level"] == FAST
    assert not checks.refine("w", [Sk("a")], {}, {}, lambda: None)


def test_the_map_storm_of_every_part_comes_first_then_the_expected_annual_damage_replaces_it():
    """Two stages: the map storm of the whole and the synthesis is shown first (buildings, no dynamic EAD: the
    fast one stands, labelled fast), then the series stage puts the dynamic avoided EAD in place, labelled."""
    calls: list[tuple[str, int]] = []
    gate = threading.Event()

    def run(members: list[Sk], token: int, stage: str) -> dict[str, Any] | None:
        calls.append((stage, len(members)))
        if stage == "map":
            return {"computed_at": "t1", "replace": {"buildings_kept_dry": 100 * len(members)},
                    "check": {"stage": stage}}
        gate.wait(10)
        return {"computed_at": "t2", "replace": {"buildings_kept_dry": 100 * len(members)},
                "avoided_damage_eur_per_year": {"pluvial": 7.0 * len(members)}, "check": {"stage": stage}}

    checks = DynamicChecks(run, delay_s=0.0, stages=("map", "series"))
    sketches, groups = [Sk("a"), Sk("b", size=2.0)], {"g": ["a"]}
    fast = _fast(sketches, groups)
    fast["total"]["avoided_damage_level"] = {"pluvial": FAST, "heat": FAST}
    checks.refine("w", sketches, groups, {}, lambda: None)
    _wait(lambda: checks.runs == 2)  # both maps done, the series of the whole waits at the gate
    early = checks.merge(fast, sketches, groups, with_dynamic)["total"]
    assert early["level"] == DYNAMIC and early["buildings_kept_dry"] == 200
    assert early["avoided_damage_eur_per_year"]["pluvial"] == 200.0  # still the fast estimate ...
    assert early["avoided_damage_level"] == {"pluvial": FAST, "heat": FAST}  # ... and said so
    assert checks.pending("w")
    gate.set()
    _wait(lambda: checks.runs == 4 and not checks.pending("w"))
    assert calls == [("map", 2), ("map", 1), ("series", 2), ("series", 1)]  # the maps of every part first
    late = checks.merge(fast, sketches, groups, with_dynamic)
    assert late["total"]["avoided_damage_eur_per_year"] == {"pluvial": 14.0, "heat": 5.0}
    assert late["total"]["avoided_damage_level"] == {"pluvial": DYNAMIC, "heat": FAST}
    assert late["groups"]["g"]["avoided_damage_eur_per_year"]["pluvial"] == 7.0
    assert not checks.refine("w", sketches, groups, {}, lambda: pytest.fail("nothing left to check"))
    # a series stage that fails keeps the map stage shown and is not tried again
    broken = DynamicChecks(lambda m, t, stage: run(m, t, stage) if stage == "map" else 1 / 0, delay_s=0.0,
                           stages=("map", "series"))
    broken.refine("v", [Sk("c")], {}, {}, lambda: None)
    _wait(lambda: broken.runs == 1 and not broken.pending("v"))
    assert broken.merge(_fast([Sk("c")], {}), [Sk("c")], {}, with_dynamic)["total"]["buildings_kept_dry"] == 100
    assert not broken.refine("v", [Sk("c")], {}, {}, lambda: None)


class Bus:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def publish(self, workshop_id: str, kind: str, data: dict[str, Any]) -> None:
        self.events.append(data)


class Computer:
    """A computer with a fast level and a dynamic check, as ProcessIndicators has them."""

    def __init__(self, run: SlowRun) -> None:
        self.checks = DynamicChecks(run, delay_s=0.0, stop=run.stop)

    def warm(self) -> None:
        pass

    def compute(self, sketches: list[Sk], groups: dict[str, list[str]]) -> dict[str, Any]:
        return self.checks.merge(_fast(list(sketches), dict(groups)), sketches, groups, with_dynamic)

    def refine(self, channel: str, sketches: list[Sk], groups: Any, result: Any, done: Any) -> bool:
        return self.checks.refine(channel, sketches, groups, result.get("errors", {}), done)


def test_the_workshop_gets_the_fast_numbers_then_the_dynamic_ones_unless_the_sketches_changed():
    run = SlowRun()
    run.gate = threading.Event()
    state: dict[str, Any] = {"sketches": [("a", "wadi", {}, None, None)], "groups": {}}
    bus = Bus()
    computer = Computer(run)

    def sketch_input(id: str, measure: str, geometry: Any, width_m: Any, count: Any) -> Sk:
        return Sk(id, measure, float(len(geometry) + 1))

    runner = IndicatorRunner(lambda: (computer, sketch_input), lambda _w: (state["sketches"], state["groups"]),
                             bus, delay_s=0.01)  # type: ignore[arg-type]
    runner.schedule("w")
    _wait(lambda: len(bus.events) == 1)
    assert bus.events[0]["total"]["level"] == FAST and bus.events[0]["total"]["buildings_kept_dry"] == 1
    # the sketch changes while its check runs: the check of the old state is stopped, its result not shown
    state["sketches"] = [("a", "wadi", {"type": "Point"}, None, None)]
    runner.schedule("w")
    _wait(lambda: len(bus.events) == 2)
    assert bus.events[1]["total"]["level"] == FAST
    run.gate.set()
    _wait(lambda: any(e["total"]["level"] == DYNAMIC for e in bus.events))
    shown = [e for e in bus.events if e["total"]["level"] == DYNAMIC]
    assert all(e["total"]["buildings_kept_dry"] == 100 for e in shown)
    assert run.calls[-1][0] == (("wadi", 2.0),)  # the dynamic numbers shown are those of the new state
    assert runner.current("w")["total"]["level"] == DYNAMIC
    runner.close()


# --- the real check on the small demo -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    from alliantie.testing.web_demo import shared_demo
    from alliantie.web.indicators import IndicatorService

    svc = IndicatorService(shared_demo(tmp_path_factory.getbasetemp()), dynamic_buffer_m=100.0)
    svc.warm()
    return svc


def test_the_dynamic_check_of_a_wadi_next_to_a_wet_building_on_the_small_demo(service):
    from alliantie.damage.pluvial import above_floor
    from alliantie.measures.overland import Cancelled
    from alliantie.web.indicators import SketchInput

    p = service.baseline.pluvial
    water = above_floor(p.saved_depths[p.shown_case("current").id], p.ground, p.buildings.ring,
                        p.buildings.floor_level_m)
    wet = np.flatnonzero(np.isfinite(water) & (water > 0))
    footprint = service.baseline.buildings.frame.geometry.iloc[wet[0]]
    ring = footprint.centroid.buffer(30).difference(footprint.buffer(2))
    geo = gpd.GeoSeries([ring], crs=service.baseline.grid.crs).to_crs("EPSG:4326").iloc[0]
    sketch = SketchInput("a", "wadi", json.loads(json.dumps(shapely.geometry.mapping(geo))))
    fast = service.compute([sketch], {})["total"]
    dyn = service.dynamic([sketch], stage="map")
    check = dyn["check"]
    assert check is not None and check["windows"] == 1 and check["cells"] < p.grid.width * p.grid.height
    assert check["inflow_m3"] >= 0 and check["storm"] == p.shown_case("current").id
    assert check["above_floor_before"] >= 1  # the wet building is in the window and wet in the 2-D run too
    assert check["above_floor_after"] == check["above_floor_before"] - dyn["replace"]["buildings_kept_dry"] \
        + dyn["replace"]["buildings_newly_wet"]
    shown = with_dynamic(fast, dyn)
    assert shown["level"] == DYNAMIC and fast["level"] == FAST
    assert shown["water_stored_m3"] == dyn["replace"]["water_stored_m3"] > 0
    assert shown["buildings_kept_dry"] == dyn["replace"]["buildings_kept_dry"]
    assert shown["investment_eur"] == fast["investment_eur"]
    json.dumps(shown)
    with pytest.raises(Cancelled):
        # the same content: the map stage is kept, the series stage asks before its first run
        service.dynamic([SketchInput("b", "wadi", sketch.geometry)], should_stop=lambda: True, stage="series")
    # a sketch without a pluvial effect: nothing to replace
    none = service.dynamic([SketchInput("c", "cool_roof", json.loads(json.dumps(shapely.geometry.mapping(
        gpd.GeoSeries([footprint.representative_point()], crs=p.grid.crs).to_crs("EPSG:4326").iloc[0]))))])
    assert none["check"] is None and none["replace"] == {}
    assert with_dynamic(fast, none) is fast  # nothing checked: it stays the fast estimate


def test_the_dynamic_workers_service_holds_no_fast_level_and_checks_the_same(service):
    """``fast_level=False`` (the dynamic worker): no saved depths of every storm, no fast estimate, the same check."""
    from alliantie.web.indicators import IndicatorService, SketchInput

    slim = IndicatorService(service.dossier_file, dynamic_buffer_m=service.dynamic_buffer_m, fast_level=False)
    slim.warm()
    assert slim.baseline.pluvial.saved_depths is None and service.baseline.pluvial.saved_depths is not None
    with pytest.raises(RuntimeError):
        slim.compute([], {})
    footprint = service.baseline.buildings.frame.geometry.iloc[0]
    ring = footprint.centroid.buffer(30).difference(footprint.buffer(2))
    geo = gpd.GeoSeries([ring], crs=service.baseline.grid.crs).to_crs("EPSG:4326").iloc[0]
    sketches = [SketchInput("a", "wadi", json.loads(json.dumps(shapely.geometry.mapping(geo))))]
    full, lean = service.dynamic(sketches, stage="map"), slim.dynamic(sketches, stage="map")
    assert lean["replace"] == full["replace"]
    assert {k: v for k, v in lean["check"].items() if k != "seconds"} == \
        {k: v for k, v in full["check"].items() if k != "seconds"}


def test_the_workshops_dynamic_avoided_ead_is_the_one_alliantie_evaluate_gives(service, tmp_path):
    """The map stage first (no dynamic EAD: the fast one stands), then the series stage: the indicators carry the
    avoided pluvial EAD of ``alliantie evaluate --overland --overland-storms`` for the same sketch and storms."""
    from click.testing import CliRunner

    from alliantie.cli.main import cli
    from alliantie.damage.pluvial import above_floor
    from alliantie.web.indicators import IndicatorService, SketchInput

    p = service.baseline.pluvial
    water = above_floor(p.saved_depths[p.shown_case("current").id], p.ground, p.buildings.ring,
                        p.buildings.floor_level_m)
    wet = np.flatnonzero(np.isfinite(water) & (water > 0))
    footprint = service.baseline.buildings.frame.geometry.iloc[wet[0]]
    ring = footprint.centroid.buffer(30).difference(footprint.buffer(2))
    geo = gpd.GeoSeries([ring], crs=service.baseline.grid.crs).to_crs("EPSG:4326").iloc[0]
    sketch = SketchInput("a", "wadi", json.loads(json.dumps(shapely.geometry.mapping(geo))))
    lean = IndicatorService(service.dossier_file, dynamic_buffer_m=100.0, dynamic_return_periods=(10.0, 1000.0),
                            fast_level=False)
    assert lean.ead_return_periods() == [10.0, 100.0, 1000.0]  # the map storm's is always one of them
    fast = service.compute([sketch], {})["total"]
    assert fast["avoided_damage_level"] == {theme: FAST for theme in fast["avoided_damage_eur_per_year"]}
    first = lean.dynamic([sketch], stage="map")
    assert "avoided_damage_eur_per_year" not in first and first["check"]["return_periods"] == [100.0]
    early = with_dynamic(fast, first)
    assert early["avoided_damage_eur_per_year"] == fast["avoided_damage_eur_per_year"]
    assert early["avoided_damage_level"]["pluvial"] == FAST
    second = lean.dynamic([sketch], stage="series")
    assert second["replace"] == first["replace"]  # the map storm taken over, not run again
    assert second["check"]["return_periods"] == [10.0, 100.0, 1000.0] and second["check"]["ead_before_eur"] > 0
    shown = with_dynamic(fast, second)
    assert shown["avoided_damage_level"]["pluvial"] == DYNAMIC
    frame = gpd.GeoDataFrame({"measure": ["wadi"]}, geometry=[shapely.geometry.shape(sketch.geometry)],
                             crs="EPSG:4326")
    frame.to_file(tmp_path / "sketch.gpkg", layer="sketch")
    result = CliRunner().invoke(cli, ["--lang", "en", "evaluate", str(service.dossier_file),
                                      str(tmp_path / "sketch.gpkg"), "--out", str(tmp_path / "out"), "--level",
                                      "fast", "--overland", "--overland-buffer-m", "100", "--overland-storms",
                                      "10,100,1000"])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "effects.json").read_text())["overland"]
    assert record["return_periods"] == [10.0, 100.0, 1000.0]
    assert shown["avoided_damage_eur_per_year"]["pluvial"] == record["avoided_ead_eur"]
    assert second["check"]["ead_before_eur"] == record["ead_before_eur"]
    assert second["check"]["ead_after_eur"] == record["ead_after_eur"]


def test_the_worker_processes_give_the_fast_estimate_then_the_dynamic_check(service):
    """ProcessIndicators end to end: the fast worker answers, the dynamic worker's check replaces it when done."""
    from alliantie.web.indicators import SketchInput
    from alliantie.web.indicators.process import ProcessIndicators

    frame = service.baseline.buildings.frame
    footprint = frame.geometry.iloc[len(frame) // 2]
    ring = footprint.centroid.buffer(40).difference(footprint.buffer(2))
    geo = gpd.GeoSeries([ring], crs=service.baseline.grid.crs).to_crs("EPSG:4326").iloc[0]
    sketches = [SketchInput("a", "wadi", json.loads(json.dumps(shapely.geometry.mapping(geo))))]
    workers = ProcessIndicators(service.dossier_file, dynamic_delay_s=0.0,
                                dynamic_options={"dynamic_buffer_m": 60.0, "dynamic_return_periods": (10.0,)})
    try:
        fast = workers.compute(sketches, {"g": ["a"]})
        assert fast["total"]["level"] == FAST and fast["groups"]["g"]["level"] == FAST
        done = threading.Event()
        assert workers.refine("w", sketches, {"g": ["a"]}, fast, done.set)
        assert done.wait(600), "the dynamic check did not finish"
        _wait(lambda: not workers.checks.pending("w"), 600)  # type: ignore[union-attr]
        after = workers.compute(sketches, {"g": ["a"]})
        assert after["total"]["level"] == DYNAMIC and after["total"]["dynamic"]["windows"] == 1
        assert after["total"]["dynamic"]["stage"] == "series" and after["total"]["dynamic"]["return_periods"] == [
            10.0, 100.0]  # both stages done: the map storm, then the storms of the EAD
        assert after["total"]["avoided_damage_level"]["pluvial"] == DYNAMIC
        assert after["groups"]["g"]["level"] == DYNAMIC  # the same sketches: the same check
        assert after["sketches"]["a"]["level"] == FAST
        assert after["total"]["investment_eur"] == fast["total"]["investment_eur"]
        assert not workers.refine("w", sketches, {"g": ["a"]}, after, lambda: None)  # nothing left to check
    finally:
        workers.close()
