"""Declarations of the step 1 products (*Urgentie*): what each needs and where its code lives.

Light on purpose (no numpy/geopandas imports): the product function is imported
only when the product is computed.
"""

from __future__ import annotations

from alliantie.dossier.registry import declare
from alliantie.method.urgency.parameters import PluvialParameters

PLUVIAL = "urgency.pluvial"

_MODULE = "alliantie.method.urgency"

declare(
    PLUVIAL, f"{_MODULE}.pluvial:pluvial", step=1,
    inputs=("dem", "landuse", "soil"),
    optional_inputs=("buildings", "roads", "neighbourhoods", "watercourses", "waterbodies"),
    parameters=("language", *(f"pluvial.{name}" for name in PluvialParameters.model_fields)),
    knowledge=("rain_events", "infiltration", "lgn_classes", "soil_classes"),
    depends=("baseinfo.elevation",),
)
