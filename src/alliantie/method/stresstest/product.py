"""Product ``urgency.stresstest``: the stresstest-light summary of the four climate-effect themes.

Reads only what the theme products saved (``theme.json``, ``indicators.csv``,
``severity_<scenario>.tif``, see :mod:`alliantie.contract.theme`), the
damage product's range table when it exists, and the neighbourhoods
(:mod:`~alliantie.method.stresstest.inputs`); judges every theme
(:mod:`~alliantie.method.stresstest.verdict`) and writes
(:mod:`~alliantie.method.stresstest.outputs`, :mod:`~alliantie.method.stresstest.page`)

* ``summary.json``: per theme the verdict (light, reference scenario, focus areas,
  fired rules) or why it was not assessed; the notes on data and assumptions
  (:class:`~alliantie.contract.stresstest.StresstestSummary`);
* ``tables.json`` (theme "stresstest"): the verdict per theme and the counts per
  neighbourhood; ``maps.json``: the highest severity with the neighbourhoods that
  need a detailed stress test (``severity_max.tif``, ``focus.gpkg``);
* ``stresstest.pdf``: the same on one A4 page.

A theme is *not assessed* when its product is missing, when drought has no
groundwater data (GHG without any valid cell: the placeholder that ``alliantie
stresstest`` writes when none is given) or when flood had neither a breach nor
a flood-depth map.
"""

from __future__ import annotations

from alliantie.contract.names import THEMES
from alliantie.contract.spec import TableSpec, write_maps, write_tables
from alliantie.contract.stresstest import write_stresstest_summary
from alliantie.dossier.registry import ProductContext
from alliantie.knowledge import knowledge_file
from alliantie.method.stresstest import inputs
from alliantie.method.stresstest.outputs import (
    count_table,
    focus_map,
    highest_severity,
    summary,
    theme_table,
    write_focus,
    write_severity,
)
from alliantie.method.stresstest.page import write_page
from alliantie.method.stresstest.rules import KNOWLEDGE, StresstestKnowledge
from alliantie.method.stresstest.verdict import ThemeData, build


def stresstest(ctx: ProductContext) -> None:
    """Product function of ``urgency.stresstest``."""
    path = knowledge_file(KNOWLEDGE, ctx.dossier.knowledge_override(KNOWLEDGE))
    knowledge = StresstestKnowledge.from_toml(ctx.knowledge(KNOWLEDGE), path=str(path))
    themes: dict[str, ThemeData | str] = {t: inputs.theme_data(ctx, t, knowledge) for t in THEMES}
    hoods = ctx.vector("neighbourhoods")
    neighbourhoods = inputs.neighbourhood_names(hoods)
    result = build(str(ctx.param("name")), themes, knowledge, neighbourhoods)
    result.notes = inputs.notes(ctx, hoods)
    result.damage = inputs.damage(ctx)
    result.inputs = inputs.inputs_given(ctx)
    ctx.progress(0.4)
    write_severity(ctx, highest_severity(result, ctx.mask))
    counts: list[int] = []
    if hoods is not None and len(hoods) > 0:
        counts = write_focus(ctx, hoods, result)
    write_maps(ctx.out_dir, [focus_map(inputs.has_hillshade(ctx), counts)])
    tables: list[TableSpec] = [theme_table(result)]
    if neighbourhoods:
        tables.append(count_table(result))
    write_tables(ctx.out_dir, tables)
    write_stresstest_summary(ctx.out_dir, summary(result))
    ctx.progress(0.6)
    write_page(ctx, result)


__all__ = ["stresstest"]
