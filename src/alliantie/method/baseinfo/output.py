"""Writing step 2 products: class rasters with colour table and QGIS style, shared map layers, texts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np

from alliantie.contract.classes import ClassInfo
from alliantie.contract.spec import catalogue_text
from alliantie.dossier.registry import ProductContext
from alliantie.io.raster import read_raster
from alliantie.io.styles import raster_paletted_qml
from alliantie.io.vector import read_vector, write_vector_layers
from alliantie.method.baseinfo.classes import colormap, style_classes

#: A catalogue entry in both languages (the base-map modules import it from here).
text = catalogue_text

ELEVATION = "baseinfo.elevation"


def write_classes(
    ctx: ProductContext, filename: str, array: np.ndarray, classes: Sequence[ClassInfo], description: str
) -> Path:
    """Write a uint8 class raster (0 = no data) with its colour table and QGIS style."""
    return ctx.write_raster(
        filename, array.astype(np.uint8), nodata=0, colormap=colormap(classes),
        qml=raster_paletted_qml(style_classes(classes, ctx.language)), description=description,
    )


#: Opacity of coloured layers (the hillshade is drawn over them, half transparent).
OVER_HILLSHADE = 1.0


def present_codes(array: np.ndarray) -> set[int]:
    """The non-zero codes of a class raster."""
    counts = np.bincount(array.ravel(), minlength=256)
    return {int(c) for c in np.nonzero(counts)[0] if c != 0}


def write_layers(
    ctx: ProductContext, filename: str, layers: Sequence[tuple[str, gpd.GeoDataFrame, str, str]]
) -> Path:
    """Write several layers ``(name, frame, geometry type, qml)`` into one GeoPackage with styles.

    The product folder is itself temporary until the product succeeds, so the
    file is written in place. Empty frames become empty layers of the given type.
    """
    return write_vector_layers(ctx.path(filename), layers)


def upstream_raster(ctx: ProductContext, name: str, filename: str, *, categorical: bool = False) -> np.ndarray:
    """The array of raster ``filename`` of upstream product ``name`` on the dossier grid."""
    path = ctx.upstream(name) / filename
    return read_raster(path, grid=ctx.grid, categorical=categorical, label=f"{name}/{filename}").array


def upstream_vector(ctx: ProductContext, name: str, filename: str, layer: str) -> gpd.GeoDataFrame:
    """Layer ``layer`` of GeoPackage ``filename`` of upstream product ``name``."""
    path = ctx.upstream(name) / filename
    return read_vector(path, layer=layer, target_crs=ctx.grid.crs, label=f"{name}/{filename}")
