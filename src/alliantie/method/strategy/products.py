"""Declarations of the step products of ``alliantie.method.strategy``.

Light, like the other declaration modules: the product functions are imported when a product is computed.
"""

from __future__ import annotations

from collections.abc import Mapping

from alliantie.contract.names import (
    BUSINESS_CASE,
    DAMAGE,
    DROUGHT,
    FLOOD,
    HEAT,
    INSPIRATION_ECONOMIE,
    INSPIRATION_GEBIED,
    INSPIRATION_VEERKRACHT,
    MEEKOPPELEN,
    PLUVIAL,
    STRATEGY_DOCUMENT,
    STRESSTEST,
    VULNERABILITY,
)
from alliantie.dossier.registry import Product, declare
from alliantie.knowledge import available

_MODULE = "alliantie.method.strategy"

#: The products declared here, in declaration order.
PRODUCTS: list[Product] = [
    declare(
        STRATEGY_DOCUMENT, f"{_MODULE}.document.product:strategy_document", step=5,
        parameters=("language", "name"),
        optional_inputs=("strategy",),
        # the afwegingskader's rules, once this version ships them (the document says so while it does not)
        knowledge=tuple(name for name in ("assessment_rules",) if name in available()),
        # every source is optional: the document names what is absent instead of failing
        optional_depends=(STRESSTEST, VULNERABILITY, DAMAGE, FLOOD, PLUVIAL, DROUGHT, HEAT,
                          INSPIRATION_VEERKRACHT, INSPIRATION_ECONOMIE, INSPIRATION_GEBIED,
                          MEEKOPPELEN, BUSINESS_CASE),
    ),
]


def products(known: Mapping[str, Product]) -> list[Product]:
    """The products of this step (for :func:`alliantie.dossier.registry.load_products`)."""
    return list(PRODUCTS)
