"""The effect engine on the small demo: baseline, conservation, response to storage, measures burnt in."""

from __future__ import annotations

import itertools
import json
import shutil

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely

from alliantie.contract.names import DAMAGE, PLUVIAL
from alliantie.damage.pluvial import above_floor
from alliantie.dossier import load_dossier, run_dossier
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.evaluate import evaluate
from alliantie.measures.placement import place
from alliantie.measures.pluvial import _stores, _surface, evaluate_pluvial, route_case
from alliantie.measures.sketch import Sketch
from alliantie.method.vista.baseline import dossier_baseline
from alliantie.testing.sketches import sketch_of


@pytest.fixture(scope="module")
def demo(small_demo_run, tmp_path_factory):
    """A copy of the session's clean full run of the small demo, seed 7 (``conftest.py``): the run below finds the
    products up to date (the same files as ``make_demo`` and this run in an empty folder, without computing them
    again)."""
    folder = tmp_path_factory.mktemp("effects") / "demo"
    shutil.copytree(small_demo_run, folder)
    toml = folder / "dossier.toml"
    dossier = load_dossier(toml)
    run_dossier(dossier, products=[PLUVIAL, DAMAGE])
    return toml


@pytest.fixture(scope="module")
def baseline(demo):
    return dossier_baseline(load_dossier(demo), update=False)


def _wet_buildings(baseline):
    p = baseline.pluvial
    case = p.shown_case("current")
    depth = p.saved_depths[case.id]
    water = above_floor(depth, p.ground, p.buildings.ring, p.buildings.floor_level_m)
    return np.flatnonzero(np.isfinite(water) & (water > 0)), depth


def _sketch(baseline, rows, catalogue=None):
    return sketch_of(rows, baseline.grid.crs, catalogue or baseline.catalogue)


def _wadi_next_to(baseline, k, **overrides):
    footprint = baseline.buildings.frame.geometry.iloc[k]
    ring = footprint.centroid.buffer(25).difference(footprint.buffer(2))
    return ("wadi", ring, overrides)


def test_zero_measures_give_the_baseline_exactly(baseline, demo):
    effects = evaluate(baseline, Sketch.empty())
    theme = effects.themes["pluvial"]
    assert all(theme.avoided(s, a) == 0.0 for s in theme.before for a in ("low", "mean", "high"))
    # recomputed without the saved depths: the damage product's EAD to 1e-6
    saved = baseline.pluvial.saved_depths
    baseline.pluvial.saved_depths = None
    try:
        recomputed = evaluate_pluvial(baseline.pluvial, [])
    finally:
        baseline.pluvial.saved_depths = saved
    # flooded road length of the map storm as step 1's road layer has it
    roads = gpd.read_file(load_dossier(demo).products_dir / PLUVIAL / "bluespots.gpkg", layer="roads")
    flooded = float(roads.geometry.length[roads["depth_m_rp100_current"] >= 0.1].sum())
    assert effects.indicators.roads_flooded_before_m["current"] == pytest.approx(flooded, rel=1e-9)
    assert flooded > 0
    summary = json.loads((load_dossier(demo).products_dir / PLUVIAL / "summary.json").read_text())
    map_case = next(c for c in summary["cases"] if c["id"] == baseline.pluvial.shown_case("current").id)
    assert effects.indicators.facade_wet_before["current"] == map_case["buildings_facade"]
    assert effects.indicators.above_floor_before["current"] == map_case["buildings_above_floor"]
    damage = json.loads((load_dossier(demo).products_dir / DAMAGE / "damage.json").read_text())
    for sid, value in damage["themes"]["pluvial"]["annual"].items():
        assert recomputed.ead[sid]["mean"] == pytest.approx(value["mean"], rel=1e-6, abs=0.01)


