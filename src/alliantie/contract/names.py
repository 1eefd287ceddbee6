"""Product and theme names in one place: the declarations, the steps, the report and the web app use these.

A product's name is also its folder under ``products/``.
"""

from __future__ import annotations

from typing import Final, Literal

# --- step 2, Basisinformatie ---------------------------------------------------------------------
ELEVATION: Final = "baseinfo.elevation"
SOIL: Final = "baseinfo.soil"
GROUNDWATER: Final = "baseinfo.groundwater"
SEEPAGE: Final = "baseinfo.seepage"
WATER: Final = "baseinfo.water"
GREEN: Final = "baseinfo.green"
LANDSCAPE: Final = "baseinfo.landscape"
STRUCTURE: Final = "baseinfo.structure_carriers"
ANALYSEWIJZER: Final = "baseinfo.analysewijzer"
LAGENKAART: Final = "baseinfo.lagenkaart"

# --- step 1, Urgentie ----------------------------------------------------------------------------
CLIMATE: Final = "urgency.climate"
FLOOD: Final = "urgency.flood"
PLUVIAL: Final = "urgency.pluvial"
DROUGHT: Final = "urgency.drought"
HEAT: Final = "urgency.heat"
VULNERABILITY: Final = "urgency.vulnerability"
TREND: Final = "urgency.trend"
DAMAGE: Final = "urgency.damage"
STRESSTEST: Final = "urgency.stresstest"

# --- step 3, Vergezicht --------------------------------------------------------------------------
GUIDE_MODELS: Final = "vista.guide_models"
SUITABILITY: Final = "vista.suitability"
EFFECTS: Final = "vista.effects"

# --- step 4, Inspiratiekaarten ------------------------------------------------------------------
INSPIRATION_VEERKRACHT: Final = "inspiration.veerkracht"
INSPIRATION_ECONOMIE: Final = "inspiration.economie"
INSPIRATION_GEBIED: Final = "inspiration.gebied_stuurt"

# --- step 5, Strategie ---------------------------------------------------------------------------
MEEKOPPELEN: Final = "strategy.meekoppelen"
BUSINESS_CASE: Final = "strategy.business_case"
STRATEGY_DOCUMENT: Final = "strategy.document"

# --- the report ----------------------------------------------------------------------------------
REPORT: Final = "report"

#: The climate-effect themes of step 1, in report order.
Theme = Literal["flood", "pluvial", "drought", "heat"]
THEMES: Final[tuple[Theme, ...]] = ("flood", "pluvial", "drought", "heat")
#: The product of each theme.
THEME_PRODUCT: Final[dict[str, str]] = {"flood": FLOOD, "pluvial": PLUVIAL, "drought": DROUGHT, "heat": HEAT}
#: The theme products, in report order.
THEME_PRODUCTS: Final = (FLOOD, PLUVIAL, DROUGHT, HEAT)
