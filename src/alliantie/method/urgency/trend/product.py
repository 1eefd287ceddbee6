"""The dossier product ``urgency.trend``: read the theme folders, lay them out side by side."""

from __future__ import annotations

from alliantie.climate import dossier_scenarios
from alliantie.contract.names import THEME_PRODUCT
from alliantie.contract.theme import THEMES
from alliantie.dossier.registry import ProductContext
from alliantie.method.urgency.trend.collect import collect, neighbourhood_layer, scenario_entries
from alliantie.method.urgency.trend.outputs import write_trend


def trend(ctx: ProductContext) -> None:
    """Themes × scenarios: small multiples, per-neighbourhood numbers and a JSON for a web viewer."""
    scenarios = scenario_entries(dossier_scenarios(ctx.param("scenarios")))
    theme_dirs = {theme: ctx.upstream(THEME_PRODUCT[theme]) for theme in THEMES}
    neighbourhoods, zones = neighbourhood_layer(ctx.vector("neighbourhoods"), ctx.grid)
    ctx.progress(0.1)
    # raster paths in trend.json are relative to the product's final folder (not the temporary out_dir)
    base = ctx.product.output_dir(ctx.dossier)
    data, rasters = collect(theme_dirs, scenarios, cell_area=ctx.grid.cell_area, zones=zones,
                            neighbourhoods=neighbourhoods, base=base)
    ctx.progress(0.6)
    write_trend(ctx.out_dir, data, rasters, ctx.language, area=ctx.mask)
    ctx.progress(1.0)