def test_water_is_conserved_with_storage(baseline):
    wet, _ = _wet_buildings(baseline)
    sketch = _sketch(baseline, [_wadi_next_to(baseline, k) for k in wet[:3]])
    placements = [place(f, baseline.grid, baseline.buildings) for f in sketch.features]
    base = baseline.pluvial
    cells = _surface(base, placements)
    stores = _stores(base, placements, np.asarray(cells.paved).reshape(-1))
    case = base.shown_case("current")
    _, stored_none, inflow_none, _, _ = route_case(base, case, cells, [], base.engine, len(placements))
    _depth, stored, inflow, outflow, surface = route_case(base, case, cells, stores, base.engine, len(placements))
    assert stored.sum() > 0
    assert stored_none.sum() == 0
    assert inflow_none - inflow == pytest.approx(stored.sum(), rel=1e-6)  # what the measures store leaves the storm
    assert inflow == pytest.approx(surface + outflow, rel=1e-6)  # and the rest is on the surface or gone
    capacity = np.array([s.capacity(case.duration_h) for s in stores])
    assert np.all(stored[[s.placement for s in stores]] <= capacity + 1e-9)


def test_more_storage_never_floods_more_buildings_or_costs_more_damage(baseline):
    wet, _ = _wet_buildings(baseline)
    assert wet.size >= 2
    counts, eads = [], []
    for storage in (0.0, 50.0, 150.0, 300.0, 900.0):
        sketch = _sketch(baseline, [_wadi_next_to(baseline, k, storage_mm=storage) for k in wet[:4]])
        effects = evaluate(baseline, sketch)
        counts.append(effects.indicators.above_floor_after["current"])
        eads.append(effects.themes["pluvial"].after["current"]["mean"])
    assert counts == sorted(counts, reverse=True)
    assert all(b <= a + 1e-6 for a, b in itertools.pairwise(eads))
    assert eads[-1] < eads[0]  # and the response is real


def test_a_wadi_in_a_bluespot_lowers_the_water_there(baseline):
    from alliantie.hazards.runoff import runoff_of_surface

    base, grid = baseline.pluvial, baseline.grid
    case = base.series("current")[0]  # the most frequent storm: it fills bluespots only partly
    runoff = runoff_of_surface(case.rain_mm, case.duration_h, base.surface) / np.float32(1000.0)
    runoff[np.isnan(base.model_dem)] = 0
    fsm = base.engine.route(runoff)
    table = fsm.hierarchy.table
    stored, capacity = fsm.stored_m3, np.asarray(table["capacity_m3"])
    # a bluespot that this storm fills partly (a full one spills: its level is its saddle's whatever is stored)
    partly = np.asarray(table["is_leaf"]) & (stored > 0.05 * capacity) & (stored < 0.95 * capacity) & (stored > 20)
    assert partly.any()
    spot = int(np.asarray(table["id"])[int(np.argmax(np.where(partly, stored, 0)))])
    depth = np.where(np.asarray(fsm.hierarchy.bluespot) == spot, np.asarray(fsm.depth), 0.0)
    deepest = int(np.argmax(depth))
    row, col = divmod(deepest, grid.width)
    x = grid.transform.c + (col + 0.5) * grid.res
    y = grid.transform.f - (row + 0.5) * grid.res
    shown = base.shown_return_period
    base.shown_return_period = float(case.return_period)  # the depths of that storm come back
    base._before = None  # the cached baseline outcome holds the map storm's depths only
    try:
        effects = evaluate(baseline, _sketch(baseline, [("wadi", shapely.Point(x, y).buffer(15), {})]))
    finally:
        base.shown_return_period = shown
        base._before = None
    before = np.nan_to_num(effects.depths_before["current"])
    after = np.nan_to_num(effects.depths_after["current"])
    assert after.reshape(-1)[deepest] < before.reshape(-1)[deepest]
    assert np.all(after <= before + 1e-5)  # storage lowers the water everywhere or leaves it


def test_thresholds_keep_a_building_dry_and_cost_per_building(baseline):
    wet, _ = _wet_buildings(baseline)
    point = baseline.buildings.frame.geometry.iloc[wet[0]].representative_point()
    effects = evaluate(baseline, _sketch(baseline, [("thresholds", point, {"floor_raise_m": 2.0})]),
                       per_feature=True)
    assert effects.indicators.kept_dry["current"] == 1
    feature = effects.features[0]
    assert feature.cost.quantity == 1.0
    assert feature.cost.investment["mean"] > 0


