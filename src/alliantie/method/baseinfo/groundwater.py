"""``baseinfo.groundwater``: Grondwatertrappen (Gt) from GHG and GLG, and the GHG depth map."""

from __future__ import annotations

import numpy as np

from alliantie.contract.classes import class_table
from alliantie.contract.layers import hillshade_layer
from alliantie.contract.spec import Layer, MapSpec, write_maps
from alliantie.dossier.registry import ProductContext
from alliantie.io.styles import raster_ramp_qml
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.classes import legend as class_legend
from alliantie.method.baseinfo.knowledge import GroundwaterClasses
from alliantie.method.baseinfo.output import OVER_HILLSHADE, present_codes, text, write_classes
from alliantie.method.baseinfo.rules import classify

#: Colour stops of the GHG/GLG depth maps (m below surface): wet blue to dry orange.
DEPTH_STOPS = ((-0.2, "#08306b"), (0.4, "#4292c6"), (0.8, "#c6dbef"), (1.4, "#fdd49e"), (2.5, "#d7301f"))


def gt_classes(ghg: np.ndarray, glg: np.ndarray, knowledge: GroundwaterClasses) -> np.ndarray:
    """Gt code per cell (0 where GHG or GLG is missing) by the table in ``groundwater_classes.toml``."""
    table = knowledge.classes
    valid = np.isfinite(ghg) & np.isfinite(glg)
    out, _ = classify(table, codes(class_table(table)), {"ghg": ghg, "glg": glg}, valid=valid)
    return out


def groundwater(ctx: ProductContext) -> None:
    """gt.tif (Grondwatertrap 1..8 for I..VIII), ghg.tif and glg.tif (m below surface)."""
    knowledge = ctx.knowledge_model(GroundwaterClasses)
    classes = class_table(knowledge.classes)
    ghg = ctx.raster("ghg").array.astype(np.float32, copy=True)
    glg = ctx.raster("glg").array.astype(np.float32, copy=True)
    ghg[~ctx.mask] = np.nan
    glg[~ctx.mask] = np.nan
    gt = gt_classes(ghg, glg, knowledge)

    depth_qml = raster_ramp_qml([(v, c, f"{v:g} m") for v, c in DEPTH_STOPS])
    write_classes(ctx, "gt.tif", gt, classes, "Grondwatertrap (water-table class)")
    ctx.write_raster("ghg.tif", ghg, description="GHG (m below surface)", qml=depth_qml)
    ctx.write_raster("glg.tif", glg, description="GLG (m below surface)", qml=depth_qml)
    write_maps(ctx.out_dir, [
        MapSpec(
            id="gt", theme="water",
            title=text("baseinfo.maps.gt.title"),
            description=text("baseinfo.maps.gt.description"),
            layers=[
                hillshade_layer(),
                Layer(file="gt.tif", type="raster_classes", alpha=OVER_HILLSHADE,
                      legend=class_legend(classes, present_codes(gt))),
            ],
        ),
        MapSpec(
            id="ghg", theme="water",
            title=text("baseinfo.maps.ghg.title"),
            description=text("baseinfo.maps.ghg.description"),
            layers=[
                hillshade_layer(),
                Layer(file="ghg.tif", type="raster_continuous", cmap="RdYlBu_r", vmin=0.0, vmax=2.0,
                      unit="m", alpha=OVER_HILLSHADE, label=text("baseinfo.legend.ghg")),
            ],
        ),
    ])
