"""``vista.effects``: what the dossier's sketch of measures does, per measure and in total.

The sketch (input ``sketch``) goes through the effect engine
(:func:`alliantie.measures.evaluate.evaluate`, each feature also alone) on the
baseline of the saved step 1 products, read with this run's cache
(:func:`alliantie.method.vista.baseline.saved_baseline`: nothing is run from
here; the declared dependencies are fresh). Without a sketch the product
writes one table that says so.
"""

from __future__ import annotations

import logging

from alliantie.contract.effects import write_effects
from alliantie.contract.spec import write_tables
from alliantie.dossier.config import InputFile
from alliantie.dossier.registry import ProductContext
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.baseline import Baseline
from alliantie.measures.evaluate import Effects, evaluate, prepare
from alliantie.measures.export import effects_file
from alliantie.measures.sketch import Sketch
from alliantie.method.vista.baseline import saved_baseline
from alliantie.method.vista.effects.outputs import (
    change_span,
    changed_extent,
    depth_change,
    write_change,
    write_map_specs,
    write_sketch,
)
from alliantie.method.vista.effects.tables import CURRENT, feature_table, no_sketch_table, totals_table

log = logging.getLogger(__name__)

#: Grid cells x features evaluated alone at the full level, at most (each is a full evaluation of every storm):
#: the small demo (128 000 cells) evaluates up to 19 features alone so; a larger sketch or grid evaluates each
#: feature alone at the fast level instead (the same numbers except lowered terrain, counted as storage).
CELL_EVALUATIONS = 2_500_000


def _sketch_name(ctx: ProductContext) -> str:
    """The sketch as ``dossier.toml`` names it (relative, so the file does not depend on where the dossier is)."""
    ref = ctx.dossier.config.inputs.sketch
    if isinstance(ref, InputFile):
        return f"{ref.path}:{ref.layer}" if ref.layer else ref.path
    return str(ref)


def features_alone(features: int, cells: int) -> int:
    """How many features (the first ones) are evaluated alone besides the whole: each costs a full evaluation of
    every storm on the grid, so at most :data:`CELL_EVALUATIONS` cells x features."""
    return min(features, CELL_EVALUATIONS // max(1, cells))


def _evaluate(baseline: Baseline, sketch: Sketch, alone: int) -> tuple[Effects, bool]:
    """All features together at the full level; each feature alone at the full level when ``alone`` covers them
    all, else at the fast level (True: each alone was evaluated fast)."""
    if alone >= len(sketch):
        return evaluate(baseline, sketch, per_feature=True), False
    result = evaluate(baseline, sketch)
    prepare(baseline, "fast")
    result.features = evaluate(baseline, sketch, per_feature=True, level="fast").features
    return result, True


def effects(ctx: ProductContext) -> None:
    """effects.json, sketch.gpkg, depth_change_current.tif, maps.json and tables.json (or the no-sketch table)."""
    frame = ctx.vector("sketch")
    if frame is None:
        write_tables(ctx.out_dir, [no_sketch_table()])
        return
    ref = ctx.dossier.input_file("sketch")
    # the sketch is checked against the catalogue before the baseline is read: a wrong id fails at once
    sketch = Sketch.from_frame(frame, ctx.knowledge_model(MeasureCatalogue),
                               label=str(ref.path) if ref is not None else "sketch")
    baseline = saved_baseline(ctx.dossier, ctx.cache)
    cells = baseline.grid.width * baseline.grid.height
    alone = features_alone(len(sketch), cells)
    result, fast_alone = _evaluate(baseline, sketch, alone)
    if fast_alone:
        alone = len(sketch)
    log.info("vista.effects: %d features, %d of them alone (%s)", len(sketch), alone,
             ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items()))
    # timings only in the log and provenance: two runs write the same effects.json
    data = effects_file(result, baseline, _sketch_name(ctx)).model_copy(update={"seconds": {}})
    write_effects(ctx.out_dir, data)
    families = write_sketch(ctx, sketch.features, data)
    change = None
    if CURRENT in result.depths_before:
        grid_change = depth_change(result.depths_before[CURRENT], result.depths_after[CURRENT])
        span = change_span(grid_change)
        change = (write_change(ctx, CURRENT, grid_change, span), span, changed_extent(grid_change, ctx))
    storm = data.map_storm.get(CURRENT, "-")
    write_map_specs(ctx, sketch.features, families, change, storm)
    write_tables(ctx.out_dir, [feature_table(data, alone, cells, fast_alone=fast_alone), totals_table(data)])
