"""The heat effect model on the small demo: baseline, windows against a full recompute, street trees, monotone shade."""

from __future__ import annotations

import itertools
import json
import shutil

import geopandas as gpd
import numpy as np
import pytest
import shapely

from alliantie.contract.names import DAMAGE
from alliantie.dossier import load_dossier, run_dossier
from alliantie.measures.heat import HeatModel, windows
from alliantie.measures.placement import place
from alliantie.measures.sketch import Sketch
from alliantie.method.vista.baseline import dossier_baseline


@pytest.fixture(scope="module")
def demo(small_demo_run, tmp_path_factory):
    """A copy of the session's clean full run of the small demo, seed 7 (``conftest.py``): the run below finds the
    products up to date (the same files as ``make_demo`` and this run in an empty folder, without computing them
    again)."""
    folder = tmp_path_factory.mktemp("heat_effects") / "demo"
    shutil.copytree(small_demo_run, folder)
    toml = folder / "dossier.toml"
    run_dossier(load_dossier(toml), products=[DAMAGE])  # with the heat product and the other themes it values
    return toml


@pytest.fixture(scope="module")
def baseline(demo):
    return dossier_baseline(load_dossier(demo), update=False)


@pytest.fixture(scope="module")
def model(baseline) -> HeatModel:
    found = baseline.models["heat"]
    assert isinstance(found, HeatModel)
    return found


def _placements(baseline, rows):
    frame = gpd.GeoDataFrame({"measure": [m for m, _g, _o in rows]}, geometry=[g for _m, g, _o in rows],
                             crs=baseline.grid.crs)
    for i, (_m, _g, overrides) in enumerate(rows):
        for key, value in overrides.items():
            if key not in frame:
                frame[key] = np.nan
            frame.loc[i, key] = value
    sketch = Sketch.from_frame(frame, baseline.catalogue, label="test sketch")
    return [place(f, baseline.grid, baseline.buildings) for f in sketch.features]


def _street(model, offset_cells=3, length_m=200.0):
    """An east-west street 3 cells south of the most populated home cell: a row of street trees goes there."""
    grid = model.base.grid
    flat = int(model.lived[np.argmax(model.people)])
    row, col = divmod(flat, grid.shape[1])
    x, y = grid.transform @ (col + 0.5, row + 0.5 + offset_cells)
    return shapely.LineString([(x - length_m / 2, y), (x + length_m / 2, y)])


def _trees(model, baseline, **overrides):
    return _placements(baseline, [("street_trees", _street(model), overrides)])


def test_zero_measures_give_the_damage_products_heat_ead(model, baseline, demo):
    outcome = model.outcome([])
    damage = json.loads((load_dossier(demo).products_dir / DAMAGE / "damage.json").read_text())
    saved = damage["themes"]["heat"]["annual"]
    assert set(outcome.ead) == set(saved)
    for sid, value in saved.items():
        for amount in ("low", "mean", "high"):
            assert outcome.ead[sid][amount] == pytest.approx(value[amount], abs=0.006)
    assert all(v == 0 for v in outcome.indicators["residents_cooled"].values())
    # measures without a heat effect change nothing either
    wadi = _placements(baseline, [("wadi", _street(model).buffer(10), {})])
    assert model.outcome(wadi).ead == outcome.ead


def test_windows_equal_a_full_recompute(model, baseline):
    grid = baseline.grid
    street = _street(model)
    x, y = street.centroid.x, street.centroid.y
    homes = baseline.buildings.frame.geometry
    roofs = homes.iloc[[int(i) for i in homes.sindex.query(street.buffer(60), predicate="intersects")[:3]]]
    placements = _placements(baseline, [
        ("street_trees", street, {}),
        ("cool_place", shapely.box(x + 150, y - 60, x + 190, y - 20), {}),
        ("cool_materials", shapely.box(x - 200, y + 40, x - 150, y + 80), {}),
        ("green_roof", roofs.union_all(), {}),
        ("depaving", shapely.box(grid.bounds[0] + 20, grid.bounds[1] + 20, grid.bounds[0] + 60,
                                 grid.bounds[1] + 60), {}),  # far away: a second window
    ])
    edits = model._edits(placements)
    assert edits is not None and len(windows(edits.boxes["radiation"], model.reach_r, model.shape)) >= 2
    windowed = model.results(placements)
    full = model.results(placements, windowed=False)
    before = model.before
    for sid in model.tables:
        np.testing.assert_allclose(windowed.pet[sid], full.pet[sid], atol=1e-6, rtol=0)
        # home PET: a box mean kept as float32 (as the heat product keeps it), whose last bit (3.8e-6 at 40 degC)
        # follows the running sums of the window
        np.testing.assert_allclose(windowed.home[sid], full.home[sid], atol=1e-5, rtol=0)
        assert np.nanmax(np.abs(windowed.pet[sid] - before.pet[sid])) > 0.5  # the measures do something
    np.testing.assert_allclose(windowed.uhi, full.uhi, atol=1e-6, rtol=0)
    np.testing.assert_allclose(windowed.cooling, full.cooling, atol=1e-6, rtol=0)
    np.testing.assert_array_equal(windowed.shade, full.shade)
    np.testing.assert_array_equal(windowed.cool, full.cool)
    assert not np.allclose(windowed.uhi, before.uhi, equal_nan=True)
    # outside the pasted boxes the windowed arrays are the baseline's, and a full recompute agrees there
    outside = np.ones(model.shape, dtype=bool)
    for win in windows(edits.boxes["radiation"], model.reach_r, model.shape):
        r0, r1, c0, c1 = win.paste
        outside[r0:r1, c0:c1] = False
    for sid in model.tables:
        np.testing.assert_array_equal(windowed.pet[sid][outside], before.pet[sid][outside])
        np.testing.assert_array_equal(full.pet[sid][outside], before.pet[sid][outside])


