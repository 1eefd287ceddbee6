"""Declarations of the step 1 products (*Urgentie*): what each needs and where its code lives.

Light on purpose (no numpy/geopandas imports): the product function is imported
only when the product is computed. The four climate-effect themes (flood,
pluvial, drought, heat) each leave severity rasters and indicators behind
(:mod:`alliantie.contract.theme`) for the vulnerability map and the trend view.
"""

from __future__ import annotations

from collections.abc import Mapping

from alliantie.contract.names import (
    CLIMATE,
    DAMAGE,
    DROUGHT,
    ELEVATION,
    FLOOD,
    HEAT,
    PLUVIAL,
    STRESSTEST,
    THEME_PRODUCTS,
    TREND,
    VULNERABILITY,
)
from alliantie.dossier.registry import Product, declare
from alliantie.parameters.damage import DamageParameters
from alliantie.parameters.drought import DroughtParameters
from alliantie.parameters.flood import FloodParameters
from alliantie.parameters.heat import HeatParameters
from alliantie.parameters.pluvial import PluvialParameters
from alliantie.parameters.vulnerability import VulnerabilityParameters

_MODULE = "alliantie.method.urgency"

#: The products declared here, in declaration order.
PRODUCTS: list[Product] = []

PRODUCTS.append(declare(
    CLIMATE, f"{_MODULE}.weerbericht:weerbericht", step=1,
    inputs=(), optional_inputs=(),
    parameters=("language", "scenarios"),
    knowledge=("knmi_scenarios",),
))

PRODUCTS.append(declare(
    FLOOD, f"{_MODULE}.flood.product:flood", step=1,
    inputs=("dem",),
    optional_inputs=("buildings", "neighbourhoods", "flood_depth", "waterbodies", "roads"),
    parameters=("language", "scenarios"),
    params=(FloodParameters,),
    knowledge=("knmi_scenarios", "flood"),
    depends=(ELEVATION,),
))

PRODUCTS.append(declare(
    PLUVIAL, f"{_MODULE}.pluvial.product:pluvial", step=1,
    inputs=("dem", "landuse", "soil"),
    optional_inputs=("buildings", "roads", "neighbourhoods", "watercourses", "waterbodies"),
    parameters=("language", "scenarios"),
    params=(PluvialParameters,),
    knowledge=("rain_events", "rain_statistics", "infiltration", "lgn_classes", "soil_classes", "knmi_scenarios",
               "pluvial_overland"),
    depends=(ELEVATION,),
))

PRODUCTS.append(declare(
    DROUGHT, f"{_MODULE}.drought.product:drought", step=1,
    inputs=("dem", "landuse", "soil", "ghg", "glg"),
    optional_inputs=("buildings", "neighbourhoods", "nature", "roads"),
    parameters=("language", "scenarios"),
    params=(DroughtParameters,),
    knowledge=("knmi_scenarios", "drought", "lgn_classes", "soil_classes"),
    depends=(ELEVATION,),
))

PRODUCTS.append(declare(
    HEAT, f"{_MODULE}.heat.product:heat", step=1,
    inputs=("dem", "landuse"),
    optional_inputs=("buildings", "neighbourhoods", "waterbodies", "watercourses", "nature"),
    parameters=("language", "scenarios"),
    params=(HeatParameters,),
    knowledge=("knmi_scenarios", "heat", "lgn_classes"),
))

PRODUCTS.append(declare(
    VULNERABILITY, f"{_MODULE}.vulnerability.product:vulnerability", step=1,
    inputs=(), optional_inputs=("corrections", "neighbourhoods", "landuse"),
    parameters=("language", "scenarios"),
    params=(VulnerabilityParameters,),
    knowledge=("lgn_classes",),
    depends=(*THEME_PRODUCTS, ELEVATION),
))

PRODUCTS.append(declare(
    TREND, f"{_MODULE}.trend.product:trend", step=1,
    inputs=(), optional_inputs=("neighbourhoods",),
    parameters=("language", "scenarios"),
    knowledge=(),
    depends=(CLIMATE, *THEME_PRODUCTS),
))

# --- costs of doing nothing: damage per theme, EAD, NPV range, incidents ------------------------------
PRODUCTS.append(declare(
    DAMAGE, f"{_MODULE}.damage.product:damage", step=1,
    inputs=("dem", "landuse"),
    optional_inputs=("buildings",),
    parameters=("language", "scenarios"),
    params=(DamageParameters, PluvialParameters),
    knowledge=("damage_pluvial", "damage_flood", "economics", "rain_events", "damage_heat", "damage_drought",
               "knmi_scenarios"),
    depends=(FLOOD, PLUVIAL, HEAT, ELEVATION),
    optional_depends=(DROUGHT,),  # the stresstest-light without groundwater runs without drought
))

# --- stresstest-light: one page per dossier -----------------------------------------------------------
PRODUCTS.append(declare(
    STRESSTEST, "alliantie.method.stresstest.product:stresstest", step=1,
    inputs=(), optional_inputs=("neighbourhoods", "soil", "ghg", "roads", "buildings", "flood_depth"),
    parameters=("language", "name"),
    knowledge=("stresstest",),
    depends=(FLOOD, PLUVIAL, HEAT, DAMAGE, ELEVATION),
    optional_depends=(DROUGHT,),  # the stresstest-light without groundwater runs without drought
))


def products(known: Mapping[str, Product]) -> list[Product]:
    """The products of this step (for :func:`alliantie.dossier.registry.load_products`)."""
    return list(PRODUCTS)
