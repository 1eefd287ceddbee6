"""``baseinfo.seepage``: seepage (kwel), transition and infiltration zones from elevation and groundwater."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alliantie.contract.classes import class_table
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, MapSpec, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.io.styles import raster_ramp_qml
from alliantie.method.baseinfo import terrain
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.classes import legend as class_legend
from alliantie.method.baseinfo.elevation import masked_elevation
from alliantie.method.baseinfo.knowledge import SeepageRules
from alliantie.method.baseinfo.output import OVER_HILLSHADE, present_codes, text, write_classes
from alliantie.method.baseinfo.products import SEEPAGE_PARAMETERS
from alliantie.method.baseinfo.rules import classify

#: Parameters of ``[parameters.baseinfo]`` the seepage rules may name as ``"{name}"``.


def seepage_variables(
    elevation: np.ndarray, ghg: np.ndarray, glg: np.ndarray, regional_radius_m: float, cell_m: float
) -> dict[str, np.ndarray]:
    """The variables the seepage rules can use (see ``seepage_rules.toml``)."""
    return {
        "elevation": elevation,
        "regional_relief": terrain.relief(elevation, regional_radius_m, cell_m),
        "rise": terrain.rise(elevation, regional_radius_m, cell_m),
        "ghg": ghg,
        "glg": glg,
    }


def seepage_zones(
    variables: Mapping[str, np.ndarray], knowledge: SeepageRules, params: Mapping[str, float]
) -> np.ndarray:
    """Zone code per cell (1 infiltration, 2 transition, 3 seepage; 0 no data)."""
    valid = np.isfinite(variables["elevation"]) & np.isfinite(variables["ghg"]) & np.isfinite(variables["glg"])
    zones = class_table(knowledge.zone)
    out, _ = classify(knowledge.rule, codes(zones), variables, params=params, valid=valid)
    return out


def seepage(ctx: ProductContext) -> None:
    """seepage.tif (1 infiltration, 2 transition, 3 seepage) and regional_relief.tif (m)."""
    knowledge = ctx.knowledge_model(SeepageRules)
    params = {p: float(ctx.param(f"baseinfo.{p}")) for p in SEEPAGE_PARAMETERS}
    elevation = masked_elevation(ctx)
    ghg = ctx.raster("ghg").array
    glg = ctx.raster("glg").array
    variables = seepage_variables(elevation, ghg, glg, params["regional_radius_m"], ctx.grid.res)
    zones = seepage_zones(variables, knowledge, params)
    classes = class_table(knowledge.zone)
    write_classes(ctx, "seepage.tif", zones, classes, "seepage (3), transition (2), infiltration (1)")
    span = 5.0
    ctx.write_raster(
        "regional_relief.tif", variables["regional_relief"],
        description=f"elevation minus the mean within {params['regional_radius_m']:g} m (m)",
        qml=raster_ramp_qml([(-span, "#2166ac", f"-{span:g} m"), (0.0, "#f7f7f7", "0 m"),
                             (span, "#b2182b", f"+{span:g} m")]),
    )
    write_maps(ctx.out_dir, [
        MapSpec(
            id="seepage", theme="water",
            title=text("baseinfo.maps.seepage.title"),
            description=text(
                "baseinfo.maps.seepage.description", radius=f"{params['regional_radius_m']:g}",
                ghg=f"{params['seepage_ghg_max_m']:g}", glg=f"{params['infiltration_glg_min_m']:g}",
            ),
            layers=[
                hillshade_layer(),
                Layer(file="seepage.tif", type="raster_classes", alpha=OVER_HILLSHADE,
                      legend=class_legend(classes, present_codes(zones))),
            ],
        ),
    ])