_POND = """
title = "test catalogue"
source = "test"
[dynamic_check]
upstream_spread_band_m = { value = 100.0, unit = "m", source = "test" }
[[measure]]
id = "pond"
name = { nl = "Vijver", en = "Pond" }
description = { nl = "test", en = "test" }
themes = ["pluvial"]
levels = ["town"]
geometry = "polygon"
principles = ["retain"]
climate_principle = "spatial_prevention"
group = "open_water"
investment = { unit = "EUR/m2", price_year = 2024, low = 10.0, mean = 20.0, high = 30.0, source = "test" }
maintenance = { unit = "EUR/m2/yr", price_year = 2024, low = 0.0, mean = 1.0, high = 1.0, source = "test" }
lifetime = { years = 50.0, source = "test" }
[measure.effect]
lower_terrain_m = { value = 1.5, unit = "m", source = "test" }
[[measure]]
id = "thresholds"
name = { nl = "Drempels", en = "Thresholds" }
description = { nl = "test", en = "test" }
themes = ["pluvial"]
levels = ["neighbourhood"]
geometry = "building"
climate_principle = "limit_consequences"
group = "buildings"
investment = { unit = "EUR/building", price_year = 2024, low = 1.0, mean = 2.0, high = 3.0, source = "test" }
maintenance = { unit = "EUR/building/yr", price_year = 2024, low = 0.0, mean = 0.0, high = 0.0, source = "test" }
lifetime = { years = 20.0, source = "test" }
[measure.effect]
floor_raise_m = { value = 0.3, unit = "m", source = "test" }
"""


def test_incremental_evaluation_equals_the_pipeline_with_the_measures_burnt_in(baseline, demo, tmp_path):
    import tomllib

    catalogue = MeasureCatalogue.parse(tomllib.loads(_POND), "test.toml")
    wet, depth = _wet_buildings(baseline)
    # a pond in the deepest open spot, thresholds on two wet buildings
    deepest = int(np.nanargmax(np.where(baseline.pluvial.hide, np.nan, depth)))
    row, col = divmod(deepest, baseline.grid.width)
    x = baseline.grid.transform.c + (col + 0.5) * baseline.grid.res
    y = baseline.grid.transform.f - (row + 0.5) * baseline.grid.res
    frame = baseline.buildings.frame
    rows = [("pond", shapely.Point(x, y).buffer(25), {})]
    rows += [("thresholds", frame.geometry.iloc[k].representative_point(), {}) for k in wet[:2]]
    sketch = _sketch(baseline, rows, catalogue)
    effects = evaluate(baseline, sketch)
    placements = [place(f, baseline.grid, baseline.buildings) for f in sketch.features]

    # the same measures burnt into the inputs of a copy of the dossier: a lower DEM and raised floor levels
    copy = tmp_path / "burnt"
    shutil.copytree(demo.parent, copy, ignore=shutil.ignore_patterns("products", "report"))
    dossier = load_dossier(copy / demo.name)
    dem_path = dossier.input_file("dem").path
    with rasterio.open(dem_path) as src:
        profile, dem = src.profile, src.read(1)
    assert dem.shape == baseline.grid.shape  # the demo's DEM is on the dossier grid
    flat = dem.reshape(-1)
    flat[placements[0].ground_cells] -= 1.5
    with rasterio.open(dem_path, "w", **profile) as dst:
        dst.write(dem, 1)
    buildings_path = dossier.input_file("buildings").path
    layer = gpd.read_file(buildings_path)
    base = baseline.pluvial
    floor = base.buildings.floor_level_m.copy()  # the floor levels step 1 used (given or derived)
    raised = np.concatenate([p.buildings for p in placements[1:]])
    floor[raised] = base.buildings.floor_level_m[raised] + 0.3
    layer["floor_level_m"] = floor
    layer.to_file(buildings_path, driver="GPKG")
    run_dossier(load_dossier(copy / demo.name), products=[PLUVIAL, DAMAGE])
    burnt = json.loads((load_dossier(copy / demo.name).products_dir / DAMAGE / "damage.json").read_text())
    for sid, value in burnt["themes"]["pluvial"]["annual"].items():
        assert effects.themes["pluvial"].after[sid]["mean"] == pytest.approx(value["mean"], rel=1e-5, abs=0.05)
    assert effects.themes["pluvial"].avoided("current") > 0


