"""Declarations of the step products of ``alliantie.method.inspiration``.

Light, like the other declaration modules: the product functions are imported when a product is computed.
"""

from __future__ import annotations

from collections.abc import Mapping

from alliantie.dossier.registry import Product

_MODULE = "alliantie.method.inspiration"

#: The products declared here, in declaration order.
PRODUCTS: list[Product] = []


def products(known: Mapping[str, Product]) -> list[Product]:
    """The products of this step (for :func:`alliantie.dossier.registry.load_products`)."""
    return list(PRODUCTS)
