"""Declarations of the step products of ``alliantie.method.strategy``.

Light, like the other declaration modules: the product functions are imported when a product is computed.
"""

from __future__ import annotations

from collections.abc import Mapping

from alliantie.contract.names import (
    BUSINESS_CASE,
    DAMAGE,
    DROUGHT,
    EFFECTS,
    FLOOD,
    HEAT,
    INSPIRATION_ECONOMIE,
    INSPIRATION_GEBIED,
    INSPIRATION_VEERKRACHT,
    MEEKOPPELEN,
    PLUVIAL,
    STRATEGY_DOCUMENT,
    STRESSTEST,
    SUITABILITY,
    VULNERABILITY,
)
from alliantie.dossier.registry import Product, declare
from alliantie.parameters.assessment import AssessmentParameters
from alliantie.parameters.business_case import BusinessCaseParameters
from alliantie.parameters.damage import DamageParameters

_MODULE = "alliantie.method.strategy"

#: The products declared here, in declaration order.
PRODUCTS: list[Product] = [
    declare(
        MEEKOPPELEN, f"{_MODULE}.meekoppelen.product:meekoppelen", step=5,
        parameters=("language",), params=(DamageParameters,),
        optional_inputs=("projects", "sketch"),
        knowledge=("meekoppelen", "measures"),
        depends=(SUITABILITY, VULNERABILITY, EFFECTS),
    ),
    declare(
        BUSINESS_CASE, f"{_MODULE}.business_case.product:business_case", step=5,
        parameters=("language", "scenarios"),
        params=(BusinessCaseParameters,),
        optional_inputs=("buildings", "neighbourhoods"),
        knowledge=("business_case", "economics", "measures"),
        depends=(EFFECTS,),
        optional_depends=(MEEKOPPELEN,),
    ),
    declare(
        STRATEGY_DOCUMENT, f"{_MODULE}.document.product:strategy_document", step=5,
        parameters=("language", "name"), params=(AssessmentParameters,),
        optional_inputs=("strategy",),
        knowledge=("assessment_rules",),
        # every source is optional: the document names what is absent instead of failing
        optional_depends=(STRESSTEST, VULNERABILITY, DAMAGE, FLOOD, PLUVIAL, DROUGHT, HEAT,
                          INSPIRATION_VEERKRACHT, INSPIRATION_ECONOMIE, INSPIRATION_GEBIED,
                          MEEKOPPELEN, BUSINESS_CASE),
    ),
]


def products(known: Mapping[str, Product]) -> list[Product]:
    """The products of this step (for :func:`alliantie.dossier.registry.load_products`)."""
    return list(PRODUCTS)