def test_the_fast_level_equals_the_full_one_without_terrain_changes(baseline):
    from alliantie.measures.evaluate import prepare

    wet, _ = _wet_buildings(baseline)
    frame = baseline.buildings.frame
    rows = [_wadi_next_to(baseline, k) for k in wet[:3]]
    rows.append(("thresholds", frame.geometry.iloc[wet[-1]].representative_point(), {}))
    rows.append(("depaving", frame.geometry.iloc[wet[0]].buffer(40).envelope, {}))
    sketch = _sketch(baseline, rows)
    prepare(baseline, "fast")
    fast = evaluate(baseline, sketch, level="fast", per_feature=True)
    full = evaluate(baseline, sketch, level="full", per_feature=True)
    assert not fast.approximate
    for sid, amounts in full.themes["pluvial"].after.items():
        for amount, value in amounts.items():
            assert fast.themes["pluvial"].after[sid][amount] == pytest.approx(value, rel=1e-6, abs=0.01)
    assert fast.indicators.kept_dry == full.indicators.kept_dry
    assert fast.indicators.roads_flooded_after_m == pytest.approx(full.indicators.roads_flooded_after_m)
    assert fast.indicators.facade_wet_after == full.indicators.facade_wet_after
    assert fast.indicators.stored_m3 == pytest.approx(full.indicators.stored_m3, rel=1e-6)
    for a, b in zip(fast.features, full.features, strict=True):
        assert a.themes["pluvial"].avoided("current") == pytest.approx(b.themes["pluvial"].avoided("current"),
                                                                       rel=1e-6, abs=0.01)


def test_the_evaluate_command_writes_effects_and_refuses_a_bad_sketch_out_loud(baseline, demo, tmp_path):
    from click.testing import CliRunner

    from alliantie.cli.main import cli
    from alliantie.contract.effects import read_effects

    wet, _ = _wet_buildings(baseline)
    sketch = tmp_path / "sketch.gpkg"
    frame = gpd.GeoDataFrame({"measure": ["wadi", "thresholds"], "comment": ["a", "b"]},
                             geometry=[_wadi_next_to(baseline, wet[0])[1],
                                       baseline.buildings.frame.geometry.iloc[wet[1]].representative_point()],
                             crs=baseline.grid.crs)
    frame.to_file(sketch, driver="GPKG")
    runner = CliRunner()
    result = runner.invoke(cli, ["--lang", "en", "evaluate", str(demo), str(sketch), "--out", str(tmp_path / "out"),
                                 "--level", "fast"])
    assert result.exit_code == 0, result.output
    data = read_effects(tmp_path / "out")
    assert data.level == "fast" and len(data.features) == 2
    assert data.total.avoided_ead_eur["pluvial"]["current"]["mean"] > 0
    assert "Written" in result.output
    frame["measure"] = ["wadi", "no_such_measure"]
    frame.to_file(sketch, driver="GPKG")
    result = runner.invoke(cli, ["--lang", "en", "evaluate", str(demo), str(sketch), "--out", str(tmp_path / "o2")])
    assert result.exit_code == 3
    assert "no_such_measure" in result.output and "Traceback" not in result.output


def test_the_dynamic_check_runs_the_2d_engine_around_the_measures(baseline):
    from alliantie.measures.overland import overland_effect

    wet, _ = _wet_buildings(baseline)
    sketch = _sketch(baseline, [_wadi_next_to(baseline, k, storage_mm=600.0) for k in wet[:3]])
    placements = [place(f, baseline.grid, baseline.buildings) for f in sketch.features]
    effect = overland_effect(baseline.pluvial, placements, buffer_m=200.0)
    assert effect is not None and effect.storm == baseline.pluvial.shown_case("current").id
    assert effect.cells < baseline.grid.width * baseline.grid.height  # a window, not the grid
    assert effect.stored_m3 > 0
    before = np.nan_to_num(effect.depth_before)
    after = np.nan_to_num(effect.depth_after)
    assert after.sum() < before.sum()  # less water at its highest
    assert effect.kept_dry >= effect.newly_wet
    assert int(effect.above_after.sum()) <= int(effect.above_before.sum())
    assert overland_effect(baseline.pluvial, []) is None


