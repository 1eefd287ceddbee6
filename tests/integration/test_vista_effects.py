"""The step 3 product vista.effects on the small demo: the engine's numbers, no sketch, a wrong measure id."""

from __future__ import annotations

import json
import shutil

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.contract.effects import EFFECTS_FILE, read_effects
from alliantie.contract.names import EFFECTS
from alliantie.contract.spec import read_maps, read_tables
from alliantie.demo import make_demo
from alliantie.dossier import load_dossier, run_dossier
from alliantie.dossier.registry import REGISTRY, ProductContext, RunCache, load_products
from alliantie.io.vector import read_vector
from alliantie.measures.evaluate import evaluate
from alliantie.measures.export import effects_file
from alliantie.measures.sketch import Sketch
from alliantie.method.vista.baseline import dossier_baseline
from alliantie.method.vista.effects.product import features_alone
from alliantie.method.vista.effects.tables import feature_table

SKETCH_LINE = 'sketch = { path = "inputs/example_sketch.gpkg", layer = "example_sketch" }'


@pytest.fixture(scope="module")
def demo(small_demo_run, tmp_path_factory):
    """A copy of the session's clean full run of the small demo, seed 7 (``conftest.py``), the module's own, as tests
    here change its sketch: the run below finds the effects up to date (the same files as ``make_demo`` and this
    run in an empty folder, without computing them again)."""
    folder = tmp_path_factory.mktemp("vista_effects") / "demo"
    shutil.copytree(small_demo_run, folder)
    toml = folder / "dossier.toml"
    run_dossier(load_dossier(toml), products=[EFFECTS])
    return toml


def test_effects_json_holds_what_the_engine_computes(demo):
    dossier = load_dossier(demo)
    folder = dossier.products_dir / EFFECTS
    saved = read_effects(folder)
    baseline = dossier_baseline(dossier, update=False)
    frame = read_vector(dossier.root / "inputs" / "example_sketch.gpkg", layer="example_sketch",
                        target_crs=baseline.grid.crs)
    direct = effects_file(evaluate(baseline, Sketch.from_frame(frame, baseline.catalogue)), baseline, "direct")
    assert saved.total == direct.total
    assert saved.sketch == "inputs/example_sketch.gpkg:example_sketch"
    assert saved.seconds == {}  # timings only in the log: two runs write the same file
    assert len(saved.features) == len(frame) == 14
    assert saved.themes_evaluated == ["pluvial", "heat", "drought", "flood"]
    # every feature alone: the same cost as in the whole, its own pluvial effect
    assert sum(f.cost_pv_eur["mean"] for f in saved.features) == pytest.approx(saved.total.cost_pv_eur["mean"],
                                                                              abs=0.1)
    assert all("pluvial" in f.avoided_ead_eur for f in saved.features)

    tables = {t.id: t for t in read_tables(folder).tables}
    assert set(tables) == {"effects_features", "effects_totals"}
    assert len(tables["effects_features"].rows) == 14
    assert tables["effects_features"].total is not None
    # one row per theme and climate with a value
    assert len(tables["effects_totals"].rows) == sum(len(v) for v in saved.total.avoided_ead_eur.values())
    note = tables["effects_totals"].note
    assert note is not None and "vier" in note.nl and "four" in note.en  # every theme evaluated
    maps = {m.id: m for m in read_maps(folder)}
    assert "effects_sketch" in maps
    layers = {layer.layer for m in maps.values() for layer in m.layers if layer.type == "vector"}
    assert layers <= set(pyogrio.list_layers(folder / "sketch.gpkg")[:, 0])
    lines = gpd.read_file(folder / "sketch.gpkg", layer="sketch_lines")
    assert set(lines["measure"]) == {"street_trees", "brook_restoration", "dike_reinforcement"}
    assert (folder / "depth_change_current.tif").exists() and (folder / "depth_change_current.qml").exists()
    # on a large grid only the whole is evaluated: the per-measure effects are empty and the note says why
    whole = feature_table(saved, 0, 3_200_000)
    assert all(row[2] is None and row[3] is None for row in whole.rows)
    assert whole.note is not None and "3,200,000 cells" in whole.note.en and "3.200.000 cellen" in whole.note.nl
    assert features_alone(14, 128_000) == 14 and features_alone(14, 3_200_000) == 0


