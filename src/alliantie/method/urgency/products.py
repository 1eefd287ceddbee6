"""Declarations of the step 1 products (*Urgentie*): what each needs and where its code lives.

Light on purpose (no numpy/geopandas imports): the product function is imported
only when the product is computed. The four climate-effect themes (flood,
pluvial, drought, heat) each leave severity rasters and indicators behind
(:mod:`alliantie.method.urgency.themes`) for the vulnerability map and the trend view.
"""

from __future__ import annotations

from alliantie.dossier.registry import declare
from alliantie.method.urgency.damage_parameters import DamageParameters
from alliantie.method.urgency.drought_parameters import DroughtParameters
from alliantie.method.urgency.flood_parameters import FloodParameters
from alliantie.method.urgency.heat_parameters import HeatParameters
from alliantie.method.urgency.parameters import PluvialParameters
from alliantie.method.urgency.vulnerability_parameters import VulnerabilityParameters

CLIMATE = "urgency.climate"
FLOOD = "urgency.flood"
PLUVIAL = "urgency.pluvial"
DROUGHT = "urgency.drought"
HEAT = "urgency.heat"
VULNERABILITY = "urgency.vulnerability"
TREND = "urgency.trend"
DAMAGE = "urgency.damage"
STRESSTEST = "urgency.stresstest"
#: The climate-effect theme products, in report order.
THEME_PRODUCTS = (FLOOD, PLUVIAL, DROUGHT, HEAT)

_MODULE = "alliantie.method.urgency"

declare(
    CLIMATE, f"{_MODULE}.weerbericht:weerbericht", step=1,
    inputs=(), optional_inputs=(),
    parameters=("language", "scenarios"),
    knowledge=("knmi_scenarios",),
)

declare(
    FLOOD, f"{_MODULE}.flood:flood", step=1,
    inputs=("dem",),
    optional_inputs=("buildings", "neighbourhoods", "flood_depth", "waterbodies", "roads"),
    parameters=("language", "scenarios", *(f"flood.{name}" for name in FloodParameters.model_fields)),
    knowledge=("knmi_scenarios", "flood"),
    depends=("baseinfo.elevation",),
)

declare(
    PLUVIAL, f"{_MODULE}.pluvial:pluvial", step=1,
    inputs=("dem", "landuse", "soil"),
    optional_inputs=("buildings", "roads", "neighbourhoods", "watercourses", "waterbodies"),
    parameters=("language", "scenarios", *(f"pluvial.{name}" for name in PluvialParameters.model_fields)),
    knowledge=("rain_events", "infiltration", "lgn_classes", "soil_classes", "knmi_scenarios"),
    depends=("baseinfo.elevation",),
)

declare(
    DROUGHT, f"{_MODULE}.drought:drought", step=1,
    inputs=("dem", "landuse", "soil", "ghg", "glg"),
    optional_inputs=("buildings", "neighbourhoods", "nature", "roads"),
    parameters=("language", "scenarios", *(f"drought.{name}" for name in DroughtParameters.model_fields)),
    knowledge=("knmi_scenarios", "drought", "lgn_classes", "soil_classes"),
    depends=("baseinfo.elevation",),
)

declare(
    HEAT, f"{_MODULE}.heat:heat", step=1,
    inputs=("dem", "landuse"),
    optional_inputs=("buildings", "neighbourhoods", "waterbodies", "watercourses", "nature"),
    parameters=("language", "scenarios", *(f"heat.{name}" for name in HeatParameters.model_fields)),
    knowledge=("knmi_scenarios", "heat", "lgn_classes"),
)

declare(
    VULNERABILITY, f"{_MODULE}.vulnerability:vulnerability", step=1,
    inputs=(), optional_inputs=("corrections", "neighbourhoods", "landuse"),
    parameters=("language", "scenarios",
                *(f"vulnerability.{name}" for name in VulnerabilityParameters.model_fields)),
    knowledge=("lgn_classes",),
    depends=(*THEME_PRODUCTS, "baseinfo.elevation"),
)

declare(
    TREND, f"{_MODULE}.trend:trend", step=1,
    inputs=(), optional_inputs=("neighbourhoods",),
    parameters=("language", "scenarios"),
    knowledge=(),
    depends=(CLIMATE, *THEME_PRODUCTS),
)

# --- costs of doing nothing (issue 5): damage per theme, EAD, NPV range, incidents ---------------------
declare(
    DAMAGE, f"{_MODULE}.damage:damage", step=1,
    inputs=("dem", "landuse"),
    optional_inputs=("buildings",),
    parameters=("language", "scenarios", "pluvial.events", "pluvial.floor_height_m",
                *(f"damage.{name}" for name in DamageParameters.model_fields)),
    knowledge=("damage_pluvial", "damage_flood", "economics", "rain_events", "damage_heat", "damage_drought",
               "knmi_scenarios"),
    depends=(FLOOD, PLUVIAL, DROUGHT, HEAT, "baseinfo.elevation"),
)

# --- stresstest-light (issue 5 item 5): one page per dossier -------------------------------------------
declare(
    STRESSTEST, "alliantie.method.stresstest.product:stresstest", step=1,
    inputs=(), optional_inputs=("neighbourhoods", "soil", "ghg", "roads", "buildings", "flood_depth"),
    parameters=("language", "name"),
    knowledge=("stresstest",),
    depends=(*THEME_PRODUCTS, DAMAGE, "baseinfo.elevation"),
)
