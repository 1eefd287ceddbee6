"""Issue 11: the dynamic check counts and values the 2-D water as the damage product does.

The small demo (seed 7) coarsened to 40 m cells (100 x 80) with ``[parameters.pluvial] engine = "overland"``:
the pluvial product runs every storm through the 2-D engine and the damage product values its depths and
durations. The dynamic check of the measure engine, given one window over the whole grid and no measures,
must give the same buildings (at the facade, above the floor), impassable roads and damage for the map storm;
with wadis its damage must be lower.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.contract.damage import read_damage
from alliantie.contract.pluvial_depths import read_case_depths
from alliantie.contract.summaries import OVERLAND_FILE, PluvialOverlandSummary, read_summary
from alliantie.dossier import load_dossier
from alliantie.measures.overland import overland_effect
from alliantie.measures.placement import place
from alliantie.method.vista.baseline import dossier_baseline
from alliantie.testing.sketches import sketch_of


@pytest.fixture(scope="module")
def demo(coarse_overland_run, tmp_path_factory):
    """A copy of the session's coarse 2-D run of the small demo (``conftest.py``: 40 m cells, the overland engine,
    run up to the damage product), which ``test_pluvial_overland_demo.py`` reads too."""
    folder = tmp_path_factory.mktemp("overland_product") / "demo"
    shutil.copytree(coarse_overland_run, folder)
    return folder / "dossier.toml"


@pytest.fixture(scope="module")
def baseline(demo):
    return dossier_baseline(load_dossier(demo), update=False)


@pytest.fixture(scope="module")
def whole_grid(baseline):
    """The map storm of today in one window over the whole grid, without measures."""
    base = baseline.pluvial
    effect = overland_effect(base, [], boxes=[(0, base.grid.height, 0, base.grid.width)], upstream=False)
    assert effect is not None and effect.main is not None
    return effect


def test_a_window_over_the_grid_without_measures_gives_the_products_2d_damage(demo, baseline, whole_grid):
    products = load_dossier(demo).products_dir
    case = baseline.pluvial.shown_case("current")
    run = whole_grid.main
    assert run is not None and run.storm == case.id and whole_grid.counted.all()
    # the depths the pluvial product saved for that storm (float32 both)
    saved = read_case_depths(products / "urgency.pluvial")[case.id]
    assert np.array_equal(np.isfinite(saved), np.isfinite(run.depth_before))
    assert np.allclose(np.nan_to_num(saved), np.nan_to_num(run.depth_before), rtol=0, atol=1e-6)
    # the damage product's count of buildings above the floor and its damage (land use with durations, buildings)
    pluvial = read_damage(products / "urgency.damage").themes["pluvial"]
    event = next(e for e in pluvial.events if (e.event, e.scenario) == (case.event, "current"))
    assert event.buildings_above_floor > 0
    assert int(run.above_before.sum()) == event.buildings_above_floor
    product_damage = event.land["mean"] + event.buildings["mean"]
    assert run.damage_before["mean"] == pytest.approx(product_damage, rel=1e-6, abs=1.0)
    # the pluvial product's 2-D summary: buildings at the facade, roads impassable by depth and duration
    summary = read_summary(products / "urgency.pluvial", PluvialOverlandSummary, OVERLAND_FILE)
    assert summary is not None
    row = next(c for c in summary.cases if c.id == case.id)
    assert run.facade_before is not None and int(run.facade_before.sum()) == row.buildings_facade
    assert run.roads_impassable_before_m / 1000.0 == pytest.approx(row.road_km_impassable, abs=1e-3)
    # no measures: nothing changes
    assert run.damage_after == run.damage_before and whole_grid.kept_dry == whole_grid.newly_wet == 0


def test_wadis_lower_the_dynamic_damage(baseline, whole_grid):
    base = baseline.pluvial
    run = whole_grid.main
    assert run is not None
    wet = np.flatnonzero(run.above_before)[:4]
    assert wet.size
    frame = baseline.buildings.frame
    rows = [("wadi", frame.geometry.iloc[k].centroid.buffer(60).difference(frame.geometry.iloc[k].buffer(2)),
             {"storage_mm": 600.0}) for k in wet]
    sketch = sketch_of(rows, baseline.grid.crs, baseline.catalogue)
    placements = [place(f, baseline.grid, baseline.buildings) for f in sketch.features]
    effect = overland_effect(base, placements, boxes=whole_grid.windows, upstream=False)
    assert effect is not None and effect.main is not None
    after = effect.main
    assert after.stored_m3 > 0
    assert after.damage_before == run.damage_before  # the same run without measures
    assert after.damage_after["mean"] < after.damage_before["mean"]
    assert int(after.above_after.sum()) <= int(after.above_before.sum())
    # the windows around the wadis alone (with the water from upstream) show the drop too
    local = overland_effect(base, placements, buffer_m=200.0)
    assert local is not None and local.main is not None and local.cells < base.grid.height * base.grid.width
    assert local.main.damage_after["mean"] < local.main.damage_before["mean"]


def test_the_fast_and_full_levels_compare_the_screening_with_itself_and_say_so(demo, baseline, tmp_path):
    """The product ran 2-D: the fast and full levels do not set the saved 2-D depths (level rule) against
    fill-spill-merge with the measures (a measure that does nothing to pluvial flooding then 'avoided' the
    engines' difference); both sides are the screening's, and effects.json and the command say so."""
    import json

    import geopandas as gpd

    from alliantie.measures.evaluate import evaluate
    from alliantie.measures.export import effects_file

    base = baseline.pluvial
    assert base.product_engine == "overland" and base.saved_depths is None
    frame = baseline.buildings.frame
    square = frame.geometry.iloc[0].centroid.buffer(80).difference(frame.geometry.iloc[0].buffer(2))
    heat_only = sketch_of([("cool_materials", square, {})], baseline.grid.crs, baseline.catalogue)
    for level in ("fast", "full"):
        effects = evaluate(baseline, heat_only, level=level)
        assert effects.themes["pluvial"].avoided("current") == 0.0, level  # nothing done, nothing avoided
        assert effects_file(effects, baseline, "s").pluvial_product_engine == "overland"
    wet = np.flatnonzero(np.isfinite(base.before().depths[base.shown_case("current").id]))
    assert wet.size  # the screening's own "before" routed (no saved 2-D depths used)
    sketch = tmp_path / "sketch.gpkg"
    gpd.GeoDataFrame({"measure": ["wadi"]}, geometry=[square], crs=baseline.grid.crs).to_file(sketch, layer="s")
    result = CliRunner().invoke(cli, ["--lang", "en", "evaluate", str(demo), str(sketch), "--out",
                                      str(tmp_path / "out"), "--level", "fast"])
    assert result.exit_code == 0, result.output
    assert "not the product's 2-D damage" in " ".join(result.output.split())
    written = json.loads((tmp_path / "out" / "effects.json").read_text())
    assert written["pluvial_product_engine"] == "overland"
