"""What product ``urgency.stresstest`` reads: the saved theme products, the damage product, the dossier inputs.

A theme is *not assessed* (:func:`theme_data` returns the i18n key of why) when
its product is missing, when drought has no groundwater data (GHG without any
valid cell: the placeholder that ``alliantie stresstest`` writes when none is
given) or when flood had neither a breach nor a flood-depth map
(:class:`~alliantie.contract.summaries.FloodMode` ``none``). Drought is an
optional dependency: a run without groundwater leaves it out.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from alliantie.contract.names import DAMAGE, ELEVATION, FLOOD, THEME_PRODUCT
from alliantie.contract.spec import Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.summaries import FloodMode, FloodSummary, read_summary
from alliantie.contract.theme import read_severity, read_theme
from alliantie.dossier.registry import ProductContext
from alliantie.method.stresstest.damage_ranges import DamageSummary, damage_ranges
from alliantie.method.stresstest.rules import StresstestKnowledge, reference_scenario
from alliantie.method.stresstest.verdict import ThemeData

#: The dossier inputs that ``summary.json`` lists as given (when configured and not a placeholder), in this order.
INPUTS = ("dem", "landuse", "soil", "ghg", "glg", "buildings", "roads", "neighbourhoods", "flood_depth")


def _folder(ctx: ProductContext, name: str) -> Path | None:
    """The saved folder of theme product ``name`` (a dependency or an optional one); None when not declared or
    not computed in this run."""
    if name in ctx.product.depends:
        return ctx.upstream(name)
    if name in ctx.product.optional_depends:
        return ctx.optional_upstream(name)
    return None


def theme_data(ctx: ProductContext, theme: str, knowledge: StresstestKnowledge) -> ThemeData | str:
    """The saved outputs of a theme product with its severity raster in the reference scenario, or the i18n key of
    why the theme is not assessed."""
    name = THEME_PRODUCT[theme]
    if name not in ctx.product.depends and name not in ctx.product.optional_depends:
        return "stresstest.reason.not_computed"
    if theme == "drought" and not has_groundwater(ctx):
        return "stresstest.reason.no_groundwater"
    folder = _folder(ctx, name)
    found = read_theme(folder) if folder is not None and folder.exists() else None
    if folder is None or found is None:
        return "stresstest.reason.not_computed"
    if name == FLOOD:
        flood = read_summary(folder, FloodSummary)
        if flood is not None and flood.mode is FloodMode.NONE:
            return "stresstest.reason.no_flood_scenario"
    summary, values = found
    scenario = reference_scenario(summary, values, knowledge.themes[theme].indicator)
    return ThemeData(summary=summary, values=values, severity=read_severity(folder, scenario))


def has_groundwater(ctx: ProductContext) -> bool:
    """True when the GHG input has a valid cell inside the study area."""
    if ctx.dossier.input_file("ghg") is None:
        return False
    data = ctx.raster("ghg")
    return bool((data.valid & ctx.mask).any())


def soil_missing(ctx: ProductContext) -> bool:
    """True when the soil input has no polygon (the placeholder of ``alliantie stresstest``)."""
    soil = ctx.vector("soil")
    return soil is None or not len(soil)


def neighbourhood_names(hoods: gpd.GeoDataFrame | None) -> list[tuple[str, str]]:
    """(code, name) of every neighbourhood, in input order (the row number and the code stand in when absent)."""
    if hoods is None or not len(hoods):
        return []
    codes = hoods["code"].astype(str).tolist() if "code" in hoods else [str(i) for i in range(len(hoods))]
    names = hoods["name"].astype(str).tolist() if "name" in hoods else codes
    return list(zip(codes, names, strict=True))


def notes(ctx: ProductContext, hoods: gpd.GeoDataFrame | None) -> list[Text]:
    """The notes on data and assumptions: what was missing and what was assumed instead."""
    found: list[Text] = []
    if soil_missing(ctx):
        found.append(text("stresstest.notes.soil_assumed"))
    if hoods is None or not len(hoods):
        found.append(text("stresstest.notes.no_neighbourhoods"))
    if ctx.dossier.input_file("roads") is None:
        found.append(text("stresstest.notes.no_roads"))
    if ctx.dossier.input_file("buildings") is None:
        found.append(text("stresstest.notes.no_buildings"))
    return found


def inputs_given(ctx: ProductContext) -> list[str]:
    """The configured dossier inputs of :data:`INPUTS`, without the placeholders of ``alliantie stresstest``."""
    placeholders = ({"soil"} if soil_missing(ctx) else set()) | (set() if has_groundwater(ctx) else {"ghg", "glg"})
    return [n for n in INPUTS if ctx.dossier.input_file(n) is not None and n not in placeholders]


def damage(ctx: ProductContext) -> DamageSummary | None:
    """The damage product's ranges (None when the product is not a dependency or its file is absent)."""
    if DAMAGE not in ctx.product.depends:
        return None
    return damage_ranges(ctx.upstream(DAMAGE))


def has_hillshade(ctx: ProductContext) -> bool:
    """True when ``baseinfo.elevation`` saved a hillshade to draw under the map."""
    return ELEVATION in ctx.product.depends and ctx.upstream(ELEVATION).joinpath("hillshade.tif").exists()


__all__ = [
    "INPUTS", "damage", "has_groundwater", "has_hillshade", "inputs_given", "neighbourhood_names", "notes",
    "soil_missing", "theme_data",
]
