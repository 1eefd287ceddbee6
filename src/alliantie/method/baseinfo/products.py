"""Declarations of the step 2 products: what each needs and where its code lives.

Declarations are light (no numpy/geopandas imports), so a run with nothing to
compute loads only this graph; the function of a product is imported when the
product is computed. The parameters, inputs, knowledge files and upstream
products declared here form the product's cache key (see ``dossier/run.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

from alliantie.contract.names import (
    ANALYSEWIJZER,
    ELEVATION,
    GREEN,
    GROUNDWATER,
    LAGENKAART,
    LANDSCAPE,
    SEEPAGE,
    SOIL,
    STRUCTURE,
    WATER,
)
from alliantie.dossier.registry import Product, declare

SEEPAGE_PARAMETERS = ("regional_radius_m", "seepage_ghg_max_m", "infiltration_glg_min_m")
STRUCTURE_PARAMETERS = ("corridor_buffer_m", "min_carrier_area_ha")
LAGENKAART_DEPENDS = (ELEVATION, SOIL, SEEPAGE, WATER, GREEN, STRUCTURE)

_MODULE = "alliantie.method.baseinfo"

#: The products declared here, in declaration order.
PRODUCTS: list[Product] = []

PRODUCTS.append(declare(
    ELEVATION, f"{_MODULE}.elevation:elevation", step=2,
    inputs=("dem",),
    parameters=("baseinfo.relief_radius_m",),
))
PRODUCTS.append(declare(
    SOIL, f"{_MODULE}.soil:soil", step=2,
    parameters=("language",),
    inputs=("soil",),
    knowledge=("soil_classes",),
))
PRODUCTS.append(declare(
    GROUNDWATER, f"{_MODULE}.groundwater:groundwater", step=2,
    parameters=("language",),
    inputs=("ghg", "glg"),
    knowledge=("groundwater_classes",),
))
PRODUCTS.append(declare(
    SEEPAGE, f"{_MODULE}.seepage:seepage", step=2,
    inputs=("dem", "ghg", "glg"),
    parameters=("language", *(f"baseinfo.{p}" for p in SEEPAGE_PARAMETERS)),
    knowledge=("seepage_rules",),
))
PRODUCTS.append(declare(
    WATER, f"{_MODULE}.water:water", step=2,
    parameters=("language",),
    optional_inputs=("watercourses", "waterbodies"),
    knowledge=("water_kinds",),
))
PRODUCTS.append(declare(
    GREEN, f"{_MODULE}.green:green", step=2,
    parameters=("language",),
    inputs=("landuse",),
    optional_inputs=("nature",),
    knowledge=("lgn_classes", "vegetation_groups"),
))
PRODUCTS.append(declare(
    LANDSCAPE, f"{_MODULE}.landscape:landscape", step=2,
    parameters=(
        "language", "baseinfo.landscape_smoothing_m", "baseinfo.landscape_min_patch_ha", "baseinfo.regional_radius_m"
    ),
    knowledge=("landscape_rules", "soil_classes", "seepage_rules"),
    depends=(SOIL, ELEVATION, GROUNDWATER, SEEPAGE, WATER),
))
PRODUCTS.append(declare(
    STRUCTURE, f"{_MODULE}.structure:structure_carriers", step=2,
    parameters=("language", *(f"baseinfo.{p}" for p in STRUCTURE_PARAMETERS)),
    knowledge=("structure_rules", "landscape_rules", "vegetation_groups", "seepage_rules", "water_kinds"),
    depends=(LANDSCAPE, ELEVATION, SEEPAGE, GREEN, WATER),
))
PRODUCTS.append(declare(
    ANALYSEWIJZER, f"{_MODULE}.analysewijzer:analysewijzer", step=2,
    knowledge=("analysewijzer", "landscape_rules", "seepage_rules", "vegetation_groups", "groundwater_classes"),
    depends=(LANDSCAPE, SEEPAGE, GREEN, GROUNDWATER, STRUCTURE),
))
PRODUCTS.append(declare(
    LAGENKAART, f"{_MODULE}.lagenkaart:lagenkaart", step=2,
    parameters=("language", "name"),
    depends=LAGENKAART_DEPENDS,
    title_key="lagenkaart.product_title",
))


def products(known: Mapping[str, Product]) -> list[Product]:
    """The products of this step (for :func:`alliantie.dossier.registry.load_products`)."""
    return list(PRODUCTS)
