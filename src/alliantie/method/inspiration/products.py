"""Declarations of the step products of ``alliantie.method.inspiration``.

Light, like the other declaration modules: the product functions are imported when a product is computed.
"""

from __future__ import annotations

from collections.abc import Mapping

from alliantie.contract.names import (
    GREEN,
    GUIDE_MODELS,
    INSPIRATION_ECONOMIE,
    INSPIRATION_GEBIED,
    INSPIRATION_VEERKRACHT,
    LANDSCAPE,
    SEEPAGE,
    STRUCTURE,
    SUITABILITY,
    WATER,
)
from alliantie.dossier.registry import Product, declare

_MODULE = "alliantie.method.inspiration"

#: The products declared here, in declaration order.
PRODUCTS: list[Product] = [
    declare(
        INSPIRATION_VEERKRACHT, f"{_MODULE}.product:veerkracht", step=4,
        parameters=("language",),
        optional_inputs=("workshop",),
        knowledge=("measures", "guide_models", "inspiration_rules"),
        depends=(GUIDE_MODELS, SUITABILITY),
    ),
    declare(
        INSPIRATION_ECONOMIE, f"{_MODULE}.product:economie", step=4,
        parameters=("language",),
        optional_inputs=("workshop", "buildings"),
        knowledge=("measures", "guide_models", "economic_chances", "vegetation_groups", "landscape_rules",
                   "seepage_rules"),
        depends=(GREEN, LANDSCAPE, SEEPAGE, WATER, GUIDE_MODELS),
    ),
    declare(
        INSPIRATION_GEBIED, f"{_MODULE}.product:gebied_stuurt", step=4,
        parameters=("language",),
        knowledge=("inspiration_rules", "vegetation_groups"),
        depends=(STRUCTURE, GREEN),
    ),
]


def products(known: Mapping[str, Product]) -> list[Product]:
    """The products of this step (for :func:`alliantie.dossier.registry.load_products`)."""
    return list(PRODUCTS)