def test_street_trees_cool_under_their_crowns_and_warm_nowhere(model, baseline):
    placements = _trees(model, baseline)
    after = model.results(placements)
    crowns = placements[0].ground_cells
    for sid in model.tables:
        b, a = model.before.pet[sid], after.pet[sid]
        change = (a - b).reshape(-1)
        assert np.nanmax(change) <= 1e-6  # never warmer
        under = change[crowns]
        assert np.nanmean(under) < -2.0  # a closed row of crowns: several degrees cooler beneath
        home = (after.home[sid] - model.before.home[sid]).reshape(-1)
        assert np.nanmax(home) <= 1e-6
    outcome = model.outcome(placements)
    assert outcome.indicators["residents_cooled"]["current"] > 0
    for sid in model.tables:
        assert outcome.ead[sid]["mean"] < model.baseline.ead[sid]["mean"]
        assert (outcome.indicators["residents_extreme_heat_after"][sid]
                <= outcome.indicators["residents_extreme_heat_before"][sid])
        assert outcome.indicators["pet_home_mean_after"][sid] < outcome.indicators["pet_home_mean_before"][sid]


def test_more_shade_never_cools_fewer_residents(model, baseline):
    cooled, ead = [], []
    for share in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        outcome = model.outcome(_trees(model, baseline, shade_share=share))
        assert all(v >= 0 for v in outcome.indicators["residents_cooled"].values())
        cooled.append(outcome.indicators["residents_cooled"])
        ead.append(outcome.ead)
    for sid in model.tables:
        counts = [c[sid] for c in cooled]
        assert all(b >= a for a, b in itertools.pairwise(counts)), (sid, counts)
        means = [e[sid]["mean"] for e in ead]
        assert all(b <= a + 1e-6 for a, b in itertools.pairwise(means)), (sid, means)
    assert cooled[-1]["current"] > cooled[0]["current"]


def test_the_cool_place_distances_measured_only_from_new_places_equal_a_full_recount(model, baseline):
    grid = model.base.grid
    limit = model.base.knowledge.cool_max_distance_m
    far = model.lived[model.distance_before > limit]
    assert far.size, "the small demo has residents far from a cool place"
    rng = np.random.default_rng(3)
    shapes = []
    for flat in rng.choice(far, size=min(4, far.size), replace=False):
        row, col = divmod(int(flat), grid.shape[1])
        x, y = grid.transform @ (col + 0.5, row + 0.5)
        shapes.append(shapely.box(x + 60, y - 20, x + 100, y + 20))  # 40 x 40 m, 60-100 m east of a far home
    checked = 0
    for size in (1, len(shapes)):
        placements = _placements(baseline, [("cool_place", s, {}) for s in shapes[:size]])
        after = model.results(placements)
        fast, full = model._far_after(after.cool), model._far(after.cool)
        assert fast == full
        assert full < model.far_before  # the new places bring residents within walking distance
        checked += 1
    assert checked == 2
    assert model._far_after(model.before.cool) == model.far_before == model._far(model.before.cool)


def test_street_trees_near_the_workplaces_lower_the_labour_loss(model, baseline):
    """Shade near the offices, shops and halls lowers the PET around the workplaces, and so the labour loss."""
    assert model.jobs.sum() > 0, "the small demo's buildings carry use classes with workplaces"
    grid = model.base.grid
    row, col = divmod(int(model.worked[np.argmax(model.jobs)]), grid.shape[1])
    x, y = grid.transform @ (col + 0.5, row + 3.5)  # a row of street trees 3 cells south of the busiest workplace
    placements = _placements(baseline, [("street_trees", shapely.LineString([(x - 100, y), (x + 100, y)]), {})])
    outcome = model.outcome(placements)
    ind = outcome.indicators
    home = {sid: ind["pet_home_mean_after"][sid] - ind["pet_home_mean_before"][sid] for sid in model.tables}
    work = {sid: ind["pet_work_mean_after"][sid] - ind["pet_work_mean_before"][sid] for sid in model.tables}
    assert all(work[sid] < 0 for sid in model.tables), work
    # the workplaces' cooling alone lowers the EAD: the same homes' cooling without it values more
    valuation = model.base.valuation
    with_work, homes_only = valuation.ead(home, work), valuation.ead(home, {})
    for sid in model.tables:
        assert outcome.ead[sid]["mean"] == pytest.approx(with_work[sid]["mean"])
        assert with_work[sid]["mean"] < homes_only[sid]["mean"]
        assert with_work[sid]["low"] <= homes_only[sid]["low"] and with_work[sid]["high"] < homes_only[sid]["high"]
