"""The drought and flood-safety effect models on the small demo: baseline, locality, response, measures burnt in."""

from __future__ import annotations

import itertools
import json
import shutil

import numpy as np
import pytest
import rasterio
import shapely
import shapely.affinity

from alliantie.contract.names import DAMAGE, DROUGHT, FLOOD
from alliantie.dossier import load_dossier, run_dossier
from alliantie.hazards.drought import chain
from alliantie.measures.evaluate import evaluate
from alliantie.measures.placement import place
from alliantie.measures.sketch import Sketch
from alliantie.method.vista.baseline import dossier_baseline
from alliantie.testing.sketches import sketch_of

#: River level rises that let the demo's breach reach buildings in the Hd scenarios (today's breach wets none).
RISE = "level_rise_m = { Hd2050 = 0.6, Hd2100 = 1.2 }\n"


@pytest.fixture(scope="module")
def demo(small_demo_run, tmp_path_factory):
    """A copy of the session's clean full run of the small demo, seed 7 (``conftest.py``) with the river rising:
    the run below recomputes flood safety and what depends on it, and finds the rest up to date (the same products
    as ``make_demo`` and this run in an empty folder, without computing the themes the rise leaves alone again)."""
    folder = tmp_path_factory.mktemp("drought_flood") / "demo"
    shutil.copytree(small_demo_run, folder)
    toml = folder / "dossier.toml"
    text = toml.read_text(encoding="utf-8")
    assert "[parameters.flood]\n" in text and "breach_probability_per_year" in text
    toml.write_text(text.replace("[parameters.flood]\n", "[parameters.flood]\n" + RISE), encoding="utf-8")
    run_dossier(load_dossier(toml), products=[DROUGHT, FLOOD, DAMAGE])
    return toml


@pytest.fixture(scope="module")
def baseline(demo):
    return dossier_baseline(load_dossier(demo), update=False)


def _damage(demo):
    return json.loads((load_dossier(demo).products_dir / DAMAGE / "damage.json").read_text())


def _sketch(baseline, rows):
    return sketch_of(rows, baseline.grid.crs, baseline.catalogue)


def _polder(baseline, radius=250.0):
    """A disc in the middle of the demo's peat polder."""
    model = baseline.models["drought"]
    g = model.ground
    rows, cols = np.nonzero((g.peat_factor > 0) & g.area & np.isfinite(g.glg) & (g.glg > 0.3))
    r, c = int(np.median(rows)), int(np.median(cols))
    t, res = baseline.grid.transform, baseline.grid.res
    return shapely.Point(t.c + (c + 0.5) * res, t.f - (r + 0.5) * res).buffer(radius)


def test_zero_measures_give_the_damage_products_numbers(baseline, demo):
    damage = _damage(demo)
    assert set(baseline.models) >= {"drought", "flood"}
    for theme in ("drought", "flood"):
        outcome = baseline.models[theme].outcome([])
        annual = damage["themes"][theme]["annual"]
        assert set(outcome.ead) == set(annual)
        for sid, value in annual.items():
            for amount in ("low", "mean", "high"):
                assert outcome.ead[sid][amount] == pytest.approx(value[amount], abs=0.006)  # damage.json: 2 decimals
    incidents = {i["id"]: i["damage"]["mean"] for i in damage["themes"]["flood"]["incidents"]}
    for b in baseline.models["flood"].breaches:
        assert b.case.total("mean") == pytest.approx(incidents[f"flood_breach_{b.case.scenario}"], abs=0.006)
    effects = evaluate(baseline, Sketch.empty())
    for theme in ("drought", "flood"):
        e = effects.themes[theme]
        assert all(e.avoided(s, a) == 0.0 for s in e.before for a in ("low", "mean", "high"))


def test_a_raised_ditch_level_lowers_subsidence_in_the_polder_and_nothing_outside(baseline):
    model = baseline.models["drought"]
    sketch = _sketch(baseline, [("raised_ditch_level", _polder(baseline), {})])
    effects = evaluate(baseline, sketch)
    extra = effects.indicators.extra
    for sid in extra["drought_subsidence_mm_per_yr_before"]:
        assert extra["drought_subsidence_mm_per_yr_after"][sid] < extra["drought_subsidence_mm_per_yr_before"][sid]
        assert extra["drought_subsidence_avoided_m3_per_yr"][sid] > 0
    assert all(effects.themes["drought"].avoided(s) >= 0 for s in effects.themes["drought"].before)
    # the whole chain on the whole grid with the changed ground: it differs on the polder's cells only
    placement = place(sketch.features[0], baseline.grid, baseline.buildings)
    cells, changed = model._changed([placement])
    full = chain.Ground(**{k: np.array(v, copy=True) for k, v in vars(model.ground).items()})
    for name in ("glg", "season_depth", "peat_factor", "fuel"):
        getattr(full, name).reshape(-1)[cells] = getattr(changed, name)
    s = model.scenarios[-1]
    args = {"design_mm": s.design_mm, "design_change_mm": s.design_change_mm, "years": s.years, "near": model.near}
    before = chain.cell_hazard(model.ground, model.soil, model.params, **args)
    after = chain.cell_hazard(full, model.soil, model.params, **args)
    outside = np.ones(baseline.grid.shape, dtype=bool)
    outside.reshape(-1)[cells] = False
    for name in ("subsidence_rate", "subsidence_cm", "sensitivity", "wildfire_class"):
        a, b = getattr(before, name), getattr(after, name)
        assert np.array_equal(a[outside], b[outside], equal_nan=True), name
    lower = np.nan_to_num(after.subsidence_rate) < np.nan_to_num(before.subsidence_rate)
    assert lower.any() and not lower[outside].any()
    assert np.all(np.nan_to_num(after.subsidence_rate) <= np.nan_to_num(before.subsidence_rate) + 1e-6)