def test_measures_far_apart_get_windows_of_their_own(baseline):
    from alliantie.measures.overland import windows

    w = baseline.grid.width
    near = [np.array([10 * w + 10]), np.array([12 * w + 14])]
    far = np.array([(baseline.grid.height - 5) * w + (w - 5)])
    assert len(windows(baseline.pluvial, near, 100.0)) == 1  # overlapping boxes merge
    boxes = windows(baseline.pluvial, [*near, far], 100.0)
    assert len(boxes) == 2
    assert sum((r1 - r0) * (c1 - c0) for r0, r1, c0, c1 in boxes) < baseline.grid.width * baseline.grid.height / 4


def test_the_dynamic_road_count_leaves_out_the_cells_of_a_measure_meant_to_hold_water(baseline):
    """A water square or pond holds water on purpose: road pieces count by their sample cells outside it."""
    from alliantie.measures.overland_water import value_water

    p = baseline.pluvial
    case = p.shown_case("current")
    cells = p.road_cells
    assert cells is not None and p.road_length_m is not None and p.dynamic is not None
    piece = int(np.flatnonzero((cells >= 0).all(axis=1))[0])
    wet = cells[piece]
    road_hours = np.zeros(p.grid.shape, dtype=np.float32)
    road_hours.reshape(-1)[wet] = 2 * p.dynamic.road_min_hours + 1.0  # water stood on that piece long enough
    held = np.zeros(p.grid.shape, dtype=bool)
    held.reshape(-1)[wet] = True
    args = (p, case, np.full(p.grid.shape, np.nan, dtype=np.float32), np.zeros(p.grid.shape, dtype=np.float32),
            road_hours, p.ground, np.zeros(p.buildings.count, dtype=bool), p.area, np.ones(p.grid.shape, bool))
    counted = value_water(*args).roads_impassable_m
    assert counted >= p.road_length_m[piece] > 0  # the piece (and any sharing its cells) impassable
    assert value_water(*args, held=held).roads_impassable_m == 0.0  # its water lies in the square: not counted
    held.reshape(-1)[wet[0]] = False  # one sample cell outside the square: the piece counts again
    assert value_water(*args, held=held).roads_impassable_m >= p.road_length_m[piece]


def test_the_fast_and_full_road_counts_leave_out_the_cells_of_a_water_square(baseline):
    """A water square holds water on purpose: its own road cells block no road, before or after, at both levels."""
    from alliantie.measures.evaluate import prepare
    from alliantie.measures.pluvial import road_depths

    p = baseline.pluvial
    case = p.shown_case("current")
    cells, length = p.road_cells, p.road_length_m
    assert cells is not None and length is not None
    depth = road_depths(p.saved_depths[case.id].reshape(-1)[np.maximum(cells, 0)] * (cells >= 0))
    flooded = np.flatnonzero((depth >= p.road_depth_m) & (cells >= 0).all(axis=1))
    assert flooded.size, "the small demo has a flooded road piece in today's map storm"
    piece = int(flooded[np.argmax(length[flooded])])
    rows, cols = np.unravel_index(cells[piece], p.grid.shape)
    xs = p.grid.transform.c + (cols + 0.5) * p.grid.res
    ys = p.grid.transform.f - (rows + 0.5) * p.grid.res
    square = shapely.MultiPoint(list(zip(xs, ys, strict=True))).buffer(p.grid.res * 1.5)
    sketch = _sketch(baseline, [("water_square", square, {})])
    prepare(baseline, "fast")
    for level in ("fast", "full"):
        effects = evaluate(baseline, sketch, level=level)
        before = effects.indicators.roads_flooded_before_m["current"]
        after = effects.indicators.roads_flooded_after_m["current"]
        zero = evaluate(baseline, _sketch(baseline, []), level=level).indicators.roads_flooded_before_m["current"]
        # the piece under the square is left out of both counts: before is the plain baseline less that piece
        # (and any other piece with all its sample cells in the square)
        assert before <= zero - length[piece] + 1e-6, level
        assert after <= zero, level