def test_a_dossier_without_a_sketch_gets_the_no_sketch_table(tmp_path):
    toml = make_demo(tmp_path / "demo", size="small", seed=7)
    toml.write_text(toml.read_text(encoding="utf-8").replace(SKETCH_LINE, ""), encoding="utf-8")
    dossier = load_dossier(toml)
    assert dossier.input_file("sketch") is None
    load_products()
    product = REGISTRY[EFFECTS]
    out = tmp_path / "out"
    out.mkdir()
    product.function()(ProductContext(product=product, dossier=dossier, out_dir=out, cache=RunCache(dossier)))
    tables = read_tables(out).tables
    assert [t.id for t in tables] == ["effects_none"]
    assert "sketch" in tables[0].rows[0][0].en  # type: ignore[union-attr]
    assert not (out / EFFECTS_FILE).exists()


def test_an_unknown_measure_fails_the_product_with_the_engines_message(demo):
    inputs = demo.parent / "inputs"
    frame = gpd.read_file(inputs / "example_sketch.gpkg", layer="example_sketch")
    frame.loc[3, "measure"] = "wadie"
    frame.to_file(inputs / "bad_sketch.gpkg", layer="bad", driver="GPKG")
    original = demo.read_text(encoding="utf-8")
    demo.write_text(original.replace(SKETCH_LINE, 'sketch = { path = "inputs/bad_sketch.gpkg", layer = "bad" }'),
                    encoding="utf-8")
    before = json.loads((demo.parent / "products" / EFFECTS / "provenance.json").read_text(encoding="utf-8"))
    try:
        result = CliRunner().invoke(cli, ["--lang", "en", "run", str(demo), "--product", EFFECTS])
    finally:
        demo.write_text(original, encoding="utf-8")
    assert result.exit_code == 3, result.output
    assert "bad_sketch.gpkg" in result.output and "feature 4" in result.output
    assert "'wadie' is not in the catalogue" in result.output and "wadi" in result.output
    assert "Traceback" not in result.output
    # the saved product stays as it was
    after = json.loads((demo.parent / "products" / EFFECTS / "provenance.json").read_text(encoding="utf-8"))
    assert after == before


def test_on_a_large_grid_each_measure_alone_is_evaluated_at_the_fast_level(demo):
    from alliantie.measures.export import effects_file
    from alliantie.method.vista.effects.product import _evaluate

    dossier = load_dossier(demo)
    baseline = dossier_baseline(dossier, update=False)
    frame = read_vector(dossier.root / "inputs" / "example_sketch.gpkg", layer="example_sketch",
                        target_crs=baseline.grid.crs)
    sketch = Sketch.from_frame(frame, baseline.catalogue)
    full, fast_alone = _evaluate(baseline, sketch, alone=len(sketch))
    capped, fast_flag = _evaluate(baseline, sketch, alone=0)
    assert not fast_alone and fast_flag
    for a, b in zip(capped.features, full.features, strict=True):
        if a.placement.params.get("lower_terrain_m", 0.0) == 0.0:  # exact except lowered terrain
            assert a.themes["pluvial"].avoided("current") == pytest.approx(b.themes["pluvial"].avoided("current"),
                                                                           rel=1e-6, abs=0.02)
    assert capped.themes["pluvial"].after == full.themes["pluvial"].after  # the whole stays the full level
    table = feature_table(effects_file(capped, baseline, "x"), len(sketch), 3_200_000, fast_alone=True)
    assert table.note is not None and "fast level" in table.note.en and "snelle niveau" in table.note.nl
    assert any(row[3] is not None for row in table.rows)
