"""Declarations of the step 3 products (*Vergezicht*): the guide models, the suitability of the measure groups
and the effects of the dossier's sketch of measures.

Light, like the other declaration modules: the product functions are imported when a product is computed.
"""

from __future__ import annotations

from collections.abc import Mapping

from alliantie.contract.names import (
    DAMAGE,
    DROUGHT,
    EFFECTS,
    ELEVATION,
    FLOOD,
    GREEN,
    GROUNDWATER,
    GUIDE_MODELS,
    HEAT,
    LANDSCAPE,
    PLUVIAL,
    SEEPAGE,
    SOIL,
    STRUCTURE,
    SUITABILITY,
    WATER,
)
from alliantie.dossier.registry import Product, declare

_MODULE = "alliantie.method.vista"

#: The products declared here, in declaration order.
PRODUCTS: list[Product] = [
    declare(
        GUIDE_MODELS, f"{_MODULE}.guide_models.product:guide_models", step=3,
        parameters=("language",),
        knowledge=("guide_models", "landscape_rules", "vegetation_groups", "measures"),
        depends=(LANDSCAPE, GREEN),
    ),
    declare(
        SUITABILITY, f"{_MODULE}.suitability.product:suitability", step=3,
        parameters=("language",),
        optional_inputs=("buildings",),
        knowledge=("suitability_rules", "soil_classes", "landscape_rules", "vegetation_groups", "seepage_rules",
                   "structure_rules"),
        depends=(ELEVATION, SOIL, GROUNDWATER, SEEPAGE, WATER, GREEN, LANDSCAPE, STRUCTURE, PLUVIAL),
        optional_depends=(FLOOD, DROUGHT),
    ),
    declare(
        EFFECTS, f"{_MODULE}.effects.product:effects", step=3,
        parameters=("language",),
        optional_inputs=("sketch",),
        knowledge=("measures",),
        # the engine's baseline: pluvial flooding and its damage; the other themes' effect models when computed
        depends=(PLUVIAL, DAMAGE),
        optional_depends=(HEAT, DROUGHT, FLOOD),
    ),
]


def products(known: Mapping[str, Product]) -> list[Product]:
    """The products of this step (for :func:`alliantie.dossier.registry.load_products`)."""
    return list(PRODUCTS)
