"""``vista.guide_models``: the guide model of each landscape zone, with the city model where land is densely built."""

from __future__ import annotations

from alliantie.contract.names import GREEN, LANDSCAPE
from alliantie.contract.spec import write_tables
from alliantie.dossier.registry import ProductContext
from alliantie.knowledge.guide_models import GuideModels
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.knowledge import LandscapeRules, VegetationGroups
from alliantie.method.baseinfo.output import upstream_raster
from alliantie.method.vista.density import built_share
from alliantie.method.vista.guide_models.analysis import areas_ha, model_codes, with_city
from alliantie.method.vista.guide_models.outputs import write_outputs


def guide_models(ctx: ProductContext) -> None:
    """guide_models.tif, guide_models.gpkg (zones), maps.json and tables.json (overview and one table per model)."""
    models = ctx.knowledge_model(GuideModels)
    landscape = upstream_raster(ctx, LANDSCAPE, "landscape.tif", categorical=True)
    vegetation = upstream_raster(ctx, GREEN, "vegetation.tif", categorical=True)
    groups = codes(ctx.knowledge_model(VegetationGroups).group)
    valid = ctx.mask & (landscape != 0)
    share = built_share(vegetation, [groups[g] for g in models.city.built_groups], valid, ctx.grid.res,
                        models.city.radius_m.value)
    per_cell = with_city(model_codes(landscape, codes(ctx.knowledge_model(LandscapeRules).type), models),
                         share, models, ctx.grid.cell_area)
    per_cell[~valid] = 0
    tables = write_outputs(ctx, per_cell, models, areas_ha(per_cell, ctx.grid.cell_area),
                           ctx.knowledge_model(MeasureCatalogue))
    write_tables(ctx.out_dir, tables)
