"""The dossier product ``urgency.damage``: value every theme, present-value it, write the results.

Writes ``damage.json`` (everything, for a web viewer), ``tables.json`` with a
figure ``range.png``, and ``maps.json`` with the pluvial EAD map of today
(``ead_pluvial_current.tif``, EUR/ha/year). See ``docs/costs.md``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alliantie.contract.damage import write_damage
from alliantie.contract.names import DROUGHT, FLOOD, HEAT, PLUVIAL, THEMES, Theme
from alliantie.contract.spec import FigureSpec, MapSpec, write_maps, write_tables
from alliantie.contract.spec import catalogue_text as text
from alliantie.dossier.registry import ProductContext
from alliantie.method.urgency.damage.inputs import damage_inputs
from alliantie.method.urgency.damage.outputs import RANGE_FIGURE, damage_file, range_figure, write_ead_map
from alliantie.method.urgency.damage.present_value import theme_npv
from alliantie.method.urgency.damage.tables import tables
from alliantie.method.urgency.damage.valuers import VALUERS, ThemeResult

log = logging.getLogger(__name__)


def damage(ctx: ProductContext) -> None:
    """Costs of doing nothing: damage per theme and scenario, EAD, the NPV range, incidents."""
    inputs = damage_inputs(ctx)
    params = inputs.params
    rate = inputs.knowledge.discount
    ctx.progress(0.1)
    # the saved theme products; drought is optional (the stresstest-light without groundwater has none)
    upstream: dict[Theme, Path | None] = {
        "flood": ctx.upstream(FLOOD), "pluvial": ctx.upstream(PLUVIAL), "heat": ctx.upstream(HEAT),
        "drought": ctx.optional_upstream(DROUGHT),
    }
    results: list[ThemeResult] = []
    for i, theme in enumerate(THEMES):
        r = VALUERS[theme](upstream[theme], inputs)
        if r.annual:
            r.npv = theme_npv(r.annual, inputs.scenario_years, params, rate.rate, theme)
        results.append(r)
        log.info("damage %s: %s", theme, r.status)
        ctx.progress(0.1 + 0.8 * (i + 1) / len(THEMES))

    folder: Path = ctx.out_dir
    figures: list[FigureSpec] = []
    if range_figure(results, folder / RANGE_FIGURE, ctx.language, params):
        figures.append(FigureSpec(id="damage_range", theme="damage", title=text("damage_product.figure.title",
                                                                                 horizon=params.horizon_year),
                                  description=text("damage_product.figure.description"), file=RANGE_FIGURE))
    write_tables(folder, tables(results, params, rate, inputs.scenarios), figures)
    write_damage(folder, damage_file(results, params, rate))
    maps: list[MapSpec] = []
    ead_map = next((r.ead_map for r in results if r.ead_map is not None), None)
    if ead_map is not None:
        maps.append(write_ead_map(folder, ead_map, inputs.grid, params))
    write_maps(folder, maps)
    ctx.progress(1.0)