def test_more_water_level_rise_never_increases_subsidence_or_its_damage(baseline):
    polder = _polder(baseline, radius=400.0)
    rates, eads = [], []
    for rise in (0.0, 0.05, 0.1, 0.2, 0.4, 0.8):
        sketch = _sketch(baseline, [("raised_ditch_level", polder, {"water_level_change_m": rise})])
        effects = evaluate(baseline, sketch)
        rates.append(effects.indicators.extra["drought_subsidence_mm_per_yr_after"])
        eads.append({s: v["mean"] for s, v in effects.themes["drought"].after.items()})
    for sid in eads[0]:
        assert all(b[sid] <= a[sid] + 1e-6 for a, b in itertools.pairwise(eads)), sid
        assert all(b[sid] <= a[sid] + 1e-9 for a, b in itertools.pairwise(rates)), sid
    assert any(eads[-1][s] < eads[0][s] for s in eads[0])  # and the response is real
    assert rates[-1]["current"] < rates[0]["current"]


def test_dike_reinforcement_cuts_the_annual_breach_damage_by_its_factor(baseline):
    model = baseline.models["flood"]
    assert model.breach_xy is not None and model.probability_per_year is not None
    x, y = model.breach_xy
    along = shapely.LineString([(x - 200.0, y - 150.0), (x + 200.0, y + 150.0)])  # through the breach point
    effects = evaluate(baseline, _sketch(baseline, [("dike_reinforcement", along, {"breach_probability_factor": 0.1})]))
    flood = effects.themes["flood"]
    for sid in flood.before:
        for amount in ("low", "mean", "high"):
            assert flood.after[sid][amount] == pytest.approx(0.1 * flood.before[sid][amount], rel=1e-9)
        assert flood.avoided(sid) == pytest.approx(0.9 * flood.before[sid]["mean"], rel=1e-9)
    extra = effects.indicators.extra
    assert extra["flood_breach_probability_after"]["current"] == pytest.approx(0.1 * model.probability_per_year)
    # a dike 500 m away covers another section: the breach keeps its probability
    away = shapely.affinity.translate(along, 500.0 * 0.6, -500.0 * 0.8)
    far = evaluate(baseline, _sketch(baseline, [("dike_reinforcement", away, {})]))
    assert all(far.themes["flood"].avoided(s) == 0.0 for s in far.themes["flood"].before)


def test_floodproofing_keeps_shallow_buildings_dry_and_never_touches_deeper_ones(baseline):
    model = baseline.models["flood"]
    frame = baseline.buildings.frame
    breach = max(model.breaches, key=lambda b: int(np.nansum(b.above_floor > 0)))
    wet = np.flatnonzero(np.isfinite(breach.above_floor) & (breach.above_floor > 0))
    assert wet.size >= 3
    facade = breach.above_floor + model.floor_level_m - model.facade_ground_m
    limit = float(np.median(facade[wet]))
    shallow, deep = wet[facade[wet] <= limit], wet[facade[wet] > limit]
    assert shallow.size and deep.size
    rows = [("floodproofing", frame.geometry.iloc[k].representative_point(),
             {"floor_raise_m": limit, "protects_up_to_m": limit}) for k in wet]
    sketch = _sketch(baseline, rows)
    effects = evaluate(baseline, sketch)
    sid = breach.case.scenario
    extra = effects.indicators.extra
    assert extra["flood_buildings_kept_dry"][sid] == shallow.size
    assert extra["flood_buildings_above_floor_after"][sid] == wet.size - shallow.size
    # the after damage is the breach with exactly the shallow buildings dry and the deep ones as they were
    expected = breach.above_floor.copy()
    expected[shallow] = np.nan
    assert extra["flood_incident_after_eur"][sid] == pytest.approx(model._case(breach, expected).total("mean"),
                                                                   rel=1e-12)
    assert effects.themes["flood"].avoided(sid) > 0


def test_incremental_equals_the_pipeline_with_the_groundwater_raised_in_the_inputs(baseline, demo, tmp_path):
    sketch = _sketch(baseline, [("raised_ditch_level", _polder(baseline, radius=400.0), {"water_level_change_m": 0.3})])
    effects = evaluate(baseline, sketch)
    cells = place(sketch.features[0], baseline.grid, baseline.buildings).cells

    copy = tmp_path / "burnt"
    shutil.copytree(demo.parent, copy)
    dossier = load_dossier(copy / demo.name)
    for name in ("glg", "ghg"):
        path = dossier.input_file(name).path
        with rasterio.open(path) as src:
            profile, depth = src.profile, src.read(1)
        assert depth.shape == baseline.grid.shape  # the demo's groundwater is on the dossier grid
        flat = depth.reshape(-1)
        raised = flat[cells]
        flat[cells] = np.where(raised > 0, np.maximum(raised - np.float32(0.3), 0), raised)
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(depth, 1)
    run_dossier(load_dossier(copy / demo.name), products=[DROUGHT, DAMAGE])
    burnt = json.loads((load_dossier(copy / demo.name).products_dir / DAMAGE / "damage.json").read_text())
    drought = effects.themes["drought"]
    assert any(drought.avoided(s) > 0 for s in drought.before)
    before = _damage(demo)["themes"]["drought"]["annual"]
    assert any(value["mean"] < before[sid]["mean"] - 1.0 for sid, value in burnt["themes"]["drought"]["annual"].items())
    for sid, value in burnt["themes"]["drought"]["annual"].items():
        # the saved totals are rounded (ha to 0.01): a few euros of a few hundred thousand
        assert drought.after[sid]["mean"] == pytest.approx(value["mean"], rel=1e-4, abs=0.05)
